"""Quarterly MQL criteria review: points per activity and a threshold from the warehouse's history.

See `python scripts/review_criteria.py --help` and docs/mql_review.md.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lead_scoring.review import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
