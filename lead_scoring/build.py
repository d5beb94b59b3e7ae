"""scripts/build.py: check the inputs, run dbt (seeds, models, data and unit tests), summarise.

Exit codes (docs/operations.md): 0 built and every test passed; 1 built but a data test
failed; 2 could not build (bad flag, bad input, bad configuration, a model error).
"""

import argparse
import hashlib
import json
import os
import re
import signal
import sys
import time
from functools import partial
from pathlib import Path

import yaml
from rich.console import Console

from lead_scoring.config_check import validate_config
from lead_scoring.contract import CONFIG_SEED_DIR, DEFAULT_DB, FIT_GRADES, PROJECT_DIR
from lead_scoring.dbt_invoke import run_dbt
from lead_scoring.errors import EXIT_CANNOT_RUN, EXIT_CHECKS_FAILED, EXIT_OK, UserError
from lead_scoring.publish import BuildLock, copy_published, discard_staging, prepare_staging, publish
from lead_scoring.raw_files import discover_raw_files
from lead_scoring.standby import start_standby
from lead_scoring.summary import print_summary
from lead_scoring.timestamps import normalise_as_of


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/build.py",
        description="Build the lead-scoring warehouse: seeds, models, data and unit tests, then a summary.",
    )
    parser.add_argument("--raw-dir", type=Path, help="read <table>.csv / <table>.parquet from this folder "
                        "instead of the sample seeds")
    parser.add_argument("--as-of", help="timestamp the scores are computed at (ISO-8601; default: now)")
    parser.add_argument("--db", type=Path, default=None,
                        help=f"DuckDB file (default {DEFAULT_DB.relative_to(PROJECT_DIR)})")
    parser.add_argument("--target", choices=["duckdb", "spark", "postgres"], default="duckdb",
                        help="warehouse engine")
    parser.add_argument("--full-refresh", action="store_true", help="rebuild incremental models from scratch")
    parser.add_argument("--mql-threshold", type=float, help="engagement score an MQL needs (default 100)")
    parser.add_argument("--mql-fit-grades", help="comma-separated fit grades that may MQL (default A,B)")
    parser.add_argument("--conversion-window-days", type=int, help="days a conversion counts within (default 90)")
    parser.add_argument("--threads", type=int, help="dbt threads (default 2)")
    parser.add_argument("--skip-tests", action="store_true", help="run models only (no data or unit tests)")
    parser.add_argument("--skip-unit-tests", action="store_true",
                        help="run the data tests but not dbt's unit tests (their inputs are fixed in the project: "
                        "they test the code, not the data; scheduled runs skip them)")
    parser.add_argument("--quiet", action="store_true", help="print only the final summary line")
    return parser.parse_args(argv)


def project_vars() -> dict:
    return yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]


def dbt_vars(args: argparse.Namespace) -> dict:
    """The --vars for dbt, from the flags; invalid flag values raise UserError."""
    values: dict = {}
    if args.as_of:
        values["as_of"] = normalise_as_of(args.as_of)
    if args.mql_threshold is not None:
        if args.mql_threshold <= 0:
            raise UserError(f"--mql-threshold must be positive, got {args.mql_threshold:g}")
        values["mql_threshold"] = args.mql_threshold
    if args.mql_fit_grades is not None:
        grades = [grade.strip().upper() for grade in args.mql_fit_grades.split(",") if grade.strip()]
        unknown = [grade for grade in grades if grade not in FIT_GRADES]
        if unknown or not grades:
            raise UserError(f"--mql-fit-grades '{args.mql_fit_grades}': use grades from {', '.join(FIT_GRADES)}")
        values["mql_fit_grades"] = grades
    if args.conversion_window_days is not None:
        if args.conversion_window_days <= 0:
            raise UserError("--conversion-window-days must be a positive number of days")
        values["conversion_window_days"] = args.conversion_window_days
    if args.raw_dir is not None:
        values["raw_files"] = discover_raw_files(args.raw_dir)
    return values


def check_target(target: str, raw_dir: Path | None = None) -> None:
    from lead_scoring import postgres, spark

    spark.check_target(target)
    postgres.check_target(target, raw_dir)


def dbt_build_args(args: argparse.Namespace) -> list[str]:
    """dbt's command line. The run settings (`dbt_vars`) go in the environment instead
    (LEAD_SCORING_RUN_VARS, macro run_var): `--vars` would make dbt parse the project again."""
    dbt_args = ["build"]
    if args.raw_dir is not None:
        dbt_args += ["--exclude", "tag:sample"]
    if args.skip_tests:
        dbt_args += ["--resource-type", "seed", "--resource-type", "model"]
    elif args.skip_unit_tests:
        dbt_args += ["--exclude-resource-type", "unit_test"]
    if args.full_refresh:
        dbt_args.append("--full-refresh")
    return dbt_args


# An incremental model whose table in the warehouse has other columns than this version makes
# (dbt's on_schema_change='fail', or macro assert_incremental_columns).
STALE_SCHEMA_PATTERN = re.compile(r"out of sync|built by an older version of the models")


# DuckDB ran out of memory and could not spill the rest to its temp directory.
SPILL_PATTERN = re.compile(r"Out of Memory Error|No space left on device|Failed to create directory|"
                           r"could not (write|create)[^.]*(temp|spill)", re.IGNORECASE)


