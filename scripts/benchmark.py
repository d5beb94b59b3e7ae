"""Benchmark the build at several sizes; see `python scripts/benchmark.py --help` and docs/benchmarks.md."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lead_scoring.benchmark import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
