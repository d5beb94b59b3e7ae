"""Incremental builds: any sequence of them equals a full refresh, late events included.

A warehouse is built at one as_of, then late data arrives (an activity, a recycle, a
disqualification and a lost opportunity, each before what was already scored for its lead) and
it is rebuilt incrementally at two later as_of values, three leads' created_at moved before the
last of them (their observation windows move); a full refresh at the last one must give
the same tables (lead_scoring.compare: doubles to 1e-9, everything else equal). The rescore plan
of the first incremental run is checked too: the leads with late data were recomputed, the others
extended from their carried state.
"""

import csv
import io
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from conftest import run_script

from lead_scoring.compare import compare_warehouses

FIRST_AS_OF = "2026-03-31T00:00:00Z"
SECOND_AS_OF = "2026-06-30T12:00:00Z"
LAST_AS_OF = "2026-10-31T23:59:59Z"


def build(raw: Path, db: Path, as_of: str, *flags: str) -> None:
    result = run_script("build.py", "--raw-dir", str(raw), "--db", str(db), "--as-of", as_of, "--quiet",
                        "--skip-tests", *flags)
    assert result.returncode == 0, result.stdout + result.stderr


def append_rows(path: Path, rows: list[dict]) -> None:
    with path.open(newline="") as handle:
        header = handle.readline()
    fields = next(csv.reader([header]))
    with path.open("a", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\r\n" if header.endswith("\r\n") else "\n")
        for row in rows:
            writer.writerow({field: row.get(field, "") for field in fields})


def rewrite_rows(path: Path, keep=lambda row: True, change=None) -> None:
    """Rewrite a raw CSV keeping the rows for which keep(row) is true, each written as change(row)
    returns it (None, or no change: the line as it was); the header and line ends kept."""
    with path.open(newline="") as handle:
        lines = handle.read().splitlines(keepends=True)
    kept = [lines[0]]
    for line in lines[1:]:
        row = next(csv.reader([line]))
        if not keep(row):
            continue
        changed = change(row) if change is not None else None
        if changed is not None:
            text = io.StringIO()
            csv.writer(text, lineterminator="\r\n" if line.endswith("\r\n") else "\n").writerow(changed)
            line = text.getvalue()
        kept.append(line)
    path.write_text("".join(kept))


def leads_scored_before_and_after(db: Path, as_of: str, count: int) -> list[str]:
    """Leads with scored activities at or before as_of and usable activities after it."""
    with duckdb.connect(str(db), read_only=True) as con:
        return [row[0] for row in con.execute(f"""
            select lead_id from int_activities_validated
            where quarantine_reason is null
            group by lead_id
            having min(occurred_at) < timestamp '{as_of[:10]}' - interval 40 day
                and max(occurred_at) > timestamp '{as_of[:10]}' + interval 1 day
            order by lead_id limit {count}""").fetchall()]


@pytest.fixture(scope="module")
def incremental_sequence(edge_case_raw_dir, tmp_path_factory):
    work = tmp_path_factory.mktemp("incremental")
    raw = work / "raw"
    shutil.copytree(edge_case_raw_dir, raw)
    incremental_db, full_db = work / "incremental.duckdb", work / "full.duckdb"
    build(raw, incremental_db, FIRST_AS_OF, "--full-refresh")

    late_activity, late_recycle, late_disqualification, late_loss = leads_scored_before_and_after(
        incremental_db, FIRST_AS_OF, 4)
    append_rows(raw / "activities.csv", [
        {"activity_id": "late_act_1", "lead_id": late_activity, "activity_type": "demo_request",
         "occurred_at": "2026-03-01T10:00:00Z", "detail": "arrived late"},
    ])
    append_rows(raw / "sales_dispositions.csv", [
        {"disposition_id": "late_disp_1", "lead_id": late_recycle, "disposition": "recycled",
         "disposition_at": "2026-03-10T09:00:00Z", "reason": "arrived late"},
        {"disposition_id": "late_disp_2", "lead_id": late_disqualification, "disposition": "disqualified",
         "disposition_at": "2026-02-20T09:00:00Z", "reason": "arrived late"},
    ])
    append_rows(raw / "opportunities.csv", [
        {"opportunity_id": "late_opp_1", "lead_id": late_loss, "created_at": "2026-01-05T09:00:00Z",
         "closed_at": "2026-02-05T09:00:00Z", "is_won": "false", "amount_usd": "1000"},
    ])
    build(raw, incremental_db, SECOND_AS_OF)
    with duckdb.connect(str(incremental_db), read_only=True) as con:
        plan = dict(con.execute("select lead_id, action from int_lead_rescore_plan").fetchall())
    late = {"activity": late_activity, "recycle": late_recycle, "disqualification": late_disqualification,
            "lost opportunity": late_loss}
    moved = move_observation_windows(raw, incremental_db, set(late.values()))
    build(raw, incremental_db, LAST_AS_OF)
    with duckdb.connect(str(incremental_db), read_only=True) as con:
        last_plan = [action for (action,) in con.execute("select action from int_lead_rescore_plan").fetchall()]
        moved["after"] = counted_activities(con, moved["leads"])
        moved["actions"] = {action for (action,) in con.execute(
            "select action from int_lead_rescore_plan where list_contains(?, lead_id)",
            [sorted(moved["leads"])]).fetchall()}
    build(raw, full_db, LAST_AS_OF, "--full-refresh")
    return {"incremental": incremental_db, "full": full_db, "plan": plan, "last_plan": last_plan, "late": late,
            "raw": raw, "moved": moved}


def counted_activities(con: duckdb.DuckDBPyConnection, leads: set[str]) -> int | None:
    """The leads' activities int_lead_activity_types_observed counts (None when it has no row of theirs)."""
    return con.execute("select sum(activity_count) from int_lead_activity_types_observed "
                       "where list_contains(?, lead_id)", [sorted(leads)]).fetchone()[0]


def move_observation_windows(raw: Path, db: Path, excluded: set[str]) -> dict:
    """Move three leads' created_at 20 days earlier in leads.csv: never-MQL leads (observed 30 days
    from creation) with activities in the last 20 days of that window and none after the last
    build's as_of, so that in the next run neither the plan nor new activities touch them and
    only their moved window can (int_lead_observation_windows). Their counted activities before."""
    since = datetime.fromisoformat(SECOND_AS_OF).replace(tzinfo=None)
    with duckdb.connect(str(db), read_only=True) as con:
        leads = {lead_id for (lead_id,) in con.execute("""
            select distinct observed.lead_id
            from int_leads_lift_observed as observed
            inner join int_activities_episoded as activities
                on observed.lead_id = activities.lead_id
            where not observed.has_mql
                and activities.occurred_at > observed.observed_until_at - interval 20 day
                and activities.occurred_at <= observed.observed_until_at
                and not list_contains(?, observed.lead_id)
                and observed.lead_id not in (
                    select lead_id from int_activities_validated where occurred_at > ?)
            order by 1 limit 3""", [sorted(excluded), since]).fetchall()}
        before = counted_activities(con, leads)
    with (raw / "leads.csv").open(newline="") as handle:
        created_at = next(csv.reader(handle)).index("created_at")

    def created_earlier(row: list[str]) -> list[str] | None:
        if row[0].strip() not in leads:
            return None
        moved_at = datetime.fromisoformat(row[created_at].strip().replace("Z", "+00:00")) - timedelta(days=20)
        return [*row[:created_at], moved_at.strftime("%Y-%m-%dT%H:%M:%SZ"), *row[created_at + 1:]]

    rewrite_rows(raw / "leads.csv", change=created_earlier)
    return {"leads": leads, "before": before}


def test_incremental_sequence_equals_full_refresh(incremental_sequence):
    problems = compare_warehouses(incremental_sequence["incremental"], incremental_sequence["full"])
    assert problems == {}


def test_carried_activity_fingerprints_equal_full_refresh(incremental_sequence):
    """The plan's activity count and fingerprint after two incremental runs (most leads' carried
    forward: the previous plan's plus the rows after its as_of) equal a full refresh's, where every
    lead's are computed from all its rows. lead_scoring.compare leaves the plan out; a wrong carry
    would recompute or, worse, extend the wrong leads in the run after."""
    columns = "lead_id, activity_count, activity_fingerprint, boundary_count, boundary_fingerprint"
    fingerprints = {}
    for name in ("incremental", "full"):
        with duckdb.connect(str(incremental_sequence[name]), read_only=True) as con:
            fingerprints[name] = set(con.execute(
                f"select {columns} from int_lead_rescore_plan where action <> 'remove'").fetchall())
    assert len(fingerprints["full"]) > 100
    assert fingerprints["incremental"] == fingerprints["full"]
    assert incremental_sequence["last_plan"].count("extend") > len(fingerprints["full"]) // 2


def test_changed_review_grid_backtests_every_lead_again(incremental_sequence, project_copy, tmp_path):
    # int_mql_moments_backtested is kept per lead like the scores: a changed grid (var
    # review_thresholds) changes the plan's configuration fingerprint, so every lead is recomputed.
    config = project_copy / "dbt_project.yml"
    text = config.read_text()
    assert text.count("  mql_threshold: 100\n") == 1
    config.write_text(text.replace("  mql_threshold: 100\n", "  mql_threshold: 100\n  review_thresholds: [60, 140]\n"))
    incremental_db, full_db = tmp_path / "incremental.duckdb", tmp_path / "full.duckdb"
    shutil.copyfile(incremental_sequence["incremental"], incremental_db)
    for db, flags in ((incremental_db, ()), (full_db, ("--full-refresh",))):
        result = run_script("build.py", "--raw-dir", str(incremental_sequence["raw"]), "--db", str(db),
                            "--as-of", LAST_AS_OF, "--quiet", "--skip-tests", *flags, cwd=project_copy)
        assert result.returncode == 0, result.stdout + result.stderr
    assert compare_warehouses(incremental_db, full_db) == {}
    with duckdb.connect(str(incremental_db), read_only=True) as con:
        def distinct(column: str, table: str) -> set:
            return {value for (value,) in con.execute(f"select distinct {column} from {table}").fetchall()}

        thresholds = distinct("mql_threshold", "int_mql_moments_backtested")
        actions = distinct("action", "int_lead_rescore_plan")
    assert thresholds == {60.0, 100.0, 140.0} and actions == {"recompute"}


def test_moved_observation_windows_are_counted_again(incremental_sequence):
    """int_lead_activity_types_observed counts again only some leads in an incremental run; a lead
    whose observation window moved while its activities and plan did not (its created_at moved 20
    days earlier before the last run: move_observation_windows) is one of them, found by the
    previous build's windows (int_lead_observation_windows). The sequence equals a full refresh
    (test above); here: those leads were extended, and fewer of their activities count now."""
    moved = incremental_sequence["moved"]
    assert len(moved["leads"]) == 3 and moved["before"] > 0
    assert moved["actions"] == {"extend"}
    assert (moved["after"] or 0) < moved["before"]


def test_late_events_recompute_their_leads_and_the_rest_extend(incremental_sequence):
    plan = incremental_sequence["plan"]
    for what, lead in incremental_sequence["late"].items():
        assert plan[lead] == "recompute", f"late {what} of {lead} did not recompute it"
    actions = list(plan.values())
    # Most leads carry on from their state; leads created since the first as_of are new (recompute).
    assert actions.count("extend") > actions.count("recompute") > len(incremental_sequence["late"])


def test_late_events_changed_the_scores(incremental_sequence):
    """The late rows matter: without them the leads' histories would differ (so the test can fail)."""
    late = incremental_sequence["late"]
    with duckdb.connect(str(incremental_sequence["incremental"]), read_only=True) as con:
        late_scored = con.execute(
            "select count(*) from fct_lead_score_history where activity_id = 'late_act_1'").fetchone()[0]
        episodes = dict(con.execute(
            "select lead_id, max(episode) from fct_lead_score_history where lead_id in (?, ?) group by lead_id",
            [late["recycle"], late["lost opportunity"]]).fetchall())
        disqualified_mqls = con.execute(
            "select count(*) from fct_lead_score_history where lead_id = ? and is_mql_event "
            "and occurred_at > timestamp '2026-02-20 09:00:00'", [late["disqualification"]]).fetchone()[0]
    assert late_scored == 1
    assert all(episode >= 2 for episode in episodes.values()), episodes
    assert disqualified_mqls == 0


def test_changed_columns_ask_for_a_full_refresh(incremental_sequence, edge_case_raw_dir, tmp_path):
    """A warehouse built by an older version of the models (a column renamed) stops an incremental run
    with a message to run --full-refresh, and is left as it was."""
    db = tmp_path / "old.duckdb"
    shutil.copyfile(incremental_sequence["full"], db)
    with duckdb.connect(str(db)) as con:
        con.execute("alter table int_activities_scored rename column engagement_score_after to score_after")
    result = run_script("build.py", "--raw-dir", str(edge_case_raw_dir), "--db", str(db), "--as-of", LAST_AS_OF,
                        "--quiet", "--skip-tests")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--full-refresh" in result.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        assert "score_after" in [row[0] for row in con.execute("describe int_activities_scored").fetchall()]


@pytest.fixture(scope="module")
def revalidated(bad_rows_raw_dir, tmp_path_factory):
    """The bad-rows folder built, then changed under the same as_of: a second row for a usable
    activity_id under another lead and earlier (it takes the key, the old row turns duplicate), an
    orphan activity's lead arrives, a row disappears, and so does every row of another lead; one
    incremental run vs a full refresh."""
    work = tmp_path_factory.mktemp("revalidated")
    raw = work / "raw"
    shutil.copytree(bad_rows_raw_dir, raw)
    incremental_db, full_db = work / "incremental.duckdb", work / "full.duckdb"
    build(raw, incremental_db, LAST_AS_OF, "--full-refresh")
    with duckdb.connect(str(incremental_db), read_only=True) as con:
        taken_id, taken_from, taken_at = con.execute(
            "select activity_id, lead_id, occurred_at from int_activities_validated where quarantine_reason is null "
            "order by activity_id limit 1").fetchone()
        other_lead = con.execute("select lead_id from int_leads_validated where quarantine_reason is null "
                                 "and lead_id <> ? order by lead_id limit 1", [taken_from]).fetchone()[0]
        orphan_lead = con.execute("select min(lead_id) from int_activities_validated "
                                  "where quarantine_reason = 'orphan_lead_id'").fetchone()[0]
        dropped_id = con.execute("select max(activity_id) from int_activities_validated "
                                 "where quarantine_reason is null and lead_id <> ?", [taken_from]).fetchone()[0]
        # A lead whose every activity goes: recomputed with no rows left, its counted types drop.
        emptied_lead = con.execute(
            "select min(lead_id) from int_lead_activity_types_observed where lead_id not in (?, ?, ?)",
            [taken_from, other_lead, orphan_lead]).fetchone()[0]
    assert orphan_lead is not None, "the bad-rows folder should have orphan activities"
    append_rows(raw / "activities.csv", [
        {"activity_id": taken_id, "lead_id": other_lead, "activity_type": "pricing_page_view",
         "occurred_at": (taken_at.replace(year=taken_at.year - 1)).isoformat() + "Z", "detail": "same key"},
    ])
    with (raw / "leads.csv").open(newline="") as handle:
        template = next(row for row in csv.DictReader(handle) if row["lead_id"].strip() == other_lead)
    append_rows(raw / "leads.csv", [{**template, "lead_id": orphan_lead, "email": "arrived@late.example.com"}])
    with (raw / "activities.csv").open(newline="") as handle:
        lead_column = next(csv.reader(handle)).index("lead_id")
    rewrite_rows(raw / "activities.csv",
                 lambda row: row[0].strip() != dropped_id and row[lead_column].strip() != emptied_lead)
    build(raw, incremental_db, LAST_AS_OF)
    build(raw, full_db, LAST_AS_OF, "--full-refresh")
    return {"incremental": incremental_db, "full": full_db, "taken_id": taken_id, "taken_from": taken_from,
            "orphan_lead": orphan_lead, "dropped_id": dropped_id, "emptied_lead": emptied_lead}


def test_revalidated_rows_equal_full_refresh(revalidated):
    assert compare_warehouses(revalidated["incremental"], revalidated["full"]) == {}


def test_revalidation_moved_the_key_adopted_the_orphans_and_dropped_the_row(revalidated):
    with duckdb.connect(str(revalidated["incremental"]), read_only=True) as con:
        reasons = dict(con.execute("select lead_id, quarantine_reason from int_activities_validated "
                                   "where activity_id = ?", [revalidated["taken_id"]]).fetchall())
        orphans_left = con.execute(
            "select count(*) from int_activities_validated where lead_id = ? and quarantine_reason = 'orphan_lead_id'",
            [revalidated["orphan_lead"]]).fetchone()[0]
        dropped = con.execute("select count(*) from int_activities_validated where activity_id = ?",
                              [revalidated["dropped_id"]]).fetchone()[0]
        reconciled = con.execute("select bool_and(is_reconciled) from rpt_row_reconciliation").fetchone()[0]
        emptied = con.execute("select count(*) from int_lead_activity_types_observed where lead_id = ?",
                              [revalidated["emptied_lead"]]).fetchone()[0]
        emptied_action = con.execute("select action from int_lead_rescore_plan where lead_id = ?",
                                     [revalidated["emptied_lead"]]).fetchone()[0]
    assert reasons[revalidated["taken_from"]] == "duplicate_key" and list(reasons.values()).count(None) == 1
    assert orphans_left == 0 and dropped == 0 and reconciled
    assert emptied == 0 and emptied_action == "recompute"
