"""Tencent Live's pull-stream-task actions on the emulator's store: rules and state, no HTTP.

Methods are named after the API actions and take the action's JSON parameters as sent. Tasks live
in the store under (cloud="tencent", account=SecretId, scope=region, task_id), as documents keyed
by the wire names, plus a few fields the API does not answer in TaskInfo (SpecifyTaskId, ToUrl,
FileIndex, OffsetTime, RestartCount, UpdateSeq, Progress). The input rules are in checks.py.
Reference: docs/api-notes.md, "Tencent: actions" and docs/api-notes.md, "Where the documents are silent".

Emulator decisions where the vendor documents nothing:
- A create repeating a SpecifyTaskId already used in the account answers `InvalidParameter`
  ("SpecifyTaskId: task id ... already exists") and creates nothing. With SpecifyTaskId the task
  id *is* the caller's id.
- VodLoopTimes, VodRefreshType, FileIndex, OffsetTime and VodLocalMode on a task whose SourceType
  is not PullVodPushLive (Create, or Modify of such a task) answer `InvalidParameter` naming the
  field, as VOD-only callback events do (the project's choice, the same as the provider's check).
- TaskInfo mirrors the SDK model PullStreamTaskInfo (3.1.195): ToUrl, FileIndex and OffsetTime are
  not in it. CallbackInfo/ErrorInfo ("not returned at present") answer `""`, as the
  DescribeLivePullStreamTasks example shows. Unset strings answer `""`.
- Run progress (RecentPullInfo, TaskStatusInfo) is simulated: the file at FileIndex, at
  OffsetTime, never looped, unless a test stores a `Progress` object in the task (put_task).
"""

from __future__ import annotations

import math
import threading
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ...core import timefmt
from ...core.clock import Clock, SystemClock
from ...errors import ApiFault
from ..store import TaskStore
from . import checks

CLOUD = "tencent"

CREATE_REQUIRED = (
    "SourceType",
    "SourceUrls",
    "DomainName",
    "AppName",
    "StreamName",
    "StartTime",
    "EndTime",
    "Operator",
)
CREATE_FIELDS = (
    *CREATE_REQUIRED,
    "PushArgs",
    "CallbackEvents",
    "VodLoopTimes",
    "VodRefreshType",
    "CallbackUrl",
    "ExtraCmd",
    "SpecifyTaskId",
    "Comment",
    "ToUrl",
    "FileIndex",
    "OffsetTime",
    "BackupSourceType",
    "BackupSourceUrl",
    "WatermarkList",
    "VodLocalMode",
    "RecordTemplateId",
    "BackupToUrl",
    "TranscodeTemplateName",
)
MODIFIABLE = (
    "SourceUrls",
    "StartTime",
    "EndTime",
    "VodLoopTimes",
    "VodRefreshType",
    "Status",
    "CallbackEvents",
    "CallbackUrl",
    "FileIndex",
    "OffsetTime",
    "ToUrl",
    "Comment",
    "BackupSourceType",
    "BackupSourceUrl",
    "WatermarkList",
    "VodLocalMode",
)
MODIFY_FIELDS = ("TaskId", "Operator", *MODIFIABLE)
DESCRIBE_FIELDS = ("TaskId", "PageNum", "PageSize", "SpecifyTaskId")
DELETE_FIELDS = ("TaskId", "Operator", "SpecifyTaskId")
RESTART_FIELDS = ("TaskId", "Operator")
STATUS_FIELDS = ("TaskId",)

# PullStreamTaskInfo's fields in the SDK model's order, with the value answered when unset.
# RecentPullInfo follows Status, and only when one task is queried.
TASK_INFO_DEFAULTS: dict[str, Any] = {
    "TaskId": "",
    "SourceType": "",
    "SourceUrls": [],
    "DomainName": "",
    "AppName": "",
    "StreamName": "",
    "PushArgs": "",
    "StartTime": "",
    "EndTime": "",
    "Region": "",
    "VodLoopTimes": -1,
    "VodRefreshType": "",
    "CreateTime": "",
    "UpdateTime": "",
    "CreateBy": "",
    "UpdateBy": "",
    "CallbackUrl": "",
    "CallbackEvents": [],
    "CallbackInfo": "",
    "ErrorInfo": "",
    "Status": "enable",
    "Comment": "",
    "BackupSourceType": "",
    "BackupSourceUrl": "",
    "WatermarkList": [],
    "VodLocalMode": 0,
    "RecordTemplateId": "",
    "BackupToUrl": "",
    "TranscodeTemplateName": "",
}
RECENT_PULL_FIELDS = ("FileUrl", "OffsetTime", "ReportTime", "LoopedTimes")
STATUS_INFO_FIELDS = ("FileUrl", "LoopedTimes", "OffsetTime", "ReportTime", "RunStatus", "FileDuration", "NextFileUrl")


