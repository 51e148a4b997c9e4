"""Alibaba Cloud request signing: V3 `ACS3-HMAC-SHA256` and the legacy V2 RPC `HMAC-SHA1`.

Reference: docs/api-notes.md, "Alibaba: signing" and docs/api-notes.md, "What the official SDKs send".
Each step is its own pure function so that a failing test names the step that broke. `AliyunSigner` fills the shared
signing skeleton's steps with the V3 ones; `verify_request` checks either signature for the emulator, rebuilding a V3
canonical request from exactly the SignedHeaders list the client sent.

The security token (x-acs-security-token / SecurityToken) is passed through and, for V3, signed;
the verifier does not validate it (the emulator has no STS).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from urllib.parse import parse_qsl, quote

import httpx

from ..core import timefmt
from ..core.clock import Clock, SystemClock
from ..core.signing import RequestView, Signer, canonical_headers, split_authorization
from ..errors import SignatureRejected

ALGORITHM = "ACS3-HMAC-SHA256"
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()
V2_SIGNATURE_METHOD = "HMAC-SHA1"
V2_SIGNATURE_VERSION = "1.0"

SIGNATURE_MISMATCH = "SignatureDoesNotMatch"
KEY_NOT_FOUND = "InvalidAccessKeyId.NotFound"


def _unknown_key(access_key_id: str) -> SignatureRejected:
    return SignatureRejected(404, KEY_NOT_FOUND, f"Specified access key is not found: {access_key_id}")


def _mismatch(reason: str, string_to_sign: str = "") -> SignatureRejected:
    # The message ends with `server string to sign is:...` like the real service's: the legacy SDK
    # splits it on `:` to tell a wrong secret from a wrongly built request.
    return SignatureRejected(400, SIGNATURE_MISMATCH, f"{reason}. server string to sign is:{string_to_sign}")


# -- shared ---------------------------------------------------------------------------------------


def percent_encode(text: str) -> str:
    """RFC 3986 encoding as both signatures use it: space `%20`, `*` `%2A`, `~` kept as is."""
    return quote(text, safe="~")


def payload_hash(body: bytes) -> str:
    """Hex SHA-256 of the body (the value of x-acs-content-sha256)."""
    return hashlib.sha256(body).hexdigest()


# -- V3: ACS3-HMAC-SHA256 -------------------------------------------------------------------------


def canonical_query(query_pairs: Iterable[tuple[str, str]]) -> str:
    """Decoded `key=value` pairs sorted by (key, value), each side RFC 3986 encoded, joined by `&`."""
    return "&".join(f"{percent_encode(key)}={percent_encode(value)}" for key, value in sorted(query_pairs))


def signed_headers_for(headers: Mapping[str, str]) -> list[str]:
    """What our signer signs: host, content-type (when sent) and every x-acs-* header, sorted."""
    # Hop-by-hop headers (connection, accept-encoding) may be rewritten in transit, so they stay out.
    return sorted(
        {
            name.lower()
            for name in headers
            if name.lower() in ("host", "content-type") or name.lower().startswith("x-acs-")
        }
    )


def canonical_request(
    method: str,
    path: str,
    query_pairs: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    signed_headers: Sequence[str],
    body: bytes,
) -> str:
    """METHOD, URI, query, header block, signed names and payload hash, joined by `\\n`."""
    return "\n".join(
        (
            method.upper(),
            path or "/",  # RPC calls always use `/`; the path is taken as sent
            canonical_query(query_pairs),
            canonical_headers(headers, signed_headers),
            ";".join(signed_headers),
            payload_hash(body),
        )
    )


def string_to_sign(canonical_request: str) -> str:
    """The algorithm and the hex SHA-256 of the canonical request."""
    return f"{ALGORITHM}\n{hashlib.sha256(canonical_request.encode('utf-8')).hexdigest()}"


def signature(secret: str, string_to_sign: str) -> str:
    """Hex HMAC-SHA256 of the string to sign, keyed with the AccessKey secret."""
    return hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization_header(access_key_id: str, signed_headers: Sequence[str], signature: str) -> str:
    """`ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..` (no spaces after commas)."""
    return f"{ALGORITHM} Credential={access_key_id},SignedHeaders={';'.join(signed_headers)},Signature={signature}"


def parse_authorization(value: str) -> tuple[str, list[str], str]:
    """Split a V3 Authorization header into access key id, signed header names and signature."""
    try:
        parts = split_authorization(value, ALGORITHM, ("Credential", "SignedHeaders", "Signature"))
    except ValueError as exc:
        raise _mismatch(str(exc)) from None
    return parts["Credential"], parts["SignedHeaders"].split(";"), parts["Signature"]


class AliyunSigner(Signer):
    """Signs httpx requests with ACS3-HMAC-SHA256, as the official `alibabacloud-tea-openapi` does.

    The caller sets `x-acs-action` and `x-acs-version` and puts the parameters in the query string.
    """

    def __init__(
        self,
        access_key_id: str,
        access_key_secret: str,
        *,
        clock: Clock | None = None,
        security_token: str | None = None,
        nonce: Callable[[], str] | None = None,
    ) -> None:
        self.access_key_id = access_key_id
        self._secret = access_key_secret
        self._clock: Clock = clock or SystemClock()
        self._security_token = security_token
        self._nonce = nonce or (lambda: uuid.uuid4().hex)

    def __repr__(self) -> str:
        # The secret and the token are deliberately left out.
        return f"AliyunSigner(access_key_id={self.access_key_id!r}, access_key_secret='***')"

    def add_headers(self, request: httpx.Request) -> str:
        for needed in ("x-acs-action", "x-acs-version"):
            if needed not in request.headers:
                raise ValueError(f"the request must carry the {needed} header before it is signed")
        stamp = timefmt.format_utc(self._clock.now())
        request.headers["x-acs-date"] = stamp
        request.headers["x-acs-signature-nonce"] = self._nonce()
        request.headers["x-acs-content-sha256"] = payload_hash(request.content)
        if self._security_token:
            request.headers["x-acs-security-token"] = self._security_token
        return stamp

    def headers_to_sign(self, view: RequestView) -> list[str]:
        return signed_headers_for(view.headers)

    def canonical_request(self, view: RequestView, signed: Sequence[str]) -> str:
        return canonical_request(view.method, view.path, view.query_pairs, view.headers, signed, view.body)

    def string_to_sign(self, stamp: str, canonical_request: str) -> str:
        return string_to_sign(canonical_request)

    def signature(self, stamp: str, string_to_sign: str) -> str:
        return signature(self._secret, string_to_sign)

    def authorization(self, stamp: str, signed: Sequence[str], signature: str) -> str:
        return authorization_header(self.access_key_id, signed, signature)


# -- V2: RPC HMAC-SHA1 ----------------------------------------------------------------------------


def v2_canonical_query(params: Iterable[tuple[str, str]]) -> str:
    """Every parameter except `Signature`, sorted by (key, value), RFC 3986 encoded, joined by `&`."""
    return "&".join(
        f"{percent_encode(key)}={percent_encode(value)}" for key, value in sorted(params) if key != "Signature"
    )


def v2_string_to_sign(method: str, canonical_query: str) -> str:
    """`METHOD&%2F&` + the percent-encoded canonical query."""
    return f"{method.upper()}&{percent_encode('/')}&{percent_encode(canonical_query)}"


def v2_signature(secret: str, string_to_sign: str) -> str:
    """Base64 HMAC-SHA1 of the string to sign, keyed with `secret + "&"`."""
    digest = hmac.new((secret + "&").encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


# -- the emulator's verifier ----------------------------------------------------------------------


def _form_pairs(headers: Mapping[str, str], body: bytes) -> list[tuple[str, str]]:
    content_type = headers.get("content-type", "").lower()
    if not body or not content_type.startswith("application/x-www-form-urlencoded"):
        return []
    return parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)


def _verify_v3(
    method: str,
    raw_path: str,
    query_pairs: list[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
    lookup_secret: Callable[[str], str | None],
) -> str:
    access_key_id, signed, sent = parse_authorization(headers["authorization"])
    secret = lookup_secret(access_key_id)
    if secret is None:
        raise _unknown_key(access_key_id)
    try:
        canonical = canonical_request(method, raw_path, query_pairs, headers, signed, body)
    except ValueError as exc:
        raise _mismatch(f"the request signature is not valid: {exc}") from None
    to_sign = string_to_sign(canonical)
    if not hmac.compare_digest(signature(secret, to_sign), sent.lower()):
        raise _mismatch("The request signature does not conform to Aliyun standards", to_sign)
    return access_key_id


def _verify_v2(method: str, params: list[tuple[str, str]], lookup_secret: Callable[[str], str | None]) -> str:
    values = dict(params)
    if values.get("SignatureMethod") != V2_SIGNATURE_METHOD:
        raise _mismatch(f"SignatureMethod must be {V2_SIGNATURE_METHOD}")
    if values.get("SignatureVersion") != V2_SIGNATURE_VERSION:
        raise _mismatch(f"SignatureVersion must be {V2_SIGNATURE_VERSION}")
    access_key_id = values.get("AccessKeyId")
    if not access_key_id:
        raise _mismatch("the AccessKeyId parameter is missing")
    secret = lookup_secret(access_key_id)
    if secret is None:
        raise _unknown_key(access_key_id)
    to_sign = v2_string_to_sign(method, v2_canonical_query(params))
    if not hmac.compare_digest(v2_signature(secret, to_sign), values["Signature"]):
        raise _mismatch("Specified signature is not matched with our calculation", to_sign)
    return access_key_id


def verify_request(
    method: str,
    raw_path: str,
    query_pairs: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
    lookup_secret: Callable[[str], str | None],
) -> str:
    """Check a V3 Authorization header or V2 query signature; return the AccessKeyId or raise SignatureRejected.

    V3 is rebuilt from the SignedHeaders the client listed, whatever they are. V2 covers the query
    and a form-encoded body (the legacy SDK signs both). Neither x-acs-date nor Timestamp is compared
    with the server's clock, so an emulator on a fixed clock accepts SDKs that stamp real time.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    pairs = list(query_pairs)
    if lowered.get("authorization", "").strip():
        return _verify_v3(method, raw_path, pairs, lowered, body, lookup_secret)
    params = pairs + _form_pairs(lowered, body)
    if any(key == "Signature" for key, _ in params):
        return _verify_v2(method, params, lookup_secret)
    raise _mismatch("the request carries neither an Authorization header nor a Signature parameter")
