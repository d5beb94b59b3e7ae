"""The quarterly MQL criteria review behind scripts/review_criteria.py (docs/mql_review.md).

Reads a built warehouse read-only:

- the evidence marts `rpt_activity_lift` (which activities signal intent) and
  `rpt_threshold_backtest` (what other thresholds would have done with the current scores);
- the scored history (`int_activities_episoded`, `dim_leads`, `fct_lifecycle_events`,
  `int_leads_lift_observed`, `int_lead_activity_types_observed`) to rescore other rules.

and recommends (a) points per activity type, calibrated on the measured effect of each activity
and shrunk toward the current points where the evidence is thin, and (b) an MQL threshold
(best F1, or the most recall that fits a sales capacity). `--challenger` rescores another
scoring_rules CSV on the same history next to the current rules.

Rescoring is a re-implementation of SPEC section 3 in NumPy (tests/oracle.py is the reference;
the tests check it reproduces the warehouse's MQLs exactly): per rule, the decayed sum is the
running recursion S_i = S_(i-1) * 0.5^(dt / half_life) + points, O(activities) per rule, then
capped, summed and floored at 0; all activities at one instant share one score. Episodes,
ICP fit and disqualifications do not depend on the rules and come from the warehouse.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from lead_scoring.contract import DEFAULT_DB, PROJECT_DIR
from lead_scoring.errors import EXIT_CANNOT_RUN, EXIT_OK, UserError

MQL_TOLERANCE = 1e-9
US_PER_DAY = 86_400_000_000
# An activity type without a cap counts up to this many times in the points calibration.
UNCAPPED_COUNT = 10
DEFAULT_OUT = PROJECT_DIR / "out" / "review"
RULE_COLUMNS = ["activity_type", "points", "max_points", "half_life_days", "description"]
STALE_OUTPUTS = ("proposed_scoring_rules.csv", "scoring_rules_diff.md", "challenger_switches.csv",
                 "activity_lift.png", "threshold_backtest.png")


# --------------------------------------------------------------------------------------------
# Scoring rules
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    activity_type: str
    points: float
    max_points: float | None
    half_life_days: float | None
    description: str = ""

    @property
    def cap_count(self) -> float:
        """How many activities of this type reach the cap (the most that count in calibration)."""
        if self.points == 0:
            return 1.0
        if self.max_points is None:
            return float(UNCAPPED_COUNT)
        return max(1.0, self.max_points / abs(self.points))


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_scoring_rules(path: Path) -> list[Rule]:
    """A scoring_rules CSV (the seed's columns), validated; problems name the file and line."""
    if not path.is_file():
        raise UserError(f"{path}: scoring rules file not found")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in RULE_COLUMNS[:4] if c not in (reader.fieldnames or [])]
        if missing:
            raise UserError(f"{path}: missing required column '{missing[0]}'")
        rules, seen = [], set()
        for line, row in enumerate(reader, start=2):
            row = {k: (v or "").strip() for k, v in row.items() if k}
            activity_type = row["activity_type"].lower()
            where = f"{path} line {line}"
            if not activity_type:
                raise UserError(f"{where}: activity_type is empty")
            if activity_type in seen:
                raise UserError(f"{where}: duplicate activity_type '{activity_type}'")
            seen.add(activity_type)
            points = _number(row["points"])
            if points is None:
                raise UserError(f"{where} ({activity_type}): points must be a number, got '{row['points']}'")
            optional = {}
            for column in ("max_points", "half_life_days"):
                value = row.get(column, "")
                number = _number(value) if value else None
                if value and (number is None or number <= 0):
                    raise UserError(f"{where} ({activity_type}): {column} must be a positive number or empty, "
                                    f"got '{value}'")
                optional[column] = number
            rules.append(Rule(activity_type, points, optional["max_points"], optional["half_life_days"],
                              row.get("description", "")))
    if not rules:
        raise UserError(f"{path}: no scoring rules")
    return rules