def duplicate_task_id(task_id: str) -> ApiFault:
    return checks.invalid("SpecifyTaskId", f"task id {task_id} already exists in this account")


class TencentBackend:
    def __init__(
        self, store: TaskStore, clock: Clock | None = None, *, limit_task_num: int = checks.LIMIT_TASK_NUM
    ) -> None:
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self.limit_task_num = limit_task_num
        # Check-then-write sequences (quota, SpecifyTaskId, read-modify-write) must not interleave.
        self._lock = threading.RLock()

    # -- actions --------------------------------------------------------------------------------

    def create_live_pull_stream_task(self, account: str, region: str | None, params: Any) -> str:
        """CreateLivePullStreamTask: validate, refuse a used SpecifyTaskId or a full quota, store; the TaskId."""
        region = checks.check_region(region)
        params = checks.require_object(params)
        checks.reject_unknown(params, CREATE_FIELDS, "CreateLivePullStreamTask")
        now = self.clock.now()
        task = self._task_from_create(params, region, now)
        with self._lock:
            specify = task["SpecifyTaskId"]
            if specify and any(
                specify in (other["TaskId"], other.get("SpecifyTaskId")) for other in self.store.list(CLOUD, account)
            ):
                raise duplicate_task_id(specify)
            in_region = self.store.list(CLOUD, account, region)
            if len(in_region) >= self.limit_task_num:
                raise checks.fault(
                    checks.MAXIMUM_TASK,
                    "TaskId",
                    f"the account already has {len(in_region)} tasks in {region}, the limit is {self.limit_task_num}",
                )
            task["TaskId"] = specify or str(uuid.uuid4())
            task["UpdateSeq"] = _next_seq(in_region)
            self.store.put(CLOUD, account, region, task["TaskId"], task)
        return str(task["TaskId"])

    def describe_live_pull_stream_tasks(self, account: str, region: str | None, params: Any) -> dict[str, Any]:
        """DescribeLivePullStreamTasks: one task (with RecentPullInfo) by id, or a page, newest update first.

        Returns TaskInfos, PageNum, PageSize, TotalNum, TotalPage and LimitTaskNum.
        """
        region = checks.check_region(region)
        params = checks.require_object(params)
        checks.reject_unknown(params, DESCRIBE_FIELDS, "DescribeLivePullStreamTasks")
        page, size = checks.check_page(params)
        task_id, specify = checks.string(params, "TaskId"), checks.string(params, "SpecifyTaskId")
        now = self.clock.now()
        if task_id or specify:
            task = self._find(account, region, task_id, specify)
            infos, total = [self._info(task, now, recent=True)], 1
        else:
            tasks = sorted(
                self.store.list(CLOUD, account, region),
                key=lambda t: (str(t.get("UpdateTime", "")), int(t.get("UpdateSeq", 0))),
                reverse=True,
            )
            infos = [self._info(task, now, recent=False) for task in tasks[(page - 1) * size : page * size]]
            total = len(tasks)
        return {
            "TaskInfos": infos,
            "PageNum": page,
            "PageSize": size,
            "TotalNum": total,
            "TotalPage": math.ceil(total / size),
            "LimitTaskNum": self.limit_task_num,
        }

    def modify_live_pull_stream_task(self, account: str, region: str | None, params: Any) -> None:
        """ModifyLivePullStreamTask: apply the sent fields of the accepted set; any other field is refused."""
        region = checks.check_region(region)
        params = checks.require_object(params)
        checks.reject_unknown(params, MODIFY_FIELDS, "ModifyLivePullStreamTask", create_only=CREATE_FIELDS)
        task_id = checks.required_string(params, "TaskId")
        operator = checks.required_string(params, "Operator")
        changes = self._changes_from_modify(params)
        now = self.clock.now()
        with self._lock:
            task = self._find(account, region, task_id, None)
            updated = self._apply(task, changes, now)
            updated.update(
                UpdateTime=timefmt.format_utc(now),
                UpdateBy=operator,
                UpdateSeq=_next_seq(self.store.list(CLOUD, account, region)),
            )
            self.store.put(CLOUD, account, region, task_id, updated)

    def delete_live_pull_stream_task(self, account: str, region: str | None, params: Any) -> None:
        """DeleteLivePullStreamTask: by TaskId (or the SpecifyTaskId it was created with); TaskNotExist when gone."""
        region = checks.check_region(region)
        params = checks.require_object(params)
        checks.reject_unknown(params, DELETE_FIELDS, "DeleteLivePullStreamTask")
        task_id, specify = checks.string(params, "TaskId"), checks.string(params, "SpecifyTaskId")
        if not task_id and not specify:
            raise checks.missing("TaskId")
        checks.required_string(params, "Operator")
        with self._lock:
            task = self._find(account, region, task_id, specify)
            self.store.delete(CLOUD, account, region, str(task["TaskId"]))

    def restart_live_pull_stream_task(self, account: str, region: str | None, params: Any) -> None:
        """RestartLivePullStreamTask: interrupts the push and starts it again (counted in RestartCount)."""
        region = checks.check_region(region)
        params = checks.require_object(params)
        checks.reject_unknown(params, RESTART_FIELDS, "RestartLivePullStreamTask")
        task_id = checks.required_string(params, "TaskId")
        checks.required_string(params, "Operator")
        now = self.clock.now()
        with self._lock:
            task = self._find(account, region, task_id, None)
            task.pop("Progress", None)  # a restart starts the playlist over
            task.update(
                UpdateTime=timefmt.format_utc(now),
                RestartCount=int(task.get("RestartCount", 0)) + 1,
                UpdateSeq=_next_seq(self.store.list(CLOUD, account, region)),
            )
            self.store.put(CLOUD, account, region, task_id, task)

    def describe_live_pull_stream_task_status(self, account: str, region: str | None, params: Any) -> dict[str, Any]:
        """DescribeLivePullStreamTaskStatus: the TaskStatusInfo object (the wire wraps it)."""
        region = checks.check_region(region)
        params = checks.require_object(params)
        checks.reject_unknown(params, STATUS_FIELDS, "DescribeLivePullStreamTaskStatus")
        task_id = checks.required_string(params, "TaskId")
        task = self._find(account, region, task_id, None)
        progress = _progress(task, self.clock.now())
        return {name: progress[name] for name in STATUS_INFO_FIELDS}

    # -- test hooks -----------------------------------------------------------------------------

    def get_task(self, account: str, region: str, task_id: str) -> dict[str, Any] | None:
        """The stored task document (TaskInfo fields plus the internal ones, see the module doc), or None."""
        return self.store.get(CLOUD, account, region, task_id)

    def put_task(self, account: str, region: str, task: dict[str, Any]) -> None:
        """Store a task document as is, bypassing the rules (out-of-band changes, quota set-up in tests)."""
        self.store.put(CLOUD, account, region, str(task["TaskId"]), dict(task))

    # -- helpers --------------------------------------------------------------------------------

    def _find(self, account: str, region: str, task_id: str | None, specify: str | None) -> dict[str, Any]:
        """The task by TaskId and/or by the SpecifyTaskId it was created with; TaskNotExist otherwise."""
        wanted = task_id or specify or ""
        task = self.store.get(CLOUD, account, region, wanted)
        if task is None or (specify and task.get("SpecifyTaskId") != specify):
            raise checks.task_not_exist(wanted)
        return task

    @staticmethod
    def _task_from_create(params: Mapping[str, Any], region: str, now: datetime) -> dict[str, Any]:
        for name in CREATE_REQUIRED:
            if not checks.sent(params, name):
                raise checks.missing(name)
        checks.required_string(params, "SourceType")
        source_type = str(checks.enum(params, "SourceType", checks.SOURCE_TYPES))
        urls = checks.check_source_urls(source_type, checks.source_urls(params) or [])
        start, end = checks.time_value(params, "StartTime"), checks.time_value(params, "EndTime")
        if start is None:
            raise checks.missing("StartTime")
        if end is None:
            raise checks.missing("EndTime")
        checks.check_times(start, end, now, end_is_new=True)
        operator = checks.required_string(params, "Operator")
        events = checks.callback_events(params) or []
        checks.check_events_for(source_type, events)
        checks.check_fields_for(source_type, [name for name in checks.VOD_ONLY_FIELDS if checks.sent(params, name)])
        file_index = checks.integer(params, "FileIndex", 1, checks.MAX_PLAYLIST)
        checks.check_file_index(file_index, urls)
        backup_type = checks.enum(params, "BackupSourceType", checks.BACKUP_SOURCE_TYPES, allow_empty=True) or ""
        backup_url = checks.string(params, "BackupSourceUrl") or ""
        checks.check_backup(source_type, backup_type, backup_url)
        loop_times = checks.loop_times_text(params)
        checks.string(params, "ExtraCmd")  # an instruction to the scheduler: checked, not stored
        created = timefmt.format_utc(now)
        return {
            "SourceType": source_type,
            "SourceUrls": urls,
            **_destination(params),
            "PushArgs": checks.string(params, "PushArgs") or "",
            "StartTime": timefmt.format_utc(start),
            "EndTime": timefmt.format_utc(end),
            "Region": region,
            "VodLoopTimes": -1 if loop_times is None else loop_times,
            "VodRefreshType": checks.enum(params, "VodRefreshType", checks.REFRESH_TYPES, allow_empty=True) or "",
            "CreateTime": created,
            "UpdateTime": created,
            "CreateBy": operator,
            "UpdateBy": operator,
            "CallbackUrl": checks.callback_url(params) or "",
            "CallbackEvents": events,
            "Status": "enable",
            "Comment": checks.comment(params) or "",
            "BackupSourceType": backup_type,
            "BackupSourceUrl": backup_url,
            "WatermarkList": checks.watermarks(params) or [],
            "VodLocalMode": checks.integer(params, "VodLocalMode", 0, 1) or 0,
            "RecordTemplateId": checks.string(params, "RecordTemplateId") or "",
            "BackupToUrl": checks.backup_to_url(params) or "",
            "TranscodeTemplateName": checks.string(params, "TranscodeTemplateName") or "",
            "SpecifyTaskId": checks.string(params, "SpecifyTaskId") or "",
            "FileIndex": file_index or 1,
            "OffsetTime": checks.integer(params, "OffsetTime", 0, checks.MAX_INT32) or 0,
            "RestartCount": 0,
        }

    @staticmethod
    def _changes_from_modify(params: Mapping[str, Any]) -> dict[str, Any]:
        """The accepted fields that were sent, each checked on its own (cross-field rules come in _apply)."""
        readers: dict[str, Any] = {
            "SourceUrls": checks.source_urls,
            "StartTime": lambda p: checks.time_value(p, "StartTime"),
            "EndTime": lambda p: checks.time_value(p, "EndTime"),
            "VodLoopTimes": checks.loop_times_int,
            "VodRefreshType": lambda p: checks.enum(p, "VodRefreshType", checks.REFRESH_TYPES, allow_empty=True),
            "Status": lambda p: checks.enum(p, "Status", checks.STATUSES),
            "CallbackEvents": checks.callback_events,
            "CallbackUrl": checks.callback_url,
            "FileIndex": lambda p: checks.integer(p, "FileIndex", 1, checks.MAX_PLAYLIST),
            "OffsetTime": lambda p: checks.integer(p, "OffsetTime", 0, checks.MAX_INT32),
            "ToUrl": checks.to_url,
            "Comment": checks.comment,
            "BackupSourceType": lambda p: checks.enum(
                p, "BackupSourceType", checks.BACKUP_SOURCE_TYPES, allow_empty=True
            ),
            "BackupSourceUrl": lambda p: checks.string(p, "BackupSourceUrl"),
            "WatermarkList": checks.watermarks,
            "VodLocalMode": lambda p: checks.integer(p, "VodLocalMode", 0, 1),
        }
        changes = {name: read(params) for name, read in readers.items() if checks.sent(params, name)}
        if changes.get("ToUrl") == "":
            # The destination parts cannot be set by a modify, so an empty ToUrl would leave none.
            raise checks.invalid(
                "ToUrl", "must not be empty (the destination cannot be removed)", checks.INVALID_TO_URL
            )
        return {name: value for name, value in changes.items() if value is not None}

    @staticmethod
    def _apply(task: dict[str, Any], changes: Mapping[str, Any], now: datetime) -> dict[str, Any]:
        """The task as it would be after the modify, with the cross-field rules checked on it."""
        updated = dict(task)
        source_type = str(updated["SourceType"])
        checks.check_fields_for(source_type, changes)
        for name in (
            "SourceUrls",
            "VodLoopTimes",
            "VodRefreshType",
            "Status",
            "CallbackEvents",
            "CallbackUrl",
            "FileIndex",
            "OffsetTime",
            "Comment",
            "WatermarkList",
            "VodLocalMode",
        ):
            if name in changes:
                updated[name] = changes[name]
        if "SourceUrls" in changes:
            checks.check_source_urls(source_type, updated["SourceUrls"])
        if "SourceUrls" in changes or "FileIndex" in changes:
            checks.check_file_index(updated.get("FileIndex"), updated["SourceUrls"])
        if "CallbackEvents" in changes:
            checks.check_events_for(source_type, updated["CallbackEvents"])
        if "ToUrl" in changes:
            # A full destination replaces the parts (mutually exclusive); the push restarts there.
            updated.update(ToUrl=changes["ToUrl"], DomainName="", AppName="", StreamName="")
        if "StartTime" in changes or "EndTime" in changes:
            start = changes.get("StartTime") or timefmt.parse_rfc3339(updated["StartTime"])
            end = changes.get("EndTime") or timefmt.parse_rfc3339(updated["EndTime"])
            checks.check_times(start, end, now, end_is_new="EndTime" in changes)
            updated.update(StartTime=timefmt.format_utc(start), EndTime=timefmt.format_utc(end))
        if "BackupSourceType" in changes or "BackupSourceUrl" in changes:
            backup_type = changes.get("BackupSourceType", updated.get("BackupSourceType", ""))
            backup_url = changes.get("BackupSourceUrl", updated.get("BackupSourceUrl", ""))
            # `""` for one of them, sent alone, removes the backup (both fields).
            if ("BackupSourceType" in changes) != ("BackupSourceUrl" in changes) and "" in (
                changes.get("BackupSourceType"),
                changes.get("BackupSourceUrl"),
            ):
                backup_type = backup_url = ""
            checks.check_backup(source_type, backup_type, backup_url)
            updated.update(BackupSourceType=backup_type, BackupSourceUrl=backup_url)
        return updated

    @staticmethod
    def _info(task: Mapping[str, Any], now: datetime, *, recent: bool) -> dict[str, Any]:
        info: dict[str, Any] = {}
        for name, default in TASK_INFO_DEFAULTS.items():
            info[name] = task.get(name, default)
            if name == "Status" and recent:
                progress = _progress(task, now)
                info["RecentPullInfo"] = {key: progress[key] for key in RECENT_PULL_FIELDS}
        return info


