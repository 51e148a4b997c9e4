"""The arguments of a Tencent pull-stream task, with every documented constraint of the API.

Reference: docs/api-notes.md, "Tencent: task fields and limits" (CreateLivePullStreamTask /
ModifyLivePullStreamTask).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from ..core.model import (
    TaskArgs,
    check_destination,
    check_time_window,
    check_vod_only,
    context_of,
    rfc3339_text,
    rule_error,
)

LIVE = "PullLivePushLive"
VOD = "PullVodPushLive"
MAX_PLAYLIST = 30
MAX_SPAN = timedelta(days=30)
DEFAULT_OPERATOR = "pulumi-relaytask"
TO_URL_SCHEMES = ("rtmp", "rtmps", "rtsp", "rtp", "srt")
VOD_ONLY_EVENTS = frozenset({"VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig"})
VOD_ONLY_FIELDS = ("vod_loop_times", "vod_refresh_type", "file_index", "offset_time", "vod_local_mode")

CallbackEvent = Literal[
    "TaskStart", "TaskExit", "TaskAlarm", "VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig"
]
Region = Literal[
    "ap-bangkok",
    "ap-beijing",
    "ap-guangzhou",
    "ap-hongkong",
    "ap-mumbai",
    "ap-seoul",
    "ap-shanghai",
    "ap-singapore",
    "ap-tokyo",
    "eu-frankfurt",
    "na-ashburn",
    "na-siliconvalley",
]


class Watermark(BaseModel):
    """One watermark picture laid over the pushed stream; positions and sizes are percentages."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    picture_url: str = Field(min_length=1, pattern=r"^[^;(){}$>`#\"'|]*$")
    x_position: int = Field(0, ge=0, le=100)
    y_position: int = Field(0, ge=0, le=100)
    width: int | None = Field(None, ge=0, le=100)
    height: int | None = Field(None, ge=0, le=100)
    location: int = Field(0, ge=0, le=3)
    """0 top left, 1 top right, 2 bottom right, 3 bottom left."""


class RelayTaskArgs(TaskArgs):
    source_type: Literal["PullLivePushLive", "PullVodPushLive", "PullPicPushLive"]
    source_urls: list[str] = Field(min_length=1)
    domain_name: str | None = Field(None, min_length=1)
    app_name: str | None = Field(None, min_length=1)
    stream_name: str | None = Field(None, min_length=1)
    to_url: str | None = None
    push_args: str | None = None
    start_time: str
    end_time: str
    operator: str = Field(DEFAULT_OPERATOR, min_length=1)
    comment: str | None = None
    callback_url: str | None = None
    callback_events: list[CallbackEvent] | None = None
    vod_loop_times: int | None = Field(None, ge=-1)
    vod_refresh_type: Literal["ImmediateNewSource", "ContinueBreakPoint"] | None = None
    file_index: int | None = Field(None, ge=1)
    offset_time: int | None = Field(None, ge=0)
    backup_source_type: Literal["PullLivePushLive", "PullVodPushLive"] | None = None
    backup_source_url: str | None = None
    watermark_list: list[Watermark] | None = Field(None, max_length=4)
    vod_local_mode: Literal[0, 1] | None = None
    status: Literal["enable", "pause"] = "enable"
    region: Region | None = None

    _times = field_validator("start_time", "end_time")(rfc3339_text)

    @field_validator("comment")
    @classmethod
    def _comment_bytes(cls, value: str | None) -> str | None:
        if value is not None and len(value.encode()) > 512:
            raise ValueError(f"must be at most 512 bytes, got {len(value.encode())}")
        return value

    @field_validator("to_url")
    @classmethod
    def _to_url_scheme(cls, value: str | None) -> str | None:
        if value is not None and urlparse(value).scheme not in TO_URL_SCHEMES:
            raise ValueError(f"must be a {', '.join(TO_URL_SCHEMES)} URL")
        return value

    @model_validator(mode="after")
    def _cross_field_rules(self, info: ValidationInfo) -> RelayTaskArgs:
        ctx = context_of(info)
        urls = len(self.source_urls)
        if self.source_type != VOD and urls != 1:
            raise rule_error("source_urls", f"a {self.source_type} task takes exactly 1 URL, got {urls}")
        if self.source_type == VOD and urls > MAX_PLAYLIST:
            raise rule_error("source_urls", f"a PullVodPushLive playlist takes 1 to {MAX_PLAYLIST} URLs, got {urls}")
        check_destination(
            "to_url",
            self.to_url,
            {"domain_name": self.domain_name, "app_name": self.app_name, "stream_name": self.stream_name},
        )
        if self.source_type != VOD:
            check_vod_only(self, VOD_ONLY_FIELDS, self.callback_events, VOD_ONLY_EVENTS, VOD)
        if self.file_index is not None and self.file_index > urls:
            raise rule_error("file_index", f"must be a position in source_urls, counted from 1 (1 to {urls})")
        if (self.backup_source_type is None) != (self.backup_source_url is None):
            raise rule_error("backup_source_url", "backup_source_type and backup_source_url go together")
        if self.backup_source_type is not None and self.source_type != LIVE:
            raise rule_error(
                "backup_source_type", "a backup source applies only when the main source is PullLivePushLive"
            )
        # Tencent's span limit is strict: less than 30 days.
        check_time_window(
            ctx,
            self.start_time,
            self.end_time,
            max_span=MAX_SPAN - timedelta(seconds=1),
            span_rule="must be less than 30 days after start_time",
        )
        return self
