"""Huawei's plan rules: in place only for PullVodPushLive and ModifyPullTask's fields; no perpetual diffs."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pulumi_relaytask.core.diff import plan_changes
from pulumi_relaytask.core.values import UNKNOWN
from pulumi_relaytask.huawei.rules import RULES

VOD_TASK: dict[str, Any] = {
    "source_type": "PullVodPushLive",
    "source_urls": ["http://media.example.com/a.mp4", "http://media.example.com/b.mp4"],
    "domain": "push.example.com",
    "app_name": "live",
    "stream_name": "channel-1",
    "push_args": "token=s3cret",
    "start_time": "2026-11-24T10:00:00Z",
    "end_time": "2026-11-25T10:00:00Z",
    "callback_events": ["TaskStart", "TaskExit"],
}
LIVE_TASK = dict(
    VOD_TASK, source_type="PullLivePushLive", source_urls=["rtmp://origin.example.com/live/s"], callback_events=None
)


@pytest.mark.parametrize(
    "change, replaces",
    [
        ({"source_urls": list(reversed(VOD_TASK["source_urls"]))}, ()),  # playlist order is significant
        ({"end_time": "2026-11-25T12:00:00Z"}, ()),
        ({"status": "pause"}, ()),
        ({"vod_loop_time": "3"}, ()),
        ({"vod_start_video_index": 1, "vod_start_video_time": 30}, ()),
        ({"callback_events": ["TaskAlarm"]}, ()),
        ({"push_args": "token=other"}, ("push_args",)),
        ({"stream_name": "channel-2"}, ("stream_name",)),
        ({"callback_url": "http://hooks.example.com/x"}, ("callback_url",)),
        ({"source_type": "PullLivePushLive"}, ("source_type",)),
        ({"end_time": "2026-11-25T12:00:00Z", "domain": "other.example.com"}, ("domain",)),
    ],
)
def test_vod_task_changes(change: dict[str, Any], replaces: tuple[str, ...]) -> None:
    result = plan_changes(RULES, VOD_TASK, dict(VOD_TASK, **change))
    assert set(result.changed) == set(change)
    assert result.replaces == replaces


def test_any_change_to_a_live_task_is_a_replacement() -> None:
    result = plan_changes(RULES, LIVE_TASK, dict(LIVE_TASK, end_time="2026-11-25T12:00:00Z"))
    assert result.replaces == ("end_time",)


def test_equal_instants_sets_and_defaults_make_no_diff() -> None:
    live = dict(
        VOD_TASK,
        end_time="2026-11-25T18:00:00+08:00",
        callback_events=["TaskExit", "TaskStart"],
        vod_loop_time="-1",
        vod_start_video_index=0,
        status="enable",
        region="cn-north-4",
    )
    assert not plan_changes(RULES, live, VOD_TASK).has_changes


def test_cloud_chosen_start_time_is_not_compared_when_left_out() -> None:
    desired = {k: v for k, v in VOD_TASK.items() if k != "start_time"}
    assert not plan_changes(RULES, VOD_TASK, desired).has_changes


def test_vod_refresh_type_alone_makes_no_diff() -> None:
    assert not plan_changes(RULES, VOD_TASK, dict(VOD_TASK, vod_refresh_type="continue_from_break_point")).has_changes


def test_unknown_value_counts_as_changed() -> None:
    result = plan_changes(RULES, VOD_TASK, dict(VOD_TASK, push_args=UNKNOWN))
    assert result.replaces == ("push_args",)


urls = st.lists(st.from_regex(r"http://m\.example\.com/[a-z]{1,8}\.mp4", fullmatch=True), min_size=1, max_size=30)
events = st.lists(st.sampled_from(["TaskStart", "TaskExit", "TaskAlarm", "VodSourceFileStart"]), unique=True)


@given(urls=urls, events=events, offset_hours=st.integers(-12, 12))
def test_a_task_read_back_unchanged_never_diffs(urls: list[str], events: list[str], offset_hours: int) -> None:
    desired = dict(VOD_TASK, source_urls=urls, callback_events=events or None)
    sign = "+" if offset_hours >= 0 else "-"
    # What the cloud answers: events in its own order, times in another zone form, defaults filled in.
    live = dict(
        desired,
        callback_events=list(reversed(events)) or None,
        end_time=_shift("2026-11-25T10:00:00Z", offset_hours, sign),
        vod_loop_time="-1",
        vod_start_video_time=0,
        status="enable",
    )
    assert not plan_changes(RULES, live, desired).has_changes


def _shift(utc: str, hours: int, sign: str) -> str:
    from datetime import datetime, timedelta, timezone

    when = datetime.fromisoformat(utc.replace("Z", "+00:00"))
    zone = timezone(timedelta(hours=hours))
    text = when.astimezone(zone).isoformat()
    return text
