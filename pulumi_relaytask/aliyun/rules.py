"""Alibaba's field rules: the most stateful of the three APIs.

UpdateLivePullToPush changes callback_url, repeat_number, source_urls, times and the start position;
the rest is a replacement. While a task runs only callback_url and repeat_number can change, so the
provider applies any other change as Stop → Update → Restart, which interrupts the push: the preview
warns about it. file_index/offset are where a (re)start begins; the provider itself moves them to
resume a playlist, so their listed values never count as drift.
Reference: docs/api-notes.md, "Alibaba: update rules and run state".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..core import timefmt
from ..core.fields import Field, Rules

LIVE_CHANGES = frozenset({"callback_url", "repeat_number"})
"""What Alibaba lets an Update change while the task runs."""


def _interruption(old: Mapping[str, Any], new: Mapping[str, Any], changed: tuple[str, ...], now: datetime) -> list[str]:
    restarting = [name for name in changed if name not in LIVE_CHANGES and name != "status"]
    if not restarting or not _may_be_running(old, now):
        return []
    return [
        f"changing {', '.join(restarting)} of a running task stops it, updates it and restarts it: "
        "the push is interrupted (a VOD playlist resumes at the file and offset where it was)"
    ]


def _may_be_running(old: Mapping[str, Any], now: datetime) -> bool:
    """Running as last observed (task_status 1 or 2), or due to be running by its times now."""
    if old.get("status") == "pause":
        return False
    if old.get("task_status") in (1, 2):
        return True
    try:
        start, end = timefmt.parse_rfc3339(old["start_time"]), timefmt.parse_rfc3339(old["end_time"])
    except (KeyError, TypeError, ValueError):
        return True
    return start <= now < end


RULES = Rules(
    cloud="aliyun",
    plan_notes=_interruption,
    fields=(
        Field("task_name", "A free label."),
        Field("source_type", "live, vod (ApsaraVideo VOD media ids) or url (third-party files)."),
        Field("source_protocol", "rtmp, rtsp, srt, http-flv or flv; required for a live source."),
        Field(
            "source_urls",
            "1 URL for live, up to 30 for vod/url, in playback order.",
            updatable=True,
            type_name="array<string>",
        ),
        Field("dst_url", "RTMP destination, unique across tasks; a secret when it carries query parameters."),
        Field("start_time", "Start, UTC yyyy-MM-ddTHH:mm:ssZ.", updatable=True, time=True),
        Field(
            "end_time",
            "End, at most 7 days after start. Alibaba deletes the task at this time.",
            updatable=True,
            time=True,
        ),
        Field("callback_url", "Receiver of task callbacks (changeable while running).", updatable=True),
        Field(
            "repeat_number",
            "vod/url: 0 play once (default), -1 loop, N extra rounds (changeable while running).",
            updatable=True,
            default=0,
            type_name="integer",
        ),
        Field("retry_count", "Retries after a failure (default 3).", default=3, type_name="integer"),
        Field("retry_interval", "Seconds between retries, 60 to 300 (default 60).", default=60, type_name="integer"),
        Field("file_index", "Playlist file to start from (0-based).", updatable=True, unread=True, type_name="integer"),
        Field("offset", "Seconds into that file to start from.", updatable=True, unread=True, type_name="integer"),
        Field(
            "status",
            '"enable" (default; Restart) or "pause" (Stop). A task that has not started cannot be paused.',
            updatable=True,
            default="enable",
        ),
        Field("region", "Live centre of the task; defaults to the configured region.", cloud_chosen=True),
    ),
    outputs=(
        Field("task_id", "The task's id."),
        Field(
            "task_status", "0 not started, 1 running, 2 retrying, 3 stopped, -1 exited (observed).", type_name="integer"
        ),
        Field("task_invalid_reason", "Why the task is failing, if it is (observed)."),
        Field("task_exit_reason", "TriggerByUser or OverEndTime (observed)."),
        Field("task_exit_time", "When the task exited, unix seconds (observed).", type_name="integer"),
        Field("current_file_index", "Playlist file being pushed now (observed).", type_name="integer"),
        Field("current_offset", "Seconds into that file (observed).", type_name="integer"),
    ),
)
