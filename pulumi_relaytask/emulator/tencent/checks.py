"""Tencent Live's documented input rules (docs/api-notes.md, "Tencent: task fields and limits" and
docs/api-notes.md, "Tencent: errors"), as the emulator enforces them.

Every violation is an ApiFault carrying a Tencent error code (`MissingParameter`, `InvalidParameter`,
`InvalidParameter.InvalidSourceUrl`, ...) and a message that starts with the field's name, so a
test (or a user of the emulator) sees exactly which rule a request broke. The HTTP status of these
faults is irrelevant: Tencent answers every error with HTTP 200.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from typing import Any

from ...core import timefmt
from ...errors import ApiFault
from .. import params
from ..params import Refuse

LIVE = "PullLivePushLive"
VOD = "PullVodPushLive"
PICTURE = "PullPicPushLive"
SOURCE_TYPES = (LIVE, VOD, PICTURE)
BACKUP_SOURCE_TYPES = (LIVE, VOD)
REGIONS = (
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
)
STATUSES = ("enable", "pause")
REFRESH_TYPES = ("ImmediateNewSource", "ContinueBreakPoint")
LIVE_EVENTS = ("TaskStart", "TaskExit", "TaskAlarm")
VOD_ONLY_EVENTS = ("VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig")
CALLBACK_EVENTS = LIVE_EVENTS + VOD_ONLY_EVENTS
# Playlist settings: refused on a live or picture task, as the provider's check does (project choice).
VOD_ONLY_FIELDS = ("VodLoopTimes", "VodRefreshType", "FileIndex", "OffsetTime", "VodLocalMode")
SOURCE_SCHEMES = ("http", "https", "rtmp", "rtmps", "rtsp", "srt")  # the SDK's documented pull protocols
TO_URL_SCHEMES = ("rtmp", "rtmps", "rtsp", "rtp", "srt")
CALLBACK_SCHEMES = ("http", "https")
WATERMARK_FIELDS = ("PictureUrl", "XPosition", "YPosition", "Width", "Height", "Location")
WATERMARK_FORBIDDEN = set(";(){}$>`#\"'|")  # characters the SDK says a PictureUrl must not contain

MAX_PLAYLIST = 30
# Every URL parameter: printable ASCII, at most this long (the emulator's choice; the pages give no
# length, and the provider's check enforces the same).
MAX_URL = 2048
MAX_SPAN = timedelta(days=30)
MAX_COMMENT_BYTES = 512
MAX_WATERMARKS = 4
MAX_INT32 = 2_147_483_647
LIMIT_TASK_NUM = 200
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 20

MISSING_PARAMETER = "MissingParameter"
INVALID_PARAMETER = "InvalidParameter"
INVALID_PARAMETER_VALUE = "InvalidParameterValue"
INVALID_SOURCE_URL = "InvalidParameter.InvalidSourceUrl"
INVALID_TO_URL = "InvalidParameter.InvalidToUrl"
INVALID_TASK_TIME = "InvalidParameter.InvalidTaskTime"
INVALID_CALLBACK_URL = "InvalidParameter.InvalidCallbackUrl"
INVALID_WATERMARK = "InvalidParameter.InvalidWatermark"
TASK_NOT_EXIST = "InvalidParameter.TaskNotExist"
MAXIMUM_TASK = "LimitExceeded.MaximumTask"


def fault(code: str, field: str, rule: str) -> ApiFault:
    return ApiFault(400, code, f"{field}: {rule}")


def invalid(field: str, rule: str, code: str = INVALID_PARAMETER) -> ApiFault:
    return fault(code, field, rule)


def coded(code: str) -> Refuse:
    """The error factory for parameters whose refusal carries their own code."""
    return lambda field, rule: fault(code, field, rule)


def missing(field: str, rule: str = "is required") -> ApiFault:
    return fault(MISSING_PARAMETER, field, rule)


def task_not_exist(task_id: str) -> ApiFault:
    return fault(TASK_NOT_EXIST, "TaskId", f"task {params.shown(task_id)} does not exist")


# -- shapes -----------------------------------------------------------------------------------------


def require_object(values: Any) -> Mapping[str, Any]:
    if not isinstance(values, Mapping):
        raise invalid("body", "must be a JSON object")
    return values


def sent(values: Mapping[str, Any], name: str) -> bool:
    """Whether the field was sent (a JSON null counts as absent, as the SDKs never send one)."""
    return values.get(name) is not None


def reject_unknown(
    values: Mapping[str, Any], allowed: Collection[str], action: str, create_only: Collection[str] = ()
) -> None:
    for name in values:
        if name in allowed or values[name] is None:
            continue
        if name in create_only:
            raise invalid(name, f"cannot be changed by {action} (create a new task instead)")
        raise invalid(params.shown(name), f"is not a parameter of {action}")


def required_string(values: Mapping[str, Any], name: str) -> str:
    """A required string; absent or `""` is MissingParameter."""
    value = string(values, name)
    if not value:
        raise missing(name)
    return value


def string(values: Mapping[str, Any], name: str, code: str = INVALID_PARAMETER) -> str | None:
    """An optional string, kept as sent (`""` included: on a modify it clears the field)."""
    return params.string(values, name, coded(code), keep_empty=True)


def enum(values: Mapping[str, Any], name: str, allowed: tuple[str, ...], *, allow_empty: bool = False) -> str | None:
    """One of `allowed`; `""` passes only where it means "unset" / "clear" (allow_empty)."""
    value = string(values, name)
    if value == "" and allow_empty:
        return value
    if value is not None and value not in allowed:
        raise invalid(name, f"must be one of {', '.join(allowed)}, got {params.shown(value)}")
    return value


def integer(values: Mapping[str, Any], name: str, low: int, high: int, code: str = INVALID_PARAMETER) -> int | None:
    return params.integer(values, name, low, high, coded(code))


def url(value: str, name: str, schemes: tuple[str, ...], code: str) -> str:
    return params.check_url(value, name, coded(code), schemes=schemes, max_len=MAX_URL)


# -- fields -----------------------------------------------------------------------------------------


def source_urls(values: Mapping[str, Any]) -> list[str] | None:
    urls = params.string_list(values, "SourceUrls", coded(INVALID_SOURCE_URL))
    for position, item in enumerate(urls or ()):
        url(item, f"SourceUrls[{position}]", SOURCE_SCHEMES, INVALID_SOURCE_URL)
    return urls


def check_source_urls(source_type: str, urls: list[str]) -> list[str]:
    """1 URL for a live stream or a picture, 1 to 30 files (the playlist, in order) for VOD."""
    most = MAX_PLAYLIST if source_type == VOD else 1
    if not 1 <= len(urls) <= most:
        wanted = "1 to 30 URLs" if source_type == VOD else "exactly 1 URL"
        raise invalid("SourceUrls", f"a {source_type} task takes {wanted}, got {len(urls)}", INVALID_SOURCE_URL)
    return urls


def to_url(values: Mapping[str, Any]) -> str | None:
    value = string(values, "ToUrl", INVALID_TO_URL)
    if value:
        url(value, "ToUrl", TO_URL_SCHEMES, INVALID_TO_URL)
    return value


def backup_to_url(values: Mapping[str, Any]) -> str | None:
    """A URL the pages give no scheme for: printable ASCII and MAX_URL only."""
    value = string(values, "BackupToUrl")
    if value and (len(value) > MAX_URL or not params.is_printable_ascii(value)):
        raise invalid("BackupToUrl", f"must be at most {MAX_URL} printable ASCII characters (no spaces)")
    return value


def time_value(values: Mapping[str, Any], name: str) -> datetime | None:
    """ISO 8601 in UTC with `Z` (an explicit offset is accepted too); `""` is absent."""
    rule = "must be a UTC time such as 2019-01-08T10:00:00Z"
    return params.time_value(values, name, coded(INVALID_TASK_TIME), timefmt.parse_rfc3339, rule)


def check_times(start: datetime, end: datetime, now: datetime, *, end_is_new: bool) -> None:
    if end <= start:
        raise invalid("EndTime", "must be later than StartTime", INVALID_TASK_TIME)
    if end - start >= MAX_SPAN:
        raise invalid("EndTime", "must be less than 30 days after StartTime", INVALID_TASK_TIME)
    # Only an end time being set now must lie ahead; an expired task stays manageable.
    if end_is_new and end <= now:
        raise invalid("EndTime", f"must be later than now ({timefmt.format_utc(now)})", INVALID_TASK_TIME)


def loop_times_text(values: Mapping[str, Any]) -> int | None:
    """Create's VodLoopTimes: a *string*, "-1" (loop until EndTime), "0" (play once) or "N"."""
    value = values.get("VodLoopTimes")
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise invalid("VodLoopTimes", 'must be a string on CreateLivePullStreamTask, such as "-1" or "3"')
    loops = params.parse_decimal(value)
    if loops is None or not -1 <= loops <= MAX_INT32:
        raise invalid("VodLoopTimes", f'must be "-1", "0" or a number of loops, got {params.shown(value)}')
    return loops


