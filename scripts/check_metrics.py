"""Check the funnel's conversion rates against config/metric_checks.yml. See `--help` and docs/metrics.md."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lead_scoring.metrics import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
