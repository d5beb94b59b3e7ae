"""Find and check the raw files of a --raw-dir folder before dbt reads them in place."""

import csv
from pathlib import Path

from lead_scoring.contract import RAW_TABLES
from lead_scoring.errors import UserError


def _csv_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        first = next(csv.reader(handle), None)
    return [column.strip() for column in (first or [])]


def _parquet_columns(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    try:
        return list(pq.read_schema(path).names)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one line for the user
        raise UserError(f"{path}: not a readable Parquet file ({exc.__class__.__name__})") from exc


def discover_raw_files(raw_dir: Path) -> dict[str, dict]:
    """The dbt var raw_files for a folder: {table: {path, format, columns}}.

    A missing file, two files for one table or a missing required column raises UserError naming
    the file and column. A 0-byte file is an empty table (format 'empty').
    """
    if not raw_dir.is_dir():
        raise UserError(f"--raw-dir {raw_dir}: no such folder")
    raw_files = {}
    for table, columns in RAW_TABLES.items():
        candidates = [raw_dir / f"{table}.csv", raw_dir / f"{table}.parquet"]
        present = [path for path in candidates if path.is_file()]
        if not present:
            raise UserError(f"raw file missing: {candidates[0]} (or {candidates[1].name})")
        if len(present) > 1:
            raise UserError(f"{raw_dir}: both {table}.csv and {table}.parquet exist; keep one")
        path = present[0].resolve()
        if "'" in str(path):
            raise UserError(f"{path}: a raw file path may not contain a single quote")
        if path.stat().st_size == 0:
            raw_files[table] = {"path": str(path), "format": "empty", "columns": columns}
            continue
        file_format = path.suffix.lstrip(".")
        found = _csv_header(path) if file_format == "csv" else _parquet_columns(path)
        missing = [column for column in columns if column not in found]
        if missing:
            raise UserError(f"{path}: missing required column '{missing[0]}'")
        raw_files[table] = {"path": str(path), "format": file_format, "columns": columns}
    return raw_files
