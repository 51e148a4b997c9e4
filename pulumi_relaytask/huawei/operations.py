"""How the generic lifecycle maps onto Huawei's four operations.

Create takes no status, so a task declared paused is created and then paused with a modify.
Only the fields that changed (plus the vod_refresh_type instruction) go into a modify.
Creates are exactly-once: a destination serves one task and the listing filters by task id only, so
after an ambiguous create (or a refusal because the destination is taken, e.g. by a create whose
answer a previous run lost) the provider pages through the listing for the destination's holder.
Reference: docs/api-notes.md, "Huawei: task fields and limits" and "Rate limits and faults".
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

from ..core import timefmt
from ..core.listing import SharedListing
from ..core.takeover import applied_to, create_or_take, holder_id
from .api import HuaweiClient, PullTask
from .rules import RULES

_CREATE_FIELDS = [f.name for f in RULES.fields if f.name != "status"]
_PAUSED = frozenset({"pause", "suspend"})
_DESTINATION_PARTS = ("domain", "app_name", "stream_name")
# A modify that re-applies these twice does no harm; immediate_new_source (the default) restarts playback.
_REPEATABLE_REFRESH = frozenset({"continue_from_file_start", "continue_from_break_point"})
# The refresh reads of every provider object of this process share it (core/listing.py).
LISTING: SharedListing[PullTask] = SharedListing(lambda task: task.task_id)


def _holds_destination(task: PullTask, inputs: Mapping[str, Any]) -> bool:
    if inputs.get("destination_url"):
        return bool(task.destination_url == inputs["destination_url"])
    return all(getattr(task, name) == inputs.get(name) for name in _DESTINATION_PARTS)


def live_props(task: PullTask) -> dict[str, Any]:
    """A listed task as resource properties: times in `Z` form, `suspend` read as paused, empty strings
    as absent (the listing carries every destination field, `""` for the unused ones)."""
    props: dict[str, Any] = {k: v for k, v in task.model_dump(exclude_none=True).items() if v != ""}
    for name in ("start_time", "end_time", "create_time"):
        if props.get(name):
            with contextlib.suppress(ValueError):  # kept as listed when it is not a time we know
                props[name] = timefmt.normalize(props[name])
    props["status"] = "pause" if (task.status or "").lower() in _PAUSED else "enable"
    return props


class HuaweiOperations:
    def __init__(self, client: HuaweiClient) -> None:
        self.client = client
        self.deadline = client.settings.policy.deadline
        settings = client.settings
        self._key = (settings.endpoint, settings.access_key, settings.project_id)  # the listing's scope

    def create(self, inputs: Mapping[str, Any]) -> str:
        body = {name: inputs[name] for name in _CREATE_FIELDS if inputs.get(name) is not None}
        task_id = create_or_take(
            lambda: self.client.create_pull_task(body, confirm=lambda: self._holder(inputs)),
            lambda: self._holder(inputs),
        )
        if inputs.get("status") == "pause":
            self.client.modify_pull_task({"task_id": task_id, "status": "pause"})
        return task_id

    def _holder(self, inputs: Mapping[str, Any]) -> str | None:
        """The id of the task at the destination when it is the one `inputs` ask for, None when there is none."""
        for task in self.client.every_task():
            if _holds_destination(task, inputs):
                return holder_id(RULES, inputs, task.task_id, live_props(task))
        return None

    def read(self, task_id: str, known: Mapping[str, Any], *, listed: bool = False) -> dict[str, Any] | None:
        task = LISTING.read(
            self._key, task_id, lambda: self.client.get_pull_task(task_id), self.client.pages if listed else None
        )
        return None if task is None else live_props(task)

    def list_tasks(self, region: str | None) -> Iterator[dict[str, Any]]:
        """Every task of the project (in `region` only, when given), as `read` returns it."""
        for task in self.client.every_task(region=region):
            yield live_props(task)

    def update(self, task_id: str, old: Mapping[str, Any], new: Mapping[str, Any], changed: tuple[str, ...]) -> None:
        # `changed` never holds instructions (they make no diff); vod_refresh_type rides along.
        body: dict[str, Any] = {"task_id": task_id, **{name: RULES.sent_value(name, new) for name in changed}}
        if new.get("vod_refresh_type"):
            body["vod_refresh_type"] = new["vod_refresh_type"]
        if new.get("vod_refresh_type") in _REPEATABLE_REFRESH:
            self.client.modify_pull_task(body)
            return

        def applied() -> bool:
            task = self.client.get_pull_task(task_id)
            return task is not None and applied_to(RULES, new, live_props(task), changed)

        self.client.modify_pull_task(body, confirm=applied)

    def delete(self, task_id: str, known: Mapping[str, Any]) -> None:
        self.client.delete_pull_task(task_id)
        LISTING.record(self._key, task_id, None)
