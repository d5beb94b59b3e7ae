"""The semantic layer (models/semantic/, docs/semantic_layer.md) answers what SQL on the marts answers.

The edge-case warehouse other tests build (conftest's edge_case_warehouse, same as_of as
test_bi_clients, so one build serves both) is copied, so `mf` (which opens the file read-write)
never competes with another reader; a copy of the project is parsed against it (`dbt parse`
writes target/semantic_manifest.json, which `mf` reads from the project folder), and
`mf validate-configs` and a few `mf query` calls run through the CLI as a user would. Every
expected figure is computed here with plain SQL on dim_leads and fct_lifecycle_events,
independently of fct_mql_conversions and the funnel models.
"""

import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_DIR

AS_OF = "2026-10-31T23:59:59Z"  # July 2026 and older MQL cohorts are mature
CONVERSION_WINDOW_DAYS = 90  # dbt_project.yml default
BIN = Path(sys.executable).parent

# Per MQL lead: its first SQL at or after its first MQL (the funnel's definition, docs/metrics.md),
# straight from the lifecycle events, and whether its cohort (UTC month of the first MQL) is mature.
MQL_LEADS_SQL = f"""
    with mql_leads as (
        select lead_id, lead_source, fit_grade, first_mql_at, scored_as_of
        from dim_leads
        where first_mql_at is not null
    ),
    sqls_after_mql as (
        select mql_leads.lead_id, min(events.occurred_at) as sql_at
        from mql_leads
        inner join fct_lifecycle_events as events
            on mql_leads.lead_id = events.lead_id
            and events.stage = 'sql'
            and events.occurred_at >= mql_leads.first_mql_at
        group by mql_leads.lead_id
    )
    select
        mql_leads.lead_id,
        mql_leads.lead_source,
        mql_leads.fit_grade,
        cast(date_trunc('month', mql_leads.first_mql_at) as date) as cohort_month,
        (epoch(sqls_after_mql.sql_at) - epoch(mql_leads.first_mql_at)) / 86400.0 as days_to_sql,
        date_trunc('month', mql_leads.first_mql_at) + interval 1 month
            + interval {CONVERSION_WINDOW_DAYS} day <= mql_leads.scored_as_of as is_mature
    from mql_leads
    left join sqls_after_mql
        on mql_leads.lead_id = sqls_after_mql.lead_id
"""


@dataclass
class SemanticWarehouse:
    project: Path
    db: Path
    env: dict[str, str]

    def sql(self, query: str) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(query).fetchall()

    def mf(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(BIN / "mf"), *args], cwd=self.project, env=self.env, capture_output=True,
                              text=True, timeout=600)

    def mf_rows(self, name: str, *args: str) -> list[dict[str, str]]:
        """`mf query <args> --csv`: the result rows, values as the strings mf wrote."""
        out = self.project.parent / f"{name}.csv"
        result = self.mf("query", *args, "--csv", str(out))
        assert result.returncode == 0, result.stdout + result.stderr
        with out.open(newline="") as handle:
            return list(csv.DictReader(handle))

    def mql_leads(self) -> list[dict]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            cursor = con.execute(MQL_LEADS_SQL)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def number(value: str) -> float | None:
    return float(value) if value not in ("", None) else None


def conversion(leads: list[dict]) -> tuple[int, int, float, float | None]:
    """(mqls, mqls reaching SQL, MQL -> SQL rate, median days to SQL) of a group of MQL leads."""
    days = [lead["days_to_sql"] for lead in leads if lead["days_to_sql"] is not None]
    return len(leads), len(days), len(days) / len(leads), statistics.median(days) if days else None


@pytest.fixture(scope="module")
def semantic(tmp_path_factory, edge_case_warehouse) -> SemanticWarehouse:
    folder = tmp_path_factory.mktemp("semantic")
    project = folder / "project"
    shutil.copytree(PROJECT_DIR, project, ignore=shutil.ignore_patterns(
        ".venv", ".git", "target", "logs", "out", "warehouse", "*.duckdb", "__pycache__", ".pytest_cache",
        "metastore_db", "spark-warehouse"))
    db = folder / "warehouse.duckdb"
    shutil.copyfile(edge_case_warehouse(AS_OF), db)
    env = {key: value for key, value in os.environ.items() if not key.startswith("DBT_")}
    # mf reads <DBT_PROJECT_DIR>/target/semantic_manifest.json, and the table names in it carry the
    # database name dbt-duckdb takes from the file name: parse with the same LEAD_SCORING_DB.
    env |= {"DBT_PROJECT_DIR": str(project), "DBT_PROFILES_DIR": str(project), "LEAD_SCORING_DB": str(db),
            "LEAD_SCORING_TARGET": "duckdb"}
    parse = subprocess.run([str(BIN / "dbt"), "parse", "--quiet"], cwd=project, env=env, capture_output=True,
                           text=True, timeout=600)
    assert parse.returncode == 0, parse.stdout + parse.stderr
    assert (project / "target" / "semantic_manifest.json").is_file()
    return SemanticWarehouse(project, db, env)


