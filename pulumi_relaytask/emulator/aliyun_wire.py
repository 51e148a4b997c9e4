"""Alibaba ApsaraVideo Live's HTTP shape (RPC style): route, authenticate, parse, call the backend, answer JSON.

No business rules here. The action comes from the `x-acs-action` header (V3 SDKs) or the `Action`
parameter (V2 / legacy SDK); parameters from the query string and a form-encoded body, where
`SourceUrls` is a JSON-encoded array. Authentication is either signature (aliyun.auth.verify_request);
the account the state belongs to is the AccessKeyId; once it is known, the request passes the gate
(gate.py: rate limits, injected faults) before the backend. Success: `{"RequestId", ...}`; errors:
`{"RequestId", "HostId", "Code", "Message"}` with the service's HTTP status (SignatureDoesNotMatch
400, InvalidAccessKeyId.NotFound 404, an unknown action 404 InvalidAction.NotFound, a bug 500
InternalError; docs/api-notes.md, "Alibaba: errors").
"""

from __future__ import annotations

import traceback
import uuid
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from ..aliyun.auth import verify_request
from ..errors import ApiFault
from .aliyun_backend import CLOUD, AliyunBackend
from .credentials import Credentials
from .faults import ResetConnection
from .gate import ANSWER, AfterBackend, Gate
from .messages import HttpRequest, HttpResponse
from .stats import RequestStats

API_VERSION = "2016-11-01"
HOST_ID = "live.aliyuncs.com"

Operation = Callable[[str, Mapping[str, str]], dict[str, Any]]


def action_of(request: HttpRequest) -> str | None:
    """The action a request names (header first, then the Action parameter), or None."""
    return request.header("x-acs-action") or request_params(request).get("Action") or None


def request_params(request: HttpRequest) -> dict[str, str]:
    """Query parameters, then form-body parameters (the legacy SDK may put them in the body)."""
    params = dict(request.query_pairs)
    content_type = (request.header("content-type") or "").lower()
    if request.body and content_type.startswith("application/x-www-form-urlencoded"):
        params.update(parse_qsl(request.body.decode("utf-8", errors="replace"), keep_blank_values=True))
    return params


class AliyunWire:
    def __init__(self, backend: AliyunBackend, credentials: Credentials, stats: RequestStats, gate: Gate) -> None:
        self.backend = backend
        self.credentials = credentials
        self.stats = stats
        self.gate = gate
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
            account = self._authenticate(request)
            after = self.gate.admit(CLOUD, account, action)  # rate limits and injected faults
            params = request_params(request)
            self._check_version(request, params)
            operation = self._operations.get(action)
            if operation is None:
                raise ApiFault(
                    404,
                    "InvalidAction.NotFound",
                    f"Specified api is not found, please check your url and method: {action}",
                )
            result = operation(account, params)
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

    def _authenticate(self, request: HttpRequest) -> str:
        def lookup(access_key_id: str) -> str | None:
            return self.credentials.secret_for(CLOUD, access_key_id)

        return verify_request(
            request.method, request.raw_path, request.query_pairs, request.headers, request.body, lookup
        )

    @staticmethod
    def _check_version(request: HttpRequest, params: Mapping[str, str]) -> None:
        version = request.header("x-acs-version") or params.get("Version")
        if version and version != API_VERSION:
            raise ApiFault(400, "InvalidVersion", f"Specified parameter Version is not valid: {version}")

    @staticmethod
    def _error(request_id: str, fault: ApiFault) -> HttpResponse:
        body = {"RequestId": request_id, "HostId": HOST_ID, "Code": fault.code, "Message": fault.message}
        return HttpResponse.json(fault.status, body)
