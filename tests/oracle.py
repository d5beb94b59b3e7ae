"""Brute-force pure-Python reference implementation ("oracle") of SPEC section 3.

Used by the test suite to check the dbt models lead by lead. Clarity over speed: the engagement
score is recomputed from scratch, straight from the formula, at every evaluation instant.

Conventions (see docs/decisions.md for the project's decisions):
- every raw value is a string; None, '' and whitespace-only mean null;
- keys and foreign keys (lead_id, account_id, ...) are compared trimmed;
- timestamps are naive UTC ``datetime`` objects.

Usage:
    result = compute(raw_dir, config_dir, as_of, clock)
    result["dim_leads"]["L1"]["engagement_score"]
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

# --------------------------------------------------------------------------------------------
# Raw tables
# --------------------------------------------------------------------------------------------

RAW_COLUMNS = {
    "accounts": [
        "account_id", "company_name", "domain", "industry", "employee_count", "annual_revenue_usd",
        "country",
    ],
    "leads": [
        "lead_id", "email", "first_name", "last_name", "job_title", "account_id", "lead_source",
        "country", "created_at",
    ],
    "activities": ["activity_id", "lead_id", "activity_type", "occurred_at", "detail"],
    "sales_dispositions": ["disposition_id", "lead_id", "disposition", "disposition_at", "reason"],
    "opportunities": [
        "opportunity_id", "lead_id", "account_id", "created_at", "closed_at", "is_won", "amount_usd",
    ],
}
KEY = {
    "accounts": "account_id",
    "leads": "lead_id",
    "activities": "activity_id",
    "sales_dispositions": "disposition_id",
    "opportunities": "opportunity_id",
}
# Timestamp columns checked for unparseable/future (closed_at only when present).
TS_COLUMNS = {
    "accounts": [],
    "leads": ["created_at"],
    "activities": ["occurred_at"],
    "sales_dispositions": ["disposition_at"],
    "opportunities": ["created_at", "closed_at"],
}
OPTIONAL_TS = {"closed_at"}
# The timestamp used to pick the survivor of a duplicate_key group.
SORT_TS = {
    "accounts": None,
    "leads": "created_at",
    "activities": "occurred_at",
    "sales_dispositions": "disposition_at",
    "opportunities": "created_at",
}
NUMBER_COLUMNS = {
    "accounts": ["employee_count", "annual_revenue_usd"],
    "opportunities": ["amount_usd"],
}
DISPOSITIONS = ("accepted", "qualified", "recycled", "disqualified")
BOOLEANS = {
    "true": True, "t": True, "1": True, "yes": True, "y": True,
    "false": False, "f": False, "0": False, "no": False, "n": False,
}

CONFIG_TABLES = (
    "scoring_rules", "icp_rules", "job_title_seniority", "personal_email_domains", "competitor_domains",
)

STAGE_ORDER = ("lead", "mql", "sal", "sql", "opportunity", "customer", "recycled", "disqualified")
MQL_TOLERANCE = 1e-9


def blank(value) -> bool:
    return value is None or str(value).strip() == ""


def clean_text(value):
    """Trimmed text, or None for null/blank."""
    return None if blank(value) else str(value).strip()


def _read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return [
            {k: (None if v is None or v == "" else v) for k, v in row.items()} for row in csv.DictReader(fh)
        ]


def _read_parquet(path: Path) -> list[dict]:
    import pyarrow.parquet as pq

    rows = []
    for row in pq.read_table(path).to_pylist():
        out = {}
        for k, v in row.items():
            if v is None:
                out[k] = None
            elif isinstance(v, bool):
                out[k] = "true" if v else "false"
            else:
                out[k] = str(v)
        rows.append(out)
    return rows


def read_table(directory, name: str) -> list[dict]:
    """Rows of ``<name>.csv`` (else ``<name>.parquet``), every value a string or None."""
    directory = Path(directory)
    csv_path, pq_path = directory / f"{name}.csv", directory / f"{name}.parquet"
    if csv_path.exists():
        return [] if csv_path.stat().st_size == 0 else _read_csv(csv_path)
    if pq_path.exists():
        return _read_parquet(pq_path)
    raise FileNotFoundError(f"no {name}.csv or {name}.parquet in {directory}")


def load_raw(raw_dir) -> dict[str, list[dict]]:
    """The five raw tables, restricted to the spec's columns (extra columns ignored)."""
    raw = {}
    for table, columns in RAW_COLUMNS.items():
        rows = read_table(raw_dir, table)
        if rows:
            missing = [c for c in columns if c not in rows[0]]
            if missing:
                raise ValueError(f"{table}: missing column(s) {missing}")
        raw[table] = [{c: row.get(c) for c in columns} for row in rows]
    return raw


