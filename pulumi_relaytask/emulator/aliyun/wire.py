"""Alibaba ApsaraVideo Live's HTTP shape (RPC style): route, authenticate, parse, call the backend, answer JSON.

No business rules here. The action comes from the `x-acs-action` header (V3 SDKs) or the `Action`
parameter (V2 / legacy SDK); parameters from the query string and a form-encoded body, where
`SourceUrls` is a JSON-encoded array. Authentication is either signature (aliyun.auth.verify_request),
then the request's time (x-acs-date or Timestamp) within 15 minutes of the wall clock and a signature
nonce (x-acs-signature-nonce or SignatureNonce) not seen in that window; the account the state belongs
to is the AccessKeyId; once it is known, the request passes the gate
(gate.py: rate limits, injected faults) before the backend. Success: `{"RequestId", ...}`; errors:
`{"RequestId", "HostId", "Code", "Message"}` with the service's HTTP status (SignatureDoesNotMatch
400, InvalidAccessKeyId.NotFound 404, an unknown action 404 InvalidAction.NotFound, a bug 500
InternalError; docs/api-notes.md, "Alibaba: errors").
"""

from __future__ import annotations

import re
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from ...aliyun.auth import SIGNATURE_MISMATCH, verify_request
from ...core import timefmt
from ...errors import ApiFault, SignatureRejected
from .. import params
from ..faults import ResetConnection
from ..freshness import NonceMemory, is_fresh, wall_now
from ..gate import ANSWER, AfterBackend
from ..messages import HttpRequest, HttpResponse
from ..wirebase import WireBase
from . import checks
from .backend import CLOUD, AliyunBackend

API_VERSION = "2016-11-01"
HOST_ID = "live.aliyuncs.com"

# The gateway refuses a request whose time is more than 15 minutes from its clock (InvalidTimeStamp.Expired)
# and a signature nonce used before (SignatureNonceUsed); a nonce is remembered while a request
# carrying it could still pass the time check.
REQUEST_TIME_WINDOW = timedelta(minutes=15)
TIME_EXPIRED = "InvalidTimeStamp.Expired"
TIME_FORMAT = "InvalidTimeStamp.Format"
NONCE_USED = "SignatureNonceUsed"
_REQUEST_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")

Operation = Callable[[str, Mapping[str, str]], dict[str, Any]]


def action_of(request: HttpRequest) -> str | None:
    """The action a request names (header first, then the Action parameter), or None."""
    return request.header("x-acs-action") or request_params(request).get("Action") or None


def request_params(request: HttpRequest) -> dict[str, str]:
    """Query parameters, then form-body parameters (the legacy SDK may put them in the body)."""
    values = dict(request.query_pairs)
    content_type = (request.header("content-type") or "").lower()
    if request.body and content_type.startswith("application/x-www-form-urlencoded"):
        values.update(parse_qsl(request.body.decode("utf-8", errors="replace"), keep_blank_values=True))
    return values


