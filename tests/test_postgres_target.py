"""The postgres target: the sample seeds built on PostgreSQL with every data test and contract, then
the README's dashboard queries through psycopg2 (the driver Postgres-speaking BI tools sit on),
with known answers: the results of the same queries on a DuckDB build of the same sample at the
same --as-of. Every mart is compared too, row for row.

Runs with `make test-postgres`, which first starts a local server (scripts/postgres_test_server.sh)
and runs dbt's unit tests on that build too (test marked postgres_full: about 40 s of CPU, left out
of `make test`, whose `make dbt-test` runs them on DuckDB). When PostgreSQL cannot be reached the
tests fail with one line saying so; they never skip. Each run builds into its own schema, dropped
afterwards.
"""

import json
import math
import os
import re
import subprocess
import sys
import uuid
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_DIR, run_script

from lead_scoring import postgres
from lead_scoring.errors import UserError

pytestmark = pytest.mark.postgres

AS_OF = "2026-06-30T00:00:00Z"
BUILD_TIMEOUT = 1200
# Floats: the engines' pow() and percentile interpolation differ in the last bits.
RELATIVE_TOLERANCE = 1e-9
MARTS = ("dim_leads", "fct_lead_score_history", "fct_lifecycle_events", "fct_funnel_cohorts",
         "rpt_funnel_rollup", "rpt_quarantined_rows", "rpt_row_reconciliation", "rpt_activity_lift",
         "rpt_threshold_backtest", "fct_mql_conversions")
# The one Postgres dialect difference the README's queries meet (docs/postgres.md): Postgres has no
# round(double precision, integer), so a double is rounded through numeric.
POSTGRES_REWRITES = ((re.compile(r"\bround\((\w+), (\d+)\)"), r"round(cast(\1 as numeric), \2)"),)


def readme_dashboard_queries() -> dict[str, str]:
    text = (PROJECT_DIR / "README.md").read_text()
    blocks = re.findall(r"```sql\n(-- dashboard: (\w+)\n.*?)```", text, flags=re.S)
    return {name: sql for sql, name in blocks}


def postgres_dialect(sql: str) -> str:
    for pattern, replacement in POSTGRES_REWRITES:
        sql = pattern.sub(replacement, sql)
    return sql


