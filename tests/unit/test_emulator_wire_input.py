"""Each cloud's wire module answers malformed and hostile requests with its own 400-class error.

The wires are driven directly (no socket), so an exception would surface here rather than as the
server's generic 5xx: deep JSON, numbers of thousands of digits, non-ASCII digits, impossible
time-zone offsets, malformed IPv6 URLs, lone surrogates, wrong JSON types in every field, parameters
sent twice, percent-encoding garbage and non-ASCII signature, credential and date headers.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from pulumi_relaytask.aliyun.auth import v2_canonical_query, v2_signature, v2_string_to_sign
from pulumi_relaytask.emulator.aliyun.wire import AliyunWire
from pulumi_relaytask.emulator.huawei.wire import HuaweiWire
from pulumi_relaytask.emulator.messages import HttpRequest, HttpResponse
from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.emulator.tencent.wire import TencentWire
from pulumi_relaytask.huawei import auth as sdk_hmac
from pulumi_relaytask.tencent import auth as tc3

AK = "relaytask-demo-ak"
SK = "relaytask-demo-sk"
TOKEN = "wire-test-token"
PROJECT = "0123456789abcdef0123456789abcdef"
HUAWEI_PATH = f"/v1/{PROJECT}/pull/stream/task"
NOW = datetime.now(UTC).replace(microsecond=0)

DEEP = "[" * 100_000 + "]" * 100_000
HUGE_INT = "9" * 5000
# Values of the wrong JSON type for any field, and strings no field takes.
WRONG_TYPES: list[Any] = [[], {}, True, False, 1.5, -1, 10**30, ["a", 1], {"a": [None]}, "x" * 100_000, "\ud800"]
BAD_TIMES = [
    "2026-11-22T10:00:00+25:00",
    "2026-11-22T10:00:00+99:99",
    "٢٠٢٦-11-22T10:00:00Z",
    "9999-12-31T23:59:59-01:00",
]
BAD_URLS = ["http://[::1", "rtmp://h:99999/a", "rtmp://h/é", "rtmp://h/a b", "javascript:alert(1)", "x" * 5000]


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    emulator = EmulatorServer(credentials={"tokens": [TOKEN]}, rate_limits=False)
    try:
        yield emulator
    finally:
        emulator.stop()


def short(value: object) -> str:
    return repr(value)[:24]


def z(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


# -- Huawei ---------------------------------------------------------------------------------------


def huawei_task(**overrides: Any) -> dict[str, Any]:
    task: dict[str, Any] = {
        "source_type": "PullVodPushLive",
        "source_urls": ["https://vod.example.com/1.mp4"],
        "domain": "push.example.com",
        "app_name": "live",
        "stream_name": "s1",
        "start_time": z(NOW + timedelta(hours=1)),
        "end_time": z(NOW + timedelta(days=1)),
    }
    task.update(overrides)
    return task


def huawei(server: EmulatorServer) -> Callable[..., HttpResponse]:
    wire = HuaweiWire(server.huawei, server.credentials, server.stats, server.gate)

    def call(
        method: str = "POST", body: bytes = b"", query: str = "", headers: dict[str, str] | None = None
    ) -> HttpResponse:
        sent = {"content-type": "application/json", "x-auth-token": TOKEN, **(headers or {})}
        return wire.handle(HttpRequest(method, HUAWEI_PATH, query, sent, body))

    return call


def huawei_refusal(response: HttpResponse) -> dict[str, Any]:
    body = json.loads(response.body)
    assert 400 <= response.status < 500, body
    assert set(body) == {"error_code", "error_msg", "request_id"}
    return dict(body)


def test_huawei_accepts_a_good_create(server: EmulatorServer) -> None:
    response = huawei(server)(body=json.dumps(huawei_task()).encode())
    assert response.status == 200, response.body


@pytest.mark.parametrize(
    "raw",
    [DEEP, '{"a": ' + DEEP + "}", '{"n": ' + HUGE_INT + "}", "[1]", '"s"', "null", '{"a": NaN}', "\xff"],
    ids=["deep", "deep in object", "huge int", "array", "string", "null", "NaN", "latin-1"],
)
def test_huawei_bodies(server: EmulatorServer, raw: str) -> None:
    huawei_refusal(huawei(server)(body=raw.encode("utf-8", errors="surrogateescape")))


@pytest.mark.parametrize("value", WRONG_TYPES, ids=short)
@pytest.mark.parametrize(
    "field",
    [
        *huawei_task(),
        "push_args",
        "callback_url",
        "callback_events",
        "vod_loop_time",
        "vod_start_video_index",
        "region",
        "destination_url",
        "backup_source_urls",
    ],
)
def test_huawei_wrong_types_in_every_field(server: EmulatorServer, field: str, value: Any) -> None:
    body = json.dumps(huawei_task(**{field: value}), allow_nan=True).encode()
    response = huawei(server)(body=body)
    if response.status != 200:  # a few values fit some fields (-1 is no index, but a wrong one is 400)
        huawei_refusal(response)


@pytest.mark.parametrize("when", BAD_TIMES)
def test_huawei_times(server: EmulatorServer, when: str) -> None:
    assert (
        "end_time" in huawei_refusal(huawei(server)(body=json.dumps(huawei_task(end_time=when)).encode()))["error_msg"]
    )


@pytest.mark.parametrize("url", BAD_URLS, ids=short)
def test_huawei_urls(server: EmulatorServer, url: str) -> None:
    response = huawei(server)(body=json.dumps(huawei_task(source_urls=[url])).encode())
    assert "source_urls" in huawei_refusal(response)["error_msg"]


def test_huawei_duplicate_keys_and_surrogates(server: EmulatorServer) -> None:
    call = huawei(server)
    raw = json.dumps(huawei_task())[:-1] + ', "stream_name": "again"}'
    assert "stream_name" in huawei_refusal(call(body=raw.encode()))["error_msg"]
    modify = call("PUT", b'{"task_id": "\\ud800", "status": "pause"}')
    assert "task_id" in huawei_refusal(modify)["error_msg"]


@pytest.mark.parametrize(
    "query",
    [
        "offset=٣",
        "limit=³",
        f"offset={HUGE_INT}",
        "limit=-" + HUGE_INT,
        "limit=1&limit=2",
        "offset=%zz%ff",
        "task_id=%ff%fe",
    ],
)
def test_huawei_list_queries(server: EmulatorServer, query: str) -> None:
    response = huawei(server)("GET", query=query)
    if response.status != 200:
        huawei_refusal(response)


def signed_huawei(server: EmulatorServer, sdk_date: str, authorization: str | None = None) -> HttpResponse:
    headers = {"content-type": "application/json", "host": "emulator.test", "x-sdk-date": sdk_date}
    signed = sdk_hmac.signed_headers_for(headers)
    canonical = sdk_hmac.canonical_request("GET", HUAWEI_PATH, [], headers, signed, b"")
    signature = sdk_hmac.signature(SK, sdk_hmac.string_to_sign(sdk_date, canonical))
    headers["authorization"] = authorization or sdk_hmac.authorization_header(AK, signed, signature)
    wire = HuaweiWire(server.huawei, server.credentials, server.stats, server.gate)
    return wire.handle(HttpRequest("GET", HUAWEI_PATH, "", headers, b""))


def test_huawei_signed_headers(server: EmulatorServer) -> None:
    fresh = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert signed_huawei(server, fresh).status == 200
    for date in (
        "\u0662\u0660\u0662\u0666\u0661\u0661\u0662\u0662T100000Z",
        "20261322T100000Z",
        "yesterday",
        "20200101T000000Z",
    ):
        assert huawei_refusal(signed_huawei(server, date))["error_code"] == "APIGW.0301"
    bad = f"SDK-HMAC-SHA256 Access={AK}, SignedHeaders=host;x-sdk-date, Signature=é"
    assert huawei_refusal(signed_huawei(server, fresh, bad))["error_code"] == "APIGW.0301"
    stranger = "SDK-HMAC-SHA256 Access=ключ, SignedHeaders=host;x-sdk-date, Signature=00"
    assert huawei_refusal(signed_huawei(server, fresh, stranger))["error_code"] == "APIGW.0301"


# -- Tencent --------------------------------------------------------------------------------------


def tencent_task(**overrides: Any) -> dict[str, Any]:
    task: dict[str, Any] = {
        "SourceType": "PullVodPushLive",
        "SourceUrls": ["https://vod.example.com/1.mp4"],
        "DomainName": "push.example.com",
        "AppName": "live",
        "StreamName": "s1",
        "StartTime": z(NOW + timedelta(hours=1)),
        "EndTime": z(NOW + timedelta(days=1)),
        "Operator": "ops",
    }
    task.update(overrides)
    return task


def tencent(
    server: EmulatorServer, body: bytes, *, action: str = "CreateLivePullStreamTask", **header_overrides: str
) -> dict[str, Any]:
    """The Response object of a signed call; every answer must be HTTP 200."""
    timestamp = int(time.time())  # signed now: the emulator checks freshness against the wall clock
    date = tc3.date_of(timestamp)
    headers = {"content-type": "application/json", "host": "emulator.test", "x-tc-action": action}
    signed = ["content-type", "host", "x-tc-action"]
    canonical = tc3.canonical_request("POST", "/", "", headers, signed, body)
    to_sign = tc3.string_to_sign(timestamp, tc3.credential_scope(date, "live"), canonical)
    signature = tc3.signature(tc3.signing_key(SK, date, "live"), to_sign)
    headers.update(
        {
            "authorization": tc3.authorization_header(AK, date, "live", signed, signature),
            "x-tc-timestamp": str(timestamp),
            "x-tc-version": "2018-08-01",
            "x-tc-region": "ap-guangzhou",
            **header_overrides,
        }
    )
    wire = TencentWire(server.tencent, server.credentials, server.stats, server.gate)
    response = wire.handle(HttpRequest("POST", "/", "", headers, body))
    assert response.status == 200
    return dict(json.loads(response.body)["Response"])


def tencent_error(answer: dict[str, Any]) -> str:
    assert "Error" in answer, answer
    code = str(answer["Error"]["Code"])
    assert code != "InternalError", answer
    return code


def test_tencent_accepts_a_good_create(server: EmulatorServer) -> None:
    assert "TaskId" in tencent(server, json.dumps(tencent_task()).encode())


@pytest.mark.parametrize(
    "raw",
    [DEEP, '{"a": ' + DEEP + "}", '{"PageNum": ' + HUGE_INT + "}", "[1]", '"s"', "3", '{"PageNum": NaN}', "\xff"],
    ids=["deep", "deep in object", "huge int", "array", "string", "number", "NaN", "latin-1"],
)
def test_tencent_bodies(server: EmulatorServer, raw: str) -> None:
    body = raw.encode("utf-8", errors="surrogateescape")
    tencent_error(tencent(server, body, action="DescribeLivePullStreamTasks"))


@pytest.mark.parametrize("value", WRONG_TYPES, ids=short)
@pytest.mark.parametrize(
    "field",
    [
        *tencent_task(),
        "ToUrl",
        "CallbackUrl",
        "VodLoopTimes",
        "FileIndex",
        "WatermarkList",
        "BackupToUrl",
        "Comment",
        "SpecifyTaskId",
    ],
)
def test_tencent_wrong_types_in_every_field(server: EmulatorServer, field: str, value: Any) -> None:
    answer = tencent(server, json.dumps(tencent_task(**{field: value})).encode())
    if "TaskId" not in answer:
        tencent_error(answer)


@pytest.mark.parametrize("when", BAD_TIMES)
def test_tencent_times(server: EmulatorServer, when: str) -> None:
    assert tencent_error(tencent(server, json.dumps(tencent_task(EndTime=when)).encode())) == (
        "InvalidParameter.InvalidTaskTime"
    )


@pytest.mark.parametrize("url", BAD_URLS, ids=short)
def test_tencent_urls(server: EmulatorServer, url: str) -> None:
    assert tencent_error(tencent(server, json.dumps(tencent_task(SourceUrls=[url])).encode())) == (
        "InvalidParameter.InvalidSourceUrl"
    )
    marks = [{"PictureUrl": url}]
    assert tencent_error(tencent(server, json.dumps(tencent_task(WatermarkList=marks)).encode())) == (
        "InvalidParameter.InvalidWatermark"
    )


@pytest.mark.parametrize("loops", ["٣", "³", HUGE_INT, "-" + HUGE_INT, " 3", "1_0"], ids=short)
def test_tencent_loop_times_text(server: EmulatorServer, loops: str) -> None:
    assert tencent_error(tencent(server, json.dumps(tencent_task(VodLoopTimes=loops)).encode())) == "InvalidParameter"


def test_tencent_duplicate_keys(server: EmulatorServer) -> None:
    raw = json.dumps(tencent_task())[:-1] + ', "StreamName": "again"}'
    assert tencent_error(tencent(server, raw.encode())) == "InvalidParameter"


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("x-tc-timestamp", "³"),
        ("x-tc-timestamp", "٣٣٣"),
        ("x-tc-timestamp", HUGE_INT),
        ("x-tc-timestamp", "-5"),
        ("x-tc-timestamp", "0"),
        (
            "authorization",
            "TC3-HMAC-SHA256 Credential=ключ/2026-01-01/live/tc3_request, SignedHeaders=host, Signature=é",
        ),
        (
            "authorization",
            f"TC3-HMAC-SHA256 Credential={AK}/2026-01-01/live/tc3_request, SignedHeaders=host, Signature=é",
        ),
        ("x-tc-region", "ap-гуанчжоу"),
        ("x-tc-version", "é" * 5000),
    ],
    ids=short,
)
def test_tencent_headers(server: EmulatorServer, header: str, value: str) -> None:
    code = tencent_error(tencent(server, b"{}", action="DescribeLivePullStreamTasks", **{header: value}))
    assert code.startswith(("AuthFailure", "InvalidParameter", "MissingParameter"))


# -- Alibaba --------------------------------------------------------------------------------------


def aliyun(server: EmulatorServer, params: dict[str, str], *, raw_query: str = "", **overrides: str) -> HttpResponse:
    query = {
        "Action": "CreateLivePullToPush",
        "Version": "2016-11-01",
        "Format": "JSON",
        "AccessKeyId": AK,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": uuid.uuid4().hex,
        "Timestamp": z(datetime.now(UTC)),
        **params,
    }
    query["Signature"] = v2_signature(SK, v2_string_to_sign("POST", v2_canonical_query(query.items())))
    query.update(overrides)
    wire = AliyunWire(server.aliyun, server.credentials, server.stats, server.gate)
    text = urlencode(query) + (("&" + raw_query) if raw_query else "")
    return wire.handle(HttpRequest("POST", "/", text, {"host": "emulator.test"}, b""))


def aliyun_task(**overrides: str) -> dict[str, str]:
    task = {
        "Region": "cn-shanghai",
        "SourceType": "url",
        "SourceUrls": json.dumps(["https://vod.example.com/1.mp4"]),
        "DstUrl": "rtmp://push.example.com/live/s1",
        "StartTime": z(NOW + timedelta(hours=1)),
        "EndTime": z(NOW + timedelta(days=1)),
    }
    task.update(overrides)
    return task


def aliyun_refusal(response: HttpResponse) -> dict[str, Any]:
    body = json.loads(response.body)
    assert 400 <= response.status < 500, body
    assert set(body) == {"RequestId", "HostId", "Code", "Message"}
    return dict(body)


def test_aliyun_accepts_a_good_create(server: EmulatorServer) -> None:
    assert aliyun(server, aliyun_task()).status == 200


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RepeatNumber", "٣"),
        ("RepeatNumber", HUGE_INT),
        ("Offset", "-" + HUGE_INT),
        ("RetryCount", "1e3"),
        ("SourceUrls", DEEP),
        ("SourceUrls", "[" + HUGE_INT + "]"),
        ("SourceUrls", '["\\ud800"]'),
        ("SourceUrls", json.dumps(["http://[::1/a"])),
        ("SourceUrls", json.dumps(["https://v/a b"])),
        ("SourceUrls", "[NaN]"),
        ("DstUrl", "rtmp://[::1"),
        ("DstUrl", "rtmp://h:99999/a"),
        ("CallbackUrl", "javascript:alert(1)"),
        ("TaskName", "a\x00b"),
        ("TaskName", "x" * 10_000),
        ("StartTime", "2026-11-22T10:00:00+25:00"),
        ("EndTime", "٢٠٢٦-11-22T10:00:00Z"),
        ("Region", "\ufffd" * 100),
    ],
    ids=short,
)
def test_aliyun_parameters(server: EmulatorServer, name: str, value: str) -> None:
    body = aliyun_refusal(aliyun(server, aliyun_task(**{name: value})))
    assert name in body["Message"]


def test_aliyun_duplicate_and_garbled_parameters(server: EmulatorServer) -> None:
    assert "Region" in aliyun_refusal(aliyun(server, aliyun_task(), raw_query="Region=cn-beijing"))["Message"]
    garbled = aliyun(server, aliyun_task(), raw_query="%zz=%ff%fe&TaskName=%C3")
    assert garbled.status in (200, 400)


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("Signature", "é==", "SignatureDoesNotMatch"),
        ("Timestamp", "٢٠٢٦-11-22T10:00:00Z", "SignatureDoesNotMatch"),  # signed over the original
        ("AccessKeyId", "ключ", "InvalidAccessKeyId.NotFound"),
    ],
)
def test_aliyun_signature_parameters(server: EmulatorServer, name: str, value: str, code: str) -> None:
    assert aliyun_refusal(aliyun(server, aliyun_task(), **{name: value}))["Code"] == code


@pytest.mark.parametrize(
    ("when", "code"),
    [
        ("٢٠٢٦-11-22T10:00:00Z", "InvalidTimeStamp.Format"),
        ("2026-11-22 10:00:00", "InvalidTimeStamp.Format"),
        ("2020-01-01T00:00:00Z", "InvalidTimeStamp.Expired"),
    ],
)
def test_aliyun_signed_bad_timestamps(server: EmulatorServer, when: str, code: str) -> None:
    assert aliyun_refusal(aliyun(server, {**aliyun_task(), "Timestamp": when}))["Code"] == code


def test_aliyun_v3_non_ascii_authorization(server: EmulatorServer) -> None:
    wire = AliyunWire(server.aliyun, server.credentials, server.stats, server.gate)
    headers = {
        "x-acs-action": "DescribeLivePullToPushList",
        "authorization": f"ACS3-HMAC-SHA256 Credential={AK},SignedHeaders=host,Signature=é",
    }
    response = wire.handle(HttpRequest("POST", "/", "Region=cn-shanghai", headers, b""))
    assert aliyun_refusal(response)["Code"] == "SignatureDoesNotMatch"


def test_aliyun_task_spanning_every_year_is_managed(server: EmulatorServer) -> None:
    # No maximum span: a window from year 1 to 9999 is accepted and must be read back and run.
    window = {"StartTime": "0001-01-01T00:00:00Z", "EndTime": "9999-12-31T23:59:59Z", "RepeatNumber": "0"}
    created = aliyun(server, aliyun_task(**window))
    task_id = json.loads(created.body)["TaskId"]
    for action, extra in [
        ("DescribeLivePullToPush", {}),
        ("UpdateLivePullToPush", {"RepeatNumber": "2147483647"}),
        ("RestartLivePullToPush", {}),
        ("StopLivePullToPush", {}),
        ("DescribeLivePullToPush", {}),
    ]:
        response = aliyun(server, {"Action": action, "Region": "cn-shanghai", "TaskId": task_id, **extra})
        assert response.status == 200, response.body
    info = json.loads(response.body)["TaskInfo"]
    assert (info["StartTime"], info["EndTime"]) == ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z")
