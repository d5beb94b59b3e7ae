"""scripts/report.py: a self-contained HTML report (charts embedded) plus one PNG per chart."""

import base64
import re
import struct
from pathlib import Path

import duckdb
import pytest
from conftest import run_script
from funnel_warehouses import base_warehouse

CHARTS = ("funnel", "cohorts", "score_distribution", "fit_grade_mix", "time_to_sql")
MARTS = ("dim_leads", "fct_lead_score_history", "fct_funnel_cohorts", "rpt_funnel_rollup")


@pytest.fixture(scope="session")
def base(tmp_path_factory):
    warehouse = base_warehouse(tmp_path_factory)
    assert warehouse.run.returncode == 0, warehouse.output
    return warehouse


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def assert_self_contained(html: str) -> None:
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*['"]?(https?:)?//""", html, re.IGNORECASE), "external resource"
    assert "@import" not in html and "url(" not in html


def test_scheduled_run_wrote_the_report_with_every_chart(base):
    report = base.out / "report" / "report.html"
    html = report.read_text()
    assert_self_contained(html)
    embedded = re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", html)
    assert len(embedded) == len(CHARTS)
    for name, data in zip(CHARTS, embedded, strict=True):
        png = (base.out / "report" / f"{name}.png").read_bytes()
        assert base64.b64decode(data) == png, name
        width, height = png_size(png)
        assert width >= 900 and height >= 450, (name, width, height)
    assert "Metric checks" in html and "mql_to_sql_window_drop" in html
    assert "2026-11-01 00:00 UTC" in html  # scored as of
    assert "mature cohorts" in html


def test_report_script_prints_its_path(base, tmp_path):
    result = run_script("report.py", "--db", str(base.db), "--out", str(tmp_path / "r"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"report written to {tmp_path / 'r' / 'report.html'}" in " ".join(result.stdout.split())
    for name in CHARTS:
        assert (tmp_path / "r" / f"{name}.png").stat().st_size > 10_000
    assert "Metric checks" not in (tmp_path / "r" / "report.html").read_text()  # no --checks-json given


def empty_copy(source: Path, target: Path) -> Path:
    """A warehouse with the marts' columns and no rows: a build before any lead arrived."""
    with duckdb.connect(str(target)) as con:
        con.execute(f"attach '{source}' as built (read_only)")
        for mart in MARTS:
            con.execute(f"create table {mart} as select * from built.{mart} limit 0")
    return target


def test_report_renders_an_empty_warehouse(base, tmp_path):
    db = empty_copy(base.db, tmp_path / "empty.duckdb")
    result = run_script("report.py", "--db", str(db), "--out", str(tmp_path / "r"))
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "r" / "report.html").read_text()
    assert_self_contained(html)
    assert html.count("data:image/png;base64,") == len(CHARTS)


def test_missing_warehouse_is_one_line(tmp_path):
    result = run_script("report.py", "--db", str(tmp_path / "nope.duckdb"), "--out", str(tmp_path / "r"))
    output = result.stdout + result.stderr
    assert result.returncode == 2 and "Traceback" not in output
    assert [line for line in output.splitlines() if line.startswith("error:")] == [
        line for line in output.splitlines() if "warehouse not found" in line]


def test_missing_mart_is_one_line(base, tmp_path):
    db = tmp_path / "partial.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(f"attach '{base.db}' as built (read_only)")
        con.execute("create table dim_leads as select * from built.dim_leads")
    result = run_script("report.py", "--db", str(db), "--out", str(tmp_path / "r"))
    assert result.returncode == 2, result.stdout
    assert "mart fct_lead_score_history not found" in " ".join(result.stdout.split())
