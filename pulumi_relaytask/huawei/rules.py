"""Huawei's field rules, derived from the model, and the rule that shapes every Huawei plan.

A modify only takes effect on a PullVodPushLive task, so a change to any other task, or to a field
the modify does not accept, is a replacement. A playlist switched at once restarts playback: the
preview warns about it when the task is running.
Reference: docs/api-notes.md, "Huawei: what a modify changes".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.fields import Rules
from .model import VOD, RelayTaskArgs, RelayTaskOutputs

IMMEDIATE = "immediate_new_source"


def _modify_takes_effect(old: Mapping[str, Any]) -> bool:
    return old.get("source_type") == VOD


def _interrupts(_old: Mapping[str, Any], new: Mapping[str, Any], changed: tuple[str, ...]) -> str | None:
    # immediate_new_source (the default) switches to the new playlist at once, from its start position.
    if "source_urls" not in changed or new.get("vod_refresh_type", IMMEDIATE) != IMMEDIATE:
        return None
    return (
        "changing source_urls with vod_refresh_type immediate_new_source (the default) restarts playback from "
        "the new playlist at once; continue_from_file_start or continue_from_break_point switch after the "
        "current file"
    )


RULES = Rules.derive(
    "huawei",
    RelayTaskArgs,
    RelayTaskOutputs,
    updates_take_effect=_modify_takes_effect,
    interrupts=_interrupts,
    update_operation="ModifyPullTask",
    in_place_condition="on a PullVodPushLive task (ModifyPullTask has no effect on any other)",
)
