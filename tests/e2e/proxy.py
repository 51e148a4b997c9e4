"""A forwarding HTTP proxy on 127.0.0.1 that rewrites hop-by-hop headers, as proxies in front of a cloud do.

Every request is forwarded on a fresh upstream connection with `Connection: close` (whatever the
client sent) and a `Via` header; the answer goes back on the client's keep-alive connection. When the
upstream resets or closes without answering, the client's connection is reset too, so a lost answer
stays lost. A signer that signs `connection` fails through it.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import socketserver
import struct
import threading
from types import TracebackType

HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "transfer-encoding", "content-length"})


def _reset(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()


class RewritingProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.forwarded = 0
        self.lost = 0
        self._lock = threading.Lock()
        proxy = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                while proxy._forward_one(self):
                    pass

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> RewritingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _forward_one(self, handler: socketserver.StreamRequestHandler) -> bool:
        """Relay one request and its answer; False when the client's connection is done."""
        line = handler.rfile.readline(65537)
        if not line.strip():
            return False
        method, target, _version = line.decode("latin-1").split(" ", 2)
        headers: list[tuple[str, str]] = []
        length = 0
        while (raw := handler.rfile.readline(65537)) not in (b"\r\n", b"\n", b""):
            name, _, value = raw.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
            if name.strip().lower() not in HOP_BY_HOP:
                headers.append((name.strip(), value.strip()))
        body = handler.rfile.read(length) if length else b""
        headers += [("Connection", "close"), ("Via", "1.1 relaytask-test-proxy"), ("Content-Length", str(len(body)))]
        upstream = http.client.HTTPConnection(*self.upstream, timeout=120)
        try:
            upstream.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                upstream.putheader(name, value)
            upstream.endheaders(body)
            answer = upstream.getresponse()
            content = answer.read()
        except (OSError, http.client.HTTPException):
            with self._lock:
                self.lost += 1
            _reset(handler.connection)  # the upstream gave no answer: neither does the proxy
            return False
        finally:
            upstream.close()
        with self._lock:
            self.forwarded += 1
        out = [f"HTTP/1.1 {answer.status} {answer.reason}\r\n"]
        out += [f"{name}: {value}\r\n" for name, value in answer.getheaders() if name.lower() not in HOP_BY_HOP]
        out.append(f"Content-Length: {len(content)}\r\nConnection: keep-alive\r\n\r\n")
        try:
            handler.wfile.write("".join(out).encode("latin-1") + content)
            handler.wfile.flush()
        except OSError:
            return False  # the client gave up waiting (a slow answer): its loss
        return True
