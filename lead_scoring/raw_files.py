"""Find and check the raw files of a --raw-dir folder before dbt reads them in place."""

import csv
from pathlib import Path

from lead_scoring.contract import RAW_TABLES
from lead_scoring.errors import UserError

# Longest value a raw CSV field may hold (the dbt reader's max_line_size matches it).
MAX_FIELD_BYTES = 16 * 1024 * 1024


def _check_csv(path: Path) -> list[str]:
    """The header of a CSV file, after checking every line is UTF-8 and has as many fields as it.

    One pass in C (csv module); a bad line is a one-line error naming the file and line. Large
    data reads faster as Parquet, which needs no such scan.
    """
    csv.field_size_limit(MAX_FIELD_BYTES)
    with path.open(newline="", encoding="utf-8-sig", errors="strict") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None) or []
            width = len(header)
            for fields in reader:
                if len(fields) != width and fields:
                    raise UserError(f"{path} line {reader.line_num}: {len(fields)} fields where the header has "
                                    f"{width}; quote values that contain commas")
        except UnicodeDecodeError as exc:
            line = _line_of_byte(path, exc.start + _position_hint(handle, exc))
            raise UserError(f"{path} near line {line}: not valid UTF-8 (byte 0x{exc.object[exc.start]:02x}); "
                            "save the file as UTF-8") from None
        except csv.Error as exc:
            raise UserError(f"{path} line {reader.line_num}: not readable as CSV ({exc})") from None
    return [column.strip() for column in header]


def _position_hint(handle, exc: UnicodeDecodeError) -> int:
    """Byte offset in the file of the chunk the decoder failed in (best effort)."""
    try:
        return max(handle.buffer.tell() - len(exc.object), 0)
    except (OSError, ValueError):
        return 0


def _line_of_byte(path: Path, offset: int) -> int:
    with path.open("rb") as handle:
        return handle.read(offset).count(b"\n") + 1


def _parquet_columns(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    try:
        return list(pq.read_schema(path).names)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one line for the user
        raise UserError(f"{path}: not a readable Parquet file ({exc.__class__.__name__})") from exc


def _identity(path: Path) -> dict:
    """A raw file and what it is known again by in the next build: its path, size and modification
    time in nanoseconds (rsync's quick check). A file rewritten with other rows has another size
    or time; int_activity_raw_file_fingerprints reads a file again only when its key is new."""
    status = path.stat()
    return {"path": str(path), "key": f"{path}|{status.st_size}|{status.st_mtime_ns}"}


def _check_columns(path: Path, columns: list[str]) -> list[str]:
    """The columns of a raw .csv or .parquet file; stops with the first required one it lacks."""
    found = _check_csv(path) if path.suffix == ".csv" else _parquet_columns(path)
    missing = [column for column in columns if column not in found]
    if missing:
        raise UserError(f"{path}: missing required column '{missing[0]}'")
    return found


def _folder_files(folder: Path, columns: list[str]) -> dict:
    """The var entry of a raw table given as a folder of files (each a part of the table, read
    together): every file directly in it but hidden ones (names starting with '.' or '_', which
    Spark skips too), all .csv (with one header) or all .parquet, none of 0 bytes, each with the
    required columns. A folder without files is an empty table."""
    entries = sorted(entry for entry in folder.iterdir() if not entry.name.startswith((".", "_")))
    for entry in entries:
        if not entry.is_file():
            raise UserError(f"{entry}: a raw table's folder holds only files, which are read together; "
                            f"move the files of this subfolder into {folder}")
        if "'" in entry.name:
            raise UserError(f"{entry}: a raw file path may not contain a single quote")
        if entry.suffix not in (".csv", ".parquet"):
            raise UserError(f"{entry}: not a .csv or .parquet file; a raw table's folder holds only its data files")
        if entry.stat().st_size == 0:
            raise UserError(f"{entry}: an empty (0-byte) file in a raw table's folder; remove it "
                            "(a folder without files is an empty table)")
    formats = sorted({entry.suffix for entry in entries})
    if len(formats) > 1:
        raise UserError(f"{folder}: both .csv and .parquet files; a raw table's files are all of one format")
    if not entries:
        return {"path": str(folder), "format": "empty", "columns": columns}
    first_header = _check_columns(entries[0], columns)
    for entry in entries[1:]:
        header = _check_columns(entry, columns)
        # Parquet columns are matched by name on every engine; Spark matches a CSV file's by position.
        if entries[0].suffix == ".csv" and header != first_header:
            raise UserError(f"{entry}: its header differs from {entries[0].name}'s; the CSV files of a folder "
                            "share one header (same columns, same order)")
    return {"path": str(folder), "format": formats[0].lstrip("."), "columns": columns,
            "files": [str(entry) for entry in entries], "identities": [_identity(entry) for entry in entries]}


def discover_raw_files(raw_dir: Path) -> dict[str, dict]:
    """The dbt var raw_files for a folder: {table: {path, format, columns[, files][, identities]}}.

    Each table is one file, <table>.csv or <table>.parquet, or a folder <table>/ of files read
    together (a part per load, say; `files` lists them); `identities` lists each file's path and
    key (_identity). A missing table, two sources for one table or a missing required column
    raises UserError naming the file and column. A 0-byte file, or a folder without files, is an
    empty table (format 'empty').
    """
    if not raw_dir.is_dir():
        raise UserError(f"--raw-dir {raw_dir}: no such folder")
    raw_files = {}
    for table, columns in RAW_TABLES.items():
        candidates = [raw_dir / f"{table}.csv", raw_dir / f"{table}.parquet"]
        present = [path for path in candidates if path.is_file()]
        folder = raw_dir / table
        if not present and not folder.is_dir():
            raise UserError(f"raw file missing: {candidates[0]} (or {candidates[1].name}, or a folder {table}/ "
                            "of such files)")
        if len(present) > 1:
            raise UserError(f"{raw_dir}: both {table}.csv and {table}.parquet exist; keep one")
        if present and folder.is_dir():
            raise UserError(f"{raw_dir}: both {present[0].name} and a folder {table}/ exist; keep one")
        path = (present[0] if present else folder).resolve()
        if "'" in str(path):
            raise UserError(f"{path}: a raw file path may not contain a single quote")
        if not present:
            raw_files[table] = _folder_files(path, columns)
            continue
        if path.stat().st_size == 0:
            raw_files[table] = {"path": str(path), "format": "empty", "columns": columns}
            continue
        _check_columns(path, columns)
        raw_files[table] = {"path": str(path), "format": path.suffix.lstrip("."), "columns": columns,
                            "identities": [_identity(path)]}
    return raw_files
