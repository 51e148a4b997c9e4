"""The arguments of an Alibaba Cloud pull-to-push task: the one declaration of each, with every documented constraint.

Each argument is declared once, here: its type, default (the cloud's), constraints, description and
its `Rule`. UpdateLivePullToPush changes callback_url, repeat_number, source_urls, times and the
start position; the rest is a replacement. file_index/offset are where a (re)start begins; the
provider itself moves them to resume a playlist, so their listed values never count as drift.
Reference: docs/api-notes.md, "Alibaba: task fields and limits" (CreateLivePullToPush) and
docs/api-notes.md, "Alibaba: update rules and run state" (UpdateLivePullToPush).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, ValidationInfo, model_validator

from ..core import timefmt
from ..core.fields import Rule
from ..core.model import (
    INT32_MAX,
    CheckContext,
    Label,
    Schemes,
    TaskArgs,
    UtcTime,
    check_time_window,
    context_of,
    rule_error,
)

MAX_PLAYLIST = 30
MAX_URL = 2000
MAX_SOURCE_CHARS = 10_000
"""The source URLs together: every parameter travels in the URL query, which must stay well under the
64 KiB that common HTTP stacks take (docs/api-notes.md, "Where the documents are silent")."""
MAX_TASK_NAME = 128
Region = Literal["ap-southeast-1", "ap-southeast-5", "cn-beijing", "cn-shanghai", "cn-shenzhen"]
RtmpUrl = Annotated[str, Schemes("rtmp")]
SourceUrl = Annotated[
    str, Field(min_length=1, max_length=MAX_URL), Schemes("http", "https", "rtmp", "rtmps", "rtsp", "srt")
]
CallbackUrl = Annotated[str, Field(min_length=1, max_length=MAX_URL), Schemes("http", "https", bare_host=True)]
IN_PLACE = Rule(in_place=True)
# UpdateLivePullToPush reads an empty CallbackUrl as "unchanged": a callback URL can be changed but not
# removed. Reference: docs/api-notes.md, "Alibaba: update rules and run state".
CALLBACK = Rule(in_place=True, kept_when_cleared=True)
START_POSITION = Rule(in_place=True, unread=True)


class RelayTaskArgs(TaskArgs):
    task_name: Label | None = Field(None, min_length=1, max_length=MAX_TASK_NAME, description="A free label.")
    source_type: Literal["live", "vod", "url"] = Field(
        description="live, vod (ApsaraVideo VOD files, by URL) or url (third-party files)."
    )
    source_protocol: Literal["rtmp", "rtsp", "srt", "http-flv", "flv"] | None = Field(
        None, description="Protocol of a live source; required for one."
    )
    source_urls: Annotated[list[SourceUrl], IN_PLACE] = Field(
        min_length=1,
        max_length=MAX_PLAYLIST,
        description="1 URL for live, up to 30 for vod/url, in playback order; together at most 10000 characters.",
    )
    dst_url: RtmpUrl = Field(
        max_length=MAX_URL,
        description="RTMP destination, unique across tasks.",
    )
    start_time: Annotated[UtcTime, IN_PLACE] = Field(description="Start, RFC 3339 (sent in UTC).")
    end_time: Annotated[UtcTime, IN_PLACE] = Field(
        description="End, RFC 3339 (sent in UTC), after start and now. Alibaba deletes the task at this time."
    )
    callback_url: Annotated[CallbackUrl | None, CALLBACK] = Field(
        None,
        description="Receiver of task callbacks (changeable while running); the scheme may be left out, "
        "as in callback.example.com.",
    )
    repeat_number: Annotated[int, IN_PLACE] = Field(
        0,
        ge=-1,
        le=INT32_MAX,
        description="vod/url: 0 play once, -1 loop, N extra rounds (changeable while running).",
    )
    retry_count: int = Field(3, ge=0, le=INT32_MAX, description="Retries after a failure.")
    retry_interval: int = Field(60, ge=60, le=300, description="Seconds between retries.")
    file_index: Annotated[int, START_POSITION] = Field(
        0, ge=0, le=MAX_PLAYLIST - 1, description="Playlist file to start from (0-based)."
    )
    offset: Annotated[int, START_POSITION] = Field(
        0, ge=0, le=INT32_MAX, description="Seconds into that file to start from."
    )
    status: Annotated[Literal["enable", "pause"], IN_PLACE] = Field(
        "enable",
        description='"enable" (Restart) or "pause" (Stop). A task that has not started cannot be paused.',
    )
    region: Annotated[Region | None, Rule(cloud_chosen=True)] = Field(
        None, description="Live centre of the task; defaults to the configured region."
    )

    @model_validator(mode="after")
    def _cross_field_rules(self, info: ValidationInfo) -> RelayTaskArgs:
        ctx = context_of(info)
        urls = len(self.source_urls)
        chars = sum(len(url) for url in self.source_urls)
        if chars > MAX_SOURCE_CHARS:
            raise rule_error("source_urls", f"must be at most {MAX_SOURCE_CHARS} characters together, got {chars}")
        if self.source_type == "live":
            if urls != 1:
                raise rule_error("source_urls", f"a live source takes exactly 1 URL, got {urls}")
            if self.source_protocol is None:
                raise rule_error(
                    "source_protocol", "is required when source_type is live (rtmp, rtsp, srt, http-flv or flv)"
                )
            for name in ("repeat_number", "file_index", "offset"):
                if name in self.model_fields_set:
                    raise rule_error(name, "applies to vod and url sources only")
        if self.file_index >= urls:
            raise rule_error("file_index", f"must be a position in source_urls (0 to {urls - 1})")
        self._time_rules(ctx)
        return self

    def _time_rules(self, ctx: CheckContext) -> None:
        check_time_window(
            ctx,
            self.start_time,
            self.end_time,
            max_span=None,  # CreateLivePullToPush documents no longest window
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


class RelayTaskOutputs(BaseModel):
    """What the cloud reports about a task: observed state, never a cause of diff."""

    task_id: str = Field(description="The task's id.")
    task_status: int | None = Field(
        None, description="0 not started, 1 running, 2 retrying, 3 stopped, -1 exited (observed)."
    )
    task_invalid_reason: str | None = Field(None, description="Why the task is failing, if it is (observed).")
    task_exit_reason: str | None = Field(None, description="TriggerByUser or OverEndTime (observed).")
    task_exit_time: int | None = Field(None, description="When the task exited, unix seconds (observed).")
    current_file_index: int | None = Field(None, description="Playlist file being pushed now (observed).")
    current_offset: int | None = Field(None, description="Seconds into that file (observed).")
