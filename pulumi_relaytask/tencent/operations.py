"""How the generic lifecycle maps onto Tencent's actions.

Creates are exactly-once: every create carries a `SpecifyTaskId` derived from what it sends, so when
the outcome of a create is unknown (connection reset, timeout, 5xx) the provider asks for that id
before trying again, and a retried create can never make a second task, in this run or the next
(the same declaration asks for the same id; a refusal of the id by a task that is ours is taken).
VodLoopTimes is a string on create only.
Reference: docs/api-notes.md, "Tencent: task fields and limits" and "Rate limits and faults".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

from ..core import timefmt
from ..core.listing import SharedListing
from ..core.takeover import applied_to, holder_id
from ..core.wire import from_wire, pascal, snake, to_wire
from ..errors import ConflictError
from .api import PullStreamTaskInfo, TencentClient
from .model import DEFAULT_OPERATOR
from .rules import RULES

_NOT_SENT_ON_CREATE = frozenset({"status", "region", "operator"})
_DESTINATION = ("domain_name", "app_name", "stream_name")
# With ContinueBreakPoint a modify sent twice does no harm; ImmediateNewSource restarts the playlist.
_REPEATABLE_REFRESH = frozenset({"ContinueBreakPoint"})
# The refresh reads of every provider object of this process share it (core/listing.py).
LISTING: SharedListing[PullStreamTaskInfo] = SharedListing(lambda info: info.TaskId)


def task_id_for(params: Mapping[str, Any]) -> str:
    """The create's idempotency key: the same parameters ask for the same task id."""
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    return "rt" + digest.hexdigest()[:30]


def live_props(info: PullStreamTaskInfo) -> dict[str, Any]:
    """A listed task as resource properties (snake_case, `Z` times, empty strings as absent)."""
    raw = info.model_dump(exclude_none=True)
    props: dict[str, Any] = {}
    for name, value in raw.items():
        if value == "" or value == []:
            continue
        props[snake(name)] = from_wire(value)
    for name in ("start_time", "end_time"):
        if props.get(name):
            props[name] = timefmt.normalize(props[name])
    props["status"] = "pause" if (info.Status or "").lower() == "pause" else "enable"
    return props


def _value(name: str, value: Any) -> Any:
    if name == "watermark_list":
        return to_wire(value)
    return value


class TencentOperations:
    def __init__(self, client: TencentClient) -> None:
        self.client = client
        self.deadline = client.settings.policy.deadline

    def create(self, inputs: Mapping[str, Any]) -> str:
        region = inputs.get("region")
        params = {pascal(k): _value(k, v) for k, v in inputs.items() if k not in _NOT_SENT_ON_CREATE and v is not None}
        if inputs.get("to_url"):
            params.update({pascal(k): "" for k in _DESTINATION})  # the API wants them present and empty
        if "VodLoopTimes" in params:
            params["VodLoopTimes"] = str(params["VodLoopTimes"])  # a string on create, an integer elsewhere
        params["Operator"] = _operator(inputs)
        task_id = task_id_for(params)
        try:
            created = self.client.create_task({**params, "SpecifyTaskId": task_id}, region)
        except ConflictError:
            info = self.client.describe_task(task_id, region)
            if info is None:  # refused, yet not found: creating under another id could make a second task
                raise
            created = holder_id(RULES, inputs, task_id, live_props(info))  # made by an earlier attempt
        if inputs.get("status") == "pause":
            self.client.modify_task({"TaskId": created, "Operator": _operator(inputs), "Status": "pause"}, region)
        return created

    def read(self, task_id: str, known: Mapping[str, Any], *, listed: bool = False) -> dict[str, Any] | None:
        region = known.get("region") or self.client.settings.region
        info = LISTING.read(
            self._key(region),
            task_id,
            lambda: self.client.describe_task(task_id, region),
            (lambda: self.client.pages(region)) if listed else None,
        )
        return None if info is None else live_props(info)

    def _key(self, region: str) -> tuple[str, ...]:
        """The listing's scope: endpoint, account and region."""
        return (self.client.settings.endpoint, self.client.settings.secret_id, region)

    def list_tasks(self, region: str | None) -> Iterator[dict[str, Any]]:
        """Every task of `region` (default: the configured one), as `read` returns it."""
        for info in self.client.every_task(region):
            yield live_props(info)

    def update(self, task_id: str, old: Mapping[str, Any], new: Mapping[str, Any], changed: tuple[str, ...]) -> None:
        params: dict[str, Any] = {"TaskId": task_id, "Operator": _operator(new)}
        for name in changed:  # a removed argument is sent as "" or [], which clears it on Tencent's side
            params[pascal(name)] = _value(name, RULES.sent_value(name, new))
        region = old.get("region") or new.get("region")
        if new.get("vod_refresh_type") in _REPEATABLE_REFRESH:
            self.client.modify_task(params, region)
            return

        def applied() -> bool:
            info = self.client.describe_task(task_id, region)
            return info is not None and applied_to(RULES, new, live_props(info), changed)

        self.client.modify_task(params, region, confirm=applied)

    def delete(self, task_id: str, known: Mapping[str, Any]) -> None:
        region = known.get("region") or self.client.settings.region
        self.client.delete_task(task_id, _operator(known), region)
        LISTING.record(self._key(region), task_id, None)


def _operator(props: Mapping[str, Any]) -> str:
    return str(props.get("operator") or DEFAULT_OPERATOR)
