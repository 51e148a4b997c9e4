"""When a plan interrupts a push: is the task pushing (or about to), and what a preview must say.

A replacement deletes the old task before its successor is created (a destination serves one task),
so the destination gets no stream in between; some in-place changes restart the push too (Alibaba's
Stop → Update → Restart, a playlist switched at once). `pulumi preview` warns whenever that happens to
a task that is pushing, or will be by the time the plan is applied (`SOON`), and only then.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from . import timefmt

SOON = timedelta(minutes=10)
"""How far ahead a preview looks: a plan is often applied minutes after it was shown."""


def on_schedule(old: Mapping[str, Any], now: datetime) -> bool:
    """Whether an enabled task's window holds now, or opens within `SOON`. A task whose times cannot be
    read counts as running: a warning too many beats a silent outage."""
    if old.get("status") == "pause":
        return False
    try:
        end = timefmt.parse_rfc3339(str(old["end_time"]))
        start = timefmt.parse_rfc3339(str(old["start_time"])) if old.get("start_time") else now
    except (KeyError, ValueError):
        return True
    return start <= now + SOON and now < end


def replacement_warning(fields: Sequence[str]) -> str:
    return (
        f"interrupts a running push: replacing the task (forced by {', '.join(fields)}) deletes it before its "
        "successor starts, so the destination receives no stream in between"
    )


def in_place_warning(how: str) -> str:
    return f"interrupts a running push: {how}"
