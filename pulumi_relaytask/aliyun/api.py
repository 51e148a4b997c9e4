"""An httpx client for Alibaba Cloud ApsaraVideo Live's pull-to-push operations (API 2016-11-01).

RPC style, as the official SDK sends it: every parameter in the query string (SourceUrls as a
JSON-encoded string), the action in `x-acs-action`, signed with ACS3-HMAC-SHA256. `Region` (the
live centre) goes with every call.
Reference: docs/api-notes.md, "Alibaba: operations" and docs/api-notes.md, "Alibaba: errors".
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field

from ..core.clock import Clock
from ..core.http import answer_shape, make_client, transport_errors, with_retries
from ..errors import ApiError, AuthError, TaskNotFoundError, ThrottledError
from .auth import AliyunSigner
from .settings import AliyunSettings

CLOUD = "aliyun"
VERSION = "2016-11-01"
NOT_FOUND = "CodeTaskNotExist"
AUTH_CODES = frozenset({"SignatureDoesNotMatch", "InvalidAccessKeyId.NotFound", "InvalidAccessKeyId"})


class PullToPushTaskInfo(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    TaskName: str | None = None
    SourceType: str | None = None
    SourceProtocol: str | None = None
    SourceUrls: list[str] | None = None
    DstUrl: str | None = None
    StartTime: str | None = None
    EndTime: str | None = None
    CallbackUrl: str | None = Field(None, alias="CallbackURL")  # spelled so in responses
    RepeatNumber: int | None = None
    RetryCount: int | None = None
    RetryInterval: int | None = None
    FileIndex: int | None = None
    Offset: int | None = None


class PullToPushTask(BaseModel):
    """DescribeLivePullToPush's answer, or one TaskList[] item of the list."""

    model_config = ConfigDict(extra="ignore")

    TaskId: str
    TaskStatus: int | None = None
    TaskInvalidReason: str | None = None
    TaskExitReason: str | None = None
    TaskExitTime: int | None = None
    CurrentFileIndex: int | None = None
    CurrentOffset: int | None = None
    TaskInfo: PullToPushTaskInfo = PullToPushTaskInfo()


class AliyunClient:
    def __init__(
        self, settings: AliyunSettings, *, transport: httpx.BaseTransport | None = None, clock: Clock | None = None
    ) -> None:
        self.settings = settings
        signer = AliyunSigner(
            settings.access_key_id, settings.access_key_secret, clock=clock, security_token=settings.security_token
        )
        self._http = make_client(settings.endpoint, signer, transport)

    def close(self) -> None:
        self._http.close()

    def create(self, params: dict[str, Any], region: str | None) -> str:
        data = self.call("CreateLivePullToPush", params, region)
        with answer_shape(CLOUD, "CreateLivePullToPush"):
            return str(data["TaskId"])

    def describe(self, task_id: str, region: str | None) -> PullToPushTask:
        """The task; TaskNotFoundError (the cloud's own answer) when it no longer exists."""
        data = self.call("DescribeLivePullToPush", {"TaskId": task_id}, region, idempotent=True)
        with answer_shape(CLOUD, "DescribeLivePullToPush"):
            return PullToPushTask.model_validate(data)

    def find(self, task_id: str, region: str | None) -> PullToPushTask | None:
        """The task, or None when it no longer exists (deleted, or ended at its EndTime)."""
        try:
            return self.describe(task_id, region)
        except TaskNotFoundError:
            return None

    def find_by_destination(self, dst_url: str, region: str | None) -> PullToPushTask | None:
        """The task pushing to exactly `dst_url` (a destination serves one task), if any."""
        data = self.call("DescribeLivePullToPushList", {"DstUrl": dst_url, "PageSize": 100}, region, idempotent=True)
        with answer_shape(CLOUD, "DescribeLivePullToPushList"):
            tasks = [PullToPushTask.model_validate(item) for item in data.get("TaskList") or []]
        return next((task for task in tasks if task.TaskInfo.DstUrl == dst_url), None)

    def update(self, params: dict[str, Any], region: str | None) -> None:
        self.call("UpdateLivePullToPush", params, region)

    def stop(self, task_id: str, region: str | None) -> None:
        self.call("StopLivePullToPush", {"TaskId": task_id}, region)

    def restart(self, task_id: str, region: str | None) -> None:
        self.call("RestartLivePullToPush", {"TaskId": task_id}, region)

    def delete(self, task_id: str, region: str | None) -> bool:
        """Delete the task; False when it was already gone (deleted, or ended at its EndTime)."""
        try:
            self.call("DeleteLivePullToPush", {"TaskId": task_id}, region, idempotent=True)
        except TaskNotFoundError:
            return False
        return True

    def call(
        self, action: str, params: dict[str, Any], region: str | None, *, idempotent: bool = False
    ) -> dict[str, Any]:
        query = {"Region": region or self.settings.region, **params}
        query = {k: (json.dumps(v) if isinstance(v, list) else str(v)) for k, v in query.items() if v is not None}

        def send() -> dict[str, Any]:
            with transport_errors(CLOUD, action):
                response = self._http.post(
                    "/", params=query, headers={"x-acs-action": action, "x-acs-version": VERSION}
                )
            return _decode(action, response)

        return with_retries(send) if idempotent else send()


def _decode(action: str, response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ApiError(CLOUD, action, response.status_code, "InvalidResponse", "body is not a JSON object")
    if response.status_code >= 400:
        code = str(body.get("Code") or f"HTTP{response.status_code}")
        message = str(body.get("Message") or response.reason_phrase)
        kind: type[ApiError] = ApiError
        if code in AUTH_CODES:
            kind = AuthError
        elif code.startswith("Throttling"):
            kind = ThrottledError
        elif code == NOT_FOUND:
            kind = TaskNotFoundError
        raise kind(CLOUD, action, response.status_code, code, message, body.get("RequestId"))
    return body
