"""The emulator's HTTP server: a stdlib ThreadingHTTPServer that dispatches by request shape.

- Huawei: the path is `/v1/{project_id}/pull/stream/task`.
- Tencent: the `X-TC-Action` header is present (tencent_wire; `.tencent` is its backend).
- Alibaba: the `x-acs-action` header or the `Action` parameter is present (aliyun_wire; `.aliyun` is its backend).
- `GET /_emulator/stats`: request counts per cloud and operation; `GET /_emulator/health`: `{"ok": true}`.
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
`.request_log` holds the latest requests as received.
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
from collections import deque
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ..core.clock import Clock, SystemClock
from .aliyun_backend import CLOUD as ALIYUN
from .aliyun_backend import AliyunBackend
from .aliyun_wire import AliyunWire, action_of
from .credentials import Credentials
from .faults import FaultInjector, FaultSettings, InvalidSetting, ResetConnection
from .gate import Gate
from .huawei_backend import CLOUD as HUAWEI
from .huawei_backend import HuaweiBackend
from .huawei_wire import HuaweiWire, project_id_of
from .messages import HttpRequest, HttpResponse
from .stats import RequestStats
from .store import TaskStore
from .tencent_backend import CLOUD as TENCENT
from .tencent_backend import TencentBackend
from .tencent_wire import TencentWire

CredentialsSource = Credentials | Mapping[str, Any] | str | os.PathLike[str] | None
TOKEN_HEADER = "x-emulator-token"


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


def _handler_class(dispatch: Callable[[HttpRequest], HttpResponse]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the SDKs' connection pools expect
        disable_nagle_algorithm = True  # headers and body go out in separate writes: don't delay the body
        server_version = "relaytask-emulator"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            path, _, query = self.path.partition("?")
            headers = {name.lower(): _header_text(value) for name, value in self.headers.items()}
            try:
                response = dispatch(HttpRequest(self.command, path, query, headers, body))
            except ResetConnection:
                self._reset()
                return
            except Exception:  # a bug in the emulator must still answer, and say so
                traceback.print_exc()
                response = HttpResponse.json(
                    500, {"error_code": "EMULATOR.InternalError", "error_msg": "internal error in the emulator"}
                )
            if response.delay > 0:
                time.sleep(response.delay)
            if response.reset:
                self._reset()
                return
            try:
                self.send_response(response.status)
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(response.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up waiting (a `slow` fault): nobody to answer

        def _reset(self) -> None:
            # Linger on with a zero timeout: close() sends RST instead of FIN and discards unsent data.
            # The kernel closes once the handler's file objects let go of the socket, before anything
            # else can be written to it; the server's later shutdown() then fails quietly.
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

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
    ) -> None:
        self.host = host
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
        # The latest requests as received, so tests can see what a real SDK put on the wire.
        self.request_log: deque[HttpRequest] = deque(maxlen=200)
        self._huawei_wire = HuaweiWire(self.huawei, self.credentials, self.stats, self.gate)
        self._tencent_wire = TencentWire(self.tencent, self.credentials, self.stats, self.gate)
        self._aliyun_wire = AliyunWire(self.aliyun, self.credentials, self.stats, self.gate)
        self.faults.know_actions(HUAWEI, self._huawei_wire.actions)
        self.faults.know_actions(TENCENT, self._tencent_wire.actions)
        self.faults.know_actions(ALIYUN, self._aliyun_wire.actions)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> EmulatorServer:
        """Bind and serve on a background thread; returns once the socket is listening."""
        if self._httpd is not None:
            raise RuntimeError("the emulator is already running")
        httpd = ThreadingHTTPServer((self.host, self._requested_port), _handler_class(self.handle))
        httpd.daemon_threads = True
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
        """Route one request by its shape (usable without a socket too).

        An injected `reset_before` raises ResetConnection; `reset_after`, `slow` and the latency
        are marked on the answer (`reset`, `delay`) for the HTTP handler to carry out."""
        self.request_log.append(request)
        if request.raw_path.startswith("/_emulator/"):
            return self._admin(request)
        return self.gate.deliver(self._api(request))

    def _api(self, request: HttpRequest) -> HttpResponse:
        if project_id_of(request.raw_path) is not None:
            return self._huawei_wire.handle(request)
        tencent_action = request.header("x-tc-action")
        if tencent_action:
            return self._tencent_wire.handle(request)
        if action_of(request):
            return self._aliyun_wire.handle(request)
        return HttpResponse.json(
            404,
            {
                "error": "NotFound",
                "message": (
                    f"no emulated API matches {request.method} {request.raw_path}: expected a Huawei relay-task "
                    "path, an X-TC-Action header or an x-acs-action header / Action query parameter"
                ),
            },
        )

    def _admin(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and request.raw_path == "/_emulator/stats":
            return HttpResponse.json(200, self.stats.snapshot())
        if request.method == "GET" and request.raw_path == "/_emulator/health":
            return HttpResponse.json(200, {"ok": True})
        if request.raw_path == "/_emulator/faults":
            return self._faults_endpoint(request)
        return HttpResponse.json(404, {"error": "NotFound", "message": f"unknown emulator endpoint {request.raw_path}"})

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
        except (UnicodeDecodeError, json.JSONDecodeError):
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
