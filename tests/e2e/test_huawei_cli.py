"""Huawei relay tasks through the real Pulumi CLI against the emulator.

Each test is a sequence of CLI steps checking the emulator's state and API-call counts after each.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pulumi_relaytask.emulator.server import EmulatorServer

from ..conftest import DEMO_AK, DEMO_SK
from .conftest import hour_from_now
from .harness import PulumiProject, pulumi_env

MUTATING = ("CreatePullTask", "ModifyPullTask", "DeletePullTask")
PUSH_ARGS = "auth_key=relaytask-push-token-7f3a"
# How a Pulumi state marks an encrypted secret value.
SECRET_SIG, SECRET_MARK = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"


def calls(emulator: EmulatorServer) -> Counter[str]:
    return Counter(emulator.stats.snapshot()["huawei"])


def vod_task(name: str = "vod", **change: Any) -> dict[str, Any]:
    args = {
        "source_type": "PullVodPushLive",
        "source_urls": [
            "http://media.example.com/a.mp4",
            "http://media.example.com/b.mp4",
            "http://media.example.com/c.mp4",
        ],
        "domain": "push.example.com",
        "app_name": "live",
        "stream_name": f"{name}-stream",
        "push_args": PUSH_ARGS,
        "start_time": hour_from_now(1),
        "end_time": hour_from_now(30),
        "callback_events": ["TaskStart", "TaskExit"],
    }
    args.update(change)
    return {"name": name, "args": args}


def live_task(name: str = "live", **change: Any) -> dict[str, Any]:
    args = {
        "source_type": "PullLivePushLive",
        "source_urls": ["rtmp://origin.example.com/live/keynote"],
        "destination_url": f"rtmp://push.example.com/relay/{name}",
        "start_time": hour_from_now(1),
        "end_time": hour_from_now(30),
    }
    args.update(change)
    return {"name": name, "args": args}


def task_in_cloud(emulator: EmulatorServer, project: PulumiProject, task_id: str) -> dict[str, Any] | None:
    project_id = project.run("config", "get", "relaytask:huaweiProjectId").stdout.strip()
    tasks, _total = emulator.huawei.list_pull_tasks(DEMO_AK, project_id, region=None, offset=0, limit=100, task_id=None)
    return next((t for t in tasks if t["task_id"] == task_id), None)


def task_ids(emulator: EmulatorServer, project: PulumiProject) -> list[str]:
    project_id = project.run("config", "get", "relaytask:huaweiProjectId").stdout.strip()
    tasks, _ = emulator.huawei.list_pull_tasks(DEMO_AK, project_id, region=None, offset=0, limit=100, task_id=None)
    return [t["task_id"] for t in tasks]


def test_lifecycle_create_noop_update_in_place_and_destroy(project: PulumiProject, emulator: EmulatorServer) -> None:
    project.write_tasks([vod_task()])
    project.up()
    task_id = project.outputs()["vod_task_id"]
    live = task_in_cloud(emulator, project, task_id)
    assert live is not None and live["source_urls"][0].endswith("a.mp4")

    before = calls(emulator)
    project.preview("--expect-no-changes")
    project.preview("--refresh", "--expect-no-changes")
    after = calls(emulator)
    assert all(after[op] == before[op] for op in MUTATING)
    # preview --refresh reads the one task once.
    assert after["ListPullTasks"] - before["ListPullTasks"] == 1

    # Playlist order is significant: reversing it is an in-place modify, nothing else.
    reordered = list(reversed(vod_task()["args"]["source_urls"]))
    project.write_tasks([vod_task(source_urls=reordered, vod_refresh_type="continue_from_file_start")])
    plan = project.plan()
    assert plan.ops() == {"vod": ["update"]}
    assert plan.changed_inputs("vod") == {"source_urls", "vod_refresh_type"}
    before = calls(emulator)
    project.up()
    delta = calls(emulator) - before
    assert delta["ModifyPullTask"] == 1 and delta["CreatePullTask"] == 0 and delta["DeletePullTask"] == 0
    live = task_in_cloud(emulator, project, task_id)
    assert live is not None and live["source_urls"] == reordered
    project.preview("--refresh", "--expect-no-changes")

    # vod_refresh_type alone is an instruction, not state: no diff, no call.
    project.write_tasks([vod_task(source_urls=reordered, vod_refresh_type="continue_from_break_point")])
    project.preview("--expect-no-changes")

    project.destroy()
    assert task_ids(emulator, project) == []
    assert project.resources() == []


def test_out_of_band_change_is_detected_by_refresh_preview_and_repaired(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    project.write_tasks([vod_task()])
    project.up()
    task_id = project.outputs()["vod_task_id"]
    project_id = project.run("config", "get", "relaytask:huaweiProjectId").stdout.strip()

    # Someone edits the playlist in the console.
    emulator.huawei.modify_pull_task(
        DEMO_AK, project_id, {"task_id": task_id, "source_urls": ["http://evil.example.com/x.mp4"]}
    )
    project.preview("--expect-no-changes")  # without refresh the state does not know yet
    drift = project.plan("--refresh", "--expect-no-changes", ok=False)
    assert drift.returncode != 0
    assert drift.ops() == {"vod": ["update"]}
    assert drift.refreshed("vod")["source_urls"] == ["http://evil.example.com/x.mp4"]
    assert "source_urls" in drift.changed_inputs("vod")

    project.up("--refresh")
    live = task_in_cloud(emulator, project, task_id)
    assert live is not None and live["source_urls"] == vod_task()["args"]["source_urls"]
    project.preview("--refresh", "--expect-no-changes")
    project.destroy()


def test_live_task_change_is_planned_and_applied_as_a_replacement(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    project.write_tasks([live_task()])
    project.up()
    old_id = project.outputs()["live_task_id"]
    project.preview("--refresh", "--expect-no-changes")

    project.write_tasks([live_task(end_time=hour_from_now(40))])
    before = calls(emulator)
    plan = project.plan()
    assert plan.ops() == {"live": ["replace"]}
    assert plan.replace_reasons("live") == ["end_time"]
    # The engine gives no reason for a dynamic resource's replacement: the preview warning does.
    (warning,) = plan.warnings()
    assert "only on a PullVodPushLive task" in warning
    assert f"end_time: '{hour_from_now(30)}' → '{hour_from_now(40)}'" in warning
    assert all(calls(emulator)[op] == before[op] for op in MUTATING), "preview must not call the API to mutate"

    project.up()
    delta = calls(emulator) - before
    assert delta["ModifyPullTask"] == 0 and delta["DeletePullTask"] == 1 and delta["CreatePullTask"] == 1
    new_id = project.outputs()["live_task_id"]
    assert new_id != old_id
    assert task_ids(emulator, project) == [new_id]
    project.preview("--refresh", "--expect-no-changes")
    project.destroy()
    assert task_ids(emulator, project) == []


def test_pause_and_resume_a_vod_task(project: PulumiProject, emulator: EmulatorServer) -> None:
    project.write_tasks([vod_task(status="pause")])
    project.up()
    task_id = project.outputs()["vod_task_id"]
    live = task_in_cloud(emulator, project, task_id)
    assert live is not None and live["status"] == "suspend"  # how ListPullTasks shows a paused task
    project.preview("--refresh", "--expect-no-changes")

    project.write_tasks([vod_task()])  # status defaults to enable
    before = calls(emulator)
    project.up()
    assert (calls(emulator) - before)["ModifyPullTask"] == 1
    live = task_in_cloud(emulator, project, task_id)
    assert live is not None and live["status"] == "enable"
    project.preview("--refresh", "--expect-no-changes")
    project.destroy()


def test_refresh_after_out_of_band_deletion_drops_the_task_and_up_recreates_it(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    project.write_tasks([vod_task()])
    project.up()
    task_id = project.outputs()["vod_task_id"]
    project_id = project.run("config", "get", "relaytask:huaweiProjectId").stdout.strip()
    emulator.huawei.delete_pull_task(DEMO_AK, project_id, task_id, None)

    project.refresh()
    assert project.resources() == []
    project.up()
    new_id = project.outputs()["vod_task_id"]
    assert new_id != task_id and task_ids(emulator, project) == [new_id]
    # Deleting a task that is already gone succeeds.
    emulator.huawei.delete_pull_task(DEMO_AK, project_id, new_id, None)
    project.destroy()
    assert project.resources() == []


@pytest.mark.parametrize(
    "task, field, words",
    [
        (vod_task(source_urls=[]), "source_urls", "at least 1"),
        (live_task(status="pause"), "status", "cannot be paused"),
        (vod_task(end_time=hour_from_now(24 * 9)), "end_time", "at most 7 days"),
        (vod_task(destination_url="rtmp://push.example.com/x/y"), "domain", "mutually exclusive"),
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
    failed_up = project.up(ok=False)
    assert failed_up.returncode != 0
    after = calls(emulator)
    assert all(after[op] == before[op] for op in MUTATING)
    assert project.resources() == []


def test_state_holds_no_credential_and_no_plain_push_args(project: PulumiProject, emulator: EmulatorServer) -> None:
    project.write_tasks([vod_task()])
    project.up()
    state = project.export()
    text = json.dumps(state)
    assert DEMO_SK not in text
    assert DEMO_AK not in text
    assert PUSH_ARGS not in text
    (task,) = [r for r in state["deployment"]["resources"] if r["type"].endswith("RelayTask")]
    for section in ("inputs", "outputs"):
        assert task[section]["push_args"].get(SECRET_SIG) == SECRET_MARK
        assert not any("huawei" in key.lower() and "key" in key.lower() for key in task[section])
    project.destroy()


def test_credentials_from_the_environment_never_reach_the_state(
    tmp_path: Path, emulator: EmulatorServer, project_id: str
) -> None:
    env = pulumi_env(
        tmp_path,
        {
            "RELAYTASK_ENDPOINT": emulator.url,
            "HUAWEICLOUD_SDK_AK": DEMO_AK,
            "HUAWEICLOUD_SDK_SK": DEMO_SK,
            "HUAWEICLOUD_SDK_PROJECT_ID": project_id,
        },
    )
    project = PulumiProject.create(tmp_path, env)
    project.write_tasks([vod_task()])
    project.up()
    task_id = project.outputs()["vod_task_id"]
    assert emulator.huawei.list_pull_tasks(DEMO_AK, project_id, task_id=task_id)[1] == 1
    text = json.dumps(project.export())
    assert DEMO_AK not in text and DEMO_SK not in text and project_id not in text
    assert "relaytask:huawei" not in text
    project.destroy()
