"""The arguments of a Huawei relay task, with every documented constraint of the API.

Reference: ../shared/api-contracts.md section 1 (CreatePullTask / ModifyPullTask). The limits below
are the API's; each violation names the field and the rule, and is reported by `pulumi preview`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal, Optional

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
VOD_ONLY_EVENTS = frozenset({"VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig"})
VOD_ONLY_FIELDS = ("vod_loop_time", "vod_refresh_type", "vod_start_video_index", "vod_start_video_time")


class RelayTaskArgs(TaskArgs):
    source_type: Literal["PullLivePushLive", "PullVodPushLive"]
    source_urls: list[str] = Field(min_length=1)
    domain: Optional[str] = Field(None, min_length=1, max_length=255)
    app_name: Optional[str] = Field(None, min_length=1, max_length=128)
    stream_name: Optional[str] = Field(None, min_length=1, max_length=512)
    destination_url: Optional[str] = Field(None, max_length=2048)
    push_args: Optional[str] = None
    start_time: Optional[str] = None
    end_time: str
    callback_url: Optional[str] = None
    callback_events: Optional[list[CallbackEvent]] = None
    backup_source_type: Optional[Literal["PullLivePushLive"]] = None
    backup_source_urls: Optional[list[str]] = Field(None, max_length=MAX_PLAYLIST)
    vod_loop_time: Optional[str] = None
    vod_refresh_type: Optional[
        Literal["immediate_new_source", "continue_from_file_start", "continue_from_break_point"]
    ] = None
    vod_start_video_index: Optional[int] = Field(None, ge=0, le=8192)
    vod_start_video_time: Optional[int] = Field(None, ge=0, le=2_100_000_000)
    status: Literal["enable", "pause"] = "enable"
    region: Optional[str] = Field(None, min_length=1, max_length=64)

    _times = field_validator("start_time", "end_time")(rfc3339_text)

    @field_validator("vod_loop_time")
    @classmethod
    def _loop_time(cls, value: Optional[str]) -> Optional[str]:
        if value in (None, "", "-1") or (value is not None and value.isdigit() and int(value) > 0):
            return value
        raise ValueError('must be "-1" (loop until end_time) or a positive number of rounds such as "3"')

    @model_validator(mode="after")
    def _cross_field_rules(self, info: ValidationInfo) -> "RelayTaskArgs":
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
                    "a PullLivePushLive task cannot be paused: Huawei applies modifications to PullVodPushLive tasks only",
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
