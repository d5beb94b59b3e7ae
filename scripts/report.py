"""Write the HTML funnel report (charts embedded, PNGs beside it). See `--help`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lead_scoring.report import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
