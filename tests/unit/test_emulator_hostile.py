"""Hostile input: the emulator answers every request in its cloud's error shape, never a 5xx or a dropped
connection, and a 100 MB body does not grow its memory.

The fuzz part sends seeded, bounded batches of hostile requests to each cloud: most are correctly
signed (so they get past authentication to the parameter checks) and carry, in one to three fields,
deeply nested JSON, integers of thousands of digits, out-of-range time-zone offsets, other scripts'
digits, malformed IPv6 URLs, wrong JSON types, huge strings or garbage percent-encoding; others have
a non-ASCII signature, an unknown action, a garbage method, a header flood or broken framing (bad,
repeated or lying Content-Length, chunked, truncated or oversized bodies). Each request goes out on
its own raw connection, so a dropped connection is seen as one.

The memory part runs `python -m pulumi_relaytask.emulator` and streams a 100 MB body to each cloud.

RELAYTASK_FUZZ_REPORT=path writes the counts (tried, 5xx, dropped, malformed, peak memory) as JSON.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from pulumi_relaytask.aliyun.auth import AliyunSigner, v2_canonical_query, v2_signature, v2_string_to_sign
from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.huawei.auth import HuaweiSigner
from pulumi_relaytask.tencent.auth import TencentSigner

SEED = 20261124
ROUNDS = 400  # hostile requests per cloud
AK, SK = "relaytask-demo-ak", "relaytask-demo-sk"
PROJECT = "0123456789abcdef0123456789abcdef"
HUAWEI_PATH = f"/v1/{PROJECT}/pull/stream/task"
PEAK_RSS_BOUND_MB = 150
HUNDRED_MB = 100 * 1024 * 1024
REPORT_ENV = "RELAYTASK_FUZZ_REPORT"

# -- the hostile values ---------------------------------------------------------------------------

DEEP = 20_000  # nesting levels in a body: far past the interpreter's recursion limit
DEEP_IN_QUERY = 2_000  # still past it, and short enough for a URL


def other_digits(text: str, zero: int) -> str:
    """The text with its ASCII digits written in another script (zero: the code point of its 0)."""
    return text.translate(str.maketrans("0123456789", "".join(chr(zero + digit) for digit in range(10))))


FULLWIDTH, ARABIC_INDIC, DOUBLE_STRUCK = 0xFF10, 0x0660, 0x1D7D8
TIMES = [
    "2026-11-22T10:00:00+99:99",
    "2026-11-22T10:00:00+24:00",
    "2026-11-22T10:00:00-25:30",
    "2026-11-22T10:00:00+05:60",
    "2026-11-22T10:00:00+14:01",
    "2026-11-22T10:00:00-00:00",
    other_digits("2026-11-22T10:00:00Z", FULLWIDTH),
    other_digits("2026-11-22T10:00:00Z", ARABIC_INDIC),
    "2026-11-22T10:00:00.99999999999999999999Z",
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59+14:00",
    "2026-02-30T00:00:00Z",
    "2026-11-22T10:00:00Z\x00",
    "2026-11-22 10:00:00",
    "1" * 5000,
]
NUMBERS = [
    other_digits("10", ARABIC_INDIC),
    other_digits("10", FULLWIDTH),
    other_digits("7", DOUBLE_STRUCK),
    "\u2075",  # superscript five
    "5\u0301",
    "1" * 5000,
    "-1",
    "-" + "9" * 4400,
    "1e309",
    "NaN",
    "0x10",
    " 1",
    "1_000",
    "",
]
URLS = [
    "rtmp://[::1/live/a",
    "http://[::1]x/a",
    "rtmp://[zz::1]/live/a",
    "http://[::1]:99999/a",
    "rtmp://[/",
    "http://[fe80::1%25eth0]/a.mp4",
    "rtmp://user@[::1]:-1/a",
    "http://%zz%ff/a",
    "rtmp://\u202eexample.com/a",
    "http://xn--/a",
    "rtmp://[::ffff:999.1.1.1]/a",
    "https://例え.テスト/ビデオ.mp4",
    "rtmp://" + "a" * 70_000 + ".com/a",
]
STRINGS = [
    "x" * 300_000,
    "\ud800",  # a lone surrogate: valid in a JSON escape, not encodable as UTF-8
    "\x00\x01\x1f",
    "a\r\nX-Injected: 1",
    "%",
    "%zz",
    "%ff%fe",
    "%E0%A4%A",
    "../../etc/passwd",
    "\u202e\u200b\ufeff",
]


def nested(depth: int) -> list[str]:
    return ["[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth]


RAW_JSON = [
    *nested(DEEP),
    "1" * 5000,
    "-" + "9" * 5000,
    "1e999999",
    "-0.0",
    "1.5",
    "true",
    "null",
    "[]",
    "{}",
    '[1, "a", null]',
    '{"$ne": 1}',
    '"\\ud800"',
]
TOP_LEVEL_BODIES = [
    ("[" * DEEP + "]" * DEEP).encode(),
    ('{"a":' * DEEP + "1" + "}" * DEEP).encode(),
    ("1" * 5000).encode(),
    b"\xff\xfe\x00",
    b"",
    b"null",
    b"[]",
    b'"text"',
    b'{"a": ',
    b"{" * 70_000,
]
GARBAGE_QUERY = [b"%zz=%ff%fe", b"%=%", b"a=%E0%A4%A", b"%00=%00", b"&&&==&", b"x=" + b"%41" * 10_000]
BAD_LENGTHS = [b"abc", b"-1", b"\xef\xbc\x91\xef\xbc\x90", b"+5", b"1e3", b"99999999999999999999999999", b"", b"5, 5"]
METHODS = ["FOO", "PROPFIND", "get", "BREW", "X" * 100, "\x7fGET"]
SIGNATURES = ["\u00e9\u65e5\u672c", "\u0000\u00ff", "\u00ff" * 64, other_digits("0123", DOUBLE_STRUCK)]


def hostile_string(rng: random.Random, name: str) -> str:
    lowered = name.lower()
    if "time" in lowered and rng.random() < 0.7:
        return rng.choice(TIMES)
    if "url" in lowered and rng.random() < 0.7:
        return rng.choice(URLS)
    pool = rng.choice([TIMES, NUMBERS, URLS, STRINGS])
    return rng.choice(pool)


def hostile_json(rng: random.Random, name: str) -> str:
    """JSON text for one field's value: a hostile string, a wrong type or a hostile number or nesting."""
    if rng.random() < 0.5:
        # Sometimes as raw UTF-8 rather than \u escapes (a lone surrogate then makes invalid UTF-8).
        return json.dumps(hostile_string(rng, name), ensure_ascii=rng.random() < 0.7)
    return rng.choice(RAW_JSON)


