"""RFC 3339 times as the three clouds write them: UTC, second precision, `Z` suffix."""

from __future__ import annotations

from datetime import UTC, datetime

UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def parse_rfc3339(value: str) -> datetime:
    """Parse `2026-11-22T10:00:00Z` or `2026-11-22T10:00:00+08:00` into an aware UTC datetime.

    Raises ValueError for anything else (no date-only, no naive times, no fractional-free garbage).
    """
    if not isinstance(value, str) or "T" not in value:
        raise ValueError(f"not an RFC 3339 time: {value!r}")
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError(f"RFC 3339 time without a zone: {value!r}")
    return parsed.astimezone(UTC).replace(microsecond=0)


def format_utc(when: datetime) -> str:
    """Format an aware datetime in the `2006-01-02T15:04:05Z` form every API answers with."""
    if when.tzinfo is None:
        raise ValueError("format_utc needs a timezone-aware datetime")
    return when.astimezone(UTC).strftime(UTC_FORMAT)


def normalize(value: str) -> str:
    """The canonical form of an RFC 3339 time, so equal instants compare equal as strings."""
    return format_utc(parse_rfc3339(value))
