"""Unit tests of the oracle itself (tests/oracle.py) on tiny hand-built raw folders.

Every expected number is computed by hand in a comment next to the assertion.
The config is written by the tests (the spec's defaults), so editing seeds/config never breaks them.
"""

from __future__ import annotations

import csv
import sys
from datetime import datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import oracle

SCORING_RULES = """activity_type,points,max_points,half_life_days,description
email_open,1,10,30,x
email_click,3,15,30,x
page_view,1,10,14,x
pricing_page_view,10,30,30,x
content_download,15,45,60,x
webinar_registered,10,20,60,x
webinar_attended,25,50,90,x
event_attended,25,50,90,x
contact_form,30,30,90,x
free_trial_signup,40,40,90,x
demo_request,100,100,90,x
careers_page_view,-10,20,60,x
email_bounce,-10,10,,x
unsubscribe,-30,30,,x
"""
ICP_RULES = """attribute,match_value,min_value,max_value,points
industry,software,,,25
industry,saas,,,25
industry,fintech,,,25
industry,it_services,,,25
industry,manufacturing,,,10
industry,healthcare,,,10
employee_count,,200,5000,25
employee_count,,50,200,15
employee_count,,5000,,20
annual_revenue_usd,,10000000,1000000000,15
country,US,,,10
country,CA,,,10
country,GB,,,10
country,DE,,,10
country,FR,,,10
country,NL,,,10
country,AU,,,10
job_seniority,executive,,,25
job_seniority,vp,,,25
job_seniority,director,,,20
job_seniority,manager,,,15
job_seniority,individual_contributor,,,5
"""
SENIORITY = """keyword,seniority,priority
chief,executive,1
ceo,executive,1
cto,executive,1
cmo,executive,1
cfo,executive,1
founder,executive,1
co founder,executive,1
managing director,executive,1
vp,vp,2
vice president,vp,2
director,director,3
head of,director,3
manager,manager,4
lead,manager,4
student,student,5
intern,student,5
"""
PERSONAL = "domain\ngmail.com\nyahoo.com\n"
COMPETITORS = "domain\nscorerival.io\n"

AS_OF = "2024-12-31T00:00:00"
CLOCK = "2025-01-01T00:00:00"

# Account scoring 75 before seniority: software 25 + 1000 employees 25 + 50M revenue 15 + US 10 = 75.
ACC_A = {"account_id": "ACC1", "company_name": "Acme", "domain": "acme.com", "industry": "Software",
         "employee_count": "1000", "annual_revenue_usd": "50000000", "country": "US"}
# Account scoring 20 before seniority: manufacturing 10 + 10 employees 0 + no revenue 0 + US 10 = 20.
ACC_C = {"account_id": "ACC2", "company_name": "Bolt", "domain": "bolt.com", "industry": "manufacturing",
         "employee_count": "10", "annual_revenue_usd": "", "country": "us"}


def lead(lead_id, email="<default>", title="VP Marketing", account_id="ACC1", created_at="2024-01-01T00:00:00",
         **extra):
    row = {"lead_id": lead_id, "email": f"{lead_id.lower()}@acme.com" if email == "<default>" else email,
           "first_name": "F",
           "last_name": "L", "job_title": title, "account_id": account_id, "lead_source": "webinar",
           "country": "US", "created_at": created_at}
    row.update(extra)
    return row


def act(activity_id, lead_id, activity_type, occurred_at, detail=""):
    return {"activity_id": activity_id, "lead_id": lead_id, "activity_type": activity_type,
            "occurred_at": occurred_at, "detail": detail}


def disp(disposition_id, lead_id, disposition, at):
    return {"disposition_id": disposition_id, "lead_id": lead_id, "disposition": disposition,
            "disposition_at": at, "reason": ""}


def opp(opportunity_id, lead_id, created_at, closed_at="", is_won="", amount="1000", account_id="ACC1"):
    return {"opportunity_id": opportunity_id, "lead_id": lead_id, "account_id": account_id,
            "created_at": created_at, "closed_at": closed_at, "is_won": is_won, "amount_usd": amount}


def write_csv(path, columns, rows):
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns)
        w.writeheader()
        for r in rows:
            w.writerow(r)


