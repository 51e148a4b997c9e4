"""Huawei's field rules: what ModifyPullTask can change, what is secret, how values compare.

The rule that shapes every Huawei plan: a modify only takes effect on a PullVodPushLive task, so a
change to any other task, or to a field the modify does not accept, is a replacement.
Reference: docs/api-notes.md, "Huawei: what a modify changes".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.fields import Field, Rules
from .model import VOD


def _modify_takes_effect(old: Mapping[str, Any]) -> bool:
    return old.get("source_type") == VOD


RULES = Rules(
    cloud="huawei",
    updates_take_effect=_modify_takes_effect,
    fields=(
        Field(
            "source_type", "PullLivePushLive (relay a live stream) or PullVodPushLive (play files as a live stream)."
        ),
        Field(
            "source_urls",
            "Source URLs: exactly 1 for a live source, 1 to 30 files for a VOD playlist, in playback order.",
            updatable=True,
            type_name="array<string>",
        ),
        Field("domain", "Ingest domain (with app_name and stream_name; exclusive with destination_url)."),
        Field("app_name", "Ingest application name."),
        Field("stream_name", "Ingest stream name."),
        Field("destination_url", "Full destination URL (exclusive with domain/app_name/stream_name).", secret=False),
        Field(
            "push_args",
            "Query arguments appended when pushing; often carries auth tokens. Stored as a secret.",
            secret=True,
        ),
        Field(
            "start_time",
            "Start, RFC 3339 UTC. Defaults to the time of creation.",
            updatable=True,
            time=True,
            cloud_chosen=True,
        ),
        Field(
            "end_time", "End, RFC 3339 UTC; after start and now, at most 7 days after start.", updatable=True, time=True
        ),
        Field("callback_url", "Receiver of task callbacks."),
        Field(
            "callback_events",
            "Callback events (a set; empty means all).",
            updatable=True,
            set_like=True,
            type_name="array<string>",
        ),
        Field("backup_source_type", "Type of the backup source: PullLivePushLive."),
        Field("backup_source_urls", "Backup source URLs (0 to 30).", type_name="array<string>"),
        Field(
            "vod_loop_time",
            'VOD rounds: "-1" loops until end_time (default), "N" plays the list N times.',
            updatable=True,
            default="-1",
        ),
        Field(
            "vod_refresh_type",
            "How a modify applies to a running VOD task: immediate_new_source (default), "
            "continue_from_file_start or continue_from_break_point. An instruction, not state.",
            updatable=True,
            instruction=True,
        ),
        Field(
            "vod_start_video_index",
            "Index of the playlist file to start from (default 0).",
            updatable=True,
            default=0,
            type_name="integer",
        ),
        Field(
            "vod_start_video_time",
            "Seconds into that file to start from (default 0).",
            updatable=True,
            default=0,
            type_name="integer",
        ),
        Field(
            "status",
            '"enable" (default) or "pause"; only a PullVodPushLive task can be paused.',
            updatable=True,
            default="enable",
        ),
        Field("region", "Region of the task; defaults to the configured region.", cloud_chosen=True),
    ),
    outputs=(
        Field("task_id", "The task's id."),
        Field("create_time", "When the task was created."),
    ),
)
