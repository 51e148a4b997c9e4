"""Plain values for one HTTP exchange, so wire modules never touch the http.server machinery."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl


@dataclass(frozen=True)
class HttpRequest:
    method: str
    raw_path: str  # path only, still percent-encoded as received
    raw_query: str  # the query string as received, without `?`
    headers: Mapping[str, str]  # keys lowercased
    body: bytes = b""

    @property
    def query_pairs(self) -> list[tuple[str, str]]:
        return parse_qsl(self.raw_query, keep_blank_values=True)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class HttpResponse:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # How the server delivers it (set by injected faults and latency): wait `delay` seconds first;
    # with `reset`, drop the connection with a TCP reset instead of sending the answer.
    delay: float = 0.0
    reset: bool = False

    @classmethod
    def json(cls, status: int, document: Any, headers: Mapping[str, str] | None = None) -> HttpResponse:
        merged = {"Content-Type": "application/json"}
        merged.update(headers or {})
        return cls(status, json.dumps(document).encode("utf-8"), merged)


@dataclass(frozen=True)
class RequestRecord:
    """One line of the server's request log: what was asked and answered, never the body or the query.

    The query and the headers may carry keys and signatures, and bodies can be large: only with
    `EmulatorServer(keep_bodies=True)` does a record hold the whole `request` as received, which
    `headers`, `query_pairs` and `body` then read."""

    method: str
    raw_path: str  # path only, still percent-encoded; the server cuts long ones
    cloud: str | None  # None: the request matched no cloud (or was for /_emulator/)
    action: str | None  # the operation it named (long ones cut), None when it named none
    status: int  # 0: the connection was reset instead of answered (an injected fault)
    size: int  # bytes of body received (0 when refused before reading it)
    at: float  # when it was answered, in seconds since the epoch
    request: HttpRequest | None = None

    @property
    def headers(self) -> Mapping[str, str]:
        return self._kept().headers

    @property
    def query_pairs(self) -> list[tuple[str, str]]:
        return self._kept().query_pairs

    @property
    def body(self) -> bytes:
        return self._kept().body

    def _kept(self) -> HttpRequest:
        if self.request is None:
            raise LookupError("the request log keeps whole requests only with EmulatorServer(keep_bodies=True)")
        return self.request
