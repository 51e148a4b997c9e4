"""The emulator's HTTP server: a stdlib ThreadingHTTPServer that dispatches by request shape.

- Huawei: the path is `/v1/{project_id}/pull/stream/task`.
- Tencent: the `X-TC-Action` header is present (tencent/wire.py; `.tencent` is its backend).
- Alibaba: the `x-acs-action` header or the `Action` parameter is present (aliyun/wire.py; `.aliyun` is its
  backend).
- `GET /_emulator/stats`: request counts per cloud and known operation (stats.py);
  `GET /_emulator/health`: `{"ok": true}`.
- `/_emulator/faults` (header `X-Emulator-Token` equal to the control token, else 403; always 403
  when no token is configured): `GET` answers `{"settings": {rate, seed, kinds, slow_seconds,
  latency_ms, rate_limits}, "rules": [{cloud, action, kind, count}], "counts": {total, by_kind,
  by_cloud}}`; `PUT` with a JSON object of any of those settings and `rules` changes them (`seed`
  reseeds, `rules` replaces the rules; 400 names a bad field); `DELETE` stops the faults and clears
  the rules, keeping the counts. Both answer the new state.

Every API request, once authenticated, passes the gate (gate.py): the cloud's rate limits per
account and action (on by default), then the injected faults (faults.py); `latency_ms` delays every
API answer. A `reset_*` fault closes the connection with a TCP reset (SO_LINGER 0) instead of answering.

Tests use the object directly: `.clock`, `.stats`, `.store` and `.huawei` (the backend) are the
live state of the running server, for inspection and out-of-band changes; `.faults` (configure,
add_rule, clear, counts) and `.gate` (rate_limits, latency_ms) are the live fault settings;
`.request_log` holds the latest LOG_SIZE requests as metadata (messages.RequestRecord: method,
path, cloud, action, status, size, time); with `keep_bodies=True` each also holds the whole request.

Limits, so that no input can take the server down (hostile or broken clients included):
- The cloud is told from the request line and headers, before the body is read, and every refusal
  is answered in that cloud's error shape (`{"error", "message"}` when no cloud matches), with
  `Connection: close`; the server then reads and drops what the client still sends for at most
  LINGER_SECONDS, so the client gets the answer rather than a reset.
- The body needs one plain `Content-Length` of at most `max_body` bytes (MAX_BODY, 1 MiB): 413 above,
  before reading it; 400 for a bad, negative or repeated length; 411 for any `Transfer-Encoding`
  (chunked bodies are refused: the SDKs always send a length).
- `client_timeout` (CLIENT_TIMEOUT, 10 s) bounds every read and write on a connection, and the whole
  body: a client silent after its request line gets a 408; an idle connection is closed.
- The stdlib's protocol refusals (request line over 64 KiB: 414; a header line over 64 KiB or over
  100 headers: 431; a malformed request line: 400) are answered the same way; any method is served
  (the clouds refuse the ones they lack).
- The listen backlog is BACKLOG (128) connections, for bursts of parallel calls; threads are daemons.
- A bug in a cloud's handler answers that cloud's failure, "internal error in the emulator" with the
  code and status of gate.VENDORS' `unavailable` (Huawei 500 APIGW.0201, Tencent InternalError in an
  HTTP 200, Alibaba 500 InternalError), never a dropped connection; the traceback goes to stderr.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import socket
import struct
import threading
import time
import traceback
import uuid
from collections import deque
from collections.abc import Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol

from ..core.clock import Clock, SystemClock
from .aliyun.backend import CLOUD as ALIYUN
from .aliyun.backend import AliyunBackend
from .aliyun.wire import HOST_ID as ALIYUN_HOST_ID
from .aliyun.wire import AliyunWire, action_of
from .credentials import Credentials
from .faults import FaultInjector, FaultSettings, InvalidSetting, ResetConnection
from .gate import VENDORS, Gate
from .huawei.backend import CLOUD as HUAWEI
from .huawei.backend import HuaweiBackend
from .huawei.wire import HuaweiWire, project_id_of
from .huawei.wire import operation_of as huawei_operation
from .messages import HttpRequest, HttpResponse, RequestRecord
from .stats import RequestStats
from .store import TaskStore
from .tencent.backend import CLOUD as TENCENT
from .tencent.backend import TencentBackend
from .tencent.wire import TencentWire

CredentialsSource = Credentials | Mapping[str, Any] | str | os.PathLike[str] | None
TOKEN_HEADER = "x-emulator-token"
ADMIN_PREFIX = "/_emulator/"

# The limits (see the module docstring). A real request body is a few KiB: a task and its source URLs.
MAX_BODY = 1024 * 1024  # bytes
CLIENT_TIMEOUT = 10.0  # seconds
BACKLOG = 128  # connections queued by the kernel before accept()
LINGER_SECONDS = 1.0  # after a refusal: how long what the client still sends is read and dropped
LOG_SIZE = 200  # request log entries
MAX_REQUEST_LINE = 65536  # the stdlib's limit, kept
_CHUNK = 64 * 1024  # bytes read at a time: the memory a body costs grows only up to max_body
_PATH_KEPT, _ACTION_KEPT, _METHOD_KEPT = 256, 64, 32  # characters the request log keeps

# The code each cloud's gateway gives a request it cannot take, by HTTP status (the default: any
# other status). None of the three documents these cases for the relay-task APIs: the codes are the
# gateways' generic ones (Huawei API Gateway answers APIG*.0201 for 400, 413, 414 and 431), the
# choice is the emulator's. Tencent answers every error with HTTP 200.
_REFUSAL_CODES: Mapping[str, tuple[str, Mapping[int, str]]] = {
    HUAWEI: ("APIGW.0201", {}),
    TENCENT: ("InvalidParameter", {413: "RequestSizeLimitExceeded", 431: "RequestSizeLimitExceeded"}),
    ALIYUN: ("InvalidParameter", {}),
}
_BUG_MESSAGE = "internal error in the emulator"


class Refusal(Exception):
    """A request refused before it reached a cloud's handler: bad framing, too large, too slow."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = int(status)  # the stdlib passes HTTPStatus members
        self.message = message


