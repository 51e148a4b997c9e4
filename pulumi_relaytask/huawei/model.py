"""The arguments of a Huawei relay task: the one declaration of each, with every documented constraint.

Each argument is declared once, here: its type, default (the cloud's), constraints, description and
its `Rule` (what ModifyPullTask changes in place, what is secret, how values compare). The field
rules, the schema, the docs and the resource class are derived from these models.
Reference: docs/api-notes.md, "Huawei: task fields and limits" (CreatePullTask) and
docs/api-notes.md, "Huawei: what a modify changes" (ModifyPullTask).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, ValidationInfo, model_validator

from ..core.fields import Rule, Says
from ..core.model import (
    NamePart,
    Printable,
    Schemes,
    TaskArgs,
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
MAX_SPAN = timedelta(days=7)

CallbackEvent = Literal[
    "TaskStart", "TaskExit", "TaskAlarm", "VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig"
]
RefreshType = Literal["immediate_new_source", "continue_from_file_start", "continue_from_break_point"]
VOD_ONLY_EVENTS = frozenset({"VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig"})
VOD_ONLY_FIELDS = ("vod_loop_time", "vod_refresh_type", "vod_start_video_index", "vod_start_video_time")


def _loop_time(value: str) -> str:
    if value == "-1" or (value.isascii() and value.isdigit() and int(value) > 0):
        return value
    raise ValueError('must be "-1" (loop until end_time) or a positive number of rounds such as "3"')


LoopTime = Annotated[str, AfterValidator(_loop_time), Says('"-1" or a positive whole number')]

IN_PLACE = Rule(in_place=True)
MAX_URL = 2048
SOURCE_SCHEMES = ("http", "https", "rtmp", "rtmps", "rtsp", "srt")
SourceUrl = Annotated[str, Field(min_length=1, max_length=MAX_URL), Schemes(*SOURCE_SCHEMES)]
DestinationUrl = Annotated[str, Field(min_length=1, max_length=MAX_URL), Schemes("rtmp", "rtmps", "srt")]
CallbackUrl = Annotated[str, Field(min_length=1, max_length=MAX_URL), Schemes("http", "https", bare_host=True)]


class RelayTaskArgs(TaskArgs):
    source_type: Literal["PullLivePushLive", "PullVodPushLive"] = Field(
        description="PullLivePushLive (relay a live stream) or PullVodPushLive (play files as a live stream)."
    )
    source_urls: Annotated[list[SourceUrl], IN_PLACE] = Field(
        min_length=1,
        max_length=MAX_PLAYLIST,
        description="Source URLs: exactly 1 for a live source, 1 to 30 files for a VOD playlist, in playback order.",
    )
    domain: NamePart | None = Field(
        None,
        min_length=1,
        max_length=255,
        description="Ingest domain (with app_name and stream_name; exclusive with destination_url).",
    )
    app_name: NamePart | None = Field(None, min_length=1, max_length=128, description="Ingest application name.")
    stream_name: NamePart | None = Field(None, min_length=1, max_length=512, description="Ingest stream name.")
    destination_url: DestinationUrl | None = Field(
        None,
        description="Full destination URL (exclusive with domain/app_name/stream_name).",
    )
    push_args: Annotated[Printable | None, Rule(secret=True)] = Field(
        None,
        min_length=1,
        max_length=MAX_URL,
        description="Query arguments appended when pushing; often carries auth tokens.",
    )
    start_time: Annotated[UtcTime | None, Rule(in_place=True, cloud_chosen=True)] = Field(
        None, description="Start, RFC 3339 (sent in UTC). Defaults to the time of creation."
    )
    end_time: Annotated[UtcTime, IN_PLACE] = Field(
        description="End, RFC 3339 (sent in UTC); after start and now, at most 7 days after start."
    )
    callback_url: CallbackUrl | None = Field(
        None, description="Receiver of task callbacks; the scheme may be left out, as in callback.example.com."
    )
    callback_events: Annotated[list[CallbackEvent] | None, Rule(in_place=True, set_like=True)] = Field(
        None, description="Callback events (a set; empty means all)."
    )
    backup_source_type: Literal["PullLivePushLive"] | None = Field(
        None, description="Type of the backup source: PullLivePushLive."
    )
    backup_source_urls: list[SourceUrl] | None = Field(
        None, max_length=MAX_PLAYLIST, description="Backup source URLs (0 to 30)."
    )
    vod_loop_time: Annotated[LoopTime, IN_PLACE] = Field(
        "-1", description='VOD rounds: "-1" loops until end_time, "N" plays the list N times.'
    )
    vod_refresh_type: Annotated[RefreshType | None, Rule(in_place=True, instruction=True)] = Field(
        None,
        description="How a modify applies to a running VOD task: immediate_new_source (the cloud's default), "
        "continue_from_file_start or continue_from_break_point. An instruction, not state.",
    )
    vod_start_video_index: Annotated[int, IN_PLACE] = Field(
        0, ge=0, le=8192, description="Index of the playlist file to start from."
    )
    vod_start_video_time: Annotated[int, IN_PLACE] = Field(
        0, ge=0, le=2_100_000_000, description="Seconds into that file to start from."
    )
    status: Annotated[Literal["enable", "pause"], IN_PLACE] = Field(
        "enable", description='"enable" or "pause"; only a PullVodPushLive task can be paused.'
    )
    region: Annotated[str | None, Rule(cloud_chosen=True)] = Field(
        None, min_length=1, max_length=64, description="Region of the task; defaults to the configured region."
    )

    @model_validator(mode="after")
    def _cross_field_rules(self, info: ValidationInfo) -> RelayTaskArgs:
        ctx = context_of(info)
        urls = len(self.source_urls)
        if self.source_type == LIVE and urls != 1:
            raise rule_error("source_urls", f"a PullLivePushLive task takes exactly 1 URL, got {urls}")
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
        if self.vod_start_video_index > urls - 1:
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


class RelayTaskOutputs(BaseModel):
    """What the cloud reports about a task: output attributes, never a cause of diff."""

    task_id: str = Field(description="The task's id.")
    create_time: str | None = Field(None, description="When the task was created.")
