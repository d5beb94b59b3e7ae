"""Run dbt as a child process with JSON logs, showing a rich progress bar per node.

A child process keeps dbt's own output, memory and file locks apart from the caller's; the
results come back from target/run_results.json.
"""

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from lead_scoring.contract import PROJECT_DIR
from lead_scoring.dbt_order import PREVIOUS_RESULTS
from lead_scoring.errors import UserError

FINISHED_EVENTS = {"LogModelResult", "LogTestResult", "LogSeedResult", "SkippingDetails", "LogSnapshotResult"}


@dataclass
class DbtOutcome:
    """What one dbt command did: its exit code, and the nodes that errored, failed or warned."""

    returncode: int
    elapsed_seconds: float | None = None
    errors: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    node_count: int = 0
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def check_dbt_installed() -> None:
    if not (Path(sys.executable).parent / "dbt").exists():
        raise UserError("dbt is not installed in this Python environment: run `make setup` first")


def launch_command(args: list[str], target_path: Path) -> list[str]:
    """The child process of run_dbt: lead_scoring.dbt_launch, which runs `dbt parse`, then `dbt <args>`
    on the go-ahead; JSON logs, this project, artifacts and logs under `target_path`."""
    paths = ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
             "--target-path", str(target_path), "--log-path", str(target_path / "logs")]
    logs = ["--log-format", "json", "--no-use-colors"]
    # Neither writes manifest.json (0.2-0.4 s nothing here reads): the launcher writes the command's
    # run_results.json itself.
    return [sys.executable, "-m", "lead_scoring.dbt_launch", json.dumps([*logs, "parse", "--no-write-json", *paths]),
            json.dumps([*logs, *args, "--no-write-json", *paths]), str(target_path)]


def _read_run_results(target_path: Path) -> tuple[list[str], list[str], int, float | None]:
    path = target_path / "run_results.json"
    if not path.is_file():
        return [], [], 0, None
    payload = json.loads(path.read_text())
    errors, failures = [], []
    skipped = sum(1 for result in payload.get("results", []) if result.get("status") == "skipped")
    for result in payload.get("results", []):
        message = " ".join(str(result.get("message") or "").split())
        name = result.get("unique_id", "?")
        if result.get("status") == "error":
            errors.append(f"{name}: {message}")
        elif result.get("status") == "fail":
            failures.append(f"{name}: {message}")
    return errors, failures, skipped, payload.get("elapsed_time")


PARSE_FILE = "partial_parse.msgpack"


def parse_cache(cache_key: str) -> Path:
    """The project's last saved parse for builds of one kind (dbt's partial_parse.msgpack)."""
    return PROJECT_DIR / "target" / f"partial_parse-{cache_key}.msgpack"


def _copy_atomically(source: Path, destination: Path) -> None:
    partial = destination.with_name(f"{destination.name}.{os.getpid()}.part")
    try:
        shutil.copyfile(source, partial)
        os.replace(partial, destination)
    except OSError:
        partial.unlink(missing_ok=True)


