"""What `pulumi preview` says before a plan touches tasks, through the real CLI against the emulator.

- Every interruption of a running push is announced (a replacement, Alibaba's Stop → Update →
  Restart, a playlist switched at once), naming the task and the fields, and only for a task that
  is pushing, never for one that has not started.
- A refresh preview of a drifted task shows only the fields that really changed: not the region the
  cloud chose, nor a status the program never set.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pulumi_relaytask.emulator.server import EmulatorServer

from ..conftest import DEMO_AK
from .conftest import hour_from_now
from .harness import Plan, PulumiProject

INTERRUPTS = "interrupts a running push"
WRITE_PREFIXES = ("Create", "Modify", "Update", "Delete", "Stop", "Restart")


def writes(emulator: EmulatorServer) -> int:
    return sum(
        count
        for ops in emulator.stats.snapshot().values()
        for op, count in ops.items()
        if op.startswith(WRITE_PREFIXES)
    )


def huawei_live(name: str, start: int, **change: Any) -> dict[str, Any]:
    args = {
        "source_type": "PullLivePushLive",
        "source_urls": ["rtmp://origin.example.com/live/main"],
        "destination_url": f"rtmp://push.example.com/relay/{name}",
        "start_time": hour_from_now(start),
        "end_time": hour_from_now(30),
        **change,
    }
    return {"name": name, "args": args}


def huawei_vod(name: str, start: int, **change: Any) -> dict[str, Any]:
    args = {
        "source_type": "PullVodPushLive",
        "source_urls": ["http://media.example.com/a.mp4", "http://media.example.com/b.mp4"],
        "domain": "push.example.com",
        "app_name": "live",
        "stream_name": name,
        "start_time": hour_from_now(start),
        "end_time": hour_from_now(30),
        **change,
    }
    return {"name": name, "args": args}


def aliyun_vod(name: str, start: int, **change: Any) -> dict[str, Any]:
    args = {
        "source_type": "url",
        "source_urls": ["http://media.example.com/a.mp4", "http://media.example.com/b.mp4"],
        "dst_url": f"rtmp://push.example.com/live/{name}",
        "start_time": hour_from_now(start),
        "end_time": hour_from_now(5),
        **change,
    }
    return {"name": name, "cloud": "aliyun", "args": args}


def tencent_live(name: str, start: int, **change: Any) -> dict[str, Any]:
    args = {
        "source_type": "PullLivePushLive",
        "source_urls": ["rtmp://origin.example.com/live/main"],
        "domain_name": "push.example.com",
        "app_name": "live",
        "stream_name": name,
        "start_time": hour_from_now(start),
        "end_time": hour_from_now(30),
        **change,
    }
    return {"name": name, "cloud": "tencent", "args": args}


def warned(plan: Plan, task_ids: dict[str, str]) -> dict[str, list[str]]:
    """The interruption warnings of the plan, by the resource whose task each one names."""
    found: dict[str, list[str]] = {}
    for message in plan.warnings():
        for name, task_id in task_ids.items():
            if f"task {task_id}:" in message and INTERRUPTS in message:
                found.setdefault(name, []).append(message)
    return found


def test_previews_announce_interruptions_of_running_pushes_and_show_only_real_drift(
    project: PulumiProject, emulator: EmulatorServer, project_id: str
) -> None:
    # Hour 0 is the start of the test run: those tasks are pushing now; hour 2 ones have not started.
    tasks = [
        huawei_live("hw-running", 0),
        huawei_live("hw-later", 2),
        huawei_vod("hw-vod-running", 0),
        huawei_vod("hw-vod-later", 2),
        aliyun_vod("ali-running", 0),
        aliyun_vod("ali-later", 2),
        tencent_live("tc-running", 0),
        tencent_live("tc-later", 2),
    ]
    project.write_tasks(tasks)
    project.up()
    ids = {name.removesuffix("_task_id"): task_id for name, task_id in project.outputs().items()}

    # Each change below applies to both tasks of a pair; only the running one is announced.
    new_source = {
        "hw-running": {"source_urls": ["rtmp://origin.example.com/live/backup"]},  # a replacement
        "hw-vod-running": {"source_urls": ["http://media.example.com/c.mp4"]},  # switched at once
        "ali-running": {"source_urls": ["http://media.example.com/c.mp4"]},  # Stop → Update → Restart
        "tc-running": {"source_urls": ["rtmp://origin.example.com/live/backup"]},  # new source at once
    }
    changed = []
    for t in tasks:
        change = new_source.get(t["name"]) or new_source.get(t["name"].replace("later", "running"), {})
        changed.append({**t, "args": {**t["args"], **change}})
    project.write_tasks(changed)
    before = writes(emulator)
    plan = project.plan()
    assert writes(emulator) == before
    assert set(plan.ops()) == {t["name"] for t in tasks}  # every task has a planned change
    announced = warned(plan, ids)
    assert set(announced) == {"hw-running", "hw-vod-running", "ali-running", "tc-running"}, plan.warnings()
    assert "forced by source_urls" in announced["hw-running"][0]
    assert "immediate_new_source" in announced["hw-vod-running"][0]
    assert "stops it, updates it and restarts it" in announced["ali-running"][0]
    assert "switches the push to the new sources" in announced["tc-running"][0]
    # The same change with the playlist switched after the current file is not an interruption.
    calm = [
        {**t, "args": {**t["args"], "vod_refresh_type": "continue_from_file_start"}}
        if t["name"] == "hw-vod-running"
        else t
        for t in changed
    ]
    project.write_tasks(calm)
    assert "hw-vod-running" not in warned(project.plan(), ids)

    # Drift made out of band; the refresh preview shows exactly the drifted fields of each task.
    project.write_tasks(tasks)
    emulator.huawei.modify_pull_task(
        DEMO_AK, project_id, {"task_id": ids["hw-vod-later"], "end_time": hour_from_now(20)}
    )
    emulator.aliyun.update_live_pull_to_push(
        DEMO_AK, {"Region": "cn-shanghai", "TaskId": ids["ali-later"], "EndTime": hour_from_now(4)}
    )
    plan = project.plan("--refresh")
    assert plan.ops() == {"hw-vod-later": ["update"], "ali-later": ["update"]}
    assert plan.changed_inputs("hw-vod-later") == {"end_time"}
    assert plan.changed_inputs("ali-later") == {"end_time"}
    assert Counter(w for w in plan.warnings() if INTERRUPTS in w) == Counter()
