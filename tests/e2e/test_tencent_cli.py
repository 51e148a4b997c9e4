"""Tencent pull-stream tasks through the real Pulumi CLI against the emulator.

Each flaw of the Terraform resource `tencentcloud_css_pull_stream_task` has a test here:
- updates planned that then fail at apply  -> test_replacement_is_planned_at_preview_and_applied
- refresh errors when a task is gone         -> test_refresh_after_out_of_band_deletion
- source_urls kept as an unordered set       -> test_lifecycle (playlist order change is an update)
- several fields never read back             -> test_out_of_band_changes_are_detected_and_repaired
- push_args in plain state                   -> test_state_holds_no_credential_and_no_plain_secrets
- duplicate tasks on retried creates         -> tests/contract/test_exactly_once.py
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.errors import ApiFault

from ..conftest import DEMO_AK, DEMO_SK
from .conftest import hour_from_now
from .harness import PulumiProject

MUTATING = (
    "CreateLivePullStreamTask",
    "ModifyLivePullStreamTask",
    "DeleteLivePullStreamTask",
    "RestartLivePullStreamTask",
)
REGION = "ap-guangzhou"
PUSH_ARGS = "txSecret=relaytask-tencent-token"
SECRET_SIG, SECRET_MARK = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"


def calls(emulator: EmulatorServer) -> Counter[str]:
    return Counter(emulator.stats.snapshot()["tencent"])


def mutations(before: Counter[str], after: Counter[str]) -> dict[str, int]:
    return {op: after[op] - before[op] for op in MUTATING if after[op] != before[op]}


def vod(name: str = "vod", **change: Any) -> dict[str, Any]:
    args = {
        "source_type": "PullVodPushLive",
        "source_urls": [
            "http://media.example.com/a.mp4",
            "http://media.example.com/b.mp4",
            "http://media.example.com/c.mp4",
        ],
        "domain_name": "push.example.com",
        "app_name": "live",
        "stream_name": f"{name}-stream",
        "push_args": PUSH_ARGS,
        "start_time": hour_from_now(1),
        "end_time": hour_from_now(30),
        "comment": "lobby loop",
        "callback_events": ["TaskStart", "TaskExit"],
        "vod_loop_times": -1,
        "watermark_list": [
            {"picture_url": "http://media.example.com/logo.png", "x_position": 5, "y_position": 5, "width": 12}
        ],
    }
    args.update(change)
    return {"name": name, "cloud": "tencent", "args": args}


def live(name: str = "live", **change: Any) -> dict[str, Any]:
    args = {
        "source_type": "PullLivePushLive",
        "source_urls": ["rtmp://origin.example.com/live/keynote"],
        "to_url": f"rtmp://push.example.com/relay/{name}?txSecret=abc123",
        "start_time": hour_from_now(1),
        "end_time": hour_from_now(30),
        "backup_source_type": "PullLivePushLive",
        "backup_source_url": "rtmp://backup.example.com/live/keynote",
    }
    args.update(change)
    return {"name": name, "cloud": "tencent", "args": args}


def cloud_task(emulator: EmulatorServer, task_id: str) -> dict[str, Any] | None:
    try:
        answer = emulator.tencent.describe_live_pull_stream_tasks(DEMO_AK, REGION, {"TaskId": task_id})
    except ApiFault as fault:
        assert fault.code == "InvalidParameter.TaskNotExist"
        return None
    infos = answer.get("TaskInfos") or []
    return infos[0] if infos else None


def task_id_of(project: PulumiProject, name: str) -> str:
    return str(project.outputs()[f"{name}_task_id"])


def test_lifecycle(project: PulumiProject, emulator: EmulatorServer) -> None:
    project.write_tasks([vod()])
    before = calls(emulator)
    project.up()
    task_id = task_id_of(project, "vod")
    assert mutations(before, calls(emulator)) == {"CreateLivePullStreamTask": 1}
    info = cloud_task(emulator, task_id)
    assert info is not None and info["TaskId"] == task_id and info["CreateBy"] == "pulumi-relaytask"

    before = calls(emulator)
    project.preview("--expect-no-changes")
    project.preview("--refresh", "--expect-no-changes")
    after = calls(emulator)
    assert mutations(before, after) == {}
    assert after["DescribeLivePullStreamTasks"] - before["DescribeLivePullStreamTasks"] == 1

    # Order is playback order: a reordered playlist is an in-place modify.
    reordered = list(reversed(vod()["args"]["source_urls"]))
    project.write_tasks([vod(source_urls=reordered, comment="reordered")])
    plan = project.plan()
    assert plan.ops() == {"vod": ["update"]}
    assert plan.changed_inputs("vod") == {"source_urls", "comment"}
    before = calls(emulator)
    project.up()
    assert mutations(before, calls(emulator)) == {"ModifyLivePullStreamTask": 1}
    info = cloud_task(emulator, task_id)
    assert info is not None and info["SourceUrls"] == reordered and info["Comment"] == "reordered"

    # operator is who acts, not task state: changing it alone plans nothing.
    project.write_tasks([vod(source_urls=reordered, comment="reordered", operator="alice")])
    project.preview("--refresh", "--expect-no-changes")

    project.destroy()
    assert cloud_task(emulator, task_id) is None
    assert project.resources() == []


def test_out_of_band_changes_are_detected_and_repaired(project: PulumiProject, emulator: EmulatorServer) -> None:
    project.write_tasks([vod()])
    project.up()
    task_id = task_id_of(project, "vod")
    emulator.tencent.modify_live_pull_stream_task(
        DEMO_AK,
        REGION,
        {
            "TaskId": task_id,
            "Operator": "console-user",
            "Comment": "edited in the console",
            "CallbackUrl": "http://evil.example.com/hook",
            "Status": "pause",
            "WatermarkList": [],
        },
    )
    drift = project.plan("--refresh", "--expect-no-changes", ok=False)
    assert drift.returncode != 0
    assert drift.ops() == {"vod": ["update"]}
    live = drift.refreshed("vod")
    assert (live["comment"], live["callback_url"], live["status"]) == (
        "edited in the console",
        "http://evil.example.com/hook",
        "pause",
    )
    assert not live.get("watermark_list")
    assert {"comment", "callback_url", "status", "watermark_list"} <= drift.changed_inputs("vod")

    before = calls(emulator)
    project.up("--refresh")
    assert mutations(before, calls(emulator)) == {"ModifyLivePullStreamTask": 1}
    info = cloud_task(emulator, task_id)
    assert info is not None and info["Status"] == "enable" and info["Comment"] == "lobby loop"
    assert info.get("CallbackUrl") in (None, "") and len(info["WatermarkList"]) == 1
    project.preview("--refresh", "--expect-no-changes")
    project.destroy()


def test_replacement_is_planned_at_preview_and_applied(project: PulumiProject, emulator: EmulatorServer) -> None:
    project.write_tasks([vod()])
    project.up()
    old_id = task_id_of(project, "vod")
    project.write_tasks([vod(push_args="txSecret=rotated")])
    before = calls(emulator)
    plan = project.plan()
    assert plan.ops() == {"vod": ["replace"]}
    assert plan.replace_reasons("vod") == ["push_args"]
    assert mutations(before, calls(emulator)) == {}
    project.up()
    assert mutations(before, calls(emulator)) == {"DeleteLivePullStreamTask": 1, "CreateLivePullStreamTask": 1}
    new_id = task_id_of(project, "vod")
    assert new_id != old_id and cloud_task(emulator, old_id) is None and cloud_task(emulator, new_id) is not None
    project.preview("--refresh", "--expect-no-changes")
    project.destroy()


def test_pause_and_resume_a_live_task_in_place(project: PulumiProject, emulator: EmulatorServer) -> None:
    project.write_tasks([live()])
    project.up()
    task_id = task_id_of(project, "live")
    project.write_tasks([live(status="pause")])
    before = calls(emulator)
    project.up()
    assert mutations(before, calls(emulator)) == {"ModifyLivePullStreamTask": 1}
    info = cloud_task(emulator, task_id)
    assert info is not None and info["Status"] == "pause"
    project.preview("--refresh", "--expect-no-changes")
    project.write_tasks([live()])
    project.up()
    info = cloud_task(emulator, task_id)
    assert info is not None and info["Status"] == "enable"
    project.destroy()


def test_refresh_after_out_of_band_deletion(project: PulumiProject, emulator: EmulatorServer) -> None:
    project.write_tasks([vod()])
    project.up()
    task_id = task_id_of(project, "vod")
    emulator.tencent.delete_live_pull_stream_task(DEMO_AK, REGION, {"TaskId": task_id, "Operator": "console"})
    project.refresh()
    assert project.resources() == []
    project.up()
    new_id = task_id_of(project, "vod")
    # The same declaration asks for the same SpecifyTaskId (derived from what a create sends).
    assert new_id == task_id and cloud_task(emulator, new_id) is not None
    emulator.tencent.delete_live_pull_stream_task(DEMO_AK, REGION, {"TaskId": new_id, "Operator": "console"})
    project.destroy()  # deleting a task that is already gone succeeds
    assert project.resources() == []


@pytest.mark.parametrize(
    "task, field, words",
    [
        (vod(file_index=0), "file_index", "greater than or equal to 1"),
        (live(vod_loop_times=3), "vod_loop_times", "PullVodPushLive tasks only"),
        (vod(end_time=hour_from_now(24 * 31)), "end_time", "less than 30 days"),
    ],
)
def test_invalid_input_is_rejected_at_preview_with_no_mutating_call(
    project: PulumiProject, emulator: EmulatorServer, task: dict[str, Any], field: str, words: str
) -> None:
    project.write_tasks([task])
    before = calls(emulator)
    plan = project.plan(ok=False)
    assert plan.returncode != 0
    assert words in plan.check_failures(task["name"]).get(field, ""), plan.diagnostics
    assert project.up(ok=False).returncode != 0
    assert mutations(before, calls(emulator)) == {}
    assert project.resources() == []


def test_state_holds_no_credential_and_no_plain_secrets(project: PulumiProject, emulator: EmulatorServer) -> None:
    project.write_tasks([vod(), live()])
    project.up()
    state = project.export()
    text = json.dumps(state)
    assert DEMO_AK not in text and DEMO_SK not in text
    assert PUSH_ARGS not in text and "txSecret=abc123" not in text
    tasks = {
        r["urn"].rsplit("::", 1)[1]: r for r in state["deployment"]["resources"] if r["type"].endswith("RelayTask")
    }
    for section in ("inputs", "outputs"):
        assert tasks["vod"][section]["push_args"].get(SECRET_SIG) == SECRET_MARK
        assert tasks["live"][section]["to_url"].get(SECRET_SIG) == SECRET_MARK
    # A destination without query parameters stays readable.
    assert tasks["vod"]["outputs"]["domain_name"] == "push.example.com"
    project.destroy()
