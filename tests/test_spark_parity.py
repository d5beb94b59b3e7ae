"""Cross-engine parity: the same models on DuckDB and on Spark (dbt-spark, method session) give the
same marts, row for row: numbers within 1e-6, timestamps, booleans and strings equal.

Runs with `make test-spark` (part of `make test`; `make test-spark-full` adds the sample build with
every dbt test on Spark, compared with the sample on DuckDB): it needs Java 17+ and
requirements-spark.txt, and fails (never skips) with one line when they are missing. Each Spark
build gets its own metastore and warehouse folder under tmp (LEAD_SCORING_SPARK_DIR); the Spark
marts are read from the Parquet files their tables are made of, after the build's JVM has exited.
"""

import csv
import json
import math
import os
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_DIR, generate, run_script

from lead_scoring.errors import UserError
from lead_scoring.spark import SPARK_DIR_ENV, check_environment, table_dir

pytestmark = pytest.mark.spark

AS_OF = "2026-06-30T00:00:00Z"
# The generated folder ends 2026-10-31 (conftest.GENERATED_END): score it at its end, given with an offset.
RAW_AS_OF = "2026-11-01T01:30:00+02:00"
SCORE_TOLERANCE = 1e-6
SPARK_BUILD_TIMEOUT = 1800
# The JVMs here live a minute or two on a small machine: the C1 compiler alone and the serial
# collector cost the JVM about 15% less CPU. Neither changes what Spark computes. With C1 alone the
# JVM reserves 48 MB for compiled code instead of 240 MB; Spark's generated classes can fill that
# ("Out of space in CodeCache", then the SparkContext stops and the build fails with a
# NullPointerException in DAGScheduler): the code cache gets the tiered default back.
SHORT_LIVED_JVM = {"JAVA_TOOL_OPTIONS": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:ReservedCodeCacheSize=240m"}
# Mart -> the columns that identify one of its rows (None: compare the rows as a sorted multiset).
# A new mart is one line here.
MARTS: dict[str, tuple[str, ...] | None] = {
    "dim_leads": ("lead_id",),
    "fct_lead_score_history": ("activity_id",),
    "fct_lifecycle_events": ("lifecycle_event_id",),
    "fct_funnel_cohorts": ("funnel_cohort_id",),
    "rpt_row_reconciliation": ("source_table",),
    "rpt_quarantined_rows": None,
}
# Raw tables the large parity run reads as Parquet (the others stay CSV): both readers in one build.
PARQUET_TABLES = ("activities", "opportunities")
# Raw tables it reads as a folder of two files (docs/decisions.md, "Raw input"), one of each format.
FOLDER_TABLES = ("activities", "sales_dispositions")


@pytest.fixture(scope="module", autouse=True)
def spark_available():
    try:
        check_environment()
    except UserError as exc:
        pytest.fail(str(exc), pytrace=False)


def build_duckdb(db: Path, *args: str, as_of: str = AS_OF) -> float:
    started = time.monotonic()
    result = run_script("build.py", "--db", str(db), "--as-of", as_of, "--quiet", *args)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return time.monotonic() - started


def build_spark(spark_dir: Path, *args: str, as_of: str = AS_OF) -> float:
    """scripts/build.py --target spark into its own metastore/warehouse folder; seconds taken."""
    started = time.monotonic()
    result = run_script("build.py", "--target", "spark", "--db", str(spark_dir / "build.duckdb"),
                        "--as-of", as_of, "--quiet", *args,
                        env={SPARK_DIR_ENV: str(spark_dir), **SHORT_LIVED_JVM}, timeout=SPARK_BUILD_TIMEOUT)
    assert result.returncode == 0, without_java_frames(result.stdout + result.stderr)[-6000:]
    return time.monotonic() - started


def without_java_frames(output: str) -> str:
    """A failed Spark build's output without the JVM's stack frames ("at org.apache...(File.scala:1)"),
    which otherwise fill the whole assertion message and hide the error and its "Caused by" lines."""
    return re.sub(r"\s+at [\w.$<>/-]+\([^)]*\)", "", output)


def normalise(value):
    """One engine-independent Python value: UTC-naive timestamps, floats for decimals."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    return value


def fetch(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[list[str], list[dict]]:
    cursor = con.execute(f"select * from {relation}")
    names = [column[0] for column in cursor.description]
    return names, [{name: normalise(value) for name, value in zip(names, row, strict=True)}
                   for row in cursor.fetchall()]


def read_duckdb(db: Path, table: str) -> tuple[list[str], list[dict]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return fetch(con, table)


def read_spark(spark_dir: Path, table: str) -> tuple[list[str], list[dict]]:
    folder = table_dir(table, spark_dir)
    assert folder.is_dir(), f"Spark table {table} not found at {folder}"
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        return fetch(con, f"read_parquet('{folder}/*.parquet')")


def same_value(left, right) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, float) or isinstance(right, float):
        if math.isnan(left) or math.isnan(right):
            return math.isnan(left) and math.isnan(right)
        return math.isclose(left, right, rel_tol=1e-12, abs_tol=SCORE_TOLERANCE)
    return left == right


def compare_mart(table: str, key: tuple[str, ...] | None, duck: tuple, spark: tuple) -> list[str]:
    (duck_columns, duck_rows), (spark_columns, spark_rows) = duck, spark
    if duck_columns != spark_columns:
        return [f"{table}: columns differ: duckdb {duck_columns}, spark {spark_columns}"]
    if key is None:
        # No key: the rows as multisets (exact values; such marts hold no floating-point columns).
        duck_counts, spark_counts = (Counter(tuple(row.values()) for row in rows) for rows in (duck_rows, spark_rows))
        return [f"{table}: row only on {engine}: {row}" for engine, only in
                (("duckdb", duck_counts - spark_counts), ("spark", spark_counts - duck_counts))
                for row in sorted(only.elements(), key=str)]
    by_key = [{tuple(row[column] for column in key): row for row in rows} for rows in (duck_rows, spark_rows)]
    problems = [f"{table}: duplicate keys on {engine}" for engine, rows, keyed in
                (("duckdb", duck_rows, by_key[0]), ("spark", spark_rows, by_key[1])) if len(keyed) != len(rows)]
    only_duck, only_spark = by_key[0].keys() - by_key[1].keys(), by_key[1].keys() - by_key[0].keys()
    if only_duck or only_spark:
        problems.append(f"{table}: keys only on duckdb {sorted(only_duck, key=str)[:5]}, only on spark "
                        f"{sorted(only_spark, key=str)[:5]}")
    for shared in sorted(by_key[0].keys() & by_key[1].keys(), key=str):
        duck_row, spark_row = by_key[0][shared], by_key[1][shared]
        for column in duck_columns:
            if not same_value(duck_row[column], spark_row[column]):
                problems.append(f"{table} {list(shared)}.{column}: duckdb {duck_row[column]!r}, "
                                f"spark {spark_row[column]!r}")
    return problems


def assert_parity(duck_db: Path, spark_dir: Path) -> dict[str, int]:
    problems, counts = [], {}
    for table, key in MARTS.items():
        duck, spark = read_duckdb(duck_db, table), read_spark(spark_dir, table)
        counts[table] = len(duck[1])
        problems += compare_mart(table, key, duck, spark)
    assert not problems, f"{len(problems)} difference(s):\n" + "\n".join(problems[:30])
    return counts


@pytest.mark.spark_full
def test_sample_full_build_on_spark(tmp_path):
    """`scripts/build.py --target spark` on the sample as a user runs it (`make run-spark`): every
    data and unit test runs on Spark too, and the marts equal DuckDB's. Not in `make test`, for
    time: there the Spark builds are the generated raw folder below (which loads the config seeds
    the same way the sample's seeds load) and the raw-text check. `make test-spark-full`."""
    duck_db, spark_dir = tmp_path / "duck.duckdb", tmp_path / "spark"
    duck_seconds = build_duckdb(duck_db, "--skip-tests")
    spark_seconds = build_spark(spark_dir)
    counts = assert_parity(duck_db, spark_dir)
    print(f"sample full build: duckdb {duck_seconds:.0f}s, spark {spark_seconds:.0f}s (with every dbt test), "
          f"rows {counts}")


def csv_to_parquet(raw_dir: Path, table: str) -> None:
    """Rewrite <table>.csv as <table>.parquet, every column a string (as a raw export would be)."""
    import pyarrow as pa
    import pyarrow.csv as pv
    import pyarrow.parquet as pq

    path = raw_dir / f"{table}.csv"
    with path.open(newline="") as handle:
        header = next(csv.reader(handle))
    data = pv.read_csv(path, convert_options=pv.ConvertOptions(
        column_types={name: pa.string() for name in header}, strings_can_be_null=True))
    pq.write_table(data, raw_dir / f"{table}.parquet")
    path.unlink()


def split_into_folder(raw_dir: Path, table: str) -> None:
    """Replace <table>.csv or <table>.parquet by a folder <table>/ of two files, the first half of
    the rows in one, the rest in the other, and a _SUCCESS marker neither engine reads."""
    import pyarrow.parquet as pq

    folder = raw_dir / table
    folder.mkdir()
    (folder / "_SUCCESS").write_text("")
    parquet = raw_dir / f"{table}.parquet"
    if parquet.exists():
        data = pq.read_table(parquet)
        half = data.num_rows // 2
        pq.write_table(data.slice(0, half), folder / "part-1.parquet")
        pq.write_table(data.slice(half), folder / "part-2.parquet")
        parquet.unlink()
        return
    path = raw_dir / f"{table}.csv"
    with path.open(newline="") as handle:
        header, *rows = list(csv.reader(handle))
    half = len(rows) // 2
    for name, part in (("part-1.csv", rows[:half]), ("part-2.csv", rows[half:])):
        with (folder / name).open("w", newline="") as handle:
            csv.writer(handle).writerows([header, *part])
    path.unlink()


def test_generated_raw_folder_parity(tmp_path):
    """A generated raw folder of 3,000 leads with edge cases (offsets, ties, recycles, duplicate and
    unknown-type activities) and bad rows (quarantine), read from CSV and Parquet files, two tables
    from folders of two files each."""
    raw_dir = generate(tmp_path / "raw", "--leads", "3000", "--seed", "23", "--edge-cases", "--bad-rows")
    for table in PARQUET_TABLES:
        csv_to_parquet(raw_dir, table)
    for table in FOLDER_TABLES:
        split_into_folder(raw_dir, table)
    duck_db, spark_dir = tmp_path / "duck.duckdb", tmp_path / "spark"
    duck_seconds = build_duckdb(duck_db, "--raw-dir", str(raw_dir), "--skip-tests", as_of=RAW_AS_OF)
    spark_seconds = build_spark(spark_dir, "--raw-dir", str(raw_dir), "--skip-tests", as_of=RAW_AS_OF)
    counts = assert_parity(duck_db, spark_dir)
    assert counts["dim_leads"] > 2900 and counts["rpt_quarantined_rows"] > 0
    print(f"3000-lead parity: duckdb {duck_seconds:.0f}s, spark {spark_seconds:.0f}s, rows {counts}")


# Raw text the staging models parse, where Spark's own casts differ from DuckDB's (a time with no
# date, the end of day 24:00, Java's 12d/1.5F number suffixes, digit separators, '+-'), with the
# edge cases tests/test_postgres_target.py checks for Postgres and ordinary cases around them.
PARSED_TEXTS = (
    "2026-01-01", "2026-01-01T24:00:00Z", "2026-01-01 24:00", "2026-01-01T24:00:00.000+02:00", "2026-01-01T24:00:00.5",
    "2026-02-30T00:00:00", "2026-01-01T25:00:00", "2026-01-01T10:00:00.1234567Z", "2026-01-01T00:00:59.9999999",
    "2026-01-01 10:00:00+0530", "2026-01-01T10:00-08", "2026-01-01T10:00:60", "2026-01-01T10:60", "10:00:00",
    "T10:00:00", " 00:00:00", "2026-01-01 10", "0000-02-29T10:00:00.1234567+01:00", "2023-02-29",
    "9999-12-31T23:59:59Z",
    "1_000", "1_000.5_5", "+-5", "-+5", "+5", ".5", "5.", "1e3", "1E-3", "inf", "-Infinity", "+-inf", "nan", "0x1A",
    "-0x10", "1,000", "12d", "12D", "1.5F", "-12f", "1d5", "1e400", "-1e400", "1e-400", "1e-320", "00012", "1__0", "_1",
    "", "10%", "١٢",
)


def parse_with_dbt(target: str, folder: Path, env: dict) -> subprocess.Popen:
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


def as_timestamp_text(text: str | None) -> str | None:
    """One spelling for both engines: DuckDB writes 1 BC as '0001-01-01 (BC) ...' and fractions as
    six digits ('.500000'); Spark writes year 0000 and trims trailing zeros ('.5')."""
    if text is None:
        return None
    bc = re.match(r"^(\d{4})(-\S+) \(BC\) (.*)$", text)
    if bc:
        text = f"{1 - int(bc.group(1)):04d}{bc.group(2)} {bc.group(3)}"
    whole, _, fraction = text.partition(".")
    return whole + (f".{fraction.ljust(6, '0')}" if fraction.strip("0") else "")


def shown_rows(process: subprocess.Popen) -> dict[str, tuple]:
    output, _ = process.communicate(timeout=SPARK_BUILD_TIMEOUT)
    assert process.returncode == 0 and "{" in output, output[-3000:]
    rows = json.loads(output[output.index("{"):])["show"]
    return {row["x"]: (as_timestamp_text(row["parsed_at"]), row["parsed_number"]) for row in rows}


def test_raw_text_parses_as_on_duckdb(tmp_path):
    """Timestamps and numbers in raw text read the same on both engines, edge cases included."""
    duckdb_show = parse_with_dbt("duckdb", tmp_path, {"LEAD_SCORING_DB": str(tmp_path / "show.duckdb")})
    spark_show = parse_with_dbt("spark", tmp_path, {SPARK_DIR_ENV: str(tmp_path / "spark"), **SHORT_LIVED_JVM})
    want, got = shown_rows(duckdb_show), shown_rows(spark_show)
    assert set(want) == set(PARSED_TEXTS)
    # repr: nan equals nan, and -0.0 is not 0.0.
    differing = {text: (got.get(text), want[text]) for text in PARSED_TEXTS if repr(got.get(text)) != repr(want[text])}
    assert not differing, "(spark, duckdb) per raw text:\n" + "\n".join(f"{k!r}: {v}" for k, v in differing.items())
