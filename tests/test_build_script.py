"""scripts/build.py as a user runs it: flags, exit codes, one-line errors, bad input."""

import csv
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import run_script

from lead_scoring.contract import RAW_TABLES


def assert_one_line_error(result, *fragments: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output, output
    error_lines = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1, output
    for fragment in fragments:
        assert fragment in error_lines[0], error_lines[0]


def last_dbt_events(db: Path) -> list[str]:
    """The names of the events in dbt's log of the last build of `db`: its two dbt invocations,
    the parse and the build (lead_scoring.dbt_launch), each starting with MainReportVersion."""
    from lead_scoring.build import run_path

    invocations: list[list[str]] = []
    for line in (run_path(db.resolve()) / "logs" / "dbt.log").read_text().splitlines():
        if not line.startswith("{"):
            continue
        name = json.loads(line).get("info", {}).get("name", "")
        if name == "MainReportVersion" or not invocations:
            invocations.append([])
        invocations[-1].append(name)
    return [name for invocation in invocations[-2:] for name in invocation]


def write_minimal_raw_dir(folder: Path) -> Path:
    """A tiny valid raw folder written by hand: one account, two leads, a few activities."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = {
        "accounts": [["a1", "Acme", "acme.com", "software", "500", "50000000", "US"]],
        "leads": [
            ["l1", "ann@acme.com", "Ann", "Lee", "VP Marketing", "a1", "webinar", "US", "2026-01-01T00:00:00Z"],
            ["l2", "bo@gmail.com", "Bo", "Kim", "Engineer", "", "organic_search", "DE", "2026-01-02 09:00:00"],
        ],
        "activities": [
            ["x1", "l1", "demo_request", "2026-02-01T10:00:00Z", "/demo"],
            ["x2", "l2", "page_view", "2026-02-01T12:00:00+02:00", "/"],
        ],
        "sales_dispositions": [["d1", "l1", "accepted", "2026-02-02T00:00:00Z", ""]],
        "opportunities": [],
    }
    for table, columns in RAW_TABLES.items():
        with (folder / f"{table}.csv").open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows(rows[table])
    return folder


def test_help_lists_every_spec_flag():
    result = run_script("build.py", "--help")
    assert result.returncode == 0
    for flag in ("--raw-dir", "--as-of", "--db", "--target", "--full-refresh", "--mql-threshold",
                 "--mql-fit-grades"):
        assert flag in result.stdout


@pytest.mark.parametrize("as_of", ["yesterday", "2026-13-45T00:00:00Z", "2026-06-30T25:00:00"])
def test_unparseable_as_of_stops_before_dbt(tmp_path, as_of):
    result = run_script("build.py", "--as-of", as_of, "--db", str(tmp_path / "w.duckdb"))
    assert_one_line_error(result, "--as-of", as_of)
    assert not (tmp_path / "w.duckdb").exists()


def test_missing_raw_file_names_the_file(tmp_path):
    raw = write_minimal_raw_dir(tmp_path / "raw")
    (raw / "activities.csv").unlink()
    result = run_script("build.py", "--raw-dir", str(raw), "--db", str(tmp_path / "w.duckdb"))
    assert_one_line_error(result, "raw file missing", "activities.csv")


def test_missing_required_column_names_file_and_column(tmp_path):
    raw = write_minimal_raw_dir(tmp_path / "raw")
    path = raw / "leads.csv"
    lines = path.read_text().splitlines()
    lines[0] = lines[0].replace("created_at", "created")
    path.write_text("\n".join(lines) + "\n")
    result = run_script("build.py", "--raw-dir", str(raw), "--db", str(tmp_path / "w.duckdb"))
    assert_one_line_error(result, "leads.csv", "created_at")


def test_csv_and_parquet_for_one_table_is_ambiguous(tmp_path):
    raw = write_minimal_raw_dir(tmp_path / "raw")
    shutil.copy(raw / "leads.csv", raw / "leads.parquet")
    result = run_script("build.py", "--raw-dir", str(raw), "--db", str(tmp_path / "w.duckdb"))
    assert_one_line_error(result, "leads.csv", "leads.parquet")


@pytest.mark.parametrize("flag, value, fragment", [
    ("--mql-fit-grades", "A,Z", "--mql-fit-grades"),
    ("--mql-threshold", "-5", "--mql-threshold"),
])
def test_invalid_mql_flags(tmp_path, flag, value, fragment):
    result = run_script("build.py", flag, value, "--db", str(tmp_path / "w.duckdb"))
    assert_one_line_error(result, fragment)


def test_spark_target_without_pyspark_says_how_to_install(tmp_path):
    pytest.importorskip("duckdb")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        result = run_script("build.py", "--target", "spark", "--db", str(tmp_path / "w.duckdb"))
        assert_one_line_error(result, "--target spark", "pip install")
    else:
        pytest.skip("pyspark is installed: the spark parity test covers this target")


def test_extra_columns_ignored_and_header_only_and_empty_files_build(tmp_path):
    raw = write_minimal_raw_dir(tmp_path / "raw")
    path = raw / "accounts.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0] + ",crm_owner", lines[1] + ",sam"]) + "\n")
    (raw / "opportunities.csv").write_text(",".join(RAW_TABLES["opportunities"]) + "\n")  # header only
    (raw / "sales_dispositions.csv").write_text("")  # 0 bytes
    db = tmp_path / "w.duckdb"
    # Seeds and models only: what these files could break is checked below (dbt's tests: make dbt-test).
    result = run_script("build.py", "--raw-dir", str(raw), "--as-of", "2026-06-30T00:00:00Z", "--db", str(db),
                        "--skip-tests")
    assert result.returncode == 0, result.stdout + result.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from dim_leads").fetchone()[0] == 2
        assert con.execute("select count(*) from fct_lifecycle_events where stage = 'sal'").fetchone()[0] == 0
        assert con.execute("select bool_and(is_reconciled) from rpt_row_reconciliation").fetchone()[0]
    from lead_scoring.build import run_path

    # what dbt printed outside its JSON log (on Spark the JVM's log) is kept beside dbt.log
    assert (run_path(db.resolve()) / "logs" / "other_output.log").is_file()


def test_mql_flags_reach_the_models(tmp_path):
    raw = write_minimal_raw_dir(tmp_path / "raw")
    db = tmp_path / "w.duckdb"
    # Lead l1 (grade A) has one demo_request of 100 points: an MQL at threshold 100, not at 150.
    # Seeds and models only: the flags reach the models through dbt vars, whatever else dbt runs.
    base = ["--raw-dir", str(raw), "--as-of", "2026-06-30T00:00:00Z", "--db", str(db), "--quiet", "--skip-tests"]
    assert run_script("build.py", *base).returncode == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select mql_count from dim_leads where lead_id = 'l1'").fetchone()[0] == 1
    # dbt's log file, which the suite turns off (conftest.py), is read below.
    assert run_script("build.py", *base, "--mql-threshold", "150", env={"DBT_LOG_LEVEL_FILE": "debug"}).returncode == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select mql_count from dim_leads where lead_id = 'l1'").fetchone()[0] == 0
    # Other settings, same parse: the flags travel outside dbt's --vars (docs/operations.md).
    assert "PartialParsingEnabled" in last_dbt_events(db), "dbt parsed the whole project again"
    assert run_script("build.py", *base, "--mql-fit-grades", "B").returncode == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select is_icp_fit, mql_count from dim_leads where lead_id = 'l1'").fetchone() == (
            False, 0)


PAGE_VIEW_RULE = "page_view,1,10,14,Viewed a page on the website"
CONFIG_BREAKAGES = [
    ("scoring_rules.csv", PAGE_VIEW_RULE, PAGE_VIEW_RULE + "\nemail_open,2,,,again", "duplicate activity_type"),
    ("scoring_rules.csv", PAGE_VIEW_RULE, PAGE_VIEW_RULE.replace(",14,", ",0,"), "half_life_days"),
    ("scoring_rules.csv", PAGE_VIEW_RULE, PAGE_VIEW_RULE.replace(",1,", ",one,"), "points must be a number"),
    ("icp_rules.csv", "country,US,,,10", "continent,US,,,10", "unknown attribute"),
    ("job_title_seniority.csv", "intern,student,5", "intern,apprentice,5", "unknown seniority"),
]


@pytest.mark.parametrize("seed, old, new, fragment", CONFIG_BREAKAGES)
def test_broken_config_seed_stops_before_any_model(project_copy, seed, old, new, fragment):
    path = project_copy / "seeds" / "config" / seed
    text = path.read_text()
    assert old in text, (old, seed)
    path.write_text(text.replace(old, new, 1))
    db = project_copy / "w.duckdb"
    result = run_script("build.py", "--db", str(db), cwd=project_copy)
    assert_one_line_error(result, f"seeds/config/{seed}", "line", fragment)
    assert not db.exists()


@pytest.mark.parametrize(("flags", "selection"), [
    ([], []),
    (["--skip-unit-tests"], ["--exclude-resource-type", "unit_test"]),
    (["--skip-tests"], ["--resource-type", "seed", "--resource-type", "model"]),
    (["--skip-tests", "--skip-unit-tests"], ["--resource-type", "seed", "--resource-type", "model"]),
])
def test_test_flags_select_what_dbt_builds(flags, selection):
    from lead_scoring.build import dbt_build_args, parse_args

    assert dbt_build_args(parse_args(flags)) == ["build", *selection]


def test_dbt_runs_in_the_staging_folder_with_paths_that_still_point_where_they_did(tmp_path, monkeypatch):
    """dbt opens the staging file by a fixed name from the staging folder (so it keeps its parse);
    a relative LEAD_SCORING_TEMP_DIRECTORY must still mean the folder where the build started."""
    from lead_scoring.build import dbt_environment, parse_args
    from lead_scoring.publish import staging_path

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LEAD_SCORING_TEMP_DIRECTORY", "spill")
    args = parse_args(["--db", str(tmp_path / "w.duckdb"), "--as-of", "2026-06-30T00:00:00Z"])
    staging = staging_path(tmp_path / "w.duckdb")
    env, cwd = dbt_environment(args, {"as_of": "2026-06-30T00:00:00"}, staging)
    assert cwd / env["LEAD_SCORING_DB"] == staging
    assert staging_path(tmp_path / "other.duckdb").name == staging.name
    assert env["LEAD_SCORING_TEMP_DIRECTORY"] == str(tmp_path / "spill")
    assert json.loads(env["LEAD_SCORING_RUN_VARS"]) == {"as_of": "2026-06-30T00:00:00"}
