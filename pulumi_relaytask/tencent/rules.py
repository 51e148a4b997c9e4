"""Tencent's field rules: ModifyLivePullStreamTask changes almost everything in place.

What it cannot change (source type, the destination's domain/app/stream, push args, region) is a
replacement. Pause and resume are a modify of Status, on any source type. `operator` is sent with
every write and recorded by Tencent as CreateBy/UpdateBy; it is not task state, so a change of it
alone triggers nothing. ToUrl, FileIndex and OffsetTime are accepted but never listed back.
Reference: docs/api-notes.md, "Tencent: task fields and limits".
"""

from __future__ import annotations

from typing import Any

from ..core.fields import Field, Rules
from .model import DEFAULT_OPERATOR, Watermark


def _watermarks(value: Any) -> Any:
    """Watermarks compared with their defaults filled in (positions and location 0); order matters."""
    try:
        return [Watermark.model_validate(item).model_dump(exclude_none=True) for item in value]
    except (TypeError, ValueError):
        return value


RULES = Rules(
    cloud="tencent",
    fields=(
        Field("source_type", "PullLivePushLive, PullVodPushLive or PullPicPushLive."),
        Field(
            "source_urls",
            "Source URLs: 1 for a live stream or picture, up to 30 files for VOD, in playback order.",
            updatable=True,
            type_name="array<string>",
        ),
        Field("domain_name", "Push domain (with app_name and stream_name; exclusive with to_url)."),
        Field("app_name", "Push application name."),
        Field("stream_name", "Push stream name."),
        Field(
            "to_url",
            "Full destination URL (rtmp, rtmps, rtsp, rtp, srt); a secret when it carries query "
            "parameters. Never listed back by the API.",
            updatable=True,
            unread=True,
        ),
        Field(
            "push_args",
            "Query arguments appended when pushing; often carries auth tokens. Stored as a secret.",
            secret=True,
        ),
        Field("start_time", "Start, RFC 3339 UTC.", updatable=True, time=True),
        Field(
            "end_time",
            "End, RFC 3339 UTC; after start and now, less than 30 days after start.",
            updatable=True,
            time=True,
        ),
        Field(
            "operator",
            "Who makes the change (reported as create_by/update_by). Default pulumi-relaytask; "
            "a change of it alone does nothing.",
            instruction=True,
            default=DEFAULT_OPERATOR,
        ),
        Field("comment", "Free text, at most 512 bytes.", updatable=True),
        Field("callback_url", "Receiver of task callbacks.", updatable=True),
        Field("callback_events", "Callback events (a set).", updatable=True, set_like=True, type_name="array<string>"),
        Field(
            "vod_loop_times",
            "VOD loops: -1 forever (default), 0 play once, N loops.",
            updatable=True,
            default=-1,
            type_name="integer",
        ),
        Field(
            "vod_refresh_type",
            "How a playlist change applies: ImmediateNewSource or ContinueBreakPoint.",
            updatable=True,
        ),
        Field(
            "file_index",
            "Playlist file to start from, counted from 1 (first loop only). Never listed back.",
            updatable=True,
            unread=True,
            type_name="integer",
        ),
        Field(
            "offset_time",
            "Seconds into that file to start from. Never listed back.",
            updatable=True,
            unread=True,
            type_name="integer",
        ),
        Field("backup_source_type", "Backup source type (only for a live main source).", updatable=True),
        Field("backup_source_url", "Backup source URL.", updatable=True),
        Field(
            "watermark_list",
            "Up to 4 watermarks {picture_url, x_position, y_position, width, height, location}; "
            "positions and sizes in percent of the picture, location 0-3 (top left, clockwise).",
            updatable=True,
            type_name="array<object>",
            normalizer=_watermarks,
        ),
        Field("vod_local_mode", "VOD local mode: 0 (default) or 1.", updatable=True, default=0, type_name="integer"),
        Field(
            "status", '"enable" (default) or "pause"; any source type can be paused.', updatable=True, default="enable"
        ),
        Field("region", "Region of the task; defaults to the configured region.", cloud_chosen=True),
    ),
    outputs=(
        Field("task_id", "The task's id (chosen by the provider: creates are idempotent)."),
        Field("create_time", "When the task was created."),
        Field("update_time", "When the task was last modified."),
        Field("create_by", "Operator of the create."),
        Field("update_by", "Operator of the last modify."),
    ),
)
