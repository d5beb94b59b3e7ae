"""Shared fixtures: run the project's scripts as a user would, in temporary folders."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
# dbt's debug log file (target/runs/*/logs/dbt.log: every event and SQL statement, as JSON) is off for
# the builds the tests run: writing it is 5-10% of a small build's CPU, and the suite runs about a
# hundred builds. Set DBT_LOG_LEVEL_FILE=debug to keep it while debugging a test. The build's own
# output, its other_output.log and dbt's run_results.json are unchanged.
os.environ.setdefault("DBT_LOG_LEVEL_FILE", "none")
sys.path.insert(0, str(PROJECT_DIR))
sys.path.insert(0, str(PROJECT_DIR / "tests"))

# Fixed clock for generated data sets: everything generated ends before it.
GENERATED_END = "2026-10-31"

# Under pytest-xdist with --dist loadscope (`make pytest`: -n 3 on 2 cores, as dbt's start-up leaves a
# core idle), each worker builds its own copy of a
# session fixture. Test files that share a generated warehouse therefore form one scope, so they
# run on one worker and the warehouse is built once.
SHARED_WAREHOUSE_SCOPES = {
    "test_check_metrics.py": "funnel warehouses",  # tests/funnel_warehouses.py
    "test_funnel.py": "funnel warehouses",
    "test_report.py": "funnel warehouses",
    "test_review.py": "funnel warehouses",
    "test_scheduled_run.py": "funnel warehouses",
    "test_bi_clients.py": "edge-case warehouse",  # edge_case_warehouse below
    "test_oracle_parity.py": "edge-case warehouse",
    "test_semantic_layer.py": "edge-case warehouse",
}
# Test files whose tests are each a scope of their own: each Spark parity test starts its own JVM
# and Spark warehouse folder and shares nothing with the others, and takes minutes.
ONE_SCOPE_PER_TEST = {"test_spark_parity.py"}
# The order scopes are handed out in: longest first (by CPU), so that no long scope starts late and
# runs alone at the end of the session; every other scope takes seconds and follows in xdist's order
# (by number of tests). `make test` runs the DuckDB, Spark and Postgres tests in one session, on a
# machine whose two cores it keeps busy throughout, so the session's length is its CPU time over two
# plus whatever runs alone at its end. CPU seconds of each, run alone (session 21): raw folders
# ~110, Spark 3,000-lead parity ~105 (its JVM's threads included), benchmark smoke ~100, funnel
# ~100, publishing ~95, incremental ~95, Postgres ~90, edge-case ~80, build script ~35, Spark
# raw-text parsing ~35, dbt launcher ~20, bad inputs ~20, spill ~12. A worker is handed its next
# scope when at most two of its tests are left, so a one-test scope always brings the next scope
# with it.
SLOW_SCOPES_FIRST = ["test_spark_parity.py::test_generated_raw_folder_parity", "test_raw_folders.py",
                     "test_benchmark_smoke.py", "funnel warehouses", "test_publishing.py", "test_incremental.py",
                     "test_postgres_target.py", "edge-case warehouse", "test_build_script.py",
                     "test_spark_parity.py::test_raw_text_parses_as_on_duckdb", "test_dbt_launch.py",
                     "test_bad_inputs.py", "test_spill.py"]


def start_rank(scope: str) -> int:
    module = Path(scope.split("::", 1)[0]).name
    name = scope if scope in SHARED_WAREHOUSE_SCOPES.values() else (
        f"{module}::{scope.split('::', 1)[1]}" if module in ONE_SCOPE_PER_TEST else module)
    return SLOW_SCOPES_FIRST.index(name) if name in SLOW_SCOPES_FIRST else len(SLOW_SCOPES_FIRST)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedWarehouseScheduling(LoadScopeScheduling):
        ordered = False

        def _split_scope(self, nodeid: str) -> str:
            module = Path(nodeid.split("::", 1)[0]).name
            if module in ONE_SCOPE_PER_TEST:
                return nodeid
            return SHARED_WAREHOUSE_SCOPES.get(module) or super()._split_scope(nodeid)

        def _assign_work_unit(self, node) -> None:
            if not self.ordered:  # the first hand-out: the queue of scopes is complete
                for scope in sorted(self.workqueue, key=start_rank):
                    self.workqueue.move_to_end(scope)
                self.ordered = True
            super()._assign_work_unit(node)

    return SharedWarehouseScheduling(config, log)


def run_script(script: str, *args: str, cwd: Path = PROJECT_DIR, env: dict | None = None,
               timeout: int = 600) -> subprocess.CompletedProcess:
    """Run scripts/<script> with this interpreter; output captured as text."""
    return subprocess.run(
        [sys.executable, str(cwd / "scripts" / script), *args],
        cwd=cwd, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {}), "COLUMNS": "200"},
    )


def generate(out: Path, *args: str) -> Path:
    result = run_script("generate_data.py", "--out", str(out), "--end", GENERATED_END, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def edge_case_raw_dir(tmp_path_factory) -> Path:
    """A generated raw folder of a few hundred leads with edge cases (ties, offsets, recycles)."""
    return generate(tmp_path_factory.mktemp("edge") / "raw", "--leads", "300", "--accounts", "60",
                    "--seed", "7", "--edge-cases")


@pytest.fixture(scope="session")
def bad_rows_raw_dir(tmp_path_factory) -> Path:
    """A generated raw folder with deliberately bad rows in every table."""
    return generate(tmp_path_factory.mktemp("bad") / "raw", "--leads", "200", "--accounts", "40",
                    "--seed", "11", "--edge-cases", "--bad-rows")


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the dbt project (no venv, no build output) whose seeds a test may edit."""
    copy = tmp_path / "project"
    shutil.copytree(PROJECT_DIR, copy, ignore=shutil.ignore_patterns(
        ".venv", ".git", "target", "logs", "out", "warehouse", "*.duckdb", "__pycache__", ".pytest_cache",
        "metastore_db", "spark-warehouse"))
    return copy


@pytest.fixture(scope="session")
def edge_case_warehouse(edge_case_raw_dir, tmp_path_factory):
    """Build the edge-case raw folder once per as_of and session; returns build(as_of) -> db path.

    Seeds and models only: the tests that use it compare marts with the oracle. dbt's data and unit
    tests run on generated data with edge cases in the funnel warehouses' scheduled builds
    (tests/funnel_warehouses.py) and on the sample (also with edge cases) in `make dbt-test`.
    """
    built: dict[str, Path] = {}

    def build(as_of: str) -> Path:
        if as_of not in built:
            db = tmp_path_factory.mktemp("edge-warehouse") / "warehouse.duckdb"
            result = run_script("build.py", "--raw-dir", str(edge_case_raw_dir), "--db", str(db), "--as-of", as_of,
                                "--quiet", "--skip-tests")
            assert result.returncode == 0, result.stdout + result.stderr
            built[as_of] = db
        return built[as_of]

    return build
