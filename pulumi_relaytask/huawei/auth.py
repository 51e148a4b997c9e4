"""Huawei Cloud's SDK-HMAC-SHA256 request signing, one pure function per step of the spec.

Reference: docs/api-notes.md, "Huawei: signing". Each step is its own function so
that a failing test names the step that broke (canonical URI, query, headers, request, string to
sign, signature, header). `HuaweiSigner` fills the shared signing skeleton's steps with them; `verify_request` runs
them backwards for the emulator, from exactly the SignedHeaders list the client sent.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC
from urllib.parse import quote, unquote

import httpx

from ..core.clock import Clock, SystemClock
from ..core.signing import RequestView, Signer, canonical_headers, split_authorization
from ..errors import SignatureRejected

ALGORITHM = "SDK-HMAC-SHA256"
SDK_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()
# Clients may declare the body unsigned with this header (the official SDK does so for non-JSON bodies).
CONTENT_SHA256_HEADER = "x-sdk-content-sha256"
SIGNED_HEADERS = frozenset(
    {"content-type", "host", "user-agent", "x-project-id", "x-sdk-date", "x-security-token", CONTENT_SHA256_HEADER}
)


BAD_CREDENTIALS = "APIGW.0301"


def _refused(reason: str) -> SignatureRejected:
    """API Gateway answers every refused signature with 401 APIGW.0301; the message names the reason."""
    return SignatureRejected(401, BAD_CREDENTIALS, f"Incorrect IAM authentication information: {reason}")


def _encode(text: str) -> str:
    # RFC 3986: everything but unreserved characters is percent-encoded; `~` stays as is.
    return quote(text, safe="~")


def canonical_uri(path: str) -> str:
    """Step 1b: each path segment decoded then RFC 3986 encoded; always ends with `/`."""
    encoded = "/".join(_encode(segment) for segment in unquote(path).split("/"))
    # The spec appends `/` even when the request path has none (`/v1/x/vpcs` -> `/v1/x/vpcs/`).
    return encoded if encoded.endswith("/") else encoded + "/"


def canonical_query(query_pairs: Iterable[tuple[str, str]]) -> str:
    """Step 1c: `key=value` pairs sorted by (key, value) as sent, each side encoded, joined by `&`."""
    return "&".join(f"{_encode(key)}={_encode(value)}" for key, value in sorted(query_pairs))


def signed_headers_for(headers: Mapping[str, str]) -> list[str]:
    """Names to sign, sorted: those of SIGNED_HEADERS the request carries.

    The official SDK signs the headers its own request holds (content-type, host, user-agent,
    x-project-id, x-sdk-date, and the token and body-hash headers when set), never the ones the HTTP
    layer adds: a proxy may rewrite `connection` or `accept-encoding` on the way.
    """
    return sorted({name.lower() for name in headers} & SIGNED_HEADERS)


def payload_hash(body: bytes, headers: Mapping[str, str] | None = None) -> str:
    """Step 1f: hex SHA-256 of the body, or the value of X-Sdk-Content-Sha256 when the client set it."""
    if not body:
        return EMPTY_BODY_SHA256
    for name, value in (headers or {}).items():
        if name.lower() == CONTENT_SHA256_HEADER:
            return str(value)
    return hashlib.sha256(body).hexdigest()


def canonical_request(
    method: str,
    path: str,
    query_pairs: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    signed_headers: Sequence[str],
    body: bytes,
) -> str:
    """Step 1: the six parts joined by `\\n` (the header block ends with its own `\\n`)."""
    return "\n".join(
        (
            method.upper(),
            canonical_uri(path),
            canonical_query(query_pairs),
            canonical_headers(headers, signed_headers),
            ";".join(signed_headers),
            payload_hash(body, headers),
        )
    )


def string_to_sign(sdk_date: str, canonical_request: str) -> str:
    """Step 2: algorithm, X-Sdk-Date and the hex SHA-256 of the canonical request."""
    digest = hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{sdk_date}\n{digest}"


def signature(secret_key: str, string_to_sign: str) -> str:
    """Step 3: hex HMAC-SHA256 of the string to sign, keyed with the secret key."""
    return hmac.new(secret_key.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization_header(access_key: str, signed_headers: Sequence[str], signature: str) -> str:
    """Step 4: the Authorization header value."""
    return f"{ALGORITHM} Access={access_key}, SignedHeaders={';'.join(signed_headers)}, Signature={signature}"


class HuaweiSigner(Signer):
    """Signs httpx requests with SDK-HMAC-SHA256, signing the headers the official SDK signs."""

    def __init__(
        self,
        access_key: str,
        secret_key: str,
        project_id: str | None = None,
        clock: Clock | None = None,
        security_token: str | None = None,
    ) -> None:
        self.access_key = access_key
        self._secret_key = secret_key
        self.project_id = project_id
        self._clock: Clock = clock or SystemClock()
        self._security_token = security_token

    def __repr__(self) -> str:
        # The secret key and the token are deliberately left out.
        return f"HuaweiSigner(access_key={self.access_key!r}, project_id={self.project_id!r}, secret_key='***')"

    def add_headers(self, request: httpx.Request) -> str:
        sdk_date = self._clock.now().astimezone(UTC).strftime(SDK_DATE_FORMAT)
        request.headers["X-Sdk-Date"] = sdk_date
        if self.project_id:
            request.headers["X-Project-Id"] = self.project_id
        if self._security_token:
            request.headers["X-Security-Token"] = self._security_token
        return sdk_date

    def headers_to_sign(self, view: RequestView) -> list[str]:
        return signed_headers_for(view.headers)

    def canonical_request(self, view: RequestView, signed: Sequence[str]) -> str:
        return canonical_request(view.method, view.path, view.query_pairs, view.headers, signed, view.body)

    def string_to_sign(self, stamp: str, canonical_request: str) -> str:
        return string_to_sign(stamp, canonical_request)

    def signature(self, stamp: str, string_to_sign: str) -> str:
        return signature(self._secret_key, string_to_sign)

    def authorization(self, stamp: str, signed: Sequence[str], signature: str) -> str:
        return authorization_header(self.access_key, signed, signature)


def parse_authorization(value: str) -> tuple[str, list[str], str]:
    """Split `SDK-HMAC-SHA256 Access=.., SignedHeaders=.., Signature=..` into its three values."""
    try:
        parts = split_authorization(value, ALGORITHM, ("Access", "SignedHeaders", "Signature"))
    except ValueError as exc:
        raise _refused(str(exc)) from None
    return parts["Access"], parts["SignedHeaders"].split(";"), parts["Signature"]


def verify_request(
    method: str,
    raw_path: str,
    query_pairs: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
    lookup_secret: Callable[[str], str | None],
) -> str:
    """Check a request's AK/SK signature; return its access key or raise SignatureRejected.

    The canonical request is rebuilt from the SignedHeaders the client listed, whatever they are
    (the official SDK also signs user-agent). X-Sdk-Date is not compared with the server's clock,
    so an emulator on a fixed clock still accepts SDKs that stamp real time.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    auth = lowered.get("authorization")
    if not auth:
        raise _refused("the Authorization header is missing")
    access_key, signed, sent_signature = parse_authorization(auth)
    sdk_date = lowered.get("x-sdk-date")
    if not sdk_date:
        raise _refused("the X-Sdk-Date header is missing")
    secret = lookup_secret(access_key)
    if secret is None:
        raise _refused(f"unknown access key {access_key}")
    try:
        canonical = canonical_request(method, raw_path, list(query_pairs), lowered, signed, body)
    except ValueError as exc:
        raise _refused(str(exc)) from None
    expected = signature(secret, string_to_sign(sdk_date, canonical))
    if not hmac.compare_digest(expected, sent_signature.lower()):
        raise _refused("the request signature does not match")
    return access_key