def _unique_params(request: HttpRequest) -> dict[str, str]:
    """The request's parameters, refusing a name sent twice with different values."""
    pairs = list(request.query_pairs)
    content_type = (request.header("content-type") or "").lower()
    if request.body and content_type.startswith("application/x-www-form-urlencoded"):
        pairs += parse_qsl(request.body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return params.unique_pairs(pairs, checks.invalid)


@dataclass
class AliyunWire(WireBase[AliyunBackend]):
    def __post_init__(self) -> None:
        backend = self.backend
        self.nonces = NonceMemory(REQUEST_TIME_WINDOW)
        self._operations: dict[str, Operation] = {
            "CreateLivePullToPush": backend.create_live_pull_to_push,
            "DescribeLivePullToPush": backend.describe_live_pull_to_push,
            "DescribeLivePullToPushList": backend.describe_live_pull_to_push_list,
            "UpdateLivePullToPush": backend.update_live_pull_to_push,
            "StopLivePullToPush": backend.stop_live_pull_to_push,
            "RestartLivePullToPush": backend.restart_live_pull_to_push,
            "DeleteLivePullToPush": backend.delete_live_pull_to_push,
        }

    def handle(self, request: HttpRequest) -> HttpResponse:
        action = action_of(request)
        if action is None:
            raise ValueError("not an Alibaba request: no x-acs-action header and no Action parameter")
        # Counted before anything can fail, so refused calls show up in the stats too.
        self.stats.record(CLOUD, action)
        request_id = str(uuid.uuid4()).upper()
        after: AfterBackend = ANSWER
        try:
            values = _unique_params(request)
            account = self._authenticate(request, values)
            after = self.gate.admit(CLOUD, account, action)  # rate limits and injected faults
            self._check_version(request, values)
            operation = self._operations.get(action)
            if operation is None:
                raise ApiFault(
                    404,
                    "InvalidAction.NotFound",
                    f"Specified api is not found, please check your url and method: {params.shown(action)}",
                )
            result = operation(account, values)
        except ApiFault as fault:
            return after.apply(self._error(request_id, fault))
        except ResetConnection:
            raise  # an injected fault for the server to carry out, not a bug
        except Exception:  # a bug in the emulator still answers in Alibaba's error shape
            traceback.print_exc()
            bug = ApiFault(500, "InternalError", "internal error in the emulator")
            return after.apply(self._error(request_id, bug))
        return after.apply(HttpResponse.json(200, {"RequestId": request_id, **result}))

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self._operations)

    def _authenticate(self, request: HttpRequest, values: Mapping[str, str]) -> str:
        def lookup(access_key_id: str) -> str | None:
            return self.credentials.secret_for(CLOUD, access_key_id)

        # The verifier compares signatures as ASCII text; anything else cannot be a signature.
        for sent in (request.header("authorization") or "", values.get("Signature", "")):
            if not all(" " <= char <= "~" for char in sent):
                raise SignatureRejected(
                    400, SIGNATURE_MISMATCH, "the signature must hold printable ASCII characters only"
                )
        account = verify_request(
            request.method, request.raw_path, request.query_pairs, request.headers, request.body, lookup
        )
        self._check_freshness(request, values, account)
        return account

    def _check_freshness(self, request: HttpRequest, values: Mapping[str, str], account: str) -> None:
        """The request's time within the window of the wall clock, and its nonce not seen before."""
        v3 = bool((request.header("authorization") or "").strip())
        time_name, nonce_name = ("x-acs-date", "x-acs-signature-nonce") if v3 else ("Timestamp", "SignatureNonce")
        sent_time = request.header(time_name) if v3 else values.get(time_name)
        nonce = request.header(nonce_name) if v3 else values.get(nonce_name)
        if not sent_time:
            raise ApiFault(400, "MissingTimestamp", f"{time_name} is required")
        if not nonce:
            raise ApiFault(400, "MissingSignatureNonce", f"{nonce_name} is required")
        try:
            if _REQUEST_TIME.fullmatch(sent_time) is None:
                raise ValueError(sent_time)
            stamp = datetime.strptime(sent_time, timefmt.UTC_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            raise ApiFault(
                400, TIME_FORMAT, f"{time_name} must be a UTC time in the form yyyy-MM-ddTHH:mm:ssZ"
            ) from None
        now = wall_now(self.wall_clock)
        if not is_fresh(stamp, now, REQUEST_TIME_WINDOW):
            raise ApiFault(
                400,
                TIME_EXPIRED,
                f"{time_name} {sent_time} is more than 15 minutes from the server time {timefmt.format_utc(now)}",
            )
        if not self.nonces.first_use(account, nonce, stamp, now):
            raise ApiFault(400, NONCE_USED, f"{nonce_name} was already used by an earlier request: send a new one")

    @staticmethod
    def _check_version(request: HttpRequest, values: Mapping[str, str]) -> None:
        version = request.header("x-acs-version") or values.get("Version")
        if version and version != API_VERSION:
            raise ApiFault(400, "InvalidVersion", f"Specified parameter Version is not valid: {params.shown(version)}")

    @staticmethod
    def _error(request_id: str, fault: ApiFault) -> HttpResponse:
        body = {"RequestId": request_id, "HostId": HOST_ID, "Code": fault.code, "Message": fault.message}
        return HttpResponse.json(fault.status, body)
