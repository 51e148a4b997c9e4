"""Tencent Live's HTTP shape: authenticate, parse, call the backend, serialise. No business rules.

Every call is `POST /` with a JSON body; the action is in `X-TC-Action`, the region in
`X-TC-Region`. The TC3-HMAC-SHA256 signature is checked by tencent.auth.verify_request, its
X-TC-Timestamp against the wall clock (±5 minutes, never the emulator's simulated clock). The
account the state belongs to is the SecretId; once it is known, the request passes the gate (gate.py:
rate limits, injected faults) before the backend. Every answer is HTTP 200: `{"Response": {...,
"RequestId"}}`, or `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`
(docs/api-notes.md, "Tencent: errors").
"""

from __future__ import annotations

import re
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...errors import ApiFault, SignatureRejected
from ...tencent.auth import SIGNATURE_FAILURE, verify_request
from .. import params
from ..faults import ResetConnection
from ..freshness import wall_now
from ..gate import ANSWER, AfterBackend
from ..messages import HttpRequest, HttpResponse
from ..wirebase import WireBase
from .backend import CLOUD, TencentBackend
from .checks import INVALID_PARAMETER, INVALID_PARAMETER_VALUE, MISSING_PARAMETER, coded

VERSION = "2018-08-01"
INVALID_ACTION = "InvalidAction"  # Tencent's common code for an action the product does not have
INTERNAL_ERROR = "InternalError"  # Tencent's common code for a failure on the service's side
# Unix seconds in ASCII digits; 12 digits reach the year 33658, anything longer cannot be fresh.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")

Operation = Callable[[str, str | None, Any], Any]


@dataclass
class TencentWire(WireBase[TencentBackend]):
    def __post_init__(self) -> None:
        backend = self.backend
        # Each action's backend method, and the key its result is answered under (None: spread / nothing).
        self._operations: dict[str, tuple[Operation, str | None]] = {
            "CreateLivePullStreamTask": (backend.create_live_pull_stream_task, "TaskId"),
            "DescribeLivePullStreamTasks": (backend.describe_live_pull_stream_tasks, None),
            "ModifyLivePullStreamTask": (backend.modify_live_pull_stream_task, None),
            "DeleteLivePullStreamTask": (backend.delete_live_pull_stream_task, None),
            "RestartLivePullStreamTask": (backend.restart_live_pull_stream_task, None),
            "DescribeLivePullStreamTaskStatus": (backend.describe_live_pull_stream_task_status, "TaskStatusInfo"),
        }

    def handle(self, request: HttpRequest) -> HttpResponse:
        action = request.header("x-tc-action") or ""
        # Counted before anything can fail, so refused calls show up in the stats too.
        self.stats.record(CLOUD, action)
        request_id = str(uuid.uuid4())
        after: AfterBackend = ANSWER
        try:
            account = self._authenticate(request)
            after = self.gate.admit(CLOUD, account, action)  # rate limits and injected faults
            operation, key = self._operation(action)
            _check_version(request.header("x-tc-version"))
            result = operation(account, request.header("x-tc-region"), _json_body(request))
        except ApiFault as refusal:
            return after.apply(_error(request_id, refusal))
        except ResetConnection:
            raise  # an injected fault for the server to carry out, not a bug
        except Exception:  # a bug in the emulator still answers in Tencent's error shape
            traceback.print_exc()
            return after.apply(_error(request_id, ApiFault(500, INTERNAL_ERROR, "internal error in the emulator")))
        if key is not None:
            result = {key: result}
        return after.apply(HttpResponse.json(200, {"Response": {**(result or {}), "RequestId": request_id}}))

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self._operations)

    def _authenticate(self, request: HttpRequest) -> str:
        def lookup(secret_id: str) -> str | None:
            return self.credentials.secret_for(CLOUD, secret_id)

        # The verifier compares signatures as ASCII text and reads the timestamp as ASCII digits;
        # anything else cannot be a valid signature.
        if not all(" " <= char <= "~" for char in request.header("authorization") or ""):
            raise SignatureRejected(401, SIGNATURE_FAILURE, "Authorization must hold printable ASCII characters only")
        timestamp = request.header("x-tc-timestamp") or ""
        if _TIMESTAMP.fullmatch(timestamp) is None:
            raise SignatureRejected(401, SIGNATURE_FAILURE, "X-TC-Timestamp must be a Unix time in seconds")
        # X-TC-Token (temporary credentials) is not checked: the emulator has no STS to ask.
        return verify_request(
            request.method,
            request.raw_path,
            request.raw_query,
            request.headers,
            request.body,
            lookup,
            wall_now(self.wall_clock),
        )

    def _operation(self, action: str) -> tuple[Operation, str | None]:
        found = self._operations.get(action)
        if found is None:
            raise ApiFault(
                400,
                INVALID_ACTION,
                f"X-TC-Action: {params.shown(action)} is not an action the emulator knows "
                f"(it knows {', '.join(self._operations)})",
            )
        return found


def _check_version(version: str | None) -> None:
    if not version:
        raise ApiFault(400, MISSING_PARAMETER, "X-TC-Version: is required")
    if version != VERSION:
        raise ApiFault(400, INVALID_PARAMETER_VALUE, f"X-TC-Version: must be {VERSION}, got {params.shown(version)}")


def _error(request_id: str, fault: ApiFault) -> HttpResponse:
    error = {"Code": fault.code, "Message": fault.message}
    return HttpResponse.json(200, {"Response": {"Error": error, "RequestId": request_id}})


def _json_body(request: HttpRequest) -> Any:
    if request.method.upper() != "POST":
        raise ApiFault(400, INVALID_PARAMETER, "body: the emulator takes POST / with a JSON body only")
    content_type = (request.header("content-type") or "").lower()
    if not content_type.startswith("application/json"):
        raise ApiFault(400, INVALID_PARAMETER, "Content-Type: must be application/json")
    if not request.body.strip():
        return {}
    return params.json_object(request.body, coded(INVALID_PARAMETER))
