"""Tencent's plan rules and checks: in place for what Modify accepts, replacement for the rest."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from pulumi_relaytask.core.diff import plan_changes
from pulumi_relaytask.core.model import CheckContext, check_inputs
from pulumi_relaytask.tencent.model import RelayTaskArgs
from pulumi_relaytask.tencent.rules import RULES

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)
VOD: dict[str, Any] = {
    "source_type": "PullVodPushLive",
    "source_urls": ["http://media.example.com/a.mp4", "http://media.example.com/b.mp4"],
    "domain_name": "push.example.com",
    "app_name": "live",
    "stream_name": "channel-1",
    "push_args": "txSecret=abc",
    "start_time": "2026-11-24T10:00:00Z",
    "end_time": "2026-12-20T10:00:00Z",
}
LIVE = dict(VOD, source_type="PullLivePushLive", source_urls=["rtmp://origin.example.com/live/s"])


@pytest.mark.parametrize(
    "change, replaces",
    [
        ({"source_urls": list(reversed(VOD["source_urls"]))}, ()),
        ({"status": "pause"}, ()),
        ({"comment": "hello"}, ()),
        ({"callback_url": "http://hooks.example.com/x"}, ()),
        ({"vod_loop_times": 3, "file_index": 2, "offset_time": 30}, ()),
        (
            {
                "watermark_list": [
                    {"picture_url": "http://p/x.png", "x_position": 1, "y_position": 2, "width": 3, "height": 4}
                ]
            },
            (),
        ),
        ({"to_url": "rtmp://push.example.com/live/x"}, ()),
        ({"push_args": "txSecret=other"}, ("push_args",)),
        ({"domain_name": "other.example.com"}, ("domain_name",)),
        ({"source_type": "PullLivePushLive"}, ("source_type",)),
        ({"region": "ap-beijing"}, ("region",)),
    ],
)
def test_changes(change: dict[str, Any], replaces: tuple[str, ...]) -> None:
    result = plan_changes(RULES, VOD, dict(VOD, **change))
    assert set(result.changed) == set(change)
    assert result.replaces == replaces


def test_live_tasks_are_updated_in_place_too() -> None:
    assert plan_changes(RULES, LIVE, dict(LIVE, status="pause", end_time="2026-12-01T00:00:00Z")).in_place


def test_operator_alone_changes_nothing_and_defaults_make_no_diff() -> None:
    live = dict(
        VOD,
        operator="someone-else",
        vod_loop_times=-1,
        status="enable",
        region="ap-guangzhou",
        watermark_list=[
            {"picture_url": "http://p/x.png", "x_position": 1, "y_position": 2, "width": 3, "height": 4, "location": 0}
        ],
    )
    desired = dict(
        VOD,
        operator="me",
        watermark_list=[{"picture_url": "http://p/x.png", "x_position": 1, "y_position": 2, "width": 3, "height": 4}],
    )
    assert not plan_changes(RULES, live, desired).has_changes


def failures(inputs: dict[str, Any]) -> list[tuple[str, str]]:
    _, errs = check_inputs(RelayTaskArgs, inputs, CheckContext(now=NOW))
    return [(e.field, e.rule) for e in errs]


@pytest.mark.parametrize(
    "base, change, field, words",
    [
        (VOD, {}, None, None),
        (LIVE, {}, None, None),
        (VOD, {"source_type": "PullSomething"}, "source_type", "PullPicPushLive"),
        (LIVE, {"source_urls": ["rtmp://a/b/c", "rtmp://a/b/d"]}, "source_urls", "exactly 1"),
        (VOD, {"to_url": "rtmp://push.example.com/live/x"}, "domain_name", "mutually exclusive"),
        (VOD, {"domain_name": None, "app_name": None, "stream_name": None, "to_url": "http://x/y"}, "to_url", "rtmp"),
        (VOD, {"end_time": "2026-12-24T10:00:00Z"}, "end_time", "less than 30 days"),
        (VOD, {"start_time": "2026-11-20T00:00:00Z", "end_time": "2026-11-21T00:00:00Z"}, "end_time", "in the future"),
        (VOD, {"comment": "é" * 257}, "comment", "512 bytes"),
        (VOD, {"file_index": 0}, "file_index", "greater than or equal to 1"),
        (VOD, {"file_index": 3}, "file_index", "counted from 1 (1 to 2)"),
        (VOD, {"vod_loop_times": -2}, "vod_loop_times", "greater than or equal to -1"),
        (VOD, {"vod_refresh_type": "Later"}, "vod_refresh_type", "ImmediateNewSource"),
        (VOD, {"vod_local_mode": 2}, "vod_local_mode", "less than or equal to 1"),
        (VOD, {"vod_local_mode": True}, "vod_local_mode", "valid integer"),
        (LIVE, {"vod_loop_times": 2}, "vod_loop_times", "PullVodPushLive tasks only"),
        (LIVE, {"callback_events": ["VodSourceFileFinish"]}, "callback_events", "PullVodPushLive tasks only"),
        (
            VOD,
            {"backup_source_type": "PullLivePushLive", "backup_source_url": "rtmp://b/c/d"},
            "backup_source_type",
            "main source is PullLivePushLive",
        ),
        (LIVE, {"backup_source_type": "PullLivePushLive"}, "backup_source_url", "go together"),
        (
            VOD,
            {
                "watermark_list": [
                    {
                        "picture_url": "http://p/x",
                        "x_position": 0,
                        "y_position": 0,
                        "width": 1,
                        "height": 1,
                        "location": 4,
                    }
                ]
            },
            "watermark_list",
            "less than or equal to 3",
        ),
        (
            VOD,
            {
                "watermark_list": [
                    {"picture_url": "http://p/x", "x_position": 0, "y_position": 0, "width": 1, "height": 1}
                ]
                * 5
            },
            "watermark_list",
            "at most 4",
        ),
        (VOD, {"region": "mars-1"}, "region", "ap-guangzhou"),
        (VOD, {"status": "stopped"}, "status", "'enable' or 'pause'"),
    ],
)
def test_checks_name_the_field(
    base: dict[str, Any], change: dict[str, Any], field: str | None, words: str | None
) -> None:
    found = failures(dict(base, **change))
    if field is None:
        assert found == []
    else:
        assert found and found[0][0].startswith(field) and words in found[0][1], found