def loop_times_int(values: Mapping[str, Any]) -> int | None:
    """Modify's VodLoopTimes: an *integer*, -1, 0 or N."""
    return integer(values, "VodLoopTimes", -1, MAX_INT32)


def callback_events(values: Mapping[str, Any]) -> list[str] | None:
    value = values.get("CallbackEvents")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise invalid("CallbackEvents", "must be a list of strings")
    for event in value:
        if event not in CALLBACK_EVENTS:
            raise invalid("CallbackEvents", f"must hold only {', '.join(CALLBACK_EVENTS)}, got {params.shown(event)}")
    return list(value)


def check_events_for(source_type: str, events: list[str]) -> None:
    # File events make sense only for a playlist; a live stream or a picture has no files.
    if source_type != VOD:
        for event in events:
            if event in VOD_ONLY_EVENTS:
                raise invalid("CallbackEvents", f"{event} applies to PullVodPushLive tasks only")


def check_fields_for(source_type: str, sent_names: Collection[str]) -> None:
    # Playlist settings make sense only for a playlist, like the file events above.
    if source_type != VOD:
        for name in VOD_ONLY_FIELDS:
            if name in sent_names:
                raise invalid(name, f"applies to {VOD} tasks only")


def callback_url(values: Mapping[str, Any]) -> str | None:
    value = string(values, "CallbackUrl", INVALID_CALLBACK_URL)
    if value:
        url(value, "CallbackUrl", CALLBACK_SCHEMES, INVALID_CALLBACK_URL)
    return value


