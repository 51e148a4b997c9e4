"""Bad input is refused at check, naming the field, before any call (issue "Bad input and hostile input").

Every test starts from a valid spec (tests/strategies.py, built from each model's rules around a fixed
clock) and breaks one documented rule: a wrong type, one past either bound of a range, a value outside
an enum, a wrong URL scheme or form or character, a list or string one too long or short, a bad time
form or window, exclusive fields set together, a dependent field missing, a VOD-only field on a live
task, an unknown name. `check` must answer at least one failure, each one naming the broken field (or,
for a rule across fields, one of the fields involved) with a non-empty rule, and must never build the
cloud's operations (no credentials, no API call).

Each mutation runs by name on fixed specs (so no rule can go untested), and hypothesis draws mutations
onto generated specs. Rules check still lets through are strict expected failures naming the bug: they
start failing, as a reminder to drop the mark, once the bug is fixed.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pulumi_relaytask import clouds
from pulumi_relaytask.core.clock import FixedClock
from pulumi_relaytask.core.fields import TimeMark, unannotated
from pulumi_relaytask.core.lifecycle import Lifecycle, Operations
from pulumi_relaytask.core.model import INT32_MAX
from pulumi_relaytask.errors import ValidationError
from pulumi_relaytask.huawei import model as huawei
from pulumi_relaytask.tencent import model as tencent

from ..strategies import (
    KEYS,
    MODELS,
    Mutation,
    Spec,
    Tally,
    blamed,
    mutations,
    utc,
    valid_specs,
    write_report,
)

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
TALLY = Tally()
SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    write_report("unit/test_check_rejects", TALLY)


def _url(scheme: str, length: int, index: int = 0) -> str:
    base = f"{scheme}://h{index}.example.com/"
    return base + "a" * (length - len(base))


def _playlist(count: int, scheme: str = "http") -> list[str]:
    return [f"{scheme}://media.example.com/{i}.mp4" for i in range(count)]


# Two fixed valid specs per cloud: a playlist with most optional arguments, and a plain live relay.
BASES: dict[str, list[Spec]] = {
    "huawei": [
        {
            "source_type": "PullVodPushLive",
            "source_urls": _playlist(3),
            "domain": "push.example.com",
            "app_name": "live",
            "stream_name": "channel-1",
            "push_args": "token=abc",
            "start_time": utc(NOW + HOUR),
            "end_time": utc(NOW + timedelta(days=1)),
            "callback_url": "callback.example.com",
            "callback_events": ["TaskStart", "VodSourceFileStart"],
            "vod_loop_time": "3",
            "vod_refresh_type": "continue_from_break_point",
            "vod_start_video_index": 2,
            "vod_start_video_time": 30,
            "status": "pause",
            "region": "cn-north-4",
        },
        {
            "source_type": "PullLivePushLive",
            "source_urls": ["rtmp://origin.example.com/live/a"],
            "destination_url": "rtmp://push.example.com/live/b",
            "backup_source_type": "PullLivePushLive",
            "backup_source_urls": ["rtmp://backup.example.com/live/a"],
            "end_time": "2026-11-24T08:00:00+08:00",
        },
    ],
    "tencent": [
        {
            "source_type": "PullVodPushLive",
            "source_urls": _playlist(3),
            "domain_name": "push.example.com",
            "app_name": "live",
            "stream_name": "channel-1",
            "start_time": utc(NOW + HOUR),
            "end_time": utc(NOW + timedelta(days=1)),
            "operator": "ops",
            "comment": "weekly loop",
            "callback_url": "https://callback.example.com/hook",
            "callback_events": ["TaskStart", "VodSourceFileFinish"],
            "vod_loop_times": 3,
            "vod_refresh_type": "ContinueBreakPoint",
            "file_index": 2,
            "offset_time": 30,
            "watermark_list": [{"picture_url": "http://img.example.com/w.png", "x_position": 5, "location": 1}],
            "vod_local_mode": 1,
            "status": "pause",
            "region": "ap-guangzhou",
        },
        {
            "source_type": "PullLivePushLive",
            "source_urls": ["rtmp://origin.example.com/live/a"],
            "to_url": "rtmp://push.example.com/live/b",
            "backup_source_type": "PullVodPushLive",
            "backup_source_url": "http://media.example.com/fallback.mp4",
            "start_time": "2026-11-23T20:00:00+08:00",
            "end_time": "2026-11-24T20:00:00+08:00",
        },
    ],
    "aliyun": [
        {
            "task_name": "taskname",
            "source_type": "url",
            "source_protocol": "flv",
            "source_urls": _playlist(3),
            "dst_url": "rtmp://push.example.com/live/loop",
            "start_time": utc(NOW + HOUR),
            "end_time": utc(NOW + timedelta(days=26)),
            "callback_url": "hahaha.com",
            "repeat_number": -1,
            "retry_count": 3,
            "retry_interval": 60,
            "file_index": 2,
            "offset": 0,
            "region": "cn-shanghai",
        },
        {
            "source_type": "live",
            "source_protocol": "rtmp",
            "source_urls": ["rtmp://origin.example.com/live/a"],
            "dst_url": "rtmp://push.example.com/live/b",
            "start_time": utc(NOW - HOUR),
            "end_time": utc(NOW + HOUR),
            "status": "pause",
        },
    ],
}


def planner(key: str) -> tuple[Lifecycle, list[str]]:
    """A cloud's lifecycle whose operations cannot be built: check must need none."""
    built: list[str] = []

    def no_operations() -> Operations:
        built.append(key)
        raise AssertionError("check built the cloud's operations: it must make no API call")

    cloud = clouds.cloud(key)
    return Lifecycle(cloud.rules, cloud.model, no_operations, clock=FixedClock(NOW)), built


