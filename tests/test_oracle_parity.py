"""The warehouse against tests/oracle.py, a brute-force Python reading of SPEC section 3.

Each test builds a generated raw folder with scripts/build.py and compares the marts lead by lead
and column by column with the oracle: scores within 0.01, timestamps to the second.
"""

from datetime import datetime, timedelta

import duckdb
import oracle
import pytest
from conftest import PROJECT_DIR, run_script

CONFIG_DIR = PROJECT_DIR / "seeds" / "config"
SCORE_TOLERANCE = 0.01
TIMESTAMP_COLUMNS = ("created_at", "first_mql_at", "latest_mql_at", "sal_at", "sql_at", "opportunity_at",
                     "customer_at")
EXACT_COLUMNS = ("account_id", "email_domain", "lead_source", "job_seniority", "fit_grade", "is_excluded",
                 "exclusion_reason", "is_icp_fit", "mql_count", "lifecycle_stage")


def build(raw_dir, db, *extra: str) -> None:
    result = run_script("build.py", "--raw-dir", str(raw_dir), "--db", str(db), "--quiet", *extra)
    assert result.returncode == 0, result.stdout + result.stderr


def fetch(db, sql: str) -> list[dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def same_second(left: datetime | None, right: datetime | None) -> bool:
    if left is None or right is None:
        return left is right
    return abs(left - right) < timedelta(seconds=1)


def compare_dim_leads(warehouse: list[dict], expected: dict[str, dict]) -> list[str]:
    problems = []
    by_id = {row["lead_id"]: row for row in warehouse}
    if set(by_id) != set(expected):
        problems.append(f"lead sets differ: only warehouse {sorted(set(by_id) - set(expected))[:5]}, "
                        f"only oracle {sorted(set(expected) - set(by_id))[:5]}")
    for lead_id in sorted(set(by_id) & set(expected)):
        got, want = by_id[lead_id], expected[lead_id]
        for column in EXACT_COLUMNS:
            if got[column] != want[column]:
                problems.append(f"{lead_id}.{column}: warehouse {got[column]!r}, oracle {want[column]!r}")
        for column in ("fit_score", "engagement_score"):
            if abs(got[column] - want[column]) > SCORE_TOLERANCE:
                problems.append(f"{lead_id}.{column}: warehouse {got[column]}, oracle {want[column]}")
        for column in TIMESTAMP_COLUMNS:
            if not same_second(got[column], want[column]):
                problems.append(f"{lead_id}.{column}: warehouse {got[column]}, oracle {want[column]}")
    return problems


def compare_score_history(warehouse: list[dict], expected: dict[str, dict]) -> list[str]:
    problems = []
    by_id = {row["activity_id"]: row for row in warehouse}
    if set(by_id) != set(expected):
        problems.append(f"scored activity sets differ: {len(by_id)} in warehouse, {len(expected)} in oracle")
    for activity_id in sorted(set(by_id) & set(expected)):
        got, want = by_id[activity_id], expected[activity_id]
        for column in ("lead_id", "activity_type", "episode", "is_mql_event"):
            if got[column] != want[column]:
                problems.append(f"{activity_id}.{column}: warehouse {got[column]!r}, oracle {want[column]!r}")
        if abs(got["engagement_score_after"] - want["engagement_score_after"]) > SCORE_TOLERANCE:
            problems.append(f"{activity_id}.engagement_score_after: warehouse {got['engagement_score_after']}, "
                            f"oracle {want['engagement_score_after']}")
    return problems


@pytest.mark.parametrize("as_of", ["2026-06-30T00:00:00Z", "2026-10-31T23:59:59Z", "2025-11-15T08:30:00+02:00"])
def test_dim_leads_and_history_match_the_oracle(edge_case_raw_dir, edge_case_warehouse, as_of):
    db = edge_case_warehouse(as_of)
    expected = oracle.compute(edge_case_raw_dir, CONFIG_DIR, as_of=as_of, clock=datetime.now())
    dim_leads = fetch(db, "select * from dim_leads")
    assert len(dim_leads) > 50, "the generated folder should give a few hundred leads"
    assert sum(row["mql_count"] for row in dim_leads) > 5, "the comparison needs MQLs to mean something"
    problems = compare_dim_leads(dim_leads, expected["dim_leads"])
    problems += compare_score_history(fetch(db, "select * from fct_lead_score_history"), expected["score_history"])
    assert not problems, f"{len(problems)} differences, first 20:\n" + "\n".join(problems[:20])


def test_quarantine_and_reconciliation_match_the_oracle(bad_rows_raw_dir, tmp_path):
    db = tmp_path / "w.duckdb"
    # Every data test too: bad rows are quarantined, so a build of them passes every data test (the
    # one build in the suite that runs them on bad rows; the unit tests do not read the data).
    build(bad_rows_raw_dir, db, "--as-of", "2026-10-31T23:59:59Z", "--skip-unit-tests")
    raw = oracle.load_raw(bad_rows_raw_dir)
    _, quarantine, counts = oracle.clean(raw, datetime.now())
    reconciliation = {row["source_table"]: row for row in fetch(db, "select * from rpt_row_reconciliation")}
    for table, count in counts.items():
        row = reconciliation[table]
        assert row["is_reconciled"], row
        assert (row["raw_rows"], row["used_rows"], row["quarantined_rows"], row["exact_duplicate_rows"]) == (
            count["raw"], count["used"], count["quarantined"], count["exact_duplicates"]), (table, row, count)
    got = sorted((r["source_table"], r["record_key"] or "", r["quarantine_reason"])
                 for r in fetch(db, "select * from rpt_quarantined_rows"))
    want = sorted((q["source_table"], q["record_key"] or "", q["reason"]) for q in quarantine)
    assert got == want
    reasons = {reason for _, _, reason in got}
    # The generator's bad rows exercise every reason the spec names.
    assert {"missing_key", "orphan_lead_id", "unparseable_timestamp", "future_timestamp",
            "unknown_disposition", "duplicate_key"} <= reasons, reasons
