"""lead_scoring.benchmark without builds: the sizes run interleaved within each round, and the scaling
section (each size over the one before: medians and round-by-round ratios) in the JSON and the markdown,
from small made-up measurements. Fast: no data is generated and nothing is built."""

import json

import pytest

from lead_scoring import benchmark

# Made-up seconds per round (3 rounds) and activities: M then L, 5x the activities.
FIGURES = {
    "M": {"activities": 10_000_000, "full": [40.0, 44.0, 42.0], "dbt": [36.0, 38.0, 37.0],
          "handwritten": [30.0, 34.0, 32.0], "incremental": [10.0, 12.0, 11.0]},
    "L": {"activities": 50_000_000, "full": [220.0, 250.0, 230.0], "dbt": [200.0, 215.0, 205.0],
          "handwritten": [240.0, 270.0, 250.0], "incremental": [30.0, 36.0, 33.0]},
    "S": {"activities": 1_000_000, "full": [8.0, 8.0, 8.0], "dbt": [6.0, 6.0, 6.0],
          "handwritten": [4.0, 4.0, 4.0], "incremental": [2.0, 2.0, 2.0]},
    # The fixed-cost size: a full build and the query each round, no incremental build.
    "XS": {"activities": 100_000, "full": [5.0, 5.0, 5.0], "dbt": [2.0, 3.0, 2.0],
           "handwritten": [0.5, 0.5, 0.5], "incremental": [1.0, 1.0, 1.0]},
}
INFO = {"cpus": 2, "memory_gib": 7.8, "platform": "Linux", "python": "3.11", "duckdb": "1.x", "dbt_core": "1.x"}


def fake_round(size: str, index: int) -> dict:
    figures = FIGURES[size]
    models = {"int_activities_scored": figures["dbt"][index] / 2, "stg_activities": 1.0}
    return {
        "full": {"seconds": figures["full"][index], "peak_rss_mib": 900.0,
                 "dbt_elapsed_seconds": figures["dbt"][index], "models": models},
        "handwritten": {"seconds": figures["handwritten"][index], "peak_rss_mib": 700.0},
        "incremental": {"seconds": figures["incremental"][index], "peak_rss_mib": 500.0,
                        "dbt_elapsed_seconds": figures["incremental"][index] - 1, "models": models},
    }


def fake_prepared(size: str, rounds: int = 3) -> dict:
    prepared = {"size": size, "activities": FIGURES[size]["activities"],
                "runs": {"full": [], "handwritten": [], "incremental": []}}
    for index in range(rounds):
        for kind, run in fake_round(size, index).items():
            prepared["runs"][kind].append(run)
    return prepared


def results(*sizes: str) -> list[dict]:
    return [benchmark.summarise_size(fake_prepared(size), with_tests=False) for size in sizes]


def test_scaling_of_m_to_l_medians_and_rounds():
    (pair,) = benchmark.scaling(results("M", "L"))
    assert (pair["from_size"], pair["to_size"]) == ("M", "L")
    assert pair["activities_ratio"] == 5.0
    assert pair["full_build_ratio"] == pytest.approx(230 / 42)  # 5.48: medians 230 and 42
    assert pair["full_dbt_elapsed_ratio"] == pytest.approx(205 / 37)
    assert pair["handwritten_ratio"] == pytest.approx(250 / 32)
    assert pair["incremental_ratio"] == pytest.approx(3.0)
    assert pair["full_build_ratio_per_round"] == pytest.approx([5.5, 250 / 44, 230 / 42])
    assert pair["handwritten_ratio_per_round"] == pytest.approx([8.0, 270 / 34, 250 / 32])


def test_scaling_follows_the_order_given_pair_by_pair():
    pairs = benchmark.scaling(results("S", "M", "L"))
    assert [(p["from_size"], p["to_size"]) for p in pairs] == [("S", "M"), ("M", "L")]
    assert pairs[0]["activities_ratio"] == 10.0
    assert pairs[0]["full_build_ratio"] == pytest.approx(42 / 8)
    assert pairs[0]["full_build_ratio_per_round"] == pytest.approx([5.0, 5.5, 5.25])
    assert benchmark.scaling(results("L", "M"))[0]["full_build_ratio"] == pytest.approx(42 / 230)


