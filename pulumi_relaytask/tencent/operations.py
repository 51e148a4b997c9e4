"""How the generic lifecycle maps onto Tencent's actions.

Creates are exactly-once: every create carries a provider-chosen `SpecifyTaskId`, so when the outcome
of a create is unknown (connection reset, timeout, 5xx) the provider asks for that id before trying
again, and a retried create can never make a second task. VodLoopTimes is a string on create only.
Reference: docs/api-notes.md, "Tencent: task fields and limits".
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from ..core import timefmt
from ..core.http import create_once
from ..core.wire import from_wire, pascal, snake, to_wire
from .api import PullStreamTaskInfo, TencentClient
from .model import DEFAULT_OPERATOR
from .rules import RULES

_NOT_SENT_ON_CREATE = frozenset({"status", "region", "operator"})
_DESTINATION = ("domain_name", "app_name", "stream_name")


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
    def __init__(
        self,
        client: TencentClient,
        sleep: Callable[[float], None] = time.sleep,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self.client = client
        self._sleep = sleep
        self._new_id = new_id

    def create(self, inputs: Mapping[str, Any]) -> str:
        region = inputs.get("region")
        task_id = self._new_id()
        params = {pascal(k): _value(k, v) for k, v in inputs.items() if k not in _NOT_SENT_ON_CREATE and v is not None}
        if inputs.get("to_url"):
            params.update({pascal(k): "" for k in _DESTINATION})  # the API wants them present and empty
        if "VodLoopTimes" in params:
            params["VodLoopTimes"] = str(params["VodLoopTimes"])  # a string on create, an integer elsewhere
        params.update(Operator=_operator(inputs), SpecifyTaskId=task_id)
        # The id is the task's identity: after an unknown outcome, its presence tells the truth.
        created = create_once(
            lambda: self.client.create_task(params, region),
            lambda: task_id if self.client.describe_task(task_id, region) is not None else None,
            sleep=self._sleep,
        )
        if inputs.get("status") == "pause":
            self.client.modify_task({"TaskId": created, "Operator": _operator(inputs), "Status": "pause"}, region)
        return created

    def read(self, task_id: str, known: Mapping[str, Any]) -> dict[str, Any] | None:
        info = self.client.describe_task(task_id, known.get("region"))
        return None if info is None else live_props(info)

    def update(self, task_id: str, old: Mapping[str, Any], new: Mapping[str, Any], changed: tuple[str, ...]) -> None:
        params: dict[str, Any] = {"TaskId": task_id, "Operator": _operator(new)}
        for name in changed:  # a removed argument is sent as "" or [], which clears it on Tencent's side
            params[pascal(name)] = _value(name, RULES.sent_value(name, new))
        self.client.modify_task(params, old.get("region") or new.get("region"))

    def delete(self, task_id: str, known: Mapping[str, Any]) -> None:
        self.client.delete_task(task_id, _operator(known), known.get("region"))


def _operator(props: Mapping[str, Any]) -> str:
    return str(props.get("operator") or DEFAULT_OPERATOR)
