"""Alibaba ApsaraVideo Live's pull-to-push operations on the emulator's store: rules and state, no HTTP.

Methods are named after the API actions and take the request parameters as strings. Tasks live in
the store under (cloud="aliyun", account=AccessKeyId, scope=Region, task_id). Input rules are in
checks.py. Reference: docs/api-notes.md, "Alibaba: update rules and run state" and
docs/api-notes.md, "Where the documents are silent".

Run state is derived from the clock, never from a background job:

- TaskStatus `0` before StartTime, `1` from StartTime until EndTime, `2` when a test marked the
  task as retrying (`set_retrying`), `3` after Stop (TaskExitReason `TriggerByUser`, TaskExitTime
  in unix seconds), `-1` once a vod/url playlist has played all its rounds (TaskExitTime = when it
  ran out; TaskExitReason `""`, since the documented reasons do not cover it). An exited task stays
  exited (an Update of RepeatNumber or SourceUrls does not revive it) until Restart; it reports
  CurrentFileIndex = last file, CurrentOffset = 600.
- At EndTime the task is deleted: every call made after it finds the task gone.
- Playback position: every file of a vod/url playlist is assumed to last exactly
  FILE_SECONDS (600 s). Positions are counted in seconds from the start of the first round, so a
  task starting at FileIndex k, Offset s starts at k*600+s; CurrentFileIndex (0-based, like
  FileIndex, whose documented default is 0) and CurrentOffset follow the clock while the task runs
  and stay frozen while it is stopped. RepeatNumber 0 plays the list once, N plays N extra rounds,
  -1 loops until EndTime. Live tasks report 0 / 0.
- Restart uses the latest config, from the top of the playlist (file 0, offset 0) unless FileIndex
  or Offset were updated while the task was stopped or exited, in which case it starts there.
  Before StartTime a Restart of a task that is waiting to start has no effect; a stopped task
  restarted before StartTime waits for StartTime.

Choices where the documents are silent (the emulator's, not necessarily the service's):
- Stop of a task that has not started: 400 `CodeTaskNotStarted`. Stop of a stopped or exited task:
  400 `CodeTaskHasStopped`.
- Update while the task is running or retrying (status 1 or 2) of anything but CallbackUrl and
  RepeatNumber: 400 `InvalidParameter`, "the task is running: stop it before updating <field>".
- Update of SourceType, SourceProtocol, DstUrl, TaskName, RetryCount or RetryInterval: 400
  `InvalidParameter` naming the parameter (they need a new task).
- RepeatNumber, FileIndex and Offset on a live task: 400 `InvalidParameter` (they apply to vod/url).
- DstUrl uniqueness is checked across all regions of the account.
- A retrying task (status 2) keeps advancing its position; parameters the SDKs may add that this
  API does not define here (AuthKey, ReqAuth, NotifyItemSwitch, OwnerId, RegionId) are ignored.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ...core import timefmt
from ...core.clock import Clock, SystemClock
from ...errors import ApiFault
from .. import params
from ..store import TaskStore
from . import checks

CLOUD = "aliyun"
FILE_SECONDS = 600  # assumed length of every playlist file (the emulator cannot read media)
TASK_NOT_EXIST = "CodeTaskNotExist"
TASK_HAS_STOPPED = "CodeTaskHasStopped"
TASK_NOT_STARTED = "CodeTaskNotStarted"

UPDATABLE_WHILE_RUNNING = ("CallbackUrl", "RepeatNumber")
CREATE_ONLY = ("SourceType", "SourceProtocol", "DstUrl", "TaskName", "RetryCount", "RetryInterval")
PLAYLIST_ONLY = ("RepeatNumber", "FileIndex", "Offset")
_TASK_INFO_KEYS = (
    "TaskId",
    "TaskName",
    "SourceType",
    "SourceProtocol",
    "SourceUrls",
    "DstUrl",
    "StartTime",
    "EndTime",
    "RepeatNumber",
    "RetryCount",
    "RetryInterval",
    "FileIndex",
    "Offset",
)


def _not_found(task_id: str) -> ApiFault:
    return ApiFault(400, TASK_NOT_EXIST, f"The task does not exist: TaskId {params.shown(task_id)}")


def _time(text: str) -> datetime:
    return timefmt.parse_rfc3339(text)


def _seconds(delta: timedelta) -> int:
    return int(delta.total_seconds())


def _unix(when: datetime) -> int:
    return int(when.timestamp())


@dataclass(frozen=True)
class RunState:
    """What Describe reports about a task's run at one instant."""

    status: int
    position: int  # seconds from the start of the first round, capped at the playlist's end
    exit_reason: str = ""
    exit_time: int = 0
    invalid_reason: str = ""


