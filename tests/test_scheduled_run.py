"""scripts/scheduled_run.py: build -> check_metrics -> report, one log line per step, meaningful exit codes."""

import json
import re
from collections import Counter

import pytest
from conftest import run_script
from funnel_warehouses import base_warehouse, drop_warehouse

from lead_scoring import standby
from lead_scoring.build import run_path
from lead_scoring.publish import BuildLock

LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ lead_scoring "
                  r"step=(?P<step>\w+) status=(?P<status>\w+)(?P<rest>.*)$")


@pytest.fixture(scope="session")
def base(tmp_path_factory):
    return base_warehouse(tmp_path_factory)


@pytest.fixture(scope="session")
def dropped(tmp_path_factory):
    return drop_warehouse(tmp_path_factory)


def steps(output: str) -> dict[str, tuple[str, str]]:
    """step -> (status, rest of the line), from the run's log lines."""
    found = {}
    for line in output.splitlines():
        match = LINE.match(line)
        if match:
            assert match["step"] not in found, f"two log lines for {match['step']}"
            found[match["step"]] = (match["status"], match["rest"])
    return found


def test_green_run_logs_each_step_with_timings_and_exits_0(base):
    assert base.run.returncode == 0, base.output
    logged = steps(base.run.stderr)
    assert list(logged) == ["start", "build", "check_metrics", "report", "run"]
    for step in ("build", "check_metrics", "report", "run"):
        status, rest = logged[step]
        assert status == "ok", (step, rest)
        assert re.search(r"exit=0 seconds=\d+\.\d", rest), rest
    assert f"report={base.out / 'report' / 'report.html'}" in logged["run"][1]
    # The run waited for its build's standby copy (lead_scoring.standby): done when it returned.
    assert re.search(r"standby_wait=\d+\.\d", logged["run"][1]), logged["run"][1]
    record = json.loads(standby.record_path(base.db.resolve()).read_text())
    assert record["inode"] == base.db.stat().st_ino and record["size"] == base.db.stat().st_size
    assert (base.out / "report" / "report.html").is_file()
    assert (base.out / "metrics" / "check_metrics.json").is_file()


def test_scheduled_build_runs_every_data_test_and_no_unit_test(base):
    """dbt's unit tests test the code on fixed inputs: they run in `make test`, not every night."""
    results = json.loads((run_path(base.db.resolve()) / "run_results.json").read_text())["results"]
    kinds = Counter(result["unique_id"].split(".")[0] for result in results)
    assert kinds["test"] > 100 and kinds["model"] > 30, kinds
    assert kinds["unit_test"] == 0, kinds


def test_failed_metric_check_exits_1_and_still_writes_the_report(dropped):
    assert dropped.run.returncode == 1, dropped.output
    logged = steps(dropped.run.stderr)
    assert logged["build"][0] == "ok"
    assert logged["check_metrics"][0] == "failed" and "exit=1" in logged["check_metrics"][1]
    assert logged["report"][0] == "ok"
    assert logged["run"][0] == "failed" and "exit=1" in logged["run"][1]
    assert "mql_to_sql_rate_window" in dropped.run.stdout
    assert "FAIL" in (dropped.out / "report" / "report.html").read_text()


def test_build_that_cannot_run_stops_the_run_with_exit_2(tmp_path):
    result = run_script("scheduled_run.py", "--raw-dir", str(tmp_path / "missing"), "--db",
                        str(tmp_path / "w.duckdb"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    logged = steps(result.stderr)
    assert logged["build"][0] == "error"
    assert logged["check_metrics"][0] == "skipped" and logged["report"][0] == "skipped"
    assert logged["run"][0] == "error" and "exit=2" in logged["run"][1]
    assert not (tmp_path / "out" / "report").exists()


def test_another_build_of_the_same_warehouse_running_exits_3(tmp_path):
    db = tmp_path / "w.duckdb"
    with BuildLock(db):
        result = run_script("scheduled_run.py", "--db", str(db), "--out", str(tmp_path / "out"))
    assert result.returncode == 3, result.stdout + result.stderr
    logged = steps(result.stderr)
    assert logged["build"][0] == "busy" and logged["run"][0] == "busy"


def test_skip_build_checks_and_reports_the_existing_warehouse(base, tmp_path):
    result = run_script("scheduled_run.py", "--skip-build", "--db", str(base.db), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(steps(result.stderr)) == ["start", "check_metrics", "report", "run"]
    assert (tmp_path / "out" / "report" / "report.html").is_file()


def test_check_that_cannot_run_exits_2_but_the_report_is_written(base, tmp_path):
    bad = tmp_path / "checks.yml"
    bad.write_text("checks:\n  - {name: a, type: drift, metric: leads_per_day}\n")
    result = run_script("scheduled_run.py", "--skip-build", "--db", str(base.db), "--checks", str(bad),
                        "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stdout + result.stderr
    logged = steps(result.stderr)
    assert logged["check_metrics"][0] == "error" and logged["report"][0] == "ok"
    assert "checks.yml:2" in result.stdout and "unknown metric" in result.stdout
    assert "leads_per_day" in (tmp_path / "out" / "report" / "report.html").read_text()


def test_help_mentions_exit_codes():
    result = run_script("scheduled_run.py", "--help")
    assert result.returncode == 0
    for text in ("--raw-dir", "--as-of", "--db", "--skip-build", "Exit 0 ok"):
        assert text in " ".join(result.stdout.split())
