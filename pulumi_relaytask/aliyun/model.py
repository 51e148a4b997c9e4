"""The arguments of an Alibaba Cloud pull-to-push task, with every documented constraint of the API.

Reference: docs/api-notes.md, "Alibaba: task fields and limits" (CreateLivePullToPush) and
docs/api-notes.md, "Alibaba: update rules and run state" (UpdateLivePullToPush).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ..core import timefmt
from ..core.model import CheckContext, TaskArgs, check_time_window, context_of, rfc3339_text, rule_error

MAX_PLAYLIST = 30
MAX_SPAN = timedelta(days=7)
MAX_URL = 2000
Region = Literal["ap-southeast-1", "ap-southeast-5", "cn-beijing", "cn-shanghai", "cn-shenzhen"]


class RelayTaskArgs(TaskArgs):
    task_name: str | None = None
    source_type: Literal["live", "vod", "url"]
    source_protocol: Literal["rtmp", "rtsp", "srt", "http-flv", "flv"] | None = None
    source_urls: list[str] = Field(min_length=1)
    dst_url: str = Field(min_length=1, max_length=MAX_URL)
    start_time: str
    end_time: str
    callback_url: str | None = Field(None, max_length=MAX_URL)
    repeat_number: int | None = Field(None, ge=-1)
    retry_count: int | None = Field(None, ge=0)
    retry_interval: int | None = Field(None, ge=60, le=300)
    file_index: int | None = Field(None, ge=0)
    offset: int | None = Field(None, ge=0)
    status: Literal["enable", "pause"] = "enable"
    region: Region | None = None

    _times = field_validator("start_time", "end_time")(rfc3339_text)

    @field_validator("dst_url")
    @classmethod
    def _rtmp_only(cls, value: str) -> str:
        if not value.startswith("rtmp://"):
            raise ValueError("must be an rtmp:// URL (Alibaba pushes over RTMP only)")
        return value

    @model_validator(mode="after")
    def _cross_field_rules(self, info: ValidationInfo) -> RelayTaskArgs:
        ctx = context_of(info)
        urls = len(self.source_urls)
        if self.source_type == "live":
            if urls != 1:
                raise rule_error("source_urls", f"a live source takes exactly 1 URL, got {urls}")
            if self.source_protocol is None:
                raise rule_error(
                    "source_protocol", "is required when source_type is live (rtmp, rtsp, srt, http-flv or flv)"
                )
            for name in ("repeat_number", "file_index", "offset"):
                if getattr(self, name) is not None:
                    raise rule_error(name, "applies to vod and url sources only")
        elif urls > MAX_PLAYLIST:
            raise rule_error("source_urls", f"a {self.source_type} playlist takes 1 to {MAX_PLAYLIST} URLs, got {urls}")
        if self.file_index is not None and self.file_index >= urls:
            raise rule_error("file_index", f"must be a position in source_urls (0 to {urls - 1})")
        self._time_rules(ctx)
        return self

    def _time_rules(self, ctx: CheckContext) -> None:
        check_time_window(
            ctx,
            self.start_time,
            self.end_time,
            max_span=MAX_SPAN,
            span_rule="must be at most 7 days after start_time",
            past_rule="Alibaba deletes a task at its end time, so no task can be created or kept to end then",
        )
        start = timefmt.parse_rfc3339(self.start_time)
        # Stop applies to running tasks only, so a task that has not started cannot be paused.
        if self.status == "pause" and start > ctx.now and not ctx.unchanged("status", "pause"):
            raise rule_error(
                "status",
                f"cannot be pause before the task starts at {self.start_time}: Alibaba stops running tasks only; "
                "leave it enable and pause it once it has started, or move start_time",
            )
