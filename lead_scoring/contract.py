"""The raw data contract of SPEC section 1 and the configuration seeds of section 2."""

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
CONFIG_SEED_DIR = PROJECT_DIR / "seeds" / "config"
SAMPLE_SEED_DIR = PROJECT_DIR / "seeds" / "sample"
DEFAULT_DB = PROJECT_DIR / "warehouse" / "lead_scoring.duckdb"

# Raw tables and their required columns, in the spec's order. Extra columns are ignored.
RAW_TABLES: dict[str, list[str]] = {
    "accounts": [
        "account_id", "company_name", "domain", "industry", "employee_count", "annual_revenue_usd", "country",
    ],
    "leads": [
        "lead_id", "email", "first_name", "last_name", "job_title", "account_id", "lead_source", "country",
        "created_at",
    ],
    "activities": ["activity_id", "lead_id", "activity_type", "occurred_at", "detail"],
    "sales_dispositions": ["disposition_id", "lead_id", "disposition", "disposition_at", "reason"],
    "opportunities": [
        "opportunity_id", "lead_id", "account_id", "created_at", "closed_at", "is_won", "amount_usd",
    ],
}

DISPOSITIONS = ("accepted", "qualified", "recycled", "disqualified")
FIT_GRADES = ("A", "B", "C", "D")
ICP_ATTRIBUTES_CATEGORICAL = ("industry", "country", "job_seniority")
ICP_ATTRIBUTES_NUMERIC = ("employee_count", "annual_revenue_usd")
SENIORITIES = ("executive", "vp", "director", "manager", "individual_contributor", "student")
