"""The Huawei client's answer classification and retries, against canned HTTP answers."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from pulumi_relaytask.core.call import BUCKETS
from pulumi_relaytask.core.settings import CallPolicy
from pulumi_relaytask.errors import (
    ApiError,
    AuthError,
    ConflictError,
    DeadlineExceededError,
    InvalidRequestError,
    TaskNotFoundError,
    ThrottledError,
    UnavailableError,
)
from pulumi_relaytask.huawei.api import HuaweiClient
from pulumi_relaytask.huawei.settings import HuaweiSettings

SETTINGS = HuaweiSettings(
    "ak-123", "sk-very-secret", "proj-1", "cn-north-4", "http://live.test", CallPolicy(deadline=5, timeout=1)
)


@pytest.fixture(autouse=True)
def fresh_buckets() -> Iterator[None]:
    BUCKETS.clear()  # a bucket made under a test's stand-in clock must not outlive the test
    yield
    BUCKETS.clear()


def client_answering(*answers: httpx.Response | Exception) -> tuple[HuaweiClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    client = HuaweiClient(SETTINGS, transport=httpx.MockTransport(handler), sleep=lambda _s: None)
    return client, seen


def error(status: int, code: str, msg: str = "nope") -> httpx.Response:
    return httpx.Response(status, json={"error_code": code, "error_msg": msg, "request_id": "req-9"})


@pytest.mark.parametrize(
    "status, code, kind",
    [
        (401, "APIGW.0301", AuthError),
        (404, "LIVE.100011001", TaskNotFoundError),
        (400, "LIVE.100011001", InvalidRequestError),
        (400, "LIVE.103011018", ConflictError),
        (403, "LIVE.100011013", ApiError),
    ],
)
def test_vendor_errors_map_to_the_exception_tree(status: int, code: str, kind: type[ApiError]) -> None:
    client, _ = client_answering(error(status, code))
    with pytest.raises(kind) as caught:
        client.create_pull_task({"source_type": "PullVodPushLive"}, confirm=lambda: None)
    assert type(caught.value) is kind
    assert caught.value.code == code and caught.value.request_id == "req-9"
    assert "sk-very-secret" not in str(caught.value)


def test_requests_are_signed_on_the_documented_path() -> None:
    client, seen = client_answering(httpx.Response(200, json={"task_id": "t1", "request_id": "r"}))
    assert client.create_pull_task({"source_type": "PullVodPushLive"}, confirm=lambda: None) == "t1"
    (request,) = seen
    assert request.method == "POST" and request.url.path == "/v1/proj-1/pull/stream/task"
    assert request.headers["Authorization"].startswith("SDK-HMAC-SHA256 Access=ak-123, SignedHeaders=")
    assert request.headers["X-Project-Id"] == "proj-1"
    assert json.loads(request.content) == {"source_type": "PullVodPushLive"}


def test_reads_are_retried_on_throttling_and_5xx() -> None:
    listing = httpx.Response(200, json={"task_infos": [], "total": 0, "request_id": "r"})
    client, seen = client_answering(error(429, "APIGW.0308"), error(503, "APIGW.0201"), listing)
    assert client.list_pull_tasks().total == 0
    assert len(seen) == 3


def test_a_create_in_doubt_asks_before_sending_again() -> None:
    created = httpx.Response(200, json={"task_id": "t-new", "request_id": "r"})
    # Throttled: refused before it was applied, so it is simply sent again.
    client, seen = client_answering(error(429, "APIGW.0308"), created)
    asked: list[str] = []
    assert client.create_pull_task({}, confirm=lambda: asked.append("?") or None) == "t-new"
    assert len(seen) == 2 and asked == []
    # A 5xx may have been applied: the cloud is asked first, and what it found is taken.
    client, seen = client_answering(error(500, "APIGW.0201"))
    assert client.create_pull_task({}, confirm=lambda: "t-made") == "t-made"
    assert len(seen) == 1
    # A reset after sending, nothing found: sent again.
    client, seen = client_answering(httpx.ReadError("reset"), created)
    assert client.create_pull_task({}, confirm=lambda: None) == "t-new"
    assert len(seen) == 2


def test_a_modify_with_a_confirmation_is_not_sent_again_once_applied() -> None:
    client, seen = client_answering(httpx.ReadTimeout("slow"))
    client.modify_pull_task({"task_id": "t"}, confirm=lambda: True)
    assert len(seen) == 1
    client, seen = client_answering(httpx.ReadTimeout("slow"), httpx.Response(200, json={"task_id": "t"}))
    client.modify_pull_task({"task_id": "t"}, confirm=lambda: False)
    assert len(seen) == 2


def test_a_missing_task_reads_as_none_and_deletes_as_already_gone() -> None:
    client, _ = client_answering(error(404, "LIVE.100011001"), error(404, "LIVE.100011001"))
    assert client.get_pull_task("gone") is None
    assert client.delete_pull_task("gone") is False


def test_retries_stop_at_the_deadline_naming_cloud_operation_task_and_last_code() -> None:
    clock = [0.0]
    settings = HuaweiSettings(
        "ak", "sk-very-secret", "p", "cn-north-4", "http://live.test", CallPolicy(deadline=3, timeout=1)
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return error(503, "APIGW.0201", "busy")

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    client = HuaweiClient(settings, transport=httpx.MockTransport(handler), sleep=sleep)
    with pytest.raises(DeadlineExceededError) as caught, pytest.MonkeyPatch.context() as patch:
        patch.setattr("time.monotonic", lambda: clock[0])
        client.modify_pull_task({"task_id": "t-42"})
    text = str(caught.value)
    assert text.startswith("huawei ModifyPullTask for task t-42: gave up after ")
    assert "APIGW.0201" in text and "relaytask:retryDeadline" in text and "sk-very-secret" not in text
    assert clock[0] < 3  # never slept past the deadline


def test_an_ambiguous_failure_of_a_write_without_confirmation_is_not_retried() -> None:
    client, seen = client_answering(error(500, "APIGW.0201"))
    with pytest.raises(UnavailableError):
        client._call("CreatePullTask", "POST", subject="x", idempotent=False, json={})
    assert len(seen) == 1
    client, seen = client_answering(
        httpx.ConnectError("refused"), error(429, "APIGW.0308"), httpx.Response(200, json={})
    )
    assert client._call("CreatePullTask", "POST", subject="x", idempotent=False, json={}) == {}
    assert len(seen) == 3  # never sent, then refused before it was applied: both safe to send again
    assert isinstance(ThrottledError("huawei", "op", 429, "c", "m"), ApiError)
