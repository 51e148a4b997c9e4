"""An httpx client for Huawei Cloud Live's four relay-task operations.

All of them share the path /v1/{project_id}/pull/stream/task: POST creates, GET lists, PUT
modifies, DELETE deletes. Requests are signed with SDK-HMAC-SHA256 (auth.HuaweiSigner) and go
through the core's call skeleton; `HuaweiDialect` classifies the answers.
Reference: docs/api-notes.md, "Huawei: operations" and docs/api-notes.md, "Huawei: errors".
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict

from ..core.call import Body, Caller, StatusDialect, answer_shape, confirmed_by, make_client
from ..core.clock import Clock
from ..core.listing import each_once
from ..errors import Kind, TaskNotFoundError
from .auth import HuaweiSigner
from .limits import RATE_LIMITS, THROTTLED
from .settings import HuaweiSettings

CLOUD = "huawei"
PAGE_LIMIT = 100
ALREADY_EXISTS = "LIVE.103011018"  # the destination is used by another task


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


class HuaweiDialect(StatusDialect):
    """How Huawei's answers read: any HTTP status ≥ 400 is a refusal with `error_code`."""

    cloud = CLOUD
    code_key, message_key, request_id_key, request_id_header = "error_code", "error_msg", "request_id", "X-request-id"

    def kind(self, status: int, code: str, message: str) -> Kind:
        if status == 429 or code == THROTTLED.code:
            return Kind.THROTTLED
        if status == 401 or code.startswith("APIGW.03"):
            return Kind.AUTH
        if status >= 500:
            return Kind.UNAVAILABLE
        if status == 404:
            return Kind.NOT_FOUND
        if code == ALREADY_EXISTS:
            return Kind.CONFLICT
        return Kind.INVALID if status == 400 else Kind.FAILED


class HuaweiClient:
    def __init__(
        self,
        settings: HuaweiSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        signer = HuaweiSigner(settings.access_key, settings.secret_key, settings.project_id, clock=clock)
        self._http = make_client(settings.endpoint, signer, settings.policy, transport)
        self._path = f"/v1/{settings.project_id}/pull/stream/task"
        self._caller = Caller(HuaweiDialect(), settings.access_key, RATE_LIMITS, settings.policy, sleep=sleep)

    def close(self) -> None:
        self._http.close()

    def create_pull_task(self, body: dict[str, Any], confirm: Callable[[], str | None]) -> str:
        """Create a task exactly once: after an ambiguous failure, `confirm` says which task it made, if any."""

        def confirmed() -> Body | None:
            found = confirm()
            return None if found is None else {"task_id": found}

        data = self._call(
            "CreatePullTask", "POST", subject="a new task", idempotent=False, confirm=confirmed, json=body
        )
        with answer_shape(CLOUD, "CreatePullTask"):
            return str(data["task_id"])

    def list_pull_tasks(
        self, *, offset: int = 0, limit: int = PAGE_LIMIT, task_id: str | None = None, region: str | None = None
    ) -> TaskPage:
        params: dict[str, Any] = {"offset": offset, "limit": limit}
        if task_id:
            params["task_id"] = task_id
        if region:
            params["region"] = region
        subject = f"task {task_id}" if task_id else f"the tasks from {offset}"
        data = self._call("ListPullTasks", "GET", subject=subject, idempotent=True, params=params)
        with answer_shape(CLOUD, "ListPullTasks"):
            return TaskPage.model_validate(data)

    def pages(self, region: str | None = None, page_size: int = PAGE_LIMIT) -> Iterator[list[PullTask]]:
        """The project's tasks (of one region when given), one page per call (the listing filters by task id
        and region only)."""
        offset = 0
        while True:
            page = self.list_pull_tasks(offset=offset, limit=page_size, region=region)
            yield page.task_infos
            offset += len(page.task_infos)
            if not page.task_infos or offset >= page.total:
                return

    def every_task(self, region: str | None = None, page_size: int = PAGE_LIMIT) -> Iterator[PullTask]:
        """Every task of the project (of one region when given), page by page."""
        return each_once(self.pages(region, page_size), lambda task: task.task_id)

    def get_pull_task(self, task_id: str) -> PullTask | None:
        """The task, or None when the cloud no longer knows it."""
        try:
            page = self.list_pull_tasks(task_id=task_id, limit=1)
        except TaskNotFoundError:
            return None
        return next((t for t in page.task_infos if t.task_id == task_id), None)

    def modify_pull_task(self, body: dict[str, Any], confirm: Callable[[], bool] | None = None) -> None:
        """Modify a task. The values are absolute, so sending again is safe, except that a modify with
        `immediate_new_source` restarts the playlist each time: then `confirm` says whether it took effect."""
        self._call(
            "ModifyPullTask",
            "PUT",
            subject=f"task {body.get('task_id')}",
            idempotent=confirm is None,
            confirm=confirmed_by(confirm),
            json=body,
        )

    def delete_pull_task(self, task_id: str) -> bool:
        """Delete the task; False when it was already gone (by us, if an earlier attempt's answer was lost)."""
        try:
            self._call(
                "DeletePullTask", "DELETE", subject=f"task {task_id}", idempotent=True, params={"task_id": task_id}
            )
        except TaskNotFoundError:
            return False
        return True

    def _call(self, operation: str, method: str, **call: Any) -> Body:
        return self._caller.call(self._http, operation, method=method, url=self._path, **call)
