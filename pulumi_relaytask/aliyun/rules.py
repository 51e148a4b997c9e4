"""Alibaba's field rules, derived from the model, and its run-state rule: the most stateful of the three APIs.

UpdateLivePullToPush changes callback_url, repeat_number, source_urls, times and the start position;
the rest is a replacement. While a task runs only callback_url and repeat_number can change, so the
provider applies any other change as Stop → Update → Restart, which interrupts the push: the preview
warns about it when the task is running. file_index/offset are where a (re)start begins; the provider
itself moves them to resume a playlist, so their listed values never count as drift.
Reference: docs/api-notes.md, "Alibaba: update rules and run state".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..core.fields import Rules
from ..core.interruption import on_schedule
from .model import RelayTaskArgs, RelayTaskOutputs

LIVE_CHANGES = frozenset({"callback_url", "repeat_number"})
"""What Alibaba lets an Update change while the task runs."""


def _interrupts(_old: Mapping[str, Any], _new: Mapping[str, Any], changed: tuple[str, ...]) -> str | None:
    restarting = [name for name in changed if name not in LIVE_CHANGES and name != "status"]
    if not restarting:
        return None
    return (
        f"changing {', '.join(restarting)} of a running task stops it, updates it and restarts it "
        "(a VOD playlist resumes at the file and offset where it was, or at its first file if the new one is shorter)"
    )


def _running(old: Mapping[str, Any], now: datetime) -> bool:
    """Running or retrying as last observed (task_status 1 or 2), or due to be by its times."""
    if old.get("status") == "pause":
        return False
    return old.get("task_status") in (1, 2) or on_schedule(old, now)


RULES = Rules.derive(
    "aliyun",
    RelayTaskArgs,
    RelayTaskOutputs,
    running=_running,
    interrupts=_interrupts,
    update_operation="UpdateLivePullToPush",
)
