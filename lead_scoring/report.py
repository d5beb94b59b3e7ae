"""scripts/report.py: a self-contained HTML report of the MQL funnel, with each chart also as PNG.

The HTML embeds its charts as base64 data URIs and its style inline: it opens offline, can be
mailed or attached to a ticket, and needs no CDN. Charts (matplotlib, Agg backend):

- funnel.png            leads per stage, mature cohorts pooled (all cohorts when none is mature)
- cohorts.png           MQLs per cohort month and the MQL -> SQL rate within the window, immature
                        cohorts marked
- score_distribution.png  engagement score now and the highest score each lead reached, with the
                        MQL threshold
- fit_grade_mix.png     leads and MQLs per fit grade
- time_to_sql.png       median days MQL -> SAL and MQL -> SQL per cohort month

Reads the warehouse read-only. Exit 0 written, 2 could not run (missing warehouse or mart).
"""

import argparse
import base64
import html
import json
import math
import os
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import matplotlib
import yaml

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import MaxNLocator, PercentFormatter  # noqa: E402
from rich.console import Console  # noqa: E402

from lead_scoring.contract import DEFAULT_DB, FIT_GRADES, PROJECT_DIR  # noqa: E402
from lead_scoring.errors import EXIT_CANNOT_RUN, EXIT_OK, UserError  # noqa: E402
from lead_scoring.review_charts import charts_html_from_db  # noqa: E402

DEFAULT_OUT = PROJECT_DIR / "out" / "report"
REQUIRED_TABLES = ("dim_leads", "fct_lead_score_history", "fct_funnel_cohorts", "rpt_funnel_rollup")
STAGES = (("MQL", "mqls"), ("SAL", "sals"), ("SQL", "sqls"), ("Opportunity", "opportunities"),
          ("Customer", "customers"))

# One palette for every chart: mature data solid, immature data light and hatched.
BLUE, ORANGE, GREY, RED, GREEN = "#2f6db5", "#e07b28", "#9aa5b1", "#c0392b", "#2e8b57"
LIGHT_BLUE = "#b9cfe9"
GRADE_COLOURS = {"A": "#1b5e20", "B": "#66a35e", "C": "#d9a441", "D": "#b5523b"}

plt.rcParams.update({
    "figure.dpi": 110, "savefig.dpi": 110, "font.size": 11, "axes.titlesize": 13, "axes.titleweight": "bold",
    "axes.labelsize": 11, "axes.spines.top": False, "axes.spines.right": False, "legend.frameon": False,
    "axes.grid": True, "grid.alpha": 0.3, "grid.linestyle": "-",
})


@dataclass
class ReportData:
    """Everything the charts need, read once from the warehouse."""

    scored_as_of: datetime | None
    conversion_window_days: int | None
    months: list[dict]           # rpt_funnel_rollup cohort_month rows, oldest first
    pooled: dict[str, dict]      # rpt_funnel_rollup all_cohorts / mature_cohorts rows
    scores_now: list[float]
    scores_peak: list[float]
    grades: dict[str, tuple[int, int]]  # grade -> (leads, leads that became an MQL)
    leads: int


def _fetch_dicts(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def read_report_data(db_path: Path) -> ReportData:
    if not db_path.is_file():
        raise UserError(f"warehouse not found: {db_path} (build it first: scripts/build.py --db {db_path})")
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            tables = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
            missing = [table for table in REQUIRED_TABLES if table not in tables]
            if missing:
                raise UserError(f"{db_path}: mart {missing[0]} not found (build the warehouse with scripts/build.py)")
            rollup = _fetch_dicts(con, "select * from rpt_funnel_rollup order by period_type, cohort_month")
            scores_now = [row[0] for row in con.execute("select engagement_score from dim_leads").fetchall()]
            scores_peak = [row[0] for row in con.execute(
                "select max(engagement_score_after) from fct_lead_score_history group by lead_id").fetchall()]
            grades = {grade: (leads, mqls) for grade, leads, mqls in con.execute(
                "select fit_grade, count(*), count(first_mql_at) from dim_leads group by fit_grade").fetchall()}
            leads, scored_as_of = con.execute("select count(*), max(scored_as_of) from dim_leads").fetchone()
    except duckdb.Error as exc:
        raise UserError(f"{db_path}: cannot read the marts: {' '.join(str(exc).split())}") from None
    months = [row for row in rollup if row["period_type"] == "cohort_month"]
    pooled = {row["period_type"]: row for row in rollup if row["period_type"] != "cohort_month"}
    window = rollup[0]["conversion_window_days"] if rollup else None
    if scored_as_of is None and rollup:
        scored_as_of = rollup[0]["scored_as_of"]
    return ReportData(scored_as_of, window, months, pooled, scores_now, scores_peak, grades, leads)


# --------------------------------------------------------------------------------------------
# Charts


def _no_data(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, fontsize=13, color=GREY)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)


