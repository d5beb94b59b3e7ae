#!/usr/bin/env python
"""Generate realistic raw data for the five raw tables (deterministic for a given seed).

Examples:
    python scripts/generate_data.py --preset sample --out seeds/sample --file-prefix raw_
    python scripts/generate_data.py --out /tmp/raw --leads 1000000 --activities-per-lead-mean 50 \\
        --format parquet
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402

from lead_scoring.generate import PRESETS, TABLES, GeneratorConfig, generate  # noqa: E402


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        description="Generate raw accounts, leads, activities, sales_dispositions and opportunities.")
    p.add_argument("--out", required=True, type=Path, help="output folder (created if missing)")
    p.add_argument("--preset", choices=sorted(PRESETS), help="named set of defaults; other flags override it")
    p.add_argument("--leads", type=int, help="number of generated leads (default 10000)")
    p.add_argument("--accounts", type=int, help="number of generated accounts (default leads / 5)")
    p.add_argument("--activities-per-lead-mean", type=float, help="mean activities per lead (default 30)")
    p.add_argument("--seed", type=int, help="random seed (default 42)")
    p.add_argument("--start", help="first day of the data, ISO date (default 2025-06-01)")
    p.add_argument("--end", help="last day of the data, ISO date, inclusive (default 2026-10-31)")
    p.add_argument("--format", choices=["csv", "parquet"], default="csv", help="file format (default csv)")
    p.add_argument("--file-prefix", default="", help="prefix of the file names, e.g. raw_")
    p.add_argument("--edge-cases", action=argparse.BooleanOptionalAction, default=None,
                   help="add ties, duplicates, unknown types and hand-written tricky leads")
    p.add_argument("--bad-rows", action=argparse.BooleanOptionalAction, default=None,
                   help="add rows the build must quarantine (missing keys, orphans, bad timestamps...)")
    return p


def config_from_args(args: argparse.Namespace) -> GeneratorConfig:
    values: dict[str, object] = dict(PRESETS[args.preset]) if args.preset else {}
    for name in ("leads", "accounts", "activities_per_lead_mean", "seed", "start", "end", "edge_cases",
                 "bad_rows"):
        value = getattr(args, name)
        if value is not None:
            values[name] = value
    values["fmt"] = args.format
    values["file_prefix"] = args.file_prefix
    return GeneratorConfig(**values)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        cfg = config_from_args(args)
        cfg.validate()
    except ValueError as exc:
        parser.error(str(exc))
    console = Console(stderr=True)
    started = time.perf_counter()
    columns = (TextColumn("[bold]generating"), BarColumn(), MofNCompleteColumn(), TextColumn("leads"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("generate", total=cfg.leads + 1)

        def on_progress(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        counts = generate(cfg, args.out, on_progress)
    elapsed = time.perf_counter() - started
    summary = " ".join(f"{name}={counts[name]:,}" for name in TABLES)
    print(f"wrote {summary} to {args.out} ({cfg.fmt}, seed {cfg.seed}, {elapsed:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
