"""Write-audit-publish and the build lock: the published warehouse is only ever replaced whole.

Publishing does not depend on which dbt nodes a build runs, so most builds here are seeds and models
only (`--skip-tests`, ~12 s instead of ~40 s). The builds that are killed run every dbt test, so they
are killed well before they could finish; the one whose data test fails runs that test alone.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest
from conftest import PROJECT_DIR, run_script
from test_build_script import write_minimal_raw_dir

from lead_scoring import standby
from lead_scoring.publish import previous_path, staging_path

AS_OF_BEFORE = "2026-06-30T00:00:00Z"
AS_OF_AFTER = "2026-01-15T00:00:00Z"  # fewer leads exist then: a visibly different warehouse
DASHBOARD_QUERY = "select count(*), sum(mql_count), min(scored_as_of) from dim_leads"


def answers(db) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(DASHBOARD_QUERY).fetchone()


def file_identity(db) -> tuple[int, str]:
    """The published file's inode (a publish replaces it) and a hash of its bytes (any write changes it)."""
    return db.stat().st_ino, hashlib.sha256(db.read_bytes()).hexdigest()


def build(raw, db, as_of, *extra) -> subprocess.CompletedProcess:
    """A build of raw into db, seeds and models only (what is published does not depend on dbt's tests)."""
    return run_script("build.py", "--raw-dir", str(raw), "--db", str(db), "--as-of", as_of, "--quiet",
                      "--skip-tests", *extra)


