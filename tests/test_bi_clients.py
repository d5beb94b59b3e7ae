"""The published marts through the clients BI tools use, running the README's dashboard queries,
with known answers from the brute-force oracle on a fixed generated data set."""

import re
from collections import Counter
from datetime import datetime

import oracle
import pytest
import sqlalchemy as sa
from conftest import PROJECT_DIR

AS_OF = "2026-10-31T23:59:59Z"


def readme_dashboard_queries() -> dict[str, str]:
    text = (PROJECT_DIR / "README.md").read_text()
    blocks = re.findall(r"```sql\n(-- dashboard: (\w+)\n.*?)```", text, flags=re.S)
    return {name: sql for sql, name in blocks}


@pytest.fixture(scope="module")
def expected(edge_case_raw_dir):
    return oracle.compute(edge_case_raw_dir, PROJECT_DIR / "seeds" / "config", as_of=AS_OF,
                          clock=datetime.now())["dim_leads"]


@pytest.fixture(scope="module")
def engine(edge_case_warehouse):
    db = edge_case_warehouse(AS_OF)
    engine = sa.create_engine(f"duckdb:///{db}", connect_args={"read_only": True})
    yield engine
    engine.dispose()


def run(engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql)).fetchall()]


def test_readme_documents_the_dashboard_queries():
    assert set(readme_dashboard_queries()) == {"mqls_by_month", "current_stage", "mqls_waiting_for_sales"}


def test_mqls_by_month(engine, expected):
    got = {month.strftime("%Y-%m"): count for month, count in run(engine, readme_dashboard_queries()["mqls_by_month"])}
    want = Counter(lead["first_mql_at"].strftime("%Y-%m") for lead in expected.values() if lead["first_mql_at"])
    assert got == dict(want) and sum(got.values()) > 5


def test_current_stage(engine, expected):
    got = dict(run(engine, readme_dashboard_queries()["current_stage"]))
    assert got == dict(Counter(lead["lifecycle_stage"] for lead in expected.values()))


def test_mqls_waiting_for_sales(engine, expected):
    got = [(lead_id, grade, score) for lead_id, grade, score, _ in
           run(engine, readme_dashboard_queries()["mqls_waiting_for_sales"])]
    waiting = sorted((lead for lead in expected.values() if lead["lifecycle_stage"] == "mql"),
                     key=lambda lead: (-round(lead["engagement_score"], 1), lead["lead_id"]))[:20]
    want = [(lead["lead_id"], lead["fit_grade"], round(lead["engagement_score"], 1)) for lead in waiting]
    assert [row[:2] for row in got] == [row[:2] for row in want]
    assert all(abs(g[2] - w[2]) <= 0.1 for g, w in zip(got, want, strict=True))