def _format_number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def write_scoring_rules(path: Path, rules: list[Rule]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(RULE_COLUMNS)
        for rule in rules:
            writer.writerow([rule.activity_type, _format_number(rule.points), _format_number(rule.max_points),
                             _format_number(rule.half_life_days), rule.description])


# --------------------------------------------------------------------------------------------
# The warehouse, read once
# --------------------------------------------------------------------------------------------


@dataclass
class Activities:
    """Every activity at or before as_of, sorted by lead, episode, time (then activity_id)."""

    lead: np.ndarray  # int64 lead code (index into History.lead_ids)
    episode: np.ndarray  # int64
    type_code: np.ndarray  # int64 index into types
    time_us: np.ndarray  # int64 microseconds since 1970
    types: list[str]


@dataclass
class History:
    db_path: Path
    as_of: datetime
    window_days: int
    observation_days: int
    current_threshold: float
    thresholds: list[float]
    rules: list[Rule]
    lift_rows: list[dict]
    backtest_rows: list[dict]
    lead_ids: np.ndarray  # object array of str, sorted
    lead_icp: np.ndarray  # bool per lead code
    lead_disqualified_us: np.ndarray  # int64 per lead code; int64 max when never disqualified
    lead_mql_count: np.ndarray  # int64 per lead code (dim_leads)
    lead_first_mql_us: np.ndarray  # int64 per lead code; -1 when never
    lead_sql_us: np.ndarray  # int64 per lead code (first SQL); -1 when never
    sql_lead: np.ndarray  # every SQL event, sorted by lead then time
    sql_us: np.ndarray
    period_end_us: int
    months_evaluated: float
    activities: Activities
    population_converted: np.ndarray  # mature ICP-fit leads of the lift: reached SQL in window?
    population_counts: dict[str, np.ndarray]  # activity type -> count per population lead


REQUIRED_RELATIONS = ("rpt_activity_lift", "rpt_threshold_backtest", "dim_leads", "fct_lifecycle_events",
                      "int_activities_episoded", "int_leads_lift_observed", "int_lead_activity_types_observed",
                      "stg_scoring_rules")


def _rows(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _array(con, sql: str) -> dict[str, np.ndarray]:
    return {name: np.asarray(values) for name, values in con.execute(sql).fetchnumpy().items()}


def load_history(db_path: Path) -> History:
    """Read everything the review needs from a built warehouse, read-only."""
    import duckdb

    if not db_path.is_file():
        raise UserError(f"{db_path}: warehouse not found; build it first with scripts/build.py --db {db_path}")
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:
        raise UserError(f"{db_path}: cannot open the warehouse read-only ({' '.join(str(exc).split())})") from None
    try:
        present = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
        missing = [name for name in REQUIRED_RELATIONS if name not in present]
        if missing:
            raise UserError(f"{db_path}: {missing[0]} is missing; rebuild with scripts/build.py (this warehouse "
                            "predates the review models)")
        return _load(con, db_path)
    finally:
        con.close()


def _load(con, db_path: Path) -> History:
    rules = [Rule(r["activity_type"], float(r["points"]),
                  None if r["max_points"] is None else float(r["max_points"]),
                  None if r["half_life_days"] is None else float(r["half_life_days"]),
                  r["description"] or "")
             for r in _rows(con, "select * from stg_scoring_rules order by activity_type")]
    lift_rows = _rows(con, "select * from rpt_activity_lift order by activity_type")
    backtest_rows = _rows(con, "select * from rpt_threshold_backtest order by mql_threshold")
    if not backtest_rows:
        raise UserError(f"{db_path}: rpt_threshold_backtest is empty")
    current = [r for r in backtest_rows if r["is_current_threshold"]]
    if len(current) != 1:
        raise UserError(f"{db_path}: rpt_threshold_backtest has {len(current)} current-threshold rows, expected 1")
    first = backtest_rows[0]
    observation_days = int(lift_rows[0]["observation_days"]) if lift_rows else 30

    codes = "with codes as (select lead_id, row_number() over (order by lead_id) - 1 as lead_code from dim_leads)"
    leads = _array(con, """
        select lead_id, is_icp_fit, mql_count,
            coalesce(epoch_us(first_mql_at), -1) as first_mql_us,
            coalesce(epoch_us(sql_at), -1) as sql_us
        from dim_leads order by lead_id""")
    n_leads = len(leads["lead_id"])
    disqualified = np.full(n_leads, np.iinfo(np.int64).max, dtype=np.int64)
    dq = _array(con, f"""{codes}
        select codes.lead_code, min(epoch_us(events.occurred_at)) as at_us
        from fct_lifecycle_events as events inner join codes on events.lead_id = codes.lead_id
        where events.stage = 'disqualified' group by codes.lead_code""")
    disqualified[dq["lead_code"].astype(np.int64)] = dq["at_us"].astype(np.int64)
    sqls = _array(con, f"""{codes}
        select codes.lead_code, epoch_us(events.occurred_at) as at_us
        from fct_lifecycle_events as events inner join codes on events.lead_id = codes.lead_id
        where events.stage = 'sql' order by codes.lead_code, at_us""")
    types = [row[0] for row in con.execute(
        "select distinct activity_type from int_activities_episoded order by activity_type").fetchall()]
    acts = _array(con, f"""{codes},
        type_codes as (
            select activity_type, row_number() over (order by activity_type) - 1 as type_code
            from (select distinct activity_type from int_activities_episoded)
        )
        select codes.lead_code, cast(activities.episode as bigint) as episode, type_codes.type_code,
            epoch_us(activities.occurred_at) as time_us
        from int_activities_episoded as activities
        inner join codes on activities.lead_id = codes.lead_id
        inner join type_codes on activities.activity_type = type_codes.activity_type
        order by codes.lead_code, activities.episode, activities.occurred_at, activities.activity_id""")
    population = _array(con, """
        select lead_id, is_sql_within_window from int_leads_lift_observed
        where is_mature order by lead_id""")
    exposures = _rows(con, """
        select observed.lead_id, observed.activity_type, observed.activity_count
        from int_lead_activity_types_observed as observed
        inner join int_leads_lift_observed as leads on observed.lead_id = leads.lead_id
        where leads.is_mature""")
    index = {lead_id: i for i, lead_id in enumerate(population["lead_id"].tolist())}
    counts: dict[str, np.ndarray] = {}
    for row in exposures:
        counts.setdefault(row["activity_type"], np.zeros(len(index)))[index[row["lead_id"]]] = row["activity_count"]
    return History(
        db_path=db_path,
        as_of=first["scored_as_of"],
        window_days=int(first["conversion_window_days"]),
        observation_days=observation_days,
        current_threshold=float(current[0]["mql_threshold"]),
        thresholds=[float(r["mql_threshold"]) for r in backtest_rows],
        rules=rules,
        lift_rows=lift_rows,
        backtest_rows=backtest_rows,
        lead_ids=leads["lead_id"],
        lead_icp=leads["is_icp_fit"].astype(bool),
        lead_disqualified_us=disqualified,
        lead_mql_count=leads["mql_count"].astype(np.int64),
        lead_first_mql_us=leads["first_mql_us"].astype(np.int64),
        lead_sql_us=leads["sql_us"].astype(np.int64),
        sql_lead=sqls["lead_code"].astype(np.int64),
        sql_us=sqls["at_us"].astype(np.int64),
        period_end_us=int(con.execute("select max(epoch_us(period_end_at)) from rpt_threshold_backtest").fetchone()[0]),
        months_evaluated=float(first["months_evaluated"]),
        activities=Activities(acts["lead_code"].astype(np.int64), acts["episode"].astype(np.int64),
                              acts["type_code"].astype(np.int64), acts["time_us"].astype(np.int64), types),
        population_converted=population["is_sql_within_window"].astype(bool),
        population_counts=counts,
    )


# --------------------------------------------------------------------------------------------
# Rescoring (SPEC section 3) and the threshold backtest, in NumPy
# --------------------------------------------------------------------------------------------


@dataclass
class ScoredRows:
    """The activities a rule set scores, with the engagement score right after each."""

    lead: np.ndarray
    group: np.ndarray  # lead-episode number, rows of one group are contiguous
    time_us: np.ndarray
    score: np.ndarray


def score_activities(acts: Activities, rules: list[Rule]) -> ScoredRows:
    """Engagement score after every activity whose type has a rule (SPEC section 3).

    Per rule, S_i = S_(i-1) * 0.5^(days since the previous row / half_life) + points (if the row
    is of the rule's type), within a lead-episode; then capped, summed over rules, floored at 0.
    Rows at one instant share the score after the last of them. The recursion runs over the
    position within the episode, vectorised across episodes: O(activities) per rule.
    """
    rule_of_type = {rule.activity_type: k for k, rule in enumerate(rules)}
    type_rule = np.array([rule_of_type.get(t, -1) for t in acts.types] or [-1], dtype=np.int64)
    keep = type_rule[acts.type_code] >= 0 if len(acts.type_code) else np.zeros(0, dtype=bool)
    lead, episode, time_us = acts.lead[keep], acts.episode[keep], acts.time_us[keep]
    rule_index = type_rule[acts.type_code[keep]]
    n = len(lead)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return ScoredRows(empty, empty, empty, np.zeros(0))
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = (lead[1:] != lead[:-1]) | (episode[1:] != episode[:-1])
    group = np.cumsum(new_group) - 1
    position = np.arange(n) - np.flatnonzero(new_group)[group]
    by_position = np.argsort(position, kind="stable")
    bounds = np.searchsorted(position[by_position], np.arange(position.max() + 2))
    slices = [by_position[bounds[p]:bounds[p + 1]] for p in range(1, len(bounds) - 1)]
    gap_days = np.zeros(n)
    gap_days[1:] = (time_us[1:] - time_us[:-1]) / US_PER_DAY
    gap_days[new_group] = 0.0

    total = np.zeros(n)
    for k, rule in enumerate(rules):
        points = np.where(rule_index == k, rule.points, 0.0)
        if not points.any():
            continue
        decay = np.ones(n) if rule.half_life_days is None else 0.5 ** (gap_days / rule.half_life_days)
        running = points.copy()
        for rows in slices:
            running[rows] = running[rows - 1] * decay[rows] + points[rows]
        if rule.max_points is not None:
            running = np.sign(running) * np.minimum(np.abs(running), rule.max_points)
        total += running
    score = np.maximum(0.0, total)
    new_instant = new_group.copy()
    new_instant[1:] |= time_us[1:] != time_us[:-1]
    instant = np.cumsum(new_instant) - 1
    last_of_instant = np.r_[np.flatnonzero(new_instant)[1:] - 1, n - 1]
    return ScoredRows(lead, group, time_us, score[last_of_instant[instant]])


def mql_moments(scored: ScoredRows, history: History, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """(lead codes, MQL instants) at a threshold: per lead-episode, the first row with a score >=
    threshold - 1e-9 while the lead is ICP fit and not yet disqualified."""
    eligible = history.lead_icp[scored.lead] & (history.lead_disqualified_us[scored.lead] > scored.time_us)
    rows = np.flatnonzero(eligible & (scored.score >= threshold - MQL_TOLERANCE))
    if len(rows) == 0:
        return rows, rows
    first = rows[np.r_[True, scored.group[rows][1:] != scored.group[rows][:-1]]]
    return scored.lead[first], scored.time_us[first]


def _nearest_event(q_lead, q_us, e_lead, e_us, after: bool) -> np.ndarray:
    """For each query (lead, instant), the instant of the same lead's first event at or after it
    (after=True) or last event at or before it (after=False); -1 when there is none."""
    nq = len(q_lead)
    if nq == 0 or len(e_lead) == 0:
        return np.full(nq, -1, dtype=np.int64)
    lead = np.r_[q_lead, e_lead]
    when = np.r_[q_us, e_us]
    # At one instant the events sort after the queries (after=True) or before them, so "at" counts.
    is_event = np.r_[np.zeros(nq, dtype=bool), np.ones(len(e_lead), dtype=bool)]
    kind = is_event if after else ~is_event
    order = np.lexsort((kind, when, lead))
    total = len(order)
    positions = np.arange(total)
    if after:
        candidate = np.where(is_event[order], positions, total)
        nearest = np.minimum.accumulate(candidate[::-1])[::-1]
    else:
        candidate = np.where(is_event[order], positions, -1)
        nearest = np.maximum.accumulate(candidate)
    query_positions = np.empty(nq, dtype=np.int64)
    query_positions[order[~is_event[order]]] = positions[~is_event[order]]
    found = nearest[query_positions]
    valid = (found >= 0) & (found < total)
    result = np.full(nq, -1, dtype=np.int64)
    hit = np.flatnonzero(valid)
    same_lead = lead[order[found[hit]]] == q_lead[hit]
    result[hit[same_lead]] = when[order[found[hit[same_lead]]]]
    return result


def backtest(scored: ScoredRows, history: History, thresholds: list[float]) -> list[dict]:
    """rpt_threshold_backtest's measures for a rule set (already scored) over thresholds."""
    window_us = history.window_days * US_PER_DAY
    evaluated_sql = history.sql_us <= history.period_end_us
    sql_lead, sql_us = history.sql_lead[evaluated_sql], history.sql_us[evaluated_sql]
    rows = []
    for threshold in thresholds:
        lead, at_us = mql_moments(scored, history, threshold)
        evaluated = at_us <= history.period_end_us
        next_sql = _nearest_event(lead[evaluated], at_us[evaluated], history.sql_lead, history.sql_us, after=True)
        reached = int(((next_sql >= 0) & (next_sql <= at_us[evaluated] + window_us)).sum())
        previous_mql = _nearest_event(sql_lead, sql_us, lead, at_us, after=False)
        after_mql = int(((previous_mql >= 0) & (sql_us <= previous_mql + window_us)).sum())
        mql_count, sql_count = int(evaluated.sum()), int(len(sql_us))
        precision = reached / mql_count if mql_count else None
        recall = after_mql / sql_count if sql_count else None
        rows.append({
            "mql_threshold": threshold,
            "mql_count": mql_count,
            "mqls_per_month": mql_count / history.months_evaluated if history.months_evaluated > 0 else None,
            "mql_reached_sql_count": reached,
            "precision_rate": precision,
            "sql_count": sql_count,
            "sql_after_mql_count": after_mql,
            "recall_rate": recall,
            "f1_score": _f1(precision, recall),
            "mql_count_to_date": int(len(lead)),
            "mql_lead_count_to_date": int(len(np.unique(lead))),
            "is_current_threshold": threshold == history.current_threshold,
        })
    return rows


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def first_mql_per_lead(scored: ScoredRows, history: History, threshold: float) -> np.ndarray:
    """Each lead's first MQL instant at a threshold (-1 when never), per lead code."""
    lead, at_us = mql_moments(scored, history, threshold)
    first = np.full(len(history.lead_ids), -1, dtype=np.int64)
    # moments are sorted by lead then episode, so the first per lead is the earliest
    keep = np.r_[True, lead[1:] != lead[:-1]] if len(lead) else np.zeros(0, dtype=bool)
    first[lead[keep]] = at_us[keep]
    return first


# --------------------------------------------------------------------------------------------
# Points calibration
# --------------------------------------------------------------------------------------------


def _logistic_fit(features: np.ndarray, outcome: np.ndarray, prior_mean: np.ndarray | None = None,
                  prior_precision: np.ndarray | None = None, iterations: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Logistic regression with an intercept (Newton's method); coefficients after the intercept
    may have a Gaussian prior. Returns (coefficients, covariance), intercept first."""
    design = np.column_stack([np.ones(len(outcome)), features])
    width = design.shape[1]
    mean = np.zeros(width) if prior_mean is None else np.r_[0.0, prior_mean]
    precision = np.zeros(width) if prior_precision is None else np.r_[0.0, prior_precision]
    beta = mean.copy()
    beta[0] = math.log(max(outcome.mean(), 1e-6) / max(1 - outcome.mean(), 1e-6))
    hessian = np.eye(width)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ beta, -35, 35)))
        gradient = design.T @ (outcome - p) - precision * (beta - mean)
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + np.diag(precision) + 1e-9 * np.eye(width)
        step = np.linalg.solve(hessian, gradient)
        beta = beta + step
        if np.max(np.abs(step)) < 1e-10:
            break
    return beta, np.linalg.inv(hessian)


@dataclass
class PointsRecommendation:
    activity_type: str
    current_points: float
    proposed_points: float
    current_max_points: float | None
    proposed_max_points: float | None
    points_standard_error: float | None
    exposed_lead_count: int
    lift: float | None
    lift_lower: float | None
    lift_upper: float | None
    reason: str


@dataclass
class Calibration:
    possible: bool
    statement: str
    log_odds_per_point: float | None = None
    log_odds_per_point_z: float | None = None
    recommendations: list[PointsRecommendation] = field(default_factory=list)


def calibrate_points(history: History, rules: list[Rule], prior_sd: float = 0.5, min_z: float = 3.0) -> Calibration:
    """Points per activity type from the measured effect of each activity on reaching SQL.

    1. Scale: a logistic regression of reaching SQL within the window on the current rules'
       (undecayed, capped) score at the end of observation gives gamma, the log-odds one current
       point is worth. If gamma is not clearly positive (z < min_z), the current points do not
       separate converting leads from the rest in this history: nothing to calibrate against.
    2. Effects: a logistic regression on each type's capped count, every coefficient with a
       Gaussian prior centred on gamma * current points (sd prior_sd log-odds for a type's full
       capped contribution): types with few leads stay near their current points.
    3. Proposed points = coefficient / gamma, rounded; caps keep the same number of activities.
    """
    lift = {row["activity_type"]: row for row in history.lift_rows}
    outcome = history.population_converted.astype(float)
    n = len(outcome)
    counts = np.column_stack([history.population_counts.get(r.activity_type, np.zeros(n)) for r in rules]) \
        if n else np.zeros((0, len(rules)))
    cap_counts = np.array([r.cap_count for r in rules])
    effective = np.minimum(counts, cap_counts)
    points = np.array([r.points for r in rules])

    def unchanged(reason: str) -> list[PointsRecommendation]:
        return [_recommendation(rule, rule.points, None, lift, reason) for rule in rules]

    score = effective @ points
    if n == 0 or outcome.sum() == 0 or outcome.sum() == n or np.ptp(score) == 0:
        return Calibration(False, "the scoring history has no variation to calibrate on", None, None,
                           unchanged("no evidence"))
    scale = np.abs(score).max()
    (_, gamma_scaled), covariance = _logistic_fit(score[:, None] / scale, outcome)
    gamma = gamma_scaled / scale
    gamma_z = gamma_scaled / math.sqrt(covariance[1, 1])
    if gamma <= 0 or gamma_z < min_z:
        statement = (f"the current score does not predict reaching SQL in this history (log-odds per point "
                     f"{gamma:.4f}, z = {gamma_z:.1f} < {min_z:g}): no activity's points can be calibrated; "
                     "keep the current points")
        return Calibration(False, statement, gamma, gamma_z, unchanged("no consistent signal"))

    prior_mean = gamma * points
    prior_precision = (cap_counts / prior_sd) ** 2
    beta, covariance = _logistic_fit(effective, outcome, prior_mean, prior_precision)
    recommendations = []
    for k, rule in enumerate(rules):
        implied = beta[k + 1] / gamma
        standard_error = math.sqrt(covariance[k + 1, k + 1]) / gamma
        exposed = int((counts[:, k] > 0).sum())
        proposed = rule.points if exposed == 0 or abs(implied - rule.points) < 0.5 else float(round(implied))
        if exposed == 0:
            reason = "nobody did it: kept"
        elif proposed == rule.points:
            reason = "evidence agrees with the current points"
        else:
            direction = "more" if proposed > rule.points else "less"
            reason = f"leads who did it converted {direction} than its points imply"
        recommendations.append(_recommendation(rule, proposed, standard_error, lift, reason, exposed))
    statement = (f"one current point is worth {gamma:.4f} log-odds of reaching SQL (z = {gamma_z:.1f}); "
                 "points re-weighted from each activity's measured effect, shrunk toward the current "
                 "points where few leads did it")
    return Calibration(True, statement, gamma, gamma_z, recommendations)


def _recommendation(rule: Rule, proposed: float, standard_error: float | None, lift: dict, reason: str,
                    exposed: int | None = None) -> PointsRecommendation:
    row = lift.get(rule.activity_type, {})
    if rule.max_points is None or proposed == rule.points:
        proposed_max = rule.max_points
    elif proposed == 0:
        proposed_max = rule.max_points
    else:
        proposed_max = float(round(abs(proposed) * rule.cap_count))
    return PointsRecommendation(
        activity_type=rule.activity_type,
        current_points=rule.points,
        proposed_points=proposed,
        current_max_points=rule.max_points,
        proposed_max_points=proposed_max,
        points_standard_error=standard_error,
        exposed_lead_count=int(row.get("exposed_lead_count") or 0) if exposed is None else exposed,
        lift=row.get("lift"),
        lift_lower=row.get("lift_lower"),
        lift_upper=row.get("lift_upper"),
        reason=reason,
    )


def proposed_rules(rules: list[Rule], calibration: Calibration) -> list[Rule]:
    by_type = {r.activity_type: r for r in calibration.recommendations}
    result = []
    for rule in rules:
        rec = by_type.get(rule.activity_type)
        if rec is None:
            result.append(rule)
        else:
            result.append(Rule(rule.activity_type, rec.proposed_points, rec.proposed_max_points,
                               rule.half_life_days, rule.description))
    return result


# --------------------------------------------------------------------------------------------
# Threshold recommendation
# --------------------------------------------------------------------------------------------


@dataclass
class ThresholdRecommendation:
    threshold: float
    reason: str


def recommend_threshold(rows: list[dict], current: float, capacity: float | None = None,
                        min_f1_gain: float = 0.01, use_f1: bool = True) -> ThresholdRecommendation:
    """The lowest threshold whose MQLs per month fit capacity (most recall within it), or the
    best F1 unless the current threshold is within min_f1_gain of it (no change for noise)."""
    by_threshold = {row["mql_threshold"]: row for row in rows}
    if capacity is not None:
        fitting = [row for row in rows if row["mqls_per_month"] is not None and row["mqls_per_month"] <= capacity]
        if not fitting:
            top = max(rows, key=lambda row: row["mql_threshold"])
            return ThresholdRecommendation(
                top["mql_threshold"],
                f"no threshold in the grid keeps MQLs within {capacity:g} a month; the highest gives "
                f"{_fmt(top['mqls_per_month'])}")
        best = min(fitting, key=lambda row: row["mql_threshold"])
        return ThresholdRecommendation(
            best["mql_threshold"],
            f"lowest threshold with at most {capacity:g} MQLs a month ({_fmt(best['mqls_per_month'])}): "
            "the most SQLs sales can handle")
    if not use_f1:
        return ThresholdRecommendation(current, "no threshold change without a predictive score")
    scored = [row for row in rows if row["f1_score"] is not None]
    if not scored:
        return ThresholdRecommendation(current, "no threshold has an F1 yet: keep the current one")
    best = max(scored, key=lambda row: (row["f1_score"], -abs(row["mql_threshold"] - current)))
    current_f1 = (by_threshold.get(current) or {}).get("f1_score")
    if current_f1 is not None and current_f1 >= best["f1_score"] - min_f1_gain:
        return ThresholdRecommendation(
            current, f"the current threshold's F1 ({current_f1:.3f}) is within {min_f1_gain:g} of the best "
            f"({best['f1_score']:.3f} at {best['mql_threshold']:g}): keep it")
    return ThresholdRecommendation(best["mql_threshold"], f"best F1 ({best['f1_score']:.3f})")


def _fmt(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


# --------------------------------------------------------------------------------------------
# History checks and the review itself
# --------------------------------------------------------------------------------------------


def check_history(history: History, min_conversions: int) -> None:
    """Raise UserError (exit 2) with a clear statement when no recommendation can be made yet."""
    prefix = "no recommendation can be made yet: "
    as_of = f"{history.as_of:%Y-%m-%d %H:%M}"
    mature = len(history.population_converted)
    if mature == 0 or history.months_evaluated <= 0:
        raise UserError(prefix + f"no mature cohort — no ICP-fit lead's {history.window_days}-day conversion window "
                        f"has elapsed by as_of {as_of}; rerun when the history is longer")
    converted = int(history.population_converted.sum())
    if converted < min_conversions:
        raise UserError(prefix + f"only {converted} of {mature} mature ICP-fit leads reached SQL within "
                        f"{history.window_days} days (at least {min_conversions} needed, --min-conversions)")
    sql_count = history.backtest_rows[0]["sql_count"]
    if sql_count < min_conversions:
        raise UserError(prefix + f"only {sql_count} SQLs in the evaluated period up to "
                        f"{history.backtest_rows[0]['period_end_at']:%Y-%m-%d} (at least {min_conversions} "
                        "needed, --min-conversions)")


@dataclass
class Review:
    history: History
    calibration: Calibration
    proposed: list[Rule]
    current_row: dict
    proposed_backtest: list[dict]
    threshold: ThresholdRecommendation
    proposed_row: dict  # proposed points at the recommended threshold
    proposed_at_current_row: dict  # proposed points at the current threshold
    challenger: dict | None = None


def run_review(history: History, capacity: float | None = None, prior_sd: float = 0.5, min_z: float = 3.0,
               min_f1_gain: float = 0.01) -> Review:
    calibration = calibrate_points(history, history.rules, prior_sd=prior_sd, min_z=min_z)
    proposed = proposed_rules(history.rules, calibration)
    if proposed == history.rules:
        proposed_backtest = history.backtest_rows
    else:
        proposed_backtest = backtest(score_activities(history.activities, proposed), history, history.thresholds)
    threshold = recommend_threshold(proposed_backtest, history.current_threshold, capacity, min_f1_gain,
                                    use_f1=calibration.possible)
    current_row = next(r for r in history.backtest_rows if r["is_current_threshold"])
    proposed_row = next(r for r in proposed_backtest if r["mql_threshold"] == threshold.threshold)
    at_current = next(r for r in proposed_backtest if r["mql_threshold"] == history.current_threshold)
    return Review(history, calibration, proposed, current_row, proposed_backtest, threshold, proposed_row,
                  at_current)


def compare_challenger(history: History, rules: list[Rule], threshold: float | None = None) -> dict:
    """The challenger's volume, precision and recall next to the current rules', and the leads
    whose MQL status (an MQL at or before as_of) would differ."""
    threshold = history.current_threshold if threshold is None else threshold
    thresholds = sorted({*history.thresholds, threshold})
    scored = score_activities(history.activities, rules)
    rows = backtest(scored, history, thresholds)
    challenger_row = next(r for r in rows if r["mql_threshold"] == threshold)
    current_row = next(r for r in history.backtest_rows if r["is_current_threshold"])
    challenger_first = first_mql_per_lead(scored, history, threshold)
    current_first = np.where(history.lead_mql_count > 0, history.lead_first_mql_us, -1)
    switches = []
    for code in np.flatnonzero((challenger_first >= 0) != (current_first >= 0)):
        switches.append({
            "lead_id": str(history.lead_ids[code]),
            "switch": "gained" if challenger_first[code] >= 0 else "lost",
            "current_first_mql_at": _iso(current_first[code]),
            "challenger_first_mql_at": _iso(challenger_first[code]),
            "sql_at": _iso(history.lead_sql_us[code]),
        })
    return {"threshold": threshold, "current": current_row, "challenger": challenger_row, "backtest": rows,
            "switches": switches}


def _iso(value_us: int) -> str:
    if value_us < 0:
        return ""
    return datetime.fromtimestamp(value_us / 1_000_000, UTC).strftime("%Y-%m-%d %H:%M:%S")


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _change(before: float | None, after: float | None, percent: bool = False) -> str:
    if before is None or after is None:
        return "n/a"
    if percent:
        return f"{_pct(before)} -> {_pct(after)} ({round(100 * (after - before), 1) + 0.0:+.1f} pts)"
    return f"{before:.1f} -> {after:.1f} ({round(after - before, 1) + 0.0:+.1f})"


def diff_markdown(review: Review) -> str:
    """The proposed scoring rules against the current ones, with the evidence, for people."""
    h, cal = review.history, review.calibration
    lines = [
        "# Proposed scoring rules",
        "",
        f"Warehouse `{h.db_path}`, as of {h.as_of:%Y-%m-%d %H:%M} UTC; conversion window {h.window_days} days; "
        f"current MQL threshold {h.current_threshold:g}.",
        "",
        f"Points: {cal.statement}.",
        f"Threshold: {review.threshold.threshold:g} — {review.threshold.reason}.",
        "",
        "| activity type | points | cap | leads who did it | lift (95% interval) | why |",
        "|---|---|---|---|---|---|",
    ]
    for rec in cal.recommendations:
        points = _arrow(rec.current_points, rec.proposed_points)
        cap = _arrow(rec.current_max_points, rec.proposed_max_points)
        interval = "n/a" if rec.lift_lower is None else \
            f"{_fmt(rec.lift, 2)} ({rec.lift_lower:.2f}-{rec.lift_upper:.2f})"
        lines.append(f"| {rec.activity_type} | {points} | {cap} | {rec.exposed_lead_count} | {interval} | "
                     f"{rec.reason} |")
    cur, mid, new = review.current_row, review.proposed_at_current_row, review.proposed_row
    threshold = review.threshold.threshold
    lines += [
        "",
        f"## Expected change (evaluated period up to {h.backtest_rows[0]['period_end_at']:%Y-%m-%d}, same history)",
        "",
        f"| measure | now: current points, threshold {h.current_threshold:g} | proposed points, threshold "
        f"{h.current_threshold:g} | proposal: proposed points, threshold {threshold:g} | change |",
        "|---|---|---|---|---|",
        f"| MQLs per month | {_fmt(cur['mqls_per_month'])} | {_fmt(mid['mqls_per_month'])} | "
        f"{_fmt(new['mqls_per_month'])} | {_change(cur['mqls_per_month'], new['mqls_per_month'])} |",
        f"| precision (MQLs reaching SQL in the window) | {_pct(cur['precision_rate'])} | "
        f"{_pct(mid['precision_rate'])} | {_pct(new['precision_rate'])} | "
        f"{_change(cur['precision_rate'], new['precision_rate'], True)} |",
        f"| recall (SQLs with an MQL first) | {_pct(cur['recall_rate'])} | {_pct(mid['recall_rate'])} | "
        f"{_pct(new['recall_rate'])} | {_change(cur['recall_rate'], new['recall_rate'], True)} |",
        f"| F1 | {_fmt(cur['f1_score'], 3)} | {_fmt(mid['f1_score'], 3)} | {_fmt(new['f1_score'], 3)} | |",
        "",
        "Half-lives are not reviewed (they would need rescoring per candidate); decide them separately.",
    ]
    if review.challenger:
        lines += ["", *challenger_markdown(review.challenger)]
    return "\n".join(lines) + "\n"


def _arrow(before: float | None, after: float | None) -> str:
    if before == after:
        return _format_number(before) or "none"
    return f"{_format_number(before) or 'none'} -> **{_format_number(after) or 'none'}**"


def challenger_markdown(result: dict) -> list[str]:
    cur, chal = result["current"], result["challenger"]
    gained = [s for s in result["switches"] if s["switch"] == "gained"]
    lost = [s for s in result["switches"] if s["switch"] == "lost"]
    return [
        f"## Challenger at threshold {result['threshold']:g}",
        "",
        "| measure | current rules | challenger |",
        "|---|---|---|",
        f"| MQLs per month | {_fmt(cur['mqls_per_month'])} | {_fmt(chal['mqls_per_month'])} |",
        f"| precision | {_pct(cur['precision_rate'])} | {_pct(chal['precision_rate'])} |",
        f"| recall | {_pct(cur['recall_rate'])} | {_pct(chal['recall_rate'])} |",
        f"| F1 | {_fmt(cur['f1_score'], 3)} | {_fmt(chal['f1_score'], 3)} |",
        f"| MQLs to date | {cur['mql_count_to_date']} | {chal['mql_count_to_date']} |",
        "",
        f"Leads that would become MQLs only under the challenger: {len(gained)} "
        f"({sum(1 for s in gained if s['sql_at'])} of them reached SQL); leads that would no longer be "
        f"MQLs: {len(lost)} ({sum(1 for s in lost if s['sql_at'])} reached SQL). "
        "The list is challenger_switches.csv.",
    ]


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_outputs(review: Review, out_dir: Path, charts: bool = True) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"proposed_rules": out_dir / "proposed_scoring_rules.csv", "diff": out_dir / "scoring_rules_diff.md",
             "json": out_dir / "review.json"}
    write_scoring_rules(paths["proposed_rules"], review.proposed)
    paths["diff"].write_text(diff_markdown(review))
    if review.challenger:
        paths["switches"] = out_dir / "challenger_switches.csv"
        columns = ["lead_id", "switch", "current_first_mql_at", "challenger_first_mql_at", "sql_at"]
        with paths["switches"].open("w", newline="") as handle:
            writer = csv.DictWriter(handle, columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(review.challenger["switches"])
    if charts:
        from lead_scoring.review_charts import save_charts

        paths.update(save_charts(out_dir, review.history.lift_rows, review.history.backtest_rows,
                                 review.history.current_threshold, review.threshold.threshold,
                                 None if review.proposed == review.history.rules else review.proposed_backtest))
    payload = {
        "status": "ok",
        "warehouse": str(review.history.db_path),
        "as_of": review.history.as_of,
        "conversion_window_days": review.history.window_days,
        "observation_days": review.history.observation_days,
        "current_threshold": review.history.current_threshold,
        "points": {"calibrated": review.calibration.possible, "statement": review.calibration.statement,
                   "log_odds_per_point": review.calibration.log_odds_per_point,
                   "log_odds_per_point_z": review.calibration.log_odds_per_point_z,
                   "recommendations": [asdict(r) for r in review.calibration.recommendations]},
        "threshold": asdict(review.threshold),
        "expected_change": {"current": review.current_row, "proposed_points_current_threshold":
                            review.proposed_at_current_row, "proposal": review.proposed_row},
        "challenger": None if not review.challenger else {
            k: v for k, v in review.challenger.items() if k != "backtest"},
        "outputs": {k: str(v) for k, v in paths.items()},
    }
    paths["json"].write_text(json.dumps(_jsonable(payload), indent=2) + "\n")
    return paths


def print_review(review: Review, paths: dict[str, Path], console) -> None:
    from rich.table import Table

    h = review.history
    console.print(f"MQL criteria review of {h.db_path} as of {h.as_of:%Y-%m-%d %H:%M} UTC "
                  f"({len(h.population_converted)} mature ICP-fit leads, "
                  f"{int(h.population_converted.sum())} reached SQL within {h.window_days} days)", highlight=False)
    lift = Table(title="Activity lift (mature ICP-fit leads; SQL within the window)", title_justify="left")
    for column in ("activity type", "points", "did it", "SQL rate did", "SQL rate did not", "lift (95% CI)"):
        lift.add_column(column, justify="left" if column == "activity type" else "right")
    ranked = sorted(h.lift_rows, key=lambda r: (r["lift"] is None, -(r["lift"] or 0)))
    for row in ranked:
        interval = "" if row["lift_lower"] is None else f" ({row['lift_lower']:.2f}-{row['lift_upper']:.2f})"
        lift.add_row(row["activity_type"], _format_number(row["points"]) or "-", str(row["exposed_lead_count"]),
                     _pct(row["exposed_sql_rate"]), _pct(row["unexposed_sql_rate"]),
                     f"{_fmt(row['lift'], 2)}{interval}")
    console.print(lift)
    console.print(f"points: {review.calibration.statement}", highlight=False)
    changes = [r for r in review.calibration.recommendations if r.proposed_points != r.current_points]
    if changes:
        table = Table(title="Proposed points", title_justify="left")
        for column in ("activity type", "points", "cap", "why"):
            table.add_column(column)
        for rec in changes:
            table.add_row(rec.activity_type, _arrow(rec.current_points, rec.proposed_points).replace("**", ""),
                          _arrow(rec.current_max_points, rec.proposed_max_points).replace("**", ""), rec.reason)
        console.print(table)
    else:
        console.print("points: no changes recommended")
    console.print(f"threshold: {review.threshold.threshold:g} ({review.threshold.reason})", highlight=False)
    cur, new = review.current_row, review.proposed_row
    console.print(f"expected change: MQLs/month {_change(cur['mqls_per_month'], new['mqls_per_month'])}; "
                  f"precision {_change(cur['precision_rate'], new['precision_rate'], True)}; "
                  f"recall {_change(cur['recall_rate'], new['recall_rate'], True)}", highlight=False)
    if review.challenger:
        result = review.challenger
        table = Table(title=f"Challenger at threshold {result['threshold']:g}", title_justify="left")
        for column in ("measure", "current rules", "challenger"):
            table.add_column(column, justify="left" if column == "measure" else "right")
        for label, key, format_value in (("MQLs per month", "mqls_per_month", _fmt),
                                         ("precision", "precision_rate", _pct), ("recall", "recall_rate", _pct),
                                         ("F1", "f1_score", lambda v: _fmt(v, 3)),
                                         ("MQLs to date", "mql_count_to_date", str)):
            table.add_row(label, format_value(result["current"][key]), format_value(result["challenger"][key]))
        console.print(table)
        gained = sum(1 for s in result["switches"] if s["switch"] == "gained")
        lost = len(result["switches"]) - gained
        console.print(f"challenger: {gained} lead(s) would become MQLs only under it, {lost} would no longer be "
                      "MQLs (challenger_switches.csv)", highlight=False)
    console.print(f"wrote {', '.join(str(p) for p in paths.values())}", highlight=False)


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/review_criteria.py",
        description="Quarterly MQL criteria review: recommend points per activity type and an MQL threshold "
                    "from a built warehouse's history, and compare a challenger scoring_rules CSV.",
    )
    parser.add_argument("--db", type=Path, default=None,
                        help="built DuckDB warehouse, opened read-only (default LEAD_SCORING_DB or "
                             f"{DEFAULT_DB.relative_to(PROJECT_DIR)})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder for the proposal, diff, JSON and charts "
                             f"(default {DEFAULT_OUT.relative_to(PROJECT_DIR)})")
    parser.add_argument("--capacity", type=float, help="MQLs per month sales can work: recommend the lowest "
                        "threshold within it instead of the best F1")
    parser.add_argument("--challenger", type=Path, help="a scoring_rules CSV to rescore next to the current rules")
    parser.add_argument("--challenger-threshold", type=float,
                        help="MQL threshold for the challenger (default: the current threshold)")
    parser.add_argument("--min-conversions", type=int, default=30,
                        help="mature ICP-fit leads that reached SQL (and SQLs in the evaluated period) needed "
                             "before recommending (default 30)")
    parser.add_argument("--min-z", type=float, default=3.0,
                        help="how clearly the current score must predict SQL before points are re-weighted "
                             "(z of its log-odds per point; default 3)")
    parser.add_argument("--prior-sd", type=float, default=0.5,
                        help="how far (log-odds of a type's full capped contribution) evidence may pull points "
                             "from the current ones (default 0.5; smaller keeps them closer)")
    parser.add_argument("--min-f1-gain", type=float, default=0.01,
                        help="keep the current threshold unless another improves F1 by more (default 0.01)")
    parser.add_argument("--no-charts", action="store_true", help="do not write the PNG charts")
    args = parser.parse_args(argv)
    if args.capacity is not None and args.capacity <= 0:
        raise UserError(f"--capacity must be a positive number of MQLs per month, got {args.capacity:g}")
    if args.challenger_threshold is not None and args.challenger_threshold <= 0:
        raise UserError(f"--challenger-threshold must be positive, got {args.challenger_threshold:g}")
    if args.min_conversions < 1:
        raise UserError("--min-conversions must be at least 1")
    if args.prior_sd <= 0:
        raise UserError("--prior-sd must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console

    console = Console()
    out_dir = None
    try:
        args = parse_args(argv)
        out_dir = args.out
        challenger_rules = read_scoring_rules(args.challenger) if args.challenger else None
        db_path = (args.db or Path(os.environ.get("LEAD_SCORING_DB") or DEFAULT_DB)).resolve()
        history = load_history(db_path)
        check_history(history, args.min_conversions)
        review = run_review(history, args.capacity, args.prior_sd, args.min_z, args.min_f1_gain)
        if challenger_rules is not None:
            review.challenger = compare_challenger(history, challenger_rules, args.challenger_threshold)
        paths = write_outputs(review, args.out, charts=not args.no_charts)
        print_review(review, paths, console)
        return EXIT_OK
    except UserError as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True, highlight=False)
        if out_dir is not None and str(exc).startswith("no recommendation can be made yet"):
            out_dir.mkdir(parents=True, exist_ok=True)
            for stale in STALE_OUTPUTS:  # never leave an older proposal beside this statement
                (out_dir / stale).unlink(missing_ok=True)
            (out_dir / "review.json").write_text(json.dumps({"status": "insufficient_history",
                                                              "statement": str(exc)}, indent=2) + "\n")
        return exc.exit_code
    except KeyboardInterrupt:
        console.print("[red]error:[/red] interrupted")
        return EXIT_CANNOT_RUN


if __name__ == "__main__":
    sys.exit(main())
