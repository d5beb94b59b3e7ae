"""The MQL criteria review (issue 8; docs/mql_review.md): rpt_activity_lift, rpt_threshold_backtest
and scripts/review_criteria.py.

Warehouses, built once per session:
- signal: the funnel tests' generated warehouse (tests/funnel_warehouses.py: 6,000 leads, edge
  cases). The generator (lead_scoring/generate.py) makes demo requests and pricing views raise a
  lead's chance of reaching SQL and careers page views lower it.
- no_signal: the same raw folder with every lead's dispositions and opportunities handed to another
  lead (a random permutation, timestamps shifted by the difference of the two leads' created_at):
  reaching SQL no longer depends on what a lead did.
"""

import csv
import json
import math
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import oracle
import pytest
from conftest import PROJECT_DIR, run_script
from funnel_warehouses import AS_OF, base_warehouse

from lead_scoring.errors import UserError
from lead_scoring.review import (
    Activities,
    History,
    Rule,
    backtest,
    check_history,
    first_mql_per_lead,
    load_history,
    read_scoring_rules,
    recommend_threshold,
    score_activities,
)
from lead_scoring.review_charts import charts_html, save_charts

SEED_RULES = PROJECT_DIR / "seeds" / "config" / "scoring_rules.csv"


# --------------------------------------------------------------------------------------------
# Warehouses
# --------------------------------------------------------------------------------------------


def build(raw_dir: Path, db: Path, as_of: str) -> Path:
    # Models only: the data tests already run on the signal warehouse (funnel_warehouses).
    result = run_script("build.py", "--raw-dir", str(raw_dir), "--as-of", as_of, "--db", str(db), "--quiet",
                        "--skip-tests", timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return db


def shuffle_funnels(source: Path, target: Path, seed: int = 0) -> Path:
    """Copy a raw folder, giving each lead's dispositions and opportunities to another lead (a random
    permutation), shifted by the difference of the two leads' created_at."""
    shutil.copytree(source, target)
    with (source / "leads.csv").open(newline="") as handle:
        created = {row["lead_id"]: oracle.parse_ts(row["created_at"]) for row in csv.DictReader(handle)}
    lead_ids = sorted(created)
    permutation = np.random.default_rng(seed).permutation(len(lead_ids))
    recipient = {lead_ids[permutation[i]]: lead_ids[i] for i in range(len(lead_ids))}
    for table, columns in (("sales_dispositions", ["disposition_at"]),
                           ("opportunities", ["created_at", "closed_at"])):
        with (source / f"{table}.csv").open(newline="") as handle:
            reader = csv.DictReader(handle)
            fields, rows = reader.fieldnames, list(reader)
        for row in rows:
            donor = row["lead_id"].strip()
            if donor not in recipient:
                continue
            new_lead = recipient[donor]
            shift = created[new_lead] - created[donor]
            row["lead_id"] = new_lead
            for column in columns:
                if row[column]:
                    row[column] = (oracle.parse_ts(row[column]) + shift).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        with (target / f"{table}.csv").open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fields)
            writer.writeheader()
            writer.writerows(rows)
    return target


@pytest.fixture(scope="session")
def signal_db(tmp_path_factory) -> Path:
    warehouse = base_warehouse(tmp_path_factory)
    assert warehouse.db.is_file(), warehouse.output
    return warehouse.db


@pytest.fixture(scope="session")
def no_signal_db(tmp_path_factory) -> Path:
    warehouse = base_warehouse(tmp_path_factory)
    folder = tmp_path_factory.mktemp("review-no-signal")
    raw = shuffle_funnels(warehouse.raw_dir, folder / "raw")
    return build(raw, folder / "warehouse.duckdb", AS_OF)


@pytest.fixture(scope="session")
def signal_history(signal_db) -> History:
    return load_history(signal_db)


