"""A raw table given as a folder of files (--raw-dir <dir>/activities/*.parquet, a part per load):
read together, columns matched by name, and an incremental build after a new part arrives equals
a full refresh of the same rows from one file. Bad folders stop the build with one line:
tests/test_bad_inputs.py, FOLDER_CASES."""

import csv
import io
import shutil
from pathlib import Path

import duckdb
import pytest
from test_bad_inputs import AS_OF, folder_of
from test_build_script import write_minimal_raw_dir
from test_incremental import FIRST_AS_OF, LAST_AS_OF, build

from lead_scoring.build import run_path
from lead_scoring.compare import compare_warehouses


def write_part(source: Path, target: Path, where: str, columns: str = "* exclude (row)") -> int:
    """Rows of a raw CSV file matching `where` (over its row number `row`) as a Parquet file, all text."""
    with duckdb.connect() as con:
        con.execute(f"""copy (
            select {columns} from (
                select *, row_number() over () as row
                from read_csv('{source}', header = true, all_varchar = true)
            ) where {where}
        ) to '{target}' (format parquet)""")
        return con.execute(f"select count(*) from read_parquet('{target}')").fetchone()[0]


@pytest.fixture(scope="module")
def folder_builds(edge_case_raw_dir, tmp_path_factory):
    """The edge-case data with activities as a folder: built at FIRST_AS_OF from the first two
    thirds of the rows, then incrementally at LAST_AS_OF after the last third arrived as a second
    part (its columns in another order, one extra column; rows before FIRST_AS_OF among them:
    late events). Beside it, a full build of the one-file data at LAST_AS_OF."""
    work = tmp_path_factory.mktemp("folders")
    raw = work / "raw"
    shutil.copytree(edge_case_raw_dir, raw)
    (raw / "activities.csv").unlink()
    parts = raw / "activities"
    parts.mkdir()
    source = edge_case_raw_dir / "activities.csv"
    with duckdb.connect() as con:
        total = con.execute(
            f"select count(*) from read_csv('{source}', header = true, all_varchar = true)").fetchone()[0]
    cut = total * 2 // 3
    first = write_part(source, parts / "load-1.parquet", f"row <= {cut}")
    (parts / "_SUCCESS").write_text("")  # hidden files are not read (Spark's convention)
    (parts / ".load-2.parquet.crc").write_text("checksum")
    folder_db, single_db = work / "folder.duckdb", work / "single.duckdb"
    build(raw, folder_db, FIRST_AS_OF, "--full-refresh")
    second = write_part(source, parts / "load-2.parquet", f"row > {cut}",
                        "detail, occurred_at, activity_type, lead_id, activity_id, 'crm' as loaded_by")
    build(raw, folder_db, LAST_AS_OF)
    compiled = compiled_file_fingerprints(folder_db)
    reused = reused_models(folder_db)
    with duckdb.connect(str(folder_db), read_only=True) as con:
        keys = dict(con.execute("""
            select case when is_restaged then 'restaged' else 'appended' end, count(*)
            from int_activity_leads_changed where is_changed group by all""").fetchall())
    build(edge_case_raw_dir, single_db, LAST_AS_OF, "--full-refresh")
    return {"folder": folder_db, "single": single_db, "rows": (first, second, total), "compiled": compiled,
            "raw": raw, "work": work, "keys": keys, "reused": reused}


# The models kept from the previous build when nothing they read changed (macro reuse_plan).
REUSABLE = ("int_leads_validated", "int_leads_seniority_classified", "int_leads_fit_scored",
            "int_opportunities_validated", "int_sales_dispositions_validated")


def reused_models(db: Path) -> set[str]:
    """The reusable models whose SQL in the last build of `db` kept the previous build's rows (it
    selects nothing: `where 1 = 0` after the model's last CTE)."""
    compiled = {path.stem: path.read_text() for path in run_path(db.resolve()).glob("compiled/**/*.sql")
                if path.stem in REUSABLE}
    assert set(compiled) == set(REUSABLE)
    return {name for name, sql in compiled.items() if sql.rstrip().endswith("where 1 = 0")}


def compiled_file_fingerprints(db: Path) -> str:
    """The SQL the last build of `db` ran for int_activity_raw_file_fingerprints."""
    return next(run_path(db.resolve()).glob("compiled/**/int_activity_raw_file_fingerprints.sql")).read_text()


