"""lead_scoring.compare, the check behind "incremental == full refresh": doubles and arrays of
doubles (the carried sums of int_activities_scored) agree to 1e-9, anything else must be equal."""

from pathlib import Path

import duckdb

from lead_scoring.compare import compare_warehouses


def warehouse(path: Path, rows: list[tuple]) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create table int_activities_scored (activity_id varchar, engagement_score_after double, "
                    "state_rule_sums double[], is_mql_event boolean)")
        con.executemany("insert into int_activities_scored values (?, ?, ?, ?)", rows)
    return path


BASE = [("a1", 10.0, None, False), ("a2", 12.5, [30.0, 0.0, -10.0], True)]


def test_sums_grouped_differently_are_equal(tmp_path):
    nudged = [("a1", 10.0 + 1e-12, None, False), ("a2", 12.5, [30.0 + 1e-12, 0.0, -10.0 - 1e-13], True)]
    assert compare_warehouses(warehouse(tmp_path / "a.duckdb", BASE), warehouse(tmp_path / "b.duckdb", nudged)) == {}


def test_a_different_carried_sum_is_found(tmp_path):
    first = warehouse(tmp_path / "a.duckdb", BASE)
    for name, changed in [("value", [30.0, 0.0, -9.0]), ("length", [30.0, 0.0]), ("null", None),
                          ("null element", [30.0, None, -10.0])]:
        second = warehouse(tmp_path / f"{name}.duckdb", [BASE[0], ("a2", 12.5, changed, True)])
        assert compare_warehouses(first, second) == {"int_activities_scored": "1 rows differ"}, name


def test_a_different_flag_or_missing_row_is_found(tmp_path):
    first = warehouse(tmp_path / "a.duckdb", BASE)
    flipped = warehouse(tmp_path / "flipped.duckdb", [BASE[0], (*BASE[1][:3], False)])
    missing = warehouse(tmp_path / "missing.duckdb", BASE[1:])
    assert compare_warehouses(first, flipped) == {"int_activities_scored": "1 rows differ"}
    assert compare_warehouses(first, missing) == {"int_activities_scored": "1 rows differ"}
