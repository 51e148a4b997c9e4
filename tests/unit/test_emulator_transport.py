"""The emulator's transport limits: framing refusals in each cloud's error shape, the body limit, client
timeouts, the listen backlog, bounded statistics and request log, and the last line of defence.

Requests go out on raw sockets so that broken framing can be sent at all; every server runs on
127.0.0.1 and is started here.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_relaytask.emulator.__main__ import build_parser
from pulumi_relaytask.emulator.server import LOG_SIZE, MAX_BODY, EmulatorServer

HUAWEI_PATH = "/v1/0123456789abcdef0123456789abcdef/pull/stream/task"
# The start of one request to each cloud, as the server tells them apart before reading a body.
HEADS = {
    "huawei": f"POST {HUAWEI_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n",
    "tencent": "POST / HTTP/1.1\r\nHost: x\r\nX-TC-Action: DescribeLivePullStreamTasks\r\nContent-Type: text/plain\r\n",
    "aliyun": "POST /?Action=DescribeLivePullToPushList HTTP/1.1\r\nHost: x\r\n",
}
CLOUDS = tuple(HEADS)
# What each cloud answers a framing refusal with: (HTTP status, code) by the refusal's own status.
EXPECTED = {
    "huawei": lambda status: (status, "APIGW.0201"),
    "tencent": lambda status: (200, "RequestSizeLimitExceeded" if status == 413 else "InvalidParameter"),
    "aliyun": lambda status: (status, "InvalidParameter"),
}


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(rate_limits=False, client_timeout=0.5) as emulator:
        yield emulator


class Reply:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    def json(self) -> Any:
        return json.loads(self.body)


def send(port: int, data: bytes, *, half_close: bool = False, method: str = "POST") -> Reply:
    """One exchange on a new connection; raises if the connection was dropped without an answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        return Reply(response.status, response.msg, response.read())


def error_of(cloud: str, reply: Reply) -> tuple[int, str, str]:
    """(status, code, message) from an answer in `cloud`'s error shape (asserting that shape)."""
    document = reply.json()
    if cloud == "huawei":
        assert set(document) == {"error_code", "error_msg", "request_id"}
        assert reply.headers["X-request-id"] == document["request_id"]
        return reply.status, document["error_code"], document["error_msg"]
    if cloud == "tencent":
        assert set(document) == {"Response"} and set(document["Response"]) == {"Error", "RequestId"}
        error = document["Response"]["Error"]
        return reply.status, error["Code"], error["Message"]
    if cloud == "aliyun":
        assert set(document) == {"RequestId", "HostId", "Code", "Message"}
        return reply.status, document["Code"], document["Message"]
    assert set(document) == {"error", "message"}
    return reply.status, document["error"], document["message"]


# -- framing --------------------------------------------------------------------------------------

