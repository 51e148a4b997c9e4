"""An httpx client for Tencent Cloud Live's pull-stream-task actions (API 2018-08-01).

Every call is `POST /` with a JSON body and the action in `X-TC-Action`, signed with
TC3-HMAC-SHA256 for the task's region, through the core's call skeleton. Errors come back with HTTP
200 inside the `{"Response": {"Error": ...}}` envelope; `TencentDialect` classifies them by code.
Reference: docs/api-notes.md, "Tencent: actions" and docs/api-notes.md, "Tencent: errors".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict

from ..core.call import Body, Caller, Refusal, answer_shape, confirmed_by, make_client
from ..core.clock import Clock
from ..core.listing import each_once
from ..errors import Kind, TaskNotFoundError
from .auth import TencentSigner
from .limits import RATE_LIMITS, THROTTLED, UNAVAILABLE
from .settings import TencentSettings

CLOUD = "tencent"
PAGE_SIZE = 20  # the most DescribeLivePullStreamTasks returns per page
NOT_FOUND = "InvalidParameter.TaskNotExist"
# The service failed, or a service behind it did: the request may have been applied.
UNAVAILABLE_CODES = frozenset({UNAVAILABLE.code, "InternalError.SystemError", "FailedOperation.CallOtherSvrFailed"})


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


class TaskPage(BaseModel):
    """One page of DescribeLivePullStreamTasks."""

    model_config = ConfigDict(extra="ignore")

    TaskInfos: list[PullStreamTaskInfo] = []
    TotalNum: int = 0
    TotalPage: int = 0


class TencentDialect:
    """How Tencent's answers read: errors come inside the HTTP 200 envelope, only the code tells."""

    cloud = CLOUD

    def refusal(self, operation: str, response: httpx.Response, body: Body | None) -> Refusal | None:
        envelope = body.get("Response") if body is not None else None
        error = envelope.get("Error") if isinstance(envelope, dict) else None
        if isinstance(error, dict):
            code = str(error.get("Code") or "UnknownError")
            message = str(error.get("Message") or "")
            request_id = envelope.get("RequestId") if isinstance(envelope, dict) else None
            return Refusal(_kind(code, message), code, message, str(request_id) if request_id else None)
        status = response.status_code
        if status >= 400:  # a gateway in front of the API, not the API itself
            kind = Kind.THROTTLED if status == 429 else Kind.UNAVAILABLE if status >= 500 else Kind.FAILED
            return Refusal(kind, f"HTTP{status}", response.reason_phrase)
        return None

    def payload(self, operation: str, body: Body) -> Body:
        envelope = body["Response"]
        if not isinstance(envelope, dict):
            raise TypeError("the Response envelope is not an object")
        return envelope


def _kind(code: str, message: str) -> Kind:
    if code.startswith(THROTTLED.code):
        return Kind.THROTTLED
    if code.startswith("AuthFailure"):
        return Kind.AUTH
    if code in UNAVAILABLE_CODES:
        return Kind.UNAVAILABLE
    if code == NOT_FOUND:
        return Kind.NOT_FOUND
    if code == "InvalidParameter" and "SpecifyTaskId" in message:
        return Kind.CONFLICT  # the id is taken: by this very task when an earlier answer was lost
    if code.startswith(("InvalidParameter", "MissingParameter", "UnknownParameter", "LimitExceeded")):
        return Kind.INVALID
    return Kind.FAILED


