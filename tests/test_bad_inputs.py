"""A corpus of bad raw inputs. Each case ends in a one-line error naming the file (and column or
line), or in a build where the bad rows are quarantined with a reason and every table reconciles:
raw rows = used + quarantined + exact duplicates. None ends in a stack trace.
"""

import csv
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import run_script
from test_build_script import assert_one_line_error, write_minimal_raw_dir

from lead_scoring.contract import RAW_TABLES

AS_OF = "2026-06-30T00:00:00Z"


def append_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("a", newline="") as handle:
        csv.writer(handle).writerows(rows)


def rename_header(path: Path, old: str, new: str) -> None:
    lines = path.read_text().splitlines()
    lines[0] = lines[0].replace(old, new)
    path.write_text("\n".join(lines) + "\n")


# --- Cases that must stop the build before dbt runs, with one line naming file and column/line.

def missing_file(raw: Path) -> None:
    (raw / "activities.csv").unlink()


def missing_column(raw: Path) -> None:
    rename_header(raw / "leads.csv", "created_at", "created")


def wrong_delimiter(raw: Path) -> None:
    path = raw / "accounts.csv"
    path.write_text(path.read_text().replace(",", ";"))


def non_utf8_bytes(raw: Path) -> None:
    with (raw / "activities.csv").open("ab") as handle:
        handle.write(b"x9,l1,page_view,2026-02-01T10:00:00Z,caf\xe9\n")


def ragged_line(raw: Path) -> None:
    append_rows(raw / "activities.csv", [["x9", "l1", "page_view", "2026-02-01T10:00:00Z", "a", "stray"]])


def csv_and_parquet(raw: Path) -> None:
    shutil.copy(raw / "leads.csv", raw / "leads.parquet")


def corrupt_parquet(raw: Path) -> None:
    (raw / "opportunities.csv").unlink()
    (raw / "opportunities.parquet").write_bytes(b"PAR1 this is not really parquet")


def write_part_as_parquet(source: Path, target: Path) -> None:
    with duckdb.connect() as con:
        con.execute(f"copy (select * from read_csv('{source}', header = true, all_varchar = true)) to '{target}' "
                    "(format parquet)")


def file_and_folder(raw: Path) -> None:
    (raw / "activities").mkdir()
    shutil.copy(raw / "activities.csv", raw / "activities" / "part-1.csv")


def folder_of(raw: Path, table: str = "activities") -> Path:
    """Move <table>.csv into a folder <table>/ as part-1.csv."""
    folder = raw / table
    folder.mkdir()
    (raw / f"{table}.csv").rename(folder / "part-1.csv")
    return folder


def mixed_formats(raw: Path) -> None:
    folder = folder_of(raw)
    write_part_as_parquet(folder / "part-1.csv", folder / "part-2.parquet")


def stray_file(raw: Path) -> None:
    (folder_of(raw) / "notes.txt").write_text("loaded by hand")


def subfolder(raw: Path) -> None:
    folder = folder_of(raw)
    (folder / "2026-02").mkdir()
    shutil.copy(folder / "part-1.csv", folder / "2026-02" / "part-2.csv")


def zero_byte_part(raw: Path) -> None:
    (folder_of(raw) / "part-2.csv").write_bytes(b"")


def header_differs(raw: Path) -> None:
    folder = folder_of(raw)
    lines = (folder / "part-1.csv").read_text().splitlines()
    (folder / "part-2.csv").write_text("lead_id,activity_id,activity_type,occurred_at,detail\n")
    assert lines[0].startswith("activity_id,lead_id")


def part_lacks_column(raw: Path) -> None:
    folder = folder_of(raw)
    (folder / "part-2.csv").write_text("activity_id,lead_id,activity_type,detail\nx9,l1,page_view,/\n")


FOLDER_CASES = [  # a raw table given as a folder of files (tests/test_raw_folders.py)
    (file_and_folder, ["activities.csv", "activities/", "keep one"]),
    (mixed_formats, ["activities", "both .csv and .parquet"]),
    (stray_file, ["notes.txt", "not a .csv or .parquet file"]),
    (subfolder, ["2026-02", "subfolder"]),
    (zero_byte_part, ["part-2.csv", "0-byte"]),
    (header_differs, ["part-2.csv", "header differs from part-1.csv"]),
    (part_lacks_column, ["part-2.csv", "occurred_at"]),
]