def _month_axis(ax, months: list[date]) -> None:
    """Cohort months on x: one tick a month (every few months when there are many), YYYY-MM."""
    step = max(1, len(months) // 14 + (1 if len(months) % 14 else 0)) if len(months) > 14 else 1
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=step))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.set_xlim(months[0] - timedelta(days=20), months[-1] + timedelta(days=20))
    for label in ax.get_xticklabels():
        label.set_rotation(45)
        label.set_horizontalalignment("right")


def chart_funnel(data: ReportData):
    fig, ax = plt.subplots(figsize=(9, 4.6))
    mature = data.pooled.get("mature_cohorts") or {}
    row = mature if mature.get("mqls") else data.pooled.get("all_cohorts") or {}
    which = "mature cohorts" if row is mature else "all cohorts (none mature yet)"
    if not row.get("mqls"):
        _no_data(ax, "No MQLs yet")
        ax.set_title("MQL funnel")
        return fig
    labels = [label for label, _ in STAGES]
    values = [row[column] for _, column in STAGES]
    positions = list(range(len(values)))[::-1]
    ax.barh(positions, values, color=[BLUE, BLUE, BLUE, ORANGE, GREEN], height=0.65)
    ax.set_yticks(positions, labels)
    for position, value in zip(positions, values, strict=True):
        share = value / values[0]
        ax.text(value + values[0] * 0.01, position, f"{value:,}  ({share:.0%} of MQLs)", va="center", fontsize=11)
    ax.set_xlim(0, values[0] * 1.35)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("leads (reached the stage at or after their first MQL)")
    ax.set_ylabel("stage")
    ax.grid(axis="y", visible=False)
    span = f"{_fmt_month(row.get('first_cohort_month'))} to {_fmt_month(row.get('last_cohort_month'))}"
    ax.set_title(f"MQL funnel, {which}: MQL cohorts {span}", loc="left")
    fig.tight_layout()
    return fig


def chart_cohorts(data: ReportData):
    fig, ax = plt.subplots(figsize=(10, 5))
    if not data.months:
        _no_data(ax, "No MQL cohorts yet")
        ax.set_title("MQL volume and MQL -> SQL rate by cohort month")
        return fig
    months = [row["cohort_month"] for row in data.months]
    mature = [bool(row["is_mature"]) for row in data.months]
    ax.bar(months, [row["mqls"] for row in data.months], width=22,
           color=[BLUE if flag else LIGHT_BLUE for flag in mature],
           hatch=None, edgecolor=[BLUE if flag else BLUE for flag in mature], linewidth=0.8)
    for bar, flag in zip(ax.patches, mature, strict=True):
        if not flag:
            bar.set_hatch("///")
    ax.set_ylabel("MQLs in the cohort (bars)")
    ax.set_xlabel("MQL cohort month (month of the lead's first MQL, UTC)")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _month_axis(ax, months)
    rate_ax = ax.twinx()
    rate_ax.grid(False)
    rate_ax.spines["right"].set_visible(True)
    rates = [row["mql_to_sql_rate_window"] for row in data.months]
    mature_points = [(m, r) for m, r, f in zip(months, rates, mature, strict=True) if f and r is not None]
    young_points = [(m, r) for m, r, f in zip(months, rates, mature, strict=True) if not f and r is not None]
    if mature_points:
        rate_ax.plot(*zip(*mature_points, strict=True), color=ORANGE, marker="o", linewidth=2.2, zorder=3)
    if young_points:
        bridge = mature_points[-1:] + young_points
        rate_ax.plot(*zip(*bridge, strict=True), color=ORANGE, linestyle=":", linewidth=1.8, zorder=3)
        rate_ax.plot(*zip(*young_points, strict=True), linestyle="none", marker="o", markerfacecolor="white",
                     markeredgecolor=ORANGE, markeredgewidth=2, zorder=4)
    benchmark = (data.pooled.get("mature_cohorts") or {}).get("mql_to_sql_rate_window")
    if benchmark is not None:
        rate_ax.axhline(benchmark, color=ORANGE, linestyle="--", linewidth=1, alpha=0.7)
    top = max([r for r in rates if r is not None] + [benchmark or 0, 0.05])
    rate_ax.set_ylim(0, min(1.0, top * 1.25) if top < 0.8 else 1.0)
    rate_ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    window = data.conversion_window_days
    rate_ax.set_ylabel(f"MQL -> SQL within {window} days (line)")
    if not all(mature):
        first_young = months[mature.index(False)]
        ax.axvspan(first_young - timedelta(days=16), months[-1] + timedelta(days=20), color=GREY, alpha=0.12,
                   zorder=0)
        ax.text(first_young - timedelta(days=12), 1.0, "immature", transform=ax.get_xaxis_transform(),
                va="bottom", ha="left", fontsize=9, color="#52606d")
    legend = [
        Patch(facecolor=BLUE, label="MQLs, mature cohort"),
        Patch(facecolor=LIGHT_BLUE, edgecolor=BLUE, hatch="///", label=f"MQLs, immature (< {window} days to convert)"),
        plt.Line2D([], [], color=ORANGE, marker="o", linewidth=2.2, label="MQL -> SQL rate, mature"),
        plt.Line2D([], [], color=ORANGE, marker="o", markerfacecolor="white", linestyle=":",
                   label="MQL -> SQL rate, immature (still rising)"),
    ]
    if benchmark is not None:
        legend.append(plt.Line2D([], [], color=ORANGE, linestyle="--", label=f"all mature cohorts: {benchmark:.0%}"))
    ax.legend(handles=legend, loc="upper left", fontsize=9, ncol=2, bbox_to_anchor=(0, -0.28))
    ax.set_title("MQL volume and MQL -> SQL conversion by cohort month", loc="left")
    fig.tight_layout()
    return fig


