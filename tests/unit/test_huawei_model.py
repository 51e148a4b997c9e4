"""`check` for Huawei tasks: every documented constraint names its field and rule, before any call."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from pulumi_relaytask.core.model import CheckContext, check_inputs
from pulumi_relaytask.huawei.model import RelayTaskArgs

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)
VOD: dict[str, Any] = {
    "source_type": "PullVodPushLive",
    "source_urls": ["http://media.example.com/a.mp4", "http://media.example.com/b.mp4"],
    "domain": "push.example.com",
    "app_name": "live",
    "stream_name": "channel-1",
    "start_time": "2026-11-24T10:00:00Z",
    "end_time": "2026-11-25T10:00:00Z",
}
LIVE = dict(VOD, source_type="PullLivePushLive", source_urls=["rtmp://origin.example.com/live/s"])


def failures(inputs: dict[str, Any], previous: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    _, errs = check_inputs(RelayTaskArgs, inputs, CheckContext(now=NOW, previous=previous))
    return [(e.field, e.rule) for e in errs]


def test_valid_vod_and_live_tasks_pass() -> None:
    assert failures(VOD) == []
    assert failures(LIVE) == []
    assert failures(dict(LIVE, domain=None, app_name=None, stream_name=None, destination_url="rtmp://x/y/z")) == []


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"source_type": "PullPicPushLive"}, "source_type", "PullLivePushLive"),
        ({"source_urls": []}, "source_urls", "at least 1"),
        ({"source_urls": [f"http://m/{i}.mp4" for i in range(31)]}, "source_urls", "at most 30 items"),
        ({"destination_url": "rtmp://x/y/z"}, "domain", "mutually exclusive"),
        ({"stream_name": None}, "stream_name", "required unless destination_url"),
        ({"vod_start_video_index": 2}, "vod_start_video_index", "0 to 1"),
        ({"vod_start_video_index": -1}, "vod_start_video_index", "greater than or equal to 0"),
        ({"vod_start_video_time": 2_100_000_001}, "vod_start_video_time", "less than or equal"),
        ({"vod_loop_time": "forever"}, "vod_loop_time", '"-1"'),
        ({"vod_refresh_type": "later"}, "vod_refresh_type", "immediate_new_source"),
        ({"status": "stopped"}, "status", "'enable' or 'pause'"),
        ({"callback_events": ["TaskStart", "Boom"]}, "callback_events[1]", "TaskStart"),
        ({"backup_source_type": "PullVodPushLive"}, "backup_source_type", "PullLivePushLive"),
        ({"end_time": "2026-11-24 10:00"}, "end_time", "RFC 3339"),
        ({"end_time": "2026-11-24T09:00:00Z"}, "end_time", "later than start_time"),
        ({"end_time": "2026-12-02T10:00:00Z"}, "end_time", "at most 7 days"),
        ({"start_time": None, "end_time": "2026-11-23T11:00:00Z"}, "end_time", "in the future"),
        ({"region": ""}, "region", "at least 1"),
        ({"colour": "red"}, "colour", "not an argument"),
    ],
)
def test_vod_rule_violations_name_the_field(change: dict[str, Any], field: str, words: str) -> None:
    found = failures(dict(VOD, **change))
    assert len(found) >= 1, found
    assert found[0][0] == field
    assert words in found[0][1]


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"source_urls": ["rtmp://a/b/c", "rtmp://a/b/d"]}, "source_urls", "exactly 1"),
        ({"vod_loop_time": "3"}, "vod_loop_time", "PullVodPushLive tasks only"),
        ({"callback_events": ["VodSourceFileStart"]}, "callback_events", "PullVodPushLive tasks only"),
        ({"status": "pause"}, "status", "cannot be paused"),
    ],
)
def test_live_rule_violations_name_the_field(change: dict[str, Any], field: str, words: str) -> None:
    found = failures(dict(LIVE, **change))
    assert found and found[0][0] == field and words in found[0][1], found


def test_an_expired_end_time_that_is_not_being_changed_still_checks() -> None:
    expired = dict(VOD, start_time="2026-11-20T00:00:00Z", end_time="2026-11-21T00:00:00Z")
    assert failures(expired, previous=expired) == []
    assert failures(expired, previous=None)[0][0] == "end_time"
