"""Build the lead-scoring warehouse. See `python scripts/build.py --help` and the README."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lead_scoring.build import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