class _Wire(Protocol):
    """A cloud's HTTP shape (<cloud>/wire.py)."""

    @property
    def actions(self) -> tuple[str, ...]: ...

    def handle(self, request: HttpRequest) -> HttpResponse: ...


def _credentials_from(source: CredentialsSource) -> Credentials:
    if source is None:
        return Credentials.default()
    if isinstance(source, Credentials):
        return source
    if isinstance(source, Mapping):
        return Credentials.from_mapping(source)
    return Credentials.from_file(Path(source))


def _header_text(value: str) -> str:
    # http.server decodes header bytes as Latin-1; clients sign the UTF-8 text they meant.
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def route_of(request: HttpRequest) -> tuple[str | None, str | None]:
    """The cloud a request is for and the operation it names, by its shape; (None, None) for none.

    Given a request without its body, this is the decision made before the body is read (only an
    Alibaba `Action` sent in a form body, never by the SDKs, needs the body)."""
    if request.raw_path.startswith(ADMIN_PREFIX):
        return None, None
    if project_id_of(request.raw_path) is not None:
        return HUAWEI, huawei_operation(request.method)
    tencent_action = request.header("x-tc-action")
    if tencent_action:
        return TENCENT, tencent_action
    aliyun_action = action_of(request)
    if aliyun_action:
        return ALIYUN, aliyun_action
    return None, None


