"""scripts/benchmark.py: how fast and how big the build is, in figures (never a timed test).

For each size: generate raw Parquet (cached), then in alternating rounds (median of N): a full
build, the hand-written single DuckDB query of benchmarks/handwritten_scores.sql, and an
incremental build one day later, after the day's activities arrived as a file of their own in the
raw folder (daily_raw: the builds read activities as a folder of parts, the last day's its own part,
placed before each incremental build and removed before each full build). The sizes run interleaved
within each round (round 1: M's three, then L's; round 2: ...), so that the scaling ratios (L/M)
compare sizes measured under the same conditions, the machine's speed drifting over an hour. Each
round starts with a full build and the hand-written query at the small size FIXED_COST_SIZE, whose
times are their fixed costs: the ratio of dbt's elapsed time to the query's, fixed costs aside, is
that of their times above those at it. Peak RSS is that of the process tree (dbt runs DuckDB
in-process). Writes JSON and the markdown tables of docs/benchmarks.md.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from lead_scoring.compare import compare_warehouses
from lead_scoring.contract import CONFIG_SEED_DIR, PROJECT_DIR

SIZES = {  # name: (leads, mean activities per lead) -> about leads * mean activities
    "XS": (2_000, 50),
    "S": (20_000, 50),
    "M": (200_000, 50),
    "L": (1_000_000, 50),
}
DATA_END = "2026-10-31"
FULL_AS_OF = "2026-10-30T23:59:59Z"  # the last day of data arrives in the incremental run
INCREMENTAL_AS_OF = "2026-10-31T23:59:59Z"
# Built every round (full build and hand-written query only): what each costs whatever the data,
# dbt's per-model statements and the query's planning, plus the little work of 100,000 activities.
FIXED_COST_SIZE = "XS"
HANDWRITTEN_SQL = PROJECT_DIR / "benchmarks" / "handwritten_scores.sql"
RUN_CHILD = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
print(code, time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def measure(command: list[str], env: dict[str, str] | None = None) -> dict:
    """Wall time and peak RSS (KiB -> MiB) of a command's whole process tree."""
    output = subprocess.run([sys.executable, "-c", RUN_CHILD, *command], capture_output=True, text=True,
                            check=True, env={**os.environ, **(env or {})}).stdout.split()
    code, seconds, max_rss_kib = int(output[0]), float(output[1]), int(output[2])
    if code != 0:
        raise RuntimeError(f"{' '.join(command[:3])} ... exited {code}")
    return {"seconds": seconds, "peak_rss_mib": max_rss_kib / 1024}


def generate(size: str, root: Path) -> Path:
    leads, mean = SIZES[size]
    folder = root / f"raw-{size}"
    if not (folder / "activities.parquet").exists():
        subprocess.run([sys.executable, str(PROJECT_DIR / "scripts" / "generate_data.py"), "--out", str(folder),
                        "--leads", str(leads), "--activities-per-lead-mean", str(mean), "--format", "parquet",
                        "--seed", "2026", "--edge-cases", "--end", DATA_END], check=True, stdout=subprocess.DEVNULL)
    return folder


DAY_PART = "2026-10-31.parquet"  # the activities of the last day, which arrive in the incremental run


def daily_raw(size: str, root: Path) -> tuple[Path, Path]:
    """The raw folder the builds of a size read, and the day's part kept aside (made once, cached):
    the generated tables linked, activities as a folder activities/ of one part of every row but
    the last day's (occurred_at written 2026-10-31...), that day's rows in their own file."""
    raw = generate(size, root)
    folder, day_part = root / f"raw-{size}-daily", root / f"raw-{size}-arrivals" / DAY_PART
    if not day_part.exists():
        (folder / "activities").mkdir(parents=True, exist_ok=True)
        for table in ("accounts", "leads", "sales_dispositions", "opportunities"):
            link = folder / f"{table}.parquet"
            if not link.exists():
                link.symlink_to((raw / f"{table}.parquet").resolve())
        day_part.parent.mkdir(parents=True, exist_ok=True)
        last_day = "cast(occurred_at as varchar) like '2026-10-31%'"
        # As the generator writes them (zstd, row groups of about 600,000 rows, in its order).
        options = "(format parquet, compression zstd, row_group_size 600000)"
        with duckdb.connect() as con:
            con.execute("set enable_progress_bar = false")
            con.execute(f"copy (select * from read_parquet('{raw}/activities.parquet') where not coalesce({last_day}, "
                        f"false)) to '{folder}/activities/until-2026-10-30.parquet' {options}")
            con.execute(f"copy (select * from read_parquet('{raw}/activities.parquet') where {last_day}) "
                        f"to '{day_part}.tmp' {options}")
        Path(f"{day_part}.tmp").rename(day_part)
    return folder, day_part


