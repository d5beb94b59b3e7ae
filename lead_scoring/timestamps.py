"""ISO-8601 timestamps as the project accepts them (docs/decisions.md), normalised to UTC."""

import re
from datetime import UTC, datetime, timedelta

from lead_scoring.errors import UserError

# Same grammar as the dbt macro iso_timestamp_pattern().
ISO_PATTERN = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}(?::?\d{2})?)?)?$"
)


def parse_utc(text: str) -> datetime | None:
    """The naive UTC datetime an ISO-8601 text stands for, or None when it is not one."""
    match = ISO_PATTERN.match(text.strip())
    if not match:
        return None
    date_part, time_part, offset = match.groups()
    time_part = time_part or "00:00:00"
    if len(time_part) == 5:
        time_part += ":00"
    seconds, _, fraction = time_part.partition(".")
    try:
        value = datetime.fromisoformat(f"{date_part}T{seconds}")
    except ValueError:
        return None
    if fraction:
        value += timedelta(microseconds=int(fraction[:6].ljust(6, "0")))
    if offset and offset != "Z":
        digits = offset[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
        value -= timedelta(minutes=minutes if offset[0] == "+" else -minutes)
    return value


def normalise_as_of(text: str) -> str:
    """--as-of as the UTC text the dbt var as_of takes; a one-line error when unparseable."""
    value = parse_utc(text)
    if value is None:
        raise UserError(f"--as-of '{text}' is not an ISO-8601 timestamp (e.g. 2026-06-30T00:00:00Z)")
    return value.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
