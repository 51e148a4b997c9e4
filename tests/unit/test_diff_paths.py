"""The diff names each change by its path, with the old and new values (deepdiff), in argument order."""

from __future__ import annotations

from typing import Any

from pulumi_relaytask.core.diff import Change, plan_changes
from pulumi_relaytask.core.values import UNKNOWN
from pulumi_relaytask.tencent.rules import RULES

OLD: dict[str, Any] = {
    "source_type": "PullVodPushLive",
    "source_urls": ["http://m/a.mp4", "http://m/b.mp4", "http://m/c.mp4"],
    "push_args": "txSecret=old",
    "end_time": "2026-11-25T10:00:00Z",
    "callback_events": ["TaskStart", "TaskExit"],
    "watermark_list": [{"picture_url": "http://m/logo.png", "width": 10}],
}


def test_each_change_is_a_path_with_old_and_new_values() -> None:
    new = dict(
        OLD,
        source_urls=["http://m/a.mp4", "http://m/b.mp4", "http://m/d.mp4", "http://m/e.mp4"],
        push_args="txSecret=new",
        watermark_list=[{"picture_url": "http://m/logo.png", "width": 20, "x_position": 0}],
        end_time="2026-11-25T18:00:00+08:00",  # the same instant: no change
        callback_events=["TaskExit", "TaskStart"],  # a set: no change
    )
    plan = plan_changes(RULES, OLD, new)
    assert plan.changes == (
        Change("source_urls[2]", "http://m/c.mp4", "http://m/d.mp4", url=True),
        Change("source_urls[3]", None, "http://m/e.mp4", url=True),
        Change("push_args", "txSecret=old", "txSecret=new", secret=True),
        Change("watermark_list[0].width", 10, 20, url=True),
    )
    assert plan.changed == ("source_urls", "push_args", "watermark_list")
    assert plan.replaces == ("push_args",)


def test_a_removed_item_and_an_unknown_value() -> None:
    plan = plan_changes(RULES, OLD, dict(OLD, source_urls=["http://m/a.mp4", "http://m/b.mp4"]))
    assert plan.changes == (Change("source_urls[2]", "http://m/c.mp4", None, url=True),)
    plan = plan_changes(RULES, OLD, dict(OLD, source_urls=["http://m/a.mp4", UNKNOWN]))
    assert [(c.path, c.new[1] is UNKNOWN) for c in plan.changes] == [("source_urls", True)]
    assert plan.in_place


def test_a_url_change_never_shows_the_urls() -> None:
    # A key may sit in the path (a stream key) where no rule can see it: the redacted companion shows
    # the values instead.
    for before, after in (
        ("http://m/a.mp4?sign=old-key", "http://m/a.mp4?sign=new-key"),
        ("rtmp://p/l/KEY1", "rtmp://p/l/KEY2"),
    ):
        old = dict(OLD, source_urls=[before])
        (change,) = plan_changes(RULES, old, dict(old, source_urls=[after])).changes
        assert change.url
        assert change.shown == "source_urls[0] changes (see source_urls_redacted)"