class TencentClient:
    def __init__(
        self,
        settings: TencentSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._transport = transport
        self._clock = clock
        self._clients: dict[str, httpx.Client] = {}
        self._lock = threading.Lock()
        self._caller = Caller(TencentDialect(), settings.secret_id, RATE_LIMITS, settings.policy, sleep=sleep)

    def close(self) -> None:
        with self._lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()

    # -- actions --------------------------------------------------------------------------------
    def create_task(self, params: dict[str, Any], region: str | None = None) -> str:
        """Create the task whose id is `params["SpecifyTaskId"]`, exactly once: after an ambiguous
        failure the id tells whether it exists, so sending again can never make a second task."""
        task_id = str(params["SpecifyTaskId"])

        def confirm() -> Body | None:
            return {"TaskId": task_id} if self.describe_task(task_id, region) is not None else None

        data = self.call(
            "CreateLivePullStreamTask", params, region, subject=f"task {task_id}", idempotent=False, confirm=confirm
        )
        with answer_shape(CLOUD, "CreateLivePullStreamTask"):
            return str(data["TaskId"])

    def describe_task(self, task_id: str, region: str | None = None) -> PullStreamTaskInfo | None:
        """The task, or None when Tencent no longer knows it."""
        try:
            data = self.call(
                "DescribeLivePullStreamTasks", {"TaskId": task_id}, region, subject=f"task {task_id}", idempotent=True
            )
        except TaskNotFoundError:
            return None
        with answer_shape(CLOUD, "DescribeLivePullStreamTasks"):
            infos = [PullStreamTaskInfo.model_validate(item) for item in data.get("TaskInfos") or []]
        return next((info for info in infos if info.TaskId == task_id), None)

    def list_tasks_page(self, page_num: int, page_size: int = PAGE_SIZE, region: str | None = None) -> TaskPage:
        """One page of the region's tasks (pages count from 1; newest update first)."""
        data = self.call(
            "DescribeLivePullStreamTasks",
            {"PageNum": page_num, "PageSize": page_size},
            region,
            subject=f"page {page_num} of the tasks",
            idempotent=True,
        )
        with answer_shape(CLOUD, "DescribeLivePullStreamTasks"):
            return TaskPage.model_validate(data)

    def pages(self, region: str | None = None, page_size: int = PAGE_SIZE) -> Iterator[list[PullStreamTaskInfo]]:
        """The region's tasks, one page per call, newest update first."""
        page_num = 1
        while True:
            page = self.list_tasks_page(page_num, page_size, region)
            yield page.TaskInfos
            if not page.TaskInfos or page_num >= page.TotalPage:
                return
            page_num += 1

    def every_task(self, region: str | None = None, page_size: int = PAGE_SIZE) -> Iterator[PullStreamTaskInfo]:
        """Every task of the region, page by page, each once. The listing puts the latest update first, so a
        task modified while the pages are read moves to page 1: it is skipped if not yet read, and the task
        it pushes down is listed twice (yielded once)."""
        return each_once(self.pages(region, page_size), lambda task: task.TaskId)

    def modify_task(
        self, params: dict[str, Any], region: str | None = None, confirm: Callable[[], bool] | None = None
    ) -> None:
        """Modify a task. The values are absolute, so sending again is safe, except that a modify with
        ImmediateNewSource restarts the playlist each time: then `confirm` says whether it took effect."""
        self.call(
            "ModifyLivePullStreamTask",
            params,
            region,
            subject=f"task {params.get('TaskId')}",
            idempotent=confirm is None,
            confirm=confirmed_by(confirm),
        )

    def delete_task(self, task_id: str, operator: str, region: str | None = None) -> bool:
        """Delete the task; False when it was already gone."""
        try:
            self.call(
                "DeleteLivePullStreamTask",
                {"TaskId": task_id, "Operator": operator},
                region,
                subject=f"task {task_id}",
                idempotent=True,
            )
        except TaskNotFoundError:
            return False
        return True

    # -- transport ------------------------------------------------------------------------------
    def call(
        self,
        action: str,
        params: dict[str, Any],
        region: str | None = None,
        *,
        subject: str,
        idempotent: bool,
        confirm: Callable[[], Body | None] | None = None,
    ) -> Body:
        return self._caller.call(
            self._client(region or self.settings.region),
            action,
            subject=subject,
            idempotent=idempotent,
            confirm=confirm,
            method="POST",
            url="/",
            json=params,
            headers={"X-TC-Action": action},
        )

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
                client = make_client(self.settings.endpoint, signer, self.settings.policy, self._transport)
                self._clients[region] = client
            return client
