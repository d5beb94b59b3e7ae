"""Charts of the MQL criteria review (docs/mql_review.md), for the HTML report and review folders.

- `lift_figure`: lift of every activity type with its 95% interval (log scale, 1 = no signal).
- `threshold_figure`: precision, recall and F1 (left axis) and MQLs per month (right axis) against
  the MQL threshold, the current and the recommended thresholds marked.
- `save_charts` writes both as PNGs; `charts_html` returns an HTML fragment with both embedded as
  base64 data URIs (no files needed), and `charts_html_from_db` reads the marts itself.

Rows are dicts with the columns of rpt_activity_lift / rpt_threshold_backtest. Figures are built
on matplotlib's object API with the Agg canvas: no pyplot state, no display needed.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

SIGNAL_FOR = "#1b7837"
SIGNAL_AGAINST = "#b2182b"
NO_SIGNAL = "#8c8c8c"


def lift_figure(lift_rows: list[dict]) -> Figure:
    """Horizontal interval plot: one row per activity type with a lift interval, highest lift on top."""
    rows = [r for r in lift_rows if r.get("lift_lower") is not None and r.get("lift_upper") is not None]
    rows.sort(key=lambda r: _lift_for_order(r))
    fig = Figure(figsize=(8, max(2.5, 0.38 * len(rows) + 1.4)), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if not rows:
        ax.text(0.5, 0.5, "no activity has a measurable lift yet", ha="center", va="center")
        ax.set_axis_off()
        return fig
    for y, row in enumerate(rows):
        lower, upper = row["lift_lower"], row["lift_upper"]
        color = SIGNAL_FOR if lower > 1 else SIGNAL_AGAINST if upper < 1 else NO_SIGNAL
        ax.plot([lower, upper], [y, y], color=color, linewidth=2.5, solid_capstyle="butt")
        point = row.get("lift")
        if point is not None and point > 0:
            ax.plot(point, y, "o", color=color, markersize=6)
        label = f"n={row.get('exposed_lead_count', 0)}"
        ax.annotate(label, (upper, y), xytext=(4, 0), textcoords="offset points", va="center", fontsize=7,
                    color="#555555")
    ax.axvline(1.0, color="#333333", linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    ax.set_yticks(range(len(rows)), [_type_label(r) for r in rows])
    ax.set_xlabel("lift: SQL rate of leads who did it / of leads who did not (95% interval, log scale)")
    ax.set_title("Which activities signal buying intent", loc="left")
    ax.grid(axis="x", which="both", alpha=0.25)
    return fig


def _lift_for_order(row: dict) -> float:
    if row.get("lift") is not None:
        return row["lift"]
    return (row["lift_lower"] * row["lift_upper"]) ** 0.5


def _type_label(row: dict) -> str:
    points = row.get("points")
    if points is None:
        return f"{row['activity_type']} (not scored)"
    return f"{row['activity_type']} ({points:+g})"


def threshold_figure(backtest_rows: list[dict], current: float, recommended: float | None = None,
                     proposed_rows: list[dict] | None = None) -> Figure:
    """Precision / recall / F1 and MQLs per month against the threshold; proposed_rows (the same
    measures under proposed points) are drawn dashed when given."""
    fig = Figure(figsize=(8, 5.0 if proposed_rows else 4.6), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    volume_ax = ax.twinx()
    series = [("current points", backtest_rows, "-")]
    if proposed_rows:
        series.append(("proposed points", proposed_rows, "--"))
    for label, rows, style in series:
        rows = sorted(rows, key=lambda r: r["mql_threshold"])
        x = [r["mql_threshold"] for r in rows]
        for measure, color in (("precision_rate", "#2166ac"), ("recall_rate", "#d6604d"), ("f1_score", "#4d4d4d")):
            name = {"precision_rate": "precision", "recall_rate": "recall", "f1_score": "F1"}[measure]
            ax.plot(x, [_nan(r[measure]) for r in rows], style, color=color, linewidth=1.8,
                    label=f"{name} ({label})")
        volume_ax.plot(x, [_nan(r["mqls_per_month"]) for r in rows], style, color="#9970ab", linewidth=1.2,
                       alpha=0.8, label=f"MQLs per month ({label})")
    ax.axvline(current, color="#000000", linewidth=1.2)
    ax.annotate(f"current {current:g}", (current, 1.0), xytext=(3, -10), textcoords="offset points", fontsize=8)
    if recommended is not None and recommended != current:
        ax.axvline(recommended, color="#1b7837", linewidth=1.2, linestyle=":")
        ax.annotate(f"recommended {recommended:g}", (recommended, 0.92), xytext=(3, -10),
                    textcoords="offset points", fontsize=8, color="#1b7837")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("MQL threshold (engagement score)")
    ax.set_ylabel("precision / recall / F1")
    volume_ax.set_ylabel("MQLs per month")
    volume_ax.set_ylim(bottom=0)
    handles, labels = ax.get_legend_handles_labels()
    more_handles, more_labels = volume_ax.get_legend_handles_labels()
    fig.legend(handles + more_handles, labels + more_labels, fontsize=7, loc="outside lower center",
               ncol=3 if proposed_rows else 4)
    ax.set_title("What each MQL threshold would have given (evaluated period)", loc="left")
    ax.grid(alpha=0.25)
    return fig


def _nan(value):
    return float("nan") if value is None else value


def png_bytes(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def save_charts(out_dir: Path, lift_rows: list[dict], backtest_rows: list[dict], current: float,
                recommended: float | None = None, proposed_rows: list[dict] | None = None) -> dict[str, Path]:
    """Write activity_lift.png and threshold_backtest.png into out_dir; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"lift_chart": out_dir / "activity_lift.png", "threshold_chart": out_dir / "threshold_backtest.png"}
    paths["lift_chart"].write_bytes(png_bytes(lift_figure(lift_rows)))
    paths["threshold_chart"].write_bytes(
        png_bytes(threshold_figure(backtest_rows, current, recommended, proposed_rows)))
    return paths


