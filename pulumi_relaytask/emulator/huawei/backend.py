"""Huawei Live's relay-task operations on the emulator's store: rules and state, no HTTP.

Methods are named after the API operations. Tasks live in the store under
(cloud="huawei", account=access key or token, scope=project id, task_id). Every rule of
docs/api-notes.md, "Huawei Cloud Live" is enforced here (see checks.py), so the wire module stays a parser.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ...core import timefmt
from ...core.clock import Clock, SystemClock
from ...errors import ApiFault
from .. import params
from ..store import TaskStore
from . import checks

CLOUD = "huawei"
DEFAULT_REGION = "cn-north-4"
ALREADY_EXISTS = "LIVE.103011018"
# The pages' 404 example answers the same code as a bad parameter; clients tell "not found" by the
# HTTP status.
TASK_NOT_FOUND = "LIVE.100011001"
# ModifyPullTask takes `pause`; ListPullTasks shows a paused task as `suspend` (both list examples).
LISTED_STATUS = {"pause": "suspend"}

# Order of the keys in a listed task: identity first, then the stored fields.
_LEADING_KEYS = ("task_id", "status", "create_time", "region", "source_type", "source_urls")


def _not_found(task_id: str) -> ApiFault:
    return ApiFault(404, TASK_NOT_FOUND, f"Task not found: task_id {params.shown(task_id)} does not exist")


def _destination_of(task: Mapping[str, Any]) -> tuple[str, ...]:
    if task.get("destination_url"):
        return ("url", str(task["destination_url"]))
    return ("parts", str(task.get("domain")), str(task.get("app_name")), str(task.get("stream_name")))


class HuaweiBackend:
    def __init__(self, store: TaskStore, clock: Clock | None = None) -> None:
        self.store = store
        self.clock: Clock = clock or SystemClock()
        # Check-then-write sequences (destination uniqueness, read-modify-write) must not interleave.
        self._lock = threading.RLock()

    # -- operations ---------------------------------------------------------------------------

    def create_pull_task(self, account: str, project_id: str, body: Any) -> str:
        """CreatePullTask: validate, refuse a destination already in use, store; returns the task id."""
        now = self.clock.now()
        task = self._task_from_create(checks.require_object(body), now)
        with self._lock:
            wanted = _destination_of(task)
            for other in self.store.list(CLOUD, account, project_id):
                if _destination_of(other) == wanted:
                    raise ApiFault(
                        400,
                        ALREADY_EXISTS,
                        f"Resource already exists: the destination is used by task {other['task_id']}",
                    )
            task_id = str(uuid.uuid4())
            task = {"task_id": task_id, "status": "enable", "create_time": timefmt.format_utc(now), **task}
            self.store.put(CLOUD, account, project_id, task_id, task)
        return task_id

    def list_pull_tasks(
        self,
        account: str,
        project_id: str,
        *,
        region: str | None = None,
        offset: str | int | None = None,
        limit: str | int | None = None,
        task_id: str | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """ListPullTasks: one page of tasks in creation order, and the total before paging."""
        start, size = checks.check_page(None if offset is None else str(offset), None if limit is None else str(limit))
        region = checks.optional_string({"region": region}, "region", 64)
        tasks = self.store.list(CLOUD, account, project_id)
        if region is not None:
            tasks = [task for task in tasks if task.get("region") == region]
        if task_id:
            tasks = [task for task in tasks if task["task_id"] == task_id]
            if not tasks:
                raise _not_found(task_id)
        return [self._listed(task) for task in tasks[start : start + size]], len(tasks)

    def modify_pull_task(self, account: str, project_id: str, body: Any) -> str:
        """ModifyPullTask: applies the accepted fields to a PullVodPushLive task; a live task is left as is."""
        body = checks.require_object(body)
        task_id = checks.optional_string(body, "task_id")
        if task_id is None:
            raise checks.invalid("task_id", "is required")
        for name in checks.CREATE_ONLY:
            if body.get(name) is not None:
                raise checks.invalid(name, "cannot be changed by ModifyPullTask (create a new task instead)")
        changes = self._changes_from_modify(body)
        now = self.clock.now()
        with self._lock:
            task = self.store.get(CLOUD, account, project_id, task_id)
            if task is None:
                raise _not_found(task_id)
            # The documented rule: modifications take effect only on PullVodPushLive tasks; a live
            # task accepts the (well-formed) call and stays exactly as it was.
            if task["source_type"] == checks.VOD:
                self.store.put(CLOUD, account, project_id, task_id, self._apply(task, changes, now))
        return task_id

    def delete_pull_task(self, account: str, project_id: str, task_id: str | None, region: str | None = None) -> str:
        """DeletePullTask: stops and deletes the task; 404 when it does not exist (in that region)."""
        if not task_id:
            raise checks.invalid("task_id", "is required")
        region = checks.optional_string({"region": region}, "region", 64)
        with self._lock:
            task = self.store.get(CLOUD, account, project_id, task_id)
            if task is None or (region is not None and task.get("region") != region):
                raise _not_found(task_id)
            self.store.delete(CLOUD, account, project_id, task_id)
        return task_id

    # -- test hooks ---------------------------------------------------------------------------

    def get_task(self, account: str, project_id: str, task_id: str) -> dict[str, Any] | None:
        """The stored task as the API would list it (for tests), or None."""
        task = self.store.get(CLOUD, account, project_id, task_id)
        return None if task is None else self._listed(task)

    def put_task(self, account: str, project_id: str, task: dict[str, Any]) -> None:
        """Store a task document as is, bypassing the rules (out-of-band changes in tests)."""
        self.store.put(CLOUD, account, project_id, str(task["task_id"]), dict(task))

    # -- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _task_from_create(body: Mapping[str, Any], now: datetime) -> dict[str, Any]:
        source_type = body.get("source_type")
        if source_type is None or source_type == "":
            raise checks.invalid("source_type", "is required")
        source_type = checks.enum(body, "source_type", checks.SOURCE_TYPES)
        assert source_type is not None
        urls = checks.check_playlist(source_type, checks.url_list(body, "source_urls", checks.MAX_PLAYLIST))
        task: dict[str, Any] = {
            "region": checks.optional_string(body, "region", 64) or DEFAULT_REGION,
            "source_type": source_type,
            "source_urls": urls,
            **checks.check_destination(body),
            "push_args": checks.push_args(body),
            "callback_url": checks.callback_url(body),
            "callback_events": checks.callback_events(body),
            "backup_source_type": checks.enum(body, "backup_source_type", (checks.LIVE,)),
            "backup_source_urls": checks.url_list(body, "backup_source_urls", checks.MAX_BACKUP_URLS),
            "vod_loop_time": checks.loop_time(body),
            "vod_start_video_index": checks.integer(body, "vod_start_video_index", 0, checks.MAX_VIDEO_INDEX),
            "vod_start_video_time": checks.integer(body, "vod_start_video_time", 0, checks.MAX_VIDEO_TIME),
        }
        # vod_refresh_type is an instruction for a modify: checked, never stored.
        refresh = checks.enum(body, "vod_refresh_type", checks.REFRESH_TYPES)
        checks.check_vod_rules({**task, "vod_refresh_type": refresh})
        end = checks.time_value(body, "end_time")
        if end is None:
            raise checks.invalid("end_time", "is required")
        start = checks.time_value(body, "start_time") or now
        checks.check_times(start, end, now, end_is_new=True)
        task["start_time"] = timefmt.format_utc(start)
        task["end_time"] = timefmt.format_utc(end)
        return {name: value for name, value in task.items() if value is not None}

    @staticmethod
    def _changes_from_modify(body: Mapping[str, Any]) -> dict[str, Any]:
        """The accepted modify fields that were sent, checked one by one; `""` loop time resets it."""
        changes: dict[str, Any] = {}
        status = checks.enum(body, "status", checks.STATUSES)
        if status is not None:
            changes["status"] = status
        urls = checks.url_list(body, "source_urls", checks.MAX_PLAYLIST)
        if urls is not None:
            if not urls:
                raise checks.invalid("source_urls", "must hold 1 to 30 URLs")
            changes["source_urls"] = urls
        if "vod_loop_time" in body and body["vod_loop_time"] is not None:
            changes["vod_loop_time"] = checks.loop_time(body)  # None here removes it (back to "-1")
        for name, high in (
            ("vod_start_video_index", checks.MAX_VIDEO_INDEX),
            ("vod_start_video_time", checks.MAX_VIDEO_TIME),
        ):
            value = checks.integer(body, name, 0, high)
            if value is not None:
                changes[name] = value
        events = checks.callback_events(body)
        if events is not None:
            changes["callback_events"] = events
        for name in ("start_time", "end_time"):
            when = checks.time_value(body, name)
            if when is not None:
                changes[name] = when
        checks.enum(body, "vod_refresh_type", checks.REFRESH_TYPES)  # accepted, not stored
        return changes

    @staticmethod
    def _apply(task: dict[str, Any], changes: Mapping[str, Any], now: datetime) -> dict[str, Any]:
        """The task as it would be after the modify, with the cross-field rules checked on it."""
        updated = dict(task)
        for name, value in changes.items():
            if name in ("start_time", "end_time"):
                updated[name] = timefmt.format_utc(value)
            elif value is None:
                updated.pop(name, None)
            else:
                updated[name] = value
        checks.check_playlist(updated["source_type"], updated.get("source_urls"))
        checks.check_vod_rules(updated)
        if "start_time" in changes or "end_time" in changes:
            start = timefmt.parse_rfc3339(updated["start_time"])
            end = timefmt.parse_rfc3339(updated["end_time"])
            checks.check_times(start, end, now, end_is_new="end_time" in changes)
        return updated

    @staticmethod
    def _listed(task: Mapping[str, Any]) -> dict[str, Any]:
        item = {key: task[key] for key in _LEADING_KEYS if key in task}
        item.update({key: value for key, value in task.items() if key not in item})
        # As in the list example: every destination field is listed, `""` for the ones not set.
        for key in (*checks.DESTINATION_PARTS, "destination_url"):
            item.setdefault(key, "")
        if "status" in item:
            item["status"] = LISTED_STATUS.get(item["status"], item["status"])
        return item
