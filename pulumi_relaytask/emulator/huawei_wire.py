"""Huawei Live's HTTP shape: route, authenticate, parse, call the backend, serialise. No business rules.

All four operations share `/v1/{project_id}/pull/stream/task`; the method picks the operation.
Authentication is AK/SK (SDK-HMAC-SHA256, checked by huawei.auth.verify_request) or an
`X-Auth-Token` the emulator was configured with. The account the state belongs to is the access
key (or the token); once it is known, the request passes the gate (gate.py: rate limits, injected
faults) before the backend. Every response carries `X-request-id`; errors are
`{"error_code", "error_msg", "request_id"}` (docs/api-notes.md, "Huawei: errors").
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from ..errors import ApiFault
from ..huawei.auth import BAD_CREDENTIALS, verify_request
from .credentials import Credentials
from .gate import ANSWER, AfterBackend, Gate
from .huawei_backend import CLOUD, HuaweiBackend
from .huawei_checks import INVALID_PARAMETER
from .messages import HttpRequest, HttpResponse
from .stats import RequestStats

PATH = re.compile(r"^/v1/(?P<project_id>[^/]+)/pull/stream/task/?$")
OPERATIONS = {
    "POST": "CreatePullTask",
    "GET": "ListPullTasks",
    "PUT": "ModifyPullTask",
    "DELETE": "DeletePullTask",
}
METHOD_NOT_ALLOWED = "LIVE.100011011"
UNSUPPORTED_MEDIA_TYPE = "LIVE.100011012"


def project_id_of(raw_path: str) -> str | None:
    """The project id when the path is the relay-task path, else None."""
    match = PATH.match(raw_path)
    return match.group("project_id") if match else None


def operation_of(method: str) -> str:
    return OPERATIONS.get(method.upper(), method.upper())


class HuaweiWire:
    actions = tuple(OPERATIONS.values())

    def __init__(self, backend: HuaweiBackend, credentials: Credentials, stats: RequestStats, gate: Gate) -> None:
        self.backend = backend
        self.credentials = credentials
        self.stats = stats
        self.gate = gate

    def handle(self, request: HttpRequest) -> HttpResponse:
        project_id = project_id_of(request.raw_path)
        if project_id is None:
            raise ValueError(f"not a Huawei relay-task path: {request.raw_path}")
        operation = operation_of(request.method)
        # Counted before anything can fail, so refused calls show up in the stats too.
        self.stats.record(CLOUD, operation)
        request_id = uuid.uuid4().hex
        headers = {"X-request-id": request_id}
        after: AfterBackend = ANSWER
        try:
            account = self._authenticate(request, project_id)
            after = self.gate.admit(CLOUD, account, operation)  # rate limits and injected faults
            if request.method.upper() not in OPERATIONS:
                raise ApiFault(405, METHOD_NOT_ALLOWED, f"Method not allowed: {request.method}")
            result = self._dispatch(request, account, project_id)
        except ApiFault as fault:
            body = {"error_code": fault.code, "error_msg": fault.message, "request_id": request_id}
            return after.apply(HttpResponse.json(fault.status, body, headers))
        return after.apply(HttpResponse.json(200, {**result, "request_id": request_id}, headers))

    def _authenticate(self, request: HttpRequest, project_id: str) -> str:
        token = request.header("x-auth-token")
        if token is not None:
            if not self.credentials.token_ok(token):
                raise ApiFault(401, BAD_CREDENTIALS, "Incorrect IAM authentication information: token not accepted")
            account = token
        else:
            account = verify_request(
                request.method,
                request.raw_path,
                request.query_pairs,
                request.headers,
                request.body,
                self.credentials.huawei_secret,
            )
        header_project = request.header("x-project-id")
        if header_project and header_project != project_id:
            raise ApiFault(
                400, INVALID_PARAMETER, "Request Illegal: X-Project-Id: must equal the project id in the path"
            )
        return account

    def _dispatch(self, request: HttpRequest, account: str, project_id: str) -> dict[str, Any]:
        method = request.method.upper()
        if method == "POST":
            return {"task_id": self.backend.create_pull_task(account, project_id, _json_body(request))}
        if method == "PUT":
            return {"task_id": self.backend.modify_pull_task(account, project_id, _json_body(request))}
        query = dict(request.query_pairs)
        if method == "GET":
            tasks, total = self.backend.list_pull_tasks(
                account,
                project_id,
                region=query.get("region"),
                offset=query.get("offset"),
                limit=query.get("limit"),
                task_id=query.get("task_id"),
            )
            return {"task_infos": tasks, "total": total}
        return {
            "task_id": self.backend.delete_pull_task(account, project_id, query.get("task_id"), query.get("region"))
        }


def _json_body(request: HttpRequest) -> Any:
    content_type = (request.header("content-type") or "").lower()
    if not content_type.startswith("application/json"):
        raise ApiFault(415, UNSUPPORTED_MEDIA_TYPE, "Unsupported media type: send Content-Type: application/json")
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiFault(400, INVALID_PARAMETER, "Request Illegal: body: must be a JSON object") from None