# --------------------------------------------------------------------------------------------
# Config seeds
# --------------------------------------------------------------------------------------------


def _num(value):
    return None if blank(value) else float(value)


def load_config(config_dir) -> dict:
    config_dir = Path(config_dir)
    tables = {name: _read_csv(config_dir / f"{name}.csv") for name in CONFIG_TABLES}
    scoring_rules = {}
    for r in tables["scoring_rules"]:
        scoring_rules[r["activity_type"].strip().lower()] = {
            "points": float(r["points"]),
            "max_points": _num(r.get("max_points")),
            "half_life_days": _num(r.get("half_life_days")),
        }
    icp_rules = [
        {
            "attribute": r["attribute"].strip().lower(),
            "match_value": clean_text(r.get("match_value")),
            "min_value": _num(r.get("min_value")),
            "max_value": _num(r.get("max_value")),
            "points": float(r["points"]),
        }
        for r in tables["icp_rules"]
    ]
    seniority = [
        {
            "keyword": r["keyword"].strip().lower(),
            "seniority": r["seniority"].strip().lower(),
            "priority": int(r["priority"]),
        }
        for r in tables["job_title_seniority"]
    ]
    return {
        "scoring_rules": scoring_rules,
        "icp_rules": icp_rules,
        "job_title_seniority": seniority,
        "personal_email_domains": {r["domain"].strip().lower() for r in tables["personal_email_domains"]},
        "competitor_domains": {r["domain"].strip().lower() for r in tables["competitor_domains"]},
    }


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------

_TS_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?)?$"
)


def parse_ts(value):
    """ISO-8601 text -> naive UTC datetime; None when null or unparseable.

    Accepts YYYY-MM-DD and YYYY-MM-DD[T ]HH:MM[:SS[.fff]] followed optionally by Z, +HH, +HHMM or
    +HH:MM (or '-'). Fractions beyond microseconds are truncated.
    """
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value
    if blank(value):
        return None
    m = _TS_RE.match(str(value).strip())
    if not m:
        return None
    year, month, day, hour, minute, second, frac, tz = m.groups()
    try:
        dt = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
            int(((frac or "") + "000000")[:6]),
        )
    except ValueError:
        return None
    if tz and tz != "Z":
        digits = tz[1:].replace(":", "")
        off_h, off_m = int(digits[:2]), int(digits[2:] or 0)
        if off_h > 23 or off_m > 59:
            return None
        offset = timedelta(hours=off_h, minutes=off_m)
        dt = dt - offset if tz[0] == "+" else dt + offset
    return dt


_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number(value):
    """Float of a plain decimal / scientific number, None when null; raises ValueError if invalid."""
    if blank(value):
        return None
    text = str(value).strip()
    if not _NUMBER_RE.match(text):
        raise ValueError(text)
    return float(text)


def parse_bool(value):
    if blank(value):
        return None
    return BOOLEANS[str(value).strip().lower()]  # KeyError when invalid


# --------------------------------------------------------------------------------------------
# Quarantine / cleaning
# --------------------------------------------------------------------------------------------