def cloud_error(cloud: str | None, status: int, code: str, message: str) -> HttpResponse:
    """An error answer in `cloud`'s shape; a small `{"error", "message"}` when the request matched none."""
    if cloud == HUAWEI:
        request_id = uuid.uuid4().hex
        body = {"error_code": code, "error_msg": message, "request_id": request_id}
        return HttpResponse.json(status, body, {"X-request-id": request_id})
    if cloud == TENCENT:
        error = {"Code": code, "Message": message}
        return HttpResponse.json(200, {"Response": {"Error": error, "RequestId": str(uuid.uuid4())}})
    if cloud == ALIYUN:
        request_id = str(uuid.uuid4()).upper()
        body = {"RequestId": request_id, "HostId": ALIYUN_HOST_ID, "Code": code, "Message": message}
        return HttpResponse.json(status, body)
    return HttpResponse.json(status, {"error": code, "message": message})


def refusal_answer(cloud: str | None, refusal: Refusal) -> HttpResponse:
    codes = _REFUSAL_CODES.get(cloud or "")
    if codes is None:
        code = _phrase_code(refusal.status)
    else:
        default, by_status = codes
        code = by_status.get(refusal.status, default)
    return cloud_error(cloud, refusal.status, code, refusal.message)


def bug_answer(cloud: str | None) -> HttpResponse:
    """What a bug in the emulator answers: the cloud's own failure (its gateway 5xx), never a dropped connection."""
    vendor = VENDORS.get(cloud or "")
    if vendor is None:
        return cloud_error(None, 500, _phrase_code(500), _BUG_MESSAGE)
    return cloud_error(cloud, vendor.unavailable.status, vendor.unavailable.code, _BUG_MESSAGE)


def _phrase_code(status: int) -> str:
    try:
        return "".join(filter(str.isalnum, HTTPStatus(status).phrase))  # e.g. NotFound, RequestTimeout
    except ValueError:
        return "Error"


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True  # a client that never leaves does not hold up stop()
    request_queue_size = BACKLOG  # the stdlib's 5 resets connections in bursts of parallel calls


class _Shape:
    """What is known of a request before its body: method, path, query, headers and so its cloud."""

    def __init__(self, method: str, target: str, headers: Mapping[str, str]) -> None:
        self.method = method
        self.path, _, self.query = target.partition("?")
        self.headers = headers
        self.cloud = route_of(HttpRequest(method, self.path, self.query, headers))[0]

    def request(self, body: bytes) -> HttpRequest:
        return HttpRequest(self.method, self.path, self.query, self.headers, body)


