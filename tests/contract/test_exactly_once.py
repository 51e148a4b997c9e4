"""A create whose answer is lost is retried without ever making a second task.

The transport delivers the create to the emulator, then drops the answer (as a reset connection
would); the provider's operations must find the task they made instead of creating another.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from pulumi_relaytask.aliyun.api import AliyunClient
from pulumi_relaytask.aliyun.operations import AliyunOperations
from pulumi_relaytask.aliyun.settings import AliyunSettings
from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.tencent.api import TencentClient
from pulumi_relaytask.tencent.operations import TencentOperations
from pulumi_relaytask.tencent.settings import TencentSettings

from ..conftest import DEMO_AK, DEMO_SK


class LosesFirstAnswer(httpx.BaseTransport):
    """Forwards every request; throws away the answer of the first one whose action matches."""

    def __init__(self, action: str) -> None:
        self.inner = httpx.HTTPTransport()
        self.action = action
        self.lost = 0
        self.sent: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        action = request.headers.get("x-tc-action") or request.headers.get("x-acs-action") or ""
        self.sent.append(action)
        response = self.inner.handle_request(request)
        if action == self.action and not self.lost:
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


def test_tencent_create_is_exactly_once(server: EmulatorServer) -> None:
    transport = LosesFirstAnswer("CreateLivePullStreamTask")
    settings = TencentSettings(DEMO_AK, DEMO_SK, "ap-guangzhou", server.url)
    operations = TencentOperations(TencentClient(settings, transport=transport), sleep=lambda _s: None)
    start, end = _times()
    task_id = operations.create(
        {
            "source_type": "PullLivePushLive",
            "source_urls": ["rtmp://origin.example.com/live/a"],
            "domain_name": "push.example.com",
            "app_name": "live",
            "stream_name": "once",
            "start_time": start,
            "end_time": end,
        }
    )
    assert transport.lost == 1
    # The create went out once; the provider asked for its own id instead of creating again.
    assert transport.sent == ["CreateLivePullStreamTask", "DescribeLivePullStreamTasks"]
    listing = server.tencent.describe_live_pull_stream_tasks(DEMO_AK, "ap-guangzhou", {})
    assert listing["TotalNum"] == 1 and listing["TaskInfos"][0]["TaskId"] == task_id


def test_aliyun_create_is_exactly_once(server: EmulatorServer) -> None:
    transport = LosesFirstAnswer("CreateLivePullToPush")
    settings = AliyunSettings(DEMO_AK, DEMO_SK, "cn-shanghai", server.url)
    operations = AliyunOperations(AliyunClient(settings, transport=transport), sleep=lambda _s: None)
    start, end = _times()
    task_id = operations.create(
        {
            "source_type": "vod",
            "source_urls": ["http://media.example.com/a.mp4"],
            "dst_url": "rtmp://push.example.com/live/once",
            "start_time": start,
            "end_time": end,
        }
    )
    assert transport.lost == 1
    assert transport.sent == ["CreateLivePullToPush", "DescribeLivePullToPushList"]
    listing = server.aliyun.describe_live_pull_to_push_list(DEMO_AK, {"Region": "cn-shanghai"})
    assert listing["Total"] == 1 and listing["TaskList"][0]["TaskId"] == task_id