def run(tmp_path, leads=(), activities=(), dispositions=(), opportunities=(), accounts=(ACC_A, ACC_C),
        as_of=AS_OF, clock=CLOCK):
    raw, cfg = tmp_path / "raw", tmp_path / "config"
    raw.mkdir(exist_ok=True)
    cfg.mkdir(exist_ok=True)
    for name, text in (("scoring_rules", SCORING_RULES), ("icp_rules", ICP_RULES),
                       ("job_title_seniority", SENIORITY), ("personal_email_domains", PERSONAL),
                       ("competitor_domains", COMPETITORS)):
        (cfg / f"{name}.csv").write_text(text)
    for name, rows in (("accounts", accounts), ("leads", leads), ("activities", activities),
                       ("sales_dispositions", dispositions), ("opportunities", opportunities)):
        write_csv(raw / f"{name}.csv", oracle.RAW_COLUMNS[name], rows)
    return oracle.compute(raw, cfg, as_of, clock)


def dt(text):
    return datetime.fromisoformat(text)


# ------------------------------------------------------------------ engagement score


def test_decay_after_one_half_life_halves_points(tmp_path):
    # pricing_page_view: 10 points, half-life 30 days. Viewed 2024-11-01, as_of 2024-12-01 = 30 days later:
    # 10 * 0.5 ** (30 / 30) = 5.0
    r = run(tmp_path, leads=[lead("L1")], activities=[act("A1", "L1", "pricing_page_view", "2024-11-01")],
            as_of="2024-12-01T00:00:00")
    assert r["dim_leads"]["L1"]["engagement_score"] == pytest.approx(5.0, abs=1e-12)
    # at its own instant the activity has age 0: 10 * 0.5 ** 0 = 10
    assert r["score_history"]["A1"]["engagement_score_after"] == pytest.approx(10.0)


def test_decay_two_activities_brute_force(tmp_path):
    # page_view (1 pt, half-life 14): at 2024-11-01 and 2024-11-15.
    # score at the second = 1 * 0.5 ** (14/14) + 1 = 1.5
    # at as_of 2024-11-29: 1 * 0.5 ** (28/14) + 1 * 0.5 ** (14/14) = 0.25 + 0.5 = 0.75
    r = run(tmp_path, leads=[lead("L1")],
            activities=[act("A1", "L1", "page_view", "2024-11-01"), act("A2", "L1", "page_view", "2024-11-15")],
            as_of="2024-11-29")
    assert r["score_history"]["A1"]["engagement_score_after"] == pytest.approx(1.0)
    assert r["score_history"]["A2"]["engagement_score_after"] == pytest.approx(1.5)
    assert r["dim_leads"]["L1"]["engagement_score"] == pytest.approx(0.75)


def test_cap(tmp_path):
    # 4 pricing_page_view at one instant: S = 4 * 10 = 40, capped at max_points 30 -> 30
    acts = [act(f"A{i}", "L1", "pricing_page_view", "2024-12-30T12:00:00") for i in range(4)]
    r = run(tmp_path, leads=[lead("L1")], activities=acts, as_of="2024-12-30T12:00:00")
    assert r["dim_leads"]["L1"]["engagement_score"] == pytest.approx(30.0)


def test_negative_cap(tmp_path):
    # at one instant: 3 careers_page_view -> S = 3 * -10 = -30, capped to -20 (max_points 20, sign kept);
    # 3 content_download -> 3 * 15 = 45 (cap 45, not hit). score = 45 - 20 = 25 (uncapped would be 15)
    acts = [act(f"C{i}", "L1", "careers_page_view", "2024-12-30") for i in range(3)]
    acts += [act(f"D{i}", "L1", "content_download", "2024-12-30") for i in range(3)]
    r = run(tmp_path, leads=[lead("L1")], activities=acts, as_of="2024-12-30")
    assert r["dim_leads"]["L1"]["engagement_score"] == pytest.approx(25.0)