def charts_html(lift_rows: list[dict], backtest_rows: list[dict], current: float,
                recommended: float | None = None, proposed_rows: list[dict] | None = None) -> str:
    """An HTML fragment (a <section>) with both charts embedded as base64 PNG data URIs."""
    figures = [
        (lift_figure(lift_rows), "Activity lift with 95% intervals",
         "Lift = SQL-within-window rate of ICP-fit leads who did the activity before their MQL, divided by "
         "that of leads who did not. Green: a signal for intent; red: against; grey: not distinguishable "
         "from no effect."),
        (threshold_figure(backtest_rows, current, recommended, proposed_rows), "MQL threshold backtest",
         "Precision, recall and F1 (left) and MQLs per month (right) had the MQL threshold been each value, "
         "on the same history. Solid line: current threshold; dotted: recommended."),
    ]
    parts = ['<section class="mql-review-charts">']
    for fig, title, caption in figures:
        encoded = base64.b64encode(png_bytes(fig)).decode("ascii")
        parts.append(
            f'<figure><img src="data:image/png;base64,{encoded}" alt="{html.escape(title)}" '
            f'style="max-width:100%"><figcaption><strong>{html.escape(title)}.</strong> '
            f"{html.escape(caption)}</figcaption></figure>")
    parts.append("</section>")
    return "\n".join(parts)


def charts_html_from_db(db_path: Path, recommended: float | None = None) -> str:
    """charts_html for a built warehouse (reads rpt_activity_lift and rpt_threshold_backtest read-only)."""
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        lift_rows = _rows(con, "select * from rpt_activity_lift order by activity_type")
        backtest_rows = _rows(con, "select * from rpt_threshold_backtest order by mql_threshold")
    finally:
        con.close()
    current = next((r["mql_threshold"] for r in backtest_rows if r["is_current_threshold"]), None)
    if current is None:
        return '<section class="mql-review-charts"><p>No threshold backtest in this warehouse.</p></section>'
    return charts_html(lift_rows, backtest_rows, current, recommended)


def _rows(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
