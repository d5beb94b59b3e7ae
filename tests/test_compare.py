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


def keyless(path: Path, rows: list[tuple]) -> Path:
    """A warehouse with a table compared as a multiset (no key in compare.KEYS)."""
    with duckdb.connect(str(path)) as con:
        con.execute("create table rpt_quarantined_rows (source_table varchar, reason varchar, row_count double)")
        con.executemany("insert into rpt_quarantined_rows values (?, ?, ?)", rows)
    return path


def test_multisets_count_duplicates_and_nulls_as_values(tmp_path):
    rows = [("activities", None, 2.0), ("activities", None, 2.0), ("leads", "missing_key", 1.0 + 1e-12)]
    first = keyless(tmp_path / "a.duckdb", rows)
    assert compare_warehouses(first, keyless(tmp_path / "same.duckdb", [rows[2], rows[0], rows[1]])) == {}
    once = keyless(tmp_path / "once.duckdb", rows[1:])
    assert compare_warehouses(first, once) == {"rpt_quarantined_rows": "1 rows differ"}
    other = keyless(tmp_path / "other.duckdb", [*rows[:2], ("leads", "missing_key", 1.5)])
    assert compare_warehouses(first, other) == {"rpt_quarantined_rows": "2 rows differ"}


def with_view(path: Path, view_sql: str, plan_rows: int = 1) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create table int_lead_rescore_plan as select range as lead_id from range(?)", [plan_rows])
        con.execute(f"create view stg_numbers as {view_sql}")
    return path


def test_views_are_compared_unless_their_sql_is_the_same_but_for_the_build_clock(tmp_path):
    clock = "select * from range(3) where cast('{}' as timestamp) > timestamp '2026-12-05 09:10:30'"
    first = with_view(tmp_path / "a.duckdb", clock.format("2026-12-05 09:10:00.062218"))
    # Another build's clock (here one that lets rows through): the view is not compared, only the
    # relations it reads are.
    assert compare_warehouses(first, with_view(tmp_path / "b.duckdb", clock.format("2026-12-05 09:11:00.000001"))) == {}
    # Other SQL: compared, and its rows differ (none in the first).
    other = with_view(tmp_path / "c.duckdb", "select * from range(4)")
    assert compare_warehouses(first, other) == {"stg_numbers": "4 rows differ"}
    # The same SQL over a bookkeeping table, which is not compared itself: the view is.
    over_plan = "select count(*) as n from int_lead_rescore_plan"
    assert compare_warehouses(with_view(tmp_path / "d.duckdb", over_plan, 1),
                              with_view(tmp_path / "e.duckdb", over_plan, 2)) == {"stg_numbers": "2 rows differ"}