def place_day_part(raw: Path, day_part: Path, present: bool) -> None:
    """Put the day's part in the raw folder (a fresh copy: a new file, as a day's load is) or take it out."""
    target = raw / "activities" / DAY_PART
    target.unlink(missing_ok=True)
    if present:
        shutil.copyfile(day_part, target)


def build_command(raw: Path, db: Path, as_of: str, full_refresh: bool, with_tests: bool) -> list[str]:
    command = [sys.executable, str(PROJECT_DIR / "scripts" / "build.py"), "--raw-dir", str(raw), "--db", str(db),
               "--as-of", as_of, "--quiet"]
    if full_refresh:
        command.append("--full-refresh")
    if not with_tests:
        command.append("--skip-tests")
    return command


def settle(db: Path) -> float | None:
    """Wait for the standby copy a build starts after it publishes (lead_scoring.standby: the next
    incremental build's staging file, made in the background, flushed to disk), so that nothing
    measured next runs beside it, as a nightly run has the day to make it. Its seconds, or None
    when it was turned off."""
    from lead_scoring.standby import wait_for_standby

    record = wait_for_standby(db.resolve())
    return record.get("seconds") if record else None


def run_results(db: Path) -> dict:
    from lead_scoring.build import run_path

    results = run_path(db.resolve()) / "run_results.json"
    return json.loads(results.read_text()) if results.exists() else {}


def dbt_elapsed(db: Path) -> float | None:
    return run_results(db).get("elapsed_time")


def model_seconds(db: Path) -> dict[str, float]:
    """Each model's execution time in the last build of `db`, from dbt's run_results.json."""
    return {result["unique_id"].split(".")[-1]: result["execution_time"]
            for result in run_results(db).get("results", []) if result["unique_id"].startswith("model.")}


def slowest_models(runs: list[dict], top: int = 8) -> dict[str, float]:
    """Median seconds per model over the runs, the `top` slowest first."""
    names = {name for run in runs for name in run.get("models", {})}
    medians = {name: statistics.median(run["models"].get(name, 0.0) for run in runs) for name in names}
    ranked = sorted(medians.items(), key=lambda item: -item[1])
    return dict(ranked[:top])


def handwritten_query(raw: Path, as_of: str, threshold: float = 100.0) -> str:
    """The baseline SQL with the scoring rules written in as constants, as a hand-written query would."""
    import csv

    with (CONFIG_SEED_DIR / "scoring_rules.csv").open(newline="") as handle:
        rules = sorted(csv.DictReader(handle), key=lambda rule: rule["activity_type"].strip().lower())
    running, capped = [], []
    for slot, rule in enumerate(rules, start=1):
        if rule["half_life_days"].strip():
            running.append(f"sum(case when slot = {slot} then grown else 0 end) over w as s{slot}")
            decayed = f"(s{slot} * pow(2, -t / ({float(rule['half_life_days'])} * 86400)))"
        else:
            running.append(f"sum(case when slot = {slot} then points else 0 end) over w as s{slot}")
            decayed = f"s{slot}"
        cap = rule["max_points"].strip()
        capped.append(f"sign({decayed}) * least(abs({decayed}), {float(cap)})" if cap else decayed)
    as_of_sql = f"timezone('UTC', timestamptz '{as_of.replace('T', ' ').replace('Z', '+00')}')"
    return HANDWRITTEN_SQL.read_text().format(
        raw_dir=raw, config_dir=CONFIG_SEED_DIR, as_of=as_of_sql, threshold=threshold,
        running_sums=",\n        ".join(running), capped_terms=" + ".join(capped))