def test_floor_at_zero(tmp_path):
    # pricing_page_view 10 then unsubscribe -30 (no decay, cap 30): 10 - 30 = -20 -> floored to 0
    acts = [act("A1", "L1", "pricing_page_view", "2024-12-30"), act("A2", "L1", "unsubscribe", "2024-12-30")]
    r = run(tmp_path, leads=[lead("L1")], activities=acts, as_of="2024-12-30")
    assert r["dim_leads"]["L1"]["engagement_score"] == 0.0
    assert r["score_history"]["A2"]["engagement_score_after"] == 0.0


def test_unscored_types_kept_out_of_history(tmp_path):
    # 'podcast_listen' has no rule: 0 points, not in the score history; page_view 1 point
    acts = [act("A1", "L1", "podcast_listen", "2024-12-30"), act("A2", "L1", "page_view", "2024-12-30")]
    r = run(tmp_path, leads=[lead("L1")], activities=acts, as_of="2024-12-30")
    assert set(r["score_history"]) == {"A2"}
    assert r["dim_leads"]["L1"]["engagement_score"] == pytest.approx(1.0)


def test_ties_at_one_instant_count_together_and_smallest_id_carries_mql(tmp_path):
    # at 2024-06-01T10:00: contact_form 30 + free_trial_signup 40 + webinar_attended 25 + pricing 10 = 105
    # >= 100 -> MQL at that instant; all four rows show 105; is_mql_event on the smallest id 'A1'.
    t = "2024-06-01T10:00:00"
    acts = [act("A4", "L1", "contact_form", t), act("A2", "L1", "free_trial_signup", t),
            act("A3", "L1", "webinar_attended", t), act("A1", "L1", "pricing_page_view", t)]
    r = run(tmp_path, leads=[lead("L1")], activities=acts)
    for a in ("A1", "A2", "A3", "A4"):
        assert r["score_history"][a]["engagement_score_after"] == pytest.approx(105.0)
    assert [a for a, h in r["score_history"].items() if h["is_mql_event"]] == ["A1"]
    assert r["dim_leads"]["L1"]["first_mql_at"] == dt(t)


def test_lone_demo_request_is_exactly_100_and_mqls(tmp_path):
    # demo_request 100 points at age 0: 100 * 0.5 ** 0 = 100 >= 100 -> MQL at that instant.
    # Lead fit: account 75 + vp 25 = 100 -> A, ICP fit.
    r = run(tmp_path, leads=[lead("L1")], activities=[act("A1", "L1", "demo_request", "2024-03-05T09:30:00")])
    d = r["dim_leads"]["L1"]
    assert (d["fit_score"], d["fit_grade"], d["is_icp_fit"]) == (100, "A", True)
    assert r["score_history"]["A1"]["engagement_score_after"] == 100.0
    assert r["score_history"]["A1"]["is_mql_event"] is True
    assert d["mql_count"] == 1
    assert d["first_mql_at"] == d["latest_mql_at"] == dt("2024-03-05T09:30:00")
    assert d["lifecycle_stage"] == "mql"


def test_just_below_threshold_does_not_mql(tmp_path):
    # contact_form 30 + free_trial_signup 40 at one instant = 70 < 100: no MQL, stage stays 'lead'.
    acts = [act("A1", "L1", "contact_form", "2024-03-01"), act("A2", "L1", "free_trial_signup", "2024-03-01")]
    r = run(tmp_path, leads=[lead("L1")], activities=acts)
    assert r["dim_leads"]["L1"]["mql_count"] == 0
    assert r["dim_leads"]["L1"]["lifecycle_stage"] == "lead"


