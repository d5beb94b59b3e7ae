"""scripts/check_metrics.py: check the MQL funnel's conversion rates against bounds and drift rules.

The checks live in a YAML file (default config/metric_checks.yml; rules in docs/metrics.md). They
read fct_funnel_cohorts from a built DuckDB warehouse, read-only, and compare only mature cohorts.

- bounds: a rate of the latest mature cohort (or of each mature cohort, or of all mature cohorts
  pooled) must lie within [min, max].
- drift: the latest mature cohort's rate against the pooled rate of the previous N cohort months,
  by a two-proportion z-test; it fails only when the change is both statistically significant
  (|z| >= z_threshold) and at least min_change (a fraction: 0.05 = 5 points) in the direction the
  check watches.

A cohort (or baseline) whose denominator is below min_cohort_size is skipped, never failed: small
cohorts swing by chance. Exit codes: 0 every check passed or was skipped, 1 a check failed,
2 the checks could not run (missing warehouse or mart, malformed or unknown configuration).
"""

import argparse
import json
import math
import os
import sys
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import yaml
from rich.console import Console
from rich.table import Table

from lead_scoring.contract import DEFAULT_DB, PROJECT_DIR
from lead_scoring.errors import EXIT_CANNOT_RUN, EXIT_CHECKS_FAILED, EXIT_OK, UserError

DEFAULT_CONFIG = PROJECT_DIR / "config" / "metric_checks.yml"
DEFAULT_JSON = PROJECT_DIR / "out" / "metrics" / "check_metrics.json"
MART = "fct_funnel_cohorts"

# Each checkable rate of fct_funnel_cohorts as (numerator, denominator) count columns, so that a
# rate over several rows (all lead sources, a pooled baseline) is a ratio of sums, never a mean.
METRICS: dict[str, tuple[str, str]] = {
    "mql_to_sal_rate": ("sals", "mqls"),
    "sal_to_sql_rate": ("sals_reaching_sql", "sals"),
    "sql_to_opportunity_rate": ("sqls_reaching_opportunity", "sqls"),
    "opportunity_to_customer_rate": ("opportunities_reaching_customer", "opportunities"),
    "mql_to_sql_rate": ("sqls", "mqls"),
    "mql_to_sql_rate_window": ("sqls_within_window", "mqls"),
}
SEGMENTS = ("lead_source", "fit_grade")
CHECK_TYPES = ("bounds", "drift")
BOUNDS_COHORTS = ("latest_mature", "each_mature", "pooled_mature")
DIRECTIONS = ("down", "up", "both")

# Defaults for every check; the YAML's `defaults:` and each check may override them.
BUILTIN_DEFAULTS: dict[str, Any] = {
    "min_cohort_size": 30,
    "trailing_cohorts": 6,
    "min_trailing_cohorts": 3,
    "z_threshold": 3.0,
    "min_change": 0.0,
    "direction": "down",
    "cohorts": "latest_mature",
}
COMMON_KEYS = {"name", "type", "metric", "by", "description", "min_cohort_size"}
TYPE_KEYS = {
    "bounds": COMMON_KEYS | {"min", "max", "cohorts"},
    "drift": COMMON_KEYS | {"trailing_cohorts", "min_trailing_cohorts", "z_threshold", "min_change", "direction"},
}
DEFAULT_KEYS = set(BUILTIN_DEFAULTS)


class ConfigError(UserError):
    """A problem in the checks file, reported as `file:line: reason`."""


# --------------------------------------------------------------------------------------------
# Configuration


class _Mapping(dict):
    """A YAML mapping that remembers the line it and each of its keys start on (1-based)."""

    def __init__(self, line: int = 1):
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True)
class Check:
    """One validated rule of the checks file."""

    name: str
    type: str
    metric: str
    line: int
    by: str | None = None
    description: str = ""
    min_cohort_size: int = 30
    # bounds
    min: float | None = None
    max: float | None = None
    cohorts: str = "latest_mature"
    # drift
    trailing_cohorts: int = 6
    min_trailing_cohorts: int = 3
    z_threshold: float = 3.0
    min_change: float = 0.0
    direction: str = "down"

    @property
    def rule(self) -> str:
        """The rule in a few words, for the table and the JSON."""
        if self.type == "bounds":
            low = "-inf" if self.min is None else f"{self.min:g}"
            high = "+inf" if self.max is None else f"{self.max:g}"
            return f"{self.cohorts} in [{low}, {high}], n >= {self.min_cohort_size}"
        sign = {"down": "z <= -", "up": "z >= ", "both": "|z| >= "}[self.direction]
        change = f" and change >= {self.min_change:g}" if self.min_change else ""
        return (f"vs previous {self.trailing_cohorts} months: fail if {sign}{self.z_threshold:g}{change}, "
                f"n >= {self.min_cohort_size}")


