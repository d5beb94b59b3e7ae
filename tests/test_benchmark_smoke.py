"""scripts/benchmark.py completes at a small size; it asserts nothing about time (figures live in
docs/benchmarks.md), only that incremental equals full refresh and that the hand-written baseline
computes the same scores and MQLs as the dbt build."""

import json
import os

from conftest import run_script

# S (1M activities) is the smoke size; BENCHMARK_SMOKE_SIZE=XS makes a quick local run.
SIZE = os.environ.get("BENCHMARK_SMOKE_SIZE", "S")


def test_benchmark_runs_and_verifies(tmp_path):
    result = run_script("benchmark.py", "--sizes", SIZE, "--rounds", "1", "--verify", "--work-dir", str(tmp_path),
                        timeout=1800)
    assert result.returncode == 0, result.stdout + result.stderr
    payload = json.loads((tmp_path / "results.json").read_text())
    (figures,) = payload["results"]
    assert figures["activities"] > 0 and figures["full_build_seconds"] > 0 and figures["handwritten_seconds"] > 0
    assert figures["verification"] == {"incremental_equals_full_refresh": True, "differences": {},
                                       "handwritten_mismatched_rows": 0}