def test_recycle_resets_and_allows_re_mql(tmp_path):
    # episode 1: demo_request 2024-02-01 -> 100 -> MQL #1.
    # recycled 2024-03-01 -> episode 2 starts. pricing_page_view 2024-03-01 (at the boundary instant) stays in
    # episode 1: 100 * 0.5 ** (29/90) + 10 ~ 80.0 + 10 = 90.0 < 100 (and episode 1 already MQL'd).
    # pricing_page_view 2024-03-02: episode 2, score 10 (old demo no longer counts).
    # demo_request 2024-04-01: episode 2, 100 + 10 * 0.5 ** (30/30) = 105 -> MQL #2.
    acts = [act("A1", "L1", "demo_request", "2024-02-01"), act("A2", "L1", "pricing_page_view", "2024-03-01"),
            act("A3", "L1", "pricing_page_view", "2024-03-02"), act("A4", "L1", "demo_request", "2024-04-01")]
    r = run(tmp_path, leads=[lead("L1")], activities=acts,
            dispositions=[disp("D1", "L1", "recycled", "2024-03-01")])
    h = r["score_history"]
    assert [h[a]["episode"] for a in ("A1", "A2", "A3", "A4")] == [1, 1, 2, 2]
    assert h["A2"]["engagement_score_after"] == pytest.approx(100 * 0.5 ** (29 / 90) + 10)
    assert h["A3"]["engagement_score_after"] == pytest.approx(10.0)
    assert h["A4"]["engagement_score_after"] == pytest.approx(105.0)
    assert [a for a in h if h[a]["is_mql_event"]] == ["A1", "A4"]
    d = r["dim_leads"]["L1"]
    assert d["mql_count"] == 2
    assert d["first_mql_at"] == dt("2024-02-01")
    assert d["latest_mql_at"] == dt("2024-04-01")
    assert d["lifecycle_stage"] == "mql"


def test_lost_opportunity_starts_new_episode_and_score_resets(tmp_path):
    # pricing 2024-12-01 (10), opportunity lost closed 2024-12-10 -> new episode; as_of 2024-12-31:
    # current episode (2) has no activity -> engagement_score 0; stage: recycled (lost opp closed_at).
    r = run(tmp_path, leads=[lead("L1")], activities=[act("A1", "L1", "pricing_page_view", "2024-12-01")],
            opportunities=[opp("O1", "L1", "2024-12-05", "2024-12-10", "false")])
    d = r["dim_leads"]["L1"]
    assert d["engagement_score"] == 0.0
    assert d["opportunity_at"] == dt("2024-12-05")
    assert d["customer_at"] is None
    assert d["lifecycle_stage"] == "recycled"


def test_disqualified_blocks_later_mqls(tmp_path):
    # demo 2024-02-01 -> MQL #1 (100). disqualified 2024-02-15, recycled 2024-03-01,
    # demo 2024-04-01 -> score 100 in episode 2 but blocked by the disqualification -> mql_count 1.
    acts = [act("A1", "L1", "demo_request", "2024-02-01"), act("A2", "L1", "demo_request", "2024-04-01")]
    r = run(tmp_path, leads=[lead("L1")], activities=acts,
            dispositions=[disp("D1", "L1", "disqualified", "2024-02-15"),
                          disp("D2", "L1", "recycled", "2024-03-01")])
    d = r["dim_leads"]["L1"]
    assert d["mql_count"] == 1
    assert r["score_history"]["A2"]["engagement_score_after"] == pytest.approx(100.0)
    assert r["score_history"]["A2"]["is_mql_event"] is False
    # last event: recycled 2024-03-01 (after disqualified 02-15)
    assert d["lifecycle_stage"] == "recycled"


def test_disqualified_at_same_instant_blocks(tmp_path):
    # disqualified at exactly the demo's instant: "at or before t" -> blocked
    t = "2024-02-01T08:00:00"
    r = run(tmp_path, leads=[lead("L1")], activities=[act("A1", "L1", "demo_request", t)],
            dispositions=[disp("D1", "L1", "disqualified", t)])
    assert r["dim_leads"]["L1"]["mql_count"] == 0
    assert r["dim_leads"]["L1"]["lifecycle_stage"] == "disqualified"


