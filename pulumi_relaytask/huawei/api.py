"""An httpx client for Huawei Cloud Live's four relay-task operations.

All of them share the path /v1/{project_id}/pull/stream/task: POST creates, GET lists, PUT
modifies, DELETE deletes. Requests are signed with SDK-HMAC-SHA256 (auth.HuaweiSigner); vendor
errors become the package's ApiError tree with the vendor code and request id kept.
Reference: docs/api-notes.md, "Huawei: operations" and docs/api-notes.md, "Huawei: errors".
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict

from ..core.clock import Clock
from ..core.http import answer_shape, make_client, transport_errors, with_retries
from ..errors import ApiError, AuthError, TaskNotFoundError, ThrottledError
from .auth import HuaweiSigner
from .settings import HuaweiSettings

CLOUD = "huawei"
PAGE_LIMIT = 100


class PullTask(BaseModel):
    """One `task_infos[]` item of ListPullTasks."""

    model_config = ConfigDict(extra="ignore")

    task_id: str
    status: str | None = None
    create_time: str | None = None
    region: str | None = None
    source_type: str
    source_urls: list[str] = []
    domain: str | None = None
    app_name: str | None = None
    stream_name: str | None = None
    push_args: str | None = None
    destination_url: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    callback_events: list[str] | None = None
    callback_url: str | None = None
    backup_source_type: str | None = None
    backup_source_urls: list[str] | None = None
    vod_loop_time: str | None = None
    vod_start_video_index: int | None = None
    vod_start_video_time: int | None = None


class TaskPage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    task_infos: list[PullTask] = []
    total: int = 0


class HuaweiClient:
    def __init__(
        self,
        settings: HuaweiSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        signer = HuaweiSigner(settings.access_key, settings.secret_key, settings.project_id, clock=clock)
        self._http = make_client(settings.endpoint, signer, transport)
        self._path = f"/v1/{settings.project_id}/pull/stream/task"

    def close(self) -> None:
        self._http.close()

    def create_pull_task(self, body: dict[str, Any]) -> str:
        data = self._call("CreatePullTask", "POST", json=body)
        with answer_shape(CLOUD, "CreatePullTask"):
            return str(data["task_id"])

    def list_pull_tasks(self, *, offset: int = 0, limit: int = PAGE_LIMIT, task_id: str | None = None) -> TaskPage:
        params: dict[str, Any] = {"offset": offset, "limit": limit}
        if task_id:
            params["task_id"] = task_id
        data = with_retries(lambda: self._send("ListPullTasks", "GET", params=params))
        with answer_shape(CLOUD, "ListPullTasks"):
            return TaskPage.model_validate(self._decode("ListPullTasks", data))

    def get_pull_task(self, task_id: str) -> PullTask | None:
        """The task, or None when the cloud no longer knows it."""
        try:
            page = self.list_pull_tasks(task_id=task_id, limit=1)
        except TaskNotFoundError:
            return None
        return next((t for t in page.task_infos if t.task_id == task_id), None)

    def modify_pull_task(self, body: dict[str, Any]) -> None:
        self._call("ModifyPullTask", "PUT", json=body)

    def delete_pull_task(self, task_id: str) -> bool:
        """Delete the task; False when it was already gone."""
        try:
            with_retries(lambda: self._send("DeletePullTask", "DELETE", params={"task_id": task_id}))
        except TaskNotFoundError:
            return False
        return True

    def _call(self, operation: str, method: str, **kwargs: Any) -> dict[str, Any]:
        return self._decode(operation, self._send(operation, method, **kwargs))

    def _send(self, operation: str, method: str, **kwargs: Any) -> httpx.Response:
        with transport_errors(CLOUD, operation):
            response = self._http.request(method, self._path, **kwargs)
        if response.status_code >= 400:
            raise _error(operation, response)
        return response

    @staticmethod
    def _decode(operation: str, response: httpx.Response) -> dict[str, Any]:
        try:
            data = response.json()
        except ValueError:
            raise ApiError(CLOUD, operation, response.status_code, "InvalidResponse", "body is not JSON") from None
        if not isinstance(data, dict):
            raise ApiError(CLOUD, operation, response.status_code, "InvalidResponse", "body is not a JSON object")
        return data


def _error(operation: str, response: httpx.Response) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    code = str(body.get("error_code") or f"HTTP{response.status_code}")
    message = str(body.get("error_msg") or response.reason_phrase)
    request_id = body.get("request_id") or response.headers.get("X-request-id")
    status = response.status_code
    kind: type[ApiError] = ApiError
    if status == 401 or (code.startswith("APIGW.03") and code != "APIGW.0308"):
        kind = AuthError
    elif status == 429 or code == "APIGW.0308":
        kind = ThrottledError
    elif status == 404:
        kind = TaskNotFoundError
    return kind(CLOUD, operation, status, code, message, request_id)
