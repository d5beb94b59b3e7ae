"""The standby copy: the next incremental build's staging file, copied ahead of time.

An incremental build starts from a copy of the published warehouse (write-audit-publish,
lead_scoring.publish). At 1M leads the file is about 4 GB; copied at the start of the build, beside
dbt's start-up, it cost an incremental run 1-3 s (docs/decisions.md, "The standby copy"). So once a
build has published, a detached process (`python -m lead_scoring.standby`) copies the published
file to a hidden standby file beside it, `.<name>.standby`, flushes it to disk, and records what
it copied (inode, size and modification time of the published file) in `.<name>.standby.json`.
The next incremental build renames the standby file into its staging folder instead of copying,
if it is a copy of the published file as it is then; otherwise (the file changed since, or the
copy failed) it removes it and copies as before. A build waits for a standby copy that is still
running (flock on `.<name>.standby.lock`) rather than copy beside it.

LEAD_SCORING_STANDBY=off turns it off (the file costs the warehouse's size again on disk).
"""

import argparse
import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

STANDBY_ENV = "LEAD_SCORING_STANDBY"
OFF_VALUES = {"0", "off", "false", "no"}


def standby_enabled() -> bool:
    return os.environ.get(STANDBY_ENV, "on").strip().lower() not in OFF_VALUES


def standby_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.standby")


def record_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.standby.json")


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.standby.lock")


def file_identity(stat: os.stat_result) -> dict:
    """What changes when a file is replaced or written: its inode, size and modification time."""
    return {"inode": stat.st_ino, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _lock(db_path: Path, blocking: bool) -> int | None:
    """An exclusive flock on the standby lock file: its descriptor, or None when another process
    holds it and `blocking` is false."""
    fd = os.open(lock_path(db_path), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def discard_standby(db_path: Path) -> None:
    for path in (record_path(db_path), standby_path(db_path), standby_path(db_path).with_name(
            standby_path(db_path).name + ".tmp")):
        path.unlink(missing_ok=True)


def start_standby(db_path: Path) -> None:
    """Start the standby copy of the just-published db_path in a detached process, unless turned
    off. The lock is taken here and handed to the process, so that a build or wait_for_standby()
    that comes right after finds the copy under way (when an earlier copy still holds it, the
    process waits for it instead)."""
    if not standby_enabled():
        discard_standby(db_path)
        return
    fd = _lock(db_path, blocking=False)
    command = [sys.executable, "-m", "lead_scoring.standby", str(db_path)]
    if fd is not None:
        command += ["--lock-fd", str(fd)]
    project = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [project, os.environ.get("PYTHONPATH")]))}
    try:
        subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, pass_fds=() if fd is None else (fd,), env=env)
    finally:
        if fd is not None:
            os.close(fd)  # the child holds the lock now


def make_standby(db_path: Path, lock_fd: int | None = None) -> bool:
    """Copy db_path to the standby file and record what was copied; False when it could not."""
    fd = lock_fd if lock_fd is not None else _lock(db_path, blocking=True)
    started = time.monotonic()
    standby = standby_path(db_path)
    partial = standby.with_name(standby.name + ".tmp")
    try:
        record_path(db_path).unlink(missing_ok=True)
        standby.unlink(missing_ok=True)
        with open(db_path, "rb") as source, open(partial, "wb") as target:
            identity = file_identity(os.fstat(source.fileno()))
            offset, size = 0, identity["size"]
            while offset < size:
                sent = os.sendfile(target.fileno(), source.fileno(), offset, min(size - offset, 1 << 30))
                if sent == 0:
                    break
                offset += sent
            os.fsync(target.fileno())
        os.replace(partial, standby)
        record = {**identity, "seconds": round(time.monotonic() - started, 3)}
        record_tmp = record_path(db_path).with_name(record_path(db_path).name + ".tmp")
        record_tmp.write_text(json.dumps(record))
        os.replace(record_tmp, record_path(db_path))
        return True
    except OSError:
        discard_standby(db_path)
        return False
    finally:
        os.close(fd)


def take_standby(db_path: Path, staging: Path) -> bool:
    """Move the standby file to `staging` when it is a copy of db_path as it is now (waiting for
    a copy under way); otherwise remove it. True when staging was made from it."""
    if not lock_path(db_path).exists():
        return False
    fd = _lock(db_path, blocking=True)
    try:
        try:
            record = json.loads(record_path(db_path).read_text())
            current = file_identity(os.stat(db_path))
            copied = os.stat(standby_path(db_path)).st_size
        except (OSError, ValueError):
            discard_standby(db_path)
            return False
        if {key: record.get(key) for key in current} != current or copied != current["size"]:
            discard_standby(db_path)
            return False
        os.replace(standby_path(db_path), staging)
        record_path(db_path).unlink(missing_ok=True)
        return True
    finally:
        os.close(fd)


def wait_for_standby(db_path: Path) -> dict | None:
    """Wait until no standby copy of db_path is under way; what the standby copy recorded (with
    its seconds), or None when there is none."""
    if not lock_path(db_path).exists():
        return None
    os.close(_lock(db_path, blocking=True))
    try:
        return json.loads(record_path(db_path).read_text())
    except (OSError, ValueError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Copy a published warehouse to its standby file.")
    parser.add_argument("db", type=Path)
    parser.add_argument("--lock-fd", type=int, default=None, help="an inherited descriptor holding the lock")
    args = parser.parse_args(argv)
    return 0 if make_standby(args.db.resolve(), args.lock_fd) else 1


if __name__ == "__main__":
    sys.exit(main())
