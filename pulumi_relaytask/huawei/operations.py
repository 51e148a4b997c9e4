"""How the generic lifecycle maps onto Huawei's four operations.

Create takes no status, so a task declared paused is created and then paused with a modify.
Only the fields that changed (plus the vod_refresh_type instruction) go into a modify.
Reference: docs/api-notes.md, "Huawei: task fields and limits".
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from ..core import timefmt
from .api import HuaweiClient, PullTask
from .rules import RULES

_CREATE_FIELDS = [f.name for f in RULES.fields if f.name != "status"]
_PAUSED = frozenset({"pause", "suspend"})


def live_props(task: PullTask) -> dict[str, Any]:
    """A listed task as resource properties: times in `Z` form, `suspend` read as paused."""
    props: dict[str, Any] = task.model_dump(exclude_none=True)
    for name in ("start_time", "end_time", "create_time"):
        if props.get(name):
            with contextlib.suppress(ValueError):  # kept as listed when it is not a time we know
                props[name] = timefmt.normalize(props[name])
    props["status"] = "pause" if (task.status or "").lower() in _PAUSED else "enable"
    return props


class HuaweiOperations:
    def __init__(self, client: HuaweiClient) -> None:
        self.client = client

    def create(self, inputs: Mapping[str, Any]) -> str:
        body = {name: inputs[name] for name in _CREATE_FIELDS if inputs.get(name) is not None}
        task_id = self.client.create_pull_task(body)
        if inputs.get("status") == "pause":
            self.client.modify_pull_task({"task_id": task_id, "status": "pause"})
        return task_id

    def read(self, task_id: str, known: Mapping[str, Any]) -> dict[str, Any] | None:
        task = self.client.get_pull_task(task_id)
        return None if task is None else live_props(task)

    def update(self, task_id: str, old: Mapping[str, Any], new: Mapping[str, Any], changed: tuple[str, ...]) -> None:
        # `changed` never holds instructions (they make no diff); vod_refresh_type rides along.
        body: dict[str, Any] = {"task_id": task_id, **{name: RULES.sent_value(name, new) for name in changed}}
        if new.get("vod_refresh_type"):
            body["vod_refresh_type"] = new["vod_refresh_type"]
        self.client.modify_pull_task(body)

    def delete(self, task_id: str, known: Mapping[str, Any]) -> None:
        self.client.delete_pull_task(task_id)