def _new_run() -> dict[str, Any]:
    # anchor_time None: the task (re)starts at StartTime; anchor_pos None: from FileIndex/Offset.
    # exited_at is set once an exit is written down, so later updates cannot revive the task.
    return {
        "anchor_time": None,
        "anchor_pos": None,
        "stopped_at": None,
        "exited_at": None,
        "seek": False,
        "retrying": None,
    }


def _is_playlist(task: Mapping[str, Any]) -> bool:
    return bool(task["SourceType"] != checks.LIVE)


def _configured_position(task: Mapping[str, Any]) -> int:
    return int(task["FileIndex"]) * FILE_SECONDS + int(task["Offset"]) if _is_playlist(task) else 0


def _limit(task: Mapping[str, Any]) -> int | None:
    """Where playback ends, or None when it never does (a live source, or RepeatNumber -1)."""
    repeat = int(task["RepeatNumber"])
    if not _is_playlist(task) or repeat < 0:
        return None
    return (repeat + 1) * len(task["SourceUrls"]) * FILE_SECONDS


def _anchor(task: Mapping[str, Any]) -> tuple[datetime, int]:
    run = task["run"]
    when = _time(run["anchor_time"]) if run["anchor_time"] else _time(task["StartTime"])
    position = run["anchor_pos"] if run["anchor_pos"] is not None else _configured_position(task)
    return when, int(position)


def run_state(task: Mapping[str, Any], now: datetime) -> RunState:
    """The task's status and position at `now` (EndTime is handled by deletion, not here)."""
    run = task["run"]
    anchor_time, anchor_pos = _anchor(task)
    if run["stopped_at"]:
        return RunState(3, anchor_pos, "TriggerByUser", _unix(_time(run["stopped_at"])))
    if run.get("exited_at"):
        return RunState(-1, anchor_pos, "", _unix(_time(run["exited_at"])))
    if now < anchor_time:
        return RunState(0, anchor_pos)
    position = anchor_pos + _seconds(now - anchor_time)
    limit = _limit(task)
    if limit is not None and position >= limit:
        ran_out = anchor_time + timedelta(seconds=max(0, limit - anchor_pos))
        return RunState(-1, limit, "", _unix(ran_out))
    if run["retrying"]:
        return RunState(2, position, invalid_reason=str(run["retrying"]))
    return RunState(1, position)