STOPPING_CASES = [
    (missing_file, ["raw file missing", "activities.csv"]),
    (missing_column, ["leads.csv", "created_at"]),
    (wrong_delimiter, ["accounts.csv", "missing required column"]),
    (non_utf8_bytes, ["activities.csv", "line 4", "UTF-8"]),
    (ragged_line, ["activities.csv", "line 4", "fields"]),
    (csv_and_parquet, ["leads.csv", "leads.parquet"]),
    (corrupt_parquet, ["opportunities.parquet", "Parquet"]),
    *FOLDER_CASES,
]


@pytest.mark.parametrize("mutate, fragments", STOPPING_CASES, ids=[c[0].__name__ for c in STOPPING_CASES])
def test_bad_file_stops_the_build_with_one_line(tmp_path, mutate, fragments):
    raw = write_minimal_raw_dir(tmp_path / "raw")
    mutate(raw)
    db = tmp_path / "w.duckdb"
    result = run_script("build.py", "--raw-dir", str(raw), "--db", str(db), "--as-of", AS_OF)
    assert_one_line_error(result, *fragments)
    assert not db.exists()


# --- File-format cases that must build.

@pytest.fixture(scope="module")
def odd_formats_build(tmp_path_factory):
    """BOM, CRLF line ends, header-only and 0-byte files, an extra column, a 1 MB job title."""
    folder = tmp_path_factory.mktemp("formats")
    raw = write_minimal_raw_dir(folder / "raw")
    leads = raw / "leads.csv"
    leads.write_bytes(b"\xef\xbb\xbf" + leads.read_bytes())  # UTF-8 byte order mark
    append_rows(leads, [["l3", "cy@acme.com", "Cy", "Lo", "Director " + "x" * 1_000_000, "a1", "event", "US",
                         "2026-01-03T00:00:00Z"]])
    activities = raw / "activities.csv"
    activities.write_bytes(activities.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))  # CRLF
    (raw / "opportunities.csv").write_text(",".join(RAW_TABLES["opportunities"]) + "\n")  # header only
    (raw / "sales_dispositions.csv").write_bytes(b"")  # 0 bytes
    rename_header(raw / "accounts.csv", "country", "country,crm_owner")
    lines = (raw / "accounts.csv").read_text().splitlines()
    (raw / "accounts.csv").write_text("\n".join([lines[0]] + [line + ",sam" for line in lines[1:]]) + "\n")
    db = folder / "w.duckdb"
    # Seeds and models only: these rows are all valid, and the test checks what the files' format
    # could break (reconciliation, the first column, the long title, timestamps).
    result = run_script("build.py", "--raw-dir", str(raw), "--db", str(db), "--as-of", AS_OF, "--quiet",
                        "--skip-tests")
    return result, db


def fetch(db: Path, sql: str, params: list | None = None):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_odd_formats_build_and_reconcile(odd_formats_build):
    result, db = odd_formats_build
    assert result.returncode == 0, result.stdout
    assert "Traceback" not in result.stdout
    assert fetch(db, "select bool_and(is_reconciled), sum(quarantined_rows) from rpt_row_reconciliation") == [
        (True, 0)]
    # BOM: the first column is still lead_id; the 1 MB title still classifies.
    assert fetch(db, "select lead_id, job_seniority, length(job_title) > 1000000 from dim_leads "
                     "where lead_id = 'l3'") == [("l3", "director", True)]
    # CRLF: timestamps parse (no stray carriage return in the last column).
    assert fetch(db, "select count(*) from fct_lead_score_history") == [(2,)]
    assert fetch(db, "select count(*) from fct_lifecycle_events where source <> 'leads'") == [(1,)]


# --- Row-level cases: one build of a folder holding every one of them.