def _destination(params: Mapping[str, Any]) -> dict[str, str]:
    """ToUrl with DomainName/AppName/StreamName sent as `""`, or those three and no ToUrl."""
    parts = {name: checks.string(params, name) or "" for name in ("DomainName", "AppName", "StreamName")}
    url = checks.to_url(params) or ""
    if url:
        for name, value in parts.items():
            if value:
                raise checks.invalid(name, 'must be "" when ToUrl is set (mutually exclusive)')
    else:
        for name, value in parts.items():
            if not value:
                raise checks.missing(name, "is required unless ToUrl is set")
    return {**parts, "ToUrl": url}


def _next_seq(tasks: list[dict[str, Any]]) -> int:
    # Orders updates made within the same second (UpdateTime has second precision).
    return max((int(task.get("UpdateSeq", 0)) for task in tasks), default=0) + 1


def _is_active(task: Mapping[str, Any], now: datetime) -> bool:
    if task.get("Status", "enable") != "enable":
        return False
    try:
        start, end = timefmt.parse_rfc3339(task["StartTime"]), timefmt.parse_rfc3339(task["EndTime"])
    except (KeyError, ValueError):
        return False
    return start <= now < end


def _progress(task: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The simulated run state: every TaskStatusInfo field (RecentPullInfo takes four of them)."""
    urls = list(task.get("SourceUrls") or [])
    vod = task.get("SourceType") == checks.VOD
    index = min(max(int(task.get("FileIndex") or 1) - 1, 0), len(urls) - 1) if vod and urls else 0
    next_url = ""
    if vod and urls:
        following = index + 1
        if following < len(urls):
            next_url = urls[following]
        elif task.get("VodLoopTimes", -1) != 0:
            next_url = urls[0]  # the playlist loops
    active = _is_active(task, now)
    progress: dict[str, Any] = {
        "FileUrl": urls[index] if urls else "",
        "LoopedTimes": 0,
        "OffsetTime": int(task.get("OffsetTime") or 0),
        "ReportTime": timefmt.format_utc(now) if active else str(task.get("UpdateTime", "")),
        "FileDuration": 0,
        "NextFileUrl": next_url,
    }
    progress.update(task.get("Progress") or {})
    progress["RunStatus"] = "active" if active else "inactive"
    return progress
