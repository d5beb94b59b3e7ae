"""scripts/benchmark.py completes at a small size; it asserts nothing about time (figures live in
docs/benchmarks.md), only that incremental equals full refresh and that the hand-written baseline
computes the same scores and MQLs as the dbt build."""

import json
import os

import pytest
from conftest import run_script

from lead_scoring.benchmark import DAY_PART
from lead_scoring.build import run_path

# S (1M activities) is the smoke size; BENCHMARK_SMOKE_SIZE=XS makes a quick local run.
SIZE = os.environ.get("BENCHMARK_SMOKE_SIZE", "S")


def test_benchmark_runs_and_verifies(tmp_path):
    result = run_script("benchmark.py", "--sizes", SIZE, "--rounds", "1", "--verify", "--work-dir", str(tmp_path),
                        "--markdown", str(tmp_path / "benchmarks.md"), timeout=1800)
    assert result.returncode == 0, result.stdout + result.stderr
    payload = json.loads((tmp_path / "results.json").read_text())
    (figures,) = payload["results"]
    assert figures["activities"] > 0 and figures["full_build_seconds"] > 0 and figures["handwritten_seconds"] > 0
    (full,), (hand,), (incremental,) = (figures["runs"][kind] for kind in ("full", "handwritten", "incremental"))
    assert figures["dbt_elapsed_over_handwritten_per_round"] == [
        pytest.approx(full["dbt_elapsed_seconds"] / hand["seconds"])]
    assert figures["incremental_share_of_full_per_round"] == [pytest.approx(incremental["seconds"] / full["seconds"])]
    (outside,) = figures["incremental_outside_dbt_seconds_per_round"]
    assert outside == pytest.approx(incremental["seconds"] - incremental["dbt_elapsed_seconds"])
    assert 0 < outside < incremental["seconds"]
    # Fixed costs aside: dbt's elapsed and the query's, each less its time at the fixed-cost size XS in
    # the same round (None when the smoke size is XS itself: nothing above it).
    fixed = payload["fixed_cost"]
    assert fixed["size"] == figures["fixed_cost_size"] == "XS"
    assert fixed["activities"] < figures["activities"] or SIZE == "XS"
    (fixed_full,), (fixed_hand,) = fixed["runs"]["full"], fixed["runs"]["handwritten"]
    assert figures["fixed_cost_dbt_elapsed_seconds"] == fixed_full["dbt_elapsed_seconds"] > 0
    assert figures["fixed_cost_handwritten_seconds"] == fixed_hand["seconds"] > 0
    aside = None if SIZE == "XS" else pytest.approx(
        (full["dbt_elapsed_seconds"] - fixed_full["dbt_elapsed_seconds"]) / (hand["seconds"] - fixed_hand["seconds"]))
    assert figures["dbt_elapsed_over_handwritten_fixed_aside_per_round"] == [aside]
    assert figures["dbt_elapsed_over_handwritten_fixed_aside"] == aside
    report = (tmp_path / "benchmarks.md").read_text().splitlines()
    per_round = [line for line in report if line.startswith(f"- {SIZE}: ")]
    assert per_round == [
        f"- {SIZE}: full / hand-written / incremental {full['seconds']:.1f} / {hand['seconds']:.1f} / "
        f"{incremental['seconds']:.1f} s; dbt elapsed / hand-written "
        f"{figures['dbt_elapsed_over_handwritten_per_round'][0]:.2f}; incremental / full "
        f"{figures['incremental_share_of_full_per_round'][0]:.0%}; incremental outside dbt's elapsed {outside:.1f} s; "
        f"dbt elapsed / hand-written, fixed costs aside {'n/a' if aside is None else f'{aside.expected:.2f}'}"]
    assert figures["verification"] == {"incremental_equals_full_refresh": True, "differences": {},
                                       "handwritten_mismatched_rows": 0}
    # Every build left a standby copy the benchmark waited for; the incremental build took the full
    # build's (lead_scoring.standby), so its time has no copy in it.
    assert all(run["standby_copy_seconds"] >= 0 for run in (full, incremental))
    assert figures["standby_copy_seconds"] == full["standby_copy_seconds"]
    assert f"the full builds: {SIZE} {full['standby_copy_seconds']:.1f} s." in "\n".join(report).replace("\n", " ")
    # The day's activities arrived as a part of their own (benchmark.daily_raw), the only raw file the
    # incremental build hashed (int_activity_raw_file_fingerprints reads the files it has not seen).
    assert sorted(path.name for path in (tmp_path / f"raw-{SIZE}-daily" / "activities").iterdir()) == [
        DAY_PART, "until-2026-10-30.parquet"]
    compiled = next(run_path((tmp_path / f"{SIZE}.duckdb").resolve()).glob(
        "compiled/**/int_activity_raw_file_fingerprints.sql")).read_text()
    assert DAY_PART in compiled and "until-2026-10-30.parquet" not in compiled
