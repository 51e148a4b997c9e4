"""Alibaba ApsaraVideo Live's documented input rules (docs/api-notes.md, "Alibaba: task fields and limits"),
as the emulator enforces them.

Parameters arrive as strings (query string or form body). A malformed or missing parameter is an
ApiFault 400 `InvalidParameter` whose message names the parameter; the time-ordering rules
(end > start, end > now, span ≤ 7 days) are 400 `InvalidParam.CodeIllegalDuration`, also naming it.
Region must be one of the five live centres; SourceProtocol one of the five values listed in
docs/api-notes.md, "Alibaba: task fields and limits" (the SDK's comments also mention `hls`, which is
not listed there, so it is refused).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from ..core import timefmt
from ..errors import ApiFault

INVALID_PARAMETER = "InvalidParameter"
ILLEGAL_DURATION = "InvalidParam.CodeIllegalDuration"

REGIONS = ("ap-southeast-1", "ap-southeast-5", "cn-beijing", "cn-shanghai", "cn-shenzhen")
LIVE = "live"
SOURCE_TYPES = (LIVE, "vod", "url")
SOURCE_PROTOCOLS = ("rtmp", "rtsp", "srt", "http-flv", "flv")
MAX_PLAYLIST = 30
MAX_URL = 2000
MAX_SPAN = timedelta(days=7)
MAX_INT32 = 2_147_483_647
MAX_PAGE_SIZE = 100
RETRY_INTERVAL = (60, 300)

Params = Mapping[str, str]

# The API writes times as yyyy-MM-ddTHH:mm:ssZ and nothing else.
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_INTEGER = re.compile(r"^-?\d+$")


def invalid(name: str, rule: str) -> ApiFault:
    return ApiFault(400, INVALID_PARAMETER, f"The specified parameter {name} is invalid: {rule}")


def illegal_duration(name: str, rule: str) -> ApiFault:
    return ApiFault(400, ILLEGAL_DURATION, f"The task duration is illegal: {name} {rule}")


def text(params: Params, name: str, *, max_len: int | None = None, required: bool = False) -> str | None:
    """A string parameter; `""` counts as absent (the API reads empty and missing alike)."""
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise invalid(name, "is required")
        return None
    if max_len is not None and len(value) > max_len:
        raise invalid(name, f"must be at most {max_len} characters long, got {len(value)}")
    return value


def required(params: Params, name: str) -> str:
    value = text(params, name, required=True)
    assert value is not None  # text() raised otherwise
    return value


def enum(params: Params, name: str, allowed: tuple[str, ...], *, is_required: bool = False) -> str | None:
    value = text(params, name, required=is_required)
    if value is not None and value not in allowed:
        raise invalid(name, f"must be one of {', '.join(allowed)}, got {value!r}")
    return value


def region(params: Params) -> str:
    """`Region` (the live centre) is required on every call."""
    value = enum(params, "Region", REGIONS, is_required=True)
    assert value is not None
    return value


def integer(params: Params, name: str, low: int, high: int = MAX_INT32) -> int | None:
    value = text(params, name)
    if value is None:
        return None
    if not _INTEGER.match(value):
        raise invalid(name, f"must be an integer, got {value!r}")
    number = int(value)
    if not low <= number <= high:
        raise invalid(name, f"must be between {low} and {high}, got {number}")
    return number


def time_value(params: Params, name: str, *, is_required: bool = False) -> datetime | None:
    value = text(params, name, required=is_required)
    if value is None:
        return None
    try:
        if not _TIME.match(value):
            raise ValueError(value)
        return datetime.strptime(value, timefmt.UTC_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise invalid(name, f"must be a UTC time in the form yyyy-MM-ddTHH:mm:ssZ, got {value!r}") from None


def source_urls(params: Params) -> list[str] | None:
    """`SourceUrls` arrives as a JSON-encoded array of strings (both SDKs send it so)."""
    value = text(params, "SourceUrls")
    if value is None:
        return None
    try:
        urls = json.loads(value)
    except json.JSONDecodeError:
        raise invalid("SourceUrls", 'must be a JSON array of URLs such as ["rtmp://host/app/stream"]') from None
    if not isinstance(urls, list) or not all(isinstance(url, str) and url for url in urls):
        raise invalid("SourceUrls", "must be a JSON array of non-empty strings")
    for url in urls:
        if len(url) > MAX_URL:
            raise invalid("SourceUrls", f"each URL must be at most {MAX_URL} characters long")
    return urls


def dst_url(params: Params) -> str:
    value = required(params, "DstUrl")
    if len(value) > MAX_URL:
        raise invalid("DstUrl", f"must be at most {MAX_URL} characters long, got {len(value)}")
    if not value.lower().startswith("rtmp://"):
        raise invalid("DstUrl", f"must be an rtmp:// URL, got {value[:40]!r}")
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
    if end - start > MAX_SPAN:
        raise illegal_duration("EndTime", "must be at most 7 days after StartTime")
    if end_is_new and end <= now:
        raise illegal_duration("EndTime", f"must be later than now ({timefmt.format_utc(now)})")


def page(params: Params) -> tuple[int, int]:
    """DescribeLivePullToPushList paging: PageNumber > 0 (default 1), PageSize 1..100 (default 10)."""
    number = integer(params, "PageNumber", 1)
    size = integer(params, "PageSize", 1, MAX_PAGE_SIZE)
    return (1 if number is None else number), (10 if size is None else size)
