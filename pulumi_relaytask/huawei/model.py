"""The arguments of a Huawei relay task, with every documented constraint of the API.

Reference: ../shared/api-contracts.md section 1 (CreatePullTask / ModifyPullTask). The limits below
are the API's; each violation names the field and the rule, and is reported by `pulumi preview`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal, Optional

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ..core import timefmt
from ..core.model import CheckContext, TaskArgs, context_of, rule_error

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

    @field_validator("start_time", "end_time")
    @classmethod
    def _rfc3339(cls, value: Optional[str]) -> Optional[str]:
        if value is None:
            return value
        try:
            timefmt.parse_rfc3339(value)
        except ValueError:
            raise ValueError("must be an RFC 3339 UTC time such as 2026-01-02T15:04:05Z") from None
        return value

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
        parts = {"domain": self.domain, "app_name": self.app_name, "stream_name": self.stream_name}
        if self.destination_url:
            for name, value in parts.items():
                if value:
                    raise rule_error(name, "must be empty when destination_url is set (they are mutually exclusive)")
        else:
            for name, value in parts.items():
                if not value:
                    raise rule_error(name, "is required unless destination_url is set")
        if self.source_type == LIVE:
            for name in VOD_ONLY_FIELDS:
                if getattr(self, name) is not None:
                    raise rule_error(name, "applies to PullVodPushLive tasks only")
            for event in self.callback_events or ():
                if event in VOD_ONLY_EVENTS:
                    raise rule_error("callback_events", f"{event} applies to PullVodPushLive tasks only")
            if self.status == "pause":
                raise rule_error(
                    "status", "a PullLivePushLive task cannot be paused: Huawei applies modifications to PullVodPushLive tasks only"
                )
        if self.vod_start_video_index is not None and self.vod_start_video_index > urls - 1:
            raise rule_error(
                "vod_start_video_index", f"must be an index into source_urls (0 to {urls - 1}), got {self.vod_start_video_index}"
            )
        self._time_rules(ctx)
        return self

    def _time_rules(self, ctx: CheckContext) -> None:
        end = timefmt.parse_rfc3339(self.end_time)
        start = timefmt.parse_rfc3339(self.start_time) if self.start_time else None
        if start is not None and end <= start:
            raise rule_error("end_time", "must be later than start_time")
        if start is not None and end - start > MAX_SPAN:
            raise rule_error("end_time", "must be at most 7 days after start_time")
        # "End after now" only binds a value being set now; an expired task must stay manageable.
        if not ctx.unchanged("end_time", self.end_time) and end <= ctx.now:
            raise rule_error("end_time", f"must be in the future (now is {timefmt.format_utc(ctx.now)})")
        if start is None and not ctx.unchanged("end_time", self.end_time) and end - ctx.now > MAX_SPAN:
            raise rule_error("end_time", "must be at most 7 days after the start (start_time defaults to now)")
