"""An httpx client for Tencent Cloud Live's pull-stream-task actions (API 2018-08-01).

Every call is `POST /` with a JSON body and the action in `X-TC-Action`, signed with
TC3-HMAC-SHA256 for the task's region. Errors come back with HTTP 200 inside the
`{"Response": {"Error": ...}}` envelope and are mapped to the ApiError tree here.
Reference: docs/api-notes.md, "Tencent: actions" and docs/api-notes.md, "Tencent: errors".
"""

from __future__ import annotations

import threading
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict

from ..core.clock import Clock
from ..core.http import answer_shape, make_client, transport_errors, with_retries
from ..errors import ApiError, AuthError, TaskNotFoundError, ThrottledError
from .auth import TencentSigner
from .settings import TencentSettings

CLOUD = "tencent"
NOT_FOUND = "InvalidParameter.TaskNotExist"
RETRYABLE_CODES = frozenset({"InternalError", "RequestLimitExceeded", "FailedOperation.CallOtherSvrFailed"})


class PullStreamTaskInfo(BaseModel):
    """One `TaskInfos[]` item of DescribeLivePullStreamTasks (only the fields this project uses)."""

    model_config = ConfigDict(extra="ignore")

    TaskId: str
    SourceType: str
    SourceUrls: list[str] = []
    DomainName: str | None = None
    AppName: str | None = None
    StreamName: str | None = None
    PushArgs: str | None = None
    StartTime: str | None = None
    EndTime: str | None = None
    Region: str | None = None
    VodLoopTimes: int | None = None
    VodRefreshType: str | None = None
    CreateTime: str | None = None
    UpdateTime: str | None = None
    CreateBy: str | None = None
    UpdateBy: str | None = None
    CallbackUrl: str | None = None
    CallbackEvents: list[str] | None = None
    Status: str | None = None
    Comment: str | None = None
    BackupSourceType: str | None = None
    BackupSourceUrl: str | None = None
    WatermarkList: list[dict[str, Any]] | None = None
    VodLocalMode: int | None = None
    # Not in the SDK's PullStreamTaskInfo today; read when a service version returns them.
    ToUrl: str | None = None
    FileIndex: int | None = None
    OffsetTime: int | None = None


class TencentClient:
    def __init__(
        self, settings: TencentSettings, *, transport: httpx.BaseTransport | None = None, clock: Clock | None = None
    ) -> None:
        self.settings = settings
        self._transport = transport
        self._clock = clock
        self._clients: dict[str, httpx.Client] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()

    # -- actions --------------------------------------------------------------------------------
    def create_task(self, params: dict[str, Any], region: str | None = None) -> str:
        data = self.call("CreateLivePullStreamTask", params, region)
        with answer_shape(CLOUD, "CreateLivePullStreamTask"):
            return str(data["TaskId"])

    def describe_task(self, task_id: str, region: str | None = None) -> PullStreamTaskInfo | None:
        """The task, or None when Tencent no longer knows it."""
        try:
            data = self.call("DescribeLivePullStreamTasks", {"TaskId": task_id}, region, idempotent=True)
        except TaskNotFoundError:
            return None
        with answer_shape(CLOUD, "DescribeLivePullStreamTasks"):
            infos = [PullStreamTaskInfo.model_validate(item) for item in data.get("TaskInfos") or []]
        return next((info for info in infos if info.TaskId == task_id), None)

    def modify_task(self, params: dict[str, Any], region: str | None = None) -> None:
        self.call("ModifyLivePullStreamTask", params, region)

    def delete_task(self, task_id: str, operator: str, region: str | None = None) -> bool:
        """Delete the task; False when it was already gone."""
        try:
            self.call("DeleteLivePullStreamTask", {"TaskId": task_id, "Operator": operator}, region, idempotent=True)
        except TaskNotFoundError:
            return False
        return True

    # -- transport ------------------------------------------------------------------------------
    def call(
        self, action: str, params: dict[str, Any], region: str | None = None, *, idempotent: bool = False
    ) -> dict[str, Any]:
        client = self._client(region or self.settings.region)

        def send() -> dict[str, Any]:
            with transport_errors(CLOUD, action):
                response = client.post("/", json=params, headers={"X-TC-Action": action})
            return _unwrap(action, response)

        return with_retries(send) if idempotent else send()

    def _client(self, region: str) -> httpx.Client:
        with self._lock:
            client = self._clients.get(region)
            if client is None:
                signer = TencentSigner(
                    self.settings.secret_id,
                    self.settings.secret_key,
                    region=region,
                    clock=self._clock,
                    session_token=self.settings.session_token,
                )
                client = self._clients[region] = make_client(self.settings.endpoint, signer, self._transport)
            return client


def _unwrap(action: str, response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        raise ApiError(CLOUD, action, response.status_code, "InvalidResponse", "body is not JSON") from None
    envelope = body.get("Response") if isinstance(body, dict) else None
    if not isinstance(envelope, dict):
        raise ApiError(CLOUD, action, response.status_code, "InvalidResponse", "no Response envelope")
    error = envelope.get("Error")
    if isinstance(error, dict):
        code = str(error.get("Code") or "UnknownError")
        message = str(error.get("Message") or "")
        request_id = envelope.get("RequestId")
        kind: type[ApiError] = ApiError
        status = response.status_code
        if code.startswith("AuthFailure"):
            kind = AuthError
        elif code == "RequestLimitExceeded":
            kind, status = ThrottledError, 429
        elif code == NOT_FOUND:
            kind = TaskNotFoundError
        elif code in RETRYABLE_CODES:
            status = 503  # retryable for an idempotent action
        raise kind(CLOUD, action, status, code, message, request_id)
    if response.status_code >= 400:
        raise ApiError(CLOUD, action, response.status_code, f"HTTP{response.status_code}", response.reason_phrase)
    return envelope