def _row_local_reason(table: str, row: dict, clock: datetime):
    """First row-local quarantine reason (everything before duplicate_key), or None."""
    if blank(row[KEY[table]]):
        return "missing_key"
    ts_cols = [c for c in TS_COLUMNS[table] if not (c in OPTIONAL_TS and blank(row[c]))]
    if any(parse_ts(row[c]) is None for c in ts_cols):
        return "unparseable_timestamp"
    if any(parse_ts(row[c]) > clock for c in ts_cols):
        return "future_timestamp"
    for c in NUMBER_COLUMNS.get(table, []):
        try:
            n = parse_number(row[c])
        except ValueError:
            return "invalid_number"
        if n is not None and (n < 0 or math.isnan(n) or math.isinf(n)):
            return "invalid_number"
    if table == "sales_dispositions" and (clean_text(row["disposition"]) or "").lower() not in DISPOSITIONS:
        return "unknown_disposition"
    if table == "opportunities" and not blank(row["is_won"]) and row["is_won"].strip().lower() not in BOOLEANS:
        return "invalid_boolean"
    if table in ("activities", "sales_dispositions", "opportunities") and blank(row["lead_id"]):
        return "missing_lead_id"
    return None


def _dup_sort_key(table: str, row: dict):
    ts_col = SORT_TS[table]
    ts = parse_ts(row[ts_col]) if ts_col else None
    return (ts or datetime.min, tuple("" if row[c] is None else row[c] for c in RAW_COLUMNS[table]))


def clean(raw: dict[str, list[dict]], clock):
    """Apply the quarantine rules.

    Returns (used, quarantine, counts): used[table] is the list of usable raw rows (raw text),
    quarantine a list of dicts(source_table, record_key, reason), counts[table] a dict with raw,
    used, quarantined, exact_duplicates.
    """
    clock = parse_ts(clock)
    used, quarantine, counts, survivors = {}, [], {}, {}

    def reject(table, row, reason):
        quarantine.append({"source_table": table, "record_key": clean_text(row[KEY[table]]), "reason": reason})

    # 1. exact duplicates, row-local reasons, duplicate_key -- per table
    for table, rows in raw.items():
        seen, distinct = set(), []
        for row in rows:
            sig = tuple("" if row[c] is None else row[c] for c in RAW_COLUMNS[table])
            if sig not in seen:
                seen.add(sig)
                distinct.append(row)
        counts[table] = {"raw": len(rows), "exact_duplicates": len(rows) - len(distinct)}
        ok = []
        for row in distinct:
            reason = _row_local_reason(table, row, clock)
            if reason:
                reject(table, row, reason)
            else:
                ok.append(row)
        by_key = {}
        for row in ok:
            by_key.setdefault(clean_text(row[KEY[table]]), []).append(row)
        kept = []
        for group in by_key.values():
            group = sorted(group, key=lambda r: _dup_sort_key(table, r))
            kept.append(group[0])
            for row in group[1:]:
                reject(table, row, "duplicate_key")
        survivors[table] = kept

    # 2. orphans, in dependency order
    account_ids = {clean_text(r["account_id"]) for r in survivors["accounts"]}
    used["accounts"] = survivors["accounts"]
    used["leads"] = []
    for row in survivors["leads"]:
        if not blank(row["account_id"]) and clean_text(row["account_id"]) not in account_ids:
            reject("leads", row, "orphan_account_id")
        else:
            used["leads"].append(row)
    lead_ids = {clean_text(r["lead_id"]) for r in used["leads"]}
    for table in ("activities", "sales_dispositions", "opportunities"):
        used[table] = []
        for row in survivors[table]:
            if table == "opportunities" and not blank(row["account_id"]) \
                    and clean_text(row["account_id"]) not in account_ids:
                reject(table, row, "orphan_account_id")
            elif clean_text(row["lead_id"]) not in lead_ids:
                reject(table, row, "orphan_lead_id")
            else:
                used[table].append(row)

    for table in raw:
        counts[table]["used"] = len(used[table])
        counts[table]["quarantined"] = sum(1 for q in quarantine if q["source_table"] == table)
    return used, quarantine, counts


# --------------------------------------------------------------------------------------------
# Fit
# --------------------------------------------------------------------------------------------


def normalise_title(text) -> str:
    """Lowercase, every run of non [a-z0-9] -> one space, padded with one space each side."""
    return " " + re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip() + " "


def job_seniority(title, seniority_rules) -> str:
    padded = normalise_title(title)
    matches = [r for r in seniority_rules if normalise_title(r["keyword"]) in padded]
    if not matches:
        return "individual_contributor"
    best = min(matches, key=lambda r: (r["priority"], r["keyword"]))
    return best["seniority"]


