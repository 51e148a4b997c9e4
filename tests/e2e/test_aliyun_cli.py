"""Alibaba pull-to-push tasks through the real Pulumi CLI against the emulator.

The emulator runs on a clock the tests move, so a task starts, plays its playlist (600 s a file in
the emulator) and reaches its end time while the tests watch.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pulumi_relaytask.core import timefmt
from pulumi_relaytask.core.clock import FixedClock
from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.errors import ApiFault

from ..conftest import DEMO_AK, DEMO_SK
from .conftest import hour_from_now
from .harness import PulumiProject

REGION = "cn-shanghai"
MUTATING = (
    "CreateLivePullToPush",
    "UpdateLivePullToPush",
    "StopLivePullToPush",
    "RestartLivePullToPush",
    "DeleteLivePullToPush",
)
SECRET_SIG, SECRET_MARK = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[EmulatorServer]:
    """A private emulator whose clock starts at the real time and moves only when a test says so."""
    clock = FixedClock(datetime.now(UTC).replace(microsecond=0))
    with EmulatorServer(state_path=str(tmp_path / "aliyun.db"), clock=clock) as server:
        yield server


def advance(emulator: EmulatorServer, **delta: float) -> None:
    clock = emulator.clock
    assert isinstance(clock, FixedClock)
    clock.advance(timedelta(**delta))


def calls(emulator: EmulatorServer) -> Counter[str]:
    return Counter(emulator.stats.snapshot()["aliyun"])


def mutations(before: Counter[str], after: Counter[str]) -> dict[str, int]:
    return {op: after[op] - before[op] for op in MUTATING if after[op] != before[op]}


def playlist(name: str = "loop", **change: Any) -> dict[str, Any]:
    args = {
        "task_name": name,
        "source_type": "url",
        "source_urls": [
            "http://media.example.com/a.mp4",
            "http://media.example.com/b.mp4",
            "http://media.example.com/c.mp4",
        ],
        "dst_url": f"rtmp://push.example.com/live/{name}?auth_key=relaytask-aliyun-key",
        "start_time": hour_from_now(1),
        "end_time": hour_from_now(5),
        "repeat_number": -1,
    }
    args.update(change)
    return {"name": name, "cloud": "aliyun", "args": args}


def live(name: str = "relay", **change: Any) -> dict[str, Any]:
    args = {
        "source_type": "live",
        "source_protocol": "rtmp",
        "source_urls": ["rtmp://origin.example.com/live/keynote"],
        "dst_url": f"rtmp://push.example.com/relay/{name}",
        "start_time": hour_from_now(1),
        "end_time": hour_from_now(5),
    }
    args.update(change)
    return {"name": name, "cloud": "aliyun", "args": args}


def cloud_task(emulator: EmulatorServer, task_id: str) -> dict[str, Any] | None:
    try:
        return emulator.aliyun.describe_live_pull_to_push(DEMO_AK, {"Region": REGION, "TaskId": task_id})
    except ApiFault as fault:
        assert fault.code == "CodeTaskNotExist"
        return None


def task_id_of(project: PulumiProject, name: str) -> str:
    return str(project.outputs()[f"{name}_task_id"])


def start_playing(emulator: EmulatorServer, **into: float) -> None:
    """Set the emulator's clock to the tasks' start time (`hour_from_now(1)`), plus `into`."""
    clock = emulator.clock
    assert isinstance(clock, FixedClock)
    clock.set(timefmt.parse_rfc3339(hour_from_now(1)) + timedelta(**into))


def test_lifecycle_and_updates_before_the_start(project: PulumiProject, emulator: EmulatorServer) -> None:
    project.write_tasks([playlist()])
    project.up()
    task_id = task_id_of(project, "loop")
    task = cloud_task(emulator, task_id)
    assert task is not None and task["TaskStatus"] == 0
    before = calls(emulator)
    project.preview("--expect-no-changes")
    project.preview("--refresh", "--expect-no-changes")
    assert mutations(before, calls(emulator)) == {}

    # Not running yet: a playlist change is a plain Update, no interruption.
    urls = playlist()["args"]["source_urls"] + ["http://media.example.com/d.mp4"]
    project.write_tasks([playlist(source_urls=urls)])
    plan = project.plan()
    assert plan.ops() == {"loop": ["update"]}
    assert plan.warnings() == []
    before = calls(emulator)
    project.up()
    assert mutations(before, calls(emulator)) == {"UpdateLivePullToPush": 1}
    task = cloud_task(emulator, task_id)
    assert task is not None and task["TaskInfo"]["SourceUrls"] == urls

    project.destroy()
    assert cloud_task(emulator, task_id) is None


def test_updating_a_running_task_stops_updates_and_restarts_it_where_it_was(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    project.write_tasks([playlist()])
    project.up()
    task_id = task_id_of(project, "loop")
    start_playing(emulator, minutes=15)  # 900 s in: file 1, 300 s into it
    task = cloud_task(emulator, task_id)
    assert task is not None and task["TaskStatus"] == 1
    assert (task["CurrentFileIndex"], task["CurrentOffset"]) == (1, 300)
    project.preview("--refresh", "--expect-no-changes")  # observed position never makes a diff

    # callback_url and repeat_number change while it runs: no interruption.
    project.write_tasks([playlist(callback_url="https://hooks.example.com/relay", repeat_number=2)])
    before = calls(emulator)
    project.up()
    assert mutations(before, calls(emulator)) == {"UpdateLivePullToPush": 1}

    # Anything else interrupts the push, which the preview says.
    urls = ["http://media.example.com/a.mp4", "http://media.example.com/b2.mp4", "http://media.example.com/c.mp4"]
    change = playlist(callback_url="https://hooks.example.com/relay", repeat_number=2, source_urls=urls)
    project.write_tasks([change])
    plan = project.plan()
    assert plan.ops() == {"loop": ["update"]}
    (warning,) = plan.warnings()
    assert task_id in warning and "source_urls of a running task stops it, updates it and restarts it" in warning
    before = calls(emulator)
    project.up()
    assert mutations(before, calls(emulator)) == {
        "StopLivePullToPush": 1,
        "UpdateLivePullToPush": 1,
        "RestartLivePullToPush": 1,
    }
    task = cloud_task(emulator, task_id)
    assert task is not None and task["TaskStatus"] == 1
    assert task["TaskInfo"]["SourceUrls"] == urls
    assert (task["CurrentFileIndex"], task["CurrentOffset"]) == (1, 300)  # resumed, not from the top
    project.preview("--refresh", "--expect-no-changes")
    project.destroy()


def test_pause_and_resume(project: PulumiProject, emulator: EmulatorServer) -> None:
    project.write_tasks([live(status="pause")])
    plan = project.plan(ok=False)  # not started yet: Alibaba cannot stop it
    assert plan.returncode != 0
    assert "before the task starts" in plan.check_failures("relay").get("status", ""), plan.diagnostics

    started = hour_from_now(0)  # the current hour: already running
    project.write_tasks([live(start_time=started)])
    project.up()
    task_id = task_id_of(project, "relay")
    project.write_tasks([live(start_time=started, status="pause")])
    before = calls(emulator)
    project.up()
    assert mutations(before, calls(emulator)) == {"StopLivePullToPush": 1}
    task = cloud_task(emulator, task_id)
    assert task is not None and task["TaskStatus"] == 3 and task["TaskExitReason"] == "TriggerByUser"
    project.preview("--refresh", "--expect-no-changes")

    project.write_tasks([live(start_time=started)])
    before = calls(emulator)
    project.up()
    assert mutations(before, calls(emulator)) == {"RestartLivePullToPush": 1}
    task = cloud_task(emulator, task_id)
    assert task is not None and task["TaskStatus"] == 1
    project.destroy()


def test_out_of_band_stop_is_drift_repaired_by_up(project: PulumiProject, emulator: EmulatorServer) -> None:
    project.write_tasks([live()])
    project.up()
    task_id = task_id_of(project, "relay")
    start_playing(emulator)
    emulator.aliyun.stop_live_pull_to_push(DEMO_AK, {"Region": REGION, "TaskId": task_id})
    drift = project.plan("--refresh", "--expect-no-changes", ok=False)
    assert drift.returncode != 0
    assert drift.ops() == {"relay": ["update"]}
    assert (drift.refreshed("relay")["status"], drift.refreshed("relay")["task_status"]) == ("pause", 3)
    assert "status" in drift.changed_inputs("relay")
    project.up("--refresh")
    task = cloud_task(emulator, task_id)
    assert task is not None and task["TaskStatus"] == 1
    project.destroy()


def test_a_task_past_its_end_time_is_gone_and_cannot_be_recreated_as_is(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    project.write_tasks([live()])
    project.up()
    task_id = task_id_of(project, "relay")
    advance(emulator, hours=6)  # past end_time: Alibaba deletes the task
    assert cloud_task(emulator, task_id) is None
    project.refresh()
    assert project.resources() == []

    # The program still names an end time that has passed (here written as such).
    project.write_tasks([live(start_time=hour_from_now(-3), end_time=hour_from_now(-1))])
    before = calls(emulator)
    failed = project.plan(ok=False)
    assert failed.returncode != 0
    rule = failed.check_failures("relay").get("end_time", "")
    assert "Alibaba deletes a task at its end time" in rule, failed.diagnostics
    assert mutations(before, calls(emulator)) == {}


def test_refresh_after_out_of_band_deletion(project: PulumiProject, emulator: EmulatorServer) -> None:
    project.write_tasks([playlist()])
    project.up()
    task_id = task_id_of(project, "loop")
    emulator.aliyun.delete_live_pull_to_push(DEMO_AK, {"Region": REGION, "TaskId": task_id})
    project.refresh()
    assert project.resources() == []
    project.up()
    new_id = task_id_of(project, "loop")
    assert new_id != task_id and cloud_task(emulator, new_id) is not None
    emulator.aliyun.delete_live_pull_to_push(DEMO_AK, {"Region": REGION, "TaskId": new_id})
    project.destroy()
    assert project.resources() == []


@pytest.mark.parametrize(
    "task, field, words",
    [
        (playlist(retry_interval=30), "retry_interval", "greater than or equal to 60"),
        (live(source_protocol=None), "source_protocol", "required when source_type is live"),
        (playlist(end_time=hour_from_now(1)), "end_time", "must be later than start_time"),
        (playlist(callback_url="javascript:alert(1)"), "callback_url", "scheme http or https"),
        (playlist(dst_url="srt://push.example.com/live/x"), "dst_url", "scheme rtmp"),
    ],
)
def test_invalid_input_is_rejected_at_preview_with_no_mutating_call(
    project: PulumiProject, emulator: EmulatorServer, task: dict[str, Any], field: str, words: str
) -> None:
    task["args"] = {k: v for k, v in task["args"].items() if v is not None}
    project.write_tasks([task])
    before = calls(emulator)
    plan = project.plan(ok=False)
    assert plan.returncode != 0
    assert words in plan.check_failures(task["name"]).get(field, ""), plan.diagnostics
    assert project.up(ok=False).returncode != 0
    assert mutations(before, calls(emulator)) == {}


def test_replacement_and_secret_destination(project: PulumiProject, emulator: EmulatorServer) -> None:
    project.write_tasks([playlist()])
    project.up()
    old_id = task_id_of(project, "loop")
    state = project.export()
    text = json.dumps(state)
    assert "relaytask-aliyun-key" not in text and DEMO_AK not in text and DEMO_SK not in text
    (task,) = [r for r in state["deployment"]["resources"] if r["type"].endswith("RelayTask")]
    assert task["inputs"]["dst_url"].get(SECRET_SIG) == SECRET_MARK
    assert task["outputs"]["dst_url"].get(SECRET_SIG) == SECRET_MARK

    project.write_tasks([playlist(retry_interval=120)])
    before = calls(emulator)
    plan = project.plan()
    assert plan.ops() == {"loop": ["replace"]}
    assert plan.replace_reasons("loop") == ["retry_interval"]
    assert mutations(before, calls(emulator)) == {}
    project.up()
    assert mutations(before, calls(emulator)) == {"DeleteLivePullToPush": 1, "CreateLivePullToPush": 1}
    new_id = task_id_of(project, "loop")
    assert new_id != old_id and cloud_task(emulator, old_id) is None
    project.destroy()