def check(key: str, spec: Spec) -> list[ValidationError]:
    lifecycle, built = planner(key)
    try:
        _, failures = lifecycle.check({}, spec)
    except Exception:
        TALLY.raw_exceptions += 1
        raise
    assert built == [], "check built the cloud's operations"
    for failure in failures:
        if not isinstance(failure, ValidationError):
            TALLY.raw_exceptions += 1
            raise AssertionError(f"check answered {failure!r}, not a ValidationError")
    return failures


def assert_refused(key: str, mutation: Mutation, base: Spec) -> None:
    spec, blame = mutation.apply(base, NOW)
    TALLY.invalid_specs_tried += 1
    TALLY.saw(f"{key}:{mutation.kind}")
    failures = check(key, spec)
    assert failures, f"{key} {mutation.id}: check accepted {spec!r}"
    for failure in failures:
        assert failure.rule.strip(), f"{key} {mutation.id}: a failure with no rule: {failure!r}"
        assert blamed(failure.field, blame), (
            f"{key} {mutation.id}: failure names {failure.field!r} ({failure.rule}), expected one of {sorted(blame)}"
        )
    TALLY.invalid_specs_rejected += 1


def _cases() -> Iterator[Any]:
    for key in KEYS:
        for mutation in mutations(key):
            marks = [pytest.mark.xfail(strict=True, reason=mutation.known_bug)] if mutation.known_bug else []
            yield pytest.param(key, mutation, marks=marks, id=f"{key}-{mutation.id}")


# -- the catalogue covers every rule --------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_the_bases_are_valid(key: str) -> None:
    for base in BASES[key]:
        assert check(key, base) == []


REQUIRED_KINDS = {
    "type",
    "range",
    "enum",
    "length",
    "list-size",
    "url-scheme",
    "url-form",
    "url-chars",
    "time-form",
    "window",
    "required",
    "dependent",
    "cross",
    "vod-only",
    "unknown",
}
CLOUD_KINDS = {"huawei": {"exclusive", "chars", "format"}, "tencent": {"exclusive"}, "aliyun": {"chars"}}
# Rules the model enforces through helpers (core/model.py), by the fields they blame.
HELPER_BLAMES = {
    "huawei": {"end_time", "domain", "app_name", "stream_name", "callback_events", *huawei.VOD_ONLY_FIELDS},
    "tencent": {"end_time", "domain_name", "app_name", "stream_name", "callback_events", *tencent.VOD_ONLY_FIELDS},
    "aliyun": {"end_time", "repeat_number", "file_index", "offset"},
}


