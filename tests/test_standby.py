"""The standby copy (lead_scoring.standby): the next incremental build's staging file, copied after a
publish. It is used only while it is a byte copy of the published file as it is; anything else
is removed and the build copies as before."""

import os

import duckdb
import pytest

from lead_scoring import standby
from lead_scoring.publish import copy_published, prepare_staging


@pytest.fixture
def published(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create table dim_leads as select range as lead_id from range(50000)")
    return db


def leads(db) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select count(*) from dim_leads").fetchone()[0]


def test_a_standby_copy_becomes_the_staging_file(published):
    assert standby.make_standby(published)
    copy = standby.standby_path(published)
    assert copy.read_bytes() == published.read_bytes()
    inode = copy.stat().st_ino
    staging = prepare_staging(published)
    copy_published(published, staging)
    assert staging.stat().st_ino == inode, "the standby file was renamed, not copied again"
    assert not copy.exists() and not standby.record_path(published).exists()
    assert leads(staging) == 50000


def test_a_standby_of_an_older_file_is_removed_and_the_published_file_copied(published):
    assert standby.make_standby(published)
    with duckdb.connect(str(published)) as con:  # written after the copy: size or mtime change
        con.execute("insert into dim_leads select range from range(50000, 60000)")
        con.execute("checkpoint")
    staging = prepare_staging(published)
    copy_published(published, staging)
    assert not standby.standby_path(published).exists()
    assert leads(staging) == 60000


@pytest.mark.parametrize("damage", ["no record", "record of another file", "truncated copy"])
def test_a_damaged_standby_is_never_used(published, damage):
    assert standby.make_standby(published)
    record, copy = standby.record_path(published), standby.standby_path(published)
    if damage == "no record":
        record.unlink()
    elif damage == "record of another file":
        record.write_text(record.read_text().replace('"inode": ', '"inode": 1'))
    else:
        with copy.open("r+b") as handle:
            handle.truncate(copy.stat().st_size // 2)
    assert not standby.take_standby(published, prepare_staging(published))
    assert not copy.exists() and not record.exists()


def test_the_background_process_makes_it_and_a_waiter_sees_it_done(published):
    standby.start_standby(published)
    record = standby.wait_for_standby(published)
    assert record is not None and record["size"] == published.stat().st_size and record["seconds"] >= 0
    assert standby.standby_path(published).read_bytes() == published.read_bytes()


def test_turned_off_it_makes_none_and_removes_an_old_one(published, monkeypatch):
    assert standby.make_standby(published)
    monkeypatch.setenv(standby.STANDBY_ENV, "off")
    standby.start_standby(published)
    assert standby.wait_for_standby(published) is None
    assert not standby.standby_path(published).exists()
    assert not any(path.name.endswith(".tmp") for path in published.parent.iterdir())


def test_without_a_published_file_it_fails_cleanly(tmp_path):
    missing = tmp_path / "missing.duckdb"
    assert not standby.make_standby(missing)
    assert not standby.standby_path(missing).exists()
    assert os.listdir(tmp_path) == [standby.lock_path(missing).name]
