"""Build, check the funnel metrics and write the report: the entry point for cron and orchestrators.

See `--help` and docs/scheduling.md.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lead_scoring.schedule import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
