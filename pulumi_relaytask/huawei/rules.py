"""Huawei's field rules, derived from the model, and the rule that shapes every Huawei plan.

A modify only takes effect on a PullVodPushLive task, so a change to any other task, or to a field
the modify does not accept, is a replacement.
Reference: docs/api-notes.md, "Huawei: what a modify changes".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.fields import Rules
from .model import VOD, RelayTaskArgs, RelayTaskOutputs


def _modify_takes_effect(old: Mapping[str, Any]) -> bool:
    return old.get("source_type") == VOD


RULES = Rules.derive(
    "huawei",
    RelayTaskArgs,
    RelayTaskOutputs,
    updates_take_effect=_modify_takes_effect,
    update_operation="ModifyPullTask",
    in_place_condition="on a PullVodPushLive task (ModifyPullTask has no effect on any other)",
)