def normalise(value):
    """One engine-independent Python value (numerics as float, dates as datetimes)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, datetime) and value.tzinfo is not None:
        raise AssertionError(f"timestamps are naive UTC on every engine, got {value!r}")
    return value


def row_order(row: tuple) -> str:
    """A sort key that does not depend on the last bits of a float."""
    return repr(tuple(float(f"{value:.6g}") if isinstance(value, float) else value for value in row))


def same_value(left, right) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        return (math.isnan(left) and math.isnan(right)) or math.isclose(left, right, rel_tol=RELATIVE_TOLERANCE,
                                                                         abs_tol=1e-12)
    return left == right


def same_rows(left: list[tuple], right: list[tuple]) -> bool:
    return len(left) == len(right) and all(
        len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
        for a, b in zip(left, right, strict=True))


@pytest.fixture(scope="module")
def server():
    """The target database answers (make test-postgres starts it); a one-line failure otherwise."""
    try:
        postgres.check_environment()
    except UserError as exc:
        pytest.fail(f"PostgreSQL is not reachable, so the postgres target cannot be tested: {exc}", pytrace=False)


@pytest.fixture(scope="module")
def warehouses(server, tmp_path_factory):
    """The sample built twice at AS_OF: on Postgres into a fresh schema (every data test and contract
    run there; the unit tests: test_unit_tests_pass_on_postgres), and on DuckDB (models only: make
    test tests that build) at the same time."""
    folder = tmp_path_factory.mktemp("postgres-target")
    schema = f"lead_scoring_test_{uuid.uuid4().hex[:10]}"
    duckdb_build = subprocess.Popen(
        [sys.executable, str(PROJECT_DIR / "scripts" / "build.py"), "--db", str(folder / "duckdb.duckdb"),
         "--as-of", AS_OF, "--skip-tests", "--quiet"],
        cwd=PROJECT_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "COLUMNS": "200"})
    try:
        result = run_script("build.py", "--target", "postgres", "--db", str(folder / "postgres-lock.duckdb"),
                            "--as-of", AS_OF, "--quiet", "--skip-unit-tests", env={postgres.SCHEMA_ENV: schema},
                            timeout=BUILD_TIMEOUT)
        duckdb_output, _ = duckdb_build.communicate(timeout=BUILD_TIMEOUT)
        assert result.returncode == 0, "postgres build failed:\n" + result.stdout[-4000:] + result.stderr[-3000:]
        assert duckdb_build.returncode == 0, "duckdb build failed:\n" + duckdb_output[-4000:]
        assert f"tables go to schema {schema}" in result.stdout
        yield schema, folder / "duckdb.duckdb"
    finally:
        if duckdb_build.poll() is None:
            duckdb_build.kill()
            duckdb_build.wait()
        with postgres.connect() as connection, connection.cursor() as cursor:
            cursor.execute(f'drop schema if exists "{schema}" cascade')
        connection.close()


@pytest.fixture(scope="module")
def pg(warehouses):
    """A psycopg2 connection as a BI tool opens one: the marts' schema on the search_path, read-only."""
    schema, _ = warehouses
    connection = postgres.connect(options=f"-c search_path={schema}")
    connection.set_session(readonly=True, autocommit=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def duck(warehouses):
    _, db = warehouses
    connection = duckdb.connect(str(db), read_only=True)
    yield connection
    connection.close()


def query_postgres(pg, sql: str) -> list[tuple]:
    with pg.cursor() as cursor:
        cursor.execute(sql)
        return [tuple(normalise(value) for value in row) for row in cursor.fetchall()]


def query_duckdb(duck, sql: str) -> list[tuple]:
    return [tuple(normalise(value) for value in row) for row in duck.execute(sql).fetchall()]


def test_readme_documents_the_dashboard_queries():
    assert set(readme_dashboard_queries()) == {"mqls_by_month", "current_stage", "mqls_waiting_for_sales"}


@pytest.mark.parametrize("name", ["mqls_by_month", "current_stage", "mqls_waiting_for_sales"])
def test_dashboard_query_gives_the_duckdb_answer(pg, duck, name):
    sql = readme_dashboard_queries()[name]
    want = query_duckdb(duck, sql)
    got = query_postgres(pg, postgres_dialect(sql))
    assert want, f"{name}: the DuckDB build answered nothing; the sample should give rows"
    assert got == want, f"{name} on Postgres:\n{got}\nDuckDB:\n{want}"


def test_dashboard_answers_are_consistent(pg):
    """Known answers independent of DuckDB: every lead has one stage; MQL months add up to MQL leads."""
    queries = readme_dashboard_queries()
    stages = dict(query_postgres(pg, queries["current_stage"]))
    assert sum(stages.values()) == query_postgres(pg, "select count(*) from dim_leads")[0][0] > 0
    assert stages.get("mql", 0) > 0
    months = query_postgres(pg, queries["mqls_by_month"])
    assert sum(count for _, count in months) == query_postgres(
        pg, "select count(*) from dim_leads where first_mql_at is not null")[0][0]
    waiting = query_postgres(pg, postgres_dialect(queries["mqls_waiting_for_sales"]))
    assert 0 < len(waiting) <= 20 and all(grade in ("A", "B") for _, grade, _, _ in waiting)
    assert [row[2] for row in waiting] == sorted((row[2] for row in waiting), reverse=True)


@pytest.mark.parametrize("mart", MARTS)
def test_mart_matches_duckdb(pg, duck, mart):
    columns = [row[0] for row in duck.execute(
        "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
        [mart]).fetchall()]
    pg_columns = query_postgres(pg, "select column_name from information_schema.columns where table_name = "
                                    f"'{mart}' and table_schema = current_schema() order by ordinal_position")
    assert [name for (name,) in pg_columns] == columns, f"{mart}: columns differ"
    select = f"select {', '.join(columns)} from {mart}"
    want = sorted(query_duckdb(duck, select), key=row_order)
    got = sorted(query_postgres(pg, select), key=row_order)
    assert len(want) == len(got), f"{mart}: {len(want)} rows on DuckDB, {len(got)} on Postgres"
    if not same_rows(got, want):
        first = next(i for i, (a, b) in enumerate(zip(got, want, strict=True)) if not same_rows([a], [b]))
        pytest.fail(f"{mart}: first differing row\npostgres {got[first]}\nduckdb   {want[first]}", pytrace=False)


# Raw text the staging models parse, where Postgres's own casts differ from DuckDB's (fractions
# beyond microseconds, second 60, year 0000, digit separators, hex, out-of-range exponents), and
# ordinary cases around them.
PARSED_TEXTS = (
    "2026-01-01", "2026-01-01T24:00:00Z", "2026-01-01T24:00:00.5", "2026-02-30T00:00:00", "2026-01-01T25:00:00",
    "2026-01-01T10:00:00.1234567Z", "2026-01-01T00:00:59.9999999", "2026-01-01 10:00:00+0530", "2026-01-01T10:00-08",
    "2026-01-01T10:00:60", "2026-01-01T10:60", "0000-02-29T10:00:00.1234567+01:00", "2023-02-29",
    "9999-12-31T23:59:59Z",
    "1_000", "1_000.5_5", "+-5", "-+5", "+5", ".5", "5.", "1e3", "1E-3", "inf", "-Infinity", "nan", "0x1A", "-0x10",
    "1,000", "12d", "1e400", "-1e400", "1e-400", "1e-320", "00012", "1__0", "_1", "", "10%", "١٢",
)


def parse_with_dbt(target: str, folder, env: dict) -> subprocess.Popen:
    """`dbt show` of parse_iso_timestamp and parse_number over PARSED_TEXTS on one target."""
    values = ", ".join("('" + text.replace("'", "''") + "')" for text in PARSED_TEXTS)
    sql = (f"select x, cast({{{{ parse_iso_timestamp('x') }}}} as {{{{ dbt.type_string() }}}}) as parsed_at, "
           f"{{{{ parse_number('x') }}}} as parsed_number from (values {values}) as texts (x)")
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "dbt"), "show", "--inline", sql, "--limit", "1000", "--output", "json",
         "--quiet", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
         "--target-path", str(folder / target), "--log-path", str(folder / target)],
        cwd=PROJECT_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "LEAD_SCORING_TARGET": target, **env})


