"""Deterministic, seeded generator of realistic raw data for the five raw tables (SPEC section 1).

The tables are `accounts`, `leads`, `activities`, `sales_dispositions` and `opportunities`, with the
exact columns of the spec, every value written as text (CSV) or as a string column (Parquet), rows
sorted by key.

How it stays fast and bounded in memory at 1M leads / 50M activities:

- Accounts and two numbers per lead (created_at, activity count) are drawn up front; everything
  else is generated per chunk of `CHUNK_LEADS` leads (their activities, dispositions and
  opportunities), written and dropped before the next chunk. No Python loop runs per activity.
- Strings are built with NumPy (fixed-width byte matrices for ids and timestamps) and Arrow compute
  kernels (take / join); CSV lines are joined by Arrow and written as one buffer per chunk.

Determinism: every random draw comes from `numpy.random.default_rng([seed, stream, chunk])`; nothing
depends on the clock or on dict/set order. The chunk size is a constant, so the same seed and
options always give byte-identical files (for the same NumPy/PyArrow versions).

The conversion signal is real: a lead's intent (its demo requests, pricing page views, webinars
attended, trial signups and contact forms; careers page views count against it) and its fit
(industry, company size, seniority) drive sales acceptance, qualification, opportunities and wins.

Options:
- `edge_cases`: ties, duplicated activity rows, unknown activity types sprinkled through the data,
  plus hand-written leads (one demo request and nothing else, recycle then fresh activity,
  disqualified then active, a lost opportunity then fresh activity, messy emails, bare titles...).
- `bad_rows`: a few rows of every kind the staging layer must quarantine (see `_bad_rows_*`).

`--end` given as a date means the end of that day (UTC): no timestamp is later than
`end + 23:59:59.999`, except the deliberately future ones of `bad_rows`.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from lead_scoring.contract import RAW_TABLES

# The raw data contract (SPEC section 1) is defined once, in lead_scoring.contract.
TABLE_COLUMNS: dict[str, list[str]] = RAW_TABLES
TABLES: tuple[str, ...] = tuple(TABLE_COLUMNS)
KEYS = {table: cols[0] for table, cols in TABLE_COLUMNS.items()}
SCHEMAS = {t: pa.schema([(c, pa.string()) for c in cols]) for t, cols in TABLE_COLUMNS.items()}

# Fixed on purpose: the random streams are per chunk, so the chunk size is part of the output.
CHUNK_LEADS = 10_000

DEFAULT_CONFIG_DIR = Path(__file__).resolve().parents[1] / "seeds" / "config"

PRESETS: dict[str, dict[str, object]] = {
    # The committed sample in seeds/sample (written with --file-prefix raw_).
    "sample": {
        "leads": 400,
        "accounts": 80,
        "activities_per_lead_mean": 30.0,
        "seed": 42,
        "start": "2025-06-01",
        "end": "2026-10-31",
        "edge_cases": True,
        "bad_rows": False,
    },
}

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
MINUTE_MS = 60_000


@dataclass(frozen=True)
class GeneratorConfig:
    leads: int = 10_000
    accounts: int | None = None  # default: leads // 5 (at least 1)
    activities_per_lead_mean: float = 30.0
    seed: int = 42
    start: str = "2025-06-01"
    end: str = "2026-10-31"
    fmt: str = "csv"  # csv | parquet
    file_prefix: str = ""
    edge_cases: bool = False
    bad_rows: bool = False
    config_dir: Path | None = None  # seeds/config of this repo by default

    def n_accounts(self) -> int:
        return max(1, self.accounts if self.accounts is not None else self.leads // 5)

    def validate(self) -> None:
        """Raise ValueError with a readable message when an option is out of range."""
        if self.leads < 1:
            raise ValueError("--leads must be at least 1")
        if self.accounts is not None and self.accounts < 1:
            raise ValueError("--accounts must be at least 1")
        if not 0 <= self.activities_per_lead_mean <= 10_000:
            raise ValueError("--activities-per-lead-mean must be between 0 and 10000")
        if self.seed < 0:
            raise ValueError("--seed must not be negative")
        if self.fmt not in ("csv", "parquet"):
            raise ValueError("--format must be csv or parquet")
        try:
            start = _parse_bound(self.start, end_of_day=False)
            end = _parse_bound(self.end, end_of_day=True)
        except ValueError:
            raise ValueError(f"--start/--end must be ISO dates, got {self.start!r} / {self.end!r}") from None
        if end - start < 30 * DAY_MS:
            raise ValueError("--end must be at least 30 days after --start")
        if self.edge_cases and end - start < 120 * DAY_MS:
            raise ValueError("--edge-cases needs --end at least 120 days after --start")


ProgressFn = Callable[[int, int], None]


# --------------------------------------------------------------------------------------------
# Reference vocabularies (tuples: fixed order, so output never depends on hashing)
# --------------------------------------------------------------------------------------------

# (industry, weight, median revenue per employee in USD, company name nouns)
INDUSTRIES: tuple[tuple[str, float, float, tuple[str, ...]], ...] = (
    ("software", 0.15, 230_000, ("Software", "Labs", "Systems", "Analytics", "Data")),
    ("saas", 0.12, 210_000, ("Cloud", "Platform", "Stack", "Works", "HQ")),
    ("fintech", 0.07, 320_000, ("Pay", "Capital", "Ledger", "Finance", "Payments")),
    ("it_services", 0.09, 120_000, ("Consulting", "Solutions", "Technologies", "IT Services", "Digital")),
    ("manufacturing", 0.11, 260_000,
     ("Industries", "Manufacturing", "Components", "Machining", "Fabrication")),
    ("healthcare", 0.09, 150_000, ("Health", "Medical", "Care", "Clinics", "Diagnostics")),
    ("retail", 0.08, 180_000, ("Outfitters", "Goods", "Market", "Retail", "Stores")),
    ("education", 0.06, 90_000, ("Learning", "Academy", "Education", "Schools")),
    ("government", 0.04, 110_000, ("County", "Municipal Services", "Transit Authority", "Public Works")),
    ("media", 0.05, 200_000, ("Media", "Studios", "Publishing", "Broadcasting")),
    ("logistics", 0.04, 170_000, ("Logistics", "Freight", "Shipping")),
    ("professional_services", 0.05, 160_000, ("Partners", "Advisory", "Associates", "Group")),
    ("energy", 0.03, 450_000, ("Energy", "Power", "Renewables")),
    ("telecommunications", 0.01, 380_000, ("Telecom", "Networks", "Communications")),
    ("nonprofit", 0.01, 70_000, ("Foundation", "Trust", "Alliance")),
)
ICP_INDUSTRY_FIT = {"software": 1.0, "saas": 1.0, "fintech": 1.0, "it_services": 1.0,
                    "manufacturing": 0.4, "healthcare": 0.4}

ROOTS: tuple[str, ...] = (
    "Acme", "Northwind", "Bluebird", "Vertex", "Summit", "Crescent", "Ironwood", "Lumen", "Orbit", "Pioneer",
    "Quantum", "Redwood", "Silverline", "Tidal", "Vantage", "Willow", "Zenith", "Aurora", "Beacon", "Cobalt",
    "Delta", "Ember", "Falcon", "Granite", "Harbor", "Horizon", "Juniper", "Keystone", "Lighthouse", "Maple",
    "Nimbus", "Oakridge", "Polaris", "Quartz", "Riverbend", "Sable", "Terra", "Unity", "Velocity",
    "Wavelength",
    "Atlas", "Boreal", "Cascade", "Driftwood", "Evergreen", "Fjord", "Glacier", "Helix", "Indigo", "Jadeite",
    "Kestrel", "Larch", "Meridian", "Nova", "Onyx", "Prism", "Radiant", "Sierra", "Tundra", "Vista",
    "Wren", "Alder", "Bramble", "Cinder", "Dune", "Elmstead", "Foxglove", "Greystone", "Heron", "Ibex",
    "Jasper", "Kinetic", "Lattice", "Mosaic", "Northstar", "Opal", "Pinnacle", "Quill", "Rook", "Saffron",
    "Tamarack", "Upland", "Vireo", "Westbrook", "Yarrow", "Zephyr", "Amberly", "Bellweather", "Copperleaf",
    "Dovetail", "Eastgate", "Fairhaven", "Goldcrest", "Highline", "Ivory", "Junco", "Kingfisher", "Lodestar",
    "Magnolia", "Nightjar", "Orchard", "Parallax", "Quarry", "Ridgeway", "Stonebridge", "Thornbury",
    "Ultramarine", "Valemont", "Whitfield", "Xylo", "Yellowpine", "Zinnia", "Arcadia", "Bayside",
    "Clearwater",
)

# (ISO alpha-2, weight for accounts, weight for leads without account, ccTLD or "")
COUNTRIES: tuple[tuple[str, float, float, str], ...] = (
    ("US", 0.45, 0.36, ""), ("GB", 0.10, 0.09, ".co.uk"), ("DE", 0.08, 0.08, ".de"),
    ("FR", 0.05, 0.05, ".fr"),
    ("CA", 0.05, 0.05, ".ca"), ("NL", 0.04, 0.03, ".nl"), ("AU", 0.04, 0.04, ".com.au"),
    ("SE", 0.015, 0.015, ".se"), ("ES", 0.015, 0.03, ".es"), ("IT", 0.015, 0.03, ".it"),
    ("IE", 0.015, 0.01, ".ie"), ("CH", 0.015, 0.01, ".ch"), ("IN", 0.02, 0.07, ".in"),
    ("BR", 0.01, 0.04, ".com.br"), ("SG", 0.01, 0.01, ".sg"), ("JP", 0.01, 0.01, ".jp"),
    ("PL", 0.01, 0.02, ".pl"), ("DK", 0.01, 0.01, ".dk"), ("BE", 0.01, 0.01, ".be"),
    ("IL", 0.01, 0.01, ".co.il"), ("MX", 0.005, 0.02, ".com.mx"), ("ZA", 0.005, 0.01, ".co.za"),
    ("NZ", 0.005, 0.005, ".co.nz"), ("AT", 0.005, 0.005, ".at"), ("FI", 0.005, 0.005, ".fi"),
    ("NO", 0.005, 0.005, ".no"), ("PT", 0.005, 0.01, ".pt"), ("AR", 0.0, 0.01, ".com.ar"),
    ("NG", 0.0, 0.01, ".com.ng"), ("PH", 0.0, 0.01, ".ph"),
)
LEGAL_SUFFIX = {"US": ", Inc.", "GB": " Ltd", "DE": " GmbH", "FR": " SAS", "NL": " B.V.", "AU": " Pty Ltd",
                "CA": " Inc.", "SE": " AB", "CH": " AG", "AT": " GmbH", "IE": " Ltd", "IN": " Pvt Ltd"}

# (title, seniority expected from seeds/config/job_title_seniority.csv, weight)
TITLES: tuple[tuple[str, str, float], ...] = (
    ("CEO", "executive", 1.0), ("Chief Executive Officer", "executive", 0.6),
    ("Co-Founder & CEO", "executive", 0.8),
    ("Founder", "executive", 0.6), ("CTO", "executive", 0.7), ("Chief Technology Officer", "executive", 0.4),
    ("CMO", "executive", 0.5), ("Chief Marketing Officer", "executive", 0.5), ("CFO", "executive", 0.3),
    ("COO", "executive", 0.3), ("Chief Revenue Officer", "executive", 0.4), ("Owner", "executive", 0.5),
    ("Managing Director", "executive", 0.4), ("Chief Data Officer", "executive", 0.2),
    ("VP Marketing", "vp", 1.2), ("VP of Sales", "vp", 1.0), ("Vice President, Engineering", "vp", 0.6),
    ("Vice President of Marketing", "vp", 0.6), ("SVP Revenue", "vp", 0.3),
    ("VP Demand Generation", "vp", 0.5),
    ("EVP Operations", "vp", 0.2), ("VP Product", "vp", 0.4),
    ("Director of Sales", "director", 1.2), ("Director of Marketing", "director", 1.2),
    ("Marketing Director", "director", 0.8), ("Director, Demand Generation", "director", 0.7),
    ("Head of Growth", "director", 0.9), ("Head of Marketing Operations", "director", 0.7),
    ("Head of Data", "director", 0.6), ("Director of Engineering", "director", 0.6),
    ("Sales Director", "director", 0.5), ("Director of Revenue Operations", "director", 0.5),
    ("Head of Sales Development", "director", 0.4),
    ("Marketing Manager", "manager", 2.0), ("Sales Manager", "manager", 1.2),
    ("Product Manager", "manager", 1.0),
    ("Marketing Operations Manager", "manager", 1.2), ("Team Lead, Data Engineering", "manager", 0.5),
    ("Engineering Manager", "manager", 0.8), ("Demand Generation Manager", "manager", 1.0),
    ("Account Manager", "manager", 0.7), ("Student Success Manager", "manager", 0.3),
    ("Lead Data Analyst", "manager", 0.4), ("Revenue Operations Manager", "manager", 0.8),
    ("Software Engineer", "individual_contributor", 2.0), ("Data Analyst", "individual_contributor", 1.6),
    ("Marketing Specialist", "individual_contributor", 1.4),
    ("Analytics Engineer", "individual_contributor", 1.0),
    ("Sales Development Representative", "individual_contributor", 1.4),
    ("Account Executive", "individual_contributor", 1.0), ("Data Scientist", "individual_contributor", 0.8),
    ("Content Writer", "individual_contributor", 0.5),
    ("Leadership Development Coordinator", "individual_contributor", 0.3),
    ("Marketing Coordinator", "individual_contributor", 1.0),
    ("Business Analyst", "individual_contributor", 0.8),
    ("Solutions Architect", "individual_contributor", 0.6), ("Consultant", "individual_contributor", 0.8),
    ("Operations Analyst", "individual_contributor", 0.5), ("Recruiter", "individual_contributor", 0.3),
    ("Customer Success Associate", "individual_contributor", 0.5),
    ("Marketing Intern", "student", 0.3), ("Graduate Student", "student", 0.2), ("Student", "student", 0.1),
    ("Data Science Intern", "student", 0.2), ("PhD Student", "student", 0.1),
    ("Sales Intern", "student", 0.1),
)
SENIORITIES = ("executive", "vp", "director", "manager", "individual_contributor", "student")
SENIORITY_FIT = np.array([1.0, 1.0, 0.8, 0.5, 0.1, -2.0])

# (display, ascii form for the email)
FIRST_NAMES: tuple[tuple[str, str], ...] = tuple((n, n.lower()) for n in (
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
    "Daniel", "Emily", "Matthew", "Olivia", "Anthony", "Emma", "Mark", "Sophia", "Steven", "Ava", "Paul",
    "Mia",
    "Andrew", "Isabella", "Joshua", "Charlotte", "Kevin", "Amelia", "Brian", "Harper", "George", "Grace",
    "Oliver", "Hannah", "Lucas", "Chloe", "Noah", "Lena", "Liam", "Nina", "Ethan", "Laura", "Max", "Anna",
    "Felix", "Julia", "Jonas", "Sofia", "Leon", "Clara", "Hugo", "Camille", "Louis", "Manon", "Lars",
    "Ingrid",
    "Pieter", "Sanne", "Raj", "Priya", "Arjun", "Ananya", "Wei", "Mei", "Hiroshi", "Yuki", "Ahmed", "Fatima",
    "Carlos", "Lucia", "Diego", "Valentina", "Kwame", "Amara", "Omar", "Leila", "Ivan", "Olga", "Tom", "Kate",
)) + (
    ("José", "jose"), ("Zoë", "zoe"), ("Søren", "soren"), ("Łukasz", "lukasz"), ("François", "francois"),
    ("Björn", "bjorn"), ("Chloé", "chloe"), ("Renée", "renee"), ("Jürgen", "juergen"), ("Siân", "sian"),
)
LAST_NAMES: tuple[tuple[str, str], ...] = tuple((n, n.lower()) for n in (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
    "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter",
    "Phillips", "Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy", "Cook",
    "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Kelly", "Howard", "Ward", "Cox",
    "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Dubois", "Moreau", "Laurent",
    "Bernard", "Jansen", "De Vries", "Bakker", "Visser", "Patel", "Sharma", "Singh", "Kumar", "Chen", "Wang",
    "Li", "Zhang", "Tanaka", "Suzuki", "Sato", "Kim", "Park", "Nguyen", "Tran", "Silva", "Santos", "Costa",
    "Rossi", "Russo", "Novak", "Kowalski", "Andersson", "Johansson", "Nielsen", "Hansen", "Okafor", "Mensah",
)) + (
    ("O'Brien", "obrien"), ("Müller", "mueller"), ("García", "garcia"), ("Núñez", "nunez"),
    ("Øyen", "oyen"), ("Lefèvre", "lefevre"), ("Wójcik", "wojcik"), ("Björk", "bjork"),
    ("van der Berg", "vandenberg"), ("D'Angelo", "dangelo"),
)

LEAD_SOURCES = ("organic_search", "paid_search", "paid_social", "webinar", "event", "referral",
                "content_syndication", "outbound")
SOURCE_P_LINKED = np.array([0.18, 0.13, 0.10, 0.10, 0.08, 0.08, 0.13, 0.20])
SOURCE_P_UNLINKED = np.array([0.30, 0.17, 0.17, 0.12, 0.06, 0.05, 0.11, 0.02])
SOURCE_INTENT = np.array([0.10, 0.15, -0.10, 0.15, 0.10, 0.50, -0.35, -0.30])

OWN_DOMAIN_WORDS = ("consulting", "design", "studio", "labs", "digital", "media", "advisory", "analytics")
OWN_DOMAIN_TLDS = (".com", ".com", ".co", ".io", ".net")
UNIVERSITY_DOMAINS = ("stanford.edu", "umich.edu", "ox.ac.uk", "tum.de", "ethz.ch", "utoronto.ca",
                      "unimelb.edu.au", "uva.nl", "sorbonne-universite.fr", "nyu.edu")
DEFAULT_PERSONAL_DOMAINS = ("gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com")
DEFAULT_COMPETITOR_DOMAINS = ("scorerival.io",)

# Activity types. 0..10: the everyday mix; 11..15: single events placed per lead; 16..18: unknown
# types (no scoring rule, --edge-cases only). chat_started and social_follow have no rule either.
ACTIVITY_TYPES = (
    "email_open", "page_view", "email_click", "pricing_page_view", "content_download",
    "webinar_registered", "webinar_attended", "event_attended", "careers_page_view", "chat_started",
    "social_follow",
    "contact_form", "free_trial_signup", "demo_request", "email_bounce", "unsubscribe",
    "sms_reply", "g2_profile_view", "intent_surge",
)
T = {name: i for i, name in enumerate(ACTIVITY_TYPES)}
N_COMMON = 11
COMMON_WEIGHTS = np.array([0.36, 0.33, 0.095, 0.03, 0.03, 0.02, 0.011, 0.007, 0.008, 0.010, 0.006])
UNKNOWN_TYPES = (T["sms_reply"], T["g2_profile_view"], T["intent_surge"])
# Types that need a known person (an email address or a form fill); before the lead exists
# (anonymous tracking) they become page views.
IDENTIFIED_TYPES = np.array([T["email_open"], T["email_click"], T["content_download"],
                             T["webinar_registered"], T["webinar_attended"], T["event_attended"]])

WEBINAR_TOPICS = ("Lead Scoring in the Warehouse", "From MQL to Pipeline", "Fit vs Intent, Explained",
                  "dbt for Marketing Ops", "Building a Funnel Dashboard", "Decay, Caps and Negative Scores")
STATIC_DETAILS: dict[str, tuple[str, ...]] = {
    "page_view": ("/", "/product", "/product/lead-scoring", "/product/warehouse-sync",
                  "/integrations/salesforce", "/integrations/hubspot", "/customers", "/blog/what-is-an-mql",
                  "/blog/lead-scoring-models-compared",
                  "/blog/warehouse-native-marketing", "/blog/dbt-for-marketing-ops", "/docs/getting-started",
                  "/about", "/security", "/resources", "/compare/spreadsheet-scoring",
                  "/lp/lead-scoring-guide?utm_source=google&utm_medium=cpc",
                  "/lp/demo-video?utm_source=linkedin&utm_medium=paid_social"),
    "pricing_page_view": ("/pricing", "/pricing?plan=team", "/pricing?plan=enterprise", "/pricing#faq"),
    "content_download": ("ebook: The Lead Scoring Playbook",
                         "whitepaper: Warehouse-Native Marketing Analytics",
                         "report: 2026 B2B Funnel Benchmarks", "template: MQL Definition Worksheet",
                         "guide: Scoring, Fit and Intent, Explained"),
    "event_attended": ("SaaStr Annual", "Dreamforce", "Web Summit", "Coalesce by dbt Labs",
                       "B2B Marketing Expo London", "OMR Festival Hamburg", "Booth demo: Revenue Summit"),
    "careers_page_view": ("/careers", "/careers/senior-data-engineer", "/careers/account-executive-emea",
                          "/careers/product-designer"),
    "chat_started": ("chat: website widget", "/pricing", "/product"),
    "social_follow": ("linkedin", "x/twitter", "youtube"),
    "contact_form": ("/contact", "/contact-sales", "/contact?topic=partnership"),
    "free_trial_signup": ("/signup?plan=trial", "/signup?plan=trial&ref=pricing"),
    "demo_request": ("/demo", "/request-a-demo", "/demo?ref=pricing"),
    "sms_reply": ("sms: reply to event reminder",),
    "g2_profile_view": ("g2.com/products/lead-scoring/reviews",),
    "intent_surge": ("topic: lead scoring", "topic: marketing attribution"),
}
EMAIL_TYPES = ("email_open", "email_click", "email_bounce", "unsubscribe")
WEBINAR_TYPES = ("webinar_registered", "webinar_attended")

DISPOSITIONS = ("accepted", "qualified", "recycled", "disqualified")
REASONS: dict[str, tuple[str, ...]] = {
    "accepted": ("inbound demo request", "hand-raiser", "fits ICP, engaged", "referred by account executive"),
    "qualified": ("BANT confirmed", "budget and timeline confirmed", "champion identified",
                  "pain confirmed on discovery call"),
    "recycled": ("no response after 6 touches", "timing - revisit next quarter", "no budget this fiscal year",
                 "went dark after first call"),
    "disqualified": ("bad fit - too small", "no budget", "invalid contact details", "existing customer",
                     "duplicate of another lead", "not the decision maker"),
    "profile": ("student", "competitor", "job seeker", "personal email, no company"),
}

# Timestamp spellings: (separator, suffix, offset minutes, weight). Each is the same true instant:
# the local wall-clock time is shifted by the offset the suffix states. Rows whose instant has
# milliseconds get a ".fff" fraction in any spelling.
TS_VARIANTS: tuple[tuple[str, str, int, float], ...] = (
    ("T", "Z", 0, 0.46), (" ", "", 0, 0.18), ("T", "", 0, 0.06), ("T", "+01:00", 60, 0.05),
    ("T", "+02:00", 120, 0.06), ("T", "+05:30", 330, 0.02), ("T", "+10:00", 600, 0.02),
    ("T", "-0500", -300, 0.07), ("T", "-0400", -240, 0.03), ("T", "-0800", -480, 0.03),
    ("T", "-0300", -180, 0.02),
)
TS_P = np.array([v[3] for v in TS_VARIANTS]) / sum(v[3] for v in TS_VARIANTS)
TS_OFFSET_MS = np.array([v[2] * MINUTE_MS for v in TS_VARIANTS], dtype=np.int64)
TS_SEP = np.array([ord(v[0]) for v in TS_VARIANTS], dtype=np.uint8)
TS_SUFFIX = pa.array([v[1] for v in TS_VARIANTS])
TS_FRACTION = pa.array([""] + [f".{i:03d}" for i in range(1, 1000)])
V_Z, V_SPACE, V_NAIVE_T, V_PLUS1, V_PLUS2 = 0, 1, 2, 3, 4
V_MINUS5 = 7


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, *stream])


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _width(upper_bound: int, minimum: int) -> int:
    return max(minimum, len(str(max(upper_bound, 1))))


def _parse_bound(text: str, end_of_day: bool) -> int:
    """ISO date or datetime -> epoch milliseconds UTC; a bare end date means the end of that day."""
    text = text.strip()
    if len(text) == 10:
        d = date.fromisoformat(text)
        ms = int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()) * 1000
        return ms + DAY_MS - 1 if end_of_day else ms
    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(round(dt.timestamp() * 1000))


def _fixed_strings(mat: np.ndarray) -> pa.Array:
    """A uint8 matrix (n, w) of ASCII bytes -> Arrow string array of n strings of width w."""
    n, w = mat.shape
    if n * w >= 2**31:
        raise ValueError("chunk too large for a 32-bit string array")
    offsets = (np.arange(n + 1, dtype=np.int64) * w).astype(np.int32)
    data = np.ascontiguousarray(mat).reshape(-1)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])


def _put_digits(mat: np.ndarray, col: int, values: np.ndarray, width: int) -> None:
    v = values.astype(np.int64, copy=True)
    for k in range(width - 1, -1, -1):
        mat[:, col + k] = 48 + (v % 10)
        v //= 10


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    p = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    mat = np.empty((len(numbers), len(p) + width), dtype=np.uint8)
    mat[:, : len(p)] = p
    _put_digits(mat, len(p), numbers, width)
    return _fixed_strings(mat)


def _id(prefix: str, number: int, width: int) -> str:
    return f"{prefix}{number:0{width}d}"


def format_timestamps(t_ms: np.ndarray, variants: np.ndarray) -> pa.Array:
    """Epoch milliseconds (UTC) -> ISO-8601 strings in the given spellings (indexes of TS_VARIANTS)."""
    n = len(t_ms)
    local = t_ms.astype(np.int64) + TS_OFFSET_MS[variants]
    sec = np.floor_divide(local, 1000)
    ms = local - sec * 1000
    days = np.floor_divide(sec, 86400)
    sod = sec - days * 86400
    d = days.astype("datetime64[D]")
    month_start = d.astype("datetime64[M]")
    year = month_start.astype("datetime64[Y]").astype(np.int64) + 1970
    month = month_start.astype(np.int64) % 12 + 1
    day = (d - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    mat = np.empty((n, 19), dtype=np.uint8)
    _put_digits(mat, 0, year, 4)
    mat[:, 4] = ord("-")
    _put_digits(mat, 5, month, 2)
    mat[:, 7] = ord("-")
    _put_digits(mat, 8, day, 2)
    mat[:, 10] = TS_SEP[variants]
    _put_digits(mat, 11, sod // 3600, 2)
    mat[:, 13] = ord(":")
    _put_digits(mat, 14, (sod // 60) % 60, 2)
    mat[:, 16] = ord(":")
    _put_digits(mat, 17, sod % 60, 2)
    base = _fixed_strings(mat)
    frac = pc.take(TS_FRACTION, pa.array(ms))
    suffix = pc.take(TS_SUFFIX, pa.array(variants))
    return pc.binary_join_element_wise(base, frac, suffix, "")


def format_timestamp(t_ms: int, variant: int = V_Z) -> str:
    return format_timestamps(np.array([t_ms], dtype=np.int64), np.array([variant]))[0].as_py()


def _random_variants(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.choice(len(TS_VARIANTS), size=n, p=TS_P)


def _take(values: Sequence[str] | pa.Array, idx: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    arr = values if isinstance(values, pa.Array) else pa.array(list(values), type=pa.string())
    return pc.take(arr, pa.array(idx, type=pa.int64(), mask=null_mask))


def _join(*parts: object, sep: str = "") -> pa.Array:
    return pc.binary_join_element_wise(*parts, sep)


def _int_strings(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values.astype(np.int64)), pa.string())


def _read_domains(path: Path, default: tuple[str, ...]) -> tuple[str, ...]:
    if not path.exists():
        return default
    with path.open(newline="", encoding="utf-8") as f:
        values = tuple(row["domain"].strip().lower() for row in csv.DictReader(f) if row.get("domain"))
    return values or default


def _group_first(lead_idx: np.ndarray, mask: np.ndarray, values: np.ndarray, n: int, fill) -> np.ndarray:
    """Per lead, the value at the first row (rows sorted by lead, then time) where mask holds."""
    out = np.full(n, fill, dtype=values.dtype)
    sel = np.flatnonzero(mask)
    if len(sel):
        leads, first = np.unique(lead_idx[sel], return_index=True)
        out[leads] = values[sel[first]]
    return out


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------

_NEEDS_QUOTES = r'[",\r\n]|^\s|\s$'


def csv_bytes(table: pa.Table, header: bool = False) -> bytes | memoryview:
    """RFC 4180 CSV of a table of strings; quotes only values that need it; null -> empty."""
    parts = []
    for col in table.columns:
        col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        needs = pc.match_substring_regex(col, _NEEDS_QUOTES)
        if pc.any(needs).as_py():
            quoted = _join('"', pc.replace_substring(col, '"', '""'), '"')
            col = pc.if_else(needs, quoted, col)
        parts.append(col)
    head = (",".join(table.column_names) + "\n").encode() if header else b""
    if table.num_rows == 0:
        return head
    lines = pc.binary_join_element_wise(*parts, ",", null_handling="replace", null_replacement="")
    lines = pc.binary_join_element_wise(lines, "", "\n")
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32, count=len(lines) + 1, offset=lines.offset * 4)
    body = memoryview(lines.buffers()[2])[int(offsets[0]): int(offsets[-1])]
    return head + bytes(body) if head else body


class _TableWriter:
    def __init__(self, path: Path, table: str, fmt: str) -> None:
        self.path = path
        self.schema = SCHEMAS[table]
        self.fmt = fmt
        self.rows = 0
        if fmt == "csv":
            self._f = path.open("wb")
            self._f.write((",".join(self.schema.names) + "\n").encode())
        else:
            self._pq = pq.ParquetWriter(path, self.schema, compression="zstd")

    def write(self, table: pa.Table) -> None:
        table = table.select(self.schema.names).cast(self.schema)
        self.rows += table.num_rows
        if self.fmt == "csv":
            if table.num_rows:
                self._f.write(csv_bytes(table))
        elif table.num_rows:
            self._pq.write_table(table)

    def close(self) -> None:
        if self.fmt == "csv":
            self._f.close()
        else:
            self._pq.close()


def _sort_by_key(table: pa.Table, key: str) -> pa.Table:
    """Stable sort by key, missing keys first, so duplicates stay next to their original."""
    order = pc.sort_indices(table, sort_keys=[(key, "ascending", "at_start")])
    return table.take(order)


def _concat(name: str, tables: list[pa.Table]) -> pa.Table:
    schema = SCHEMAS[name]
    return pa.concat_tables([t.select(schema.names).cast(schema) for t in tables])


def _from_rows(name: str, rows: list[dict[str, str | None]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=SCHEMAS[name])


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


class _Context:
    """Everything drawn before the chunks: accounts, and per lead its created_at and activity count."""

    def __init__(self, cfg: GeneratorConfig) -> None:
        cfg.validate()
        self.cfg = cfg
        self.start_ms = _parse_bound(cfg.start, end_of_day=False)
        self.end_ms = _parse_bound(cfg.end, end_of_day=True)
        config_dir = cfg.config_dir or DEFAULT_CONFIG_DIR
        self.personal_domains = _read_domains(config_dir / "personal_email_domains.csv",
                                              DEFAULT_PERSONAL_DOMAINS)
        self.competitor_domains = _read_domains(config_dir / "competitor_domains.csv",
                                                DEFAULT_COMPETITOR_DOMAINS)

        self.n_leads = cfg.leads
        self.n_accounts = cfg.n_accounts()
        self.w_lead = _width(self.n_leads + 1000, 7)
        self.w_account = _width(self.n_accounts + 1000, 6)
        self.w_disposition = _width(4 * self.n_leads + 1000, 7)
        self.w_opportunity = _width(self.n_leads + 1000, 7)

        start_month = np.datetime64(self.start_ms, "ms").astype("datetime64[M]")
        end_month = np.datetime64(self.end_ms, "ms").astype("datetime64[M]")
        self.start_month = start_month
        self.n_months = int((end_month - start_month).astype(np.int64)) + 1
        self._build_detail_vocab()
        self._make_accounts()
        self._make_lead_timeline()

    # -- activity detail vocabulary ------------------------------------------------------------
    def _build_detail_vocab(self) -> None:
        vocab: list[str] = []
        n_types = len(ACTIVITY_TYPES)
        self.detail_offset = np.zeros(n_types, dtype=np.int64)
        self.detail_size = np.ones(n_types, dtype=np.int64)
        self.detail_per_month = np.zeros(n_types, dtype=np.int64)
        months = [
            (self.start_month + np.timedelta64(i, "M")).astype(datetime) for i in range(self.n_months)
        ]
        labels = [m.strftime("%b %Y") for m in months]
        for code, name in enumerate(ACTIVITY_TYPES):
            self.detail_offset[code] = len(vocab)
            if name in EMAIL_TYPES:
                for i, label in enumerate(labels):
                    vocab += [f"Newsletter - {label}", f"Nurture: Product Tour #{i % 4 + 1}",
                              f"Webinar invite: {WEBINAR_TOPICS[i % len(WEBINAR_TOPICS)]} ({label})"]
                self.detail_per_month[code] = 3
            elif name in WEBINAR_TYPES:
                for i, label in enumerate(labels):
                    k = len(WEBINAR_TOPICS)
                    topic, other = WEBINAR_TOPICS[i % k], WEBINAR_TOPICS[(i + 3) % k]
                    vocab += [f"webinar: {topic} ({label})", f"webinar: {other} - live Q&A ({label})"]
                self.detail_per_month[code] = 2
            else:
                values = STATIC_DETAILS[name]
                vocab += list(values)
                self.detail_size[code] = len(values)
        self.detail_vocab = pa.array(vocab, type=pa.string())

    # -- accounts --------------------------------------------------------------------------------
    def _make_accounts(self) -> None:
        rng = _rng(self.cfg.seed, 1)
        n = self.n_accounts
        ind_p = np.array([i[1] for i in INDUSTRIES])
        industry = rng.choice(len(INDUSTRIES), size=n, p=ind_p / ind_p.sum())
        acc_p = np.array([c[1] for c in COUNTRIES])
        country = rng.choice(len(COUNTRIES), size=n, p=acc_p / acc_p.sum())
        emp = np.exp(rng.normal(math.log(110), 1.9, size=n))
        emp = np.clip(np.round(emp), 2, 100_000).astype(np.int64)
        emp = np.where(emp >= 10_000, np.round(emp, -2), np.where(emp >= 1_000, np.round(emp, -1), emp))
        emp = emp.astype(np.int64)
        rev_per_emp = np.array([i[2] for i in INDUSTRIES])[industry] * np.exp(rng.normal(0, 0.5, size=n))
        revenue = emp * rev_per_emp
        digits = np.floor(np.log10(np.maximum(revenue, 1)))
        scale = 10.0 ** np.maximum(digits - 2, 0)
        revenue = (np.round(revenue / scale) * scale).astype(np.int64)

        root = rng.integers(0, len(ROOTS), size=n)
        nouns: list[str] = []
        noun_offset = np.zeros(len(INDUSTRIES), dtype=np.int64)
        noun_count = np.zeros(len(INDUSTRIES), dtype=np.int64)
        for i, ind in enumerate(INDUSTRIES):
            noun_offset[i], noun_count[i] = len(nouns), len(ind[3])
            nouns += list(ind[3])
        noun = noun_offset[industry] + np.floor(rng.random(n) * noun_count[industry]).astype(np.int64)
        base_name = _join(_take(ROOTS, root), _take(nouns, noun), sep=" ")
        suffix = [LEGAL_SUFFIX.get(c[0], "") for c in COUNTRIES]
        with_suffix = rng.random(n) < 0.6
        legal = _take(suffix, country, null_mask=~with_suffix)
        name = pc.binary_join_element_wise(base_name, legal, "", null_handling="replace", null_replacement="")
        slug = pc.replace_substring(pc.utf8_lower(base_name), " ", "-")

        cctld = [c[3] or ".com" for c in COUNTRIES]
        tld_kind = rng.random(n)
        techy = np.isin(industry, [0, 1, 2])
        has_cc = np.array([bool(c[3]) for c in COUNTRIES])[country]
        tld_idx = np.where(has_cc & (tld_kind < 0.5), 1 + country, np.where(techy & (tld_kind > 0.8), 0, -1))
        tlds = pa.array([".io"] + cctld)
        tld = pc.if_else(pa.array(tld_idx < 0), pa.scalar(".com"), _take(tlds, np.maximum(tld_idx, 0)))
        # Make domains unique: the k-th company with the same slug + TLD gets a variant.
        plain = _join(slug, tld)
        codes = plain.dictionary_encode().indices.to_numpy(zero_copy_only=False).astype(np.int64)
        order = np.argsort(codes, kind="stable")
        sorted_codes = codes[order]
        group_start = np.r_[0, np.flatnonzero(np.diff(sorted_codes)) + 1]
        first_of_group = np.repeat(group_start, np.diff(np.r_[group_start, n]))
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n) - first_of_group
        rank_text = _join("-", _int_strings(rank + 1))
        variant = pc.choose(pa.array(np.minimum(rank, 3).astype(np.int8)),
                            slug, _join("get", slug), _join(slug, "hq"), _join(slug, rank_text))
        domain = _join(variant, tld)
        if len(pc.unique(domain)) != n:
            raise RuntimeError("account domains are not unique")

        self.acc_industry = industry
        self.acc_country = country
        self.acc_emp = emp
        self.acc_ids = _ids("acc_", np.arange(1, n + 1), self.w_account)
        self.acc_domain = domain
        w = emp.astype(float) ** 0.55 * np.exp(rng.normal(0, 0.7, size=n))
        self.acc_weight = w / w.sum()
        self.accounts = pa.table({
            "account_id": self.acc_ids,
            "company_name": name,
            "domain": domain,
            "industry": _take([i[0] for i in INDUSTRIES], industry),
            "employee_count": _int_strings(emp),
            "annual_revenue_usd": _int_strings(revenue),
            "country": _take([c[0] for c in COUNTRIES], country),
        })

    # -- per lead: created_at and activity count ---------------------------------------------------
    def _make_lead_timeline(self) -> None:
        rng = _rng(self.cfg.seed, 2)
        n = self.n_leads
        span = self.end_ms - self.start_ms
        # More leads later in the period (a growing business).
        created = self.start_ms + (rng.random(n) ** (1 / 1.35)) * (span - HOUR_MS)
        created = (np.floor(created / 1000) * 1000).astype(np.int64)
        with_ms = rng.random(n) < 0.1
        created = created + with_ms * rng.integers(1, 1000, size=n)
        created.sort(kind="stable")  # lead ids roughly follow creation order, like a CRM
        self.created_ms = created
        # Skewed activity counts: most leads cold with a handful, a few with hundreds.
        raw = np.exp(rng.normal(0, 1.5, size=n))
        recency = np.minimum(1.0, (self.end_ms - created) / (90 * DAY_MS)) ** 0.7
        raw = np.minimum(raw * np.maximum(recency, 0.02), 250.0)
        target = self.cfg.activities_per_lead_mean * n
        x = raw * (target / raw.sum()) if raw.sum() > 0 else raw
        counts = np.floor(x) + (rng.random(n) < (x - np.floor(x)))
        self.counts = counts.astype(np.int64)
        log_count = np.log1p(self.counts)
        self.log_count_std = (log_count - log_count.mean()) / (log_count.std() or 1.0)
        self.w_activity = _width(int(self.counts.sum() * 1.01) + 10_000, 7)


def _leads_chunk(ctx: _Context, rng: np.random.Generator, i0: int, i1: int) -> tuple[pa.Table, dict]:
    n = i1 - i0
    created = ctx.created_ms[i0:i1]
    linked = rng.random(n) < 0.8
    acc = np.where(linked, rng.choice(ctx.n_accounts, size=n, p=ctx.acc_weight), -1)
    safe_acc = np.maximum(acc, 0)
    # 0 account domain, 1 personal, 2 own small domain, 3 university, 4 competitor
    kind = np.where(linked, 0, 1 + rng.choice(4, size=n, p=[0.66, 0.22, 0.045, 0.075]))

    seniority_of = np.array([SENIORITIES.index(t[1]) for t in TITLES])
    tw = np.array([t[2] for t in TITLES])
    is_exec = seniority_of == 0
    is_student = seniority_of == 5
    p_general = tw * np.where(is_student, 0.25, 1.0)
    p_small = p_general * np.where(is_exec, 4.0, 1.0)
    p_univ = tw * np.where(is_student, 30.0, 0.05)
    p_own = tw * np.where(is_exec, 3.0, 1.0) * np.where(is_student, 0.5, 1.0)
    small = linked & (ctx.acc_emp[safe_acc] < 50)
    title = np.zeros(n, dtype=np.int64)
    for mask, p in ((linked & ~small, p_general), (small, p_small), (kind == 1, p_general),
                    (kind == 2, p_own), (kind == 3, p_univ), (kind == 4, p_general)):
        k = int(mask.sum())
        if k:
            title[mask] = rng.choice(len(TITLES), size=k, p=p / p.sum())
    seniority = seniority_of[title]

    fn = rng.integers(0, len(FIRST_NAMES), size=n)
    ln = rng.integers(0, len(LAST_NAMES), size=n)
    fa = _take([f[1] for f in FIRST_NAMES], fn)
    la = _take([x[1] for x in LAST_NAMES], ln)
    la = pc.replace_substring(la, " ", "")
    fi = pc.utf8_slice_codeunits(fa, 0, 1)
    li = pc.utf8_slice_codeunits(la, 0, 1)
    pattern = rng.choice(6, size=n, p=[0.5, 0.2, 0.06, 0.06, 0.08, 0.1]).astype(np.int8)
    local = pc.choose(pa.array(pattern), _join(fa, ".", la), _join(fi, la), fa, _join(fa, "_", la),
                      _join(fa, li), _join(la, ".", fa))
    add_digits = (kind == 1) & (rng.random(n) < 0.55)
    local = pc.if_else(pa.array(add_digits), _join(local, _int_strings(rng.integers(1, 99, size=n))), local)
    dom_acc = pc.take(ctx.acc_domain, pa.array(safe_acc))
    dom_personal = _take(ctx.personal_domains, rng.choice(len(ctx.personal_domains), size=n,
                                                          p=_personal_weights(len(ctx.personal_domains))))
    dom_own = _join(la, _take(OWN_DOMAIN_WORDS, rng.integers(0, len(OWN_DOMAIN_WORDS), size=n)),
                    _take(OWN_DOMAIN_TLDS, rng.integers(0, len(OWN_DOMAIN_TLDS), size=n)))
    dom_univ = _take(UNIVERSITY_DOMAINS, rng.integers(0, len(UNIVERSITY_DOMAINS), size=n))
    dom_comp = _take(ctx.competitor_domains, rng.integers(0, len(ctx.competitor_domains), size=n))
    domain = pc.choose(pa.array(kind.astype(np.int8)), dom_acc, dom_personal, dom_own, dom_univ, dom_comp)
    email = _join(local, "@", domain)

    source = np.where(linked, rng.choice(len(LEAD_SOURCES), size=n, p=SOURCE_P_LINKED),
                      rng.choice(len(LEAD_SOURCES), size=n, p=SOURCE_P_UNLINKED))
    lead_p = np.array([c[2] for c in COUNTRIES])
    own_country = rng.choice(len(COUNTRIES), size=n, p=lead_p / lead_p.sum())
    country = np.where(linked & (rng.random(n) < 0.85), ctx.acc_country[safe_acc], own_country)

    ind_fit = np.array([ICP_INDUSTRY_FIT.get(i[0], 0.0) for i in INDUSTRIES])[ctx.acc_industry[safe_acc]]
    emp = ctx.acc_emp[safe_acc]
    size_fit = np.where((emp >= 50) & (emp < 5000), 1.0, np.where(emp >= 5000, 0.6, 0.0))
    fit = np.where(linked, ind_fit + size_fit, 0.0) + SENIORITY_FIT[seniority]
    fit = fit - np.select([kind == 1, kind == 2, kind == 4], [1.0, 0.3, 3.0], 0.0)
    z = (0.9 * rng.normal(size=n) + SOURCE_INTENT[source] + 0.25 * fit
         + 0.35 * ctx.log_count_std[i0:i1])
    jobseeker = rng.random(n) < np.where(seniority == 5, 0.15, 0.04)

    table = pa.table({
        "lead_id": _ids("lead_", np.arange(i0 + 1, i1 + 1), ctx.w_lead),
        "email": email,
        "first_name": _take([f[0] for f in FIRST_NAMES], fn),
        "last_name": _take([x[0] for x in LAST_NAMES], ln),
        "job_title": _take([t[0] for t in TITLES], title),
        "account_id": pc.take(ctx.acc_ids, pa.array(safe_acc, mask=acc < 0)),
        "lead_source": _take(LEAD_SOURCES, source),
        "country": _take([c[0] for c in COUNTRIES], country),
        "created_at": format_timestamps(created, _random_variants(rng, n)),
    })
    info = {"acc": acc, "kind": kind, "seniority": seniority, "source": source, "fit": fit, "z": z,
            "jobseeker": jobseeker, "created": created, "lead_ids": table.column("lead_id").combine_chunks()}
    return table, info


def _personal_weights(k: int) -> np.ndarray:
    w = 1.0 / (np.arange(k) + 1.0) ** 1.1  # gmail first, a long tail
    return w / w.sum()


def _activities_chunk(ctx: _Context, rng: np.random.Generator, i0: int, i1: int, info: dict,
                      act_offset: int) -> tuple[pa.Table, dict]:
    n = i1 - i0
    c = ctx.counts[i0:i1]
    created = info["created"]
    z = info["z"]
    total = int(c.sum())
    lead_idx = np.repeat(np.arange(n), c)
    starts = np.cumsum(c) - c

    # Each lead has an active window: some anonymous tracking before it was created, then a
    # stretch of weeks to months after.
    pre = np.where(rng.random(n) < 0.3, rng.exponential(25 * DAY_MS, size=n), 0.0)
    w0 = np.maximum(ctx.start_ms, created - pre)
    span = np.clip(np.exp(rng.normal(math.log(75), 0.9, size=n)), 3, 540) * DAY_MS
    w1 = np.maximum(np.minimum(ctx.end_ms - HOUR_MS, created + span), created)

    # Sessions: bursts of a few activities within minutes.
    new_session = rng.random(total) < 0.4
    new_session[starts[c > 0]] = True
    session = np.cumsum(new_session) - 1
    first_row = np.flatnonzero(new_session)
    s_lead = lead_idx[first_row]
    n_sessions = len(first_row)
    is_pre = (rng.random(n_sessions) < 0.12) & (pre[s_lead] > 0)
    u = rng.beta(0.8, 1.6, size=n_sessions)
    s_start = np.where(is_pre, w0[s_lead] + rng.random(n_sessions) * (created[s_lead] - w0[s_lead]),
                       created[s_lead] + u * (w1[s_lead] - created[s_lead]))
    s_start = np.floor(s_start / 1000) * 1000
    gaps = rng.exponential(75_000, size=total)
    gaps[new_session] = 0
    cum = np.cumsum(gaps)
    offset = cum - cum[first_row][session]
    t = (s_start[session] + np.floor(offset / 1000) * 1000).astype(np.int64)
    with_ms = rng.random(total) < 0.15
    t = t + with_ms * rng.integers(1, 1000, size=total)
    t = np.clip(t, ctx.start_ms, ctx.end_ms)
    order = np.lexsort((t, lead_idx))
    t = t[order]  # lead_idx is already sorted and unchanged by this order

    # The everyday mix, per lead tilted by intent; job seekers read the careers pages.
    weights = np.tile(COMMON_WEIGHTS, (n, 1))
    weights[:, T["pricing_page_view"]] *= np.exp(0.7 * z)
    weights[:, T["webinar_attended"]] *= np.exp(0.4 * z)
    weights[:, T["content_download"]] *= np.exp(0.3 * z)
    weights[:, T["careers_page_view"]] *= np.where(info["jobseeker"], 15.0, 1.0) * np.exp(-0.3 * z)
    weights[:, T["email_open"]] *= np.where(info["source"] == LEAD_SOURCES.index("outbound"), 1.6, 1.0)
    cumw = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    uu = rng.random(total)
    typ = np.zeros(total, dtype=np.int64)
    for k in range(N_COMMON - 1):
        typ += uu > cumw[lead_idx, k]

    # Before the lead exists only anonymous web tracking is possible.
    before = t < created[lead_idx]
    typ[before & np.isin(typ, IDENTIFIED_TYPES)] = T["page_view"]
    n_pre = np.bincount(lead_idx, weights=before, minlength=n).astype(np.int64)
    first_post = starts + n_pre
    n_post = c - n_pre

    # The form fill or scan that created the lead is its first identified activity.
    src = info["source"]
    for source_name, type_name in (("webinar", "webinar_registered"), ("event", "event_attended"),
                                   ("content_syndication", "content_download")):
        sel = (src == LEAD_SOURCES.index(source_name)) & (n_post > 0) & (rng.random(n) < 0.85)
        rows = first_post[sel]
        typ[rows] = T[type_name]
        t[rows] = created[sel]

    # Single events placed at one of the lead's identified activities (later ones more likely).
    fit = info["fit"]
    logc = np.log1p(c)
    demo_p = _sigmoid(-5.2 + 1.1 * z + 0.5 * fit + 0.25 * logc)
    placed = (
        ("email_bounce", np.full(n, 0.025), 1.0, 0.3),
        ("unsubscribe", np.where(src == LEAD_SOURCES.index("outbound"), 0.10, 0.04), 0.4, 0.0),
        ("contact_form", _sigmoid(-4.6 + 0.7 * z + 0.2 * logc), 0.8, 0.0),
        ("free_trial_signup", _sigmoid(-4.8 + 0.8 * z + 0.2 * logc + 0.2 * fit), 0.7, 0.0),
        ("demo_request", demo_p, 0.5, 0.12),
    )
    for type_name, p, power, p_second in placed:
        has = (rng.random(n) < p) & (n_post > 0)
        second = has & (rng.random(n) < p_second)
        for sel in (has, second):
            u = rng.random(int(sel.sum())) ** power
            pos = first_post[sel] + np.floor(n_post[sel] * u).astype(np.int64)
            typ[pos] = T[type_name]

    if ctx.cfg.edge_cases:
        # --edge-cases: a few activities of types with no scoring rule and no known meaning.
        odd = rng.random(total) < 0.002
        typ[odd] = np.array(UNKNOWN_TYPES)[rng.integers(0, len(UNKNOWN_TYPES), size=int(odd.sum()))]
        # --edge-cases: ties, several activities of one lead at the identical instant.
        tie = rng.random(total) < 0.01
        tie &= np.r_[False, lead_idx[1:] == lead_idx[:-1]]
        for _ in range(3):  # let short chains of ties form
            t = np.where(tie, np.r_[t[:1], t[:-1]], t)
    order = np.lexsort((t, lead_idx))
    t, typ = t[order], typ[order]

    # Detail: campaign or webinar of the month, a URL path or asset; sometimes missing.
    month = (t.astype("datetime64[ms]").astype("datetime64[M]") - ctx.start_month).astype(np.int64)
    month = np.clip(month, 0, ctx.n_months - 1)
    per_month = ctx.detail_per_month[typ]
    ud = rng.random(total)
    within = np.where(per_month > 0, month * np.maximum(per_month, 1) + np.floor(ud * per_month),
                      np.floor(ctx.detail_size[typ] * ud ** 1.7))
    detail_idx = ctx.detail_offset[typ] + within.astype(np.int64)
    no_detail = rng.random(total) < 0.05

    table = pa.table({
        "activity_id": _ids("act_", np.arange(act_offset + 1, act_offset + total + 1), ctx.w_activity),
        "lead_id": pc.take(info["lead_ids"], pa.array(lead_idx)),
        "activity_type": _take(ACTIVITY_TYPES, typ),
        "occurred_at": format_timestamps(t, _random_variants(rng, total)),
        "detail": pc.take(ctx.detail_vocab, pa.array(detail_idx, mask=no_detail)),
    })
    if ctx.cfg.edge_cases and total:
        # --edge-cases: exact duplicate activity rows (same activity_id, same everything).
        dup = (rng.random(total) < 0.003).astype(np.int64)
        table = table.take(pa.array(np.repeat(np.arange(total), 1 + dup)))
    return table, {"lead_idx": lead_idx, "t": t, "typ": typ, "starts": starts, "c": c,
                   "first_post": first_post, "n_post": n_post, "total": total}


def _funnel_chunk(ctx: _Context, rng: np.random.Generator, info: dict, act: dict, disp_offset: int,
                  opp_offset: int) -> tuple[pa.Table, pa.Table]:
    n = len(info["created"])
    lead_idx, t, typ, c = act["lead_idx"], act["t"], act["typ"], act["c"]
    counts = np.bincount(lead_idx * len(ACTIVITY_TYPES) + typ, minlength=n * len(ACTIVITY_TYPES))
    counts = counts.reshape(n, len(ACTIVITY_TYPES))

    def cnt(name: str, cap: int) -> np.ndarray:
        return np.minimum(counts[:, T[name]], cap)

    intent = (1.8 * cnt("demo_request", 1) + 0.3 * cnt("pricing_page_view", 4)
              + 0.6 * cnt("webinar_attended", 2) + 1.0 * cnt("free_trial_signup", 1)
              + 0.9 * cnt("contact_form", 1) + 0.15 * cnt("content_download", 3)
              - 0.8 * cnt("careers_page_view", 3) - 1.2 * cnt("unsubscribe", 1)
              - 0.8 * cnt("email_bounce", 1))
    fit = info["fit"]
    kind, seniority = info["kind"], info["seniority"]
    end = ctx.end_ms

    # What triggered sales to look at the lead: its first hand-raise, else a late activity, else
    # (no activity at all) an outbound call some days after it was created.
    handraise = np.isin(typ, [T["demo_request"], T["free_trial_signup"], T["contact_form"]])
    hr_time = _group_first(lead_idx, handraise, t, n, np.int64(-1))
    has_hr = hr_time >= 0
    n_post, first_post = act["n_post"], act["first_post"]
    late_pos = first_post + np.floor(np.maximum(n_post, 1) * (0.3 + 0.7 * rng.random(n))).astype(np.int64)
    late_pos = np.clip(late_pos, 0, max(len(t) - 1, 0))
    late_time = t[late_pos] if len(t) else np.zeros(n, dtype=np.int64)
    no_post = n_post <= 0
    call_time = info["created"] + rng.exponential(5 * DAY_MS, size=n).astype(np.int64)
    trigger = np.where(has_hr, hr_time, np.where(no_post, call_time, late_time))
    outbound = info["source"] == LEAD_SOURCES.index("outbound")
    p_handoff = np.where(has_hr, 0.9, _sigmoid(-4.0 + 0.4 * np.log1p(c) + 0.5 * intent + 0.9 * outbound))
    review_at = trigger + np.maximum(np.exp(rng.normal(math.log(18 * HOUR_MS), 1.0, size=n)), 10 * MINUTE_MS)
    review_at = (np.floor(review_at / 1000) * 1000).astype(np.int64)
    handoff = (rng.random(n) < p_handoff) & (review_at <= end)

    job_seeker = counts[:, T["careers_page_view"]] >= 2
    accepted = handoff & (rng.random(n) < _sigmoid(-1.0 + 0.6 * fit + 0.4 * intent - 1.5 * job_seeker))
    rejected = handoff & ~accepted
    bad_profile = (seniority == SENIORITIES.index("student")) | (kind == 4)
    r = rng.random(n)
    rej_dq = rejected & (r < np.where(bad_profile, 0.95, 0.55))
    rej_rec = rejected & ~rej_dq & (r < np.where(bad_profile, 1.0, 0.9))

    work_at = review_at + np.exp(rng.normal(math.log(6 * DAY_MS), 0.8, size=n)).astype(np.int64)
    work_at = (np.floor(work_at / 1000) * 1000).astype(np.int64)
    in_time = work_at <= end
    qualified = accepted & in_time & (rng.random(n) < _sigmoid(-2.6 + 0.5 * fit + 0.55 * intent))
    r = rng.random(n)
    acc_rec = accepted & in_time & ~qualified & (r < 0.55)
    acc_dq = accepted & in_time & ~qualified & (r >= 0.55) & (r < 0.8)

    opp_at = np.where(rng.random(n) < 0.1, work_at,  # converted on the call: same instant as the SQL
                      work_at + np.exp(rng.normal(math.log(2 * DAY_MS), 1.0, size=n)).astype(np.int64))
    opp_at = (np.floor(opp_at / 1000) * 1000).astype(np.int64)
    has_opp = qualified & (rng.random(n) < 0.8) & (opp_at <= end)
    close_at = opp_at + np.exp(rng.normal(math.log(45 * DAY_MS), 0.6, size=n)).astype(np.int64)
    close_at = (np.floor(close_at / 1000) * 1000).astype(np.int64)
    closed = has_opp & (close_at <= end)
    won = closed & (rng.random(n) < _sigmoid(-1.8 + 0.3 * fit + 0.3 * intent))

    # Reasons: profile-specific for disqualifications where the profile explains it.
    reason_vocab: list[str] = []
    base = {}
    for key in ("accepted", "qualified", "recycled", "disqualified", "profile"):
        base[key] = len(reason_vocab)
        reason_vocab += list(REASONS[key])
    jobseeker_like = counts[:, T["careers_page_view"]] > 0
    profile = np.select([seniority == SENIORITIES.index("student"), kind == 4, jobseeker_like, kind == 1],
                        [0, 1, 2, 3], -1)

    def reasons(key: str, k: int, p_null: float) -> np.ndarray:
        idx = base[key] + rng.integers(0, len(REASONS[key]), size=k)
        return np.where(rng.random(k) < p_null, -1, idx)

    rows_lead, rows_code, rows_time, rows_reason = [], [], [], []

    def add(mask: np.ndarray, code: int, when: np.ndarray, reason: np.ndarray) -> None:
        rows_lead.append(np.flatnonzero(mask))
        rows_code.append(np.full(int(mask.sum()), code))
        rows_time.append(when[mask])
        rows_reason.append(reason)

    add(accepted, 0, review_at, reasons("accepted", int(accepted.sum()), 0.5))
    add(qualified, 1, work_at, reasons("qualified", int(qualified.sum()), 0.3))
    add(rej_rec, 2, review_at, reasons("recycled", int(rej_rec.sum()), 0.2))
    add(acc_rec, 2, work_at, reasons("recycled", int(acc_rec.sum()), 0.2))
    for mask, when in ((rej_dq, review_at), (acc_dq, work_at)):
        k = int(mask.sum())
        generic = reasons("disqualified", k, 0.1)
        prof = profile[mask]
        add(mask, 3, when, np.where(prof >= 0, base["profile"] + prof, generic))

    d_lead = np.concatenate(rows_lead)
    d_code = np.concatenate(rows_code)
    d_time = np.concatenate(rows_time).astype(np.int64)
    d_reason = np.concatenate(rows_reason)
    order = np.lexsort((d_code, d_time, d_lead))
    d_lead, d_code, d_time, d_reason = d_lead[order], d_code[order], d_time[order], d_reason[order]
    k = len(d_lead)
    dispositions = pa.table({
        "disposition_id": _ids("disp_", np.arange(disp_offset + 1, disp_offset + k + 1), ctx.w_disposition),
        "lead_id": pc.take(info["lead_ids"], pa.array(d_lead)),
        "disposition": _take(DISPOSITIONS, d_code),
        "disposition_at": format_timestamps(d_time, _random_variants(rng, k)),
        "reason": _take(reason_vocab, np.maximum(d_reason, 0), null_mask=d_reason < 0),
    })

    o_lead = np.flatnonzero(has_opp)
    m = len(o_lead)
    acc = info["acc"][o_lead]
    emp = ctx.acc_emp[np.maximum(acc, 0)]
    amount = np.where(acc >= 0, 6000.0 * emp ** 0.42, 4000.0) * np.exp(rng.normal(0, 0.45, size=m))
    amount = np.maximum(np.round(amount / 500) * 500, 1000).astype(np.int64)
    o_closed = closed[o_lead]
    opportunities = pa.table({
        "opportunity_id": _ids("opp_", np.arange(opp_offset + 1, opp_offset + m + 1), ctx.w_opportunity),
        "lead_id": pc.take(info["lead_ids"], pa.array(o_lead)),
        "account_id": pc.take(ctx.acc_ids, pa.array(np.maximum(acc, 0), mask=acc < 0)),
        "created_at": format_timestamps(opp_at[o_lead], _random_variants(rng, m)),
        "closed_at": pc.if_else(pa.array(o_closed),
                                format_timestamps(close_at[o_lead], _random_variants(rng, m)),
                                pa.scalar(None, pa.string())),
        "is_won": pc.if_else(pa.array(o_closed), _take(("false", "true"), won[o_lead].astype(np.int64)),
                             pa.scalar(None, pa.string())),
        "amount_usd": _int_strings(amount),
    })
    return dispositions, opportunities


# --------------------------------------------------------------------------------------------
# --edge-cases: hand-written leads (appended after the generated ones)
# --------------------------------------------------------------------------------------------

EDGE_ACCOUNTS = (
    # name, domain, industry, employee_count, annual_revenue_usd, country
    ("Brightwave Software, Inc.", "brightwave-software.com", "software", "850", "120000000", "US"),
    ("Kettle & Finch Manufacturing GmbH", "kettle-finch.de", "manufacturing", "60", "9500000", "DE"),
    # Firmographic enrichment found nothing: industry, size and revenue missing.
    ("Halcyon Partners", "halcyon-partners.com", None, None, None, "GB"),
)

# Times are (day offset from the base day, "HH:MM:SS[.fff]"), written in the given spelling.
EDGE_LEADS: tuple[dict, ...] = (
    {   # exactly one demo_request and nothing else: exactly 100 points
        "name": ("Ava", "Thompson"), "title": "VP Marketing", "account": 0, "source": "organic_search",
        "created": (1, "09:00:00"),
        "activities": [(1, "09:00:00", "demo_request", "/demo", V_Z)],
    },
    {   # recycled, an activity at the very instant of the recycle (old episode), then fresh activity
        "name": ("Noah", "Fischer"), "title": "Head of Growth", "account": 0, "source": "webinar",
        "created": (2, "16:00:00"),
        "activities": [
            (-1, "11:02:10", "page_view", "/blog/what-is-an-mql", V_Z),  # anonymous, before created_at
            (-1, "11:03:40", "page_view", "/pricing", V_SPACE),
            (2, "16:00:00", "webinar_registered", "webinar: From MQL to Pipeline", V_Z),
            (9, "17:00:00", "webinar_attended", "webinar: From MQL to Pipeline", V_PLUS2),
            (9, "18:01:00", "pricing_page_view", "/pricing", V_Z),
            (9, "18:02:30", "pricing_page_view", "/pricing?plan=team", V_Z),
            (9, "18:04:00", "pricing_page_view", "/pricing#faq", V_MINUS5),
            (10, "08:15:00", "content_download", "ebook: The Lead Scoring Playbook", V_Z),
            (20, "15:00:00", "email_open", "Newsletter", V_PLUS2),  # same instant as the recycle
            (40, "10:00:00", "email_click", "Nurture: Product Tour #2", V_Z, "duplicate"),
            (40, "10:02:00", "pricing_page_view", "/pricing", V_Z),
            (41, "09:30:00", "demo_request", "/request-a-demo", V_NAIVE_T),
        ],
        "dispositions": [(11, "10:00:00", "accepted", "hand-raiser"),
                         (20, "15:00:00", "recycled", "timing - revisit next quarter"),
                         (42, "11:00:00", "accepted", "inbound demo request")],
    },
    {   # disqualified, then active again (no MQL may follow)
        "name": ("Priya", "Sharma"), "title": "CTO", "account": 0, "source": "paid_search",
        "created": (3, "12:00:00"),
        "activities": [(3, "12:00:00", "pricing_page_view", "/pricing", V_Z),
                       (3, "12:03:00", "pricing_page_view", "/pricing?plan=enterprise", V_Z),
                       (5, "09:00:00", "free_trial_signup", "/signup?plan=trial", V_Z),
                       (30, "14:00:00", "demo_request", "/demo", V_Z),
                       (30, "14:05:00", "pricing_page_view", "/pricing", V_PLUS1),
                       (31, "16:00:00", "webinar_attended", "webinar: Fit vs Intent, Explained", V_Z)],
        "dispositions": [(6, "10:00:00", "disqualified", "existing customer")],
    },
    {   # ties: several activities at one instant, spelled differently, crossing the threshold together
        "name": ("Lucas", "Moreau"), "title": "Director", "account": 0, "source": "content_syndication",
        "created": (4, "08:00:00"),
        "activities": [(4, "08:00:00", "content_download", "report: 2026 B2B Funnel Benchmarks", V_Z),
                       (8, "14:30:00", "contact_form", "/contact-sales", V_Z),
                       (8, "14:30:00", "free_trial_signup", "/signup?plan=trial", V_PLUS2),
                       (8, "14:30:00", "pricing_page_view", "/pricing", V_MINUS5),
                       (8, "14:30:00", "pricing_page_view", "/pricing#faq", V_SPACE),
                       (8, "14:30:00", "chat_started", "chat: website widget", V_Z),
                       (8, "14:30:00.250", "page_view", "/customers", V_Z)],
    },
    {   # lost opportunity (a recycle boundary), then fresh activity; SQL and opportunity at one instant
        "name": ("Sofia", "Rossi"), "title": "Vice President, Engineering", "account": 1, "source": "event",
        "created": (5, "10:00:00"),
        "activities": [(5, "10:00:00", "event_attended", "OMR Festival Hamburg", V_PLUS2),
                       (6, "09:00:00", "demo_request", "/demo", V_PLUS2),
                       (60, "09:00:00", "pricing_page_view", "/pricing", V_Z),
                       (61, "17:00:00", "webinar_attended", "webinar: dbt for Marketing Ops", V_Z)],
        "dispositions": [(7, "09:00:00", "accepted", None), (12, "15:00:00", "qualified", "BANT confirmed")],
        "opportunities": [((12, "15:00:00"), (50, "12:00:00"), "false", "38000")],
    },
    {   # won: becomes a customer, still active afterwards
        "name": ("Oliver", "Weber"), "title": "Co-Founder & CEO", "account": 1, "source": "referral",
        "created": (6, "07:30:00"),
        "activities": [(7, "08:00:00", "demo_request", "/demo", V_Z),
                       (45, "13:00:00", "page_view", "/docs/getting-started", V_Z)],
        "dispositions": [(7, "10:00:00", "accepted", "referred by account executive"),
                         (10, "11:00:00", "qualified", None)],
        "opportunities": [((11, "09:00:00"), (40, "16:00:00"), "true", "48000")],
    },
    {   # only activity types without a scoring rule
        "name": ("Wei", "Chen"), "title": "Software Engineer", "account": 0, "source": "organic_search",
        "created": (7, "09:00:00"),
        "activities": [(7, "09:00:00", "sms_reply", "sms: reply to event reminder", V_Z),
                       (8, "10:00:00", "g2_profile_view", None, V_Z),
                       (9, "11:00:00", "intent_surge", "topic: lead scoring", V_Z),
                       (9, "11:00:30", "social_follow", "linkedin", V_Z)],
    },
    {   # messy but valid: spaces and capitals in the email, lower-case padded country
        "name": ("Jane", "Doe"), "title": "Marketing Manager", "account": 0, "source": "paid_social",
        "email": " Jane.Doe@Brightwave-Software.com ", "country": " us", "created": (8, "10:00:00"),
        "activities": [(8, "10:00:00", "page_view", "/", V_Z), (9, "10:00:00", "email_open", None, V_Z)],
    },
    {   # missing email
        "name": ("Mark", "Allen"), "title": "Director of Sales", "account": 0, "source": "event",
        "email": None, "created": (9, "10:00:00"),
        "activities": [(9, "10:00:00", "event_attended", "Dreamforce", V_Z),
                       (10, "10:00:00", "demo_request", "/demo", V_Z)],
    },
    {   # malformed email
        "name": ("Laura", "Bernard"), "title": "Leadership Development Coordinator", "account": 0,
        "source": "organic_search", "email": "laura.bernard(at)brightwave-software.com",
        "created": (10, "10:00:00"),
        "activities": [(10, "10:00:00", "content_download", "ebook: The Lead Scoring Playbook", V_Z)],
    },
    {   # no job title; its account has no firmographics
        "name": ("Tom", "Hill"), "title": None, "account": 2, "source": "referral",
        "created": (11, "10:00:00"),
        "activities": [(11, "10:00:00", "demo_request", "/demo", V_Z)],
    },
    {   # no account (personal email) and an open opportunity with an empty account_id
        "name": ("Carlos", "Silva"), "title": "Owner", "account": None, "source": "referral",
        "email": "carlos.silva@gmail.com", "country": "BR", "created": (12, "10:00:00"),
        "activities": [(12, "10:00:00", "demo_request", "/demo", V_Z)],
        "dispositions": [(13, "10:00:00", "accepted", None), (15, "10:00:00", "qualified", None)],
        "opportunities": [((16, "10:00:00"), None, None, "6500")],
    },
    {   # only negative points: the score floors at 0
        "name": ("Emily", "Carter"), "title": "Data Analyst", "account": 1, "source": "paid_social",
        "created": (13, "10:00:00"),
        "activities": [(13, "10:00:00", "careers_page_view", "/careers", V_Z),
                       (13, "10:01:00", "careers_page_view", "/careers/senior-data-engineer", V_Z),
                       (14, "10:00:00", "unsubscribe", None, V_Z)],
    },
    {   # a student with a demo request: 100 points, but excluded (student)
        "name": ("Mei", "Wang"), "title": "Graduate Student", "account": None, "source": "webinar",
        "email": "mei.wang@stanford.edu", "country": "US", "created": (15, "18:00:00"),
        "activities": [(15, "18:00:00", "webinar_registered", "webinar: From MQL to Pipeline", V_Z),
                       (16, "18:00:00", "demo_request", "/demo", V_PLUS1)],
    },
    {   # recycled without ever being accepted, then back with a hand-raise
        "name": ("Hugo", "Laurent"), "title": "Director of Marketing", "account": 1, "source": "outbound",
        "created": (14, "10:00:00"),
        "activities": [(14, "10:00:00", "email_open", None, V_Z), (15, "10:00:00", "email_click", None, V_Z),
                       (30, "10:00:00", "contact_form", "/contact", V_Z),
                       (30, "10:00:00", "pricing_page_view", "/pricing", V_Z)],
        "dispositions": [(20, "09:00:00", "recycled", "no response after 6 touches")],
    },
)


def _edge_instant(base_ms: int, when: tuple[int, str]) -> int:
    day, hms = when
    hh, mm, rest = hms.split(":")
    ss, _, frac = rest.partition(".")
    return (base_ms + day * DAY_MS + int(hh) * HOUR_MS + int(mm) * MINUTE_MS + int(ss) * 1000
            + (int(frac.ljust(3, "0")) if frac else 0))


def _edge_accounts(ctx: _Context) -> pa.Table:
    """The --edge-cases accounts, numbered after the generated ones."""
    rows = []
    for i, (name, domain, industry, emp, revenue, country) in enumerate(EDGE_ACCOUNTS):
        rows.append({"account_id": _id("acc_", ctx.n_accounts + 1 + i, ctx.w_account), "company_name": name,
                     "domain": domain, "industry": industry, "employee_count": emp,
                     "annual_revenue_usd": revenue, "country": country})
    return _from_rows("accounts", rows)


def _edge_lead_tables(ctx: _Context, counters: dict[str, int]) -> dict[str, pa.Table]:
    """The hand-written --edge-cases leads and their rows, numbered after the generated ones."""
    base = (ctx.end_ms - 100 * DAY_MS) // DAY_MS * DAY_MS
    rows: dict[str, list[dict]] = {t: [] for t in TABLES if t != "accounts"}
    acc_ids = [_id("acc_", ctx.n_accounts + 1 + i, ctx.w_account) for i in range(len(EDGE_ACCOUNTS))]
    for lead in EDGE_LEADS:
        counters["leads"] += 1
        lead_id = _id("lead_", counters["leads"], ctx.w_lead)
        first, last = lead["name"]
        acc = lead["account"]
        domain = EDGE_ACCOUNTS[acc][1] if acc is not None else "gmail.com"
        email = lead.get("email", f"{first.lower()}.{last.lower()}@{domain}")
        country = lead.get("country", EDGE_ACCOUNTS[acc][5] if acc is not None else "US")
        rows["leads"].append({
            "lead_id": lead_id, "email": email, "first_name": first, "last_name": last,
            "job_title": lead["title"], "account_id": acc_ids[acc] if acc is not None else None,
            "lead_source": lead["source"], "country": country,
            "created_at": format_timestamp(_edge_instant(base, lead["created"]), V_Z),
        })
        for day, hms, typ, detail, variant, *flags in lead["activities"]:
            counters["activities"] += 1
            occurred_at = format_timestamp(_edge_instant(base, (day, hms)), variant)
            row = {"activity_id": _id("act_", counters["activities"], ctx.w_activity), "lead_id": lead_id,
                   "activity_type": typ, "occurred_at": occurred_at, "detail": detail}
            rows["activities"].append(row)
            if "duplicate" in flags:
                rows["activities"].append(dict(row))
        for day, hms, disposition, reason in lead.get("dispositions", []):
            counters["sales_dispositions"] += 1
            rows["sales_dispositions"].append({
                "disposition_id": _id("disp_", counters["sales_dispositions"], ctx.w_disposition),
                "lead_id": lead_id, "disposition": disposition,
                "disposition_at": format_timestamp(_edge_instant(base, (day, hms)), V_Z), "reason": reason})
        for created, closed, is_won, amount in lead.get("opportunities", []):
            counters["opportunities"] += 1
            rows["opportunities"].append({
                "opportunity_id": _id("opp_", counters["opportunities"], ctx.w_opportunity),
                "lead_id": lead_id, "account_id": acc_ids[acc] if acc is not None else None,
                "created_at": format_timestamp(_edge_instant(base, created), V_Z),
                "closed_at": format_timestamp(_edge_instant(base, closed), V_Z) if closed else None,
                "is_won": is_won, "amount_usd": amount})
    return {name: _from_rows(name, r) for name, r in rows.items()}


# --------------------------------------------------------------------------------------------
# --bad-rows: rows the staging layer must quarantine. The data carries no marker; these
# functions are the record of what was broken and how.
# --------------------------------------------------------------------------------------------

UNPARSEABLE_TIMESTAMPS = ("not-a-date", "2026-13-45T10:00:00Z")
FUTURE_TIMESTAMP = "2099-01-01T00:00:00Z"


def _template(table: pa.Table, name: str, pick: int) -> dict[str, str | None]:
    """A real row of this chunk to copy from (the pick-th from the end), or a plausible stand-in."""
    if table.num_rows:
        return dict(table.slice(max(table.num_rows - 1 - pick, 0), 1).to_pylist()[0])
    stand_in = {
        "sales_dispositions": {"disposition_id": None, "lead_id": "lead_0000001", "disposition": "accepted",
                               "disposition_at": "2026-01-05T10:00:00Z", "reason": None},
        "opportunities": {"opportunity_id": None, "lead_id": "lead_0000001", "account_id": None,
                          "created_at": "2026-01-05T10:00:00Z", "closed_at": None, "is_won": None,
                          "amount_usd": "10000"},
        "activities": {"activity_id": None, "lead_id": "lead_0000001", "activity_type": "page_view",
                       "occurred_at": "2026-01-05T10:00:00Z", "detail": "/"},
    }
    return dict(stand_in[name])


def _bad_rows_head(name: str, table: pa.Table) -> pa.Table:
    """BAD ROWS (missing key): copies of real rows whose key is null or blank; they sort first."""
    key = KEYS[name]
    rows = []
    for pick, missing in enumerate((None, "  ")):
        row = _template(table, name, pick)
        row[key] = missing
        rows.append(row)
    return _from_rows(name, rows)


def _bad_rows_tail(ctx: _Context, name: str, table: pa.Table, counters: dict[str, int]) -> pa.Table:
    """BAD ROWS appended to the last chunk; new rows take the next keys, copies keep theirs."""
    key = KEYS[name]
    orphan_lead = _id("lead_", ctx.n_leads + 900_000, ctx.w_lead)
    orphan_account = _id("acc_", ctx.n_accounts + 900_000, ctx.w_account)
    prefix = {"accounts": ("acc_", ctx.w_account), "leads": ("lead_", ctx.w_lead),
              "activities": ("act_", ctx.w_activity), "sales_dispositions": ("disp_", ctx.w_disposition),
              "opportunities": ("opp_", ctx.w_opportunity)}[name]
    ts_col = {"leads": "created_at", "activities": "occurred_at", "sales_dispositions": "disposition_at",
              "opportunities": "created_at"}.get(name)
    rows: list[dict] = []

    def new(changes: dict[str, str | None], pick: int = 0) -> None:
        row = _template(table, name, pick)
        counters[name] += 1
        row[key] = _id(prefix[0], counters[name], prefix[1])
        row.update(changes)
        rows.append(row)

    # BAD: unparseable and future timestamps.
    if ts_col:
        for value in UNPARSEABLE_TIMESTAMPS:
            new({ts_col: value})
        new({ts_col: FUTURE_TIMESTAMP})
    # BAD: missing or orphan foreign keys, unknown values, invalid numbers.
    if name == "accounts":
        new({"employee_count": "-250"})  # negative employee_count
        new({"annual_revenue_usd": "unknown"})  # not a number
    elif name == "leads":
        new({"account_id": orphan_account})  # account that does not exist
    elif name in ("activities", "sales_dispositions", "opportunities"):
        new({"lead_id": None})  # missing lead_id
        new({"lead_id": ""}, pick=1)
        new({"lead_id": orphan_lead})  # lead that does not exist
    if name == "sales_dispositions":
        new({"disposition": "maybe"})  # unknown disposition
    if name == "opportunities":
        new({"account_id": orphan_account})
        new({"closed_at": UNPARSEABLE_TIMESTAMPS[0], "is_won": "false"})
        new({"amount_usd": "n/a"})
        new({"amount_usd": "-5000"})
        new({"closed_at": "2026-01-05T10:00:00Z", "is_won": "perhaps"})  # invalid boolean
    # BAD: the same key with different contents (a copy of a real row, one field changed).
    if table.num_rows:
        changed = _template(table, name, 0)
        field = {"accounts": "employee_count", "leads": "job_title", "activities": "activity_type",
                 "sales_dispositions": "reason", "opportunities": "amount_usd"}[name]
        candidates = {"accounts": ("12", "13"), "leads": ("Chief Happiness Officer", "Growth Hacker"),
                      "activities": ("email_click", "page_view"),
                      "sales_dispositions": ("changed in CRM after export", "edited"),
                      "opportunities": ("999999", "999998")}[name]
        changed[field] = next(v for v in candidates if v != changed[field])
        rows.append(changed)
        # BAD: exact duplicate rows (every column equal).
        rows.append(_template(table, name, 1))
    return _from_rows(name, rows)


def _with_bad_rows(ctx: _Context, name: str, table: pa.Table, counters: dict[str, int], head: bool,
                   tail: bool) -> pa.Table:
    parts = [table]
    if head:
        parts.insert(0, _bad_rows_head(name, table))
    if tail:
        parts.append(_bad_rows_tail(ctx, name, table, counters))
    return _sort_by_key(_concat(name, parts), KEYS[name])


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def output_paths(out_dir: Path, fmt: str = "csv", file_prefix: str = "") -> dict[str, Path]:
    return {name: Path(out_dir) / f"{file_prefix}{name}.{fmt}" for name in TABLES}


def generate(cfg: GeneratorConfig, out_dir: str | Path, progress: ProgressFn | None = None) -> dict[str, int]:
    """Write the five raw tables to out_dir; returns the number of rows written per table.

    progress(done, total) is called after the accounts and after each chunk of leads.
    """
    ctx = _Context(cfg)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = output_paths(out, cfg.fmt, cfg.file_prefix)
    writers = {name: _TableWriter(paths[name], name, cfg.fmt) for name in TABLES}
    total_steps = ctx.n_leads + 1
    # The last key used so far per table; edge-case and bad rows take the next ones.
    counters = {"accounts": ctx.n_accounts, "leads": ctx.n_leads, "activities": int(ctx.counts.sum()),
                "sales_dispositions": 0, "opportunities": 0}
    try:
        accounts = ctx.accounts
        if cfg.edge_cases:
            accounts = _concat("accounts", [accounts, _edge_accounts(ctx)])
            counters["accounts"] += len(EDGE_ACCOUNTS)
        if cfg.bad_rows:
            accounts = _with_bad_rows(ctx, "accounts", accounts, counters, head=True, tail=True)
        writers["accounts"].write(accounts)
        del accounts
        if progress:
            progress(1, total_steps)

        n_chunks = max(1, math.ceil(ctx.n_leads / CHUNK_LEADS))
        for ci in range(n_chunks):
            i0, i1 = ci * CHUNK_LEADS, min(ctx.n_leads, (ci + 1) * CHUNK_LEADS)
            rng = _rng(cfg.seed, 3, ci)
            leads, info = _leads_chunk(ctx, rng, i0, i1)
            act_offset = int(ctx.counts[:i0].sum())
            activities, act = _activities_chunk(ctx, rng, i0, i1, info, act_offset)
            dispositions, opportunities = _funnel_chunk(
                ctx, rng, info, act, counters["sales_dispositions"], counters["opportunities"])
            counters["sales_dispositions"] += dispositions.num_rows
            counters["opportunities"] += opportunities.num_rows
            chunk = {"leads": leads, "activities": activities, "sales_dispositions": dispositions,
                     "opportunities": opportunities}
            last = ci == n_chunks - 1
            if last and cfg.edge_cases:
                edge = _edge_lead_tables(ctx, counters)
                chunk = {name: _concat(name, [table, edge[name]]) for name, table in chunk.items()}
            if cfg.bad_rows and (ci == 0 or last):
                chunk = {name: _with_bad_rows(ctx, name, table, counters, head=ci == 0, tail=last)
                         for name, table in chunk.items()}
            for name, table in chunk.items():
                writers[name].write(table)
            del chunk, leads, activities, dispositions, opportunities, info, act
            if progress:
                progress(i1 + 1, total_steps)
    finally:
        for w in writers.values():
            w.close()
    return {name: w.rows for name, w in writers.items()}