def spill_advice(error: str, staging: Path) -> str:
    temp = os.environ.get("LEAD_SCORING_TEMP_DIRECTORY") or f"{staging}.tmp (the default)"
    limit = os.environ.get("LEAD_SCORING_MEMORY_LIMIT") or "3GB (the default)"
    detail = error.split("Error:", 1)[-1].strip()[:200] if "Error:" in error else error[:200]
    return (f"DuckDB ran out of memory and could not spill to disk ({detail}). Set LEAD_SCORING_TEMP_DIRECTORY "
            f"to a folder on a disk with free space (now {temp}), or raise LEAD_SCORING_MEMORY_LIMIT (now {limit}); "
            "docs/operations.md, 'DuckDB settings'")


def dbt_environment(args: argparse.Namespace, values: dict, staging: Path) -> tuple[dict[str, str], Path]:
    """The environment dbt runs with, and its working directory."""
    env = {"LEAD_SCORING_TARGET": args.target, "LEAD_SCORING_RUN_VARS": json.dumps(values)}
    if args.target == "duckdb":
        # dbt runs in the staging folder and opens the staging file by its name, the same in
        # every build: dbt then keeps its parse of the project between builds (publish.py). A
        # temp directory given as a relative path stays relative to where the build was started.
        env["LEAD_SCORING_DB"], cwd = staging.name, staging.parent
        if os.environ.get("LEAD_SCORING_TEMP_DIRECTORY"):
            env["LEAD_SCORING_TEMP_DIRECTORY"] = str(Path(os.environ["LEAD_SCORING_TEMP_DIRECTORY"]).resolve())
    else:
        env["LEAD_SCORING_DB"], cwd = str(staging), PROJECT_DIR
    if args.threads:
        env["LEAD_SCORING_THREADS"] = str(args.threads)
    return env, cwd


def run_path(db_path: Path) -> Path:
    """dbt's target folder for builds of one warehouse file, so builds of two files never mix."""
    digest = hashlib.sha1(str(db_path).encode()).hexdigest()[:8]
    return PROJECT_DIR / "target" / "runs" / f"{db_path.stem}-{digest}"


def build(args: argparse.Namespace, console: Console) -> int:
    started = time.monotonic()
    check_target(args.target, args.raw_dir)
    configured = project_vars()
    validate_config(CONFIG_SEED_DIR, int(configured["scoring_rule_slots"]))
    values = dbt_vars(args)
    db_path = (args.db or DEFAULT_DB).resolve()
    with BuildLock(db_path) as lock:
        # Write-audit-publish: dbt writes and tests a staging file; only a green build replaces
        # the published one (docs/operations.md).
        # An incremental run starts from a copy of the published file, made while dbt starts and
        # parses the project; --full-refresh from nothing.
        staging = prepare_staging(db_path)
        env, cwd = dbt_environment(args, values, staging)
        copy = partial(copy_published, db_path, staging) if args.target == "duckdb" and not args.full_refresh else None
        try:
            outcome = run_dbt(dbt_build_args(args), env, console, "dbt build", run_path(db_path),
                              keep_fds=[lock.fd], cwd=cwd, cache_key=args.target, meanwhile=copy)
        except BaseException:
            discard_staging(db_path)
            raise
        if outcome.errors:
            discard_staging(db_path)
            for line in outcome.errors[:5]:
                console.print(f"[red]error[/red] {line}", soft_wrap=True, highlight=False)
            spill = next((line for line in outcome.errors if SPILL_PATTERN.search(line)), None)
            if spill and args.target == "duckdb":
                raise UserError(spill_advice(spill, staging))
            stale = next((line for line in outcome.errors if STALE_SCHEMA_PATTERN.search(line)), None)
            if stale and not args.full_refresh:
                raise UserError(f"{db_path.name} was built by an older version of the models and cannot be "
                                f"extended incrementally ({stale.split(':')[0]}): run again with --full-refresh; "
                                f"{db_path.name} was left as it was")
            raise UserError(f"build failed, {db_path.name} left as it was: {len(outcome.errors)} node(s) "
                            f"could not run (first: {outcome.errors[0]})")
        if outcome.failures:
            discard_staging(db_path)
            for line in outcome.failures[:10]:
                console.print(f"[red]failed test[/red] {line}", soft_wrap=True, highlight=False)
            skipped = f"; {outcome.skipped} node(s) downstream were skipped" if outcome.skipped else ""
            console.print(f"not published: {len(outcome.failures)} test(s) failed{skipped}; "
                          f"{db_path} left as it was ({time.monotonic() - started:.1f}s)", highlight=False)
            return EXIT_CHECKS_FAILED
        if args.target == "duckdb":
            publish(staging, db_path)
            start_standby(db_path)  # the next incremental build's copy, made now in the background
    if args.target == "duckdb":
        print_summary(db_path, console, quiet=args.quiet)
    elapsed = time.monotonic() - started
    where = f"built and published {db_path}" if args.target == "duckdb" else f"built the {args.target} target"
    console.print(f"{where} in {elapsed:.1f}s ({outcome.node_count} dbt nodes, all tests passed)", highlight=False)
    return EXIT_OK


def _interrupt(signum, frame):  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    console = Console(stderr=False)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        args = parse_args(argv)
        return build(args, console)
    except UserError as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True, highlight=False)
        return exc.exit_code
    except KeyboardInterrupt:
        console.print("[red]error:[/red] interrupted; the published warehouse was left as it was")
        return EXIT_CANNOT_RUN


if __name__ == "__main__":
    sys.exit(main())