def _blames(key: str, kinds: set[str] | None = None) -> dict[str, set[str]]:
    """The fields each mutation kind blames, over both bases."""
    found: dict[str, set[str]] = {}
    for mutation in mutations(key):
        if kinds is not None and mutation.kind not in kinds:
            continue
        for base in BASES[key]:
            _, blame = mutation.apply(base, NOW)
            found.setdefault(mutation.kind, set()).update(b.split("[")[0].split(".")[0] for b in blame)
    return found


@pytest.mark.parametrize("key", KEYS)
def test_every_kind_of_rule_has_mutations(key: str) -> None:
    kinds = {m.kind for m in mutations(key)}
    assert REQUIRED_KINDS | CLOUD_KINDS[key] <= kinds, sorted(REQUIRED_KINDS | CLOUD_KINDS[key] - kinds)
    ids = [m.id for m in mutations(key)]
    assert len(ids) == len(set(ids)), "two mutations share an id"


@pytest.mark.parametrize("key", KEYS)
def test_every_argument_has_type_mutations_and_every_url_or_time_its_own(key: str) -> None:
    blames = _blames(key)
    model = MODELS[key]
    assert set(model.model_fields) <= blames["type"]
    for name, info in model.model_fields.items():
        _, inner = unannotated(info.annotation)
        marks = [*info.metadata, *inner]
        if any(isinstance(m, TimeMark) for m in marks):
            assert name in blames["time-form"], name
    url_fields = {f.name for f in clouds.cloud(key).rules.url_fields}
    for kind in ("url-scheme", "url-form", "url-chars"):
        assert url_fields <= blames[kind], (kind, sorted(url_fields - blames[kind]))


@pytest.mark.parametrize("key", KEYS)
def test_every_rule_across_fields_has_a_mutation(key: str) -> None:
    """Each field a cross-field rule of the model blames (`rule_error("name", …)` in its source, and
    the helpers' fields) is blamed by a mutation of a cross-field kind."""
    source = inspect.getsource(MODELS[key])
    named = set(re.findall(r'rule_error\(\s*"([a-z_]+)"', source)) | HELPER_BLAMES[key]
    covered = set().union(*_blames(key, {"window", "exclusive", "dependent", "cross", "vod-only"}).values())
    assert named <= covered, sorted(named - covered)


# -- every mutation, by name ----------------------------------------------------------------------


@pytest.mark.parametrize(("key", "mutation"), list(_cases()))
def test_each_rule_is_refused_naming_its_field(key: str, mutation: Mutation) -> None:
    for base in BASES[key]:
        assert_refused(key, mutation, base)


# -- mutations of generated specs -----------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
@SETTINGS
@given(data=st.data())
def test_valid_specs_pass_check(key: str, data: st.DataObject) -> None:
    spec = data.draw(valid_specs(key, NOW), label="spec")
    failures = check(key, spec)
    assert failures == [], [(f.field, f.rule) for f in failures]


def by_kind(key: str) -> dict[str, list[Mutation]]:
    kinds: dict[str, list[Mutation]] = {}
    for mutation in mutations(key):
        if not mutation.known_bug:
            kinds.setdefault(mutation.kind, []).append(mutation)
    return kinds


@pytest.mark.parametrize("key", KEYS)
@settings(SETTINGS, max_examples=250)
@given(data=st.data())
def test_one_broken_rule_of_a_valid_spec_is_refused(key: str, data: st.DataObject) -> None:
    base = data.draw(valid_specs(key, NOW), label="valid spec")
    kinds = by_kind(key)
    kind = data.draw(st.sampled_from(sorted(kinds)), label="kind")  # each kind as often as the others
    mutation = data.draw(st.sampled_from(kinds[kind]), label="mutation")
    event(mutation.kind)
    assert_refused(key, mutation, base)


# -- the documented bounds, independent of the models ---------------------------------------------

Change = Callable[[Spec], Spec]


def _set(**values: Any) -> Change:
    return lambda spec: {**spec, **values}


def _window(start: timedelta, span: timedelta) -> Change:
    return _set(start_time=utc(NOW + start), end_time=utc(NOW + start + span))