_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email_domain(email):
    """Domain of a well-formed (trimmed, lowercased) email, else None."""
    if blank(email):
        return None
    email = email.strip().lower()
    return email.rsplit("@", 1)[1] if _EMAIL_RE.match(email) else None


def exclusion_reason(email, seniority, config):
    if blank(email):
        return "missing_email"
    domain = email_domain(email)
    if domain is None:
        return "malformed_email"
    if domain in config["personal_email_domains"]:
        return "personal_email_domain"
    if domain in config["competitor_domains"]:
        return "competitor_domain"
    if seniority == "student":
        return "student"
    return None


def fit_attributes(lead: dict, account: dict | None, seniority: str) -> dict:
    account = account or {}
    country = clean_text(account.get("country")) or clean_text(lead["country"])
    industry = clean_text(account.get("industry"))
    return {
        "industry": industry.lower() if industry else None,
        "employee_count": parse_number(account.get("employee_count")),
        "annual_revenue_usd": parse_number(account.get("annual_revenue_usd")),
        "country": country.upper() if country else None,
        "job_seniority": seniority,
    }


def rule_matches(rule: dict, attrs: dict) -> bool:
    value = attrs.get(rule["attribute"])
    if value is None:
        return False
    if rule["match_value"] is not None:
        norm = str.upper if rule["attribute"] == "country" else str.lower
        return norm(value) == norm(rule["match_value"])
    above_min = rule["min_value"] is None or value >= rule["min_value"]
    below_max = rule["max_value"] is None or value < rule["max_value"]
    return above_min and below_max


def fit_score(attrs: dict, icp_rules: list[dict]) -> float:
    total = sum(r["points"] for r in icp_rules if rule_matches(r, attrs))
    return min(100.0, max(0.0, total))


def fit_grade(score: float) -> str:
    if score >= 75:
        return "A"
    if score >= 50:
        return "B"
    if score >= 25:
        return "C"
    return "D"


# --------------------------------------------------------------------------------------------
# Engagement score (brute force, straight from the formula)
# --------------------------------------------------------------------------------------------


def engagement_score(activities: list[dict], t: datetime, scoring_rules: dict) -> float:
    """Score at time t from the given activities (already restricted to one lead and one episode).

    Each activity is a dict with activity_type (normalised) and occurred_at (datetime).
    """
    total = 0.0
    for k, rule in scoring_rules.items():
        s_k = 0.0
        for a in activities:
            if a["activity_type"] == k and a["occurred_at"] <= t:
                age_days = (t - a["occurred_at"]).total_seconds() / 86400
                factor = 1.0 if rule["half_life_days"] is None else 0.5 ** (age_days / rule["half_life_days"])
                s_k += rule["points"] * factor
        if rule["max_points"] is None:
            c_k = s_k
        else:
            c_k = math.copysign(min(abs(s_k), rule["max_points"]), s_k)
        total += c_k
    return max(0.0, total)


# --------------------------------------------------------------------------------------------
# compute
# --------------------------------------------------------------------------------------------