def shown_rows(process: subprocess.Popen) -> dict[str, tuple]:
    output, _ = process.communicate(timeout=BUILD_TIMEOUT)
    assert process.returncode == 0 and "{" in output, output[-3000:]
    rows = json.loads(output[output.index("{"):])["show"]
    # DuckDB writes 1 BC as '0001-01-01 (BC) 10:00:00', Postgres as '0001-01-01 10:00:00 BC'.
    return {row["x"]: (row["parsed_at"] and re.sub(r"^(\S+) \(BC\) (.*)$", r"\1 \2 BC", row["parsed_at"]),
                       row["parsed_number"]) for row in rows}


def test_raw_text_parses_as_on_duckdb(warehouses, tmp_path):
    """Timestamps and numbers in raw text read the same on both engines, edge cases included."""
    schema, _ = warehouses
    duckdb_show = parse_with_dbt("duckdb", tmp_path, {"LEAD_SCORING_DB": str(tmp_path / "show.duckdb")})
    postgres_show = parse_with_dbt("postgres", tmp_path, {postgres.SCHEMA_ENV: schema})
    want, got = shown_rows(duckdb_show), shown_rows(postgres_show)
    assert set(want) == set(PARSED_TEXTS)
    # repr: nan equals nan, and -0.0 is not 0.0.
    differing = {text: (got[text], want[text]) for text in PARSED_TEXTS if repr(got[text]) != repr(want[text])}
    assert not differing, "(postgres, duckdb) per raw text:\n" + "\n".join(f"{k!r}: {v}" for k, v in differing.items())


