"""scripts/scheduled_run.py: the one entry point for cron or any orchestrator (docs/scheduling.md).

Runs, in order, in one process:

1. build          scripts/build.py --skip-unit-tests: seeds, models, every data test; the
                  warehouse is replaced only when everything passed (write-audit-publish).
                  dbt's unit tests test the code on fixed inputs, not the data: they run in
                  `make test` and in CI, once per change of the code, as dbt advises
2. check_metrics  scripts/check_metrics.py: the funnel's rates against config/metric_checks.yml
3. report         scripts/report.py: the HTML report with the check results

A build that did not publish stops the run: checks and report would describe the previous
warehouse. The report runs even when a metric check failed: that is when people want to look.
Last, a run that built waits for the standby copy its build started (lead_scoring.standby: the next
incremental build's copy, a few seconds at 1M leads): an orchestrator that kills a task's processes
when it ends would cut it off. The run's final line gives the wait as standby_wait.

Each step logs one line, and the run one final line, on stderr:

    2026-11-22T06:00:41Z lead_scoring step=build status=ok exit=0 seconds=38.2

Exit codes: 0 everything passed; 1 a data test or a metric check failed; 2 a step could not run;
3 another build of the same warehouse was running (nothing was done; try again later).
"""

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lead_scoring import build, metrics, report
from lead_scoring.contract import DEFAULT_DB, PROJECT_DIR
from lead_scoring.errors import EXIT_BUSY, EXIT_CANNOT_RUN, EXIT_CHECKS_FAILED, EXIT_OK
from lead_scoring.standby import wait_for_standby

DEFAULT_OUT = PROJECT_DIR / "out"
STATUS = {EXIT_OK: "ok", EXIT_CHECKS_FAILED: "failed", EXIT_CANNOT_RUN: "error", EXIT_BUSY: "busy"}


@dataclass
class StepResult:
    name: str
    exit_code: int
    seconds: float


def log(step: str, status: str, **fields: object) -> None:
    """One logfmt line on stderr: timestamp, step, status, then the given fields."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    extra = " ".join(f"{key}={value}" for key, value in fields.items() if value is not None)
    print(f"{stamp} lead_scoring step={step} status={status} {extra}".rstrip(), file=sys.stderr, flush=True)


def run_step(name: str, entry: Callable[[list[str]], int], argv: list[str]) -> StepResult:
    """Run one step's main(argv), time it and log its line; a crash becomes exit 2, never a traceback."""
    started = time.monotonic()
    try:
        code = entry(argv)
    except SystemExit as exc:  # argparse inside a step
        code = exc.code if isinstance(exc.code, int) else EXIT_CANNOT_RUN
    except KeyboardInterrupt:
        code = EXIT_CANNOT_RUN
    except Exception as exc:  # noqa: BLE001 - any crash in a step must still end in a log line and exit 2
        print(f"error: {name} crashed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        code = EXIT_CANNOT_RUN
    seconds = time.monotonic() - started
    log(name, STATUS.get(code, "error"), exit=code, seconds=f"{seconds:.1f}")
    return StepResult(name, code, seconds)


def combine(codes: list[int]) -> int:
    """The run's exit code: could-not-run beats a failed check beats success."""
    if EXIT_CANNOT_RUN in codes or any(code not in STATUS for code in codes):
        return EXIT_CANNOT_RUN
    if EXIT_CHECKS_FAILED in codes:
        return EXIT_CHECKS_FAILED
    return EXIT_OK


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/scheduled_run.py",
        description="Build (with every data test), check the funnel metrics and write the report: one command for "
                    "cron or an orchestrator. Exit 0 ok, 1 a test or check failed, 2 a step could not run, "
                    "3 another build of this warehouse is running.",
    )
    parser.add_argument("--db", type=Path, default=None,
                        help="DuckDB warehouse (default $LEAD_SCORING_DB or warehouse/lead_scoring.duckdb)")
    parser.add_argument("--raw-dir", type=Path, help="raw CSV/Parquet folder (default: the sample seeds)")
    parser.add_argument("--as-of", help="score as of this timestamp (default: now)")
    parser.add_argument("--mql-threshold", type=float, help="engagement score an MQL needs (default 100)")
    parser.add_argument("--mql-fit-grades", help="comma-separated fit grades that may MQL (default A,B)")
    parser.add_argument("--conversion-window-days", type=int, help="conversion window in days (default 90)")
    parser.add_argument("--checks", type=Path, default=metrics.DEFAULT_CONFIG,
                        help="metric checks file (default config/metric_checks.yml)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output folder: <out>/metrics/check_metrics.json and <out>/report/ (default out/)")
    parser.add_argument("--skip-build", action="store_true",
                        help="check and report on the warehouse as it is, without rebuilding")
    parser.add_argument("--verbose", action="store_true", help="full output of every step (default: compact)")
    return parser.parse_args(argv)


def plan(args: argparse.Namespace) -> tuple[Path, list[tuple[str, Callable[[list[str]], int], list[str]]]]:
    db = (args.db or Path(os.environ.get("LEAD_SCORING_DB", DEFAULT_DB))).resolve()
    checks_json = args.out / "metrics" / "check_metrics.json"
    build_argv = ["--db", str(db), "--skip-unit-tests"]
    for flag, value in (("--raw-dir", args.raw_dir), ("--as-of", args.as_of),
                        ("--mql-threshold", args.mql_threshold), ("--mql-fit-grades", args.mql_fit_grades),
                        ("--conversion-window-days", args.conversion_window_days)):
        if value is not None:
            build_argv += [flag, str(value)]
    check_argv = ["--db", str(db), "--config", str(args.checks), "--json", str(checks_json)]
    report_argv = ["--db", str(db), "--out", str(args.out / "report"), "--checks-json", str(checks_json)]
    if args.mql_threshold is not None:
        report_argv += ["--mql-threshold", str(args.mql_threshold)]
    if not args.verbose:
        build_argv.append("--quiet")
        check_argv.append("--quiet")
    steps = [("check_metrics", metrics.main, check_argv), ("report", report.main, report_argv)]
    if not args.skip_build:
        steps.insert(0, ("build", build.main, build_argv))
    return db, steps


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    started = time.monotonic()
    db, steps = plan(args)
    log("start", "running", db=db, steps=",".join(name for name, _, _ in steps))
    results: list[StepResult] = []
    for name, entry, step_argv in steps:
        result = run_step(name, entry, step_argv)
        results.append(result)
        if name == "build" and result.exit_code != EXIT_OK:
            for skipped, _, _ in steps[1:]:
                log(skipped, "skipped", reason="build_not_published")
            code = result.exit_code if result.exit_code in STATUS else EXIT_CANNOT_RUN
            log("run", STATUS[code], exit=code, seconds=f"{time.monotonic() - started:.1f}")
            return code
    code = combine([result.exit_code for result in results])
    waited = time.monotonic()
    if not args.skip_build:
        wait_for_standby(db.resolve())
    report_path = args.out / "report" / "report.html"
    log("run", STATUS[code], exit=code, seconds=f"{time.monotonic() - started:.1f}",
        report=report_path if results[-1].exit_code == EXIT_OK else None,
        checks=args.out / "metrics" / "check_metrics.json",
        standby_wait=None if args.skip_build else f"{time.monotonic() - waited:.1f}")
    return code


if __name__ == "__main__":
    sys.exit(main())
