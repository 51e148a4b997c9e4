"""Huawei Live's documented input rules (docs/api-notes.md, "Huawei: task fields and limits" and
docs/api-notes.md, "Huawei: what a modify changes"), as the emulator enforces them.

Every violation is an ApiFault 400 `LIVE.100011001` whose message names the field and the rule,
so a test (or a user of the emulator) sees exactly which rule a request broke.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from ...core import timefmt
from ...errors import ApiFault
from .. import params

LIVE = "PullLivePushLive"
VOD = "PullVodPushLive"
SOURCE_TYPES = (LIVE, VOD)
MAX_PLAYLIST = 30
MAX_BACKUP_URLS = 30
MAX_SPAN = timedelta(days=7)
MAX_OFFSET = 2_147_483_647
MAX_LIMIT = 100
MAX_VIDEO_INDEX = 8192
MAX_VIDEO_TIME = 2_100_000_000

LIVE_EVENTS = ("TaskStart", "TaskExit", "TaskAlarm")
VOD_ONLY_EVENTS = ("VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig")
CALLBACK_EVENTS = LIVE_EVENTS + VOD_ONLY_EVENTS
REFRESH_TYPES = ("immediate_new_source", "continue_from_file_start", "continue_from_break_point")
STATUSES = ("enable", "pause")
VOD_ONLY_FIELDS = ("vod_loop_time", "vod_refresh_type", "vod_start_video_index", "vod_start_video_time")

# ModifyPullTask refuses these by name, so a client that tries to change them in place learns that it
# needs a replacement.
CREATE_ONLY = (
    "region",
    "source_type",
    "domain",
    "app_name",
    "stream_name",
    "destination_url",
    "push_args",
    "callback_url",
    "backup_source_type",
    "backup_source_urls",
)

INVALID_PARAMETER = "LIVE.100011001"

# URL and destination rules: the emulator's choice where the pages are silent (the provider's check
# enforces the same).
MAX_URL = 2048
SOURCE_SCHEMES = ("http", "https", "rtmp", "rtmps", "rtsp", "srt")
DESTINATION_SCHEMES = ("rtmp", "rtmps", "srt")
CALLBACK_SCHEMES = ("http", "https")
MAX_PUSH_ARGS = 2048
# The destination parts become the path of the push URL: printable ASCII without a path, query or
# fragment separator.
DESTINATION_PARTS = {"domain": 255, "app_name": 128, "stream_name": 512}
_NOT_IN_PARTS = set("/?#")

_RFC3339_RULE = "must be an RFC 3339 time such as 2006-01-02T15:04:05Z"


def invalid(field: str, rule: str) -> ApiFault:
    return ApiFault(400, INVALID_PARAMETER, f"Request Illegal: {field}: {rule}")


def require_object(body: Any) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise invalid("body", "must be a JSON object")
    return body


def optional_string(body: Mapping[str, Any], name: str, max_len: int | None = None) -> str | None:
    """A string field; `""` counts as absent (the API reads empty and missing alike)."""
    return params.string(body, name, invalid, max_len=max_len)


def enum(body: Mapping[str, Any], name: str, allowed: tuple[str, ...]) -> str | None:
    return params.enum(body, name, allowed, invalid)


def integer(body: Mapping[str, Any], name: str, low: int, high: int) -> int | None:
    return params.integer(body, name, low, high, invalid)


def time_value(body: Mapping[str, Any], name: str) -> datetime | None:
    """An RFC 3339 time with `Z` or an offset (the official SDK sends `+00:00`); `""` is absent."""
    return params.time_value(body, name, invalid, timefmt.parse_rfc3339, _RFC3339_RULE)


def url_list(body: Mapping[str, Any], name: str, max_items: int) -> list[str] | None:
    """A list of source URLs (source_urls, backup_source_urls), each checked on its own."""
    urls = params.string_list(body, name, invalid, max_items=max_items)
    for position, url in enumerate(urls or ()):
        params.check_url(url, f"{name}[{position}]", invalid, schemes=SOURCE_SCHEMES, max_len=MAX_URL)
    return urls


def destination_url(body: Mapping[str, Any]) -> str | None:
    url = optional_string(body, "destination_url")
    if url is not None:
        params.check_url(url, "destination_url", invalid, schemes=DESTINATION_SCHEMES, max_len=MAX_URL)
    return url


def callback_url(body: Mapping[str, Any]) -> str | None:
    """An http(s) URL, or the scheme-less `host[:port][/path]` form the page's example shows."""
    url = optional_string(body, "callback_url")
    if url is not None:
        params.check_url(url, "callback_url", invalid, schemes=CALLBACK_SCHEMES, max_len=MAX_URL, bare_host=True)
    return url


