"""Huawei Live's HTTP shape: route, authenticate, parse, call the backend, serialise. No business rules.

All four operations share `/v1/{project_id}/pull/stream/task`; the method picks the operation.
Authentication is AK/SK (SDK-HMAC-SHA256, checked by huawei.auth.verify_request, with an
X-Sdk-Date within 15 minutes of the wall clock) or an `X-Auth-Token` the emulator was configured
with. The account the state belongs to is the access key (or the token); once it is known, the
request passes the gate (gate.py: rate limits, injected faults) before the backend. Every response
carries `X-request-id`; errors are `{"error_code", "error_msg", "request_id"}` (docs/api-notes.md, "Huawei: errors").
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ...errors import ApiFault, SignatureRejected
from ...huawei.auth import BAD_CREDENTIALS, SDK_DATE_FORMAT, verify_request
from .. import params
from ..freshness import is_fresh, wall_now
from ..gate import ANSWER, AfterBackend
from ..messages import HttpRequest, HttpResponse
from ..wirebase import WireBase
from . import checks
from .backend import CLOUD, HuaweiBackend

PATH = re.compile(r"^/v1/(?P<project_id>[^/]+)/pull/stream/task/?$")
OPERATIONS = {
    "POST": "CreatePullTask",
    "GET": "ListPullTasks",
    "PUT": "ModifyPullTask",
    "DELETE": "DeletePullTask",
}
METHOD_NOT_ALLOWED = "LIVE.100011011"
UNSUPPORTED_MEDIA_TYPE = "LIVE.100011012"
# API Gateway refuses an AK/SK request whose X-Sdk-Date is more than 15 minutes from its clock, with
# its IAM authentication error (Huawei's API signing guide and API Gateway FAQ).
SDK_DATE_WINDOW = timedelta(minutes=15)
_SDK_DATE = re.compile(r"[0-9]{8}T[0-9]{6}Z")


def project_id_of(raw_path: str) -> str | None:
    """The project id when the path is the relay-task path, else None."""
    match = PATH.match(raw_path)
    return match.group("project_id") if match else None


def operation_of(method: str) -> str:
    return OPERATIONS.get(method.upper(), method.upper())


@dataclass
class HuaweiWire(WireBase[HuaweiBackend]):
    actions = tuple(OPERATIONS.values())

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
            # The verifier compares signatures as ASCII text; anything else cannot be a signature.
            if not _is_header_text(request.header("authorization") or ""):
                raise _refused("the Authorization header must hold printable ASCII characters only")
            account = verify_request(
                request.method,
                request.raw_path,
                request.query_pairs,
                request.headers,
                request.body,
                self.credentials.huawei_secret,
            )
            self._check_sdk_date(request.header("x-sdk-date") or "")
        header_project = request.header("x-project-id")
        if header_project and header_project != project_id:
            raise checks.invalid("X-Project-Id", "must equal the project id in the path")
        return account

    def _check_sdk_date(self, value: str) -> None:
        """The signed X-Sdk-Date must be a UTC time within SDK_DATE_WINDOW of the wall clock."""
        if _SDK_DATE.fullmatch(value) is None:
            raise _refused("X-Sdk-Date must be a UTC time such as 20060102T150405Z")
        try:
            stamp = datetime.strptime(value, SDK_DATE_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            raise _refused("X-Sdk-Date must be a UTC time such as 20060102T150405Z") from None
        now = wall_now(self.wall_clock)
        if not is_fresh(stamp, now, SDK_DATE_WINDOW):
            raise _refused(
                f"signature expired: X-Sdk-Date {value} is more than 15 minutes from the server time "
                f"{now.strftime(SDK_DATE_FORMAT)}"
            )

    def _dispatch(self, request: HttpRequest, account: str, project_id: str) -> dict[str, Any]:
        method = request.method.upper()
        if method == "POST":
            return {"task_id": self.backend.create_pull_task(account, project_id, _json_body(request))}
        if method == "PUT":
            return {"task_id": self.backend.modify_pull_task(account, project_id, _json_body(request))}
        query = params.unique_pairs(request.query_pairs, checks.invalid)
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


def _refused(reason: str) -> SignatureRejected:
    return SignatureRejected(401, BAD_CREDENTIALS, f"Incorrect IAM authentication information: {reason}")


def _is_header_text(value: str) -> bool:
    return all(" " <= char <= "~" for char in value)


def _json_body(request: HttpRequest) -> Any:
    content_type = (request.header("content-type") or "").lower()
    if not content_type.startswith("application/json"):
        raise ApiFault(415, UNSUPPORTED_MEDIA_TYPE, "Unsupported media type: send Content-Type: application/json")
    return params.json_object(request.body, checks.invalid)
