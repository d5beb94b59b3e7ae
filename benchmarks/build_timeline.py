"""Where the last build of a warehouse spent its time: each model's start and end, in seconds from
the first model's start, and its duration, from dbt's run_results.json of that build (kept per
warehouse file, lead_scoring.build.run_path). dbt runs two models at a time: the start and end
columns show which ran side by side and which waited for which (the critical path).

    .venv/bin/python benchmarks/build_timeline.py WAREHOUSE.duckdb [--min-seconds 0.4]

Used for docs/benchmarks.md, "Where an incremental run's time goes".
"""

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lead_scoring.build import run_path  # noqa: E402


def timeline(run_results: dict) -> list[tuple[float, float, float, str]]:
    """(start, end, seconds, model) per node that executed, ordered by start."""
    spans = []
    for result in run_results.get("results", []):
        execute = [timing for timing in result.get("timing", []) if timing["name"] == "execute"]
        if not execute or not execute[0].get("started_at"):
            continue
        started = datetime.fromisoformat(execute[0]["started_at"].replace("Z", "+00:00"))
        ended = datetime.fromisoformat(execute[0]["completed_at"].replace("Z", "+00:00"))
        spans.append((started, ended, result["unique_id"].split(".")[-1]))
    if not spans:
        return []
    origin = min(span[0] for span in spans)
    return sorted(((started - origin).total_seconds(), (ended - origin).total_seconds(),
                   (ended - started).total_seconds(), name) for started, ended, name in spans)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path, help="the warehouse file the build wrote (--db of scripts/build.py)")
    parser.add_argument("--min-seconds", type=float, default=0.4, help="leave out shorter nodes (default 0.4)")
    args = parser.parse_args(argv)
    path = run_path(args.db.resolve()) / "run_results.json"
    if not path.exists():
        print(f"no run_results.json for {args.db} (expected {path}): build it first", file=sys.stderr)
        return 2
    results = json.loads(path.read_text())
    print(f"{path}: dbt elapsed {results.get('elapsed_time', 0):.1f} s")
    print(f"{'start':>6} {'end':>6} {'s':>5}  model")
    for start, end, seconds, name in timeline(results):
        if seconds >= args.min_seconds:
            print(f"{start:6.1f} {end:6.1f} {seconds:5.1f}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