def mutated_json(rng: random.Random, fields: dict[str, Any]) -> bytes:
    """The fields as a JSON body with one to three values made hostile (maybe a new field, maybe the whole body)."""
    if rng.random() < 0.12:
        return rng.choice(TOP_LEVEL_BODIES)
    names = [*fields, "UnknownField"]
    chosen = rng.sample(names, k=min(len(names), rng.randint(1, 3)))
    placeholders = {name: f"@@hostile-{index}@@" for index, name in enumerate(chosen)}
    text = json.dumps({**fields, **placeholders})
    for name, placeholder in placeholders.items():
        text = text.replace(json.dumps(placeholder), hostile_json(rng, name))
    return text.encode("utf-8", "surrogatepass")


def mutated_params(rng: random.Random, params: dict[str, str]) -> dict[str, str]:
    names = [*params, "UnknownField"]
    chosen = rng.sample(names, k=min(len(names), rng.randint(1, 3)))
    changed = dict(params)
    for name in chosen:
        changed[name] = query_value(rng, name)
    return changed


def fit_in_url(params: dict[str, str]) -> dict[str, str]:
    """The parameters with the longest values halved until the query fits a request line (64 KiB)."""
    fitted = dict(params)
    while len(urlencode(fitted)) > 48_000:
        longest = max(fitted, key=lambda name: len(fitted[name]))
        fitted[longest] = fitted[longest][: len(fitted[longest]) // 2]
    return fitted


def query_value(rng: random.Random, name: str) -> str:
    """A hostile parameter value short enough for a URL (the 64 KiB request line)."""
    if rng.random() < 0.3:
        return rng.choice([*nested(DEEP_IN_QUERY), *RAW_JSON[2:]])
    value = hostile_string(rng, name)[:8000]
    return value.encode("utf-8", "replace").decode("utf-8")  # a URL cannot carry a lone surrogate


# -- each cloud's requests ------------------------------------------------------------------------


def future(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def huawei_request(rng: random.Random, base: str) -> httpx.Request:
    method = rng.choice(["POST", "PUT", "GET", "DELETE"])
    headers = {"Content-Type": "application/json"}
    if method == "POST":
        task = {
            "source_type": "PullVodPushLive",
            "source_urls": ["https://vod.example.com/1.mp4"],
            "domain": "push.example.com",
            "app_name": "live",
            "stream_name": f"s{rng.randrange(10**6)}",
            "start_time": future(1),
            "end_time": future(24),
        }
        request = httpx.Request(method, base + HUAWEI_PATH, content=mutated_json(rng, task), headers=headers)
    elif method == "PUT":
        change = {"task_id": uuid.uuid4().hex, "status": "pause", "source_urls": ["https://vod.example.com/2.mp4"]}
        request = httpx.Request(method, base + HUAWEI_PATH, content=mutated_json(rng, change), headers=headers)
    else:
        query = {"task_id": uuid.uuid4().hex, "region": "cn-north-4", "offset": "0", "limit": "10"}
        request = httpx.Request(method, base + HUAWEI_PATH, params=fit_in_url(mutated_params(rng, query)))
    HuaweiSigner(AK, SK, PROJECT).sign(request)
    return request


TENCENT_ACTIONS = {
    "CreateLivePullStreamTask": lambda: {
        "SourceType": "PullVodPushLive",
        "SourceUrls": ["https://vod.example.com/1.mp4"],
        "DomainName": "push.example.com",
        "AppName": "live",
        "StreamName": "vod-1",
        "StartTime": future(1),
        "EndTime": future(24),
        "Operator": "alice",
    },
    "DescribeLivePullStreamTasks": lambda: {"TaskId": "1", "PageNum": 1, "PageSize": 10},
    "ModifyLivePullStreamTask": lambda: {"TaskId": "1", "Operator": "o", "Status": "pause", "EndTime": future(30)},
    "DeleteLivePullStreamTask": lambda: {"TaskId": "1", "Operator": "o"},
    "RestartLivePullStreamTask": lambda: {"TaskId": "1", "Operator": "o"},
    "DescribeLivePullStreamTaskStatus": lambda: {"TaskId": "1"},
}
UNKNOWN_ACTIONS = ["DescribeLiveStreams", "", "A" * 5000, "Create LivePullStreamTask", "../admin", "Créer"]


def tencent_request(rng: random.Random, base: str) -> httpx.Request:
    action = rng.choice(list(TENCENT_ACTIONS)) if rng.random() < 0.9 else rng.choice(UNKNOWN_ACTIONS[:-1])
    params = TENCENT_ACTIONS.get(action, TENCENT_ACTIONS["DescribeLivePullStreamTasks"])()
    headers = {"X-TC-Action": action or "?", "Content-Type": "application/json"}
    request = httpx.Request("POST", base + "/", content=mutated_json(rng, params), headers=headers)
    region = rng.choice(["ap-guangzhou", "ap-guangzhou", "ap-nowhere", "x" * 5000, "%00"])
    TencentSigner(AK, SK, region=region).sign(request)
    return request


ALIYUN_ACTIONS = {
    "CreateLivePullToPush": lambda: {
        "Region": "cn-shanghai",
        "SourceType": "url",
        "SourceUrls": '["https://vod.example.com/1.mp4"]',
        "DstUrl": f"rtmp://push.example.com/live/s{uuid.uuid4().hex[:8]}",
        "StartTime": future(1),
        "EndTime": future(24),
    },
    "DescribeLivePullToPush": lambda: {"Region": "cn-shanghai", "TaskId": "t"},
    "DescribeLivePullToPushList": lambda: {"Region": "cn-shanghai", "PageNum": "1", "PageSize": "10"},
    "UpdateLivePullToPush": lambda: {"Region": "cn-shanghai", "TaskId": "t", "CallbackUrl": "https://cb.example.com"},
    "StopLivePullToPush": lambda: {"Region": "cn-shanghai", "TaskId": "t"},
    "RestartLivePullToPush": lambda: {"Region": "cn-shanghai", "TaskId": "t"},
    "DeleteLivePullToPush": lambda: {"Region": "cn-shanghai", "TaskId": "t"},
}


def aliyun_request(rng: random.Random, base: str) -> httpx.Request:
    action = rng.choice(list(ALIYUN_ACTIONS)) if rng.random() < 0.9 else rng.choice(UNKNOWN_ACTIONS[:-1])
    params = ALIYUN_ACTIONS.get(action, ALIYUN_ACTIONS["DescribeLivePullToPush"])()
    if rng.random() < 0.5 and "SourceUrls" in params:
        params["SourceUrls"] = rng.choice([*nested(DEEP_IN_QUERY), *RAW_JSON[2:]])  # JSON inside a parameter
    params = fit_in_url(mutated_params(rng, params))
    if rng.random() < 0.3:
        return aliyun_v2_request(rng, base, action or "?", params)
    headers = {"x-acs-action": action or "?", "x-acs-version": "2016-11-01"}
    request = httpx.Request("POST", base + "/", params=params, headers=headers)
    AliyunSigner(AK, SK).sign(request)
    return request


def aliyun_v2_request(rng: random.Random, base: str, action: str, params: dict[str, str]) -> httpx.Request:
    query = {
        "Action": action,
        "Version": "2016-11-01",
        "Format": "JSON",
        "AccessKeyId": AK,
        "SignatureMethod": rng.choice(["HMAC-SHA1", "HMAC-SHA1", "HMAC-MD5", "é"]),
        "SignatureVersion": "1.0",
        "SignatureNonce": uuid.uuid4().hex,
        "Timestamp": rng.choice([future(0), *TIMES]),
        **params,
    }
    query["Signature"] = v2_signature(SK, v2_string_to_sign("POST", v2_canonical_query(query.items())))
    return httpx.Request("POST", base + "/", params=query)


BUILDERS: dict[str, Callable[[random.Random, str], httpx.Request]] = {
    "huawei": huawei_request,
    "tencent": tencent_request,
    "aliyun": aliyun_request,
}

# -- the wire -------------------------------------------------------------------------------------


@dataclass
class Hostile:
    """One request as bytes on the wire, and what was done to it."""

    cloud: str
    label: str
    method: str
    target: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes
    half_close: bool = False  # end the request early: the server sees the client stop sending
    cloud_knowable: bool = True  # False: the request is too broken for the server to tell its cloud

    def wire(self) -> bytes:
        lines = [self.method.encode("latin-1") + b" " + self.target + b" HTTP/1.1"]
        lines += [name + b": " + value for name, value in self.headers]
        return b"\r\n".join(lines) + b"\r\n\r\n" + self.body


def hostile_from(cloud: str, request: httpx.Request, rng: random.Random) -> Hostile:
    headers = [(name, value) for name, value in request.headers.raw if name.lower() != b"connection"]
    hostile = Hostile(cloud, "fields", request.method, request.url.raw_path, headers, request.content)
    hostile.headers.append((b"Connection", b"close"))
    roll = rng.random()
    if roll < 0.05:
        sign_non_ascii(hostile, rng)
    elif roll < 0.10:
        hostile.label = "garbage query"
        joiner = b"&" if b"?" in hostile.target else b"?"
        hostile.target += joiner + rng.choice(GARBAGE_QUERY)
    elif roll < 0.13:
        hostile.label, hostile.method = "garbage method", rng.choice(METHODS)
    elif roll < 0.15:
        flood_headers(hostile, rng)
    elif roll < 0.25:
        break_framing(hostile, rng)
    return hostile


def sign_non_ascii(hostile: Hostile, rng: random.Random) -> None:
    hostile.label = "non-ASCII signature"
    bad = rng.choice(SIGNATURES).encode("utf-8")
    for index, (name, value) in enumerate(hostile.headers):
        if name.lower() == b"authorization":
            hostile.headers[index] = (name, re.sub(rb"Signature=[^,]*", b"Signature=" + bad, value))
            return
    hostile.target = re.sub(rb"Signature=[^&]*", b"Signature=" + bad, hostile.target)  # Alibaba V2


def flood_headers(hostile: Hostile, rng: random.Random) -> None:
    hostile.label, hostile.cloud_knowable = "header flood", False
    if rng.random() < 0.5:
        hostile.headers += [(b"X-Flood-%d" % index, b"y") for index in range(150)]
    else:
        hostile.headers.append((b"X-Huge", b"z" * 70_000))


def break_framing(hostile: Hostile, rng: random.Random) -> None:
    kind = rng.choice(["bad length", "repeated length", "chunked", "truncated", "oversized", "lying length"])
    hostile.label = kind
    hostile.headers = [(name, value) for name, value in hostile.headers if name.lower() != b"content-length"]
    if kind == "bad length":
        hostile.headers.append((b"Content-Length", rng.choice(BAD_LENGTHS)))
    elif kind == "repeated length":
        hostile.headers += [(b"Content-Length", b"%d" % len(hostile.body)), (b"Content-Length", b"1")]
    elif kind == "chunked":
        hostile.headers.append((b"Transfer-Encoding", b"chunked"))
        hostile.body = b"%x\r\n%s\r\n0\r\n\r\n" % (len(hostile.body), hostile.body) if hostile.body else b"0\r\n\r\n"
    elif kind == "truncated":
        hostile.headers.append((b"Content-Length", b"%d" % (len(hostile.body) + 50)))
        hostile.half_close = True
    elif kind == "oversized":
        hostile.headers.append((b"Content-Length", b"%d" % (2 * 1024 * 1024)))
        hostile.body = hostile.body[:1000]
        hostile.half_close = True
    else:  # says 3 bytes, sends more: the rest reads as a garbage next request
        hostile.headers.append((b"Content-Length", b"3"))
        hostile.body = hostile.body or b"a body where none was expected"
        hostile.cloud_knowable = False


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def exchange(port: int, hostile: Hostile) -> Answer | None:
    """Send the request on a new connection and read one answer; None when the connection was dropped."""
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        try:
            sock.sendall(hostile.wire())
            if hostile.half_close:
                sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before the body is all sent: read that answer
        response = http.client.HTTPResponse(sock, method=hostile.method)
        try:
            response.begin()
            return Answer(response.status, response.msg, response.read())
        except (http.client.HTTPException, OSError):
            return None


# -- what a well-formed answer is -----------------------------------------------------------------


def _is_error(document: Any, keys: tuple[str, ...], code: str) -> bool:
    return isinstance(document, dict) and all(key in document for key in keys) and isinstance(document[code], str)


def shape_problem(cloud: str, answer: Answer, generic_allowed: bool) -> str | None:
    """Why the answer is not in the cloud's shape (an error, or a success), or None when it is."""
    try:
        document = json.loads(answer.body)
    except ValueError:
        return f"not JSON: {answer.body[:80]!r}"
    if generic_allowed and _is_error(document, ("error", "message"), "error"):
        return None
    if cloud == "huawei":
        ok = _is_error(document, ("error_code", "error_msg"), "error_code") if answer.status >= 400 else True
        ok = ok and isinstance(document, dict) and "request_id" in document
    elif cloud == "tencent":
        envelope = document.get("Response") if isinstance(document, dict) else None
        error = envelope.get("Error") if isinstance(envelope, dict) else None
        ok = answer.status == 200 and isinstance(envelope, dict) and isinstance(envelope.get("RequestId"), str)
        ok = ok and (error is None or _is_error(error, ("Code", "Message"), "Code"))
    else:
        ok = isinstance(document, dict) and isinstance(document.get("RequestId"), str)
        ok = ok and (answer.status < 400 or _is_error(document, ("Code", "Message", "HostId"), "Code"))
    return None if ok else f"not {cloud}'s shape: {answer.status} {answer.body[:120]!r}"


def error_code(answer: Answer) -> str:
    try:
        document = json.loads(answer.body)
    except ValueError:
        return "?"
    for path in (("error_code",), ("Response", "Error", "Code"), ("Code",), ("error",)):
        value: Any = document
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str):
            return value
    return "-"


# -- the report -----------------------------------------------------------------------------------


def report(section: str, figures: dict[str, Any]) -> None:
    """Add figures to the JSON file named by RELAYTASK_FUZZ_REPORT (each test writes its own section)."""
    target = os.environ.get(REPORT_ENV)
    if not target:
        return
    path = Path(target)
    document = json.loads(path.read_text()) if path.exists() else {}
    document[section] = figures
    path.write_text(json.dumps(document, indent=2, sort_keys=True))


@dataclass
class Tally:
    tried: int = 0
    answered: int = 0
    accepted: int = 0  # 2xx: a mutation that happened to be valid
    status_5xx: int = 0
    dropped: int = 0
    malformed: int = 0
    failures: list[str] = field(default_factory=list)
    by_label: Counter[str] = field(default_factory=Counter)

    def fail(self, hostile: Hostile, what: str) -> None:
        sent = f"{hostile.method} {hostile.target[:60]!r} {hostile.body[:60]!r}"
        self.failures.append(f"{hostile.label}: {sent}: {what}")

    def figures(self) -> dict[str, Any]:
        return {
            "seed": SEED,
            "tried": self.tried,
            "answered": self.answered,
            "accepted": self.accepted,
            "status_5xx": self.status_5xx,
            "dropped": self.dropped,
            "malformed": self.malformed,
            "by_label": dict(self.by_label),
            "failures": sorted(set(self.failures))[:40],
        }


# -- the tests ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    # Rate limits off: hundreds of calls a second are the point here, not pacing.
    with EmulatorServer(rate_limits=False, client_timeout=3) as emulator:
        yield emulator


def fuzz(cloud: str, server: EmulatorServer) -> Tally:
    rng = random.Random(f"{SEED}-{cloud}")
    tally = Tally()
    for _ in range(ROUNDS):
        hostile = hostile_from(cloud, BUILDERS[cloud](rng, server.url), rng)
        tally.tried += 1
        tally.by_label[hostile.label] += 1
        answer = exchange(server.port, hostile)
        if answer is None:
            tally.dropped += 1
            tally.fail(hostile, "dropped connection")
            continue
        tally.answered += 1
        tally.accepted += 200 <= answer.status < 300 and error_code(answer) == "-"
        if answer.status >= 500:
            tally.status_5xx += 1
            tally.fail(hostile, f"HTTP {answer.status} {error_code(answer)}")
        problem = shape_problem(cloud, answer, generic_allowed=not hostile.cloud_knowable)
        if problem is not None:
            tally.malformed += 1
            tally.fail(hostile, problem)
        elif cloud == "tencent" and error_code(answer) == "InternalError":
            tally.status_5xx += 1  # Tencent answers its 5xx class with HTTP 200
            tally.fail(hostile, "InternalError")
    return tally


@pytest.mark.parametrize("cloud", ["huawei", "tencent", "aliyun"])
def test_hostile_requests_get_the_clouds_error_never_a_5xx_or_a_drop(cloud: str, server: EmulatorServer) -> None:
    started = time.monotonic()
    tally = fuzz(cloud, server)
    figures = {**tally.figures(), "seconds": round(time.monotonic() - started, 2)}
    report(f"fuzz_{cloud}", figures)
    print(f"\n{cloud}: {json.dumps({k: v for k, v in figures.items() if k != 'failures'})}")
    assert tally.tried == ROUNDS and tally.answered + tally.dropped == ROUNDS
    assert len(tally.by_label) >= 8  # the mutations really were mixed
    assert (tally.status_5xx, tally.dropped, tally.malformed) == (0, 0, 0), "\n".join(sorted(set(tally.failures)))
    with httpx.Client(base_url=server.url, timeout=5) as plain:
        assert plain.get("/_emulator/health").json() == {"ok": True}
        counted = plain.get("/_emulator/stats").json()[cloud]
    known = {"huawei": 4, "tencent": len(TENCENT_ACTIONS), "aliyun": len(ALIYUN_ACTIONS)}[cloud]
    assert len(counted) <= known  # junk actions and methods are not counted


# -- memory ---------------------------------------------------------------------------------------

HEADS = {
    "huawei": f"POST {HUAWEI_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n",
    "tencent": (
        "POST / HTTP/1.1\r\nHost: x\r\nX-TC-Action: CreateLivePullStreamTask\r\nContent-Type: application/json\r\n"
    ),
    "aliyun": "POST /?Action=CreateLivePullToPush HTTP/1.1\r\nHost: x\r\n",
}


def hundred_megabytes() -> Iterator[bytes]:
    chunk = b"\x00" * (64 * 1024)
    for _ in range(HUNDRED_MB // len(chunk)):
        yield chunk


def stream_huge_body(port: int, cloud: str) -> tuple[int, int, bytes]:
    """Send a 100 MB body as a naive client would (all of it, whatever the server says), then read
    the answer: (status, bytes sent, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(HEADS[cloud].encode() + b"Content-Length: %d\r\n\r\n" % HUNDRED_MB)
        sent = 0
        try:
            for chunk in hundred_megabytes():
                sock.sendall(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed after its answer: read it
        response = http.client.HTTPResponse(sock, method="POST")
        response.begin()
        return response.status, sent, response.read()


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    assert match, "no VmHWM in /proc/<pid>/status"
    return int(match.group(1)) / 1024


@pytest.fixture
def emulator_process() -> Iterator[tuple[subprocess.Popen[str], int]]:
    command = [sys.executable, "-m", "pulumi_relaytask.emulator", "--host", "127.0.0.1", "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        assert match, f"the emulator did not report its port: {line!r}"
        yield process, int(match.group(1))
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_a_100_mb_body_to_each_cloud_leaves_memory_bounded(
    emulator_process: tuple[subprocess.Popen[str], int],
) -> None:
    process, port = emulator_process
    before = peak_rss_mb(process.pid)
    sent: dict[str, int] = {}
    for cloud in ("huawei", "tencent", "aliyun"):
        status, sent[cloud], body = stream_huge_body(port, cloud)
        shaped = shape_problem(cloud, Answer(status, http.client.HTTPMessage(), body), generic_allowed=False)
        assert shaped is None, shaped
        assert status == (200 if cloud == "tencent" else 413)
        code = error_code(Answer(status, http.client.HTTPMessage(), body))
        assert code in {"APIGW.0201", "RequestSizeLimitExceeded", "InvalidParameter"}
    peak = peak_rss_mb(process.pid)
    figures = {"peak_rss_mb_before": round(before, 1), "peak_rss_mb_after_100mb": round(peak, 1), "bytes_sent": sent}
    report("memory", figures)
    print(f"\nemulator peak RSS: {before:.1f} MB at start, {peak:.1f} MB after a 100 MB body to each cloud")
    assert peak < PEAK_RSS_BOUND_MB
