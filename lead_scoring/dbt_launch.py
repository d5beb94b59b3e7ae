"""Start dbt early: import it and parse the project, then wait for the caller before running.

`python -m lead_scoring.dbt_launch PARSE_ARGS_JSON COMMAND_ARGS_JSON` imports dbt, runs
`dbt <PARSE_ARGS>` (dbt parse: no warehouse connection), then reads one line from standard input:
"go" runs `dbt <COMMAND_ARGS>` on the parsed manifest, anything else (or end of input) exits with
EXIT_CANCELLED without running it. The exit code is dbt's own: 0 success, 1 a node failed, 2 dbt
could not run.

Why (lead_scoring.dbt_invoke.run_dbt, docs/decisions.md "Write-audit-publish"): an incremental
build first copies the published warehouse to the staging file dbt writes. Importing dbt and
loading the project's parse take about 3 s, the copy of a large warehouse about as long; they
need not wait for each other, only dbt's first connection must wait for the copy.
"""

import json
import sys

EXIT_CANCELLED = 3


def _exit_code(result) -> int:
    if result.exception is not None:
        return 2
    return 0 if result.success else 1


def main(argv: list[str]) -> int:
    parse_args, command_args = json.loads(argv[0]), json.loads(argv[1])
    from dbt.cli.main import dbtRunner

    parsed = dbtRunner().invoke(parse_args)
    go = sys.stdin.readline().strip() == "go"
    if not go:
        return EXIT_CANCELLED
    if not parsed.success:
        # dbt printed why; the command would fail the same way, so run it for its own messages.
        return _exit_code(dbtRunner().invoke(command_args))
    return _exit_code(dbtRunner(manifest=parsed.result).invoke(command_args))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