# (cloud, what, change of the first base, accepted?) from docs/api-notes.md and the project's choices.
BOUNDS: list[tuple[str, str, Change, bool]] = [
    ("huawei", "domain 255", _set(domain="a" * 255), True),
    ("huawei", "domain 256", _set(domain="a" * 256), False),
    ("huawei", "app_name 128", _set(app_name="a" * 128), True),
    ("huawei", "app_name 129", _set(app_name="a" * 129), False),
    ("huawei", "stream_name 512", _set(stream_name="a" * 512), True),
    ("huawei", "stream_name 513", _set(stream_name="a" * 513), False),
    ("huawei", "push_args 2048", _set(push_args="a" * 2048), True),
    ("huawei", "push_args 2049", _set(push_args="a" * 2049), False),
    ("huawei", "source URL 2048", _set(source_urls=[_url("http", 2048)], vod_start_video_index=0), True),
    ("huawei", "source URL 2049", _set(source_urls=[_url("http", 2049)]), False),
    ("huawei", "callback_url 2048", _set(callback_url=_url("https", 2048)), True),
    ("huawei", "callback_url 2049", _set(callback_url=_url("https", 2049)), False),
    ("huawei", "30 files", _set(source_urls=_playlist(30)), True),
    ("huawei", "31 files", _set(source_urls=_playlist(31)), False),
    ("huawei", "no backup URLs", _set(backup_source_urls=[]), True),
    ("huawei", "30 backup URLs", _set(backup_source_urls=_playlist(30, "rtmp")), True),
    ("huawei", "31 backup URLs", _set(backup_source_urls=_playlist(31, "rtmp")), False),
    ("huawei", "start index 29 of 30", _set(source_urls=_playlist(30), vod_start_video_index=29), True),
    ("huawei", "start index 30 of 30", _set(source_urls=_playlist(30), vod_start_video_index=30), False),
    ("huawei", "start index 8193", _set(vod_start_video_index=8193), False),
    ("huawei", "start time 2100000000 s", _set(vod_start_video_time=2_100_000_000), True),
    ("huawei", "start time 2100000001 s", _set(vod_start_video_time=2_100_000_001), False),
    ("huawei", "region 64", _set(region="r" * 64), True),
    ("huawei", "region 65", _set(region="r" * 65), False),
    ("huawei", "window 7 days", _window(HOUR, timedelta(days=7)), True),
    ("huawei", "window 7 days 1 s", _window(HOUR, timedelta(days=7, seconds=1)), False),
    (
        "huawei",
        "rtmps destination",
        _set(destination_url="rtmps://p.example.com/a/b", domain=None, app_name=None, stream_name=None),
        True,
    ),
    (
        "huawei",
        "rtsp destination",
        _set(destination_url="rtsp://p.example.com/a/b", domain=None, app_name=None, stream_name=None),
        False,
    ),
    ("tencent", "30 files", _set(source_urls=_playlist(30)), True),
    ("tencent", "31 files", _set(source_urls=_playlist(31)), False),
    ("tencent", "source URL 2048", _set(source_urls=[_url("rtsp", 2048)], file_index=1), True),
    ("tencent", "source URL 2049", _set(source_urls=[_url("rtsp", 2049)], file_index=1), False),
    ("tencent", "comment 512 bytes", _set(comment="\u00e9" * 256), True),
    ("tencent", "comment 513 bytes", _set(comment="\u00e9" * 256 + "a"), False),
    ("tencent", "4 watermarks", _set(watermark_list=[{"picture_url": "http://i.example.com/w.png"}] * 4), True),
    ("tencent", "5 watermarks", _set(watermark_list=[{"picture_url": "http://i.example.com/w.png"}] * 5), False),
    ("tencent", "watermark at 100 %", _set(watermark_list=[{"picture_url": "http://i/w", "x_position": 100}]), True),
    ("tencent", "watermark at 101 %", _set(watermark_list=[{"picture_url": "http://i/w", "x_position": 101}]), False),
    ("tencent", "watermark corner 3", _set(watermark_list=[{"picture_url": "http://i/w", "location": 3}]), True),
    ("tencent", "watermark corner 4", _set(watermark_list=[{"picture_url": "http://i/w", "location": 4}]), False),
    ("tencent", "file 30 of 30", _set(source_urls=_playlist(30), file_index=30), True),
    ("tencent", "file 0", _set(file_index=0), False),
    ("tencent", "file 4 of 3", _set(file_index=4), False),
    ("tencent", "loop times -1", _set(vod_loop_times=-1), True),
    ("tencent", "loop times -2", _set(vod_loop_times=-2), False),
    ("tencent", "loop times 2^31-1", _set(vod_loop_times=INT32_MAX), True),
    ("tencent", "loop times 2^31", _set(vod_loop_times=INT32_MAX + 1), False),
    ("tencent", "local mode 2", _set(vod_local_mode=2), False),
    (
        "tencent",
        "rtp destination",
        _set(to_url="rtp://p.example.com:5004/s", domain_name=None, app_name=None, stream_name=None),
        True,
    ),
    ("tencent", "window 30 days - 1 s", _window(HOUR, timedelta(days=30, seconds=-1)), True),
    ("tencent", "window 30 days", _window(HOUR, timedelta(days=30)), False),
    ("aliyun", "task_name 128", _set(task_name="\u540d" * 128), True),
    ("aliyun", "task_name 129", _set(task_name="a" * 129), False),
    ("aliyun", "30 files", _set(source_urls=_playlist(30)), True),
    ("aliyun", "31 files", _set(source_urls=_playlist(31)), False),
    ("aliyun", "source URLs 10000 together", _set(source_urls=[_url("http", 2000, i) for i in range(5)]), True),
    (
        "aliyun",
        "source URLs 10001 together",
        _set(source_urls=[*[_url("http", 2000, i) for i in range(4)], _url("http", 1999), "http://h/ab"]),
        False,
    ),
    ("aliyun", "source URL 2001", _set(source_urls=[_url("http", 2001)], file_index=0), False),
    ("aliyun", "dst_url 2000", _set(dst_url=_url("rtmp", 2000)), True),
    ("aliyun", "dst_url 2001", _set(dst_url=_url("rtmp", 2001)), False),
    ("aliyun", "callback_url 2000", _set(callback_url=_url("http", 2000)), True),
    ("aliyun", "callback_url 2001", _set(callback_url=_url("http", 2001)), False),
    ("aliyun", "retry every 60 s", _set(retry_interval=60), True),
    ("aliyun", "retry every 300 s", _set(retry_interval=300), True),
    ("aliyun", "retry every 59 s", _set(retry_interval=59), False),
    ("aliyun", "retry every 301 s", _set(retry_interval=301), False),
    ("aliyun", "retry count -1", _set(retry_count=-1), False),
    ("aliyun", "repeat -1 (loop)", _set(repeat_number=-1), True),
    ("aliyun", "repeat -2", _set(repeat_number=-2), False),
    ("aliyun", "file 29 of 30", _set(source_urls=_playlist(30), file_index=29), True),
    ("aliyun", "file 30", _set(file_index=30), False),
    ("aliyun", "offset 0", _set(offset=0), True),
    ("aliyun", "offset -1", _set(offset=-1), False),
    ("aliyun", "window 26 days 5 h (vendor example)", _window(HOUR, timedelta(days=26, hours=5, minutes=14)), True),
    ("aliyun", "window 10 years", _window(HOUR, timedelta(days=3650)), True),
    ("aliyun", "rtmps destination", _set(dst_url="rtmps://p.example.com/a/b"), False),
]


@pytest.mark.parametrize(("key", "what", "change", "accepted"), BOUNDS, ids=[f"{b[0]}-{b[1]}" for b in BOUNDS])
def test_documented_bounds(key: str, what: str, change: Change, accepted: bool) -> None:
    spec = {name: value for name, value in change(BASES[key][0]).items() if value is not None}
    failures = check(key, spec)
    if accepted:
        assert failures == [], [(f.field, f.rule) for f in failures]
    else:
        TALLY.invalid_specs_tried += 1
        assert failures and all(f.rule.strip() for f in failures), what
        TALLY.invalid_specs_rejected += 1
