"""The arguments of a Tencent pull-stream task: the one declaration of each, with every documented constraint.

Each argument is declared once, here: its type, default (the cloud's), constraints, description and
its `Rule`. Everything ModifyLivePullStreamTask accepts is updated in place; the source type, the
destination's domain/app/stream, push args and region are replacements. `operator` is sent with
every write and recorded as CreateBy/UpdateBy; it is not task state, so a change of it alone triggers
nothing. ToUrl, FileIndex and OffsetTime are accepted but never listed back.
Reference: docs/api-notes.md, "Tencent: task fields and limits" (CreateLivePullStreamTask /
ModifyLivePullStreamTask).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, ValidationInfo, model_validator

from ..core.fields import Rule, Says
from ..core.model import (
    INT32_MAX,
    Schemes,
    TaskArgs,
    TaskObject,
    UtcTime,
    check_destination,
    check_time_window,
    check_vod_only,
    context_of,
    rule_error,
)

LIVE = "PullLivePushLive"
VOD = "PullVodPushLive"
MAX_PLAYLIST = 30
MAX_SPAN = timedelta(days=30)
MAX_COMMENT_BYTES = 512
DEFAULT_OPERATOR = "pulumi-relaytask"
VOD_ONLY_EVENTS = frozenset({"VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig"})
VOD_ONLY_FIELDS = ("vod_loop_times", "vod_refresh_type", "file_index", "offset_time", "vod_local_mode")

MAX_URL = 2048
SourceUrl = Annotated[str, Field(max_length=MAX_URL), Schemes("http", "https", "rtmp", "rtmps", "rtsp", "srt")]
ToUrl = Annotated[str, Field(max_length=MAX_URL), Schemes("rtmp", "rtmps", "rtsp", "rtp", "srt")]
HttpUrl = Annotated[str, Field(max_length=MAX_URL), Schemes("http", "https")]
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


def _comment_bytes(value: str) -> str:
    if len(value.encode()) > MAX_COMMENT_BYTES:
        raise ValueError(f"must be at most {MAX_COMMENT_BYTES} bytes in UTF-8, got {len(value.encode())}")
    return value


Comment = Annotated[str, AfterValidator(_comment_bytes), Says(f"at most {MAX_COMMENT_BYTES} bytes in UTF-8")]
IN_PLACE = Rule(in_place=True)


class Watermark(TaskObject):
    """One watermark picture laid over the pushed stream; positions and sizes are percentages."""

    picture_url: Annotated[HttpUrl, Field(pattern=r"^[^;(){}$>`#\"'|]*$")] = Field(
        description="http or https URL of the picture, without any of ;(){}$>`#\"'|."
    )
    x_position: int = Field(0, ge=0, le=100, description="Horizontal offset, percent of the frame.")
    y_position: int = Field(0, ge=0, le=100, description="Vertical offset, percent of the frame.")
    width: int | None = Field(None, ge=0, le=100, description="Width, percent of the frame.")
    height: int | None = Field(None, ge=0, le=100, description="Height, percent of the frame.")
    location: int = Field(
        0,
        ge=0,
        le=3,
        description="Corner the offsets count from: 0 top left, 1 top right, 2 bottom right, 3 bottom left.",
    )


class RelayTaskArgs(TaskArgs):
    source_type: Literal["PullLivePushLive", "PullVodPushLive", "PullPicPushLive"] = Field(
        description="PullLivePushLive, PullVodPushLive or PullPicPushLive (a picture)."
    )
    source_urls: Annotated[list[SourceUrl], IN_PLACE] = Field(
        min_length=1,
        max_length=MAX_PLAYLIST,
        description="Source URLs: 1 for a live stream or picture, up to 30 files for VOD, in playback order.",
    )
    domain_name: str | None = Field(
        None, min_length=1, description="Push domain (with app_name and stream_name; exclusive with to_url)."
    )
    app_name: str | None = Field(None, min_length=1, description="Push application name.")
    stream_name: str | None = Field(None, min_length=1, description="Push stream name.")
    to_url: Annotated[ToUrl | None, Rule(in_place=True, unread=True)] = Field(
        None,
        description="Full destination URL (exclusive with domain_name/app_name/stream_name).",
    )
    push_args: Annotated[str | None, Rule(secret=True)] = Field(
        None,
        min_length=1,
        description="Query arguments appended when pushing; often carries auth tokens.",
    )
    start_time: Annotated[UtcTime, IN_PLACE] = Field(description="Start, RFC 3339 (sent in UTC).")
    end_time: Annotated[UtcTime, IN_PLACE] = Field(
        description="End, RFC 3339 (sent in UTC); after start and now, less than 30 days after start."
    )
    operator: Annotated[str, Rule(instruction=True)] = Field(
        DEFAULT_OPERATOR,
        min_length=1,
        description="Who makes the change (reported as create_by/update_by); a change of it alone does nothing.",
    )
    comment: Annotated[Comment | None, IN_PLACE] = Field(None, description="Free text, at most 512 bytes.")
    callback_url: Annotated[HttpUrl | None, IN_PLACE] = Field(None, description="Receiver of task callbacks.")
    callback_events: Annotated[list[CallbackEvent] | None, Rule(in_place=True, set_like=True)] = Field(
        None, description="Callback events (a set)."
    )
    vod_loop_times: Annotated[int, IN_PLACE] = Field(
        -1, ge=-1, le=INT32_MAX, description="VOD loops: -1 forever, 0 play once, N loops."
    )
    vod_refresh_type: Annotated[Literal["ImmediateNewSource", "ContinueBreakPoint"] | None, IN_PLACE] = Field(
        None, description="How a playlist change applies: ImmediateNewSource or ContinueBreakPoint."
    )
    file_index: Annotated[int, Rule(in_place=True, unread=True)] = Field(
        1,
        ge=1,
        le=MAX_PLAYLIST,
        description="Playlist file to start from, counted from 1 (first loop only).",
    )
    offset_time: Annotated[int, Rule(in_place=True, unread=True)] = Field(
        0, ge=0, le=INT32_MAX, description="Seconds into that file to start from."
    )
    backup_source_type: Annotated[Literal["PullLivePushLive", "PullVodPushLive"] | None, IN_PLACE] = Field(
        None, description="Backup source type (only for a live main source)."
    )
    backup_source_url: Annotated[SourceUrl | None, IN_PLACE] = Field(None, description="Backup source URL.")
    watermark_list: Annotated[list[Watermark] | None, IN_PLACE] = Field(
        None,
        max_length=4,
        description="Up to 4 watermarks laid over the pushed stream, in order.",
    )
    vod_local_mode: Annotated[int, IN_PLACE] = Field(0, ge=0, le=1, description="VOD local mode: 0 or 1.")
    status: Annotated[Literal["enable", "pause"], IN_PLACE] = Field(
        "enable", description='"enable" or "pause"; any source type can be paused.'
    )
    region: Annotated[Region | None, Rule(cloud_chosen=True)] = Field(
        None, description="Region of the task; defaults to the configured region."
    )

    @model_validator(mode="after")
    def _cross_field_rules(self, info: ValidationInfo) -> RelayTaskArgs:
        ctx = context_of(info)
        urls = len(self.source_urls)
        if self.source_type != VOD and urls != 1:
            raise rule_error("source_urls", f"a {self.source_type} task takes exactly 1 URL, got {urls}")
        check_destination(
            "to_url",
            self.to_url,
            {"domain_name": self.domain_name, "app_name": self.app_name, "stream_name": self.stream_name},
        )
        if self.source_type != VOD:
            check_vod_only(self, VOD_ONLY_FIELDS, self.callback_events, VOD_ONLY_EVENTS, VOD)
        if self.file_index > urls:
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


class RelayTaskOutputs(BaseModel):
    """What the cloud reports about a task: output attributes, never a cause of diff."""

    task_id: str = Field(description="The task's id (chosen by the provider: creates are idempotent).")
    create_time: str | None = Field(None, description="When the task was created.")
    update_time: str | None = Field(None, description="When the task was last modified.")
    create_by: str | None = Field(None, description="Operator of the create.")
    update_by: str | None = Field(None, description="Operator of the last modify.")
