"""Data larger than memory: DuckDB spills to LEAD_SCORING_TEMP_DIRECTORY; when it cannot, the build
stops with one line naming the settings to change, and the published file is left as it was.
(That a 1 GB memory limit survives 10M activities by spilling is shown by scripts/benchmark.py
--spill-check, docs/benchmarks.md: too slow for make test.)"""

import duckdb
from conftest import run_script

AS_OF = "2026-10-31T23:59:59Z"


def test_no_room_to_spill_names_the_settings(tmp_path):
    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:  # a published warehouse the failed build must not touch
        con.execute("create table dim_leads as select 'l1' as lead_id")
    result = run_script("build.py", "--db", str(db), "--as-of", AS_OF, "--skip-tests", "--quiet", "--full-refresh",
                        env={"LEAD_SCORING_MEMORY_LIMIT": "12MB", "LEAD_SCORING_TEMP_DIRECTORY": "/dev/null/spill"})
    assert result.returncode == 2, result.stdout + result.stderr
    last_line = result.stdout.strip().splitlines()[-1]
    assert last_line.startswith("error: DuckDB ran out of memory and could not spill")
    assert "LEAD_SCORING_TEMP_DIRECTORY" in last_line and "LEAD_SCORING_MEMORY_LIMIT (now 12MB)" in last_line
    assert "Traceback" not in result.stdout + result.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select lead_id from dim_leads").fetchall() == [("l1",)]
