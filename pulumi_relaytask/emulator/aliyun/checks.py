"""Alibaba ApsaraVideo Live's documented input rules (docs/api-notes.md, "Alibaba: task fields and limits"),
as the emulator enforces them.

Parameters arrive as strings (query string or form body). A malformed or missing parameter is an
ApiFault 400 `InvalidParameter` whose message names the parameter; the time-ordering rules
(end > start, end > now) are 400 `InvalidParam.CodeIllegalDuration`, also naming it. The pages set
no maximum span (the list example shows a 26-day task), so there is none. Region must be one of the
five live centres; SourceProtocol one of the five values listed in docs/api-notes.md,
"Alibaba: task fields and limits" (the SDK's comments also mention `hls`, which is not listed
there, so it is refused).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime

from ...core import timefmt
from ...errors import ApiFault
from .. import params

INVALID_PARAMETER = "InvalidParameter"
ILLEGAL_DURATION = "InvalidParam.CodeIllegalDuration"

REGIONS = ("ap-southeast-1", "ap-southeast-5", "cn-beijing", "cn-shanghai", "cn-shenzhen")
LIVE = "live"
SOURCE_TYPES = (LIVE, "vod", "url")
SOURCE_PROTOCOLS = ("rtmp", "rtsp", "srt", "http-flv", "flv")
MAX_PLAYLIST = 30
MAX_URL = 2000
MAX_INT32 = 2_147_483_647
MAX_PAGE_SIZE = 100
RETRY_INTERVAL = (60, 300)
# The emulator's choices where the pages are silent (the provider's check enforces the same):
SOURCE_SCHEMES = ("http", "https", "rtmp", "rtmps", "rtsp", "srt")
DST_SCHEMES = ("rtmp",)
CALLBACK_SCHEMES = ("http", "https")
# The SDKs send every parameter in the URL query: all SourceUrls together stay well below the 64 KiB
# request line of common HTTP stacks.
MAX_SOURCE_URLS_TOTAL = 10_000
MAX_TASK_NAME = 128

Params = Mapping[str, str]

# The API writes times as yyyy-MM-ddTHH:mm:ssZ and nothing else.
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_TIME_RULE = "must be a UTC time in the form yyyy-MM-ddTHH:mm:ssZ"


def invalid(name: str, rule: str) -> ApiFault:
    return ApiFault(400, INVALID_PARAMETER, f"The specified parameter {name} is invalid: {rule}")


def illegal_duration(name: str, rule: str) -> ApiFault:
    return ApiFault(400, ILLEGAL_DURATION, f"The task duration is illegal: {name} {rule}")


def text(values: Params, name: str, *, max_len: int | None = None, required: bool = False) -> str | None:
    """A string parameter; `""` counts as absent (the API reads empty and missing alike)."""
    value = params.string(values, name, invalid, max_len=max_len)
    if value is None and required:
        raise invalid(name, "is required")
    return value


def required(values: Params, name: str) -> str:
    value = text(values, name, required=True)
    assert value is not None  # text() raised otherwise
    return value


def enum(values: Params, name: str, allowed: tuple[str, ...], *, is_required: bool = False) -> str | None:
    if is_required:
        required(values, name)
    return params.enum(values, name, allowed, invalid)


def region(values: Params) -> str:
    """`Region` (the live centre) is required on every call."""
    value = enum(values, "Region", REGIONS, is_required=True)
    assert value is not None
    return value


def integer(values: Params, name: str, low: int, high: int = MAX_INT32) -> int | None:
    return params.integer_text(values, name, low, high, invalid)


def _parse_time(value: str) -> datetime:
    if _TIME.fullmatch(value) is None:
        raise ValueError(value)
    return datetime.strptime(value, timefmt.UTC_FORMAT).replace(tzinfo=UTC)


def time_value(values: Params, name: str, *, is_required: bool = False) -> datetime | None:
    if is_required:
        required(values, name)
    return params.time_value(values, name, invalid, _parse_time, _TIME_RULE)


def task_name(values: Params) -> str | None:
    """1 to 128 characters, none of them a control character."""
    value = text(values, "TaskName", max_len=MAX_TASK_NAME)
    if value is not None and params.has_control_characters(value):
        raise invalid("TaskName", "must not contain control characters")
    return value


def source_urls(values: Params) -> list[str] | None:
    """`SourceUrls` arrives as a JSON-encoded array of strings (both SDKs send it so)."""
    value = text(values, "SourceUrls")
    if value is None:
        return None
    try:
        urls = json.loads(value)
    except (ValueError, RecursionError):
        raise invalid("SourceUrls", 'must be a JSON array of URLs such as ["rtmp://host/app/stream"]') from None
    if not isinstance(urls, list) or not all(isinstance(url, str) and url for url in urls):
        raise invalid("SourceUrls", "must be a JSON array of non-empty strings")
    for position, url in enumerate(urls):
        params.check_url(url, f"SourceUrls[{position}]", invalid, schemes=SOURCE_SCHEMES, max_len=MAX_URL)
    total = sum(len(url) for url in urls)
    if total > MAX_SOURCE_URLS_TOTAL:
        raise invalid("SourceUrls", f"must be at most {MAX_SOURCE_URLS_TOTAL} characters together, got {total}")
    return urls


def dst_url(values: Params) -> str:
    value = required(values, "DstUrl")
    return params.check_url(value, "DstUrl", invalid, schemes=DST_SCHEMES, max_len=MAX_URL)


def callback_url(values: Params) -> str | None:
    """An http(s) URL, or the scheme-less `host[:port][/path]` form."""
    value = text(values, "CallbackUrl")
    if value is not None:
        params.check_url(value, "CallbackUrl", invalid, schemes=CALLBACK_SCHEMES, max_len=MAX_URL, bare_host=True)
    return value


def check_playlist(source_type: str, urls: list[str] | None) -> list[str]:
    if not urls:
        raise invalid("SourceUrls", "is required (1 URL for live, 1 to 30 for vod and url)")
    if source_type == LIVE and len(urls) != 1:
        raise invalid("SourceUrls", f"a live task takes exactly 1 URL, got {len(urls)}")
    if len(urls) > MAX_PLAYLIST:
        raise invalid("SourceUrls", f"takes at most {MAX_PLAYLIST} URLs, got {len(urls)}")
    return urls


def check_file_index(file_index: int, urls: list[str]) -> None:
    if file_index > len(urls) - 1:
        raise invalid("FileIndex", f"must be at most the number of SourceUrls - 1 = {len(urls) - 1}, got {file_index}")


def check_times(start: datetime, end: datetime, now: datetime, *, end_is_new: bool) -> None:
    if end <= start:
        raise illegal_duration("EndTime", "must be later than StartTime")
    if end_is_new and end <= now:
        raise illegal_duration("EndTime", f"must be later than now ({timefmt.format_utc(now)})")


def page(values: Params) -> tuple[int, int]:
    """DescribeLivePullToPushList paging: PageNumber > 0 (default 1), PageSize 1..100 (default 10)."""
    number = integer(values, "PageNumber", 1)
    size = integer(values, "PageSize", 1, MAX_PAGE_SIZE)
    return (1 if number is None else number), (10 if size is None else size)