def test_no_scaling_for_one_size_and_none_without_dbt_elapsed():
    assert benchmark.scaling(results("M")) == []
    without_elapsed = results("M", "L")
    without_elapsed[0]["full_dbt_elapsed_seconds"] = None
    assert benchmark.scaling(without_elapsed)[0]["full_dbt_elapsed_ratio"] is None


def test_markdown_has_the_scaling_table_after_the_main_table():
    text = benchmark.markdown(results("M", "L"), "python scripts/benchmark.py --sizes M,L", INFO)
    row = "| L/M | 5.00 | 5.48 | 5.54 | 7.81 | 3.00 | 5.50, 5.68, 5.48 | 8.00, 7.94, 7.81 |"
    assert row in text.splitlines()
    assert "| L | 50,000,000 | 230.0 |" in text
    assert text.index("| L | 50,000,000 |") < text.index("interleaved within each round") < text.index(row)
    assert text.index(row) < text.index("Where the time goes at size L")
    assert "full build L/M <= 5.5 for 5x the activities" in text


def test_markdown_without_scaling_for_one_size():
    text = benchmark.markdown(results("M"), "python scripts/benchmark.py --sizes M", INFO)
    assert "interleaved" not in text and "| sizes |" not in text
    assert "| M | 10,000,000 | 42.0 | 37.0 | 900 | 11.0 | 26% | 32.0 | 1.31 | 1.16 |" in text


def test_main_interleaves_sizes_within_each_round(tmp_path, monkeypatch):
    order = []

    def prepare(size, root, rounds, progress, fixed_cost=False):
        prepared = {**fake_prepared(size, rounds=0), "task": progress.add_task(size, total=rounds * 3)}
        if fixed_cost:
            del prepared["runs"]["incremental"]
        return prepared

    def run_round(prepared, root, with_tests, progress):
        index = len(prepared["runs"]["full"])
        order.append((index + 1, prepared["size"]))
        for kind, run in fake_round(prepared["size"], index).items():
            if kind in prepared["runs"]:
                prepared["runs"][kind].append(run)
        progress.advance(prepared["task"], 3)

    monkeypatch.setattr(benchmark, "prepare_size", prepare)
    monkeypatch.setattr(benchmark, "run_round", run_round)
    monkeypatch.setattr(benchmark, "machine", lambda: INFO)
    code = benchmark.main(["--sizes", "M,L", "--rounds", "3", "--work-dir", str(tmp_path),
                           "--markdown", str(tmp_path / "table.md")])
    assert code == 0
    # Each round: the fixed-cost size XS first, then the sizes in the order given.
    assert order == [(1, "XS"), (1, "M"), (1, "L"), (2, "XS"), (2, "M"), (2, "L"), (3, "XS"), (3, "M"), (3, "L")]
    payload = json.loads((tmp_path / "results.json").read_text())
    assert payload["fixed_cost"]["size"] == "XS" and "incremental" not in payload["fixed_cost"]["runs"]
    m = payload["results"][0]
    # (dbt - dbt at XS) / (query - query at XS): per round, and median over median (37 - 2) / (32 - 0.5).
    assert m["dbt_elapsed_over_handwritten_fixed_aside_per_round"] == pytest.approx(
        [34 / 29.5, 35 / 33.5, 35 / 31.5])
    assert m["dbt_elapsed_over_handwritten_fixed_aside"] == pytest.approx(35 / 31.5)
    assert (m["fixed_cost_dbt_elapsed_seconds"], m["fixed_cost_handwritten_seconds"]) == (2.0, 0.5)
    assert f"| 1.16 | {35 / 31.5:.2f} |" in (tmp_path / "table.md").read_text()
    assert [r["size"] for r in payload["results"]] == ["M", "L"]
    assert payload["results"][1]["full_build_seconds"] == 230.0 and payload["results"][1]["rounds"] == 3
    (pair,) = payload["scaling"]
    assert pair["full_build_ratio"] == pytest.approx(230 / 42)
    assert pair["handwritten_ratio_per_round"] == pytest.approx([8.0, 270 / 34, 250 / 32])
    assert "| L/M | 5.00 | 5.48 |" in (tmp_path / "table.md").read_text()
