"""Generated warehouses for the funnel, metric-check, report and scheduled-run tests.

Each warehouse is built once per pytest session (~25 s each, every dbt data test included), by running
scripts/scheduled_run.py as cron would, and shared by every test file through the module-level
cache below: a test file asks for one with its own session fixture. Under pytest-xdist the test
files that use them run on one worker (SHARED_WAREHOUSE_SCOPES in conftest.py), so that cache is
the only copy.

- base: a generated raw folder (6,000 leads, edge cases, fixed seed), scored as of AS_OF.
- drop: the same folder with every `qualified` disposition removed for the leads whose first MQL
  falls in the latest mature cohort month: that cohort's MQL -> SQL conversion collapses.
"""

import csv
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
from conftest import generate, run_script

AS_OF = "2026-11-01T00:00:00Z"
# With the default 90-day window, the latest mature cohort at AS_OF is July 2026: it ended on
# August 1, and August 1 + 90 days = October 30 <= November 1.
LATEST_MATURE = date(2026, 7, 1)
LEADS = "6000"
SEED = "5"


@dataclass
class Warehouse:
    raw_dir: Path
    db: Path
    out: Path
    run: subprocess.CompletedProcess

    @property
    def output(self) -> str:
        return self.run.stdout + self.run.stderr

    def query(self, sql: str, *params) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(sql, params).fetchall()

    def dicts(self, sql: str) -> list[dict]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            cursor = con.execute(sql)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


_CACHE: dict[str, Warehouse] = {}


def scheduled_build(raw_dir: Path, folder: Path) -> Warehouse:
    db, out = folder / "warehouse.duckdb", folder / "out"
    run = run_script("scheduled_run.py", "--raw-dir", str(raw_dir), "--as-of", AS_OF, "--db", str(db),
                     "--out", str(out), timeout=900)
    return Warehouse(raw_dir, db, out, run)


def base_warehouse(tmp_path_factory) -> Warehouse:
    if "base" not in _CACHE:
        folder = tmp_path_factory.mktemp("funnel-base")
        raw = generate(folder / "raw", "--leads", LEADS, "--seed", SEED, "--edge-cases")
        _CACHE["base"] = scheduled_build(raw, folder)
    return _CACHE["base"]


def inject_sql_drop(source: Path, target: Path, lead_ids: set[str]) -> int:
    """Copy a raw folder, dropping `qualified` dispositions of the given leads; returns rows dropped."""
    shutil.copytree(source, target)
    path = target / "sales_dispositions.csv"
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    lead, disposition = header.index("lead_id"), header.index("disposition")
    kept = [row for row in body
            if not (row[lead].strip() in lead_ids and row[disposition].strip().lower() == "qualified")]
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows([header, *kept])
    return len(body) - len(kept)


def drop_warehouse(tmp_path_factory) -> Warehouse:
    if "drop" not in _CACHE:
        base = base_warehouse(tmp_path_factory)
        assert base.run.returncode == 0, base.output
        cohort_leads = {lead_id for (lead_id,) in base.query(
            "select lead_id from dim_leads where first_mql_at >= ? and first_mql_at < ?",
            LATEST_MATURE, date(LATEST_MATURE.year, LATEST_MATURE.month + 1, 1))}
        folder = tmp_path_factory.mktemp("funnel-drop")
        dropped = inject_sql_drop(base.raw_dir, folder / "raw", cohort_leads)
        assert dropped > 0, "the latest mature cohort had no qualified disposition to remove"
        _CACHE["drop"] = scheduled_build(folder / "raw", folder)
    return _CACHE["drop"]