def comment(values: Mapping[str, Any]) -> str | None:
    value = string(values, "Comment")
    if value is not None and len(value.encode("utf-8")) > MAX_COMMENT_BYTES:
        raise invalid("Comment", f"must be at most {MAX_COMMENT_BYTES} bytes, got {len(value.encode('utf-8'))}")
    return value


def watermarks(values: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """At most 4 of {PictureUrl, XPosition, YPosition, Width, Height, Location 0..3}; `[]` clears."""
    value = values.get("WatermarkList")
    if value is None:
        return None
    if not isinstance(value, list):
        raise invalid("WatermarkList", "must be a list of watermark objects", INVALID_WATERMARK)
    if len(value) > MAX_WATERMARKS:
        raise invalid(
            "WatermarkList", f"takes at most {MAX_WATERMARKS} watermarks, got {len(value)}", INVALID_WATERMARK
        )
    return [_watermark(item, position) for position, item in enumerate(value)]


def _watermark(item: Any, position: int) -> dict[str, Any]:
    where = f"WatermarkList[{position}]"
    refuse = coded(INVALID_WATERMARK)
    if not isinstance(item, Mapping):
        raise refuse(where, "must be an object")
    for name in item:
        if name not in WATERMARK_FIELDS and item[name] is not None:
            raise refuse(f"{where}.{params.shown(name)}", f"is not a watermark field ({', '.join(WATERMARK_FIELDS)})")
    picture = params.string(item, "PictureUrl", refuse)
    if picture is None:
        raise refuse(f"{where}.PictureUrl", "is required: an http or https URL")
    url(picture, f"{where}.PictureUrl", CALLBACK_SCHEMES, INVALID_WATERMARK)
    if WATERMARK_FORBIDDEN & set(picture):
        raise refuse(f"{where}.PictureUrl", "must not contain any of ;(){}$>`#\"'|")
    mark: dict[str, Any] = {"PictureUrl": picture}
    for name, high in (("XPosition", 100), ("YPosition", 100), ("Width", 100), ("Height", 100), ("Location", 3)):
        number = params.integer(item, name, 0, high, lambda field, rule: refuse(f"{where}.{field}", rule))
        if number is not None:
            mark[name] = number
    return mark


def check_file_index(index: int | None, urls: list[str]) -> None:
    # FileIndex counts from 1, unlike Huawei's vod_start_video_index.
    if index is not None and index > len(urls):
        raise invalid("FileIndex", f"must be between 1 and the number of SourceUrls ({len(urls)}), got {index}")


def check_backup(source_type: str, backup_type: str, backup_url: str) -> None:
    """Both or neither of BackupSourceType/BackupSourceUrl, and only behind a live main source."""
    if not backup_type and not backup_url:
        return
    if not backup_type:
        raise invalid("BackupSourceType", "is required with BackupSourceUrl")
    if not backup_url:
        raise invalid("BackupSourceUrl", "is required with BackupSourceType")
    if source_type != LIVE:
        raise invalid("BackupSourceType", "applies only when the main SourceType is PullLivePushLive")
    url(backup_url, "BackupSourceUrl", SOURCE_SCHEMES, INVALID_SOURCE_URL)


def check_region(region: str | None) -> str:
    if not region:
        raise missing("Region", "is required (the X-TC-Region header)")
    if region not in REGIONS:
        raise invalid(
            "Region", f"must be one of {', '.join(REGIONS)}, got {params.shown(region)}", INVALID_PARAMETER_VALUE
        )
    return region


def check_page(values: Mapping[str, Any]) -> tuple[int, int]:
    """DescribeLivePullStreamTasks paging: PageNum >= 1 (default 1), PageSize 1..20 (default 10)."""
    page = integer(values, "PageNum", 1, MAX_INT32, INVALID_PARAMETER_VALUE)
    size = integer(values, "PageSize", 1, MAX_PAGE_SIZE, INVALID_PARAMETER_VALUE)
    return page or 1, size or DEFAULT_PAGE_SIZE