def _handler_class(emulator: EmulatorServer) -> type[BaseHTTPRequestHandler]:
    max_body, client_timeout = emulator.max_body, emulator.client_timeout

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the SDKs' connection pools expect
        disable_nagle_algorithm = True  # headers and body go out in separate writes: don't delay the body
        server_version = "relaytask-emulator"
        timeout = client_timeout  # set on the socket by StreamRequestHandler: bounds every read and write

        def handle_one_request(self) -> None:
            # The stdlib's loop step, except: every method is served (each cloud refuses those it lacks),
            # and a client that goes silent after the request line gets a 408 instead of silence.
            self.command, self.path = "", ""  # nothing from the previous request on this connection
            try:
                self.raw_requestline = self.rfile.readline(MAX_REQUEST_LINE + 1)
                if not self.raw_requestline:
                    self.close_connection = True
                    return
                if len(self.raw_requestline) > MAX_REQUEST_LINE:
                    self.requestline, self.request_version = "", ""
                    too_long = Refusal(414, f"the request line is longer than {MAX_REQUEST_LINE} bytes")
                    self._refuse(_Shape("", "", {}), too_long)
                    return
                self._parse_and_serve()
            except TimeoutError:
                self.close_connection = True  # silent before a request line: an idle keep-alive connection
            except ConnectionError:
                self.close_connection = True  # the client left: nobody to answer
            except Exception:  # a bug in the server itself: still answer, then close
                traceback.print_exc()
                self.close_connection = True
                self._answer(bug_answer(None))

        def _parse_and_serve(self) -> None:
            try:
                parsed = self.parse_request()  # answers its own refusals through send_error
            except TimeoutError:
                self._refuse(_Shape(self.command or "", self.path, {}), Refusal(408, self._late("headers")))
                return
            if parsed:
                self._serve(self._shape())

        def _shape(self) -> _Shape:
            headers = {name.lower(): _header_text(value) for name, value in self.headers.items()}
            return _Shape(self.command, self.path, headers)

        def _serve(self, shape: _Shape) -> None:
            try:
                body = self._read_body(self._announced_length())
            except Refusal as refusal:
                self._refuse(shape, refusal)
                return
            try:
                response = emulator.handle(shape.request(body))
            except ResetConnection:
                self._reset()
                return
            self._answer(response)

        def _announced_length(self) -> int:
            """The body's length from its one plain Content-Length (0 without one); Refusal otherwise."""
            if self.headers.get("Transfer-Encoding") is not None:
                raise Refusal(411, "Transfer-Encoding: not supported; send the body with a Content-Length")
            values = self.headers.get_all("Content-Length") or []
            if len(values) > 1:
                raise Refusal(400, "Content-Length: given more than once")
            text = values[0].strip() if values else "0"
            # ASCII digits only: int() would also take "+5", " 5", "5_0" and other scripts' digits.
            if not (text.isascii() and text.isdigit()) or len(text) > 18:
                raise Refusal(400, f"Content-Length: must be a number of bytes, not {text[:40]!r}")
            length = int(text)
            if length > max_body:
                raise Refusal(413, f"the body is {length} bytes; the emulator takes at most {max_body}")
            return length

        def _read_body(self, length: int) -> bytes:
            body = bytearray()
            deadline = time.monotonic() + client_timeout  # a client trickling bytes is still bounded
            while len(body) < length:
                try:
                    chunk = self.rfile.read1(min(_CHUNK, length - len(body)))
                except TimeoutError:
                    raise Refusal(408, self._late("body")) from None
                if not chunk:
                    raise Refusal(400, f"the body ended after {len(body)} of the {length} bytes announced")
                body += chunk
                if time.monotonic() > deadline:
                    raise Refusal(408, self._late("body"))
            return bytes(body)

        @staticmethod
        def _late(part: str) -> str:
            return f"the request's {part} did not arrive within {client_timeout:g} s"

        def handle_expect_100(self) -> bool:
            # Refuse a body the server would refuse anyway before the client sends it.
            try:
                self._announced_length()
            except Refusal as refusal:
                self._refuse(self._shape(), refusal)
                return False
            return super().handle_expect_100()

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            # The stdlib's protocol refusals (bad request line, 414, 431), in JSON and in the cloud's shape
            # when the path tells it (the headers are not read yet). Its 505 for HTTP/2 and above is the
            # client's error too, so it becomes a 400.
            status = code if code < 500 else 400
            text = explain or message or _phrase_code(status)
            self._refuse(_Shape(self.command or "", self.path, {}), Refusal(status, text))

        def _refuse(self, shape: _Shape, refusal: Refusal) -> None:
            self.close_connection = True  # what follows on the connection cannot be trusted to be a request
            self._answer(emulator.refuse(shape.method, shape.path, shape.cloud, refusal))
            self._linger()

        def _answer(self, response: HttpResponse) -> None:
            if response.delay > 0:
                time.sleep(response.delay)
            if self.request_version == "HTTP/0.9":  # also the stdlib's guess for a broken request line
                self.request_version = "HTTP/1.0"  # 0.9 answers have no status line: an error would look like success
            if response.reset:
                self._reset()
                return
            try:
                self.send_response(response.status)
                for name, value in response.headers.items():
                    self.send_header(name, value)
                if self.close_connection:
                    self.send_header("Connection", "close")
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(response.body)
            except OSError:  # the client left or stopped reading (a `slow` fault): nobody to answer
                self.close_connection = True

        def _linger(self) -> None:
            # Closing with unread bytes sends a TCP reset, which can destroy the answer before the
            # client reads it: half-close, then read and drop what still comes, for a moment.
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_WR)
                deadline = time.monotonic() + LINGER_SECONDS
                while (left := deadline - time.monotonic()) > 0:
                    self.connection.settimeout(left)
                    if not self.connection.recv(_CHUNK):
                        break

        def _reset(self) -> None:
            # Linger on with a zero timeout: close() sends RST instead of FIN and discards unsent data.
            # The kernel closes once the handler's file objects let go of the socket, before anything
            # else can be written to it; the server's later shutdown() then fails quietly.
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: tests and the CLI print what matters themselves

    return Handler