BAD_ROWS = {
    "accounts.csv": [
        ["a_text", "Typo Inc", "typo.com", "software", "lots", "1000", "US"],        # wrong type
        ["a_neg", "Neg Inc", "neg.com", "software", "-5", "1000", "US"],             # negative count
        ["a_huge", "Huge Inc", "huge.com", "software", "99999999999", "1000", "US"],  # absurd count
        ["", "Nokey Inc", "nokey.com", "software", "10", "1000", "US"],              # null key
    ],
    "leads.csv": [
        ["l1", "other@acme.com", "Dup", "Key", "CEO", "a1", "event", "US", "2026-03-01T00:00:00Z"],  # duplicate key
        ["l_orphan", "o@x.com", "O", "R", "CEO", "a_missing", "event", "US", "2026-01-01T00:00:00Z"],  # orphan acct
        ["l_when", "w@acme.com", "W", "N", "CEO", "a1", "event", "US", "31/12/2025"],               # bad timestamp
        ["l_future", "f@acme.com", "F", "T", "CEO", "a1", "event", "US", "2099-01-01T00:00:00Z"],    # future
    ],
    "activities.csv": [
        ["x1", "l1", "demo_request", "2026-02-01T10:00:00Z", "/demo"],          # exact duplicate row
        ["x_orphan", "l_nobody", "page_view", "2026-02-01T10:00:00Z", "/"],    # orphan lead
        ["", "l1", "page_view", "2026-02-01T10:00:00Z", "/"],                  # null key
        ["x_null_lead", "", "page_view", "2026-02-01T10:00:00Z", "/"],         # null lead
        ["x_bad_ts", "l1", "page_view", "2026-13-45T10:00:00Z", "/"],          # unparseable
        ["x_future", "l1", "page_view", "2099-02-01T10:00:00Z", "/"],          # future
        ["x_chat", "l1", "chat_started", "2026-02-02T10:00:00Z", "/"],         # unknown type: kept
    ],
    "sales_dispositions.csv": [
        ["d_maybe", "l1", "maybe", "2026-02-02T00:00:00Z", ""],               # unknown disposition
        ["d_orphan", "l_nobody", "accepted", "2026-02-02T00:00:00Z", ""],      # orphan lead
    ],
    "opportunities.csv": [
        ["o_bool", "l1", "a1", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "perhaps", "100"],  # bad boolean
        ["o_amount", "l1", "a1", "2026-03-01T00:00:00Z", "", "", "n/a"],                            # bad number
    ],
}

EXPECTED_QUARANTINE = [
    ("accounts", "a_text", "invalid_number"),
    ("accounts", "a_neg", "invalid_number"),
    ("accounts", "a_huge", "invalid_number"),
    ("accounts", None, "missing_key"),
    ("leads", "l1", "duplicate_key"),
    ("leads", "l_orphan", "orphan_account_id"),
    ("leads", "l_when", "unparseable_timestamp"),
    ("leads", "l_future", "future_timestamp"),
    ("activities", "x_orphan", "orphan_lead_id"),
    ("activities", None, "missing_key"),
    ("activities", "x_null_lead", "missing_lead_id"),
    ("activities", "x_bad_ts", "unparseable_timestamp"),
    ("activities", "x_future", "future_timestamp"),
    ("sales_dispositions", "d_maybe", "unknown_disposition"),
    ("sales_dispositions", "d_orphan", "orphan_lead_id"),
    ("opportunities", "o_bool", "invalid_boolean"),
    ("opportunities", "o_amount", "invalid_number"),
]


@pytest.fixture(scope="module")
def bad_rows_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rows")
    raw = write_minimal_raw_dir(folder / "raw")
    for file_name, rows in BAD_ROWS.items():
        append_rows(raw / file_name, rows)
    db = folder / "w.duckdb"
    # Seeds and models only: every dbt test runs on the generated bad rows (every kind of them) in
    # test_oracle_parity.py::test_quarantine_and_reconciliation_match_the_oracle.
    result = run_script("build.py", "--raw-dir", str(raw), "--db", str(db), "--as-of", AS_OF, "--quiet",
                        "--skip-tests")
    assert result.returncode == 0, result.stdout
    return db


@pytest.mark.parametrize("table, key, reason", EXPECTED_QUARANTINE,
                         ids=[f"{t}-{k}-{r}" for t, k, r in EXPECTED_QUARANTINE])
def test_bad_row_is_quarantined_with_its_reason(bad_rows_build, table, key, reason):
    rows = fetch(bad_rows_build, "select quarantine_reason from rpt_quarantined_rows "
                                 "where source_table = ? and record_key is not distinct from ?", [table, key])
    assert rows == [(reason,)]


def test_bad_rows_reconcile_exactly(bad_rows_build):
    counts = {row[0]: row[1:] for row in fetch(
        bad_rows_build, "select source_table, raw_rows, used_rows, quarantined_rows, exact_duplicate_rows, "
                        "is_reconciled from rpt_row_reconciliation")}
    expected_quarantined = {}
    for table, _, _ in EXPECTED_QUARANTINE:
        expected_quarantined[table] = expected_quarantined.get(table, 0) + 1
    for table, (raw_rows, used, quarantined, duplicates, reconciled) in counts.items():
        assert reconciled and raw_rows == used + quarantined + duplicates, table
        assert quarantined == expected_quarantined.get(table, 0), table
    assert counts["activities"][3] == 1, "the exact duplicate row is counted, not quarantined"


def test_unknown_activity_type_is_kept_unscored(bad_rows_build):
    assert fetch(bad_rows_build, "select is_scored from int_activities_episoded where activity_id = 'x_chat'") == [
        (False,)]
    assert fetch(bad_rows_build, "select count(*) from fct_lead_score_history where activity_id = 'x_chat'") == [(0,)]
