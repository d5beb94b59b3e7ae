"""benchmarks/build_timeline.py: each model's start and end from a build's run_results.json."""

import importlib.util
import json
import shutil

from conftest import PROJECT_DIR

from lead_scoring.build import run_path

spec = importlib.util.spec_from_file_location("build_timeline", PROJECT_DIR / "benchmarks" / "build_timeline.py")
build_timeline = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_timeline)


def node(name: str, started: str | None, completed: str | None) -> dict:
    timing = [{"name": "compile", "started_at": started, "completed_at": started}]
    if started:
        timing.append({"name": "execute", "started_at": started, "completed_at": completed})
    return {"unique_id": f"model.lead_scoring.{name}", "timing": timing}


RESULTS = {"elapsed_time": 12.5, "results": [
    node("b_second", "2026-12-04T10:00:03.500000Z", "2026-12-04T10:00:10.000000Z"),
    node("a_first", "2026-12-04T10:00:01.000000Z", "2026-12-04T10:00:04.000000Z"),
    node("c_tiny", "2026-12-04T10:00:04.000000Z", "2026-12-04T10:00:04.100000Z"),
    node("skipped", None, None),
]}


def test_timeline_orders_by_start_from_the_first_model():
    assert build_timeline.timeline(RESULTS) == [
        (0.0, 3.0, 3.0, "a_first"), (2.5, 9.0, 6.5, "b_second"), (3.0, 3.1, 0.1, "c_tiny")]


def test_main_prints_the_build_of_a_warehouse_file(tmp_path, capsys):
    db = tmp_path / "timeline-check.duckdb"
    folder = run_path(db.resolve())
    folder.mkdir(parents=True)
    try:
        (folder / "run_results.json").write_text(json.dumps(RESULTS))
        assert build_timeline.main([str(db)]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].endswith("dbt elapsed 12.5 s")
        # c_tiny (0.1 s) is under --min-seconds' default of 0.4.
        assert [line.split() for line in lines[2:]] == [
            ["0.0", "3.0", "3.0", "a_first"], ["2.5", "9.0", "6.5", "b_second"]]
    finally:
        shutil.rmtree(folder)


def test_main_without_a_build_says_so(tmp_path, capsys):
    assert build_timeline.main([str(tmp_path / "never-built.duckdb")]) == 2
    assert "build it first" in capsys.readouterr().err