def test_excluded_and_c_grade_never_mql(tmp_path):
    leads = [
        # gmail: fit 100 (A) but excluded as personal_email_domain
        lead("L1", email=" Jane@GMAIL.com "),
        # ACC2: 20 + individual_contributor 5 = 25 -> C
        lead("L2", title="Engineer", account_id="ACC2"),
        lead("L3", email="bob@scorerival.io"),
        lead("L4", email="not-an-email"),
        lead("L5", email=""),
        lead("L6", title="Marketing Intern"),
    ]
    acts = [act(f"A{i}", f"L{i}", "demo_request", "2024-05-01") for i in range(1, 7)]
    r = run(tmp_path, leads=leads, activities=acts)
    d = r["dim_leads"]
    assert (d["L1"]["email_domain"], d["L1"]["is_excluded"], d["L1"]["exclusion_reason"]) == \
        ("gmail.com", True, "personal_email_domain")
    assert (d["L2"]["fit_score"], d["L2"]["fit_grade"], d["L2"]["is_excluded"]) == (25, "C", False)
    assert d["L3"]["exclusion_reason"] == "competitor_domain"
    assert (d["L4"]["exclusion_reason"], d["L4"]["email_domain"]) == ("malformed_email", None)
    assert d["L5"]["exclusion_reason"] == "missing_email"
    # intern -> student (no icp seniority rule): fit 75 (A) but excluded
    assert (d["L6"]["job_seniority"], d["L6"]["exclusion_reason"], d["L6"]["fit_score"]) == ("student", "student", 75)
    for i in range(1, 7):
        assert d[f"L{i}"]["is_icp_fit"] is False
        assert d[f"L{i}"]["mql_count"] == 0
        assert r["score_history"][f"A{i}"]["engagement_score_after"] == 100.0


def test_lead_without_account_uses_lead_country(tmp_path):
    # no account: industry/size/revenue 0; lead country 'gb' -> GB 10; 'Head of Growth' director 20 -> 30 C
    r = run(tmp_path, leads=[lead("L1", title="Head of Growth", account_id="", country="gb")])
    d = r["dim_leads"]["L1"]
    assert (d["account_id"], d["job_seniority"], d["fit_score"], d["fit_grade"]) == (None, "director", 30, "C")


# ------------------------------------------------------------------ job seniority


@pytest.mark.parametrize("title,expected", [
    ("Director of Sales", "director"),            # 'cto' must not match inside 'director'
    ("Team Leadership Coach", "individual_contributor"),  # 'lead' must not match 'leadership'
    ("Marketing Lead", "manager"),
    ("Co-Founder & CTO", "executive"),
    ("Senior VP, Sales", "vp"),
    ("Vice-President Marketing", "vp"),
    ("Managing Director", "executive"),           # priority 1 beats director (3)
    ("Director / Team Lead", "director"),         # 3 beats 4
    ("", "individual_contributor"),
    (None, "individual_contributor"),
    ("Student", "student"),
])
def test_job_seniority(title, expected):
    rules = [{"keyword": k, "seniority": s, "priority": int(p)}
             for k, s, p in (line.split(",") for line in SENIORITY.strip().splitlines()[1:])]
    assert oracle.job_seniority(title, rules) == expected


def test_job_seniority_tie_breaks_by_keyword_text():
    # both match with priority 1; 'alpha' < 'beta' -> seniority of 'alpha'
    rules = [{"keyword": "beta", "seniority": "b", "priority": 1},
             {"keyword": "alpha", "seniority": "a", "priority": 1}]
    assert oracle.job_seniority("Beta Alpha", rules) == "a"


# ------------------------------------------------------------------ lifecycle


def test_stage_tie_order_at_one_timestamp(tmp_path):
    t = "2024-07-01T12:00:00"
    # L1: accepted, qualified and an opportunity all at t -> opportunity wins (sal < sql < opportunity)
    # L2: created and demo (MQL) at the same instant -> mql wins over lead
    # L3: qualified and recycled at t -> recycled wins
    # L4: won opportunity closed at t and a disqualified at t -> disqualified wins over customer
    leads = [lead("L1"), lead("L2", created_at=t), lead("L3"), lead("L4")]
    r = run(tmp_path, leads=leads,
            activities=[act("A1", "L2", "demo_request", t)],
            dispositions=[disp("D1", "L1", "qualified", t), disp("D2", "L1", "accepted", t),
                          disp("D3", "L3", "recycled", t), disp("D4", "L3", "qualified", t),
                          disp("D5", "L4", "disqualified", t)],
            opportunities=[opp("O1", "L1", t), opp("O2", "L4", "2024-06-01", t, "yes")])
    d = r["dim_leads"]
    assert d["L1"]["lifecycle_stage"] == "opportunity"
    assert d["L1"]["sal_at"] == d["L1"]["sql_at"] == d["L1"]["opportunity_at"] == dt(t)
    assert d["L2"]["lifecycle_stage"] == "mql"
    assert d["L3"]["lifecycle_stage"] == "recycled"
    assert d["L4"]["lifecycle_stage"] == "disqualified"
    assert d["L4"]["customer_at"] == dt(t)
    l1 = [(e["stage"], e["occurred_at"]) for e in r["lifecycle_events"] if e["lead_id"] == "L1"]
    assert l1 == [("lead", dt("2024-01-01")), ("sal", dt(t)), ("sql", dt(t)), ("opportunity", dt(t))]


