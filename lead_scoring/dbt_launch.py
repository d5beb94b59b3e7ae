"""Start dbt early: import it and parse the project, then wait for the caller before running.

`python -m lead_scoring.dbt_launch PARSE_ARGS_JSON COMMAND_ARGS_JSON [TARGET_PATH]` imports dbt,
orders dbt's queue longest remaining chain first (lead_scoring.dbt_order, weighted by the node
times in TARGET_PATH/run_results.previous.json when given and readable), runs
`dbt <PARSE_ARGS>` (dbt parse: no warehouse connection), then reads one line from standard input:
"go" runs `dbt <COMMAND_ARGS>` on the parsed manifest, anything else (or end of input) exits with
EXIT_CANCELLED without running it. The exit code is dbt's own: 0 success, 1 a node failed, 2 dbt
could not run. With TARGET_PATH, the command's results are written to TARGET_PATH/run_results.json
here (the caller runs the command with --no-write-json: dbt would also write manifest.json, 0.2-0.4 s
at the end of every build that nothing reads; `dbt parse` or `dbt docs generate` write it).

Why (lead_scoring.dbt_invoke.run_dbt, docs/decisions.md "Write-audit-publish"): an incremental
build first copies the published warehouse to the staging file dbt writes. Importing dbt and
loading the project's parse take about 3 s, the copy of a large warehouse about as long; they
need not wait for each other, only dbt's first connection must wait for the copy.

On DuckDB, once dbt is done, the database is closed here (dbt-duckdb keeps it open for the whole
run, profiles.yml `keep_open`; closing is its last checkpoint) and the process ends without
Python's teardown of dbt's objects (os._exit: about 0.5 s at the end of every build). Other
targets end normally (a Spark session's JVM is stopped by the interpreter's exit handlers).
"""

import json
import logging
import os
import sys
from pathlib import Path

EXIT_CANCELLED = 3


def _exit_code(result) -> int:
    if result.exception is not None:
        return 2
    return 0 if result.success else 1


def _write_run_results(result, target_path: Path | None) -> None:
    """Write the command's run_results.json (what dbt writes without --no-write-json, minus the
    manifest) when it has results to write."""
    if target_path is not None and hasattr(result.result, "write"):
        result.result.write(str(target_path / "run_results.json"))


def main(argv: list[str]) -> int:
    parse_args, command_args = json.loads(argv[0]), json.loads(argv[1])
    target_path = Path(argv[2]) if len(argv) > 2 else None
    from dbt.cli.main import dbtRunner

    from lead_scoring import dbt_order

    dbt_order.install(target_path / dbt_order.PREVIOUS_RESULTS if target_path is not None else None)

    parsed = dbtRunner().invoke(parse_args)
    go = sys.stdin.readline().strip() == "go"
    if not go:
        return EXIT_CANCELLED
    if not parsed.success:
        # dbt printed why; the command would fail the same way, so run it for its own messages.
        result = dbtRunner().invoke(command_args)
    else:
        result = dbtRunner(manifest=parsed.result).invoke(command_args)
    _write_run_results(result, target_path)
    return _exit_code(result)


def close_duckdb() -> bool:
    """Close the DuckDB database dbt-duckdb kept open, if dbt used one; True when it did."""
    connections = sys.modules.get("dbt.adapters.duckdb.connections")
    manager = getattr(connections, "DuckDBConnectionManager", None)
    environment = getattr(manager, "_ENV", None)
    if environment is None:
        return False
    environment.close()
    return True


def _quiet_resource_tracker() -> None:
    """os._exit leaves dbt's multiprocessing locks registered; the tracker process multiprocessing
    starts would warn about them. It takes its warning filters from this interpreter's."""
    sys.warnoptions.append("ignore:resource_tracker:UserWarning")


if __name__ == "__main__":
    _quiet_resource_tracker()
    code = main(sys.argv[1:])
    if close_duckdb():
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
