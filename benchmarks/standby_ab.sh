#!/bin/bash
# A/B of one incremental build with the page cache dropped before it (docs/decisions.md, "The standby
# copy"): A copies the published file at the start of the build (LEAD_SCORING_STANDBY=off), B starts
# from a standby copy made beforehand. Alternates A and B, ROUNDS times; prints each build's wall
# time and dbt's elapsed time. Needs root (it writes /proc/sys/vm/drop_caches).
#
#   benchmarks/standby_ab.sh RAW_DIR BASE_DB AS_OF [ROUNDS]
#
# BASE_DB is a published warehouse built from RAW_DIR at an earlier as_of (left as it is: each build
# runs on a copy of it, <BASE_DB>.ab.duckdb). Example, after `scripts/benchmark.py --sizes L`:
#   cp out/benchmark/L.duckdb out/L-base.duckdb   # (a full build at 2026-10-30T23:59:59Z)
#   benchmarks/standby_ab.sh out/benchmark/raw-L out/L-base.duckdb 2026-10-31T23:59:59Z 2
set -euo pipefail
raw=$1 base=$2 as_of=$3 rounds=${4:-2}
cd "$(dirname "$0")/.."
python=.venv/bin/python
db="${base%.duckdb}.ab.duckdb"
run() {
  local label=$1
  "$python" -c "import sys; from pathlib import Path; from lead_scoring.standby import wait_for_standby, discard_standby; db = Path(sys.argv[1]).resolve(); wait_for_standby(db); discard_standby(db)" "$db"
  cp "$base" "$db"
  if [ "$label" = B ]; then "$python" -m lead_scoring.standby "$db"; fi
  sync
  echo 3 > /proc/sys/vm/drop_caches
  sleep 2
  local standby=on
  if [ "$label" = A ]; then standby=off; fi
  local started ended
  started=$(date +%s.%N)
  LEAD_SCORING_STANDBY=$standby "$python" scripts/build.py --raw-dir "$raw" --db "$db" --as-of "$as_of" --quiet \
    --skip-tests > /dev/null
  ended=$(date +%s.%N)
  "$python" - "$db" "$label" "$started" "$ended" <<'PY'
import json, sys
from pathlib import Path
from lead_scoring.build import run_path
db, label, started, ended = Path(sys.argv[1]).resolve(), sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
elapsed = json.loads((run_path(db) / "run_results.json").read_text())["elapsed_time"]
what = "copy at start" if label == "A" else "standby copy"
print(f"{label} ({what}): wall {ended - started:.1f} s, dbt elapsed {elapsed:.1f} s")
PY
}
for _ in $(seq "$rounds"); do run A; run B; done
