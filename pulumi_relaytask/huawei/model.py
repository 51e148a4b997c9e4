"""The arguments of a Huawei relay task, with every documented constraint of the API.

Reference: docs/api-notes.md, "Huawei: task fields and limits" (CreatePullTask) and
docs/api-notes.md, "Huawei: what a modify changes" (ModifyPullTask). The limits below are the API's;
each violation names the field and the rule, and is reported by `pulumi preview`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

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
MAX_SPAN = timedelta(days=7)

CallbackEvent = Literal[
    "TaskStart", "TaskExit", "TaskAlarm", "VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig"
]
RefreshType = Literal["immediate_new_source", "continue_from_file_start", "continue_from_break_point"]
VOD_ONLY_EVENTS = frozenset({"VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig"})
VOD_ONLY_FIELDS = ("vod_loop_time", "vod_refresh_type", "vod_start_video_index", "vod_start_video_time")


class RelayTaskArgs(TaskArgs):
    source_type: Literal["PullLivePushLive", "PullVodPushLive"]
    source_urls: list[str] = Field(min_length=1)
    domain: str | None = Field(None, min_length=1, max_length=255)
    app_name: str | None = Field(None, min_length=1, max_length=128)
    stream_name: str | None = Field(None, min_length=1, max_length=512)
    destination_url: str | None = Field(None, max_length=2048)
    push_args: str | None = None
    start_time: str | None = None
    end_time: str
    callback_url: str | None = None
    callback_events: list[CallbackEvent] | None = None
    backup_source_type: Literal["PullLivePushLive"] | None = None
    backup_source_urls: list[str] | None = Field(None, max_length=MAX_PLAYLIST)
    vod_loop_time: str | None = None
    vod_refresh_type: RefreshType | None = None
    vod_start_video_index: int | None = Field(None, ge=0, le=8192)
    vod_start_video_time: int | None = Field(None, ge=0, le=2_100_000_000)
    status: Literal["enable", "pause"] = "enable"
    region: str | None = Field(None, min_length=1, max_length=64)

    _times = field_validator("start_time", "end_time")(rfc3339_text)

    @field_validator("vod_loop_time")
    @classmethod
    def _loop_time(cls, value: str | None) -> str | None:
        if value in (None, "", "-1") or (value is not None and value.isdigit() and int(value) > 0):
            return value
        raise ValueError('must be "-1" (loop until end_time) or a positive number of rounds such as "3"')

    @model_validator(mode="after")
    def _cross_field_rules(self, info: ValidationInfo) -> RelayTaskArgs:
        ctx = context_of(info)
        urls = len(self.source_urls)
        if self.source_type == LIVE and urls != 1:
            raise rule_error("source_urls", f"a PullLivePushLive task takes exactly 1 URL, got {urls}")
        if self.source_type == VOD and urls > MAX_PLAYLIST:
            raise rule_error("source_urls", f"a PullVodPushLive playlist takes 1 to {MAX_PLAYLIST} URLs, got {urls}")
        check_destination(
            "destination_url",
            self.destination_url,
            {"domain": self.domain, "app_name": self.app_name, "stream_name": self.stream_name},
        )
        if self.source_type == LIVE:
            check_vod_only(self, VOD_ONLY_FIELDS, self.callback_events, VOD_ONLY_EVENTS, VOD)
            if self.status == "pause":
                raise rule_error(
                    "status",
                    "a PullLivePushLive task cannot be paused: "
                    "Huawei applies modifications to PullVodPushLive tasks only",
                )
        if self.vod_start_video_index is not None and self.vod_start_video_index > urls - 1:
            raise rule_error(
                "vod_start_video_index",
                f"must be an index into source_urls (0 to {urls - 1}), got {self.vod_start_video_index}",
            )
        check_time_window(
            ctx,
            self.start_time,
            self.end_time,
            max_span=MAX_SPAN,
            span_rule="must be at most 7 days after start_time (start_time defaults to now)",
        )
        return self