def compute(raw_dir, config_dir, as_of, clock, mql_threshold=100, mql_fit_grades=("A", "B")) -> dict:
    """Run the oracle.

    Returns a dict with:
      dim_leads:        lead_id -> dict(lead_id, account_id, email_domain, lead_source, created_at,
                        job_seniority, fit_score, fit_grade, is_excluded, exclusion_reason, is_icp_fit,
                        engagement_score, mql_count, first_mql_at, latest_mql_at, sal_at, sql_at,
                        opportunity_at, customer_at, lifecycle_stage), leads created at or before as_of
      score_history:    activity_id -> dict(lead_id, occurred_at, activity_type, points, episode,
                        engagement_score_after, is_mql_event), scored activities at or before as_of
      lifecycle_events: list of dict(lead_id, stage, occurred_at, source), sorted
      quarantine, counts: as returned by clean()
    """
    as_of, clock = parse_ts(as_of), parse_ts(clock)
    config = load_config(config_dir)
    rules = config["scoring_rules"]
    used, quarantine, counts = clean(load_raw(raw_dir), clock)

    accounts = {clean_text(a["account_id"]): a for a in used["accounts"]}
    activities = [
        {
            "activity_id": clean_text(a["activity_id"]),
            "lead_id": clean_text(a["lead_id"]),
            "activity_type": (clean_text(a["activity_type"]) or "").lower(),
            "occurred_at": parse_ts(a["occurred_at"]),
        }
        for a in used["activities"]
    ]
    dispositions = [
        {
            "lead_id": clean_text(d["lead_id"]),
            "disposition": d["disposition"].strip().lower(),
            "disposition_at": parse_ts(d["disposition_at"]),
        }
        for d in used["sales_dispositions"]
    ]
    opportunities = [
        {
            "lead_id": clean_text(o["lead_id"]),
            "created_at": parse_ts(o["created_at"]),
            "closed_at": parse_ts(o["closed_at"]),
            "is_won": parse_bool(o["is_won"]),
        }
        for o in used["opportunities"]
    ]

    dim_leads, score_history, lifecycle_events = {}, {}, []
    for lead in used["leads"]:
        lead_id = clean_text(lead["lead_id"])
        created_at = parse_ts(lead["created_at"])
        if created_at > as_of:
            continue

        # ---- fit and exclusions
        account_id = clean_text(lead["account_id"])
        seniority = job_seniority(lead["job_title"], config["job_title_seniority"])
        score_fit = fit_score(fit_attributes(lead, accounts.get(account_id), seniority), config["icp_rules"])
        grade = fit_grade(score_fit)
        excl = exclusion_reason(lead["email"], seniority, config)
        icp_fit = grade in mql_fit_grades and excl is None

        # ---- this lead's data at or before as_of
        my_acts = [a for a in activities if a["lead_id"] == lead_id and a["occurred_at"] <= as_of]
        my_disps = [d for d in dispositions if d["lead_id"] == lead_id and d["disposition_at"] <= as_of]
        my_opps = [o for o in opportunities if o["lead_id"] == lead_id]
        opp_created = [o["created_at"] for o in my_opps if o["created_at"] <= as_of]
        won_closed = [
            o["closed_at"] for o in my_opps
            if o["is_won"] is True and o["closed_at"] is not None and o["closed_at"] <= as_of
        ]
        lost_closed = [
            o["closed_at"] for o in my_opps
            if o["is_won"] is False and o["closed_at"] is not None and o["closed_at"] <= as_of
        ]
        recycled_at = [d["disposition_at"] for d in my_disps if d["disposition"] == "recycled"]
        disqualified_at = [d["disposition_at"] for d in my_disps if d["disposition"] == "disqualified"]
        boundaries = recycled_at + lost_closed

        # episode = 1 + number of boundaries strictly before the activity
        scored = [
            dict(a, episode=1 + sum(1 for b in boundaries if b < a["occurred_at"]))
            for a in my_acts
            if a["activity_type"] in rules
        ]

        # ---- scores at each scored-activity instant, MQL moments
        mql_moments = []  # MQL instants, ascending
        episodes_with_mql = set()
        for t in sorted({a["occurred_at"] for a in scored}):
            at_t = sorted((a for a in scored if a["occurred_at"] == t), key=lambda a: a["activity_id"])
            episode = at_t[0]["episode"]
            same_episode = [a for a in scored if a["episode"] == episode]
            score = engagement_score(same_episode, t, rules)
            is_mql = (
                score >= mql_threshold - MQL_TOLERANCE
                and icp_fit
                and not any(d <= t for d in disqualified_at)
                and episode not in episodes_with_mql
            )
            if is_mql:
                episodes_with_mql.add(episode)
                mql_moments.append(t)
            for i, a in enumerate(at_t):
                score_history[a["activity_id"]] = {
                    "lead_id": lead_id,
                    "occurred_at": t,
                    "activity_type": a["activity_type"],
                    "points": rules[a["activity_type"]]["points"],
                    "episode": episode,
                    "engagement_score_after": score,
                    "is_mql_event": is_mql and i == 0,
                }

        # ---- engagement score at as_of: current episode (after the last boundary at or before as_of)
        current_episode = 1 + len(boundaries)
        current = [a for a in scored if a["episode"] == current_episode]
        score_now = engagement_score(current, as_of, rules)

        # ---- lifecycle events
        events = [("lead", created_at, "leads")]
        events += [("mql", t, "activities") for t in mql_moments]
        for d in my_disps:
            stage = {"accepted": "sal", "qualified": "sql"}.get(d["disposition"], d["disposition"])
            events.append((stage, d["disposition_at"], "sales_dispositions"))
        events += [("opportunity", t, "opportunities") for t in opp_created]
        events += [("customer", t, "opportunities") for t in won_closed]
        events += [("recycled", t, "opportunities") for t in lost_closed]
        events.sort(key=lambda e: (e[1], STAGE_ORDER.index(e[0])))
        lifecycle_events += [
            {"lead_id": lead_id, "stage": s, "occurred_at": t, "source": src} for s, t, src in events
        ]

        first = {}  # stage -> first time reached (events are sorted by time)
        for stage, t, _ in events:
            first.setdefault(stage, t)

        dim_leads[lead_id] = {
            "lead_id": lead_id,
            "account_id": account_id,
            "email_domain": email_domain(lead["email"]),
            "lead_source": clean_text(lead["lead_source"]),
            "created_at": created_at,
            "job_seniority": seniority,
            "fit_score": score_fit,
            "fit_grade": grade,
            "is_excluded": excl is not None,
            "exclusion_reason": excl,
            "is_icp_fit": icp_fit,
            "engagement_score": score_now,
            "mql_count": len(mql_moments),
            "first_mql_at": min(mql_moments) if mql_moments else None,
            "latest_mql_at": max(mql_moments) if mql_moments else None,
            "sal_at": first.get("sal"),
            "sql_at": first.get("sql"),
            "opportunity_at": first.get("opportunity"),
            "customer_at": first.get("customer"),
            "lifecycle_stage": events[-1][0],
        }

    return {
        "dim_leads": dim_leads,
        "score_history": score_history,
        "lifecycle_events": lifecycle_events,
        "quarantine": quarantine,
        "counts": counts,
    }


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    default_config = Path(__file__).resolve().parent.parent / "seeds" / "config"
    parser = argparse.ArgumentParser(description="Reference (oracle) lead scoring of a raw folder.")
    parser.add_argument("raw_dir")
    parser.add_argument("--config-dir", default=str(default_config))
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--clock", default=None, help="build clock time (default: now, UTC)")
    parser.add_argument("--mql-threshold", type=float, default=100)
    args = parser.parse_args(argv)
    clock = args.clock or datetime.now(UTC).replace(tzinfo=None).isoformat()
    for label, value in (("--as-of", args.as_of), ("--clock", clock)):
        if parse_ts(value) is None:
            print(f"error: {label} {value!r} is not an ISO-8601 timestamp", file=sys.stderr)
            return 2
    result = compute(args.raw_dir, args.config_dir, args.as_of, clock, mql_threshold=args.mql_threshold)

    print(f"{'table':<20}{'raw':>8}{'used':>8}{'quarant.':>10}{'exact dup':>11}")
    for table, c in result["counts"].items():
        print(f"{table:<20}{c['raw']:>8}{c['used']:>8}{c['quarantined']:>10}{c['exact_duplicates']:>11}")
    reasons = {}
    for q in result["quarantine"]:
        key = (q["source_table"], q["reason"])
        reasons[key] = reasons.get(key, 0) + 1
    for (table, reason), n in sorted(reasons.items()):
        print(f"  quarantined {table}.{reason}: {n}")
    leads = result["dim_leads"].values()
    stages = {}
    for lead in leads:
        stages[lead["lifecycle_stage"]] = stages.get(lead["lifecycle_stage"], 0) + 1
    print(f"leads: {len(leads)}  icp fit: {sum(x['is_icp_fit'] for x in leads)}  "
          f"mqls: {sum(x['mql_count'] for x in leads)}  mql leads: {sum(x['mql_count'] > 0 for x in leads)}")
    print("stages: " + ", ".join(f"{s}={stages[s]}" for s in STAGE_ORDER if s in stages))
    print(f"scored activities: {len(result['score_history'])}  lifecycle events: {len(result['lifecycle_events'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