@pytest.fixture(scope="session")
def signal_review(signal_db, tmp_path_factory) -> dict:
    """scripts/review_criteria.py on the signal warehouse: its result, output folder and JSON."""
    out = tmp_path_factory.mktemp("review-signal-out")
    result = run_script("review_criteria.py", "--db", str(signal_db), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return {"result": result, "out": out, "json": json.loads((out / "review.json").read_text())}


def query(db: Path, sql: str) -> list[dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def read_rules_csv(path: Path) -> dict[str, dict]:
    with path.open(newline="") as handle:
        return {row["activity_type"]: row for row in csv.DictReader(handle)}


def points_of(path: Path) -> dict[str, float]:
    return {k: float(v["points"]) for k, v in read_rules_csv(path).items()}


def assert_one_line_error(result, *fragments: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output, output
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, output
    for fragment in fragments:
        assert fragment in output.replace("\n", " "), output


# --------------------------------------------------------------------------------------------
# The lift table and the recommendation on data with a known signal
# --------------------------------------------------------------------------------------------


def test_lift_ranks_demo_and_pricing_high_and_careers_low(signal_db):
    rows = query(signal_db, "select * from rpt_activity_lift where is_scored and exposed_lead_count >= 30 "
                            "order by lift desc")
    ranked = [row["activity_type"] for row in rows]
    by_type = {row["activity_type"]: row for row in rows}
    assert ranked[0] == "demo_request", ranked
    assert by_type["demo_request"]["lift_lower"] > 2
    assert ranked.index("pricing_page_view") < len(ranked) / 3, ranked
    assert by_type["pricing_page_view"]["lift_lower"] > 1
    assert ranked.index("careers_page_view") >= len(ranked) - 3, ranked
    assert by_type["careers_page_view"]["lift"] < 1
    for row in rows:  # the interval holds the lift, the Wilson intervals hold the rates
        assert row["lift_lower"] <= row["lift"] <= row["lift_upper"]
        assert row["exposed_sql_rate_lower"] <= row["exposed_sql_rate"] <= row["exposed_sql_rate_upper"]


def test_recommended_points_move_with_the_signal(signal_review):
    current, proposed = points_of(SEED_RULES), points_of(signal_review["out"] / "proposed_scoring_rules.csv")
    assert set(proposed) == set(current)
    assert proposed["demo_request"] >= current["demo_request"]
    assert proposed["pricing_page_view"] > current["pricing_page_view"]
    assert proposed["careers_page_view"] < current["careers_page_view"]
    points = signal_review["json"]["points"]
    assert points["calibrated"] is True
    assert points["log_odds_per_point_z"] > 3


def test_review_writes_proposal_diff_json_and_charts(signal_review):
    out, payload = signal_review["out"], signal_review["json"]
    with (out / "proposed_scoring_rules.csv").open(newline="") as handle:
        assert csv.DictReader(handle).fieldnames == ["activity_type", "points", "max_points", "half_life_days",
                                                     "description"]
    proposed, seed = read_rules_csv(out / "proposed_scoring_rules.csv"), read_rules_csv(SEED_RULES)
    for activity_type, row in proposed.items():  # half-lives and descriptions are not touched
        assert row["half_life_days"] == seed[activity_type]["half_life_days"]
        assert row["description"] == seed[activity_type]["description"]
    diff = (out / "scoring_rules_diff.md").read_text()
    assert "pricing_page_view | 10 -> **" in diff
    assert "Expected change" in diff and "MQLs per month" in diff and "precision" in diff and "recall" in diff
    assert payload["status"] == "ok"
    change = payload["expected_change"]
    assert change["current"]["is_current_threshold"] is True
    assert change["proposal"]["mql_threshold"] == payload["threshold"]["threshold"]
    for name in ("activity_lift.png", "threshold_backtest.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "threshold:" in signal_review["result"].stdout


def test_capacity_gives_the_lowest_threshold_within_it(signal_db, signal_history, tmp_path):
    current = next(r for r in signal_history.backtest_rows if r["is_current_threshold"])
    capacity = current["mqls_per_month"] / 2
    result = run_script("review_criteria.py", "--db", str(signal_db), "--out", str(tmp_path), "--capacity",
                        f"{capacity:.3f}", "--no-charts")
    assert result.returncode == 0, result.stdout + result.stderr
    payload = json.loads((tmp_path / "review.json").read_text())
    chosen = payload["threshold"]["threshold"]
    assert payload["expected_change"]["proposal"]["mqls_per_month"] <= capacity
    assert chosen > signal_history.current_threshold
    assert "at most" in payload["threshold"]["reason"]


# --------------------------------------------------------------------------------------------
# No signal, too little history, bad input
# --------------------------------------------------------------------------------------------


def test_no_signal_recommends_no_large_changes(no_signal_db, tmp_path):
    result = run_script("review_criteria.py", "--db", str(no_signal_db), "--out", str(tmp_path), "--no-charts")
    assert result.returncode == 0, result.stdout + result.stderr
    current, proposed = points_of(SEED_RULES), points_of(tmp_path / "proposed_scoring_rules.csv")
    for activity_type, points in current.items():
        assert abs(proposed[activity_type] - points) <= max(2.0, 0.2 * abs(points)), activity_type
    payload = json.loads((tmp_path / "review.json").read_text())
    assert payload["threshold"]["threshold"] == payload["current_threshold"]
    assert "does not predict" in payload["points"]["statement"]


def test_no_signal_lifts_are_not_strong(no_signal_db):
    rows = query(no_signal_db, "select * from rpt_activity_lift where is_scored and exposed_lead_count >= 100")
    assert rows
    for row in rows:
        assert row["lift_lower"] < 1.6 and row["lift_upper"] > 0.6, row


def test_no_mature_cohort_means_no_recommendation(signal_history):
    # A history shorter than the window: no mature lead, an empty evaluated period (the SQL side is
    # the dbt unit test threshold_backtest_without_mature_history).
    young = replace(signal_history, population_converted=np.zeros(0, dtype=bool), months_evaluated=0.0)
    with pytest.raises(UserError, match="no recommendation can be made yet: no mature cohort") as raised:
        check_history(young, 30)
    assert raised.value.exit_code == 2


def test_too_few_conversions_means_no_recommendation(signal_db, tmp_path):
    result = run_script("review_criteria.py", "--db", str(signal_db), "--out", str(tmp_path),
                        "--min-conversions", "100000")
    assert_one_line_error(result, "no recommendation can be made yet", "--min-conversions")
    payload = json.loads((tmp_path / "review.json").read_text())
    assert payload["status"] == "insufficient_history"
    assert not (tmp_path / "proposed_scoring_rules.csv").exists()


@pytest.mark.parametrize(("args", "fragment"), [
    (["--capacity", "0"], "--capacity"),
    (["--min-conversions", "0"], "--min-conversions"),
    (["--challenger-threshold", "-5"], "--challenger-threshold"),
])
def test_bad_flags_are_one_line_errors(tmp_path, args, fragment):
    result = run_script("review_criteria.py", "--db", str(tmp_path / "none.duckdb"), *args)
    assert_one_line_error(result, fragment)


def test_missing_warehouse_is_a_one_line_error(tmp_path):
    result = run_script("review_criteria.py", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path))
    assert_one_line_error(result, "none.duckdb", "scripts/build.py")


def test_bad_challenger_names_file_and_line(tmp_path):
    path = tmp_path / "challenger.csv"
    path.write_text(SEED_RULES.read_text().replace("page_view,1,10,14", "page_view,1,10,-14"))
    result = run_script("review_criteria.py", "--db", str(tmp_path / "none.duckdb"), "--challenger", str(path))
    assert_one_line_error(result, "challenger.csv line", "half_life_days")


# --------------------------------------------------------------------------------------------
# Rescoring and backtest in Python against the warehouse
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("warehouse", ["signal_db", "no_signal_db"])
def test_python_backtest_reproduces_the_warehouse(request, warehouse):
    history = load_history(request.getfixturevalue(warehouse))
    scored = score_activities(history.activities, history.rules)
    rows = backtest(scored, history, history.thresholds)
    for mine, theirs in zip(rows, history.backtest_rows, strict=True):
        for column in ("mql_threshold", "mql_count", "mql_reached_sql_count", "sql_count", "sql_after_mql_count",
                       "mql_count_to_date", "mql_lead_count_to_date", "is_current_threshold"):
            assert mine[column] == theirs[column], (mine["mql_threshold"], column)
        for column in ("mqls_per_month", "precision_rate", "recall_rate", "f1_score"):
            # the warehouse rounds to 6 decimals (months_evaluated too)
            assert mine[column] == pytest.approx(theirs[column], rel=1e-6, abs=1e-6), (mine["mql_threshold"], column)
    first = first_mql_per_lead(scored, history, history.current_threshold)
    expected = np.where(history.lead_mql_count > 0, history.lead_first_mql_us, -1)
    assert np.array_equal(first, expected)


def test_challenger_equal_to_current_switches_nobody(signal_db, tmp_path):
    result = run_script("review_criteria.py", "--db", str(signal_db), "--out", str(tmp_path), "--no-charts",
                        "--challenger", str(SEED_RULES))
    assert result.returncode == 0, result.stdout + result.stderr
    challenger = json.loads((tmp_path / "review.json").read_text())["challenger"]
    assert challenger["switches"] == []
    for column in ("mql_count", "mql_reached_sql_count", "sql_after_mql_count", "mql_count_to_date"):
        assert challenger["challenger"][column] == challenger["current"][column]
    with (tmp_path / "challenger_switches.csv").open() as handle:
        assert len(handle.readlines()) == 1


def test_challenger_without_demo_points_loses_demo_only_mqls(signal_db, signal_history, tmp_path):
    path = tmp_path / "no_demo.csv"
    path.write_text(SEED_RULES.read_text().replace("demo_request,100,100,90", "demo_request,0,100,90"))
    out = tmp_path / "out"
    result = run_script("review_criteria.py", "--db", str(signal_db), "--out", str(out), "--no-charts",
                        "--challenger", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    challenger = json.loads((out / "review.json").read_text())["challenger"]
    assert challenger["challenger"]["mql_count_to_date"] < challenger["current"]["mql_count_to_date"]
    switches = list(csv.DictReader((out / "challenger_switches.csv").open()))
    assert switches and {row["switch"] for row in switches} == {"lost"}
    lost = {row["lead_id"] for row in switches}
    demo_leads = {row["lead_id"] for row in query(
        signal_db, "select distinct lead_id from fct_lead_score_history where activity_type = 'demo_request'")}
    assert lost <= demo_leads
    assert "Challenger at threshold 100" in (out / "scoring_rules_diff.md").read_text()


def naive_utc(time_us: int) -> datetime:
    return datetime.fromtimestamp(time_us / 1e6, UTC).replace(tzinfo=None)


def _random_activities(seed: int) -> tuple[Activities, list[dict]]:
    """A few leads with random activities (ties, several episodes, unscored types)."""
    rng = np.random.default_rng(seed)
    types = ["careers_page_view", "chat_started", "demo_request", "email_bounce", "email_open",
             "page_view", "pricing_page_view", "unsubscribe", "webinar_attended"]
    records = []
    start = datetime(2026, 1, 1, tzinfo=UTC).timestamp()
    for lead in range(6):
        n = int(rng.integers(1, 60))
        times = np.sort(start + rng.integers(0, 200, size=n) * 86400.0 * rng.choice([1.0, 0.25], size=n))
        times[rng.random(n) < 0.2] = times[0]  # ties
        times.sort()
        boundaries = np.sort(rng.choice(times, size=2)) if rng.random() < 0.5 else np.zeros(0)
        episodes = 1 + np.searchsorted(boundaries, times, side="left")  # boundary instant: old episode
        for i in range(n):
            records.append({"lead": lead, "episode": int(episodes[i]), "type": types[rng.integers(len(types))],
                            "time_us": int(times[i] * 1e6), "id": f"a{lead}_{i:03d}"})
    records.sort(key=lambda r: (r["lead"], r["episode"], r["time_us"], r["id"]))
    acts = Activities(np.array([r["lead"] for r in records]), np.array([r["episode"] for r in records]),
                      np.array([types.index(r["type"]) for r in records]), np.array([r["time_us"] for r in records]),
                      types)
    return acts, records


@pytest.mark.parametrize("seed", range(5))
def test_rescoring_matches_the_oracle(seed):
    config = oracle.load_config(PROJECT_DIR / "seeds" / "config")
    rules = read_scoring_rules(SEED_RULES)
    acts, records = _random_activities(seed)
    scored = score_activities(acts, rules)
    scored_records = [r for r in records if r["type"] in config["scoring_rules"]]
    assert len(scored.score) == len(scored_records)
    for record, score in zip(scored_records, scored.score, strict=True):
        episode = [
            {"activity_type": r["type"], "occurred_at": naive_utc(r["time_us"])}
            for r in scored_records if r["lead"] == record["lead"] and r["episode"] == record["episode"]
        ]
        expected = oracle.engagement_score(episode, naive_utc(record["time_us"]), config["scoring_rules"])
        assert math.isclose(score, expected, rel_tol=1e-9, abs_tol=1e-9), record


def test_rescoring_a_placeholder_date_does_not_overflow():
    rules = [Rule("page_view", 1.0, None, 14.0)]
    times = [datetime(1970, 1, 1, tzinfo=UTC).timestamp(), datetime(2026, 1, 1, tzinfo=UTC).timestamp()]
    acts = Activities(np.array([0, 0]), np.array([1, 1]), np.array([0, 0]),
                      np.array([int(t * 1e6) for t in times]), ["page_view"])
    assert score_activities(acts, rules).score.tolist() == [1.0, 1.0]


# --------------------------------------------------------------------------------------------
# Threshold choice, rules files and charts
# --------------------------------------------------------------------------------------------


def _rows(f1: dict[float, float], volume: dict[float, float] | None = None) -> list[dict]:
    return [{"mql_threshold": t, "f1_score": f, "mqls_per_month": (volume or {}).get(t, 100 - t)}
            for t, f in f1.items()]


def test_threshold_keeps_current_unless_f1_clearly_better():
    assert recommend_threshold(_rows({50: 0.300, 100: 0.295, 150: 0.2}), 100).threshold == 100
    assert recommend_threshold(_rows({50: 0.350, 100: 0.295, 150: 0.2}), 100).threshold == 50
    assert recommend_threshold(_rows({50: 0.350, 100: 0.295}), 100, use_f1=False).threshold == 100


def test_threshold_for_capacity_is_the_lowest_that_fits():
    rows = _rows({50: 0.3, 100: 0.3, 150: 0.3}, {50: 80, 100: 40, 150: 20})
    assert recommend_threshold(rows, 100, capacity=45).threshold == 100
    assert recommend_threshold(rows, 100, capacity=30).threshold == 150
    too_small = recommend_threshold(rows, 100, capacity=5)
    assert too_small.threshold == 150 and "no threshold" in too_small.reason


def test_scoring_rules_files_are_validated(tmp_path):
    assert [r.activity_type for r in read_scoring_rules(SEED_RULES)][:2] == ["email_open", "email_click"]
    path = tmp_path / "rules.csv"
    path.write_text("activity_type,points,max_points,half_life_days,description\nemail_open,lots,10,30,x\n")
    with pytest.raises(Exception, match="line 2 .*points must be a number"):
        read_scoring_rules(path)


def test_charts_html_embeds_both_charts(signal_history, tmp_path):
    fragment = charts_html(signal_history.lift_rows, signal_history.backtest_rows,
                           signal_history.current_threshold, 120.0)
    assert fragment.startswith('<section class="mql-review-charts">')
    assert fragment.count('src="data:image/png;base64,') == 2
    paths = save_charts(tmp_path, signal_history.lift_rows, signal_history.backtest_rows, 100.0, None)
    assert all(path.read_bytes()[:4] == b"\x89PNG" for path in paths.values())
    assert charts_html([], [], 100.0).count("data:image/png") == 2  # empty inputs still render
