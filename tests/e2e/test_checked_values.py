"""What `pulumi preview` accepts is what is sent: values normalised by the model, bad ones refused by field
before any call, unknown ones (inside a list too) checked once known. Through the real CLI."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from pulumi_relaytask.emulator.server import EmulatorServer

from .conftest import ANCHOR, configure_clouds, hour_from_now
from .harness import PulumiProject, pulumi_env


def calls(emulator: EmulatorServer, cloud: str) -> Counter[str]:
    return Counter(emulator.stats.snapshot()[cloud])


def tencent_vod(**change: Any) -> dict[str, Any]:
    args = {
        "source_type": "PullVodPushLive",
        "source_urls": ["http://media.example.com/a.mp4", "http://media.example.com/b.mp4"],
        "domain_name": "push.example.com",
        "app_name": "live",
        "stream_name": "checked",
        "start_time": hour_from_now(1),
        "end_time": hour_from_now(30),
    }
    return {"name": "checked", "cloud": "tencent", "args": {**args, **change}}


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"vod_loop_times": "3"}, "vod_loop_times", "valid integer"),
        ({"vod_loop_times": True}, "vod_loop_times", "valid integer"),
        ({"source_urls": ["ftp://media.example.com/a.mp4"]}, "source_urls[0]", "scheme http, https"),
        ({"end_time": "9999-12-31T23:59:59-01:00"}, "end_time", "RFC 3339"),
    ],
    ids=["string-integer", "boolean-integer", "ftp-source", "year-9999-offset"],
)
def test_bad_values_fail_at_preview_naming_the_field_with_no_api_call(
    project: PulumiProject, emulator: EmulatorServer, change: dict[str, Any], field: str, words: str
) -> None:
    project.write_tasks([tencent_vod(**change)])
    before = calls(emulator, "tencent")
    plan = project.plan(ok=False)
    assert plan.returncode != 0
    failures = plan.check_failures("checked")
    assert words in failures.get(field, ""), plan.diagnostics
    assert calls(emulator, "tencent") == before  # not even a read


def test_times_with_an_offset_are_sent_in_utc(project: PulumiProject, emulator: EmulatorServer) -> None:
    """Alibaba takes `yyyy-MM-ddTHH:mm:ssZ` only: an RFC 3339 time with an offset passes preview and is
    sent as that instant in UTC, and the same program then plans no change."""
    east = ANCHOR.astimezone(timezone(timedelta(hours=8)))
    start, end = (east + timedelta(hours=1)).isoformat(), (east + timedelta(hours=5)).isoformat()
    assert start.endswith("+08:00")
    args = {
        "task_name": "offset",
        "source_type": "url",
        "source_urls": ["http://media.example.com/a.mp4"],
        "dst_url": "rtmp://push.example.com/live/offset",
        "start_time": start,
        "end_time": end,
    }
    project.write_tasks([{"name": "offset", "cloud": "aliyun", "args": args}])
    project.up()
    task = project.resources()[0]
    assert (task["inputs"]["start_time"], task["inputs"]["end_time"]) == (hour_from_now(1), hour_from_now(5))
    assert (task["outputs"]["start_time"], task["outputs"]["end_time"]) == (hour_from_now(1), hour_from_now(5))
    assert calls(emulator, "aliyun")["CreateLivePullToPush"] >= 1
    plan = project.plan("--expect-no-changes", "--refresh")
    assert plan.ops() == {}


UNKNOWN_IN_A_LIST = """\
import pulumi
from pulumi_relaytask import huawei

common = dict(source_type="PullVodPushLive", domain="push.example.com", app_name="live", end_time="{end}")
first = huawei.RelayTask("first", source_urls=["http://media.example.com/a.mp4"], stream_name="first", **common)
# The second playlist names a file after the first task's id: unknown until the first task exists.
second = huawei.RelayTask(
    "second",
    source_urls=["http://media.example.com/b.mp4", first.task_id.apply(lambda i: f"http://media.example.com/{{i}}.mp4")],
    stream_name="second",
    **common,
)
# The third's second URL carries a query once known: it becomes a secret then, and only then.
third = huawei.RelayTask(
    "third",
    source_urls=["http://media.example.com/c.mp4", first.task_id.apply(lambda i: f"http://media.example.com/c.mp4?sign={{i}}")],
    stream_name="third",
    **common,
)
pulumi.export("second_urls", second.source_urls)
pulumi.export("third_urls", third.source_urls)
pulumi.export("first_id", first.task_id)
"""


def test_a_value_unknown_inside_a_list_previews_and_applies(tmp_path: Path, emulator: EmulatorServer) -> None:
    project = PulumiProject.create(
        tmp_path,
        pulumi_env(tmp_path, {"RELAYTASK_ENDPOINT": emulator.url}),
        program=UNKNOWN_IN_A_LIST.format(end=hour_from_now(30)),
    )
    configure_clouds(project, uuid.uuid4().hex)
    plan = project.plan()
    assert plan.ops() == {"first": ["create"], "second": ["create"], "third": ["create"]}
    assert plan.check_failures("second") == {}
    project.up()
    outputs = project.outputs()
    assert outputs["second_urls"] == [
        "http://media.example.com/b.mp4",
        f"http://media.example.com/{outputs['first_id']}.mp4",
    ]
    assert outputs["third_urls"] == "[secret]"
    state = {r["urn"].rsplit("::", 1)[1]: r for r in project.resources()}
    secret = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}
    assert state["third"]["inputs"]["source_urls"].items() >= secret.items()
    assert state["third"]["outputs"]["source_urls"].items() >= secret.items()
    assert isinstance(state["second"]["outputs"]["source_urls"], list)  # no query: stays readable
    assert project.plan("--expect-no-changes").ops() == {}
    project.destroy()
