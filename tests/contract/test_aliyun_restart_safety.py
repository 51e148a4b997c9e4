"""Alibaba's Stop → Update → Restart never strands a running task, whichever of the three calls fails.

A running playlist changes its source: the provider stops it, updates it and restarts it. The
emulator fails one of the three calls until told otherwise (HTTP 500 InternalError, retried until the
deadline), and the task must end running: restarted with its old settings when Update fails; when
Restart fails it is stopped, the error says so, and the next update (the next `pulumi up`) restarts it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pulumi_relaytask.aliyun.api import RUNNING, STOPPED, AliyunClient
from pulumi_relaytask.aliyun.operations import AliyunOperations
from pulumi_relaytask.aliyun.settings import AliyunSettings
from pulumi_relaytask.core.call import BUCKETS
from pulumi_relaytask.core.clock import FixedClock
from pulumi_relaytask.core.settings import CallPolicy
from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.errors import RelayTaskError

from ..conftest import DEMO_AK, DEMO_SK

REGION = "cn-shanghai"
NOW = datetime.now(UTC).replace(microsecond=0)
OLD_URLS = ["http://media.example.com/a.mp4", "http://media.example.com/b.mp4"]
NEW_URLS = ["http://media.example.com/c.mp4"]


def task(urls: list[str]) -> dict[str, Any]:
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return {
        "source_type": "url",
        "source_urls": urls,
        "dst_url": "rtmp://push.example.com/live/safe",
        "start_time": (NOW + timedelta(minutes=5)).strftime(fmt),
        "end_time": (NOW + timedelta(days=2)).strftime(fmt),
        "region": REGION,
    }


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    BUCKETS.clear()  # this test's pacing starts afresh
    with EmulatorServer(clock=FixedClock(NOW)) as srv:
        yield srv


def running_task(server: EmulatorServer) -> tuple[AliyunOperations, str]:
    settings = AliyunSettings(DEMO_AK, DEMO_SK, REGION, server.url, policy=CallPolicy(deadline=1.5, timeout=1))
    ops = AliyunOperations(AliyunClient(settings))
    task_id = ops.create(task(OLD_URLS))
    assert isinstance(server.clock, FixedClock)
    server.clock.advance(timedelta(minutes=10))  # past StartTime: the task runs
    assert ops.client.describe(task_id, REGION).TaskStatus in RUNNING
    return ops, task_id


def update(ops: AliyunOperations, task_id: str) -> None:
    ops.update(task_id, task(OLD_URLS), task(NEW_URLS), ("source_urls",))


def live(ops: AliyunOperations, task_id: str) -> tuple[int | None, list[str] | None]:
    found = ops.client.describe(task_id, REGION)
    return found.TaskStatus, found.TaskInfo.SourceUrls


def test_a_failing_stop_leaves_the_task_running_unchanged(server: EmulatorServer) -> None:
    ops, task_id = running_task(server)
    server.faults.add_rule("aliyun", "StopLivePullToPush", "error", count=-1)
    with pytest.raises(RelayTaskError, match="StopLivePullToPush"):
        update(ops, task_id)
    assert server.stats.count("aliyun", "UpdateLivePullToPush") == 0
    status, urls = live(ops, task_id)
    assert status in RUNNING and urls == OLD_URLS


def test_a_failing_update_restarts_the_task_with_its_old_settings(server: EmulatorServer) -> None:
    ops, task_id = running_task(server)
    server.faults.add_rule("aliyun", "UpdateLivePullToPush", "error", count=-1)
    with pytest.raises(RelayTaskError, match="the task was restarted"):
        update(ops, task_id)
    status, urls = live(ops, task_id)
    assert status in RUNNING and urls == OLD_URLS
    server.faults.clear()
    update(ops, task_id)  # the next `pulumi up` applies the change
    status, urls = live(ops, task_id)
    assert status in RUNNING and urls == NEW_URLS


def test_a_failing_restart_says_the_task_is_stopped_and_the_next_update_restarts_it(server: EmulatorServer) -> None:
    ops, task_id = running_task(server)
    server.faults.add_rule("aliyun", "RestartLivePullToPush", "error", count=-1)
    with pytest.raises(RelayTaskError, match="The task is stopped: the next `pulumi up` restarts it"):
        update(ops, task_id)
    assert live(ops, task_id) == (STOPPED, NEW_URLS)
    server.faults.clear()
    update(ops, task_id)  # the state still holds the old settings: the next up updates again, and restarts
    status, urls = live(ops, task_id)
    assert status in RUNNING and urls == NEW_URLS


def test_a_lost_answer_to_restart_is_not_sent_twice(server: EmulatorServer) -> None:
    ops, task_id = running_task(server)
    server.faults.add_rule("aliyun", "RestartLivePullToPush", "reset_after", count=1)
    update(ops, task_id)
    assert server.stats.count("aliyun", "RestartLivePullToPush") == 1  # the run state said it had run
    status, urls = live(ops, task_id)
    assert status in RUNNING and urls == NEW_URLS
