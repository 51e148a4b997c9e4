"""Tencent's field rules, derived from the model: ModifyLivePullStreamTask changes almost everything in place.

Pause and resume are a modify of Status, on any source type, so every in-place field is updated in
place on every task; new sources switch at once unless a VOD playlist asks to finish its current file
(the preview warns when a running push switches). Reference: docs/api-notes.md, "Tencent: task fields and limits".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.fields import Rules
from .model import RelayTaskArgs, RelayTaskOutputs

AFTER_CURRENT_FILE = "ContinueBreakPoint"


def _interrupts(_old: Mapping[str, Any], new: Mapping[str, Any], changed: tuple[str, ...]) -> str | None:
    # Without ContinueBreakPoint the new sources replace the current one at once.
    if "source_urls" not in changed or new.get("vod_refresh_type") == AFTER_CURRENT_FILE:
        return None
    return (
        "changing source_urls switches the push to the new sources at once "
        "(with vod_refresh_type ContinueBreakPoint a VOD playlist switches after the current file)"
    )


RULES = Rules.derive(
    "tencent",
    RelayTaskArgs,
    RelayTaskOutputs,
    update_operation="ModifyLivePullStreamTask",
    interrupts=_interrupts,
)