def file_and_offset(task: Mapping[str, Any], state: RunState) -> tuple[int, int]:
    """(CurrentFileIndex, CurrentOffset); an exited playlist reads as the end of its last file."""
    if not _is_playlist(task):
        return 0, 0
    files = len(task["SourceUrls"])
    if state.status == -1:
        return files - 1, FILE_SECONDS
    return (state.position // FILE_SECONDS) % files, state.position % FILE_SECONDS


def described(task: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """One task as Describe answers it and as each TaskList item carries it."""
    state = run_state(task, now)
    current_file, current_offset = file_and_offset(task, state)
    info = {key: task[key] for key in _TASK_INFO_KEYS}
    info["CallbackURL"] = task["CallbackUrl"]  # responses spell it so
    return {
        "TaskId": task["TaskId"],
        "TaskStatus": state.status,
        "TaskInvalidReason": state.invalid_reason,
        "TaskExitReason": state.exit_reason,
        "TaskExitTime": state.exit_time,
        "CurrentFileIndex": current_file,
        "CurrentOffset": current_offset,
        "TaskInfo": info,
    }


class AliyunBackend:
    def __init__(self, store: TaskStore, clock: Clock | None = None) -> None:
        self.store = store
        self.clock: Clock = clock or SystemClock()
        # Check-then-write sequences (DstUrl uniqueness, read-modify-write) must not interleave.
        self._lock = threading.RLock()

    # -- operations ---------------------------------------------------------------------------

    def create_live_pull_to_push(self, account: str, params: Mapping[str, str]) -> dict[str, Any]:
        """CreateLivePullToPush: validate, refuse a DstUrl in use, store; answers TaskId, RetCode, Description."""
        region = checks.region(params)
        now = self.clock.now()
        task = self._task_from_create(params, now)
        with self._lock:
            self._reap(account, now)
            for other in self.store.list(CLOUD, account):
                if other["DstUrl"] == task["DstUrl"]:
                    raise checks.invalid("DstUrl", f"is already used by task {other['TaskId']}")
            task_id = str(uuid.uuid4())
            task = {"TaskId": task_id, "Region": region, **task, "run": _new_run()}
            self.store.put(CLOUD, account, region, task_id, task)
        return {"TaskId": task_id, "RetCode": 0, "Description": ""}

    def describe_live_pull_to_push(self, account: str, params: Mapping[str, str]) -> dict[str, Any]:
        """DescribeLivePullToPush: one task with its run state at the clock's now."""
        region, task_id = checks.region(params), checks.required(params, "TaskId")
        now = self.clock.now()
        with self._lock:
            task = self._existing(account, region, task_id, now)
        return {"RetCode": 0, "Description": "", **described(task, now)}

    def describe_live_pull_to_push_list(self, account: str, params: Mapping[str, str]) -> dict[str, Any]:
        """DescribeLivePullToPushList: substring filters on TaskId/TaskName/DstUrl, one page in creation order."""
        region = checks.region(params)
        number, size = checks.page(params)
        filters = {name: checks.text(params, name) for name in ("TaskId", "TaskName", "DstUrl")}
        now = self.clock.now()
        with self._lock:
            self._reap(account, now)
            tasks = self.store.list(CLOUD, account, region)
        tasks = [
            task
            for task in tasks
            if all(wanted is None or wanted in str(task[name]) for name, wanted in filters.items())
        ]
        start = (number - 1) * size
        page = [described(task, now) for task in tasks[start : start + size]]
        return {"Total": len(tasks), "PageNumber": number, "PageSize": size, "TaskList": page}

    def update_live_pull_to_push(self, account: str, params: Mapping[str, str]) -> dict[str, Any]:
        """UpdateLivePullToPush: the accepted fields, limited to CallbackUrl/RepeatNumber while running."""
        region, task_id = checks.region(params), checks.required(params, "TaskId")
        for name in CREATE_ONLY:
            if checks.text(params, name) is not None:
                raise checks.invalid(name, "cannot be changed by UpdateLivePullToPush (create a new task instead)")
        changes = self._changes_from_update(params)
        now = self.clock.now()
        with self._lock:
            task = self._existing(account, region, task_id, now)
            state = run_state(task, now)
            if state.status in (1, 2):
                for name in changes:
                    if name not in UPDATABLE_WHILE_RUNNING:
                        raise ApiFault(
                            400, checks.INVALID_PARAMETER, f"the task is running: stop it before updating {name}"
                        )
            updated = self._apply(task, changes, state, now)
            self.store.put(CLOUD, account, region, task_id, updated)
        return {"RetCode": 0, "Description": ""}

    def stop_live_pull_to_push(self, account: str, params: Mapping[str, str]) -> dict[str, Any]:
        """StopLivePullToPush: only a running or retrying task; its position freezes."""
        region, task_id = checks.region(params), checks.required(params, "TaskId")
        now = self.clock.now()
        with self._lock:
            task = self._existing(account, region, task_id, now)
            state = run_state(task, now)
            if state.status == 0:
                raise ApiFault(
                    400,
                    TASK_NOT_STARTED,
                    f"The task has not started yet (StartTime {task['StartTime']}): nothing to stop",
                )
            if state.status in (3, -1):
                raise ApiFault(400, TASK_HAS_STOPPED, f"The task has already stopped: TaskId {task_id}")
            run = {
                **task["run"],
                "anchor_time": timefmt.format_utc(now),
                "anchor_pos": state.position,
                "stopped_at": timefmt.format_utc(now),
                "retrying": None,
                "seek": False,
            }
            self.store.put(CLOUD, account, region, task_id, {**task, "run": run})
        return {"TaskId": task_id}

    def restart_live_pull_to_push(self, account: str, params: Mapping[str, str]) -> dict[str, Any]:
        """RestartLivePullToPush: the latest config, from the top or from an updated FileIndex/Offset."""
        region, task_id = checks.region(params), checks.required(params, "TaskId")
        now = self.clock.now()
        with self._lock:
            task = self._existing(account, region, task_id, now)
            if run_state(task, now).status == 0:
                return {"TaskId": task_id}  # waiting for StartTime: no effect
            run = task["run"]
            position = _configured_position(task) if run["seek"] else 0
            before_start = now < _time(task["StartTime"])
            run = {
                **_new_run(),
                "anchor_time": None if before_start else timefmt.format_utc(now),
                "anchor_pos": position,
            }
            self.store.put(CLOUD, account, region, task_id, {**task, "run": run})
        return {"TaskId": task_id}

    def delete_live_pull_to_push(self, account: str, params: Mapping[str, str]) -> dict[str, Any]:
        """DeleteLivePullToPush: stops and deletes the task, whatever its state."""
        region, task_id = checks.region(params), checks.required(params, "TaskId")
        now = self.clock.now()
        with self._lock:
            self._existing(account, region, task_id, now)
            self.store.delete(CLOUD, account, region, task_id)
        return {"RetCode": 0, "Description": ""}

    # -- test hooks ---------------------------------------------------------------------------

    def get_task(self, account: str, region: str, task_id: str) -> dict[str, Any] | None:
        """The task as Describe would answer it now (for tests), or None when absent or past EndTime."""
        now = self.clock.now()
        task = self.store.get(CLOUD, account, region, task_id)
        if task is None or _time(task["EndTime"]) <= now:
            return None
        return described(task, now)

    def put_task(self, account: str, region: str, task: dict[str, Any]) -> None:
        """Store a task document as is, bypassing the rules (out-of-band changes in tests).

        The document holds the TaskInfo fields under their request names (CallbackUrl, not
        CallbackURL), SourceUrls as a list, and `run` (see `_new_run`); a missing `run` is a fresh one.
        """
        document = {"run": _new_run(), **task}
        self.store.put(CLOUD, account, region, str(task["TaskId"]), document)

    def set_retrying(self, account: str, region: str, task_id: str, reason: str | None = "PullStreamFailed") -> None:
        """Mark a task as retrying (status 2, TaskInvalidReason = reason), or clear it with None."""
        with self._lock:
            task = self.store.get(CLOUD, account, region, task_id)
            if task is None:
                raise KeyError(task_id)
            self.store.put(CLOUD, account, region, task_id, {**task, "run": {**task["run"], "retrying": reason}})

    # -- helpers ------------------------------------------------------------------------------

    def _reap(self, account: str, now: datetime) -> None:
        """Delete the account's tasks whose EndTime has come (the service does so at EndTime)."""
        for task in self.store.list(CLOUD, account):
            if _time(task["EndTime"]) <= now:
                self.store.delete(CLOUD, account, task["Region"], task["TaskId"])

    def _existing(self, account: str, region: str, task_id: str, now: datetime) -> dict[str, Any]:
        self._reap(account, now)
        task = self.store.get(CLOUD, account, region, task_id)
        if task is None:
            raise _not_found(task_id)
        return task

    @staticmethod
    def _task_from_create(params: Mapping[str, str], now: datetime) -> dict[str, Any]:
        source_type = checks.enum(params, "SourceType", checks.SOURCE_TYPES, is_required=True)
        assert source_type is not None
        protocol = checks.enum(
            params, "SourceProtocol", checks.SOURCE_PROTOCOLS, is_required=source_type == checks.LIVE
        )
        urls = checks.check_playlist(source_type, checks.source_urls(params))
        start = checks.time_value(params, "StartTime", is_required=True)
        end = checks.time_value(params, "EndTime", is_required=True)
        assert start is not None and end is not None
        checks.check_times(start, end, now, end_is_new=True)
        numbers = {
            "RepeatNumber": checks.integer(params, "RepeatNumber", -1),
            "FileIndex": checks.integer(params, "FileIndex", 0),
            "Offset": checks.integer(params, "Offset", 0),
        }
        if source_type == checks.LIVE:
            for name, value in numbers.items():
                if value is not None:
                    raise checks.invalid(name, "applies to vod and url tasks only")
        file_index = numbers["FileIndex"] or 0
        checks.check_file_index(file_index, urls)
        retry_count = checks.integer(params, "RetryCount", 0)
        retry_interval = checks.integer(params, "RetryInterval", *checks.RETRY_INTERVAL)
        return {
            "TaskName": checks.task_name(params) or "",
            "SourceType": source_type,
            "SourceProtocol": protocol or "",
            "SourceUrls": urls,
            "DstUrl": checks.dst_url(params),
            "StartTime": timefmt.format_utc(start),
            "EndTime": timefmt.format_utc(end),
            "CallbackUrl": checks.callback_url(params) or "",
            "RepeatNumber": numbers["RepeatNumber"] or 0,
            "RetryCount": 3 if retry_count is None else retry_count,
            "RetryInterval": retry_interval or checks.RETRY_INTERVAL[0],
            "FileIndex": file_index,
            "Offset": numbers["Offset"] or 0,
        }

    @staticmethod
    def _changes_from_update(params: Mapping[str, str]) -> dict[str, Any]:
        """The accepted fields present in the request, parsed (absent and `""` mean unchanged)."""
        parsed: dict[str, Any] = {
            "CallbackUrl": checks.callback_url(params),
            "EndTime": checks.time_value(params, "EndTime"),
            "FileIndex": checks.integer(params, "FileIndex", 0),
            "Offset": checks.integer(params, "Offset", 0),
            "RepeatNumber": checks.integer(params, "RepeatNumber", -1),
            "SourceUrls": checks.source_urls(params),
            "StartTime": checks.time_value(params, "StartTime"),
        }
        changes = {name: value for name, value in parsed.items() if value is not None}
        for name in ("StartTime", "EndTime"):
            if name in changes:
                changes[name] = timefmt.format_utc(changes[name])
        return changes

    @staticmethod
    def _apply(task: dict[str, Any], changes: Mapping[str, Any], state: RunState, now: datetime) -> dict[str, Any]:
        """The task with the changes applied and checked as a whole, and its run state adjusted."""
        if task["SourceType"] == checks.LIVE:
            for name in PLAYLIST_ONLY:
                if name in changes:
                    raise checks.invalid(name, "applies to vod and url tasks only")
        updated = {**task, **changes}
        checks.check_playlist(updated["SourceType"], updated["SourceUrls"])
        checks.check_file_index(int(updated["FileIndex"]), updated["SourceUrls"])
        if "StartTime" in changes or "EndTime" in changes:
            checks.check_times(
                _time(updated["StartTime"]), _time(updated["EndTime"]), now, end_is_new="EndTime" in changes
            )
        run = dict(task["run"])
        if state.status == -1 and not run.get("exited_at"):
            # Write the exit down: a new RepeatNumber or playlist must not bring the task back.
            run.update(
                exited_at=timefmt.format_utc(datetime.fromtimestamp(state.exit_time, UTC)),
                anchor_pos=state.position,
            )
        if state.status in (1, 2) and "RepeatNumber" in changes:
            # Takes effect now: re-anchor so a shorter playlist ends now, not in the past.
            run.update(anchor_time=timefmt.format_utc(now), anchor_pos=state.position)
        if "FileIndex" in changes or "Offset" in changes:
            if state.status == 0:
                run["anchor_pos"] = None  # the start will use the new FileIndex/Offset
            else:
                run["seek"] = True  # stopped or exited: the next Restart starts there
        updated["run"] = run
        return updated
