"""Alibaba's field rules, derived from the model, and its run-state rule: the most stateful of the three APIs.

UpdateLivePullToPush changes callback_url, repeat_number, source_urls, times and the start position;
the rest is a replacement. While a task runs only callback_url and repeat_number can change, so the
provider applies any other change as Stop → Update → Restart, which interrupts the push: the preview
warns about it. file_index/offset are where a (re)start begins; the provider itself moves them to
resume a playlist, so their listed values never count as drift.
Reference: docs/api-notes.md, "Alibaba: update rules and run state".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..core import timefmt
from ..core.fields import Rules
from .model import RelayTaskArgs, RelayTaskOutputs

LIVE_CHANGES = frozenset({"callback_url", "repeat_number"})
"""What Alibaba lets an Update change while the task runs."""


def _interruption(old: Mapping[str, Any], new: Mapping[str, Any], changed: tuple[str, ...], now: datetime) -> list[str]:
    restarting = [name for name in changed if name not in LIVE_CHANGES and name != "status"]
    if not restarting or not _may_be_running(old, now):
        return []
    return [
        f"changing {', '.join(restarting)} of a running task stops it, updates it and restarts it: "
        "the push is interrupted (a VOD playlist resumes at the file and offset where it was)"
    ]


def _may_be_running(old: Mapping[str, Any], now: datetime) -> bool:
    """Running as last observed (task_status 1 or 2), or due to be running by its times now."""
    if old.get("status") == "pause":
        return False
    if old.get("task_status") in (1, 2):
        return True
    try:
        start, end = timefmt.parse_rfc3339(old["start_time"]), timefmt.parse_rfc3339(old["end_time"])
    except (KeyError, TypeError, ValueError):
        return True
    return start <= now < end


RULES = Rules.derive(
    "aliyun",
    RelayTaskArgs,
    RelayTaskOutputs,
    plan_notes=_interruption,
    update_operation="UpdateLivePullToPush",
)