class EmulatorServer:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        state_path: str = ":memory:",
        clock: Clock | None = None,
        credentials: CredentialsSource = None,
        faults: FaultSettings | None = None,
        latency_ms: float = 0,
        rate_limits: bool = True,
        control_token: str | None = None,
        max_body: int = MAX_BODY,
        client_timeout: float = CLIENT_TIMEOUT,
        keep_bodies: bool = False,
    ) -> None:
        if max_body < 0 or client_timeout <= 0:
            raise ValueError("max_body must be 0 or more bytes and client_timeout more than 0 seconds")
        self.host = host
        self.max_body = max_body
        self.client_timeout = client_timeout
        self._requested_port = port
        self.clock: Clock = clock or SystemClock()
        self.credentials = _credentials_from(credentials)
        self.stats = RequestStats()
        self.faults = FaultInjector(faults)
        self.gate = Gate(self.faults, self.stats, rate_limits=rate_limits, latency_ms=latency_ms)
        self._control_token = control_token or None  # an empty token would let anyone in
        self.store = TaskStore(str(state_path))
        self.huawei = HuaweiBackend(self.store, self.clock)
        self.tencent = TencentBackend(self.store, self.clock)
        self.aliyun = AliyunBackend(self.store, self.clock)
        # The latest requests, so tests can see what was asked and answered; whole requests (what a
        # real SDK put on the wire) only when asked for: bodies and keys do not belong in a log.
        self.request_log: deque[RequestRecord] = deque(maxlen=LOG_SIZE)
        self._keep_bodies = keep_bodies
        self._huawei_wire = HuaweiWire(self.huawei, self.credentials, self.stats, self.gate)
        self._tencent_wire = TencentWire(self.tencent, self.credentials, self.stats, self.gate)
        self._aliyun_wire = AliyunWire(self.aliyun, self.credentials, self.stats, self.gate)
        self._wires: Mapping[str, _Wire] = {
            HUAWEI: self._huawei_wire,
            TENCENT: self._tencent_wire,
            ALIYUN: self._aliyun_wire,
        }
        for cloud, wire in self._wires.items():
            self.faults.know_actions(cloud, wire.actions)  # a rule naming another action is a typo
            self.stats.know_actions(cloud, wire.actions)  # junk actions are not counted: bounded stats
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> EmulatorServer:
        """Bind and serve on a background thread; returns once the socket is listening."""
        if self._httpd is not None:
            raise RuntimeError("the emulator is already running")
        httpd = _HttpServer((self.host, self._requested_port), _handler_class(self))
        self._httpd = httpd
        # A short poll interval makes stop() prompt (shutdown waits for the next poll).
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="relaytask-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the state file (safe to call twice)."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.store.close()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the emulator is not running")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- dispatch -----------------------------------------------------------------------------

    def handle(self, request: HttpRequest) -> HttpResponse:
        """Route one request by its shape and answer it (usable without a socket too); log it.

        An injected `reset_before` raises ResetConnection; `reset_after`, `slow` and the latency
        are marked on the answer (`reset`, `delay`) for the HTTP handler to carry out. A bug
        answers the cloud's 5xx error (bug_answer) rather than raising."""
        cloud: str | None = None
        action: str | None = None
        try:
            cloud, action = route_of(request)
            response = self._answer(request, cloud)
        except ResetConnection:
            self._log(request.method, request.raw_path, cloud, action, 0, request)
            raise
        except Exception:  # a bug in the emulator must still answer, and say so
            traceback.print_exc()
            response = bug_answer(cloud)
        self._log(request.method, request.raw_path, cloud, action, response.status, request)
        return response

    def refuse(self, method: str, raw_path: str, cloud: str | None, refusal: Refusal) -> HttpResponse:
        """The answer to a request refused before it reached a cloud's handler (the HTTP handler's
        framing checks); logged like any other."""
        self._log(method, raw_path, cloud, None, refusal.status, None)
        return refusal_answer(cloud, refusal)

    def _answer(self, request: HttpRequest, cloud: str | None) -> HttpResponse:
        if request.raw_path.startswith(ADMIN_PREFIX):
            return self._admin(request)
        wire = self._wires.get(cloud or "")
        if wire is None:
            message = (
                f"no emulated API matches {request.method[:_METHOD_KEPT]} {request.raw_path[:_PATH_KEPT]}: "
                "expected a Huawei relay-task path, an X-TC-Action header or an x-acs-action header / "
                "Action query parameter"
            )
            return self.gate.deliver(cloud_error(None, 404, _phrase_code(404), message))
        return self.gate.deliver(wire.handle(request))

    def _log(
        self,
        method: str,
        raw_path: str,
        cloud: str | None,
        action: str | None,
        status: int,
        request: HttpRequest | None,
    ) -> None:
        record = RequestRecord(
            method=method[:_METHOD_KEPT],
            raw_path=raw_path[:_PATH_KEPT],
            cloud=cloud,
            action=action[:_ACTION_KEPT] if action else None,
            status=status,
            size=len(request.body) if request is not None else 0,
            at=time.time(),
            request=request if self._keep_bodies else None,
        )
        self.request_log.append(record)

    def _admin(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and request.raw_path == "/_emulator/stats":
            return HttpResponse.json(200, self.stats.snapshot())
        if request.method == "GET" and request.raw_path == "/_emulator/health":
            return HttpResponse.json(200, {"ok": True})
        if request.raw_path == "/_emulator/faults":
            return self._faults_endpoint(request)
        message = f"unknown emulator endpoint {request.raw_path[:_PATH_KEPT]}"
        return cloud_error(None, 404, _phrase_code(404), message)

    def _faults_endpoint(self, request: HttpRequest) -> HttpResponse:
        refusal = self._control_refusal(request)
        if refusal is not None:
            return refusal
        if request.method == "GET":
            return HttpResponse.json(200, self.gate.state())
        if request.method == "DELETE":
            self.gate.turn_off()
            return HttpResponse.json(200, self.gate.state())
        if request.method != "PUT":
            return HttpResponse.json(
                405, {"error": "MethodNotAllowed", "message": "use GET, PUT or DELETE"}, {"Allow": "GET, PUT, DELETE"}
            )
        try:
            document = json.loads(request.body.decode("utf-8"))
        except (ValueError, RecursionError):  # not UTF-8 or JSON, integers past the digit limit, nested too deep
            return _bad_setting(InvalidSetting("body", "must be a JSON object"))
        try:
            self.gate.update(document)
        except InvalidSetting as exc:
            return _bad_setting(exc)
        return HttpResponse.json(200, self.gate.state())

    def _control_refusal(self, request: HttpRequest) -> HttpResponse | None:
        if self._control_token is None:
            message = "the control endpoint is off: start the emulator with a control token (--control-token)"
            return HttpResponse.json(403, {"error": "Forbidden", "message": message})
        sent = request.header(TOKEN_HEADER) or ""
        # Constant-time, so response timing does not reveal how much of the token was right.
        if not hmac.compare_digest(sent.encode("utf-8"), self._control_token.encode("utf-8")):
            return HttpResponse.json(403, {"error": "Forbidden", "message": "X-Emulator-Token is missing or wrong"})
        return None


def _bad_setting(exc: InvalidSetting) -> HttpResponse:
    return HttpResponse.json(400, {"error": "InvalidSetting", "field": exc.field, "message": str(exc)})