def start_build(raw, db, as_of, *extra) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(PROJECT_DIR / "scripts" / "build.py"), "--raw-dir", str(raw), "--db", str(db),
         "--as-of", as_of, "--quiet", *extra],
        cwd=PROJECT_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def wait_for(predicate, timeout=120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def process_group_gone(group_id: int) -> bool:
    try:
        os.killpg(group_id, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A raw folder and a warehouse published from it (as of AS_OF_BEFORE)."""
    folder = tmp_path_factory.mktemp("wap")
    raw = write_minimal_raw_dir(folder / "raw")
    db = folder / "warehouse.duckdb"
    result = build(raw, db, AS_OF_BEFORE)
    assert result.returncode == 0, result.stdout
    return raw, db, answers(db)


@pytest.mark.parametrize("kill_signal", [signal.SIGTERM, signal.SIGKILL])
def test_killed_build_leaves_published_file_answering_as_before(published, kill_signal):
    raw, db, before = published
    published_file = file_identity(db)
    # As of the published warehouse's own as_of (the same dbt vars, so dbt reuses its parse of the
    # project), with every dbt test: a long build, killed early in it. The answers could not tell a
    # replaced file from this one; its inode and bytes can.
    killed = start_build(raw, db, AS_OF_BEFORE)
    wait_for(lambda: staging_path(db).exists())
    time.sleep(3)  # dbt is now writing models into the staging file
    os.killpg(killed.pid, kill_signal)  # the whole process group: build.py and dbt, like a crash
    killed.wait(timeout=60)
    assert killed.returncode != 0
    # build.py is gone; dbt, killed with it, may still be exiting, and holds the build lock until it
    # has (a build started now would rightly exit 3, "another build is running").
    wait_for(lambda: process_group_gone(killed.pid))
    assert file_identity(db) == published_file, "the published file was replaced or written to"
    assert answers(db) == before
    if kill_signal == signal.SIGTERM:
        assert not staging_path(db).exists(), "a graceful stop cleans its staging file"
    # The next build starts clean and publishes.
    result = build(raw, db, AS_OF_BEFORE)
    assert result.returncode == 0, result.stdout
    assert db.stat().st_ino != published_file[0], "the next build published a new file"
    assert answers(db) == before


def test_failing_data_test_leaves_published_file_untouched(published, project_copy):
    raw, db, before = published
    # In this copy of the project every other data and unit test is off (the copy's dbt_project.yml),
    # so the build is its models and this one test: publishing depends on the test failing, not on
    # how many others passed.
    with (project_copy / "dbt_project.yml").open("a") as config:
        config.write("\ndata_tests:\n  +enabled: false\nunit_tests:\n  +enabled: false\n")
    (project_copy / "tests" / "dbt" / "assert_always_fails.sql").write_text(
        "{{ config(enabled=true) }}\n"
        "-- a data test that fails, to prove a failed audit publishes nothing\nselect 1 as failure\n")
    published_file = file_identity(db)
    result = run_script("build.py", "--raw-dir", str(raw), "--db", str(db), "--as-of", AS_OF_AFTER, "--quiet",
                        cwd=project_copy)
    assert result.returncode == 1, result.stdout
    assert "not published" in result.stdout and "assert_always_fails" in result.stdout
    assert file_identity(db) == published_file
    assert answers(db) == before
    assert not staging_path(db).exists()


def test_reader_during_build_is_not_blocked_and_sees_old_data_until_publish(published, tmp_path):
    raw, published_db, before = published
    db = tmp_path / published_db.name  # a copy: the module's warehouse stays as it is for the other tests
    shutil.copyfile(published_db, db)
    old_inode = db.stat().st_ino
    reader = duckdb.connect(str(db), read_only=True)
    try:
        result = build(raw, db, AS_OF_AFTER)
        assert result.returncode == 0, result.stdout
        assert reader.execute(DASHBOARD_QUERY).fetchone() == before, "an open reader keeps its snapshot"
    finally:
        reader.close()
    after = answers(db)
    assert after != before, "a new reader sees the new warehouse"
    assert after[2].isoformat().startswith("2026-01-15")
    # The replaced file kept a second name for the swap, deleted by a detached process after it.
    assert db.stat().st_ino != old_inode
    wait_for(lambda: not previous_path(db).exists(), timeout=30)


def test_incremental_build_starts_from_the_standby_copy_and_leaves_the_next(published, tmp_path):
    raw, published_db, before = published
    db = tmp_path / published_db.name  # a copy: the module's warehouse stays as it is for the other tests
    shutil.copyfile(published_db, db)
    assert standby.make_standby(db)  # what the background process does after a publish
    copy_inode = standby.standby_path(db).stat().st_ino
    result = build(raw, db, AS_OF_BEFORE)
    assert result.returncode == 0, result.stdout
    # The standby file became the staging file (a rename keeps the inode), which was published.
    assert db.stat().st_ino == copy_inode
    assert answers(db) == before
    record = standby.wait_for_standby(db)  # the build started the copy for the next one
    assert record is not None and record["inode"] == copy_inode
    assert standby.standby_path(db).read_bytes() == db.read_bytes()


def test_second_concurrent_build_is_refused_with_its_own_exit_code(published):
    raw, db, before = published
    first = start_build(raw, db, AS_OF_BEFORE, "--skip-tests")
    # The first build holds the lock (its pid is in the lock file) from before dbt parses the
    # project until it has published: several seconds, even for seeds and models only.
    lock_file = db.with_name(db.name + ".lock")
    wait_for(lambda: lock_file.exists() and lock_file.read_text().strip() == str(first.pid))
    second = build(raw, db, AS_OF_AFTER)
    assert second.returncode == 3, second.stdout
    error_lines = [line for line in second.stdout.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1 and "another build" in error_lines[0], second.stdout
    output, _ = first.communicate(timeout=300)
    assert first.returncode == 0, output
    assert answers(db) == before


def test_rebuild_gives_byte_identical_mart_contents(published):
    raw, db, _ = published
    marts = ["dim_leads", "fct_lead_score_history", "fct_lifecycle_events", "rpt_quarantined_rows"]

    def content_hashes():
        with duckdb.connect(str(db), read_only=True) as con:
            return {mart: con.execute(
                f"select md5(string_agg(cast(t as varchar), '\\n' order by cast(t as varchar))) from {mart} as t"
            ).fetchone()[0] for mart in marts}

    first = content_hashes()
    assert build(raw, db, AS_OF_BEFORE).returncode == 0
    assert content_hashes() == first


@pytest.fixture(scope="session")
def duckdb_1_4_path(tmp_path_factory):
    """A throwaway folder with DuckDB 1.4, the storage version BI tools still embed (pip --target:
    first on PYTHONPATH, it comes before this environment's DuckDB; no virtualenv to create)."""
    folder = tmp_path_factory.mktemp("duckdb14") / "site"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              "--target", str(folder), "duckdb==1.4.4"], capture_output=True, text=True)
    assert install.returncode == 0, install.stdout + install.stderr
    return folder


def test_published_file_is_readable_by_duckdb_1_4(published, duckdb_1_4_path):
    _, db, before = published
    script = ("import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
              "print(duckdb.__version__, con.execute(sys.argv[2]).fetchall())")
    result = subprocess.run([sys.executable, "-c", script, str(db), DASHBOARD_QUERY], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(duckdb_1_4_path)})
    assert result.returncode == 0, result.stderr
    version, _, rows = result.stdout.strip().partition(" ")
    assert version.startswith("1.4.")
    assert rows.startswith(f"[({before[0]}, {before[1]}, "), rows
