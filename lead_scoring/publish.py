"""Write-audit-publish for the DuckDB warehouse, and one build at a time.

A build writes into a hidden staging file beside the published one, runs every data test there,
and only then swaps it in with os.replace (atomic on one filesystem). Readers that opened the old
file keep reading it; new readers see the new one. A failed, interrupted or killed build leaves
the published file untouched. A lock file beside it (flock) lets only one build run per file.

The staging file has the same name in every build, `warehouse.duckdb`, in a hidden folder beside
the published file (`.<name>.building/`), and dbt runs in that folder: the DuckDB path dbt sees is
then the same for every warehouse, so dbt can keep its parse of the project from one build to the
next (it parses everything again when the connection's path changes).
"""

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from lead_scoring.errors import EXIT_BUSY, UserError
from lead_scoring.standby import take_standby

STAGING_NAME = "warehouse.duckdb"


def staging_path(db_path: Path) -> Path:
    """Where a build of db_path writes before it is published (same file system: atomic rename)."""
    return db_path.with_name(f".{db_path.name}.building") / STAGING_NAME


def _remove_staging(staging: Path) -> None:
    """The staging folder and everything in it (file, WAL, DuckDB's spill directory)."""
    folder = staging.parent
    if folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
    elif folder.exists():  # a staging *file* of this name (and its WAL), left by an older version
        folder.unlink()
    folder.with_name(folder.name + ".wal").unlink(missing_ok=True)


class BuildLock:
    """An exclusive, non-blocking flock on `<db>.lock`, held for the whole build.

    The lock's file descriptor is passed to the dbt child process, so the lock lasts as long as
    anything is still writing, even if this process is killed.
    """

    def __init__(self, db_path: Path):
        self.path = db_path.with_name(db_path.name + ".lock")
        self.fd: int | None = None

    def __enter__(self) -> "BuildLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise UserError(
                f"another build of {self.path.with_suffix('')} is running (pid {holder}); "
                "nothing was changed: try again when it has finished",
                exit_code=EXIT_BUSY,
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self.fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def prepare_staging(db_path: Path) -> Path:
    """A clean staging folder; the staging file in it is not there yet (dbt creates it, or
    copy_published copies the published warehouse to it for an incremental run)."""
    staging = staging_path(db_path)
    _remove_staging(staging)
    staging.parent.mkdir(parents=True)
    return staging


def copy_published(db_path: Path, staging: Path) -> None:
    """Make the staging file a copy of the published warehouse, where an incremental run starts
    from it: the standby copy made after the last publish when it is still a copy of the published
    file (lead_scoring.standby), else a copy made now. Runs while dbt starts
    (lead_scoring.dbt_launch); dbt must not have opened the file yet."""
    if staging.exists():
        raise UserError(f"{staging} was created before the published warehouse was copied to it; "
                        "nothing was published")
    if take_standby(db_path, staging):
        return
    if db_path.exists():
        shutil.copyfile(db_path, staging)


def discard_staging(db_path: Path) -> None:
    _remove_staging(staging_path(db_path))


def publish(staging: Path, db_path: Path) -> None:
    """Checkpoint the staging file (no WAL left behind) and atomically replace the published one.

    The replaced file is removed in the background: freeing a large file's blocks takes the file
    system about a second per 4 GB, which the build need not wait for. Before the swap it gets a
    second name (a hard link, `.<name>.previous`), so the swap only drops a name; a detached
    process then deletes that one (or the next publish, when it is still there)."""
    if not staging.exists():
        raise UserError(f"nothing to publish: {staging} was not written")
    with duckdb.connect(str(staging)) as con:
        con.execute("checkpoint")
    previous = previous_path(db_path)
    previous.unlink(missing_ok=True)
    try:
        os.link(db_path, previous)
    except OSError:  # nothing published yet, or no hard links here: the swap frees the old file
        previous = None
    os.replace(staging, db_path)
    db_path.with_name(db_path.name + ".wal").unlink(missing_ok=True)
    _remove_staging(staging)
    if previous is not None:
        remove_in_background(previous)


def previous_path(db_path: Path) -> Path:
    """The second name the replaced warehouse keeps until it is deleted in the background."""
    return db_path.with_name(f".{db_path.name}.previous")


def remove_in_background(path: Path) -> None:
    """Delete a file in a detached process (it outlives this one), or here when none can start."""
    try:
        subprocess.Popen([sys.executable, "-c", "import os, sys; os.unlink(sys.argv[1])", str(path)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    except OSError:
        path.unlink(missing_ok=True)
