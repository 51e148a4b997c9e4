"""Tencent Live's HTTP shape: authenticate, parse, call the backend, serialise. No business rules.

Every call is `POST /` with a JSON body; the action is in `X-TC-Action`, the region in
`X-TC-Region`. The TC3-HMAC-SHA256 signature is checked by tencent.auth.verify_request against the
server's clock (±5 minutes). The account the state belongs to is the SecretId; once it is known, the request
passes the gate (gate.py: rate limits, injected faults) before the backend. Every answer is
HTTP 200: `{"Response": {..., "RequestId"}}`, or `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`
(docs/api-notes.md, "Tencent: errors").
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from ..errors import ApiFault
from ..tencent.auth import verify_request
from .credentials import Credentials
from .gate import ANSWER, AfterBackend, Gate
from .messages import HttpRequest, HttpResponse
from .stats import RequestStats
from .tencent_backend import CLOUD, TencentBackend
from .tencent_checks import INVALID_PARAMETER, INVALID_PARAMETER_VALUE, MISSING_PARAMETER

VERSION = "2018-08-01"
INVALID_ACTION = "InvalidAction"  # Tencent's common code for an action the product does not have

Operation = Callable[[str, str | None, Any], Any]


class TencentWire:
    def __init__(self, backend: TencentBackend, credentials: Credentials, stats: RequestStats, gate: Gate) -> None:
        self.backend = backend
        self.credentials = credentials
        self.stats = stats
        self.gate = gate
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
            error = {"Code": refusal.code, "Message": refusal.message}
            return after.apply(HttpResponse.json(200, {"Response": {"Error": error, "RequestId": request_id}}))
        if key is not None:
            result = {key: result}
        return after.apply(HttpResponse.json(200, {"Response": {**(result or {}), "RequestId": request_id}}))

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self._operations)

    def _authenticate(self, request: HttpRequest) -> str:
        def lookup(secret_id: str) -> str | None:
            return self.credentials.secret_for(CLOUD, secret_id)

        # X-TC-Token (temporary credentials) is not checked: the emulator has no STS to ask.
        return verify_request(
            request.method,
            request.raw_path,
            request.raw_query,
            request.headers,
            request.body,
            lookup,
            self.backend.clock.now(),
        )

    def _operation(self, action: str) -> tuple[Operation, str | None]:
        found = self._operations.get(action)
        if found is None:
            raise ApiFault(
                400,
                INVALID_ACTION,
                f"X-TC-Action: {action!r} is not an action the emulator knows (it knows {', '.join(self._operations)})",
            )
        return found


def _check_version(version: str | None) -> None:
    if not version:
        raise ApiFault(400, MISSING_PARAMETER, "X-TC-Version: is required")
    if version != VERSION:
        raise ApiFault(400, INVALID_PARAMETER_VALUE, f"X-TC-Version: must be {VERSION}, got {version!r}")


def _json_body(request: HttpRequest) -> Any:
    if request.method.upper() != "POST":
        raise ApiFault(400, INVALID_PARAMETER, "body: the emulator takes POST / with a JSON body only")
    content_type = (request.header("content-type") or "").lower()
    if not content_type.startswith("application/json"):
        raise ApiFault(400, INVALID_PARAMETER, "Content-Type: must be application/json")
    if not request.body.strip():
        return {}
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiFault(400, INVALID_PARAMETER, "body: must be a JSON object") from None