FRAMING = {
    # case: (what follows the cloud's head, refusal status, words of the message)
    "non-numeric length": ("Content-Length: abc\r\n\r\n", 400, "Content-Length"),
    "negative length": ("Content-Length: -1\r\n\r\n", 400, "Content-Length"),
    "other script's digits": ("Content-Length: \uff11\uff10\r\n\r\n", 400, "Content-Length"),
    "signed length": ("Content-Length: +5\r\n\r\nhello", 400, "Content-Length"),
    "thousand-digit length": ("Content-Length: " + "9" * 1000 + "\r\n\r\n", 400, "Content-Length"),
    "repeated length": ("Content-Length: 2\r\nContent-Length: 3\r\n\r\nabc", 400, "more than once"),
    "chunked": ("Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 411, "Transfer-Encoding"),
    "oversized": (f"Content-Length: {MAX_BODY + 1}\r\n\r\n", 413, "at most"),
}


@pytest.mark.parametrize("case", list(FRAMING))
@pytest.mark.parametrize("cloud", CLOUDS)
def test_bad_framing_is_answered_in_the_clouds_error_shape_and_closes(
    server: EmulatorServer, cloud: str, case: str
) -> None:
    rest, refusal_status, words = FRAMING[case]
    reply = send(server.port, (HEADS[cloud] + rest).encode("utf-8"))
    status, code, message = error_of(cloud, reply)
    assert (status, code) == EXPECTED[cloud](refusal_status)
    assert words in message
    assert reply.headers["Connection"] == "close"
    record = server.request_log[-1]
    assert (record.cloud, record.status, record.size) == (cloud, refusal_status, 0)


@pytest.mark.parametrize("cloud", CLOUDS)
def test_an_oversized_body_is_refused_before_a_byte_of_it_is_sent(server: EmulatorServer, cloud: str) -> None:
    # Only the head goes out: the answer must come without the server waiting for the body.
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(f"{HEADS[cloud]}Content-Length: {100 * 1024 * 1024}\r\n\r\n".encode())
        response = http.client.HTTPResponse(sock, method="POST")
        response.begin()
        reply = Reply(response.status, response.msg, response.read())
    assert error_of(cloud, reply)[:2] == EXPECTED[cloud](413)


@pytest.mark.parametrize("cloud", CLOUDS)
def test_an_oversized_body_announced_with_expect_100_continue_is_refused_without_continue(
    server: EmulatorServer, cloud: str
) -> None:
    head = f"{HEADS[cloud]}Expect: 100-continue\r\nContent-Length: {MAX_BODY + 1}\r\n\r\n"
    reply = send(server.port, head.encode())
    assert error_of(cloud, reply)[:2] == EXPECTED[cloud](413)


def test_the_body_limit_is_configurable(server: EmulatorServer) -> None:
    with EmulatorServer(rate_limits=False, max_body=10) as small:
        reply = send(small.port, (HEADS["huawei"] + "Content-Length: 11\r\n\r\n" + "x" * 11).encode())
    assert error_of("huawei", reply)[:2] == (413, "APIGW.0201")


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_body_shorter_than_announced_is_answered_when_the_client_stops_sending(
    server: EmulatorServer, cloud: str
) -> None:
    reply = send(server.port, (HEADS[cloud] + "Content-Length: 100\r\n\r\n{}").encode(), half_close=True)
    status, code, message = error_of(cloud, reply)
    assert (status, code) == EXPECTED[cloud](400)
    assert "ended after 2 of the 100 bytes" in message


# -- slow clients ---------------------------------------------------------------------------------


def handler_threads() -> int:
    return sum(1 for thread in threading.enumerate() if thread.name.startswith("Thread-") and thread.daemon)


def wait_for(condition: Any, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_client_that_stops_mid_body_gets_a_408_and_its_thread_ends(server: EmulatorServer, cloud: str) -> None:
    before = handler_threads()
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall((HEADS[cloud] + "Content-Length: 100\r\n\r\n{").encode())  # and then nothing
        response = http.client.HTTPResponse(sock, method="POST")
        response.begin()
        reply = Reply(response.status, response.msg, response.read())
    waited = time.monotonic() - started
    status, code, message = error_of(cloud, reply)
    assert (status, code) == EXPECTED[cloud](408)
    assert "did not arrive within 0.5 s" in message
    assert 0.4 < waited < 5
    assert wait_for(lambda: handler_threads() <= before)


def test_a_client_that_stops_mid_headers_gets_a_408(server: EmulatorServer) -> None:
    reply = send(server.port, f"GET {HUAWEI_PATH} HTTP/1.1\r\nHost: x\r\n".encode())
    assert error_of("huawei", reply)[:2] == (408, "APIGW.0201")


def test_a_silent_connection_is_closed_after_the_client_timeout(server: EmulatorServer) -> None:
    before = handler_threads()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        started = time.monotonic()
        assert sock.recv(100) == b""  # closed by the server, without an answer to a request never made
        assert 0.4 < time.monotonic() - started < 5
    assert wait_for(lambda: handler_threads() <= before)


def test_the_client_timeout_is_configurable_and_checked() -> None:
    with pytest.raises(ValueError):
        EmulatorServer(client_timeout=0)
    with pytest.raises(ValueError):
        EmulatorServer(max_body=-1)
    args = build_parser().parse_args(["--max-body", "2048", "--client-timeout", "2.5"])
    assert (args.max_body, args.client_timeout) == (2048, 2.5)
    defaults = build_parser().parse_args([])
    assert (defaults.max_body, defaults.client_timeout) == (MAX_BODY, 10.0)
    for argv in (["--max-body", "-1"], ["--max-body", "1e6"], ["--client-timeout", "0"], ["--client-timeout", "inf"]):
        with pytest.raises(SystemExit):
            build_parser().parse_args(argv)


# -- protocol refusals from the stdlib ------------------------------------------------------------


def test_a_malformed_request_line_gets_a_json_400(server: EmulatorServer) -> None:
    for line in (
        b"GARBAGE\r\n\r\n",
        b"GET / HTTP/2.0\r\n\r\n",
        b"GET / HTTP/x.y\r\n\r\n",
        b"POST / HTTP/1.1 extra\r\n\r\n",
    ):
        reply = send(server.port, line)
        assert error_of("", reply)[:2] == (400, "BadRequest")


def test_an_overlong_request_line_gets_a_414(server: EmulatorServer) -> None:
    reply = send(server.port, b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n")
    assert error_of("", reply)[:2] == (414, "RequestURITooLong")


def test_header_floods_get_a_431_in_the_shape_the_path_tells(server: EmulatorServer) -> None:
    long_line = f"GET {HUAWEI_PATH} HTTP/1.1\r\nX-Huge: {'z' * 70_000}\r\n\r\n".encode()
    assert error_of("huawei", send(server.port, long_line))[:2] == (431, "APIGW.0201")
    many = b"GET /?Action=DescribeLivePullToPushList HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(101))
    assert error_of("aliyun", send(server.port, many + b"\r\n"))[:2] == (431, "InvalidParameter")
    # Tencent is told by a header, and the headers were not read: the small JSON error.
    flood = b"POST / HTTP/1.1\r\nX-TC-Action: DescribeLivePullStreamTasks\r\n" + b"X: y\r\n" * 101
    assert error_of("", send(server.port, flood + b"\r\n"))[:2] == (431, "RequestHeaderFieldsTooLarge")


def test_unknown_paths_and_garbage_methods_get_json_not_a_5xx(server: EmulatorServer) -> None:
    for method in ("GET", "BREW"):
        reply = send(server.port, f"{method} /nowhere HTTP/1.1\r\nConnection: close\r\n\r\n".encode(), method=method)
        assert error_of("", reply)[:2] == (404, "NotFound")
    reply = send(server.port, f"BREW {HUAWEI_PATH} HTTP/1.1\r\nConnection: close\r\n\r\n".encode(), method="BREW")
    assert error_of("huawei", reply)[0] == 401  # Huawei authenticates first, then refuses the method


def test_answers_that_are_not_refusals_keep_the_connection_alive(server: EmulatorServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        for _ in range(3):
            connection.request("GET", "/nowhere")
            response = connection.getresponse()
            assert response.status == 404 and response.getheader("Connection") is None
            response.read()
        connection.request("GET", "/_emulator/health")
        assert json.loads(connection.getresponse().read()) == {"ok": True}
    finally:
        connection.close()


# -- bursts ---------------------------------------------------------------------------------------


def test_a_burst_of_64_parallel_connections_is_served_without_a_reset(server: EmulatorServer) -> None:
    clients = 64
    start = threading.Barrier(clients)
    failures: list[str] = []

    def one() -> None:
        start.wait()
        try:
            reply = send(server.port, b"GET /_emulator/health HTTP/1.1\r\nConnection: close\r\n\r\n", method="GET")
            if reply.json() != {"ok": True}:
                failures.append(f"answer {reply.status}")
        except OSError as exc:
            failures.append(type(exc).__name__)

    threads = [threading.Thread(target=one) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert failures == []


# -- statistics and the request log ---------------------------------------------------------------


def test_stats_count_only_each_clouds_known_operations(server: EmulatorServer) -> None:
    for index in range(30):
        junk = f"Junk{index}"
        send(server.port, f"POST / HTTP/1.1\r\nX-TC-Action: {junk}\r\nContent-Length: 0\r\n\r\n".encode())
        send(server.port, f"POST /?Action={junk} HTTP/1.1\r\nContent-Length: 0\r\n\r\n".encode())
        send(server.port, f"{junk} {HUAWEI_PATH} HTTP/1.1\r\nContent-Length: 0\r\n\r\n".encode(), method=junk)
    send(server.port, f"GET {HUAWEI_PATH} HTTP/1.1\r\nConnection: close\r\n\r\n".encode(), method="GET")
    assert server.stats.snapshot() == {"huawei": {"ListPullTasks": 1}, "tencent": {}, "aliyun": {}}


def test_the_request_log_keeps_metadata_without_bodies_or_query_values(server: EmulatorServer) -> None:
    body = '{"SecretBody": "do-not-log"}'
    head = (
        "POST /?Action=DescribeLivePullToPushList&Signature=do-not-log HTTP/1.1\r\nContent-Type: application/json\r\n"
    )
    send(server.port, f"{head}Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}".encode())
    record = server.request_log[-1]
    assert (record.method, record.raw_path, record.cloud, record.action) == (
        "POST",
        "/",
        "aliyun",
        "DescribeLivePullToPushList",
    )
    assert (record.status, record.size) == (400, len(body))
    assert abs(record.at - time.time()) < 60
    assert "do-not-log" not in repr(record)
    with pytest.raises(LookupError):
        _ = record.body
    assert server.request_log.maxlen == LOG_SIZE


def test_the_request_log_keeps_whole_requests_when_asked() -> None:
    with EmulatorServer(keep_bodies=True) as emulator:
        send(emulator.port, (HEADS["tencent"] + "Content-Length: 2\r\nConnection: close\r\n\r\n{}").encode())
        record = emulator.request_log[-1]
    assert record.body == b"{}" and record.headers["x-tc-action"] == "DescribeLivePullStreamTasks"


def test_long_paths_and_actions_are_cut_in_the_log(server: EmulatorServer) -> None:
    send(server.port, f"POST /{'p' * 5000} HTTP/1.1\r\nX-TC-Action: {'A' * 5000}\r\n\r\n".encode())
    record = server.request_log[-1]
    assert len(record.raw_path) <= 256 and record.action is not None and len(record.action) <= 64


# -- the last line of defence ---------------------------------------------------------------------

BUG_ANSWERS = {"huawei": (500, "APIGW.0201"), "tencent": (200, "InternalError"), "aliyun": (500, "InternalError")}


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_bug_in_a_clouds_handler_answers_its_5xx_error(
    server: EmulatorServer, cloud: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(request: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(server._wires[cloud], "handle", broken)
    reply = send(server.port, (HEADS[cloud] + "Content-Length: 2\r\nConnection: close\r\n\r\n{}").encode())
    status, code, message = error_of(cloud, reply)
    assert (status, code) == BUG_ANSWERS[cloud] and message == "internal error in the emulator"
    assert "RuntimeError: a bug" in capsys.readouterr().err  # the traceback, for whoever debugs it


def test_the_fault_endpoint_refuses_hostile_json_with_a_400() -> None:
    with EmulatorServer(control_token="t") as emulator:
        for body in ("[" * 100_000 + "]" * 100_000, "1" * 5000, "\udcff"):
            data = body.encode("utf-8", "surrogateescape")
            head = f"PUT /_emulator/faults HTTP/1.1\r\nX-Emulator-Token: t\r\nContent-Length: {len(data)}\r\n\r\n"
            reply = send(emulator.port, head.encode() + data, method="PUT")
            assert reply.status == 400 and reply.json()["field"] == "body"