def push_args(body: Mapping[str, Any]) -> str | None:
    value = optional_string(body, "push_args", MAX_PUSH_ARGS)
    if value is not None and not params.is_printable_ascii(value):
        raise invalid("push_args", "must hold printable ASCII characters only (no spaces or control characters)")
    return value


def destination_part(body: Mapping[str, Any], name: str) -> str | None:
    value = optional_string(body, name, DESTINATION_PARTS[name])
    if value is not None and (not params.is_printable_ascii(value) or _NOT_IN_PARTS & set(value)):
        raise invalid(name, "must hold printable ASCII characters other than /, ? and # only")
    return value


def loop_time(body: Mapping[str, Any]) -> str | None:
    """`"-1"` loops until end_time, `"N"` plays N rounds; `""` or absent means the default."""
    value = optional_string(body, "vod_loop_time")
    if value is None:
        return None
    rounds = params.parse_decimal(value)
    if rounds is None or not (rounds == -1 or rounds > 0):
        raise invalid(
            "vod_loop_time", f'must be "-1" or a positive number of rounds such as "3", got {params.shown(value)}'
        )
    return value


def callback_events(body: Mapping[str, Any]) -> list[str] | None:
    value = body.get("callback_events")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise invalid("callback_events", "must be a list of strings")
    for event in value:
        if event not in CALLBACK_EVENTS:
            raise invalid("callback_events", f"must hold only {', '.join(CALLBACK_EVENTS)}, got {params.shown(event)}")
    return list(value)


def check_playlist(source_type: str, urls: list[str] | None) -> list[str]:
    if not urls:
        raise invalid("source_urls", "is required (1 URL for PullLivePushLive, 1 to 30 for PullVodPushLive)")
    if source_type == LIVE and len(urls) != 1:
        raise invalid("source_urls", f"a PullLivePushLive task takes exactly 1 URL, got {len(urls)}")
    return urls


def check_vod_rules(task: Mapping[str, Any]) -> None:
    """Rules that tie fields to the source type and to the playlist, on the task as it would be."""
    source_type = task["source_type"]
    if source_type == LIVE:
        for name in VOD_ONLY_FIELDS:
            if task.get(name) is not None:
                raise invalid(name, "applies to PullVodPushLive tasks only")
        for event in task.get("callback_events") or ():
            if event in VOD_ONLY_EVENTS:
                raise invalid("callback_events", f"{event} applies to PullVodPushLive tasks only")
    index = task.get("vod_start_video_index")
    urls = len(task.get("source_urls") or ())
    if index is not None and index > urls - 1:
        raise invalid("vod_start_video_index", f"must be at most len(source_urls) - 1 = {urls - 1}, got {index}")


def check_times(start: datetime, end: datetime, now: datetime, *, end_is_new: bool) -> None:
    if end <= start:
        raise invalid("end_time", "must be later than start_time")
    if end - start > MAX_SPAN:
        raise invalid("end_time", "must be at most 7 days after start_time")
    # Only an end time being set now must lie ahead; an old task stays manageable after it ends.
    if end_is_new and end <= now:
        raise invalid("end_time", f"must be later than now ({timefmt.format_utc(now)})")


def check_destination(body: Mapping[str, Any]) -> dict[str, str]:
    """destination_url, or all of domain/app_name/stream_name — never both."""
    parts = {name: destination_part(body, name) for name in DESTINATION_PARTS}
    url = destination_url(body)
    if url is not None:
        for name, value in parts.items():
            if value is not None:
                raise invalid(name, "must be empty or absent when destination_url is set (mutually exclusive)")
        return {"destination_url": url}
    for name, value in parts.items():
        if value is None:
            raise invalid(name, "is required unless destination_url is set")
    return {name: value for name, value in parts.items() if value is not None}


def check_page(offset: str | None, limit: str | None) -> tuple[int, int]:
    """ListPullTasks paging: offset 0..2147483647 (default 0), limit 1..100 (default 10)."""
    query = {"offset": offset, "limit": limit}
    start = params.integer_text(query, "offset", 0, MAX_OFFSET, invalid)
    size = params.integer_text(query, "limit", 1, MAX_LIMIT, invalid)
    return (0 if start is None else start), (10 if size is None else size)