def test_contracts_are_enforced_with_postgres_types(pg):
    """The marts' YAML types (string, double, ...) as Postgres types, with the not-null and key constraints."""
    types = dict(query_postgres(pg, "select column_name, data_type from information_schema.columns "
                                    "where table_schema = current_schema() and table_name = 'dim_leads'"))
    assert types["lead_id"] == "text"
    assert types["engagement_score"] == "double precision"
    assert types["mql_count"] == "bigint"
    assert types["is_icp_fit"] == "boolean"
    assert types["first_mql_at"] == "timestamp without time zone"
    constraints = {kind for (kind,) in query_postgres(
        pg, "select constraint_type from information_schema.table_constraints "
            "where table_schema = current_schema() and table_name = 'dim_leads'")}
    assert {"PRIMARY KEY", "CHECK"} <= constraints


@pytest.mark.postgres_full
def test_unit_tests_pass_on_postgres(warehouses, tmp_path):
    """dbt's unit tests (every scoring and lifecycle rule branch) on Postgres, against the schema the
    module built (dbt reads the columns of each unit test's inputs from it)."""
    schema, _ = warehouses
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "test", "--select", "test_type:unit", "--project-dir",
         str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR), "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs")],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=BUILD_TIMEOUT,
        env={**os.environ, "LEAD_SCORING_TARGET": "postgres", postgres.SCHEMA_ENV: schema})
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    passed = re.search(r"PASS=(\d+) WARN=\d+ ERROR=0 SKIP=0 NO-OP=\d+ TOTAL=(\d+)", result.stdout)
    assert passed and passed.group(1) == passed.group(2) and int(passed.group(1)) > 40, result.stdout[-3000:]


def test_raw_dir_is_refused_with_a_clear_message(server, tmp_path):
    """Refused before dbt starts: one line, and nothing written to the schema."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for table in ("accounts", "leads", "activities", "sales_dispositions", "opportunities"):
        (raw / f"{table}.csv").write_text((PROJECT_DIR / "seeds" / "sample" / f"raw_{table}.csv").read_text())
    schema = f"lead_scoring_test_{uuid.uuid4().hex[:10]}"
    try:
        result = run_script("build.py", "--target", "postgres", "--raw-dir", str(raw), "--db",
                            str(tmp_path / "lock.duckdb"), "--skip-tests", "--quiet",
                            env={postgres.SCHEMA_ENV: schema}, timeout=BUILD_TIMEOUT)
        with postgres.connect() as connection, connection.cursor() as cursor:
            cursor.execute("select count(*) from information_schema.schemata where schema_name = %s", (schema,))
            created = cursor.fetchone()[0]
        connection.close()
    finally:
        with postgres.connect() as connection, connection.cursor() as cursor:
            cursor.execute(f'drop schema if exists "{schema}" cascade')
        connection.close()
    assert result.returncode == 2, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: --raw-dir is not supported on the postgres target"), \
        result.stdout
    assert "Traceback" not in result.stdout + result.stderr and created == 0


def test_unreachable_server_is_one_line(tmp_path):
    result = run_script("build.py", "--target", "postgres", "--db", str(tmp_path / "lock.duckdb"),
                        env={"LEAD_SCORING_PG_HOST": "127.0.0.1", "LEAD_SCORING_PG_PORT": "1"})
    assert result.returncode == 2
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: cannot connect to PostgreSQL"), result.stdout
    assert "postgres_test_server.sh" in lines[0] and "Traceback" not in result.stderr
