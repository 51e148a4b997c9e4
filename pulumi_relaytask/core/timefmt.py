"""RFC 3339 times as the three clouds write them: UTC, second precision, `Z` suffix."""

from __future__ import annotations

import re
from datetime import UTC, datetime

UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# RFC 3339 date-time, ASCII digits only (a fraction of a second is allowed and dropped).
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)


def parse_rfc3339(value: str) -> datetime:
    """Parse `2026-11-22T10:00:00Z` or `2026-11-22T10:00:00+08:00` into an aware UTC datetime.

    A fraction of a second is dropped (the clouds take whole seconds). Raises ValueError for anything
    else: no date-only or zone-less times, nothing whose UTC form falls outside the years 1 to 9999.
    """
    if not isinstance(value, str) or _RFC3339.fullmatch(value) is None:
        raise ValueError(f"not an RFC 3339 time: {value!r}")
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    whole, _, rest = text.partition(".")
    text = whole + rest.lstrip("0123456789") if rest else text
    try:
        return datetime.fromisoformat(text).astimezone(UTC)
    except OverflowError:
        raise ValueError(f"outside the years 1 to 9999 in UTC: {value!r}") from None


def format_utc(when: datetime) -> str:
    """Format an aware datetime in the `2006-01-02T15:04:05Z` form every API answers with."""
    if when.tzinfo is None:
        raise ValueError("format_utc needs a timezone-aware datetime")
    utc = when.astimezone(UTC)
    return f"{utc.year:04d}-" + utc.strftime(UTC_FORMAT[3:])  # strftime writes year 1 as "1", not "0001"


def normalize(value: str) -> str:
    """The canonical form of an RFC 3339 time, so equal instants compare equal as strings."""
    return format_utc(parse_rfc3339(value))
