"""The end-of-build summary: leads, grades, MQLs, stages, quarantine, reconciliation."""

import json
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

STAGES = ("lead", "mql", "sal", "sql", "opportunity", "customer", "recycled", "disqualified")


def collect_summary(db_path: Path) -> dict:
    """Figures from the built marts, as plain data (also written beside the DuckDB file)."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        def scalar(sql: str):
            return con.execute(sql).fetchone()[0]

        summary = {
            "scored_as_of": str(scalar("select max(scored_as_of) from dim_leads")),
            "leads": scalar("select count(*) from dim_leads"),
            "excluded_leads": scalar("select count(*) from dim_leads where is_excluded"),
            "icp_fit_leads": scalar("select count(*) from dim_leads where is_icp_fit"),
            "mql_leads": scalar("select count(*) from dim_leads where mql_count > 0"),
            "mql_events": scalar("select coalesce(sum(mql_count), 0) from dim_leads"),
            "scored_activities": scalar("select count(*) from fct_lead_score_history"),
            "fit_grades": dict(con.execute(
                "select fit_grade, count(*) from dim_leads group by 1 order by 1").fetchall()),
            "lifecycle_stages": dict(con.execute(
                "select lifecycle_stage, count(*) from dim_leads group by 1").fetchall()),
            "reached": {
                stage: scalar(f"select count({stage}_at) from dim_leads")
                for stage in ("sal", "sql", "opportunity", "customer")
            },
            "quarantine": [
                {"source_table": table, "reason": reason, "rows": rows}
                for table, reason, rows in con.execute(
                    "select source_table, quarantine_reason, count(*) from rpt_quarantined_rows "
                    "group by 1, 2 order by 1, 2").fetchall()
            ],
            "reconciliation": [
                dict(zip(("source_table", "raw_rows", "exact_duplicate_rows", "used_rows", "quarantined_rows",
                          "is_reconciled"), row, strict=True))
                for row in con.execute(
                    "select source_table, raw_rows, exact_duplicate_rows, used_rows, quarantined_rows, "
                    "is_reconciled from rpt_row_reconciliation order by source_table").fetchall()
            ],
        }
    summary["lifecycle_stages"] = {stage: summary["lifecycle_stages"].get(stage, 0) for stage in STAGES}
    return summary


def print_summary(db_path: Path, console: Console, quiet: bool = False) -> dict:
    summary = collect_summary(db_path)
    db_path.with_suffix(".summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
    if quiet:
        return summary
    leads = Table(title=f"Leads scored as of {summary['scored_as_of']}")
    leads.add_column("leads")
    leads.add_column("count", justify="right")
    for label, value in (("in dim_leads", summary["leads"]), ("ICP fit", summary["icp_fit_leads"]),
                         ("excluded", summary["excluded_leads"]), ("became MQL", summary["mql_leads"]),
                         ("MQL events", summary["mql_events"]),
                         *((f"reached {stage}", n) for stage, n in summary["reached"].items())):
        leads.add_row(label, str(value))
    breakdown = Table(title="Fit grade and current stage")
    for column in ("fit grade", "leads", "current stage", "leads"):
        breakdown.add_column(column, justify="right")
    grades = list(summary["fit_grades"].items())
    stages = list(summary["lifecycle_stages"].items())
    for index in range(max(len(grades), len(stages))):
        grade, grade_count = grades[index] if index < len(grades) else ("", "")
        stage, stage_count = stages[index] if index < len(stages) else ("", "")
        breakdown.add_row(str(grade), str(grade_count), stage, str(stage_count))
    console.print(leads)
    console.print(breakdown)
    reconciliation = Table(title="Raw rows: used + quarantined + exact duplicates")
    for column in ("table", "raw", "used", "quarantined", "duplicates", "reconciled"):
        reconciliation.add_column(column, justify="right")
    for row in summary["reconciliation"]:
        reconciliation.add_row(row["source_table"], str(row["raw_rows"]), str(row["used_rows"]),
                               str(row["quarantined_rows"]), str(row["exact_duplicate_rows"]),
                               "yes" if row["is_reconciled"] else "[red]NO[/red]")
    console.print(reconciliation)
    if summary["quarantine"]:
        reasons = ", ".join(f"{q['source_table']}.{q['reason']}={q['rows']}" for q in summary["quarantine"])
        console.print(f"quarantined: {reasons} (see rpt_quarantined_rows)", soft_wrap=True)
    return summary
