"""An httpx client for Alibaba Cloud ApsaraVideo Live's pull-to-push operations (API 2016-11-01).

RPC style, as the official SDK sends it: every parameter in the query string (SourceUrls as a
JSON-encoded string), the action in `x-acs-action`, signed with ACS3-HMAC-SHA256, through the core's
call skeleton (`AliyunDialect` classifies the answers). `Region` (the live centre) goes with every call.
Reference: docs/api-notes.md, "Alibaba: operations" and docs/api-notes.md, "Alibaba: errors".
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field

from ..core.call import Body, Caller, StatusDialect, answer_shape, confirmed_by, make_client
from ..core.clock import Clock
from ..core.listing import each_once
from ..errors import Kind, TaskNotFoundError
from .auth import AliyunSigner
from .limits import RATE_LIMITS, UNAVAILABLE
from .settings import AliyunSettings

CLOUD = "aliyun"
VERSION = "2016-11-01"
NOT_FOUND = "CodeTaskNotExist"
AUTH_CODES = frozenset({"SignatureDoesNotMatch", "InvalidAccessKeyId.NotFound", "InvalidAccessKeyId"})
RUNNING = frozenset({1, 2})  # TaskStatus running, retrying
STOPPED = 3
EXITED = -1  # a playlist that has played all its rounds
PAGE_SIZE = 100  # the most DescribeLivePullToPushList returns per page


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


class TaskPage(BaseModel):
    """One page of DescribeLivePullToPushList."""

    model_config = ConfigDict(extra="ignore")

    TaskList: list[PullToPushTask] = []
    Total: int = 0


class AliyunDialect(StatusDialect):
    """How Alibaba's answers read: HTTP status ≥ 400 with `Code`."""

    cloud = CLOUD
    code_key, message_key, request_id_key = "Code", "Message", "RequestId"

    def kind(self, status: int, code: str, message: str) -> Kind:
        if code.startswith("Throttling") or status == 429:
            return Kind.THROTTLED
        if code in AUTH_CODES:
            return Kind.AUTH
        if status >= 500 or code in (UNAVAILABLE.code, "ServiceUnavailable"):
            return Kind.UNAVAILABLE
        if code == NOT_FOUND:
            return Kind.NOT_FOUND
        if code == "InvalidParameter" and "DstUrl" in message and "already used" in message:
            return Kind.CONFLICT
        return Kind.INVALID if status == 400 else Kind.FAILED


class AliyunClient:
    def __init__(
        self,
        settings: AliyunSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        signer = AliyunSigner(
            settings.access_key_id, settings.access_key_secret, clock=clock, security_token=settings.security_token
        )
        self._http = make_client(settings.endpoint, signer, settings.policy, transport)
        self._caller = Caller(AliyunDialect(), settings.access_key_id, RATE_LIMITS, settings.policy, sleep=sleep)

    def close(self) -> None:
        self._http.close()

    def create(self, params: dict[str, Any], region: str | None, confirm: Callable[[], str | None]) -> str:
        """Create a task exactly once: after an ambiguous failure, `confirm` says which task it made, if any."""

        def confirmed() -> Body | None:
            found = confirm()
            return None if found is None else {"TaskId": found}

        data = self.call(
            "CreateLivePullToPush", params, region, subject="a new task", idempotent=False, confirm=confirmed
        )
        with answer_shape(CLOUD, "CreateLivePullToPush"):
            return str(data["TaskId"])

    def describe(self, task_id: str, region: str | None) -> PullToPushTask:
        """The task; TaskNotFoundError (the cloud's own answer) when it no longer exists."""
        data = self.call("DescribeLivePullToPush", {"TaskId": task_id}, region, subject=f"task {task_id}")
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
        data = self.call(
            "DescribeLivePullToPushList", {"DstUrl": dst_url, "PageSize": 100}, region, subject="the destination"
        )
        with answer_shape(CLOUD, "DescribeLivePullToPushList"):
            tasks = [PullToPushTask.model_validate(item) for item in data.get("TaskList") or []]
        return next((task for task in tasks if task.TaskInfo.DstUrl == dst_url), None)

    def list_page(self, page_number: int, region: str | None, page_size: int = PAGE_SIZE) -> TaskPage:
        """One page of the region's tasks (pages count from 1; creation order)."""
        data = self.call(
            "DescribeLivePullToPushList",
            {"PageNumber": page_number, "PageSize": page_size},
            region,
            subject=f"page {page_number} of the tasks",
        )
        with answer_shape(CLOUD, "DescribeLivePullToPushList"):
            return TaskPage.model_validate(data)

    def pages(self, region: str | None, page_size: int = PAGE_SIZE) -> Iterator[list[PullToPushTask]]:
        """The region's tasks, one page per call, in creation order."""
        page_number = 1
        while True:
            page = self.list_page(page_number, region, page_size)
            yield page.TaskList
            if not page.TaskList or page_number * page_size >= page.Total:
                return
            page_number += 1

    def every_task(self, region: str | None, page_size: int = PAGE_SIZE) -> Iterator[PullToPushTask]:
        """Every task of the region, page by page, each once. Pages are offsets into the creation order:
        a task deleted while they are read (e.g. at its end time) moves the later ones a place forward, so
        one of them may be missed; one created meanwhile comes last."""
        return each_once(self.pages(region, page_size), lambda task: task.TaskId)

    def update(self, params: dict[str, Any], region: str | None) -> None:
        # Absolute values: sending the same update again leaves the same task.
        self.call("UpdateLivePullToPush", params, region, subject=f"task {params.get('TaskId')}")

    def stop(self, task_id: str, region: str | None) -> None:
        """Stop a running task. Stop refuses a stopped task, so after an ambiguous failure the run
        state tells whether an earlier attempt stopped it."""
        self.call(
            "StopLivePullToPush",
            {"TaskId": task_id},
            region,
            subject=f"task {task_id}",
            idempotent=False,
            confirm=confirmed_by(lambda: self._status(task_id, region) not in RUNNING),
        )

    def restart(self, task_id: str, region: str | None) -> None:
        """Restart a task. A restart sent twice interrupts the push twice, so after an ambiguous
        failure the run state tells whether an earlier attempt restarted it."""
        self.call(
            "RestartLivePullToPush",
            {"TaskId": task_id},
            region,
            subject=f"task {task_id}",
            idempotent=False,
            confirm=confirmed_by(lambda: self._status(task_id, region) in RUNNING),
        )

    def _status(self, task_id: str, region: str | None) -> int | None:
        return self.describe(task_id, region).TaskStatus

    def delete(self, task_id: str, region: str | None) -> bool:
        """Delete the task; False when it was already gone (deleted, or ended at its EndTime)."""
        try:
            self.call("DeleteLivePullToPush", {"TaskId": task_id}, region, subject=f"task {task_id}")
        except TaskNotFoundError:
            return False
        return True

    def call(
        self,
        action: str,
        params: dict[str, Any],
        region: str | None,
        *,
        subject: str,
        idempotent: bool = True,
        confirm: Callable[[], Body | None] | None = None,
    ) -> Body:
        query = {"Region": region or self.settings.region, **params}
        query = {k: (json.dumps(v) if isinstance(v, list) else str(v)) for k, v in query.items() if v is not None}
        return self._caller.call(
            self._http,
            action,
            subject=subject,
            idempotent=idempotent,
            confirm=confirm,
            method="POST",
            url="/",
            params=query,
            headers={"x-acs-action": action, "x-acs-version": VERSION},
        )
