"""Alibaba's update path over a recording client: which calls, in which order, with which position.

A running task accepts only CallbackUrl and RepeatNumber; any other change is Stop → Update →
Restart, and a playlist resumes at the file and offset where it was (a Restart plays from the top
unless FileIndex/Offset say otherwise).
"""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_relaytask.aliyun.api import PullToPushTask
from pulumi_relaytask.aliyun.operations import AliyunOperations
from pulumi_relaytask.aliyun.settings import AliyunSettings
from pulumi_relaytask.errors import TaskNotFoundError

REGION = "cn-shanghai"
URLS = ["http://media.example.com/a.mp4", "http://media.example.com/b.mp4", "http://media.example.com/c.mp4"]
PLAYLIST: dict[str, Any] = {
    "source_type": "url",
    "source_urls": URLS,
    "dst_url": "rtmp://push.example.com/live/loop",
    "start_time": "2026-11-24T10:00:00Z",
    "end_time": "2026-11-25T10:00:00Z",
    "region": REGION,
}


class RecordingClient:
    """Answers Describe with a task in the given run state and records every other call."""

    settings = AliyunSettings("ak", "sk", REGION, "http://aliyun.test")

    def __init__(self, status: int | None, file_index: int = 2, offset: int = 120) -> None:
        self.task = (
            None
            if status is None
            else PullToPushTask(TaskId="t-1", TaskStatus=status, CurrentFileIndex=file_index, CurrentOffset=offset)
        )
        self.calls: list[tuple[str, Any]] = []

    def describe(self, task_id: str, region: str | None) -> PullToPushTask:
        if self.task is None:
            raise TaskNotFoundError("aliyun", "DescribeLivePullToPush", 400, "CodeTaskNotExist", "no such task")
        return self.task

    def update(self, params: dict[str, Any], region: str | None) -> None:
        self.calls.append(("update", params))

    def stop(self, task_id: str, region: str | None) -> None:
        self.calls.append(("stop", task_id))

    def restart(self, task_id: str, region: str | None) -> None:
        self.calls.append(("restart", task_id))


def update(client: RecordingClient, **change: Any) -> list[tuple[str, Any]]:
    new = {**PLAYLIST, **change}
    changed = tuple(name for name in new if new[name] != PLAYLIST.get(name))
    AliyunOperations(client).update("t-1", PLAYLIST, new, changed)  # type: ignore[arg-type]
    return client.calls


NEW_URLS = [*URLS[:2], "http://media.example.com/d.mp4"]


def test_a_running_playlist_is_stopped_updated_at_its_position_and_restarted() -> None:
    calls = update(RecordingClient(status=1, file_index=2, offset=120), source_urls=NEW_URLS)
    assert calls == [
        ("stop", "t-1"),
        ("update", {"TaskId": "t-1", "SourceUrls": NEW_URLS, "FileIndex": 2, "Offset": 120}),
        ("restart", "t-1"),
    ]


def test_a_retrying_task_counts_as_running() -> None:
    calls = update(RecordingClient(status=2, file_index=0, offset=30), end_time="2026-11-25T12:00:00Z")
    assert [name for name, _ in calls] == ["stop", "update", "restart"]
    assert calls[1][1]["FileIndex"] == 0 and calls[1][1]["Offset"] == 30


def test_a_new_start_position_asked_for_wins_over_the_current_one() -> None:
    calls = update(RecordingClient(status=1, file_index=2, offset=120), source_urls=NEW_URLS, file_index=1)
    assert calls[1] == ("update", {"TaskId": "t-1", "SourceUrls": NEW_URLS, "FileIndex": 1})


def test_a_live_source_has_no_position_to_resume() -> None:
    live = {"source_type": "live", "source_protocol": "rtmp", "source_urls": ["rtmp://origin.example.com/live/s"]}
    client = RecordingClient(status=1)
    new = {**PLAYLIST, **live, "end_time": "2026-11-25T12:00:00Z"}
    AliyunOperations(client).update("t-1", {**PLAYLIST, **live}, new, ("end_time",))  # type: ignore[arg-type]
    assert client.calls[1] == ("update", {"TaskId": "t-1", "EndTime": "2026-11-25T12:00:00Z"})


def test_callback_and_repeat_change_while_running_without_interruption() -> None:
    calls = update(RecordingClient(status=1), callback_url="https://hooks.example.com/r", repeat_number=2)
    assert calls == [("update", {"TaskId": "t-1", "CallbackUrl": "https://hooks.example.com/r", "RepeatNumber": 2})]


def test_a_task_not_running_is_updated_in_place() -> None:
    calls = update(RecordingClient(status=0), source_urls=NEW_URLS)
    assert calls == [("update", {"TaskId": "t-1", "SourceUrls": NEW_URLS})]


def test_a_change_with_pause_stops_and_does_not_restart() -> None:
    calls = update(RecordingClient(status=1), source_urls=NEW_URLS, status="pause")
    assert [name for name, _ in calls] == ["stop", "update"]


@pytest.mark.parametrize(("status", "desired", "expected"), [(3, "enable", ["restart"]), (1, "pause", ["stop"])])
def test_status_alone_restarts_or_stops(status: int, desired: str, expected: list[str]) -> None:
    calls = update(RecordingClient(status=status), status=desired)
    assert [name for name, _ in calls] == expected


def test_a_task_gone_before_the_update_fails_as_not_found() -> None:
    with pytest.raises(TaskNotFoundError):
        update(RecordingClient(status=None), source_urls=NEW_URLS)