def test_as_of_filters_everything(tmp_path):
    # as_of 2024-06-30: the demo on 07-01, the qualified on 07-02 and the won close on 07-03 do not count;
    # the lead created 07-05 is not returned.
    leads = [lead("L1"), lead("L2", created_at="2024-07-05")]
    r = run(tmp_path, leads=leads,
            activities=[act("A1", "L1", "page_view", "2024-06-30"), act("A2", "L1", "demo_request", "2024-07-01")],
            dispositions=[disp("D1", "L1", "accepted", "2024-06-01"), disp("D2", "L1", "qualified", "2024-07-02")],
            opportunities=[opp("O1", "L1", "2024-06-15", "2024-07-03", "true")],
            as_of="2024-06-30")
    d = r["dim_leads"]
    assert set(d) == {"L1"}
    assert set(r["score_history"]) == {"A1"}
    assert d["L1"]["engagement_score"] == pytest.approx(1.0)  # page_view at age 0
    assert (d["L1"]["mql_count"], d["L1"]["sql_at"], d["L1"]["customer_at"]) == (0, None, None)
    assert d["L1"]["lifecycle_stage"] == "opportunity"


def test_won_opportunity_without_closed_at_is_not_customer(tmp_path):
    r = run(tmp_path, leads=[lead("L1")], opportunities=[opp("O1", "L1", "2024-05-01", "", "true")])
    assert r["dim_leads"]["L1"]["customer_at"] is None
    assert r["dim_leads"]["L1"]["lifecycle_stage"] == "opportunity"


# ------------------------------------------------------------------ timestamps


@pytest.mark.parametrize("text,expected", [
    ("2024-03-01", "2024-03-01T00:00:00"),
    ("2024-03-01T10:00", "2024-03-01T10:00:00"),
    ("2024-03-01 10:00:05", "2024-03-01T10:00:05"),
    ("2024-03-01T10:00:05Z", "2024-03-01T10:00:05"),
    ("2024-03-01T10:00:05.25", "2024-03-01T10:00:05.250000"),
    ("2024-03-01T10:00:05.1234567", "2024-03-01T10:00:05.123456"),
    ("2024-03-01T10:00:00+02:00", "2024-03-01T08:00:00"),   # 10:00 - 2h
    ("2024-03-01T10:00:00+0530", "2024-03-01T04:30:00"),    # 10:00 - 5h30
    ("2024-03-01T01:00:00+02", "2024-02-29T23:00:00"),      # crosses midnight (leap year)
    ("2024-03-01T22:00:00-05:00", "2024-03-02T03:00:00"),   # 22:00 + 5h
    (" 2024-03-01T10:00:00 ", "2024-03-01T10:00:00"),
])
def test_parse_ts_normalises_to_utc(text, expected):
    assert oracle.parse_ts(text) == dt(expected)


@pytest.mark.parametrize("text", [
    "", None, "yesterday", "2024-13-01", "2024-02-30", "2024/03/01", "01-03-2024", "2024-03-01T25:00:00",
    "2024-03-01T10", "2024-03-01T10:00:00+2", "2024-03-01T10:00:00 +02:00", "1709287200",
])
def test_parse_ts_unparseable(text):
    assert oracle.parse_ts(text) is None