def chart_scores(data: ReportData, threshold: float):
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), sharey=False)
    panels = ((axes[0], data.scores_now, BLUE, f"Score now (as of {_fmt_day(data.scored_as_of)})"),
              (axes[1], data.scores_peak, GREY, "Highest score each lead reached"))
    top = max([*data.scores_now, *data.scores_peak, threshold]) if (data.scores_now or data.scores_peak) else 0
    width = 10 if top <= 300 else max(10, round(top / 30, -1))
    bins = [index * width for index in range(int(top // width) + 2)]
    for ax, scores, colour, title in panels:
        if not scores:
            _no_data(ax, "No scored leads yet")
            ax.set_title(title, loc="left", fontsize=12)
            continue
        ax.hist(scores, bins=bins, color=colour, edgecolor="white")
        ax.axvline(threshold, color=RED, linewidth=2, linestyle="--")
        above = sum(1 for score in scores if score >= threshold - 1e-9)
        ax.text(threshold, ax.get_ylim()[1] * 0.95, f"  MQL threshold {threshold:g}\n  {above:,} leads at or above",
                color=RED, va="top", fontsize=10)
        ax.set_xlabel("engagement score (points)")
        ax.set_ylabel("leads")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(title, loc="left", fontsize=12)
    fig.suptitle("Engagement score distribution", x=0.01, ha="left", fontweight="bold", fontsize=13)
    fig.tight_layout()
    return fig


def chart_fit_grades(data: ReportData):
    fig, ax = plt.subplots(figsize=(9, 4.6))
    if not data.grades:
        _no_data(ax, "No leads yet")
        ax.set_title("Fit grade mix")
        return fig
    grades = [grade for grade in FIT_GRADES if grade in data.grades] + sorted(set(data.grades) - set(FIT_GRADES))
    leads = [data.grades[grade][0] for grade in grades]
    mqls = [data.grades[grade][1] for grade in grades]
    positions = range(len(grades))
    leads_bars = ax.bar([p - 0.2 for p in positions], leads, width=0.4, label="leads",
                        color=[GRADE_COLOURS.get(g, GREY) for g in grades], alpha=0.45)
    mql_bars = ax.bar([p + 0.2 for p in positions], mqls, width=0.4, label="became an MQL",
                      color=[GRADE_COLOURS.get(g, GREY) for g in grades])
    total = sum(leads) or 1
    for bar, value in zip(leads_bars, leads, strict=True):
        ax.annotate(f"{value:,}\n({value / total:.0%})", (bar.get_x() + bar.get_width() / 2, value),
                    ha="center", va="bottom", fontsize=10, xytext=(0, 2), textcoords="offset points")
    for bar, value, base in zip(mql_bars, mqls, leads, strict=True):
        label = f"{value:,}" + (f"\n({value / base:.0%} of grade)" if value else "")
        ax.annotate(label, (bar.get_x() + bar.get_width() / 2, value), ha="center", va="bottom", fontsize=10,
                    xytext=(0, 2), textcoords="offset points")
    ax.set_xticks(list(positions), [f"grade {grade}" for grade in grades])
    ax.set_ylim(0, max(leads) * 1.25 if max(leads) else 1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("ICP fit grade (A 75+, B 50+, C 25+, D below)")
    ax.set_ylabel("leads")
    ax.legend(handles=[Patch(facecolor=GREY, alpha=0.45, label="all leads"),
                       Patch(facecolor=GREY, label="became an MQL")], loc="upper right")
    ax.grid(axis="x", visible=False)
    ax.set_title(f"Fit grade mix of {data.leads:,} leads", loc="left")
    fig.tight_layout()
    return fig


def chart_time_to_sql(data: ReportData):
    fig, ax = plt.subplots(figsize=(10, 4.8))
    rows = [row for row in data.months
            if row["median_days_mql_to_sal"] is not None or row["median_days_mql_to_sql"] is not None]
    if not rows:
        _no_data(ax, "No lead has reached SAL or SQL after its MQL yet")
        ax.set_title("Time from MQL to SAL and SQL")
        return fig
    months = [row["cohort_month"] for row in data.months]
    for column, colour, label in (("median_days_mql_to_sal", BLUE, "MQL -> SAL"),
                                  ("median_days_mql_to_sql", ORANGE, "MQL -> SQL")):
        for mature, style in ((True, {}), (False, {"markerfacecolor": "white", "linestyle": ":"})):
            # One point per cohort month, NaN where there is none: the line breaks at gaps
            # instead of bridging months without data.
            values = [row[column] if row[column] is not None and bool(row["is_mature"]) == mature else math.nan
                      for row in data.months]
            if not all(math.isnan(value) for value in values):
                ax.plot(months, values, marker="o", color=colour, linewidth=2, markeredgewidth=2,
                        label=f"{label}{'' if mature else ' (immature cohort)'}", **style)
        pooled = (data.pooled.get("mature_cohorts") or {}).get(column)
        if pooled is not None:
            ax.axhline(pooled, color=colour, linestyle="--", linewidth=1, alpha=0.6,
                       label=f"{label}, all mature cohorts: {pooled:.1f} days")
    ax.set_ylim(bottom=0)
    ax.set_ylabel("median days after first MQL")
    ax.set_xlabel("MQL cohort month")
    _month_axis(ax, months)
    ax.legend(loc="upper left", fontsize=9, ncol=3, bbox_to_anchor=(0, -0.3))
    ax.set_title("Median time from MQL to SAL and to SQL by cohort month", loc="left")
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------------------------
# HTML


def _fmt_month(value: Any) -> str:
    return value.strftime("%Y-%m") if isinstance(value, date) else "-"


def _fmt_day(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if isinstance(value, datetime) else "-"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _days(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


STYLE = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 1100px;
       color: #1f2933; line-height: 1.45; padding: 0 1rem; }
h1 { margin-bottom: 0.2rem; } .meta { color: #52606d; margin-top: 0; }
.kpis { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1.5rem 0; }
.kpi { border: 1px solid #d9e2ec; border-radius: 8px; padding: 0.7rem 1rem; min-width: 150px; }
.kpi .v { font-size: 1.6rem; font-weight: 600; } .kpi .l { color: #52606d; font-size: 0.85rem; }
figure { margin: 2rem 0; } figure img { max-width: 100%; border: 1px solid #eef2f6; }
figcaption { color: #52606d; font-size: 0.9rem; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 1rem 0; }
th, td { border-bottom: 1px solid #e4e7eb; padding: 0.3rem 0.6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; } tr.immature td { color: #7b8794; font-style: italic; }
.pass { color: #2e7d32; font-weight: 600; } .fail { color: #c0392b; font-weight: 600; }
.skip { color: #b7791f; } .footer { color: #7b8794; font-size: 0.8rem; margin-top: 3rem; }
"""

CAPTIONS = {
    "funnel": "Leads that reached each stage at or after their first MQL. Mature cohorts only, so every lead "
              "had the full conversion window.",
    "cohorts": "Bars: leads whose first MQL fell in the month. Line: share of them that became an SQL within the "
               "conversion window. Hatched bars, hollow points and the grey band: immature cohorts whose window "
               "has not elapsed; their rate is still rising and must not be compared with mature ones.",
    "score_distribution": "Left: each lead's engagement score at the scoring time (it decays). Right: the highest "
                          "score each lead ever reached. The red line is the MQL threshold; only ICP-fit leads "
                          "above it become MQLs.",
    "fit_grade_mix": "All leads and those that became an MQL, by ICP fit grade. Only the grades in mql_fit_grades "
                     "(default A and B) can become MQLs.",
    "time_to_sql": "Median days from a lead's first MQL to sales acceptance and qualification, over the leads that "
                   "got there. Immature cohorts (hollow) still miss their slowest leads.",
}


def _check_section(checks: dict | None) -> str:
    if not checks:
        return ""
    rows = []
    for result in checks.get("results", []):
        rows.append(
            f"<tr><td>{html.escape(result['check'])}</td><td>{html.escape(result['metric'])}</td>"
            f"<td>{html.escape(result['segment'])}</td><td>{html.escape(str(result['cohort']))}</td>"
            f"<td>{_pct(result.get('value'))}</td><td>{_pct(result.get('baseline'))}</td>"
            f"<td>{'' if result.get('n') is None else result['n']}</td>"
            f"<td class='{html.escape(result['status'])}'>{html.escape(result['status'].upper())}</td>"
            f"<td style='text-align:left'>{html.escape(result['message'])}</td></tr>")
    status = checks.get("status", "?")
    summary = (f"<p class='{html.escape(status)}'>{html.escape(status.upper())}: "
               f"{html.escape(checks.get('error', ''))}</p>" if status == "error" else "")
    return ("<h2>Metric checks</h2>" + summary +
            "<table><tr><th>check</th><th>metric</th><th>segment</th><th>cohort</th><th>value</th>"
            "<th>baseline</th><th>n</th><th>status</th><th>detail</th></tr>" + "".join(rows) + "</table>")


def _cohort_table(data: ReportData) -> str:
    header = ("<tr><th>cohort</th><th>MQLs</th><th>SALs</th><th>SQLs</th><th>opps</th><th>customers</th>"
              "<th>MQL→SAL</th><th>MQL→SQL</th><th>MQL→SQL in window</th><th>median days to SQL</th>"
              "<th>mature</th></tr>")
    rows = []
    for row in [*data.months, *[data.pooled[key] for key in ("mature_cohorts", "all_cohorts") if key in data.pooled]]:
        label = _fmt_month(row["cohort_month"]) if row["period_type"] == "cohort_month" else row["period_type"]
        css = "" if row["is_mature"] else " class='immature'"
        rows.append(
            f"<tr{css}><td>{html.escape(label.replace('_', ' '))}</td><td>{row['mqls']:,}</td><td>{row['sals']:,}</td>"
            f"<td>{row['sqls']:,}</td><td>{row['opportunities']:,}</td><td>{row['customers']:,}</td>"
            f"<td>{_pct(row['mql_to_sal_rate'])}</td><td>{_pct(row['mql_to_sql_rate'])}</td>"
            f"<td>{_pct(row['mql_to_sql_rate_window'])}</td><td>{_days(row['median_days_mql_to_sql'])}</td>"
            f"<td>{'yes' if row['is_mature'] else 'no'}</td></tr>")
    return "<h2>Cohorts</h2><table>" + header + "".join(rows) + "</table>"


def render_html(data: ReportData, images: dict[str, bytes], checks: dict | None, db_path: Path,
                review_html: str = "") -> str:
    mature = data.pooled.get("mature_cohorts") or {}
    every = data.pooled.get("all_cohorts") or {}
    kpis = [
        (f"{data.leads:,}", "leads"),
        (f"{every.get('mqls', 0):,}", "MQLs (all cohorts)"),
        (_pct(mature.get("mql_to_sql_rate_window")), f"MQL → SQL within {data.conversion_window_days} days, "
                                                     "mature cohorts"),
        (_days(mature.get("median_days_mql_to_sql")), "median days MQL → SQL, mature cohorts"),
        (_pct(mature.get("mql_to_sal_rate")), "MQL → SAL, mature cohorts"),
    ]
    kpi_html = "".join(f"<div class='kpi'><div class='v'>{html.escape(value)}</div>"
                       f"<div class='l'>{html.escape(label)}</div></div>" for value, label in kpis)
    figures = "".join(
        f"<figure><img alt='{html.escape(name.replace('_', ' '))} chart' "
        f"src='data:image/png;base64,{base64.b64encode(png).decode()}'>"
        f"<figcaption>{html.escape(CAPTIONS[name])}</figcaption></figure>"
        for name, png in images.items())
    generated = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>MQL funnel report, {html.escape(_fmt_day(data.scored_as_of))}</title>"
        f"<style>{STYLE}</style></head><body>"
        "<h1>MQL funnel report</h1>"
        f"<p class='meta'>Scored as of {html.escape(_fmt_day(data.scored_as_of))} · conversion window "
        f"{data.conversion_window_days} days · warehouse {html.escape(str(db_path))}</p>"
        f"<div class='kpis'>{kpi_html}</div>"
        f"{_check_section(checks)}{figures}{_cohort_table(data)}{review_html}"
        "<p class='footer'>Definitions: docs/metrics.md. Cohort = UTC month of a lead's first MQL; a cohort is mature "
        "once its month end plus the conversion window has passed. Generated "
        f"{html.escape(generated)} by scripts/report.py.</p></body></html>\n")


# --------------------------------------------------------------------------------------------
# Entry point


def default_threshold() -> float:
    configured = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
    return float(configured["mql_threshold"])


def write_report(db_path: Path, out_dir: Path, threshold: float, checks_json: Path | None = None) -> Path:
    """Render every chart (PNG) and the HTML into out_dir; returns the HTML's path."""
    data = read_report_data(db_path)
    checks = None
    if checks_json is not None:
        try:
            checks = json.loads(checks_json.read_text())
        except (OSError, ValueError) as exc:
            raise UserError(f"--checks-json {checks_json}: cannot read it ({exc})") from None
    out_dir.mkdir(parents=True, exist_ok=True)
    charts = {
        "funnel": chart_funnel(data),
        "cohorts": chart_cohorts(data),
        "score_distribution": chart_scores(data, threshold),
        "fit_grade_mix": chart_fit_grades(data),
        "time_to_sql": chart_time_to_sql(data),
    }
    images = {}
    for name, figure in charts.items():
        path = out_dir / f"{name}.png"
        figure.savefig(path, bbox_inches="tight", facecolor="white")
        plt.close(figure)
        images[name] = path.read_bytes()
    try:
        review_charts = charts_html_from_db(db_path)
    except duckdb.CatalogException:
        review_charts = "<p>This warehouse has no review marts (rpt_activity_lift, rpt_threshold_backtest).</p>"
    review_html = ("<h2>MQL criteria review</h2><p>Which activities signal intent, and what other MQL thresholds "
                   "would have given on the same history. Recommendations: scripts/review_criteria.py "
                   "(docs/mql_review.md).</p>" + review_charts)
    report = out_dir / "report.html"
    report.write_text(render_html(data, images, checks, db_path, review_html), encoding="utf-8")
    return report


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/report.py",
        description="Write a self-contained HTML report of the MQL funnel (charts embedded; also saved as PNG).",
    )
    default_db = Path(os.environ.get("LEAD_SCORING_DB", DEFAULT_DB))
    parser.add_argument("--db", type=Path, default=default_db, help="DuckDB warehouse, opened read-only")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder for report.html and the PNGs (default out/report)")
    parser.add_argument("--mql-threshold", type=float, default=None,
                        help="threshold line on the score chart (default: mql_threshold in dbt_project.yml)")
    parser.add_argument("--checks-json", type=Path, default=None,
                        help="results of scripts/check_metrics.py --json to show in the report")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    console = Console()
    try:
        args = parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    started = time.monotonic()
    try:
        threshold = args.mql_threshold if args.mql_threshold is not None else default_threshold()
        report = write_report(args.db, args.out, threshold, args.checks_json)
    except UserError as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True, highlight=False)
        return exc.exit_code
    except OSError as exc:
        console.print(f"[red]error:[/red] cannot write the report to {args.out}: {exc.strerror}", highlight=False)
        return EXIT_CANNOT_RUN
    console.print(f"report written to {report} ({time.monotonic() - started:.1f}s)", soft_wrap=True,
                  highlight=False)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
