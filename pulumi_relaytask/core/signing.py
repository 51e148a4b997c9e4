"""What the three clouds' signature schemes share: the request view, the order of the steps, the
header block and the Authorization header's shape.

`Signer` is the skeleton (as botocore's SigV4Auth): add the scheme's own headers, choose the headers
to sign, build the canonical request, the string to sign, the signature and the Authorization header,
one method per step, each cloud filling in its steps from its pure step functions. Every step reads
the same `RequestView`, which is also what the emulator's verifiers rebuild from a received request.
"""

from __future__ import annotations

import abc
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

import httpx


@dataclass(frozen=True)
class RequestView:
    """A request as the signature schemes see it: names lowercased, Host included, path and query raw."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes

    @property
    def query_pairs(self) -> list[tuple[str, str]]:
        return parse_qsl(self.query, keep_blank_values=True)

    @classmethod
    def of(cls, request: httpx.Request) -> RequestView:
        headers = {name.lower(): value for name, value in request.headers.items()}
        # httpx sends Host from the URL when the request has none; sign exactly what goes on the wire.
        headers.setdefault("host", request.url.netloc.decode("ascii"))
        path, _, query = request.url.raw_path.decode("ascii").partition("?")
        return cls(request.method.upper(), path, query, headers, request.content)


class Signer(httpx.Auth, abc.ABC):
    """The signing steps in order; subclasses implement each step for their scheme."""

    requires_request_body = True  # the body hash is part of every scheme's signature

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.sign(request)
        yield request

    def sign(self, request: httpx.Request) -> None:
        """Add the scheme's headers and Authorization to the request, in place."""
        context = self.add_headers(request)
        view = RequestView.of(request)
        signed = self.headers_to_sign(view)
        canonical = self.canonical_request(view, signed)
        to_sign = self.string_to_sign(context, canonical)
        request.headers["Authorization"] = self.authorization(context, signed, self.signature(context, to_sign))

    @abc.abstractmethod
    def add_headers(self, request: httpx.Request) -> str:
        """Step 0: date, nonce, token, ... headers; returns the request's time stamp as the scheme writes it."""

    @abc.abstractmethod
    def headers_to_sign(self, view: RequestView) -> list[str]:
        """Step 1a: the lowercase names to sign, in the scheme's order (never hop-by-hop headers)."""

    @abc.abstractmethod
    def canonical_request(self, view: RequestView, signed: Sequence[str]) -> str:
        """Step 1: the request in the scheme's canonical form."""

    @abc.abstractmethod
    def string_to_sign(self, stamp: str, canonical_request: str) -> str:
        """Step 2: algorithm, stamp (and scope) and the hash of the canonical request."""

    @abc.abstractmethod
    def signature(self, stamp: str, string_to_sign: str) -> str:
        """Step 3: the keyed hash of the string to sign."""

    @abc.abstractmethod
    def authorization(self, stamp: str, signed: Sequence[str], signature: str) -> str:
        """Step 4: the Authorization header value."""


def canonical_headers(headers: Mapping[str, str], signed: Sequence[str], *, lower_values: bool = False) -> str:
    """`name:trimmed-value\n` for each signed name, in the order given (TC3 also lowercases values).

    Raises ValueError when a signed name is not among the request's headers.
    """
    by_name = {name.lower(): str(value).strip() for name, value in headers.items()}
    lines = []
    for name in signed:
        if name not in by_name:
            raise ValueError(f"signed header {name!r} is not in the request")
        value = by_name[name]
        lines.append(f"{name}:{value.lower() if lower_values else value}\n")
    return "".join(lines)


def split_authorization(value: str, algorithm: str, required: tuple[str, ...]) -> dict[str, str]:
    """`ALGO Key=v, Key2=v2` (with or without spaces after commas) into {Key: v}.

    Raises ValueError, with a message naming what is wrong, for another scheme or a missing key;
    each cloud's verifier turns it into its own error.
    """
    scheme, _, rest = value.strip().partition(" ")
    if scheme != algorithm:
        raise ValueError(f"Authorization must use {algorithm}")
    parts: dict[str, str] = {}
    for item in rest.split(","):
        key, sep, val = item.strip().partition("=")
        if sep:
            parts[key.strip()] = val.strip()
    if not all(parts.get(key) for key in required):
        raise ValueError(f"Authorization must carry {', '.join(required[:-1])} and {required[-1]}")
    return parts