def test_offsets_order_activities_in_utc(tmp_path):
    # demo at 10:00+02:00 = 08:00 UTC; disqualified at 09:00Z: the demo is before it -> MQL at 08:00 UTC
    r = run(tmp_path, leads=[lead("L1", created_at="2024-01-01T00:00:00Z")],
            activities=[act("A1", "L1", "demo_request", "2024-05-01T10:00:00+02:00")],
            dispositions=[disp("D1", "L1", "disqualified", "2024-05-01T09:00:00Z")])
    d = r["dim_leads"]["L1"]
    assert d["first_mql_at"] == dt("2024-05-01T08:00:00")
    assert r["score_history"]["A1"]["occurred_at"] == dt("2024-05-01T08:00:00")
    assert d["lifecycle_stage"] == "disqualified"


# ------------------------------------------------------------------ quarantine


def test_quarantine_reasons_and_reconciliation(tmp_path):
    accounts = [
        ACC_A,
        dict(ACC_A),                                               # exact duplicate -> removed, counted
        dict(ACC_A, account_id=""),                                # missing_key
        dict(ACC_A, account_id="ACC3", employee_count="lots"),    # invalid_number
        dict(ACC_A, account_id="ACC4", annual_revenue_usd="-5"),  # invalid_number (negative)
        dict(ACC_A, account_id="ACC1", company_name="Zeta"),      # duplicate_key ('Acme' < 'Zeta' kept)
    ]
    leads = [
        lead("L1"),
        lead("L2", created_at="2024-13-45"),          # unparseable_timestamp
        lead("L3", created_at="2025-06-01"),          # future_timestamp (clock 2025-01-01)
        lead("L4", account_id="ACC3"),                # orphan_account_id (ACC3 quarantined)
        lead("L1", created_at="2024-02-01"),          # duplicate_key: later created_at loses
        lead("L5", created_at="2024-02-01"),
        lead("L5", created_at="2024-01-15"),          # duplicate_key: this one is earlier -> kept
        lead("L6", created_at="2024-12-31T23:00:00"),  # used (before clock), after as_of -> not in dim_leads
    ]
    activities = [
        act("A1", "L1", "page_view", "2024-05-01"),
        act("A1", "L1", "page_view", "2024-05-01"),     # exact duplicate
        act("", "L1", "page_view", "2024-05-01"),       # missing_key
        act("A2", "", "page_view", "2024-05-01"),       # missing_lead_id
        act("A3", "L4", "page_view", "2024-05-01"),     # orphan_lead_id (cascade from L4)
        act("A4", "L9", "page_view", "2024-05-01"),     # orphan_lead_id
        act("A5", "L1", "page_view", "not a date"),     # unparseable_timestamp
        act("A6", "L1", "mystery_type", "2024-05-01"),  # kept, unscored
        act("A7", "L1", "page_view", "2024-12-31T12:00:00"),  # used, after as_of: ignored
        act("A8", "", "page_view", "bad"),              # unparseable_timestamp beats missing_lead_id
    ]
    dispositions = [
        disp("D1", "L1", " Accepted ", "2024-06-01"),   # trimmed + lowercased -> accepted
        disp("D2", "L1", "maybe", "2024-06-01"),        # unknown_disposition
        disp("D3", "L4", "accepted", "2024-06-01"),     # orphan_lead_id
    ]
    opportunities = [
        opp("O1", "L1", "2024-07-01"),
        opp("O2", "L1", "2024-07-01", closed_at="2024-07-40", is_won="true"),  # unparseable (closed_at)
        opp("O3", "L1", "2024-07-01", is_won="perhaps"),                       # invalid_boolean
        opp("O4", "L1", "2024-07-01", amount="abc"),                           # invalid_number
        opp("O5", "L1", "2024-07-01", account_id="ACC9"),                      # orphan_account_id
        opp("O6", "L4", "2024-07-01"),                                         # orphan_lead_id
        opp("O7", "L1", "2024-07-01", closed_at="2025-02-01", is_won="no"),    # future_timestamp
    ]
    r = run(tmp_path, leads=leads, activities=activities, dispositions=dispositions,
            opportunities=opportunities, accounts=accounts)
    got = sorted((q["source_table"], q["record_key"] or "", q["reason"]) for q in r["quarantine"])
    assert got == sorted([
        ("accounts", "", "missing_key"),
        ("accounts", "ACC3", "invalid_number"),
        ("accounts", "ACC4", "invalid_number"),
        ("accounts", "ACC1", "duplicate_key"),
        ("leads", "L2", "unparseable_timestamp"),
        ("leads", "L3", "future_timestamp"),
        ("leads", "L4", "orphan_account_id"),
        ("leads", "L1", "duplicate_key"),
        ("leads", "L5", "duplicate_key"),
        ("activities", "", "missing_key"),
        ("activities", "A2", "missing_lead_id"),
        ("activities", "A3", "orphan_lead_id"),
        ("activities", "A4", "orphan_lead_id"),
        ("activities", "A5", "unparseable_timestamp"),
        ("activities", "A8", "unparseable_timestamp"),
        ("sales_dispositions", "D2", "unknown_disposition"),
        ("sales_dispositions", "D3", "orphan_lead_id"),
        ("opportunities", "O2", "unparseable_timestamp"),
        ("opportunities", "O3", "invalid_boolean"),
        ("opportunities", "O4", "invalid_number"),
        ("opportunities", "O5", "orphan_account_id"),
        ("opportunities", "O6", "orphan_lead_id"),
        ("opportunities", "O7", "future_timestamp"),
    ])
    # raw = used + quarantined + exact duplicates
    # accounts 6 = used ACC1 (1) + 4 quarantined + 1 exact duplicate
    # leads 8 = used L1, L5, L6 (3) + 5 quarantined + 0
    # activities 10 = used A1, A6, A7 (3) + 6 quarantined + 1 exact duplicate
    # dispositions 3 = 1 + 2 + 0; opportunities 7 = 1 + 6 + 0
    assert r["counts"] == {
        "accounts": {"raw": 6, "used": 1, "quarantined": 4, "exact_duplicates": 1},
        "leads": {"raw": 8, "used": 3, "quarantined": 5, "exact_duplicates": 0},
        "activities": {"raw": 10, "used": 3, "quarantined": 6, "exact_duplicates": 1},
        "sales_dispositions": {"raw": 3, "used": 1, "quarantined": 2, "exact_duplicates": 0},
        "opportunities": {"raw": 7, "used": 1, "quarantined": 6, "exact_duplicates": 0},
    }
    for c in r["counts"].values():
        assert c["raw"] == c["used"] + c["quarantined"] + c["exact_duplicates"]
    # the kept duplicates: L1 created 2024-01-01, L5 created 2024-01-15; L6 is after as_of
    assert set(r["dim_leads"]) == {"L1", "L5"}
    assert r["dim_leads"]["L5"]["created_at"] == dt("2024-01-15")
    assert r["dim_leads"]["L1"]["sal_at"] == dt("2024-06-01")
    assert set(r["score_history"]) == {"A1"}


