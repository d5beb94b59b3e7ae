"""Are two DuckDB warehouses the same? Every table and view, row for row.

Used to show that any sequence of incremental builds equals a full refresh (tests and
`scripts/benchmark.py --verify`). Scores are floating-point running sums: an incremental run adds
the same terms in a different grouping, so doubles are compared to 1e-9 (relative above 1); every
other column must be equal. Tables with a known key are compared by key, the rest as multisets.
A view with the same SQL in both is not compared (`_same_view`): the relations it reads are.
"""

import re
from pathlib import Path

import duckdb

KEYS = {
    "dim_leads": ["lead_id"],
    "fct_lead_score_history": ["activity_id"],
    "int_activities_scored": ["activity_id"],
    "int_activities_episoded": ["activity_id"],
    "int_episode_scores_at_as_of": ["lead_id", "episode"],
    "int_episode_last_rows": ["lead_id", "episode"],
}
# Bookkeeping of the incremental build itself: it differs by design (actions, previous as_of).
NOT_COMPARED = ("int_lead_rescore_plan", "int_activity_raw_file_fingerprints", "int_activity_raw_fingerprints",
                "int_activity_leads_changed", "int_activities_raw_changed")
# Columns of the same bookkeeping: which run wrote the row (written_by, an invocation_id) and what a
# model kept when nothing changed was built from (inputs_fingerprint, macro reuse_plan).
NOT_COMPARED_COLUMNS = ("written_by", "inputs_fingerprint")
FLOATING = ("DOUBLE", "FLOAT", "REAL")
TOLERANCE = 1e-9


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    rows = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = 'a' and table_schema = 'main' and table_name = ? order by ordinal_position",
        [table]).fetchall()
    return {column: data_type for column, data_type in rows if column not in NOT_COMPARED_COLUMNS}


def _close(x: str, y: str) -> str:
    """SQL: doubles x and y equal to TOLERANCE (relative above 1), or both null."""
    return f"coalesce(abs({x} - {y}) <= {TOLERANCE} * greatest(1.0, abs({x})), false) or ({x} is null and {y} is null)"


def _differences_by_key(con, table: str, columns: dict[str, str], key: list[str]) -> int:
    checks = []
    for column, data_type in columns.items():
        if column in key:
            continue
        x, y = f'x."{column}"', f'y."{column}"'
        if data_type in FLOATING:
            checks.append(f"not ({_close(x, y)})")
        elif data_type.endswith("[]") and data_type[:-2] in FLOATING:
            # An array of doubles (the carried sums of int_activities_scored): element by element.
            elements = f"list_transform(range(1, len({x}) + 1), lambda i: ({_close(f'{x}[i]', f'{y}[i]')}))"
            checks.append(f"not coalesce(({x} is null and {y} is null) or (len({x}) = len({y}) and "
                          f"(len({x}) = 0 or list_bool_and({elements}))), false)")
        else:
            checks.append(f"{x} is distinct from {y}")
    joined = " and ".join(f'x."{k}" = y."{k}"' for k in key)
    missing = " or ".join([f'x."{key[0]}" is null', f'y."{key[0]}" is null', *checks])
    return con.execute(f'select count(*) from a.main."{table}" as x full join b.main."{table}" as y '
                       f"on {joined} where {missing}").fetchone()[0]


def _differences_as_multisets(con, table: str, columns: dict[str, str]) -> int:
    """Rows in one and not the other, duplicates counted (what `except all` both ways counts), from
    one aggregate over both tables' rows: a quarter of the CPU of the two `except all`."""
    # Doubles rounded to 9 decimals: fine for the small aggregate tables this is used for.
    select = ", ".join(f'round("{c}", 9) as "{c}"' if t in FLOATING else f'"{c}"' for c, t in columns.items())
    names = ", ".join(f'"{c}"' for c in columns)
    return con.execute(f"""
        select coalesce(sum(abs(surplus)), 0) from (
            select sum(side) as surplus from (
                select {select}, 1 as side from a.main."{table}"
                union all
                select {select}, -1 as side from b.main."{table}"
            ) group by {names} having sum(side) <> 0
        )""").fetchone()[0]


# The build's clock as macro build_clock_timestamp writes it into a view (microseconds): each
# build's own, so two builds of the same views differ in it.
BUILD_CLOCK = re.compile(r"CAST\('\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}' AS TIMESTAMP(_US)?\)")


def _view_definitions(con) -> dict[str, dict[str, str]]:
    """{view name: {catalog ('a' or 'b'): its SQL, the build's clock replaced by a placeholder}}."""
    definitions: dict[str, dict[str, str]] = {}
    for catalog, name, sql in con.execute(
            "select database_name, view_name, sql from duckdb_views() "
            "where schema_name = 'main' and database_name in ('a', 'b')").fetchall():
        definitions.setdefault(name, {})[catalog] = BUILD_CLOCK.sub("<build clock>", sql)
    return definitions


def _same_view(definitions: dict[str, str]) -> bool:
    """A view with the same SQL in both warehouses, the build's clock aside, that reads no bookkeeping
    table (NOT_COMPARED): its rows are those of relations compared on their own, or of raw files,
    which it reads again now, the same files for both (the staging views, where the clock only
    quarantines rows dated after it), so comparing its rows proves nothing more about the builds."""
    return (len(definitions) == 2 and definitions["a"] == definitions["b"]
            and not any(name in definitions["a"] for name in NOT_COMPARED))


def compare_warehouses(first: Path, second: Path, only: list[str] | None = None) -> dict[str, str]:
    """{relation: what differs} for every table and view of `first` (or those in `only`); {} when equal."""
    problems: dict[str, str] = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{first}' as a (read_only)")
        con.execute(f"attach '{second}' as b (read_only)")

        def relations(catalog: str) -> set[str]:
            return {row[0] for row in con.execute(
                "select table_name from information_schema.tables where table_catalog = ? and table_schema = 'main'",
                [catalog]).fetchall()}

        names_a, names_b = relations("a"), relations("b")
        views = _view_definitions(con)
        wanted = sorted(set(only) if only else (names_a | names_b) - set(NOT_COMPARED))
        for table in wanted:
            if table not in names_a or table not in names_b:
                problems[table] = "missing in " + ("the first" if table not in names_a else "the second")
                continue
            if _same_view(views.get(table, {})):
                continue
            columns = _columns(con, table)
            if table in KEYS:
                count = _differences_by_key(con, table, columns, KEYS[table])
            else:
                count = _differences_as_multisets(con, table, columns)
            if count:
                problems[table] = f"{count} rows differ"
    return problems
