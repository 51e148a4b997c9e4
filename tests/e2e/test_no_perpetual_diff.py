"""No perpetual diffs through the real Pulumi CLI: a task on each cloud made with one spelling of its
arguments, then declared with another equivalent spelling (times at other offsets, set-like lists in
another order, defaults and watermark members at their default given or left out), plans nothing at
`pulumi preview --refresh --expect-no-changes` and calls no write operation of any cloud.

The property behind it, over generated specs, is tests/contract/test_no_perpetual_diff.py.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta, timezone
from typing import Any

import httpx

from pulumi_relaytask.emulator.server import EmulatorServer

from ..calls import is_write, writes
from .conftest import ANCHOR, hour_from_now
from .harness import PulumiProject, resource_name, resource_type


def at(hours: int, offset: timedelta, fraction: str = "") -> str:
    """`hour_from_now(hours)`, the same instant written at another UTC offset (with a dropped fraction)."""
    local = (ANCHOR + timedelta(hours=hours)).astimezone(timezone(offset))
    text = local.isoformat()
    return text[:19] + fraction + text[19:]


def stats(emulator: EmulatorServer) -> dict[str, Counter[str]]:
    """The emulator's request counts per cloud and operation, as `/_emulator/stats` answers them."""
    answer = httpx.get(f"{emulator.url}/_emulator/stats", timeout=10)
    answer.raise_for_status()
    return {cloud: Counter(counts) for cloud, counts in answer.json().items()}


def calls_between(before: dict[str, Counter[str]], after: dict[str, Counter[str]]) -> dict[str, dict[str, int]]:
    return {cloud: dict(after[cloud] - before.get(cloud, Counter())) for cloud in after}


def tasks(spelling: str) -> list[dict[str, Any]]:
    """One task per cloud, spelled "a" (the first way) or "b" (an equivalent one)."""
    east, west = timedelta(hours=8), -timedelta(hours=5, minutes=30)
    huawei: dict[str, Any] = {
        "source_type": "PullVodPushLive",
        "source_urls": ["http://media.example.com/a.mp4", "http://media.example.com/b.mp4"],
        "domain": "push.example.com",
        "app_name": "live",
        "stream_name": "respelled",
        "start_time": hour_from_now(1),
        "end_time": hour_from_now(30),
        "callback_url": "callback.example.com/hook",
        "callback_events": ["TaskStart", "TaskExit", "VodSourceFileStart"],
    }
    tencent: dict[str, Any] = {
        "source_type": "PullVodPushLive",
        "source_urls": ["http://media.example.com/a.mp4"],
        "domain_name": "push.example.com",
        "app_name": "live",
        "stream_name": "respelled",
        "start_time": at(1, east),
        "end_time": at(30, west),
        "callback_url": "http://callback.example.com/hook",
        "callback_events": ["TaskExit", "TaskStart"],
        "watermark_list": [{"picture_url": "http://img.example.com/logo.png", "width": 20}],
    }
    aliyun: dict[str, Any] = {
        "source_type": "url",
        "source_urls": ["http://media.example.com/a.mp4", "http://media.example.com/b.mp4"],
        "dst_url": "rtmp://push.example.com/live/respelled",
        "start_time": hour_from_now(1),
        "end_time": hour_from_now(30),
        "repeat_number": 0,
        "retry_interval": 60,
    }
    if spelling == "b":
        huawei.update(
            start_time=at(1, east, ".25"),
            end_time=at(30, west),
            callback_events=["VodSourceFileStart", "TaskExit", "TaskStart"],
            vod_loop_time="-1",
            vod_start_video_index=0,
            vod_start_video_time=0,
            status="enable",
        )
        tencent.update(
            start_time=hour_from_now(1),
            end_time=at(30, timedelta(0)).replace("+00:00", "z"),
            callback_events=["TaskStart", "TaskExit"],
            watermark_list=[
                {"picture_url": "http://img.example.com/logo.png", "width": 20, "x_position": 0, "location": 0}
            ],
            operator="pulumi-relaytask",
            vod_loop_times=-1,
            file_index=1,
            offset_time=0,
            vod_local_mode=0,
            status="enable",
        )
        del aliyun["repeat_number"], aliyun["retry_interval"]
        aliyun.update(
            start_time=at(1, -timedelta(hours=11), ".999"),
            end_time=at(30, timedelta(hours=14)),
            retry_count=3,
            file_index=0,
            offset=0,
            status="enable",
        )
    return [
        {"name": "huawei-task", "cloud": "huawei", "args": huawei},
        {"name": "tencent-task", "cloud": "tencent", "args": tencent},
        {"name": "aliyun-task", "cloud": "aliyun", "args": aliyun},
    ]


def test_an_equivalent_spelling_plans_nothing_and_writes_nothing(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    first, second = tasks("a"), tasks("b")
    assert [t["args"] for t in first] != [t["args"] for t in second]  # really another spelling
    project.write_tasks(first)
    project.up()
    assert len(project.resources()) == 3

    project.write_tasks(second)
    before = stats(emulator)
    plan = project.plan("--refresh", "--expect-no-changes")  # fails (non-zero exit) on any planned change
    during = calls_between(before, stats(emulator))

    assert plan.returncode == 0
    assert plan.ops() == {}, plan.steps  # no update, replace, create or delete of any task
    steps: dict[str, list[str]] = {}
    for step in plan.steps:
        if resource_type(step["urn"]).endswith("RelayTask"):
            steps.setdefault(resource_name(step["urn"]), []).append(step["op"])
    assert steps == {task["name"]: ["refresh"] for task in second}  # each task refreshed, then left as it is
    # The refresh really read each task from its cloud, and nothing was written anywhere.
    for cloud, counts in during.items():
        assert any(not is_write(op) for op in counts), f"{cloud}: no read during the refresh: {during}"
        assert not writes(counts), f"{cloud} writes: {during}"