def _where(path: Path, line: int) -> str:
    return f"{_display(path)}:{line}"


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _label(name: str) -> str:
    return "defaults" if name == "defaults" else f"check '{name}'"


def _number(value: Any, key: str, where: str, name: str, low: float | None = None, high: float | None = None,
            integer: bool = False) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float) or (integer and not isinstance(value, int)):
        kind = "a whole number" if integer else "a number"
        raise ConfigError(f"{where}: {_label(name)}: {key} must be {kind}, got {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        span = f"at least {low:g}" if high is None else f"between {low:g} and {high:g}"
        raise ConfigError(f"{where}: {_label(name)}: {key} must be {span}, got {value!r}")
    return value


def _choice(value: Any, key: str, allowed: tuple[str, ...], where: str, name: str) -> str:
    if value not in allowed:
        raise ConfigError(f"{where}: {_label(name)}: {key} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _validate_settings(raw: dict, key_lines: dict[str, int], fallback_line: int, path: Path, name: str) -> dict:
    """Type and range checks of the settings shared by `defaults:` and the checks."""
    values = {}
    for key, value in raw.items():
        where = _where(path, key_lines.get(key, fallback_line))
        if key in ("min_cohort_size", "trailing_cohorts", "min_trailing_cohorts"):
            values[key] = _number(value, key, where, name, low=1, integer=True)
        elif key == "z_threshold":
            values[key] = float(_number(value, key, where, name, low=0.5))
        elif key in ("min_change", "min", "max"):
            values[key] = None if value is None and key != "min_change" else float(
                _number(value, key, where, name, low=0.0, high=1.0))
        elif key == "direction":
            values[key] = _choice(value, key, DIRECTIONS, where, name)
        elif key == "cohorts":
            values[key] = _choice(value, key, BOUNDS_COHORTS, where, name)
        elif key == "by":
            values[key] = None if value is None else _choice(value, key, SEGMENTS, where, name)
        elif key == "metric":
            if value not in METRICS:
                raise ConfigError(f"{where}: {_label(name)}: unknown metric {value!r} "
                                  f"(known: {', '.join(METRICS)})")
            values[key] = value
        elif key in ("name", "description", "type"):
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{where}: {_label(name)}: {key} must be a non-empty text")
            values[key] = value.strip()
    return values


def load_checks(path: Path) -> list[Check]:
    """Read and validate the checks file; any problem raises ConfigError naming the file and line."""
    if not path.is_file():
        raise ConfigError(f"{_display(path)}: checks file not found")
    try:
        document = yaml.load(path.read_text(), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{_where(path, line)}: malformed YAML: {problem}") from None
    if not isinstance(document, _Mapping):
        raise ConfigError(f"{_where(path, 1)}: expected a mapping with a `checks:` list")
    unknown_top = sorted(set(document) - {"version", "defaults", "checks"})
    if unknown_top:
        key = unknown_top[0]
        raise ConfigError(f"{_where(path, document.key_lines[key])}: unknown top-level key '{key}' "
                          "(expected version, defaults, checks)")
    defaults = dict(BUILTIN_DEFAULTS)
    raw_defaults = document.get("defaults") or _Mapping()
    if not isinstance(raw_defaults, _Mapping):
        raise ConfigError(f"{_where(path, document.key_lines['defaults'])}: defaults must be a mapping")
    unknown = sorted(set(raw_defaults) - DEFAULT_KEYS)
    if unknown:
        raise ConfigError(f"{_where(path, raw_defaults.key_lines[unknown[0]])}: unknown default '{unknown[0]}' "
                          f"(allowed: {', '.join(sorted(DEFAULT_KEYS))})")
    defaults.update(_validate_settings(raw_defaults, raw_defaults.key_lines, raw_defaults.line, path, "defaults"))
    raw_checks = document.get("checks")
    checks_line = document.key_lines.get("checks", 1)
    if not isinstance(raw_checks, list) or not raw_checks:
        raise ConfigError(f"{_where(path, checks_line)}: `checks:` must be a non-empty list of checks")
    checks: list[Check] = []
    for index, raw in enumerate(raw_checks, start=1):
        if not isinstance(raw, _Mapping):
            raise ConfigError(f"{_where(path, checks_line)}: check #{index} must be a mapping")
        name = raw.get("name") if isinstance(raw.get("name"), str) else f"#{index}"
        for required in ("name", "type", "metric"):
            if required not in raw:
                raise ConfigError(f"{_where(path, raw.line)}: check '{name}': missing '{required}'")
        check_type = _choice(raw["type"], "type", CHECK_TYPES, _where(path, raw.key_lines["type"]), name)
        unknown = sorted(set(raw) - TYPE_KEYS[check_type])
        if unknown:
            raise ConfigError(f"{_where(path, raw.key_lines[unknown[0]])}: check '{name}': unknown key "
                              f"'{unknown[0]}' for a {check_type} check (allowed: "
                              f"{', '.join(sorted(TYPE_KEYS[check_type]))})")
        settings = _validate_settings(raw, raw.key_lines, raw.line, path, name)
        if any(check.name == settings["name"] for check in checks):
            raise ConfigError(f"{_where(path, raw.key_lines['name'])}: duplicate check name '{settings['name']}'")
        if check_type == "bounds":
            if settings.get("min") is None and settings.get("max") is None:
                raise ConfigError(f"{_where(path, raw.line)}: check '{name}': a bounds check needs min, max or both")
            if settings.get("min") is not None and settings.get("max") is not None \
                    and settings["min"] > settings["max"]:
                raise ConfigError(f"{_where(path, raw.key_lines['min'])}: check '{name}': min is above max")
        merged = {key: value for key, value in defaults.items() if key in TYPE_KEYS[check_type]}
        merged.update(settings)
        if check_type == "drift" and merged["min_trailing_cohorts"] > merged["trailing_cohorts"]:
            raise ConfigError(f"{_where(path, raw.line)}: check '{name}': min_trailing_cohorts "
                              f"({merged['min_trailing_cohorts']}) exceeds trailing_cohorts "
                              f"({merged['trailing_cohorts']})")
        checks.append(Check(line=raw.line, **merged))
    return checks


# --------------------------------------------------------------------------------------------
# Data


@dataclass
class CohortCounts:
    """The numerator and denominator of every metric for one cohort month and segment."""

    cohort_month: date
    is_mature: bool
    segments: dict[str, str]
    counts: dict[str, int]


@dataclass
class FunnelData:
    rows: list[CohortCounts]
    scored_as_of: str | None
    conversion_window_days: int | None

    @property
    def mature_months(self) -> list[date]:
        return sorted({row.cohort_month for row in self.rows if row.is_mature})

    @property
    def latest_mature(self) -> date | None:
        months = self.mature_months
        return months[-1] if months else None


def read_funnel(db_path: Path) -> FunnelData:
    """fct_funnel_cohorts from the warehouse, read-only; UserError when it cannot be read."""
    if not db_path.is_file():
        raise UserError(f"warehouse not found: {db_path} (build it first: scripts/build.py --db {db_path})")
    count_columns = sorted({column for pair in METRICS.values() for column in pair})
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            tables = {row[0] for row in con.execute(
                "select table_name from information_schema.tables").fetchall()}
            if MART not in tables:
                raise UserError(f"{db_path}: mart {MART} not found (build the warehouse with scripts/build.py)")
            cursor = con.execute(
                f"select cohort_month, is_mature, {', '.join(SEGMENTS)}, {', '.join(count_columns)}, "
                f"scored_as_of, conversion_window_days from {MART} order by cohort_month")
            records = cursor.fetchall()
    except duckdb.Error as exc:
        raise UserError(f"{db_path}: cannot read {MART}: {' '.join(str(exc).split())}") from None
    rows = []
    scored_as_of = window = None
    for record in records:
        cohort_month, is_mature = record[0], bool(record[1])
        segments = dict(zip(SEGMENTS, record[2:2 + len(SEGMENTS)], strict=True))
        counts_end = 2 + len(SEGMENTS) + len(count_columns)
        counts = {column: int(value or 0) for column, value in
                  zip(count_columns, record[2 + len(SEGMENTS):counts_end], strict=True)}
        scored_as_of, window = record[counts_end], record[counts_end + 1]
        rows.append(CohortCounts(cohort_month, is_mature, segments, counts))
    return FunnelData(rows, None if scored_as_of is None else str(scored_as_of), window)


# --------------------------------------------------------------------------------------------
# Evaluation


@dataclass
class CheckResult:
    check: str
    type: str
    metric: str
    segment: str
    cohort: str
    status: str  # pass | fail | skip
    message: str
    rule: str
    value: float | None = None
    baseline: float | None = None
    n: int | None = None
    baseline_n: int | None = None
    z: float | None = None
    p_value: float | None = None
    line: int | None = None
    extra: dict = field(default_factory=dict)


def _month_shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _totals(rows: list[CohortCounts], metric: str) -> tuple[int, int]:
    numerator, denominator = METRICS[metric]
    return sum(row.counts[numerator] for row in rows), sum(row.counts[denominator] for row in rows)


def two_proportion_z(x1: int, n1: int, x0: int, n0: int) -> float:
    """z of p1 = x1/n1 against p0 = x0/n0 with the pooled standard error; 0 when it is undefined."""
    pooled = (x1 + x0) / (n1 + n0)
    standard_error = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    if standard_error == 0:
        return 0.0
    return (x1 / n1 - x0 / n0) / standard_error


def p_value(z: float, direction: str) -> float:
    """One-sided p-value in the watched direction (two-sided for `both`), normal approximation."""
    below = 0.5 * math.erfc(-z / math.sqrt(2))  # P(Z <= z)
    if direction == "down":
        return below
    if direction == "up":
        return 1 - below
    return min(1.0, 2 * min(below, 1 - below))


def _segment_values(data: FunnelData, by: str | None) -> list[str | None]:
    if by is None:
        return [None]
    return sorted({row.segments[by] for row in data.rows})


def _segment_rows(data: FunnelData, by: str | None, value: str | None) -> list[CohortCounts]:
    if by is None:
        return data.rows
    return [row for row in data.rows if row.segments[by] == value]


def _segment_label(by: str | None, value: str | None) -> str:
    return "all" if by is None else f"{by}={value}"


def evaluate_bounds(check: Check, data: FunnelData) -> list[CheckResult]:
    results = []
    latest = data.latest_mature
    for value in _segment_values(data, check.by):
        rows = [row for row in _segment_rows(data, check.by, value) if row.is_mature]
        if check.cohorts == "latest_mature":
            groups = [(str(latest), [row for row in rows if row.cohort_month == latest])] if latest else []
        elif check.cohorts == "each_mature":
            groups = [(str(month), [row for row in rows if row.cohort_month == month])
                      for month in sorted({row.cohort_month for row in rows})]
        else:
            months = sorted({row.cohort_month for row in rows})
            groups = [(f"{months[0]}..{months[-1]}", rows)] if months else []
        base = {"check": check.name, "type": check.type, "metric": check.metric, "rule": check.rule,
                "line": check.line, "segment": _segment_label(check.by, value)}
        if not groups:
            results.append(CheckResult(**base, cohort="-", status="skip", message="no mature cohort yet"))
            continue
        for cohort, group in groups:
            x, n = _totals(group, check.metric)
            rate = x / n if n else None
            if n < check.min_cohort_size:
                results.append(CheckResult(**base, cohort=cohort, status="skip", value=rate, n=n,
                                           message=f"cohort too small to judge ({n} < {check.min_cohort_size})"))
                continue
            low_ok = check.min is None or rate >= check.min
            high_ok = check.max is None or rate <= check.max
            if low_ok and high_ok:
                status, message = "pass", "within bounds"
            else:
                status = "fail"
                message = (f"{check.metric} {rate:.1%} is below the minimum {check.min:.1%}" if not low_ok
                           else f"{check.metric} {rate:.1%} is above the maximum {check.max:.1%}")
            results.append(CheckResult(**base, cohort=cohort, status=status, value=rate, n=n, message=message))
    return results


def evaluate_drift(check: Check, data: FunnelData) -> list[CheckResult]:
    results = []
    latest = data.latest_mature
    for value in _segment_values(data, check.by):
        base = {"check": check.name, "type": check.type, "metric": check.metric, "rule": check.rule,
                "line": check.line, "segment": _segment_label(check.by, value)}
        if latest is None:
            results.append(CheckResult(**base, cohort="-", status="skip", message="no mature cohort yet"))
            continue
        rows = _segment_rows(data, check.by, value)
        first_baseline_month = _month_shift(latest, -check.trailing_cohorts)
        current = [row for row in rows if row.cohort_month == latest]
        baseline = [row for row in rows if first_baseline_month <= row.cohort_month < latest]
        x1, n1 = _totals(current, check.metric)
        x0, n0 = _totals(baseline, check.metric)
        baseline_months = len({row.cohort_month for row in baseline if _totals([row], check.metric)[1] > 0})
        result = CheckResult(**base, cohort=str(latest), status="skip", message="",
                             value=x1 / n1 if n1 else None, baseline=x0 / n0 if n0 else None,
                             n=n1, baseline_n=n0, extra={"baseline_months": baseline_months,
                                                         "baseline_from": str(first_baseline_month)})
        if n1 < check.min_cohort_size:
            result.message = f"cohort too small to judge ({n1} < {check.min_cohort_size})"
        elif baseline_months < check.min_trailing_cohorts:
            result.message = (f"only {baseline_months} earlier cohort month(s) with data "
                              f"(< {check.min_trailing_cohorts})")
        elif n0 < check.min_cohort_size:
            result.message = f"baseline too small to judge ({n0} < {check.min_cohort_size})"
        else:
            z = two_proportion_z(x1, n1, x0, n0)
            change = x1 / n1 - x0 / n0
            result.z, result.p_value = z, p_value(z, check.direction)
            down = z <= -check.z_threshold and -change >= check.min_change
            up = z >= check.z_threshold and change >= check.min_change
            failed = {"down": down, "up": up, "both": down or up}[check.direction]
            result.status = "fail" if failed else "pass"
            moved = "dropped" if change < 0 else "rose"
            result.message = (f"{check.metric} {moved} from {x0 / n0:.1%} to {x1 / n1:.1%} "
                              f"({change * 100:+.1f} points, z = {z:.2f})")
            if not failed:
                watched = {"down": change < 0, "up": change > 0, "both": change != 0}[check.direction]
                if not watched:
                    result.message += f": not a {'drop' if check.direction == 'down' else 'rise'}, fine"
                elif abs(z) < check.z_threshold:
                    result.message += ": within normal variation"
                else:
                    result.message += f": significant but smaller than min_change {check.min_change:g}"
        results.append(result)
    return results


def evaluate(checks: list[Check], data: FunnelData) -> list[CheckResult]:
    results: list[CheckResult] = []
    for check in checks:
        evaluator = evaluate_bounds if check.type == "bounds" else evaluate_drift
        results.extend(evaluator(check, data))
    return results


# --------------------------------------------------------------------------------------------
# Output


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def _month(cohort: str) -> str:
    """2026-07-01 -> 2026-07; 2025-06-01..2026-07-01 -> 2025-06..2026-07 (table only)."""
    return "..".join(part[:7] if len(part) == 10 else part for part in cohort.split(".."))


def _table_rows(results: list[CheckResult]) -> list[CheckResult]:
    """The results to show: a segmented check's skipped segments fold into one row."""
    shown: list[CheckResult] = []
    by_check: dict[str, list[CheckResult]] = {}
    for result in results:
        by_check.setdefault(result.check, []).append(result)
    for group in by_check.values():
        skipped = [result for result in group if result.status == "skip"]
        if len(skipped) < 2 or all(result.segment == "all" for result in group):
            shown.extend(group)
            continue
        shown.extend(result for result in group if result.status != "skip")
        largest = max((result.n or 0) for result in skipped)
        first = skipped[0]
        shown.append(CheckResult(
            check=first.check, type=first.type, metric=first.metric, segment=f"{len(skipped)} segments",
            cohort=first.cohort, status="skip", rule=first.rule,
            message=f"too small to judge (largest n = {largest})"))
    return shown


def print_results(results: list[CheckResult], data: FunnelData, console: Console, quiet: bool) -> None:
    if not quiet:
        latest = data.latest_mature.strftime("%Y-%m") if data.latest_mature else "none"
        table = Table(title=f"Funnel metric checks: latest mature cohort {latest}, scored as of "
                            f"{(data.scored_as_of or '-')[:16]}")
        for column, justify, wrap in (("check", "left", False), ("segment", "left", False),
                                      ("cohort", "left", False), ("value", "right", False),
                                      ("baseline", "right", False), ("n", "right", False), ("z", "right", False),
                                      ("status", "left", False), ("detail", "left", True)):
            table.add_column(column, justify=justify, no_wrap=not wrap, overflow="fold")
        for result in _table_rows(results):
            style = {"pass": "green", "fail": "bold red", "skip": "yellow"}[result.status]
            table.add_row(result.check, result.segment, _month(result.cohort),
                          _percent(result.value), _percent(result.baseline),
                          "" if result.n is None else str(result.n),
                          "" if result.z is None else f"{result.z:.2f}",
                          f"[{style}]{result.status.upper()}[/{style}]", result.message)
        console.print(table)
    failed = [result for result in results if result.status == "fail"]
    skipped = sum(1 for result in results if result.status == "skip")
    passed = sum(1 for result in results if result.status == "pass")
    for result in failed:
        console.print(f"[red]FAILED[/red] {result.check}: {result.metric} ({result.segment}, cohort "
                      f"{_month(result.cohort)}): {result.message}", soft_wrap=True, highlight=False)
    console.print(f"metric checks: {passed} passed, {len(failed)} failed, {skipped} skipped "
                  "(too little data to judge)", highlight=False)


def write_json(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")


def run_checks(db_path: Path, config_path: Path) -> tuple[list[CheckResult], FunnelData]:
    checks = load_checks(config_path)
    data = read_funnel(db_path)
    return evaluate(checks, data), data


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/check_metrics.py",
        description="Check the MQL funnel's conversion rates (fct_funnel_cohorts) against the bounds and "
                    "drift rules of a YAML file. Exit 0 all passed, 1 a check failed, 2 could not run.",
    )
    default_db = Path(os.environ.get("LEAD_SCORING_DB", DEFAULT_DB))
    parser.add_argument("--db", type=Path, default=default_db,
                        help=f"DuckDB warehouse, opened read-only (default {_display(default_db)})")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG,
                        help=f"checks file (default {_display(DEFAULT_CONFIG)})")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON,
                        help=f"write the results here (default {_display(DEFAULT_JSON)})")
    parser.add_argument("--quiet", action="store_true", help="print only failures and the summary line")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    # Logs (cron mail, orchestrators) get a wide table instead of rich's 80-column default.
    console = Console(width=None if sys.stdout.isatty() else 160)
    try:
        args = parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a bad flag (2)
        return int(exc.code or 0)
    payload: dict[str, Any] = {"database": str(args.db), "config": str(args.config)}
    try:
        results, data = run_checks(args.db, args.config)
    except UserError as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True, highlight=False)
        try:
            write_json(args.json, {**payload, "status": "error", "exit_code": exc.exit_code, "error": str(exc),
                                   "results": []})
        except OSError:
            pass  # the one-line reason above is what matters
        return exc.exit_code
    print_results(results, data, console, args.quiet)
    failed = any(result.status == "fail" for result in results)
    exit_code = EXIT_CHECKS_FAILED if failed else EXIT_OK
    payload.update({
        "status": "fail" if failed else "pass",
        "exit_code": exit_code,
        "scored_as_of": data.scored_as_of,
        "conversion_window_days": data.conversion_window_days,
        "latest_mature_cohort": None if data.latest_mature is None else str(data.latest_mature),
        "counts": {status: sum(1 for result in results if result.status == status)
                   for status in ("pass", "fail", "skip")},
        "results": [asdict(result) for result in results],
    })
    try:
        write_json(args.json, payload)
    except OSError as exc:
        console.print(f"[red]error:[/red] cannot write {args.json}: {exc.strerror}", highlight=False)
        return EXIT_CANNOT_RUN
    console.print(f"results written to {_display(args.json)}", highlight=False)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())