def run_dbt(args: list[str], env: dict[str, str], console: Console, label: str,
            target_path: Path, keep_fds: list[int | None] | None = None, cwd: Path = PROJECT_DIR,
            cache_key: str | None = None, meanwhile: Callable[[], None] | None = None) -> DbtOutcome:
    """Run `dbt <args>` in the project; progress on `console`; never raises for dbt failures.

    `keep_fds` are inherited by dbt (the build lock, held until dbt exits). An interrupt stops dbt.
    `cwd` is dbt's working directory. With a `cache_key`, dbt starts from the parse the last run
    with that key saved (when `target_path` has none of its own) and saves its own back: dbt checks
    that nothing it parsed has changed and parses only what has (partial parsing).
    dbt starts ready nodes longest remaining chain first, weighed by the previous run's node times
    under `target_path` (lead_scoring.dbt_order).
    `meanwhile` runs while dbt starts and parses the project (lead_scoring.dbt_launch), before dbt
    runs the command and connects to the warehouse; if it raises, dbt is stopped and the error
    goes on to the caller.
    """
    target_path.mkdir(parents=True, exist_ok=True)
    own_parse = target_path / PARSE_FILE
    if cache_key and parse_cache(cache_key).is_file() and not own_parse.is_file():
        _copy_atomically(parse_cache(cache_key), own_parse)
    check_dbt_installed()
    command = launch_command(args, target_path)
    # The last run's results weigh the nodes of dbt's order in this one (lead_scoring.dbt_order);
    # run_results.json itself is this run's alone.
    if (target_path / "run_results.json").is_file():
        os.replace(target_path / "run_results.json", target_path / PREVIOUS_RESULTS)
    stray_lines: list[str] = []
    finished: set[str] = set()
    outcome = DbtOutcome(returncode=1)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[node]}"), TimeElapsedColumn(), console=console,
                  transient=False) as bar:
        task = bar.add_task(label, total=None, node="")
        process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **env, "PYTHONPATH": _python_path()},
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, errors="replace",
                                   pass_fds=[fd for fd in (keep_fds or []) if fd is not None])
        try:
            if meanwhile is not None:
                meanwhile()
            _go(process)
            _follow(process, bar, task, outcome, finished, stray_lines)
        except BaseException:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            raise
        outcome.returncode = process.wait()
        # dbt's error lines and whatever its process printed that is not one of its JSON log lines
        # (on Spark, the JVM's own log: the cause of a failed build is often only there), kept
        # beside dbt's log.
        (target_path / "logs").mkdir(parents=True, exist_ok=True)
        (target_path / "logs" / "other_output.log").write_text("\n".join(stray_lines) + "\n")
        bar.update(task, node="done" if outcome.returncode == 0 else "stopped")
    if cache_key and own_parse.is_file():
        _copy_atomically(own_parse, parse_cache(cache_key))
    outcome.errors, outcome.failures, outcome.skipped, outcome.elapsed_seconds = _read_run_results(target_path)
    if outcome.returncode != 0 and not outcome.errors and not outcome.failures:
        detail = next((line for line in reversed(stray_lines) if line.strip()), "no message")
        outcome.errors.append(" ".join(detail.split()))
    return outcome


def _python_path() -> str:
    """The child's PYTHONPATH: this package first (dbt runs in another working directory)."""
    return os.pathsep.join(filter(None, [str(PROJECT_DIR), os.environ.get("PYTHONPATH")]))


def _go(process) -> None:
    """Let lead_scoring.dbt_launch run the command (it has parsed the project, or is parsing it)."""
    assert process.stdin is not None
    try:
        process.stdin.write("go\n")
        process.stdin.close()
    except BrokenPipeError:  # dbt already exited: its output says why
        pass


def _follow(process, bar, task, outcome: DbtOutcome, finished: set[str], stray_lines: list[str]) -> None:
    """Read dbt's JSON log lines, moving the progress bar as nodes finish."""
    assert process.stdout is not None
    for line in process.stdout:
        try:
            event = json.loads(line)
        except ValueError:
            stray_lines.append(line.rstrip())
            continue
        name = event.get("info", {}).get("name")
        data = event.get("data", {})
        if name == "ConcurrencyLine":
            outcome.node_count = data.get("node_count", 0)
            bar.update(task, total=outcome.node_count)
        elif name == "LogStartLine":
            bar.update(task, node=data.get("node_info", {}).get("node_name", ""))
        elif name in FINISHED_EVENTS:
            finished.add(data.get("node_info", {}).get("unique_id") or line)
            # dbt's node_count leaves out unit tests: grow the total when they show up.
            outcome.node_count = max(outcome.node_count, len(finished))
            bar.update(task, completed=len(finished), total=outcome.node_count)
        elif event.get("info", {}).get("level") == "error":
            stray_lines.append(event["info"].get("msg", ""))
