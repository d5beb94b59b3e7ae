"""Tests of the raw data generator (lead_scoring/generate.py and scripts/generate_data.py)."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from lead_scoring import generate as gen
from lead_scoring.generate import PRESETS, TABLE_COLUMNS, TABLES, GeneratorConfig, generate

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "generate_data.py"
END = datetime(2026, 10, 31, 23, 59, 59, 999000, tzinfo=UTC)  # --end 2026-10-31 is inclusive
START = datetime(2025, 6, 1, tzinfo=UTC)
TIMESTAMP_COLUMNS = {
    "leads": ["created_at"],
    "activities": ["occurred_at"],
    "sales_dispositions": ["disposition_at"],
    "opportunities": ["created_at", "closed_at"],
}
# The formats of docs/decisions.md: date, optional time, optional Z / +HH / +HHMM / +HH:MM.
TIMESTAMP_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$")
SCORED_TYPES = {
    "email_open", "email_click", "page_view", "pricing_page_view", "content_download", "webinar_registered",
    "webinar_attended", "event_attended", "contact_form", "free_trial_signup", "demo_request",
    "careers_page_view", "email_bounce", "unsubscribe",
}
SMALL = {"leads": 300, "accounts": 60, "activities_per_lead_mean": 25.0, "seed": 7}


def parse_ts(text: str) -> datetime:
    if not TIMESTAMP_RE.match(text):
        raise ValueError(text)
    dt = datetime.fromisoformat(text)
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str | None]]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = [{k: (v if v != "" else None) for k, v in row.items()} for row in reader]
        return list(reader.fieldnames or []), rows


def load(out: Path, prefix: str = "") -> dict[str, list[dict[str, str | None]]]:
    return {name: read_csv(out / f"{prefix}{name}.csv")[1] for name in TABLES}


def make(tmp_path_factory, name: str, **options) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp(name)
    counts = generate(GeneratorConfig(**{**SMALL, **options}), out)
    return out, counts


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    out, counts = make(tmp_path_factory, "clean", edge_cases=True)
    return out, counts, load(out)


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    out, counts = make(tmp_path_factory, "plain")
    return out, counts, load(out)


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    out, counts = make(tmp_path_factory, "bad", edge_cases=True, bad_rows=True)
    return out, counts, load(out)


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """Big enough for stable rates: 6,000 leads in one chunk."""
    out, counts = make(tmp_path_factory, "large", leads=6000, accounts=1200, activities_per_lead_mean=20.0)
    return out, counts, load(out)


def files_bytes(out: Path, fmt: str = "csv") -> dict[str, bytes]:
    return {name: (out / f"{name}.{fmt}").read_bytes() for name in TABLES}


# ---------------------------------------------------------------------------------------------
# Determinism
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_gives_byte_identical_files(tmp_path, fmt):
    cfg = GeneratorConfig(**SMALL, fmt=fmt, edge_cases=True, bad_rows=True)
    generate(cfg, tmp_path / "a")
    generate(cfg, tmp_path / "b")
    assert files_bytes(tmp_path / "a", fmt) == files_bytes(tmp_path / "b", fmt)


def test_different_seed_gives_different_files(tmp_path):
    generate(GeneratorConfig(**SMALL), tmp_path / "a")
    generate(GeneratorConfig(**{**SMALL, "seed": 8}), tmp_path / "b")
    a, b = files_bytes(tmp_path / "a"), files_bytes(tmp_path / "b")
    assert all(a[name] != b[name] for name in TABLES)


def test_parquet_holds_the_same_rows_as_csv(tmp_path):
    generate(GeneratorConfig(**SMALL, edge_cases=True, bad_rows=True), tmp_path / "csv")
    generate(GeneratorConfig(**SMALL, fmt="parquet", edge_cases=True, bad_rows=True), tmp_path / "pq")
    for name in TABLES:
        table = pq.read_table(tmp_path / "pq" / f"{name}.parquet")
        assert table.column_names == TABLE_COLUMNS[name]
        assert all(str(t) == "string" for t in table.schema.types)
        from_pq = [{k: (v if v != "" else None) for k, v in row.items()} for row in table.to_pylist()]
        assert from_pq == read_csv(tmp_path / "csv" / f"{name}.csv")[1], name


# ---------------------------------------------------------------------------------------------
# Shape
# ---------------------------------------------------------------------------------------------


def test_columns_and_row_counts(clean):
    out, counts, data = clean
    for name in TABLES:
        header, rows = read_csv(out / f"{name}.csv")
        assert header == TABLE_COLUMNS[name]
        assert counts[name] == len(rows)
    assert len(data["accounts"]) == 60 + len(gen.EDGE_ACCOUNTS)
    assert len(data["leads"]) == 300 + len(gen.EDGE_LEADS)
    edge_activities = sum(len(lead["activities"]) for lead in gen.EDGE_LEADS)
    assert 300 * 25 * 0.9 < len(data["activities"]) - edge_activities < 300 * 25 * 1.1
    assert 0 < len(data["sales_dispositions"]) < 4 * len(data["leads"])
    assert 0 < len(data["opportunities"]) <= len(data["leads"])


def test_plain_run_has_exact_counts_and_no_extras(plain):
    _, counts, data = plain
    assert counts["leads"] == 300 and counts["accounts"] == 60
    types = {row["activity_type"] for row in data["activities"]}
    assert not types & {"sms_reply", "g2_profile_view", "intent_surge"}
    ids = [row["activity_id"] for row in data["activities"]]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("fixture", ["clean", "plain", "bad"])
def test_rows_sorted_by_key(fixture, request):
    _, _, data = request.getfixturevalue(fixture)
    for name in TABLES:
        keys = [row[TABLE_COLUMNS[name][0]] or "" for row in data[name]]
        assert keys == sorted(keys), name


def test_keys_unique_and_duplicates_exact(clean):
    _, _, data = clean
    for name in TABLES:
        key = TABLE_COLUMNS[name][0]
        by_key = defaultdict(list)
        for row in data[name]:
            assert row[key], name
            by_key[row[key]].append(row)
        for rows in by_key.values():
            assert all(r == rows[0] for r in rows), (name, rows)
        if name != "activities":
            assert len(by_key) == len(data[name]), name


def test_every_timestamp_parses_and_is_in_range(clean):
    _, _, data = clean
    for name, columns in TIMESTAMP_COLUMNS.items():
        for row in data[name]:
            for col in columns:
                if row[col] is None:
                    assert (name, col) == ("opportunities", "closed_at")
                    continue
                ts = parse_ts(row[col])
                assert START <= ts <= END, (name, col, row[col])


def test_timestamps_come_in_several_spellings(clean):
    _, _, data = clean
    values = [row["occurred_at"] for row in data["activities"]]
    assert any(v.endswith("Z") and "." not in v for v in values)
    assert any(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", v) for v in values)
    assert any(re.search(r"[+-]\d\d:\d\d$", v) for v in values)
    assert any(re.search(r"[+-]\d{4}$", v) for v in values)
    assert any(re.search(r"\.\d{3}Z$", v) for v in values)
    # An offset spelling is the same instant: the local time is shifted, not just relabelled.
    assert parse_ts(gen.format_timestamp(0, gen.V_PLUS2)) == datetime(1970, 1, 1, tzinfo=UTC)
    assert gen.format_timestamp(250, gen.V_MINUS5) == "1969-12-31T19:00:00.250-0500"


def test_end_date_bound_is_respected_for_other_ranges(tmp_path):
    cfg = GeneratorConfig(leads=200, seed=3, start="2024-01-01", end="2024-04-30", edge_cases=True)
    generate(cfg, tmp_path)
    data = load(tmp_path)
    last = datetime(2024, 4, 30, 23, 59, 59, 999000, tzinfo=UTC)
    first = datetime(2024, 1, 1, tzinfo=UTC)
    for name, columns in TIMESTAMP_COLUMNS.items():
        for row in data[name]:
            for col in columns:
                if row[col]:
                    assert first <= parse_ts(row[col]) <= last


# ---------------------------------------------------------------------------------------------
# Integrity and realism
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["clean", "plain"])
def test_foreign_keys_hold_without_bad_rows(fixture, request):
    _, _, data = request.getfixturevalue(fixture)
    accounts = {row["account_id"] for row in data["accounts"]}
    leads = {row["lead_id"]: row for row in data["leads"]}
    assert all(row["account_id"] is None or row["account_id"] in accounts for row in data["leads"])
    for name in ("activities", "sales_dispositions", "opportunities"):
        assert all(row["lead_id"] in leads for row in data[name]), name
    for row in data["opportunities"]:
        assert row["account_id"] == leads[row["lead_id"]]["account_id"]
    dispositions = {row["disposition"] for row in data["sales_dispositions"]}
    assert dispositions == {"accepted", "qualified", "recycled", "disqualified"}
    for row in data["opportunities"]:
        assert (row["closed_at"] is None) == (row["is_won"] is None)
        assert row["is_won"] in (None, "true", "false")
        assert int(row["amount_usd"]) >= 1000


def test_funnel_events_follow_their_triggers(large):
    _, _, data = large
    created = {row["lead_id"]: parse_ts(row["created_at"]) for row in data["leads"]}
    first_handraise: dict[str, datetime] = {}
    for row in data["activities"]:
        if row["activity_type"] in ("demo_request", "free_trial_signup", "contact_form"):
            ts = parse_ts(row["occurred_at"])
            first_handraise[row["lead_id"]] = min(ts, first_handraise.get(row["lead_id"], ts))
    first_disposition: dict[str, datetime] = {}
    first_qualified: dict[str, datetime] = {}
    for row in data["sales_dispositions"]:
        ts = parse_ts(row["disposition_at"])
        assert ts > created[row["lead_id"]]
        first_disposition[row["lead_id"]] = min(ts, first_disposition.get(row["lead_id"], ts))
        if row["disposition"] == "qualified":
            first_qualified[row["lead_id"]] = min(ts, first_qualified.get(row["lead_id"], ts))
    for lead, ts in first_disposition.items():
        if lead in first_handraise:
            assert ts > first_handraise[lead]
    for row in data["opportunities"]:
        opened = parse_ts(row["created_at"])
        assert opened >= first_qualified[row["lead_id"]]
        if row["closed_at"]:
            assert parse_ts(row["closed_at"]) > opened
    won = [r for r in data["opportunities"] if r["is_won"] == "true"]
    lost = [r for r in data["opportunities"] if r["is_won"] == "false"]
    still_open = [r for r in data["opportunities"] if r["is_won"] is None]
    assert won and lost and still_open


def test_conversion_signal(large):
    _, _, data = large
    demo = {row["lead_id"] for row in data["activities"] if row["activity_type"] == "demo_request"}
    qualified = {row["lead_id"] for row in data["sales_dispositions"] if row["disposition"] == "qualified"}
    leads = [row["lead_id"] for row in data["leads"]]
    with_demo = [lead for lead in leads if lead in demo]
    without = [lead for lead in leads if lead not in demo]
    rate_with = sum(lead in qualified for lead in with_demo) / len(with_demo)
    rate_without = sum(lead in qualified for lead in without) / len(without)
    assert 0.02 < len(with_demo) / len(leads) < 0.15
    assert rate_with > 3 * rate_without and rate_with - rate_without > 0.15


def test_careers_page_viewers_convert_less(large):
    """Job seekers browse a lot: among active leads without a demo request, they are accepted less."""
    _, _, data = large
    per_lead = Counter(row["lead_id"] for row in data["activities"])
    careers = {row["lead_id"] for row in data["activities"] if row["activity_type"] == "careers_page_view"}
    demo = {row["lead_id"] for row in data["activities"] if row["activity_type"] == "demo_request"}
    accepted = {row["lead_id"] for row in data["sales_dispositions"] if row["disposition"] == "accepted"}
    pool = [lead for lead, n in per_lead.items() if n >= 20 and lead not in demo]
    rate = {}
    for flag in (True, False):
        group = [lead for lead in pool if (lead in careers) == flag]
        rate[flag] = sum(lead in accepted for lead in group) / len(group)
    assert rate[True] < 0.8 * rate[False]


def test_activity_mix_and_skew(large):
    _, _, data = large
    types = Counter(row["activity_type"] for row in data["activities"])
    assert SCORED_TYPES <= set(types)
    assert {"chat_started", "social_follow"} <= set(types)
    top_two = {t for t, _ in types.most_common(2)}
    assert top_two == {"email_open", "page_view"}
    assert types["demo_request"] < types["pricing_page_view"] < types["page_view"]
    per_lead = Counter(row["lead_id"] for row in data["activities"])
    counts = sorted(per_lead.get(row["lead_id"], 0) for row in data["leads"])
    median = counts[len(counts) // 2]
    assert median <= 15 and counts[-1] >= 200 and counts[0] == 0
    # Some tracking happened before the lead was created; most after.
    created = {row["lead_id"]: parse_ts(row["created_at"]) for row in data["leads"]}
    before = sum(parse_ts(r["occurred_at"]) < created[r["lead_id"]] for r in data["activities"])
    assert 0 < before < 0.1 * len(data["activities"])
    # Bursts: many activities follow the previous one of the same lead within 10 minutes.
    rows = data["activities"]
    close = sum(
        1 for a, b in zip(rows, rows[1:], strict=False)
        if a["lead_id"] == b["lead_id"]
        and 0 <= (parse_ts(b["occurred_at"]) - parse_ts(a["occurred_at"])).total_seconds() <= 600
    )
    assert close > 0.3 * len(rows)
    assert any(row["detail"] is None for row in rows) and any(row["detail"] for row in rows)


def test_accounts_and_leads_look_real(large):
    _, _, data = large
    accounts = data["accounts"]
    domains = [row["domain"] for row in accounts]
    assert len(set(domains)) == len(domains)
    assert all(re.fullmatch(r"[a-z0-9-]+(\.[a-z]{2,})+", d) for d in domains)
    assert all(re.fullmatch(r"[A-Z]{2}", row["country"]) for row in accounts)
    employees = sorted(int(row["employee_count"]) for row in accounts)
    assert employees[0] >= 2 and employees[-1] <= 100_000
    assert employees[-1] > 20 * employees[len(employees) // 2]
    assert len({row["industry"] for row in accounts}) >= 12
    big = [int(r["annual_revenue_usd"]) for r in accounts if int(r["employee_count"]) >= 1000]
    small = [int(r["annual_revenue_usd"]) for r in accounts if int(r["employee_count"]) < 50]
    assert min(big) > max(small) / 10 and sum(big) / len(big) > 20 * sum(small) / len(small)
    country_share = Counter(row["country"] for row in accounts)
    assert sum(country_share[c] for c in ("US", "GB", "DE", "FR", "CA", "NL", "AU")) > 0.7 * len(accounts)

    leads = data["leads"]
    account_domain = {row["account_id"]: row["domain"] for row in accounts}
    linked = [row for row in leads if row["account_id"]]
    assert 0.75 < len(linked) / len(leads) < 0.85
    assert all(row["email"].split("@")[1] == account_domain[row["account_id"]] for row in linked)
    personal = set(read_domains("personal_email_domains.csv"))
    competitor = set(read_domains("competitor_domains.csv"))
    unlinked_domains = Counter(row["email"].split("@")[1] for row in leads if not row["account_id"])
    assert sum(n for d, n in unlinked_domains.items() if d in personal) > 0.5 * sum(unlinked_domains.values())
    n_competitor = sum(n for d, n in unlinked_domains.items() if d in competitor)
    assert 0 < n_competitor < 0.03 * len(leads)
    assert sum(n for d, n in unlinked_domains.items() if d not in personal | competitor) > 0
    assert {row["lead_source"] for row in leads} == set(gen.LEAD_SOURCES)
    assert all(re.fullmatch(r"[A-Z]{2}", row["country"]) for row in leads)
    titles = {row["job_title"] for row in leads}
    for trap in ("Director of Sales", "Leadership Development Coordinator", "VP Marketing",
                 "Vice President, Engineering", "Head of Growth", "Co-Founder & CEO", "Marketing Intern",
                 "Graduate Student", "Student Success Manager", "Software Engineer"):
        assert trap in titles, trap


def read_domains(name: str) -> list[str]:
    return [row["domain"] for row in read_csv(ROOT / "seeds" / "config" / name)[1]]


def seniority(title: str, rules: list[dict[str, str | None]]) -> str:
    """SPEC section 2 / docs/decisions.md: whole-word keyword match, lowest priority wins."""
    norm = " " + re.sub(r"[^a-z0-9]+", " ", title.lower()).strip() + " "
    matches = []
    for rule in rules:
        keyword = re.sub(r"[^a-z0-9]+", " ", (rule["keyword"] or "").lower()).strip()
        if f" {keyword} " in norm:
            matches.append((int(rule["priority"] or 0), keyword, rule["seniority"]))
    return min(matches)[2] if matches else "individual_contributor"


def test_title_seniority_labels_agree_with_the_config_seed():
    rules = read_csv(ROOT / "seeds" / "config" / "job_title_seniority.csv")[1]
    for title, expected, _ in gen.TITLES:
        assert seniority(title, rules) == expected, title
    assert seniority("Director of Sales", rules) == "director"
    assert seniority("Leadership Development Coordinator", rules) == "individual_contributor"
    assert seniority("Student Success Manager", rules) == "manager"


# ---------------------------------------------------------------------------------------------
# --edge-cases and --bad-rows
# ---------------------------------------------------------------------------------------------


def test_edge_cases_are_present(clean):
    _, _, data = clean
    acts = data["activities"]
    by_lead = defaultdict(list)
    for row in acts:
        by_lead[row["lead_id"]].append(row)
    # Ties: one lead, several activity rows (distinct ids) at one instant.
    distinct = {r["activity_id"]: r for r in acts}.values()
    instants = Counter((r["lead_id"], parse_ts(r["occurred_at"])) for r in distinct)
    assert sum(n >= 3 for n in instants.values()) >= 1 and sum(n >= 2 for n in instants.values()) >= 10
    # Exact duplicate rows.
    assert len({tuple(r.values()) for r in acts}) < len(acts)
    # Unknown activity types.
    assert {"sms_reply", "g2_profile_view", "intent_surge"} <= {r["activity_type"] for r in acts}
    # A lead with exactly one demo_request and nothing else.
    assert any([r["activity_type"] for r in rows] == ["demo_request"] for rows in by_lead.values())
    titles = {row["job_title"] for row in data["leads"]}
    assert {"CTO", "Director"} <= titles
    # A recycle followed by fresh activity; a disqualification followed by activity.
    for disposition in ("recycled", "disqualified"):
        assert any(
            any(parse_ts(a["occurred_at"]) > parse_ts(d["disposition_at"]) for a in by_lead[d["lead_id"]])
            for d in data["sales_dispositions"] if d["disposition"] == disposition
        ), disposition
    # Leads with messy or missing emails, and an opportunity without account.
    emails = [row["email"] for row in data["leads"]]
    assert None in emails and any(e and "@" not in e for e in emails)
    assert any(e and e != e.strip() for e in emails)
    assert any(row["account_id"] is None for row in data["opportunities"])


def test_bad_rows_cover_every_kind(bad):
    _, _, data = bad
    lead_ids = {row["lead_id"] for row in data["leads"] if row["lead_id"]}
    account_ids = {row["account_id"] for row in data["accounts"] if row["account_id"]}

    def has(name: str, predicate) -> bool:
        return any(predicate(row) for row in data[name])

    for name in TABLES:
        key = TABLE_COLUMNS[name][0]
        assert has(name, lambda r, key=key: r[key] is None), f"{name}: missing key"
        assert has(name, lambda r, key=key: r[key] is not None and not r[key].strip()), f"{name}: blank key"
        rows = [tuple(r.values()) for r in data[name]]
        assert len(set(rows)) < len(rows), f"{name}: exact duplicate"
        by_key = defaultdict(set)
        for r in data[name]:
            if r[key] and r[key].strip():
                by_key[r[key]].add(tuple(r.values()))
        assert any(len(v) > 1 for v in by_key.values()), f"{name}: same key, different contents"
    for name in ("activities", "sales_dispositions", "opportunities"):
        assert has(name, lambda r: not (r["lead_id"] or "").strip()), f"{name}: missing lead_id"
        assert has(name, lambda r: (r["lead_id"] or "").strip() and r["lead_id"] not in lead_ids), name
    for name, columns in TIMESTAMP_COLUMNS.items():
        values = [r[c] for r in data[name] for c in columns if r[c]]
        assert "not-a-date" in values and "2026-13-45T10:00:00Z" in values, name
        parsed = []
        for v in values:
            try:
                parsed.append(parse_ts(v))
            except ValueError:
                pass
        assert any(ts.year == 2099 for ts in parsed), name
        assert all(ts <= END for ts in parsed if ts.year != 2099), name
    assert has("sales_dispositions", lambda r: r["disposition"] == "maybe")
    assert has("accounts", lambda r: (r["employee_count"] or "").startswith("-"))
    assert has("accounts", lambda r: r["annual_revenue_usd"] == "unknown")
    assert has("leads", lambda r: r["account_id"] and r["account_id"] not in account_ids)
    assert has("opportunities", lambda r: r["account_id"] and r["account_id"] not in account_ids)
    assert has("opportunities", lambda r: r["amount_usd"] in ("n/a", "-5000"))
    assert has("opportunities", lambda r: r["is_won"] == "perhaps")


def test_many_chunks_keep_keys_sorted_unique_and_linked(tmp_path, monkeypatch):
    monkeypatch.setattr(gen, "CHUNK_LEADS", 70)
    generate(GeneratorConfig(**SMALL, edge_cases=True, bad_rows=True), tmp_path)
    data = load(tmp_path)
    for name in TABLES:
        keys = [row[TABLE_COLUMNS[name][0]] or "" for row in data[name]]
        assert keys == sorted(keys), name
    good_ids = [r["activity_id"] for r in data["activities"] if r["activity_id"] and r["activity_id"].strip()]
    numbers = sorted({int(i.split("_")[1]) for i in good_ids})
    assert numbers == list(range(1, len(numbers) + 1))
    leads = {row["lead_id"] for row in data["leads"]}
    orphans = [r for r in data["activities"] if (r["lead_id"] or "").strip() and r["lead_id"] not in leads]
    assert 0 < len(orphans) <= 2


# ---------------------------------------------------------------------------------------------
# CLI and the committed sample
# ---------------------------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd="/")


def test_cli_writes_files_and_prints_a_summary(tmp_path):
    result = run_cli("--out", str(tmp_path), "--leads", "120", "--accounts", "30", "--seed", "5",
                     "--file-prefix", "raw_", "--format", "parquet", "--bad-rows")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    for name in TABLES:
        assert f"{name}=" in lines[0]
        assert (tmp_path / f"raw_{name}.parquet").exists()
    assert int(re.search(r"leads=(\d+)", lines[0]).group(1)) > 120  # plus the bad rows


def test_cli_rejects_bad_options(tmp_path):
    result = run_cli("--out", str(tmp_path / "x"), "--leads", "0")
    assert result.returncode == 2 and "--leads" in result.stderr
    result = run_cli("--out", str(tmp_path / "x"), "--end", "not-a-date")
    assert result.returncode == 2 and "--end" in result.stderr
    assert not (tmp_path / "x").exists()


def test_sample_preset(tmp_path):
    assert PRESETS["sample"]["edge_cases"] is True and not PRESETS["sample"]["bad_rows"]
    result = run_cli("--preset", "sample", "--out", str(tmp_path), "--file-prefix", "raw_")
    assert result.returncode == 0, result.stderr
    data = load(tmp_path, "raw_")
    assert 380 <= len(data["leads"]) <= 430
    assert 75 <= len(data["accounts"]) <= 90
    assert 11_000 <= len(data["activities"]) <= 14_000
    instants = [parse_ts(r["occurred_at"]) for r in data["activities"]]
    assert min(instants) < datetime(2025, 7, 1, tzinfo=UTC)
    assert max(instants) > datetime(2026, 10, 1, tzinfo=UTC)
    committed = ROOT / "seeds" / "sample"
    if not (committed / "raw_activities.csv").exists():
        pytest.skip("seeds/sample not generated yet")
    for name in TABLES:
        path = f"raw_{name}.csv"
        assert (tmp_path / path).read_bytes() == (committed / path).read_bytes(), (
            f"seeds/sample/{path} is stale: python scripts/generate_data.py --preset sample "
            "--out seeds/sample --file-prefix raw_")