def test_duplicate_key_ties_on_timestamp_break_by_column_text(tmp_path):
    # same key and created_at; rows differ in first_name: 'Ann' < 'Bob' as text -> the 'Ann' row is kept,
    # and its email domain (ann.com) is the one in dim_leads.
    leads = [lead("L1", email="bob@bob.com", first_name="Bob"), lead("L1", email="ann@ann.com", first_name="Ann")]
    r = run(tmp_path, leads=leads)
    # columns compare in order lead_id, email: 'ann@ann.com' < 'bob@bob.com'
    assert r["dim_leads"]["L1"]["email_domain"] == "ann.com"
    assert [(q["record_key"], q["reason"]) for q in r["quarantine"]] == [("L1", "duplicate_key")]


def test_parquet_input(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    r_csv = run(tmp_path, leads=[lead("L1")], activities=[act("A1", "L1", "demo_request", "2024-03-05")])
    raw = tmp_path / "raw"
    (raw / "activities.csv").unlink()
    pq.write_table(pa.table({"activity_id": ["A1"], "lead_id": ["L1"], "activity_type": ["demo_request"],
                             "occurred_at": ["2024-03-05"], "detail": [None]}), raw / "activities.parquet")
    r_pq = oracle.compute(raw, tmp_path / "config", AS_OF, CLOCK)
    assert r_pq["dim_leads"] == r_csv["dim_leads"]
    assert r_pq["dim_leads"]["L1"]["mql_count"] == 1
