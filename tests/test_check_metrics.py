"""scripts/check_metrics.py: drift and bounds rules, exit codes, one-line errors, the checks file.

The must-show cases run on generated warehouses (tests/funnel_warehouses.py): a conversion drop
injected in the latest mature cohort fails the check and names the metric; the unchanged data
passes. Small cohorts are shown not to alarm on a hand-made fct_funnel_cohorts table.
"""

import json
import math
from datetime import date
from pathlib import Path

import duckdb
import pytest
from conftest import run_script
from funnel_warehouses import LATEST_MATURE, base_warehouse, drop_warehouse

from lead_scoring import metrics

DEFAULT_CHECKS = metrics.DEFAULT_CONFIG


@pytest.fixture(scope="session")
def base(tmp_path_factory):
    return base_warehouse(tmp_path_factory)


@pytest.fixture(scope="session")
def dropped(tmp_path_factory):
    return drop_warehouse(tmp_path_factory)


def check(db: Path, tmp_path: Path, *args: str):
    result = run_script("check_metrics.py", "--db", str(db), "--json", str(tmp_path / "checks.json"), *args)
    payload = json.loads((tmp_path / "checks.json").read_text()) if (tmp_path / "checks.json").exists() else None
    return result, payload


def assert_one_line_error(result, *fragments: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output, output
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, output
    for fragment in fragments:
        assert fragment in errors[0], errors[0]


# --------------------------------------------------------------------------------------------
# Must show: generated data with and without an injected drop


def test_unchanged_generated_data_passes(base, tmp_path):
    assert base.run.returncode == 0, base.output
    result, payload = check(base.db, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert payload["status"] == "pass"
    assert payload["latest_mature_cohort"] == str(LATEST_MATURE)
    drift = next(r for r in payload["results"] if r["check"] == "mql_to_sql_window_drop")
    assert drift["status"] == "pass" and drift["n"] >= 30, drift  # judged, not skipped


def test_injected_drop_in_latest_mature_cohort_fails_and_names_the_metric(dropped, tmp_path):
    result, payload = check(dropped.db, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    failed_lines = [line for line in output.splitlines() if line.startswith("FAILED")]
    assert any("mql_to_sql_window_drop" in line and "mql_to_sql_rate_window" in line for line in failed_lines), output
    drift = next(r for r in payload["results"] if r["check"] == "mql_to_sql_window_drop")
    assert drift["status"] == "fail"
    assert drift["cohort"] == str(LATEST_MATURE)
    assert drift["value"] == 0.0 and drift["baseline"] > 0.05
    assert drift["z"] <= -3
    assert payload["status"] == "fail" and payload["exit_code"] == 1


def test_injected_drop_leaves_small_lead_source_cohorts_alone(dropped, tmp_path):
    """Every lead source's cohort lost all its SQLs too, but each is under 30 MQLs: skipped, not failed."""
    _, payload = check(dropped.db, tmp_path)
    by_source = [r for r in payload["results"] if r["check"] == "mql_to_sql_window_drop_by_source"]
    assert by_source and all(r["status"] == "skip" for r in by_source), by_source
    assert any(r["value"] == 0.0 and (r["baseline"] or 0) > 0.1 for r in by_source)


def test_sql_drop_does_not_touch_mql_to_sal(dropped, tmp_path):
    _, payload = check(dropped.db, tmp_path)
    sal = next(r for r in payload["results"] if r["check"] == "mql_to_sal_drop")
    assert sal["status"] == "pass", sal


# --------------------------------------------------------------------------------------------
# Small cohorts never alarm (hand-made mart, no dbt build)


def write_mart(db: Path, cohorts: list[tuple]) -> Path:
    """A warehouse holding only fct_funnel_cohorts, from (month, source, mqls, sqls_within_window, mature)."""
    with duckdb.connect(str(db)) as con:
        con.execute("""
            create table fct_funnel_cohorts (
                cohort_month date, lead_source varchar, fit_grade varchar, is_mature boolean,
                mqls bigint, sals bigint, sqls bigint, opportunities bigint, customers bigint,
                sals_reaching_sql bigint, sqls_reaching_opportunity bigint, opportunities_reaching_customer bigint,
                sqls_within_window bigint, scored_as_of timestamp, conversion_window_days integer)""")
        for month, source, mqls, sqls, mature in cohorts:
            con.execute("insert into fct_funnel_cohorts values (?, ?, 'A', ?, ?, ?, ?, 0, 0, ?, 0, 0, ?, "
                        "timestamp '2026-11-01', 90)", [month, source, mature, mqls, mqls, sqls, sqls, sqls])
    return db


def months(first: date, count: int) -> list[date]:
    return [date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1) for i in range(count)]


def swing_mart(db: Path) -> Path:
    """A big steady source (200 MQLs at 20%) and a tiny one (8 MQLs at 75%, then 0% in the latest month)."""
    history = months(date(2026, 1, 1), 7)
    rows = [(month, "paid_search", 200, 40, True) for month in history]
    rows += [(month, "webinar", 8, 6, True) for month in history[:-1]]
    rows += [(history[-1], "webinar", 8, 0, True), (date(2026, 9, 1), "webinar", 50, 0, False)]
    return write_mart(db, rows)


def write_checks(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


BY_SOURCE = """
checks:
  - name: sql_drop_by_source
    type: drift
    metric: mql_to_sql_rate_window
    by: lead_source
    min_change: 0.05
"""


def test_tiny_cohort_with_big_swing_does_not_alarm(tmp_path):
    db = swing_mart(tmp_path / "w.duckdb")
    result, payload = check(db, tmp_path, "--config", str(write_checks(tmp_path / "c.yml", BY_SOURCE)))
    assert result.returncode == 0, result.stdout + result.stderr
    webinar = next(r for r in payload["results"] if r["segment"] == "lead_source=webinar")
    assert webinar["status"] == "skip" and webinar["n"] == 8
    assert webinar["value"] == 0.0 and webinar["baseline"] == 0.75
    assert "too small" in webinar["message"]
    # The immature September cohort (50 MQLs, 0%) is never the one judged.
    assert webinar["cohort"] == "2026-07-01"


def test_the_minimum_cohort_size_is_what_keeps_the_tiny_swing_quiet(tmp_path):
    db = swing_mart(tmp_path / "w.duckdb")
    config = write_checks(tmp_path / "c.yml", BY_SOURCE + "    min_cohort_size: 8\n")
    result, payload = check(db, tmp_path, "--config", str(config))
    assert result.returncode == 1, result.stdout + result.stderr
    webinar = next(r for r in payload["results"] if r["segment"] == "lead_source=webinar")
    assert webinar["status"] == "fail" and webinar["z"] < -3  # "significant" by the test alone
    paid = next(r for r in payload["results"] if r["segment"] == "lead_source=paid_search")
    assert paid["status"] == "pass"


def test_bounds_each_mature_and_pooled(tmp_path):
    history = months(date(2026, 1, 1), 4)
    rows = [(month, "paid_search", 100, 20, True) for month in history[:-1]] + [(history[-1], "paid_search", 100, 2,
                                                                                True)]
    db = write_mart(tmp_path / "w.duckdb", rows)
    config = write_checks(tmp_path / "c.yml", """
checks:
  - {name: each, type: bounds, metric: mql_to_sql_rate_window, cohorts: each_mature, min: 0.05}
  - {name: pooled, type: bounds, metric: mql_to_sql_rate_window, cohorts: pooled_mature, min: 0.05, max: 0.5}
""")
    result, payload = check(db, tmp_path, "--config", str(config))
    assert result.returncode == 1
    each = [r for r in payload["results"] if r["check"] == "each"]
    assert [r["status"] for r in each] == ["pass", "pass", "pass", "fail"]
    assert "below the minimum" in each[-1]["message"]
    pooled = next(r for r in payload["results"] if r["check"] == "pooled")
    assert pooled["status"] == "pass" and pooled["value"] == pytest.approx(62 / 400)


def test_no_mature_cohort_skips_everything_and_passes(tmp_path):
    db = write_mart(tmp_path / "w.duckdb", [(date(2026, 10, 1), "webinar", 100, 0, False)])
    result, payload = check(db, tmp_path)
    assert result.returncode == 0, result.stdout
    assert payload["latest_mature_cohort"] is None
    assert {r["status"] for r in payload["results"]} == {"skip"}


def test_empty_mart_passes_with_nothing_to_judge(tmp_path):
    db = write_mart(tmp_path / "w.duckdb", [])
    result, payload = check(db, tmp_path)
    assert result.returncode == 0, result.stdout
    assert payload["counts"]["fail"] == 0


def test_two_proportion_z_matches_a_hand_computation():
    # p1 = 10/100, p0 = 60/300, pooled 70/400 = 0.175
    expected = (0.1 - 0.2) / math.sqrt(0.175 * 0.825 * (1 / 100 + 1 / 300))
    assert metrics.two_proportion_z(10, 100, 60, 300) == pytest.approx(expected)
    assert metrics.two_proportion_z(0, 50, 0, 300) == 0.0  # identical zero rates: no evidence
    assert metrics.p_value(-3.0, "down") == pytest.approx(0.00135, abs=1e-5)


# --------------------------------------------------------------------------------------------
# Could not run: exit 2 with one line


def test_missing_warehouse(tmp_path):
    result, payload = check(tmp_path / "nope.duckdb", tmp_path)
    assert_one_line_error(result, "warehouse not found", "nope.duckdb")
    assert payload["status"] == "error" and payload["exit_code"] == 2


def test_missing_mart(tmp_path):
    db = tmp_path / "w.duckdb"
    duckdb.connect(str(db)).close()
    result, _ = check(db, tmp_path)
    assert_one_line_error(result, "fct_funnel_cohorts not found")


@pytest.mark.parametrize("text, fragments", [
    ("checks:\n  - name: a\n    type: drift\n    metric: mql_to_mql_rate\n",
     ["c.yml:4", "unknown metric 'mql_to_mql_rate'"]),
    ("checks:\n  - name: a\n    type: drift\n    metric: mql_to_sql_rate\n    z_treshold: 3\n",
     ["c.yml:5", "unknown key 'z_treshold'"]),
    ("checks:\n  - name: a\n    type: bounds\n    metric: mql_to_sql_rate\n    min: 0.5\n    max: 0.2\n",
     ["c.yml:5", "min is above max"]),
    ("checks:\n  - name: a\n    type: bounds\n    metric: mql_to_sql_rate\n    min: 5\n",
     ["c.yml:5", "min must be between 0 and 1"]),
    ("checks:\n  - name: a\n    type: bounds\n    metric: mql_to_sql_rate\n",
     ["c.yml:2", "needs min, max or both"]),
    ("checks:\n  - name: a\n    type: trend\n    metric: mql_to_sql_rate\n", ["c.yml:3", "type must be one of"]),
    ("checks:\n  - name: a\n    type: drift\n    metric: mql_to_sql_rate\n    by: country\n",
     ["c.yml:5", "by must be one of lead_source, fit_grade"]),
    ("checks:\n  - name: a\n    type: drift\n    metric: mql_to_sql_rate\n    min_cohort_size: 0\n",
     ["c.yml:5", "min_cohort_size must be at least 1"]),
    ("defaults:\n  min_cohort: 30\nchecks:\n  - {name: a, type: drift, metric: mql_to_sql_rate}\n",
     ["c.yml:2", "unknown default 'min_cohort'"]),
    ("checks:\n  - {name: a, type: drift, metric: mql_to_sql_rate}\n"
     "  - {name: a, type: drift, metric: sal_to_sql_rate}\n",
     ["c.yml:3", "duplicate check name 'a'"]),
    ("checks:\n  - name: a\n    type: drift\n   metric: x\n", ["c.yml:", "malformed YAML"]),
    ("checks:\n  - name: a\n    name: b\n", ["c.yml:3", "duplicate key 'name'"]),
    ("checks: []\n", ["c.yml:1", "non-empty list"]),
])
def test_malformed_checks_file_names_file_line_and_reason(tmp_path, text, fragments):
    db = write_mart(tmp_path / "w.duckdb", [])
    result, _ = check(db, tmp_path, "--config", str(write_checks(tmp_path / "c.yml", text)))
    assert_one_line_error(result, *fragments)


def test_default_checks_file_is_valid_and_documented():
    checks = metrics.load_checks(DEFAULT_CHECKS)
    assert {c.type for c in checks} == {"bounds", "drift"}
    assert any(c.by == "lead_source" for c in checks)
    assert all(c.min_cohort_size >= 30 for c in checks)
    text = DEFAULT_CHECKS.read_text()
    for metric in metrics.METRICS:
        assert metric in text  # the file lists every metric it may use


def test_help_lists_flags():
    result = run_script("check_metrics.py", "--help")
    assert result.returncode == 0
    for flag in ("--db", "--config", "--json"):
        assert flag in result.stdout