def test_incremental_build_after_a_new_part_equals_one_file_full_refresh(folder_builds):
    first, second, total = folder_builds["rows"]
    assert first > 0 and second > 0 and first + second == total
    assert compare_warehouses(folder_builds["folder"], folder_builds["single"]) == {}


def test_incremental_build_read_only_the_new_part(folder_builds):
    compiled = folder_builds["compiled"]
    assert "load-2.parquet" in compiled and "load-1.parquet" not in compiled


def test_keys_only_added_to_are_appended(folder_builds):
    """The second part only adds rows with new activity_ids: every changed key takes only its new
    rows (int_activities_raw_changed reads the new part alone), none is staged again whole."""
    assert folder_builds["keys"] == {"appended": folder_builds["keys"].get("appended", 0)}
    assert folder_builds["keys"]["appended"] > 0


def test_models_reading_nothing_that_changed_are_reused(folder_builds):
    """Only activities arrived: the lead, account, disposition and opportunity models keep their
    rows (the edge-case data has no future_timestamp row, which would make them build again)."""
    assert folder_builds["reused"] == set(REUSABLE)


def test_every_row_of_every_part_is_counted(folder_builds):
    with duckdb.connect(str(folder_builds["folder"]), read_only=True) as con:
        raw_rows, reconciled = con.execute(
            "select raw_rows, is_reconciled from rpt_row_reconciliation where source_table = 'activities'").fetchone()
    assert (raw_rows, reconciled) == (folder_builds["rows"][2], True)


def test_folder_without_files_is_an_empty_table(tmp_path):
    raw = write_minimal_raw_dir(tmp_path / "raw")
    folder = folder_of(raw, "opportunities")
    (folder / "part-1.csv").unlink()
    db = tmp_path / "w.duckdb"
    build(raw, db, AS_OF)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from stg_opportunities").fetchone()[0] == 0
        assert con.execute("select count(*) from dim_leads").fetchone()[0] == 2


# It adds a part to the folder the module's tests read, and takes it away at its end.
def test_new_part_repeating_keys_restages_their_leads(folder_builds, tmp_path):
    """A third part with an exact copy of a validated row, a row without activity_id, a row of
    another lead taking an activity_id already validated (earlier, so it ranks first: the other
    row becomes duplicate_key) and a late row with a new activity_id: the leads of the first
    three are staged again whole, the last one's lead only appended to, and the incremental build
    equals a full refresh."""
    raw, db = folder_builds["raw"], folder_builds["folder"]
    with duckdb.connect(str(db), read_only=True) as con:
        usable = con.execute("""
            select activity_id, lead_id, activity_type, occurred_at from int_activities_validated
            where quarantine_reason is null and activity_type = 'page_view'
            qualify row_number() over (partition by lead_id order by activity_id) = 1
            order by lead_id limit 4""").fetchall()
    part1 = raw / "activities" / "load-1.parquet"
    (copied, _, _, _), (taken, _, _, taken_at), (_, other_lead, _, _), (_, late_lead, _, _) = usable
    with duckdb.connect() as con:
        con.execute(f"""copy (
            select activity_id, lead_id, activity_type, occurred_at, detail from read_parquet('{part1}')
            where trim(activity_id) = '{copied}'
            union all
            select null, '{other_lead}', 'page_view', '2026-10-01T10:00:00Z', 'no key'
            union all
            select '{taken}', '{other_lead}', 'page_view',
                strftime(timestamp '{taken_at}' - interval 1 minute, '%Y-%m-%dT%H:%M:%SZ'), 'taken'
            union all
            select 'a_new_late_one', '{late_lead}', 'page_view', '2026-02-01T10:00:00Z', 'late'
        ) to '{raw / "activities" / "load-3.parquet"}' (format parquet)""")
    build(raw, db, LAST_AS_OF)
    with duckdb.connect(str(db), read_only=True) as con:
        restaged = {row[0] for row in con.execute(
            "select lead_key from int_activity_leads_changed where is_restaged").fetchall()}
        appended = {row[0] for row in con.execute(
            "select lead_key from int_activity_leads_changed where is_changed and not is_restaged").fetchall()}
        moved = con.execute(f"""
            select quarantine_reason from int_activities_validated
            where activity_id = '{taken}' and detail is distinct from 'taken'""").fetchall()
    owner = next(row[1] for row in usable if row[0] == copied)
    taken_owner = next(row[1] for row in usable if row[0] == taken)
    assert {owner, other_lead, taken_owner} <= restaged
    assert late_lead in appended and late_lead not in restaged
    assert moved == [("duplicate_key",)]
    full_db = tmp_path / "full.duckdb"
    build(raw, full_db, LAST_AS_OF, "--full-refresh")
    assert compare_warehouses(db, full_db) == {}
    (raw / "activities" / "load-3.parquet").unlink()


