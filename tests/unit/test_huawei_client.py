"""The Huawei client's error mapping and retries, against canned HTTP answers."""

from __future__ import annotations

import json

import httpx
import pytest

from pulumi_relaytask.errors import ApiError, AuthError, TaskNotFoundError, ThrottledError, TransportError
from pulumi_relaytask.huawei.api import HuaweiClient
from pulumi_relaytask.huawei.settings import HuaweiSettings

SETTINGS = HuaweiSettings("ak-123", "sk-very-secret", "proj-1", "cn-north-4", "http://live.test")


def client_answering(*answers: httpx.Response | Exception) -> tuple[HuaweiClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    client = HuaweiClient(SETTINGS, transport=httpx.MockTransport(handler))
    return client, seen


def error(status: int, code: str, msg: str = "nope") -> httpx.Response:
    return httpx.Response(status, json={"error_code": code, "error_msg": msg, "request_id": "req-9"})


@pytest.mark.parametrize(
    "status, code, kind",
    [
        (401, "APIGW.0301", AuthError),
        (429, "APIGW.0308", ThrottledError),
        (404, "LIVE.100011001", TaskNotFoundError),
        (400, "LIVE.100011001", ApiError),
    ],
)
def test_vendor_errors_map_to_the_exception_tree(status: int, code: str, kind: type[ApiError]) -> None:
    client, _ = client_answering(error(status, code))
    with pytest.raises(kind) as caught:
        client.create_pull_task({"source_type": "PullVodPushLive"})
    assert caught.value.code == code and caught.value.request_id == "req-9"
    assert "sk-very-secret" not in str(caught.value)


def test_requests_are_signed_on_the_documented_path() -> None:
    client, seen = client_answering(httpx.Response(200, json={"task_id": "t1", "request_id": "r"}))
    assert client.create_pull_task({"source_type": "PullVodPushLive"}) == "t1"
    (request,) = seen
    assert request.method == "POST" and request.url.path == "/v1/proj-1/pull/stream/task"
    assert request.headers["Authorization"].startswith("SDK-HMAC-SHA256 Access=ak-123, SignedHeaders=")
    assert request.headers["X-Project-Id"] == "proj-1"
    assert json.loads(request.content) == {"source_type": "PullVodPushLive"}


def test_reads_are_retried_on_throttling_and_5xx_but_creates_are_not(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("time.sleep", lambda _s: None)
    listing = httpx.Response(200, json={"task_infos": [], "total": 0, "request_id": "r"})
    client, seen = client_answering(error(429, "APIGW.0308"), error(503, "APIGW.0101"), listing)
    assert client.list_pull_tasks().total == 0
    assert len(seen) == 3

    client, seen = client_answering(error(503, "APIGW.0101"))
    with pytest.raises(ApiError):
        client.create_pull_task({})
    assert len(seen) == 1


def test_a_missing_task_reads_as_none_and_deletes_as_already_gone() -> None:
    client, _ = client_answering(error(404, "LIVE.100011001"), error(404, "LIVE.100011001"))
    assert client.get_pull_task("gone") is None
    assert client.delete_pull_task("gone") is False


def test_transport_failures_are_translated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("time.sleep", lambda _s: None)
    client, _ = client_answering(httpx.ConnectError("refused"))
    with pytest.raises(TransportError):
        client.modify_pull_task({"task_id": "t"})
