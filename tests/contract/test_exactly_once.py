"""A create whose answer is lost is retried without ever making a second task, on every cloud.

The transport delivers the create to the emulator, then drops the answer (as a reset connection
would); the provider's operations must find the task they made instead of creating another. A task
made by a create whose answer a previous run lost is taken by the next run; a task at the same
destination that differs is somebody else's, and the create fails naming it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from pulumi_relaytask.aliyun.api import AliyunClient
from pulumi_relaytask.aliyun.operations import AliyunOperations
from pulumi_relaytask.aliyun.settings import AliyunSettings
from pulumi_relaytask.core.settings import CallPolicy
from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.errors import DestinationTakenError
from pulumi_relaytask.huawei.api import HuaweiClient
from pulumi_relaytask.huawei.operations import HuaweiOperations
from pulumi_relaytask.huawei.settings import HuaweiSettings
from pulumi_relaytask.tencent.api import TencentClient
from pulumi_relaytask.tencent.operations import TencentOperations
from pulumi_relaytask.tencent.settings import TencentSettings

from ..conftest import DEMO_AK, DEMO_SK

POLICY = CallPolicy(deadline=10, timeout=2)
NO_SLEEP: Callable[[float], None] = lambda _s: None  # noqa: E731


def action_of(request: httpx.Request) -> str:
    if "/pull/stream/task" in request.url.path:
        return {"POST": "CreatePullTask", "GET": "ListPullTasks", "PUT": "ModifyPullTask"}.get(request.method, "")
    return request.headers.get("x-tc-action") or request.headers.get("x-acs-action") or ""


class LosesAnswers(httpx.BaseTransport):
    """Forwards every request; throws away the answers of the first `times` whose action matches."""

    def __init__(self, action: str, times: int = 1) -> None:
        self.inner = httpx.HTTPTransport()
        self.action = action
        self.times = times
        self.lost = 0
        self.sent: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        action = action_of(request)
        self.sent.append(action)
        response = self.inner.handle_request(request)
        if action == self.action and self.lost < self.times:
            response.read()
            self.lost += 1
            raise httpx.ReadError("connection reset after the request was delivered", request=request)
        return response


def _times() -> tuple[str, str]:
    now = datetime.now(UTC).replace(microsecond=0)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return (now + timedelta(hours=1)).strftime(fmt), (now + timedelta(hours=20)).strftime(fmt)


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer() as srv:
        yield srv


def huawei_ops(server: EmulatorServer, transport: httpx.BaseTransport | None = None) -> HuaweiOperations:
    settings = HuaweiSettings(DEMO_AK, DEMO_SK, "proj", "cn-north-4", server.url, POLICY)
    return HuaweiOperations(HuaweiClient(settings, transport=transport, sleep=NO_SLEEP))


def tencent_ops(server: EmulatorServer, transport: httpx.BaseTransport | None = None) -> TencentOperations:
    settings = TencentSettings(DEMO_AK, DEMO_SK, "ap-guangzhou", server.url, policy=POLICY)
    return TencentOperations(TencentClient(settings, transport=transport, sleep=NO_SLEEP))


def aliyun_ops(server: EmulatorServer, transport: httpx.BaseTransport | None = None) -> AliyunOperations:
    settings = AliyunSettings(DEMO_AK, DEMO_SK, "cn-shanghai", server.url, policy=POLICY)
    return AliyunOperations(AliyunClient(settings, transport=transport, sleep=NO_SLEEP))


def huawei_task(**change: Any) -> dict[str, Any]:
    start, end = _times()
    return {
        "source_type": "PullVodPushLive",
        "source_urls": ["http://media.example.com/a.mp4"],
        "domain": "push.example.com",
        "app_name": "live",
        "stream_name": "once",
        "start_time": start,
        "end_time": end,
        **change,
    }


def tencent_task(**change: Any) -> dict[str, Any]:
    start, end = _times()
    return {
        "source_type": "PullLivePushLive",
        "source_urls": ["rtmp://origin.example.com/live/a"],
        "domain_name": "push.example.com",
        "app_name": "live",
        "stream_name": "once",
        "start_time": start,
        "end_time": end,
        **change,
    }


def aliyun_task(**change: Any) -> dict[str, Any]:
    start, end = _times()
    return {
        "source_type": "vod",
        "source_urls": ["http://media.example.com/a.mp4"],
        "dst_url": "rtmp://push.example.com/live/once",
        "start_time": start,
        "end_time": end,
        **change,
    }


def huawei_ids(server: EmulatorServer) -> list[str]:
    return [task["task_id"] for task in server.huawei.list_pull_tasks(DEMO_AK, "proj", limit="100")[0]]


def tencent_ids(server: EmulatorServer) -> list[str]:
    listing = server.tencent.describe_live_pull_stream_tasks(DEMO_AK, "ap-guangzhou", {})
    return [info["TaskId"] for info in listing["TaskInfos"]]


def aliyun_ids(server: EmulatorServer) -> list[str]:
    listing = server.aliyun.describe_live_pull_to_push_list(DEMO_AK, {"Region": "cn-shanghai"})
    return [task["TaskId"] for task in listing["TaskList"]]


def test_huawei_create_is_exactly_once(server: EmulatorServer) -> None:
    transport = LosesAnswers("CreatePullTask")
    task_id = huawei_ops(server, transport).create(huawei_task())
    assert transport.lost == 1
    # The create went out once; the provider paged the listing for the destination instead of creating again.
    assert transport.sent == ["CreatePullTask", "ListPullTasks"]
    assert huawei_ids(server) == [task_id]


def test_tencent_create_is_exactly_once(server: EmulatorServer) -> None:
    transport = LosesAnswers("CreateLivePullStreamTask")
    task_id = tencent_ops(server, transport).create(tencent_task())
    assert transport.lost == 1
    assert transport.sent == ["CreateLivePullStreamTask", "DescribeLivePullStreamTasks"]
    assert tencent_ids(server) == [task_id]


def test_aliyun_create_is_exactly_once(server: EmulatorServer) -> None:
    transport = LosesAnswers("CreateLivePullToPush")
    task_id = aliyun_ops(server, transport).create(aliyun_task())
    assert transport.lost == 1
    assert transport.sent == ["CreateLivePullToPush", "DescribeLivePullToPushList"]
    assert aliyun_ids(server) == [task_id]


CLOUDS = {
    "huawei": (huawei_ops, huawei_task, huawei_ids),
    "tencent": (tencent_ops, tencent_task, tencent_ids),
    "aliyun": (aliyun_ops, aliyun_task, aliyun_ids),
}


@pytest.mark.parametrize("cloud", list(CLOUDS))
def test_a_task_left_by_a_lost_answer_in_an_earlier_run_is_taken(server: EmulatorServer, cloud: str) -> None:
    ops, task, ids = CLOUDS[cloud]
    desired = task()  # built once: the times must not move between the two runs
    first = ops(server).create(desired)  # an earlier run whose answer was lost: it never learnt this id
    assert ops(server).create(desired) == first
    assert ids(server) == [first]


# Tencent ties a create to its SpecifyTaskId; a destination there may serve several tasks.
@pytest.mark.parametrize("cloud", ["huawei", "aliyun"])
def test_a_destination_held_by_another_task_fails_the_create_naming_it(server: EmulatorServer, cloud: str) -> None:
    ops, task, ids = CLOUDS[cloud]
    desired = task()
    first = ops(server).create(desired)
    with pytest.raises(DestinationTakenError) as caught:
        ops(server).create({**desired, "source_urls": ["http://media.example.com/other.mp4"]})
    assert first in str(caught.value) and "source_urls" in str(caught.value)
    assert ids(server) == [first]
