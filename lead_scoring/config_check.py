"""Validate the configuration seeds that marketing ops edit, before any model runs.

Each problem is one line naming the seed, the line and what is wrong, e.g.
``seeds/config/scoring_rules.csv line 4 (activity_type 'page_view'): half_life_days must be a
positive number or empty, got '-3'``.
"""

import csv
import math
from pathlib import Path

from lead_scoring.contract import (
    ICP_ATTRIBUTES_CATEGORICAL,
    ICP_ATTRIBUTES_NUMERIC,
    PROJECT_DIR,
    SENIORITIES,
)
from lead_scoring.errors import UserError

REQUIRED_COLUMNS = {
    "scoring_rules": ["activity_type", "points", "max_points", "half_life_days", "description"],
    "icp_rules": ["attribute", "match_value", "min_value", "max_value", "points"],
    "job_title_seniority": ["keyword", "seniority", "priority"],
    "personal_email_domains": ["domain"],
    "competitor_domains": ["domain"],
}


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _read(config_dir: Path, seed: str) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    path = config_dir / f"{seed}.csv"
    label = path.relative_to(PROJECT_DIR) if path.is_relative_to(PROJECT_DIR) else path
    if not path.is_file():
        raise UserError(f"{label}: configuration seed is missing")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS[seed] if c not in (reader.fieldnames or [])]
        if missing:
            raise UserError(f"{label}: missing required column '{missing[0]}'")
        rows = [(index + 2, {k: (v or "").strip() for k, v in row.items() if k}) for index, row in
                enumerate(reader)]
    return str(label), rows


def _check_scoring_rules(config_dir: Path, max_rules: int) -> list[str]:
    label, rows = _read(config_dir, "scoring_rules")
    problems, seen = [], {}
    for line, row in rows:
        activity_type = row["activity_type"].lower()
        where = f"{label} line {line} (activity_type '{row['activity_type']}')"
        if not activity_type:
            problems.append(f"{label} line {line}: activity_type is empty")
        elif activity_type in seen:
            problems.append(f"{where}: duplicate activity_type (also on line {seen[activity_type]})")
        seen.setdefault(activity_type, line)
        if _number(row["points"]) is None:
            problems.append(f"{where}: points must be a number, got '{row['points']}'")
        for column in ("max_points", "half_life_days"):
            value = row[column]
            if value and (_number(value) is None or _number(value) <= 0):
                problems.append(f"{where}: {column} must be a positive number or empty, got '{value}'")
    if len(rows) > max_rules:
        problems.append(
            f"{label}: {len(rows)} rules, more than var scoring_rule_slots ({max_rules}); "
            "raise scoring_rule_slots in dbt_project.yml"
        )
    return problems


def _check_icp_rules(config_dir: Path) -> list[str]:
    label, rows = _read(config_dir, "icp_rules")
    problems = []
    known = ICP_ATTRIBUTES_CATEGORICAL + ICP_ATTRIBUTES_NUMERIC
    for line, row in rows:
        attribute = row["attribute"].lower()
        where = f"{label} line {line} (attribute '{row['attribute']}')"
        if attribute not in known:
            problems.append(f"{where}: unknown attribute, expected one of {', '.join(known)}")
            continue
        if _number(row["points"]) is None:
            problems.append(f"{where}: points must be a number, got '{row['points']}'")
        if attribute in ICP_ATTRIBUTES_CATEGORICAL:
            if not row["match_value"]:
                problems.append(f"{where}: a categorical rule needs match_value")
            if row["min_value"] or row["max_value"]:
                problems.append(f"{where}: a categorical rule takes match_value, not min_value/max_value")
            if attribute == "job_seniority" and row["match_value"].lower() not in SENIORITIES:
                problems.append(f"{where}: unknown seniority '{row['match_value']}'")
            continue
        if row["match_value"]:
            problems.append(f"{where}: a numeric rule takes min_value/max_value, not match_value")
        bounds = {}
        for column in ("min_value", "max_value"):
            if row[column]:
                bounds[column] = _number(row[column])
                if bounds[column] is None:
                    problems.append(f"{where}: {column} must be a number or empty, got '{row[column]}'")
        if not row["min_value"] and not row["max_value"]:
            problems.append(f"{where}: a numeric rule needs min_value or max_value")
        low, high = bounds.get("min_value"), bounds.get("max_value")
        if low is not None and high is not None and low >= high:
            problems.append(f"{where}: min_value must be below max_value (max is exclusive)")
    return problems


def _check_job_title_seniority(config_dir: Path) -> list[str]:
    label, rows = _read(config_dir, "job_title_seniority")
    problems, seen = [], {}
    for line, row in rows:
        keyword = " ".join(row["keyword"].lower().split())
        where = f"{label} line {line} (keyword '{row['keyword']}')"
        if not keyword:
            problems.append(f"{label} line {line}: keyword is empty")
        elif keyword in seen:
            problems.append(f"{where}: duplicate keyword (also on line {seen[keyword]})")
        seen.setdefault(keyword, line)
        if row["seniority"].lower() not in SENIORITIES:
            problems.append(
                f"{where}: unknown seniority '{row['seniority']}', expected one of {', '.join(SENIORITIES)}"
            )
        if not row["priority"].lstrip("-").isdigit():
            problems.append(f"{where}: priority must be a whole number, got '{row['priority']}'")
    return problems


def _check_domains(config_dir: Path, seed: str) -> list[str]:
    label, rows = _read(config_dir, seed)
    return [f"{label} line {line}: domain is empty" for line, row in rows if not row["domain"]]


def validate_config(config_dir: Path, max_rules: int) -> None:
    """Raise UserError with the first problem (and how many more) when a seed is invalid."""
    problems = (
        _check_scoring_rules(config_dir, max_rules)
        + _check_icp_rules(config_dir)
        + _check_job_title_seniority(config_dir)
        + _check_domains(config_dir, "personal_email_domains")
        + _check_domains(config_dir, "competitor_domains")
    )
    if problems:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise UserError(problems[0] + more)