HANDWRITTEN_CHILD = """
import duckdb, json, resource, sys, time
settings = {"threads": 2, "memory_limit": "3GB", "preserve_insertion_order": False}
con = duckdb.connect(config=settings)
started = time.perf_counter()
con.execute(open(sys.argv[1]).read())
seconds = time.perf_counter() - started
if len(sys.argv) > 2:
    con.execute(f"copy handwritten_scores to '{sys.argv[2]}' (format parquet)")
print(json.dumps({"seconds": seconds, "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_handwritten(raw: Path, work: Path, as_of: str = FULL_AS_OF, export: Path | None = None) -> dict:
    """Time of the hand-written query alone (in a fresh process, without Python's start-up)."""
    sql_file = work / "handwritten.sql"
    sql_file.write_text(handwritten_query(raw, as_of))
    command = [sys.executable, "-c", HANDWRITTEN_CHILD, str(sql_file)] + ([str(export)] if export else [])
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def prepare_size(size: str, root: Path, rounds: int, progress: Progress, fixed_cost: bool = False) -> dict:
    """A size before its rounds: its raw Parquet (generated once, cached), activity count and progress task.
    The fixed-cost size has no incremental build (its own database file, so a measured size may be it too)."""
    raw, day_part = daily_raw(size, root)
    with duckdb.connect() as con:
        generated = generate(size, root) / "activities.parquet"
        activities = con.execute(f"select count(*) from read_parquet('{generated}')").fetchone()[0]
    label = f"fixed costs at size {size}" if fixed_cost else f"size {size}"
    task = progress.add_task(f"{label} ({activities:,} activities)", total=rounds * (2 if fixed_cost else 3))
    db = root / (f"{size}-fixed-cost.duckdb" if fixed_cost else f"{size}.duckdb")
    return {"size": size, "raw": raw, "day_part": day_part, "db": db, "activities": activities, "task": task,
            "runs": {"full": [], "handwritten": [], **({} if fixed_cost else {"incremental": []})}}


def run_round(prepared: dict, root: Path, with_tests: bool, progress: Progress) -> None:
    """One round of a size, back to back: a full build, the hand-written query, an incremental build
    (none for the fixed-cost size)."""
    raw, db, runs, task = prepared["raw"], prepared["db"], prepared["runs"], prepared["task"]

    def build(as_of: str, full_refresh: bool) -> dict:
        run = measure(build_command(raw, db, as_of, full_refresh, with_tests))
        run["dbt_elapsed_seconds"], run["models"] = dbt_elapsed(db), model_seconds(db)
        run["standby_copy_seconds"] = settle(db)
        return run

    place_day_part(raw, prepared["day_part"], present=False)
    runs["full"].append(build(FULL_AS_OF, True))
    progress.advance(task)
    runs["handwritten"].append(run_handwritten(generate(prepared["size"], root), root))
    progress.advance(task)
    if "incremental" in runs:
        place_day_part(raw, prepared["day_part"], present=True)
        runs["incremental"].append(build(INCREMENTAL_AS_OF, False))
        progress.advance(task)


def summarise_size(prepared: dict, with_tests: bool, fixed: dict | None = None) -> dict:
    """A size's figures over its rounds: medians of the times, maxima of the peak RSS, and the runs.
    `fixed` (the fixed-cost size's prepared runs, same rounds) adds dbt's elapsed over the hand-written
    query with both fixed costs aside."""
    runs = prepared["runs"]

    def median(kind: str, key: str) -> float | None:
        values = [run[key] for run in runs[kind] if run.get(key) is not None]
        return statistics.median(values) if values else None

    full_s, hand_s, incr_s = median("full", "seconds"), median("handwritten", "seconds"), median(
        "incremental", "seconds")
    return {
        "size": prepared["size"], "activities": prepared["activities"], "rounds": len(runs["full"]),
        "with_tests": with_tests,
        "full_build_seconds": full_s, "full_dbt_elapsed_seconds": median("full", "dbt_elapsed_seconds"),
        "full_peak_rss_mib": max(run["peak_rss_mib"] for run in runs["full"]),
        "incremental_seconds": incr_s, "incremental_share_of_full": incr_s / full_s,
        "handwritten_seconds": hand_s, "full_over_handwritten": full_s / hand_s,
        "dbt_elapsed_over_handwritten": (median("full", "dbt_elapsed_seconds") or full_s) / hand_s,
        "handwritten_peak_rss_mib": max(run["peak_rss_mib"] for run in runs["handwritten"]),
        "incremental_dbt_elapsed_seconds": median("incremental", "dbt_elapsed_seconds"),
        "standby_copy_seconds": median("full", "standby_copy_seconds"),
        **per_round(runs),
        **(fixed_costs_aside(runs, (median("full", "dbt_elapsed_seconds") or full_s, hand_s), fixed,
                             same_size=fixed["size"] == prepared["size"]) if fixed else {}),
        "slowest_models_full": slowest_models(runs["full"]),
        "slowest_models_incremental": slowest_models(runs["incremental"]),
        "runs": runs,
    }


def per_round(runs: dict) -> dict:
    """Round by round (each round's steps ran back to back, under the same conditions): dbt's elapsed
    time over the hand-written query, the incremental build over the full build, and the incremental
    build's time outside dbt's elapsed (start-up, the copy of the published file, publishing)."""
    rounds = list(zip(runs["full"], runs["handwritten"], runs["incremental"], strict=True))
    return {
        "dbt_elapsed_over_handwritten_per_round": [
            ratio(dbt_seconds(full), hand["seconds"]) for full, hand, _ in rounds],
        "incremental_share_of_full_per_round": [ratio(incr["seconds"], full["seconds"]) for full, _, incr in rounds],
        "incremental_outside_dbt_seconds_per_round": [
            incr["seconds"] - incr["dbt_elapsed_seconds"] if incr.get("dbt_elapsed_seconds") is not None else None
            for _, _, incr in rounds],
    }


def dbt_seconds(run: dict) -> float:
    """A build's dbt elapsed time, or its wall time when dbt wrote none."""
    return run.get("dbt_elapsed_seconds") or run["seconds"]


def fixed_costs_aside(runs: dict, medians: tuple[float, float], fixed: dict, same_size: bool = False) -> dict:
    """dbt's elapsed time over the hand-written query's, each less its time at the fixed-cost size
    (`fixed`, its prepared runs): the ratio of what each costs for the activities beyond that size's
    (the issue's "dbt's fixed start-up aside", the query's own fixed cost set aside too). `medians`
    is the size's (dbt elapsed, query) as summarise_size takes them. Median over median, then per
    round; None when the size is the fixed-cost size itself (`same_size`: nothing above it, whatever
    the two builds' times) or not above it."""
    def above(value: float, base: float) -> float | None:
        return value - base if value > base and not same_size else None

    fixed_runs = fixed["runs"]
    dbt_fixed = statistics.median(dbt_seconds(run) for run in fixed_runs["full"])
    hand_fixed = statistics.median(run["seconds"] for run in fixed_runs["handwritten"])
    rounds = zip(runs["full"], runs["handwritten"], fixed_runs["full"], fixed_runs["handwritten"], strict=True)
    return {
        "fixed_cost_size": fixed["size"],
        "fixed_cost_dbt_elapsed_seconds": dbt_fixed, "fixed_cost_handwritten_seconds": hand_fixed,
        "dbt_elapsed_over_handwritten_fixed_aside": ratio(above(medians[0], dbt_fixed), above(medians[1], hand_fixed)),
        "dbt_elapsed_over_handwritten_fixed_aside_per_round": [
            ratio(above(dbt_seconds(full), dbt_seconds(fixed_full)), above(hand["seconds"], fixed_hand["seconds"]))
            for full, hand, fixed_full, fixed_hand in rounds],
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    return numerator / denominator if numerator is not None and denominator else None


def scaling(results: list[dict]) -> list[dict]:
    """Each consecutive pair of sizes in the order given (S->M, M->L): the later size's figures over the
    earlier one's. Medians over medians, and per round (round i over round i: within a round the sizes
    ran back to back) for the full build and the hand-written query, whose own ratio shows how the
    machine scaled. Empty with fewer than two sizes."""
    def per_round(earlier: dict, later: dict, kind: str) -> list[float | None]:
        return [ratio(second["seconds"], first["seconds"])
                for first, second in zip(earlier["runs"][kind], later["runs"][kind], strict=True)]

    pairs = []
    for earlier, later in zip(results, results[1:], strict=False):
        pairs.append({
            "from_size": earlier["size"], "to_size": later["size"],
            "activities_ratio": ratio(later["activities"], earlier["activities"]),
            "full_build_ratio": ratio(later["full_build_seconds"], earlier["full_build_seconds"]),
            "full_dbt_elapsed_ratio": ratio(later["full_dbt_elapsed_seconds"], earlier["full_dbt_elapsed_seconds"]),
            "handwritten_ratio": ratio(later["handwritten_seconds"], earlier["handwritten_seconds"]),
            "incremental_ratio": ratio(later["incremental_seconds"], earlier["incremental_seconds"]),
            "full_build_ratio_per_round": per_round(earlier, later, "full"),
            "handwritten_ratio_per_round": per_round(earlier, later, "handwritten"),
        })
    return pairs


def fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def fmt_ratios(values: list[float | None]) -> str:
    return ", ".join(fmt_ratio(value) for value in values)


def verify(size: str, root: Path) -> dict:
    """After the rounds: incremental marts equal a full refresh at the same as_of, and the hand-written
    query's scores and MQL flags equal fct_lead_score_history."""
    (raw, day_part), incremental_db = daily_raw(size, root), root / f"{size}.duckdb"
    reference_db = root / f"{size}-reference.duckdb"
    place_day_part(raw, day_part, present=True)  # as the last incremental build read it
    measure(build_command(raw, reference_db, INCREMENTAL_AS_OF, True, False))
    settle(reference_db)
    differences = compare_warehouses(incremental_db, reference_db)
    export = root / f"{size}-handwritten.parquet"
    run_handwritten(generate(size, root), root, INCREMENTAL_AS_OF, export)
    with duckdb.connect(str(reference_db), read_only=True) as con:
        mismatches = con.execute(f"""
            select count(*) from read_parquet('{export}') as h
            full join fct_lead_score_history as d on h.activity_id = d.activity_id
            where h.activity_id is null or d.activity_id is null or h.episode <> d.episode
                or abs(h.score - d.engagement_score_after) > 1e-6 or h.is_mql_event <> d.is_mql_event
        """).fetchone()[0]
    return {"incremental_equals_full_refresh": not differences, "differences": differences,
            "handwritten_mismatched_rows": mismatches}


SPILL_SIZE, SPILL_MEMORY_LIMIT = "M", "1GB"


def spill_check(root: Path) -> dict:
    """A full build of size M (10M activities) with DuckDB's memory limited to 1 GB: it must finish by
    spilling to the temp directory; the temp directory's size is sampled while it runs."""
    import threading

    raw, db = generate(SPILL_SIZE, root), root / f"{SPILL_SIZE}-spill.duckdb"
    temp = root / f"{SPILL_SIZE}-spill.tmp"
    peak = {"bytes": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            size = sum(f.stat().st_size for f in temp.rglob("*") if f.is_file()) if temp.exists() else 0
            peak["bytes"] = max(peak["bytes"], size)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        limits = {"LEAD_SCORING_MEMORY_LIMIT": SPILL_MEMORY_LIMIT, "LEAD_SCORING_TEMP_DIRECTORY": str(temp)}
        result = measure(build_command(raw, db, FULL_AS_OF, True, False), env=limits)
        settle(db)
    finally:
        done.set()
        sampler.join()
    return {"size": SPILL_SIZE, "memory_limit": SPILL_MEMORY_LIMIT, **result,
            "peak_temp_directory_mib": peak["bytes"] / 2**20}


def machine() -> dict:
    import dbt.version

    return {
        "cpus": __import__("os").cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
        "duckdb": duckdb.__version__, "dbt_core": dbt.version.__version__,
        "memory_gib": round(__import__("os").sysconf("SC_PAGE_SIZE") * __import__("os").sysconf("SC_PHYS_PAGES")
                            / 2**30, 1),
    }


def markdown(results: list[dict], command: str, info: dict, spill: dict | None = None) -> str:
    fixed = "fixed_cost_size" in results[0]
    lines = [
        "| size | activities | full build (s) | dbt elapsed (s) | peak RSS (MiB) | incremental +1 day (s) | "
        "incr / full | hand-written query (s) | full / hand-written | dbt elapsed / hand-written |"
        + (" dbt elapsed / hand-written, fixed costs aside |" if fixed else ""),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if fixed else ""),
    ]
    for r in results:
        lines.append(
            f"| {r['size']} | {r['activities']:,} | {r['full_build_seconds']:.1f} | "
            f"{(r['full_dbt_elapsed_seconds'] or 0):.1f} | {r['full_peak_rss_mib']:.0f} | "
            f"{r['incremental_seconds']:.1f} | {r['incremental_share_of_full']:.0%} | "
            f"{r['handwritten_seconds']:.1f} | {r['full_over_handwritten']:.2f} | "
            f"{r['dbt_elapsed_over_handwritten']:.2f} |"
            + (f" {fmt_ratio(r['dbt_elapsed_over_handwritten_fixed_aside'])} |" if fixed else ""))
    if fixed:
        first = results[0]
        lines += ["", f"Fixed costs (size {first['fixed_cost_size']}, built every round; medians): dbt's elapsed "
                  f"{first['fixed_cost_dbt_elapsed_seconds']:.1f} s, the hand-written query "
                  f"{first['fixed_cost_handwritten_seconds']:.2f} s. Fixed costs aside, the ratio is "
                  "(dbt's elapsed - its fixed cost) / (the query - its fixed cost)."]
    per_round_lines = ["Per round (each round's steps back to back):", ""]
    for r in results:
        runs = r["runs"]
        seconds = " / ".join(", ".join(f"{run['seconds']:.1f}" for run in runs[kind])
                             for kind in ("full", "handwritten", "incremental"))
        outside = ", ".join("-" if value is None else f"{value:.1f}"
                            for value in r["incremental_outside_dbt_seconds_per_round"])
        per_round_lines.append(
            f"- {r['size']}: full / hand-written / incremental {seconds} s; dbt elapsed / hand-written "
            f"{fmt_ratios(r['dbt_elapsed_over_handwritten_per_round'])}; incremental / full "
            f"{', '.join(f'{value:.0%}' for value in r['incremental_share_of_full_per_round'])}; "
            f"incremental outside dbt's elapsed {outside} s"
            + (f"; dbt elapsed / hand-written, fixed costs aside "
               f"{fmt_ratios(r['dbt_elapsed_over_handwritten_fixed_aside_per_round'])}" if fixed else ""))
    per_round_lines.append("")
    standby = [f"{r['size']} {r['standby_copy_seconds']:.1f} s" for r in results
               if r.get("standby_copy_seconds") is not None]
    if standby:
        per_round_lines += [
            "Standby copy (lead_scoring.standby: after a build publishes, a background process copies the "
            "file for the next incremental build and flushes it to disk; the benchmark waits for it after "
            "every build, as a nightly run has the day to make it, so it is in no time above), median after "
            f"the full builds: {', '.join(standby)}.", ""]
    pairs = scaling(results)
    scaling_lines = [
        "Scaling, each size's figures over the previous size's (medians; per round, round i over round i): "
        "the sizes ran interleaved within each round (one size's full build, hand-written query and "
        "incremental build, then the next size's), so each pair ran back to back under the same conditions; "
        "the target is a full build L/M <= 5.5 for 5x the activities, and the hand-written query's own ratio "
        "is the reference for how the machine scaled.", "",
        "| sizes | activities | full build | dbt elapsed | hand-written query | incremental +1 day | "
        "full build per round | hand-written per round |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *(f"| {p['to_size']}/{p['from_size']} | {fmt_ratio(p['activities_ratio'])} | "
          f"{fmt_ratio(p['full_build_ratio'])} | {fmt_ratio(p['full_dbt_elapsed_ratio'])} | "
          f"{fmt_ratio(p['handwritten_ratio'])} | {fmt_ratio(p['incremental_ratio'])} | "
          f"{fmt_ratios(p['full_build_ratio_per_round'])} | {fmt_ratios(p['handwritten_ratio_per_round'])} |"
          for p in pairs), ""] if pairs else []
    largest = results[-1]
    full_runs, incremental_runs = largest["runs"]["full"], largest["runs"]["incremental"]
    top = list(largest["slowest_models_full"])

    def median_of(runs: list[dict], pick) -> float:
        return statistics.median(pick(run) for run in runs)

    timing = [f"Where the time goes at size {largest['size']} (median seconds, per model from dbt's "
              "run_results.json; dbt runs two models at a time, so they add up to more than its elapsed "
              "time):", "", "| part | full build (s) | incremental +1 day (s) |", "|---|---:|---:|"]
    for name, full in largest["slowest_models_full"].items():
        incremental = median_of(incremental_runs, lambda run, model=name: run["models"].get(model, 0.0))
        timing.append(f"| {name} | {full:.1f} | {incremental:.1f} |")
    others = [median_of(runs, lambda run: sum(s for name, s in run["models"].items() if name not in top))
              for runs in (full_runs, incremental_runs)]
    overhead = [median_of(runs, lambda run: run["seconds"] - (run["dbt_elapsed_seconds"] or 0.0))
                for runs in (full_runs, incremental_runs)]
    timing += [f"| the other models | {others[0]:.1f} | {others[1]:.1f} |",
               "| start-up, parsing, staging (the standby copy or a copy) and publishing the file "
               f"(wall time minus dbt's elapsed) | "
               f"{overhead[0]:.1f} | {overhead[1]:.1f} |"]
    return "\n".join([
        f"Command: `{command}`  ",
        f"Machine: {info['cpus']} cores, {info['memory_gib']} GiB, {info['platform']}; Python {info['python']}, "
        f"DuckDB {info['duckdb']}, dbt-core {info['dbt_core']}. Median of {results[0]['rounds']} alternating "
        "rounds; peak RSS is the maximum over rounds.", "", *lines, "", *per_round_lines, *scaling_lines,
        *([f"Spill check: size {spill['size']} built with LEAD_SCORING_MEMORY_LIMIT={spill['memory_limit']} in "
           f"{spill['seconds']:.1f} s, peak RSS {spill['peak_rss_mib']:.0f} MiB, temp directory up to "
           f"{spill['peak_temp_directory_mib']:.0f} MiB.", ""] if spill else []), *timing, ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/benchmark.py", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L", help="comma-separated sizes: " + ", ".join(
        f"{name}={leads * mean:,}" for name, (leads, mean) in SIZES.items()))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--with-tests", action="store_true", help="time builds with dbt's data tests too")
    parser.add_argument("--work-dir", type=Path, default=PROJECT_DIR / "out" / "benchmark")
    parser.add_argument("--json", type=Path, default=None, help="results JSON (default <work-dir>/results.json)")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the markdown table here")
    parser.add_argument("--spill-check", action="store_true", help=f"also build size {SPILL_SIZE} with "
                        f"LEAD_SCORING_MEMORY_LIMIT={SPILL_MEMORY_LIMIT} (it must spill, not fail)")
    parser.add_argument("--verify", action="store_true", help="also check incremental == full refresh and "
                        "hand-written == dbt scores (exit 1 when not)")
    parser.add_argument("--fixed-cost-size", default=FIXED_COST_SIZE, type=str.upper,
                        help=f"size built every round for dbt's and the query's fixed costs (default "
                        f"{FIXED_COST_SIZE}; none: skip)")
    args = parser.parse_args(argv)
    console = Console()
    sizes = [size.strip().upper() for size in args.sizes.split(",")]
    unknown = [size for size in sizes if size not in SIZES]
    if args.fixed_cost_size not in {*SIZES, "NONE"}:
        unknown.append(args.fixed_cost_size)
    if unknown:
        console.print(f"error: unknown size {unknown[0]}; choose from {', '.join(SIZES)}")
        return 2
    args.work_dir.mkdir(parents=True, exist_ok=True)
    with Progress(console=console) as progress:  # rounds outside, sizes inside: L/M under the same conditions
        fixed = (prepare_size(args.fixed_cost_size, args.work_dir, args.rounds, progress, fixed_cost=True)
                 if args.fixed_cost_size != "NONE" else None)
        prepared = [prepare_size(size, args.work_dir, args.rounds, progress) for size in sizes]
        for _ in range(args.rounds):
            for size in ([fixed] if fixed else []) + prepared:
                run_round(size, args.work_dir, args.with_tests, progress)
    results = [summarise_size(size, args.with_tests, fixed) for size in prepared]
    pairs = scaling(results)
    checks = {}
    if args.verify:
        checks = {result["size"]: verify(result["size"], args.work_dir) for result in results}
        for result in results:
            result["verification"] = checks[result["size"]]
    spill = None
    if args.spill_check:
        console.print(f"spill check: size {SPILL_SIZE} with a {SPILL_MEMORY_LIMIT} memory limit ...")
        spill = spill_check(args.work_dir)
        console.print(f"spill check: built in {spill['seconds']:.1f}s, peak RSS {spill['peak_rss_mib']:.0f} MiB, "
                      f"temp directory up to {spill['peak_temp_directory_mib']:.0f} MiB")
    info = machine()
    command = "python scripts/benchmark.py " + " ".join(argv if argv is not None else sys.argv[1:])
    payload = {"machine": info, "command": command, "finished_at": datetime.now().isoformat(timespec="seconds"),
               "fixed_cost": fixed and {key: fixed[key] for key in ("size", "activities", "runs")},
               "results": results, "scaling": pairs, "spill_check": spill}
    json_path = args.json or args.work_dir / "results.json"
    json_path.write_text(json.dumps(payload, indent=2) + "\n")
    table = Table(title="benchmark (median seconds)")
    for column in ("size", "activities", "full", "dbt", "RSS MiB", "incr", "incr/full", "hand", "full/hand",
                   "dbt/hand", "dbt/hand fixed aside"):
        table.add_column(column, justify="right")
    for r in results:
        table.add_row(r["size"], f"{r['activities']:,}", f"{r['full_build_seconds']:.1f}",
                      f"{(r['full_dbt_elapsed_seconds'] or 0):.1f}", f"{r['full_peak_rss_mib']:.0f}",
                      f"{r['incremental_seconds']:.1f}", f"{r['incremental_share_of_full']:.0%}",
                      f"{r['handwritten_seconds']:.1f}", f"{r['full_over_handwritten']:.2f}",
                      f"{r['dbt_elapsed_over_handwritten']:.2f}",
                      fmt_ratio(r.get("dbt_elapsed_over_handwritten_fixed_aside")))
    console.print(table)
    if pairs:
        ratios = Table(title="scaling (each size over the one before; per round: round i over round i)")
        for column in ("sizes", "activities", "full", "dbt", "hand", "incr", "full per round", "hand per round"):
            ratios.add_column(column, justify="right")
        for p in pairs:
            ratios.add_row(f"{p['to_size']}/{p['from_size']}", fmt_ratio(p["activities_ratio"]),
                           fmt_ratio(p["full_build_ratio"]), fmt_ratio(p["full_dbt_elapsed_ratio"]),
                           fmt_ratio(p["handwritten_ratio"]), fmt_ratio(p["incremental_ratio"]),
                           fmt_ratios(p["full_build_ratio_per_round"]), fmt_ratios(p["handwritten_ratio_per_round"]))
        console.print(ratios)
    if args.markdown:
        args.markdown.write_text(markdown(results, command, info, spill))
    console.print(f"results: {json_path}")
    failed = [size for size, check in checks.items()
              if not check["incremental_equals_full_refresh"] or check["handwritten_mismatched_rows"]]
    for size, check in checks.items():
        console.print(f"verify {size}: incremental == full refresh: {check['incremental_equals_full_refresh']}; "
                      f"hand-written rows differing from dbt: {check['handwritten_mismatched_rows']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
