"""lead_scoring.dbt_launch and run_dbt's `meanwhile`: dbt parses while the caller works (an
incremental build copies the published warehouse), and runs its command only on the go-ahead."""

import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from rich.console import Console

from lead_scoring.contract import PROJECT_DIR
from lead_scoring.dbt_invoke import launch_command, run_dbt
from lead_scoring.dbt_launch import EXIT_CANCELLED
from lead_scoring.errors import UserError


def launch(target: Path, command: list[str], answer: str) -> subprocess.CompletedProcess:
    """run_dbt's child process, with `answer` on its standard input."""
    return subprocess.run(
        launch_command(command, target), input=answer, capture_output=True, text=True, timeout=300,
        cwd=PROJECT_DIR, env={**os.environ, "LEAD_SCORING_DB": str(target / "never-opened.duckdb")})


def printed_names(result: subprocess.CompletedProcess) -> list[str]:
    """The messages of dbt's JSON log lines (`dbt ls` prints one name per line)."""
    return [json.loads(line)["info"]["msg"] for line in result.stdout.splitlines() if line.startswith("{")]


def test_launcher_parses_then_runs_the_command_only_after_go(tmp_path):
    target = tmp_path / "target"
    listed = launch(target, ["ls", "--resource-type", "model", "--output", "name", "--quiet"], "go\n")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert "dim_leads" in printed_names(listed)
    assert (target / "partial_parse.msgpack").is_file(), "the parse step saved the project's parse"

    stopped = launch(target, ["ls", "--resource-type", "model", "--output", "name", "--quiet"], "")
    assert stopped.returncode == EXIT_CANCELLED, stopped.stdout + stopped.stderr
    assert "dim_leads" not in printed_names(stopped), "the command ran without the go-ahead"
    assert not (target / "never-opened.duckdb").exists(), "parsing connected to the warehouse"


def test_a_failing_meanwhile_stops_dbt_before_it_runs_anything(tmp_path):
    target = tmp_path / "target"
    db = tmp_path / "staging.duckdb"
    seen: list[bool] = []

    def copy_fails() -> None:
        seen.append(db.exists())
        raise UserError("the copy failed")

    with pytest.raises(UserError, match="the copy failed"):
        run_dbt(["build", "--resource-type", "seed"], {"LEAD_SCORING_DB": str(db)}, Console(quiet=True),
                "dbt build", target, meanwhile=copy_fails)
    assert seen == [False], "dbt opened the warehouse before `meanwhile` had finished"
    assert not db.exists() and not (target / "run_results.json").exists(), "dbt ran the command anyway"


def test_dbt_connects_only_after_meanwhile_has_finished(tmp_path):
    target = tmp_path / "target"
    db = tmp_path / "staging.duckdb"
    order: list[str] = []

    def meanwhile() -> None:
        # dbt imports and parses the project meanwhile (and saves its parse); then it waits,
        # the warehouse file not opened yet.
        deadline = time.monotonic() + 120
        while not (target / "partial_parse.msgpack").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)
        order.append("meanwhile, warehouse exists" if db.exists() else "meanwhile")
        assert not (target / "manifest.json").exists(), "the parse wrote manifest.json"

    outcome = run_dbt(["build", "--resource-type", "seed", "--select", "scoring_rules"],
                      {"LEAD_SCORING_DB": str(db)}, Console(quiet=True), "dbt build", target, meanwhile=meanwhile)
    assert outcome.ok, outcome.errors
    assert order == ["meanwhile"]
    # The launcher writes the build's run_results.json; nobody reads a manifest.json of it.
    results = json.loads((target / "run_results.json").read_text())
    nodes = [result["unique_id"] for result in results["results"] if not result["unique_id"].startswith("operation.")]
    assert nodes == ["seed.lead_scoring.scoring_rules"]
    assert not (target / "manifest.json").exists(), "the build wrote manifest.json"
    assert db.exists(), "dbt built the seed into the warehouse after meanwhile"