def test_validate_configs_passes_against_the_warehouse(semantic):
    result = semantic.mf("validate-configs")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Successfully validated the semantics of built manifest (ERRORS: 0" in output
    assert "Successfully validated metrics against data warehouse (ERRORS: 0" in output


def test_totals_match_sql_on_the_marts(semantic):
    metrics = ["new_leads", "mqls", "sqls", "mqls_reaching_sql", "mql_to_sql_rate", "median_days_mql_to_sql",
               "average_engagement_score", "recycles"]
    [row] = semantic.mf_rows("totals", "--metrics", ",".join(metrics))
    new_leads, mqls, sqls, average_engagement = semantic.sql(
        "select count(*), count(first_mql_at), count(sql_at), avg(engagement_score) from dim_leads")[0]
    [(recycles,)] = semantic.sql("select count(*) from fct_lifecycle_events where stage = 'recycled'")
    leads = semantic.mql_leads()
    assert mqls > 20 and recycles > 0, "the generated data set should have MQLs and recycles to compare"
    cohort_size, reaching_sql, rate, median_days = conversion(leads)
    assert cohort_size == mqls
    assert int(number(row["new_leads"])) == new_leads
    assert int(number(row["mqls"])) == mqls
    assert int(number(row["sqls"])) == sqls
    assert int(number(row["mqls_reaching_sql"])) == reaching_sql
    assert number(row["mql_to_sql_rate"]) == pytest.approx(rate, abs=1e-12)
    assert number(row["median_days_mql_to_sql"]) == pytest.approx(median_days, abs=1e-6)
    assert number(row["average_engagement_score"]) == pytest.approx(average_engagement, rel=1e-9)
    assert int(number(row["recycles"])) == recycles


def test_saved_query_mql_to_sql_rate_by_fit_grade_counts_mature_cohorts(semantic):
    rows = semantic.mf_rows("by_grade", "--saved-query", "mql_to_sql_rate_by_fit_grade")
    by_grade = defaultdict(list)
    for lead in semantic.mql_leads():
        if lead["is_mature"]:
            by_grade[lead["fit_grade"]].append(lead)
    assert by_grade, "the generated data set should have mature MQL cohorts"
    assert sorted(row["lead__fit_grade"] for row in rows) == sorted(by_grade)
    for row in rows:
        mqls, reaching_sql, rate, median_days = conversion(by_grade[row["lead__fit_grade"]])
        assert int(number(row["mqls"])) == mqls
        assert int(number(row["mqls_reaching_sql"])) == reaching_sql
        assert number(row["mql_to_sql_rate"]) == pytest.approx(rate, abs=1e-12)
        if median_days is None:
            assert number(row["median_days_mql_to_sql"]) is None
        else:
            assert number(row["median_days_mql_to_sql"]) == pytest.approx(median_days, abs=1e-6)
    # The same figures as the funnel mart, summed over its cohort months and lead sources.
    funnel = {grade: (mqls, sqls) for grade, mqls, sqls in semantic.sql(
        "select fit_grade, sum(mqls), sum(sqls) from fct_funnel_cohorts where is_mature group by fit_grade")}
    assert {row["lead__fit_grade"]: (int(number(row["mqls"])), int(number(row["mqls_reaching_sql"])))
            for row in rows} == funnel


def test_saved_query_monthly_mqls_by_lead_source(semantic):
    rows = semantic.mf_rows("monthly", "--saved-query", "monthly_mqls_by_lead_source")
    expected = defaultdict(int)
    for lead in semantic.mql_leads():
        expected[(lead["cohort_month"].isoformat(), lead["lead_source"])] += 1
    got = {(row["metric_time__month"][:10], row["lead__lead_source"]): int(number(row["mqls"])) for row in rows}
    assert got == dict(expected)


def test_time_spine_covers_2015_to_2035_without_gaps(semantic):
    [(days, first, last, distinct)] = semantic.sql(
        "select count(*), min(date_day), max(date_day), count(distinct date_day) from time_spine_daily")
    assert (first.isoformat(), last.isoformat()) == ("2015-01-01", "2035-12-31")
    assert days == distinct == (last - first).days + 1 == 7670


def test_exposures_name_the_marts_their_consumers_read(semantic):
    manifest = json.loads((semantic.project / "target" / "manifest.json").read_text())
    exposures = {exposure["name"]: sorted(node.split(".")[-1] for node in exposure["depends_on"]["nodes"])
                 for exposure in manifest["exposures"].values()}
    assert exposures == {
        "funnel_report": ["dim_leads", "fct_funnel_cohorts", "fct_lead_score_history", "rpt_funnel_rollup"],
        "metric_checks": ["fct_funnel_cohorts"],
        "lead_scoring_dashboard": ["dim_leads"],
    }