# It changes the accounts file the module's later tests read (they compare with full refreshes).
def test_changed_accounts_file_builds_the_models_reading_it_again(folder_builds, tmp_path):
    """An account with leads moves to an industry no ICP rule matches: every model reading the
    accounts (their file has a new key) is built again, and the incremental build equals a full
    refresh (reused rows would keep the old fit)."""
    raw, db = folder_builds["raw"], folder_builds["folder"]
    with duckdb.connect(str(db), read_only=True) as con:
        account, fit_before = con.execute("""
            select leads.account_id, sum(fit.fit_score) from int_leads_validated as leads
            inner join int_leads_fit_scored as fit on leads.lead_id = fit.lead_id
            inner join stg_accounts as accounts on leads.account_id = accounts.account_id
            inner join stg_icp_rules as rules on rules.attribute = 'industry' and rules.match_value = accounts.industry
            where rules.points > 0
            group by all order by count(*) desc, 1 limit 1""").fetchone()
    path = raw / "accounts.csv"
    with path.open(newline="") as handle:
        text = handle.read()
    rows = list(csv.reader(io.StringIO(text)))
    column = rows[0].index("industry")
    for row in rows[1:]:
        if row[rows[0].index("account_id")].strip() == account:
            row[column] = "Nothing an ICP rule names"
    with path.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n" if text.split("\n")[0].endswith("\r") else "\n").writerows(rows)
    build(raw, db, LAST_AS_OF)
    assert reused_models(db) == set()
    with duckdb.connect(str(db), read_only=True) as con:
        fit_after = con.execute("""
            select sum(fit.fit_score) from int_leads_validated as leads
            inner join int_leads_fit_scored as fit on leads.lead_id = fit.lead_id
            where leads.account_id = ?""", [account]).fetchone()[0]
    assert fit_after < fit_before
    full_db = tmp_path / "full.duckdb"
    build(raw, full_db, LAST_AS_OF, "--full-refresh")
    assert compare_warehouses(db, full_db) == {}


def test_future_rows_keep_their_models_from_being_reused(bad_rows_raw_dir, tmp_path):
    """Rows quarantined as future_timestamp may become usable as the clock moves: a model whose
    inputs read the build's clock is built again while the previous build had such a row, even
    with nothing changed; the models it feeds then too (their input has a new fingerprint)."""
    db = tmp_path / "bad.duckdb"
    build(bad_rows_raw_dir, db, LAST_AS_OF, "--full-refresh")
    with duckdb.connect(str(db), read_only=True) as con:
        future = con.execute(
            "select count(*) from int_leads_validated where quarantine_reason = 'future_timestamp'").fetchone()[0]
    assert future > 0
    build(bad_rows_raw_dir, db, LAST_AS_OF)
    assert reused_models(db) == set()


# Last: it changes the folder the module's other tests read.
def test_rewritten_and_removed_parts_equal_a_full_refresh(folder_builds):
    """A part rewritten with an edited row (new size and time) and a part removed: the next
    incremental build reads the rewritten one again, drops the removed one's rows, and equals a
    full refresh of the folder as it is."""
    raw, work, folder_db = folder_builds["raw"], folder_builds["work"], folder_builds["folder"]
    parts = raw / "activities"
    (parts / "load-2.parquet").unlink()
    edited = work / "load-1-edited.parquet"
    with duckdb.connect() as con:
        con.execute(f"""copy (
            select * replace (case when row_number() over () = 7 then 'edited' else detail end as detail)
            from read_parquet('{parts / "load-1.parquet"}')
        ) to '{edited}' (format parquet)""")
    edited.replace(parts / "load-1.parquet")
    build(raw, folder_db, LAST_AS_OF)
    assert "load-1.parquet" in compiled_file_fingerprints(folder_db)
    full_db = work / "full-after-edit.duckdb"
    build(raw, full_db, LAST_AS_OF, "--full-refresh")
    assert compare_warehouses(folder_db, full_db) == {}
    with duckdb.connect(str(folder_db), read_only=True) as con:
        assert con.execute("select count(distinct file_key) from int_activity_raw_file_fingerprints").fetchone() == (1,)
        assert con.execute("select count(*) from int_activities_validated where detail = 'edited'").fetchone() == (1,)
