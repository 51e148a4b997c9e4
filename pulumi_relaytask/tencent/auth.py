"""Tencent Cloud's TC3-HMAC-SHA256 request signing, one pure function per step of the spec.

Reference: docs/api-notes.md, "Tencent: signing". Each step is its own function so
that a failing test names the step that broke. `TencentSigner` fills the shared signing skeleton's steps with them;
`verify_request` runs them backwards for the emulator, from exactly the SignedHeaders the client
listed (the official Python SDK signs `content-type;host`, newer SDKs add `x-tc-action`).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

import httpx

from ..core.clock import Clock, SystemClock
from ..core.signing import RequestView, Signer, split_authorization
from ..core.signing import canonical_headers as shared_canonical_headers
from ..errors import SignatureRejected

ALGORITHM = "TC3-HMAC-SHA256"
TERMINATOR = "tc3_request"
MAX_SKEW_SECONDS = 300  # the service refuses timestamps more than 5 minutes off its clock
DEFAULT_SIGNED_HEADERS = ("content-type", "host", "x-tc-action")
# The service insists on these two; a signature without them does not bind the request.
REQUIRED_SIGNED_HEADERS = ("content-type", "host")
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
CONTENT_SHA256_HEADER = "x-tc-content-sha256"

SIGNATURE_FAILURE = "AuthFailure.SignatureFailure"
SECRET_ID_NOT_FOUND = "AuthFailure.SecretIdNotFound"
SIGNATURE_EXPIRE = "AuthFailure.SignatureExpire"


def _refused(code: str, reason: str) -> SignatureRejected:
    """Tencent answers a refused signature inside its usual HTTP 200 envelope, so only the code says
    why; 401 is the status the refusal stands for, which the wire does not send."""
    return SignatureRejected(401, code, reason)


# -- the steps ------------------------------------------------------------------------------------


def date_of(timestamp: int) -> str:
    """The UTC date (`YYYY-MM-DD`) of a Unix timestamp: the date of the credential scope."""
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d")


def payload_hash(payload: bytes, headers: Mapping[str, str] | None = None) -> str:
    """Hex SHA-256 of the body, or of `UNSIGNED-PAYLOAD` when the client declared it so."""
    for name, value in (headers or {}).items():
        if name.lower() == CONTENT_SHA256_HEADER and value == UNSIGNED_PAYLOAD:
            payload = UNSIGNED_PAYLOAD.encode("ascii")
    return hashlib.sha256(payload).hexdigest()


def canonical_headers(headers: Mapping[str, str], signed_headers: Sequence[str]) -> str:
    """`name:value\\n` per signed name, in the order given; the spec lowercases values too, which is
    why `x-tc-action` is signed as `createlivepullstreamtask`."""
    return shared_canonical_headers(headers, signed_headers, lower_values=True)


def canonical_request(
    method: str,
    uri: str,
    query: str,
    headers: Mapping[str, str],
    signed_headers: Sequence[str],
    payload: bytes,
) -> str:
    """Step 1: method, URI, query string as sent (empty for POST), headers, names, payload hash."""
    return "\n".join(
        (
            method.upper(),
            uri or "/",
            query,
            canonical_headers(headers, signed_headers),
            ";".join(signed_headers),
            payload_hash(payload, headers),
        )
    )


def credential_scope(date: str, service: str) -> str:
    return f"{date}/{service}/{TERMINATOR}"


def string_to_sign(timestamp: int | str, scope: str, canonical_request: str) -> str:
    """Step 2: algorithm, X-TC-Timestamp, scope and the hex SHA-256 of the canonical request."""
    digest = hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{timestamp}\n{scope}\n{digest}"


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret_key: str, date: str, service: str) -> bytes:
    """Step 3a: kDate = HMAC("TC3"+key, date), kService = HMAC(kDate, service), HMAC(kService, "tc3_request")."""
    k_date = _hmac(("TC3" + secret_key).encode("utf-8"), date)
    k_service = _hmac(k_date, service)
    return _hmac(k_service, TERMINATOR)


def signature(key: bytes, string_to_sign: str) -> str:
    """Step 3b: hex HMAC-SHA256 of the string to sign with the signing key."""
    return hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization_header(secret_id: str, date: str, service: str, signed_headers: Sequence[str], signature: str) -> str:
    """Step 4: the Authorization header value."""
    return (
        f"{ALGORITHM} Credential={secret_id}/{credential_scope(date, service)}, "
        f"SignedHeaders={';'.join(signed_headers)}, Signature={signature}"
    )


# -- the client side ------------------------------------------------------------------------------


class TencentSigner(Signer):
    """Signs httpx requests that already carry `X-TC-Action` (the client sets it per call)."""

    def __init__(
        self,
        secret_id: str,
        secret_key: str,
        *,
        region: str,
        service: str = "live",
        version: str = "2018-08-01",
        clock: Clock | None = None,
        session_token: str | None = None,
        signed_headers: Sequence[str] = DEFAULT_SIGNED_HEADERS,
    ) -> None:
        self.secret_id = secret_id
        self._secret_key = secret_key
        self.region = region
        self.service = service
        self.version = version
        self._clock: Clock = clock or SystemClock()
        self._session_token = session_token
        # Sorted, as the spec wants; overridable only to reproduce older SDKs (content-type;host).
        self.signed_headers = sorted(name.lower() for name in signed_headers)

    def __repr__(self) -> str:
        # The secret key and the session token are deliberately left out.
        return (
            f"TencentSigner(secret_id={self.secret_id!r}, region={self.region!r}, "
            f"service={self.service!r}, secret_key='***')"
        )

    def add_headers(self, request: httpx.Request) -> str:
        if not request.headers.get("X-TC-Action"):
            raise ValueError("TencentSigner needs the X-TC-Action header on the request")
        timestamp = str(int(self._clock.now().timestamp()))
        request.headers["X-TC-Timestamp"] = timestamp
        request.headers["X-TC-Version"] = self.version
        request.headers["X-TC-Region"] = self.region
        if self._session_token:
            request.headers["X-TC-Token"] = self._session_token
        # content-type is always signed; a body-less request still has to name one.
        request.headers.setdefault("Content-Type", "application/json")
        return timestamp

    def headers_to_sign(self, view: RequestView) -> list[str]:
        return self.signed_headers

    def canonical_request(self, view: RequestView, signed: Sequence[str]) -> str:
        return canonical_request(view.method, view.path, view.query, view.headers, signed, view.body)

    def string_to_sign(self, stamp: str, canonical_request: str) -> str:
        return string_to_sign(stamp, credential_scope(date_of(int(stamp)), self.service), canonical_request)

    def signature(self, stamp: str, string_to_sign: str) -> str:
        return signature(signing_key(self._secret_key, date_of(int(stamp)), self.service), string_to_sign)

    def authorization(self, stamp: str, signed: Sequence[str], signature: str) -> str:
        return authorization_header(self.secret_id, date_of(int(stamp)), self.service, signed, signature)


# -- the server side ------------------------------------------------------------------------------


def parse_authorization(value: str) -> tuple[str, str, str, list[str], str]:
    """Split the header into (secret id, date, service, signed header names, signature)."""
    try:
        parts = split_authorization(value, ALGORITHM, ("Credential", "SignedHeaders", "Signature"))
    except ValueError as exc:
        raise _refused(SIGNATURE_FAILURE, str(exc)) from None
    credential, names, sig = parts["Credential"], parts["SignedHeaders"], parts["Signature"]
    # The secret id itself may not contain `/`, so the last three segments are the scope.
    pieces = credential.split("/")
    if len(pieces) != 4 or pieces[3] != TERMINATOR or not all(pieces):
        raise _refused(SIGNATURE_FAILURE, "Credential must be SecretId/YYYY-MM-DD/service/tc3_request")
    return pieces[0], pieces[1], pieces[2], names.split(";"), sig


def verify_request(
    method: str,
    raw_path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    lookup_secret: Callable[[str], str | None],
    now: datetime,
    *,
    service: str = "live",
) -> str:
    """Check a request's TC3 signature against `now`; return its SecretId or raise SignatureRejected.

    `query` is the raw query string as received (empty for the JSON POSTs the SDKs send).
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    auth = lowered.get("authorization")
    if not auth:
        raise _refused(SIGNATURE_FAILURE, "the Authorization header is missing")
    secret_id, date, scope_service, signed, sent_signature = parse_authorization(auth)
    secret = lookup_secret(secret_id)
    if secret is None:
        raise _refused(SECRET_ID_NOT_FOUND, f"unknown SecretId {secret_id}")
    raw_timestamp = lowered.get("x-tc-timestamp", "")
    if not raw_timestamp.isdigit():
        raise _refused(SIGNATURE_FAILURE, "X-TC-Timestamp must be a Unix time in seconds")
    timestamp = int(raw_timestamp)
    if abs(now.timestamp() - timestamp) > MAX_SKEW_SECONDS:
        raise _refused(SIGNATURE_EXPIRE, "X-TC-Timestamp is more than 5 minutes away from the server time")
    if date != date_of(timestamp):
        raise _refused(SIGNATURE_FAILURE, "the credential scope date is not the UTC date of X-TC-Timestamp")
    if scope_service != service:
        raise _refused(SIGNATURE_FAILURE, f"the credential scope must name service {service!r}")
    for name in REQUIRED_SIGNED_HEADERS:
        if name not in signed:
            raise _refused(SIGNATURE_FAILURE, f"SignedHeaders must include {name}")
    try:
        canonical = canonical_request(method, raw_path, query, lowered, signed, body)
    except ValueError as exc:
        raise _refused(SIGNATURE_FAILURE, str(exc)) from None
    to_sign = string_to_sign(raw_timestamp, credential_scope(date, service), canonical)
    expected = signature(signing_key(secret, date, service), to_sign)
    if not hmac.compare_digest(expected, sent_signature.lower()):
        raise _refused(SIGNATURE_FAILURE, "the request signature does not match")
    return secret_id
