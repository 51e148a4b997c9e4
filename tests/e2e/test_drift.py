"""`relaytask drift` through the real CLI (the console script, the Automation API, the pinned `pulumi`)
against the emulator: a task per cloud changed out of band with the project's own API clients, one
deleted, each drifted field reported by path with its desired and live values, secrets never printed,
and the exit codes a CI job reads (0 in sync, 2 drift, 1 error).
"""

from __future__ import annotations

import json
import subprocess
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from pulumi_relaytask.aliyun.api import AliyunClient
from pulumi_relaytask.aliyun.settings import AliyunSettings
from pulumi_relaytask.core.values import redact
from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.huawei.api import HuaweiClient
from pulumi_relaytask.huawei.settings import HuaweiSettings
from pulumi_relaytask.tencent.api import TencentClient
from pulumi_relaytask.tencent.settings import TencentSettings

from ..conftest import DEMO_AK, DEMO_SK
from .conftest import hour_from_now
from .harness import VENV_BIN, PulumiProject

# One token per secret, so a leak names where it came from.
TOKENS = {name: f"tok-{name}-{uuid.uuid4().hex[:10]}" for name in ("hw-src", "hw-edit", "hw-push", "tc-push", "al-dst")}
TOKENS["al-edit"] = f"tok-al-edit-{uuid.uuid4().hex[:10]}"
MEDIA = "http://media.example.com"
HW_SOURCES = [f"{MEDIA}/a.mp4", f"{MEDIA}/b.mp4?sign={TOKENS['hw-src']}"]
HW_EDITED = [f"{MEDIA}/a.mp4", f"{MEDIA}/b.mp4?sign={TOKENS['hw-edit']}"]
AL_SOURCES = [f"{MEDIA}/a.mp4", f"{MEDIA}/b.mp4"]
AL_EDITED = [f"{MEDIA}/a.mp4", f"{MEDIA}/b.mp4?sign={TOKENS['al-edit']}"]  # a key the program never gave
LOGO = f"{MEDIA}/logo.png"
READS = {"huawei:ListPullTasks", "tencent:DescribeLivePullStreamTasks", "aliyun:DescribeLivePullToPushList"}


def tasks() -> list[dict[str, Any]]:
    start, end = hour_from_now(1), hour_from_now(30)
    vod = {"source_type": "PullVodPushLive", "domain": "push.example.com", "app_name": "live", "end_time": end}
    return [
        {
            "name": "hw",
            "cloud": "huawei",
            "args": {
                **vod,
                "source_urls": HW_SOURCES,
                "stream_name": "drift-hw",
                "push_args": f"auth_key={TOKENS['hw-push']}",
                "start_time": start,
            },
        },
        {"name": "hw_gone", "cloud": "huawei", "args": {**vod, "source_urls": AL_SOURCES, "stream_name": "drift-gone"}},
        {
            "name": "tc",
            "cloud": "tencent",
            "args": {
                "source_type": "PullVodPushLive",
                "source_urls": [f"{MEDIA}/a.mp4"],
                "domain_name": "push.example.com",
                "app_name": "live",
                "stream_name": "drift-tc",
                "push_args": f"txSecret={TOKENS['tc-push']}",
                "start_time": start,
                "end_time": end,
                "comment": "lobby",
                "watermark_list": [{"picture_url": LOGO, "x_position": 5, "y_position": 5, "width": 12}],
            },
        },
        {
            "name": "al",
            "cloud": "aliyun",
            "args": {
                "task_name": "drift-al",
                "source_type": "url",
                "source_urls": AL_SOURCES,
                "dst_url": f"rtmp://push.example.com/live/drift-al?auth_key={TOKENS['al-dst']}",
                "start_time": start,
                "end_time": end,
                "repeat_number": -1,
            },
        },
    ]


def edit_out_of_band(url: str, project_id: str, ids: dict[str, str]) -> None:
    """What a second user of the accounts does in the consoles, through this project's own clients."""
    huawei = HuaweiClient(HuaweiSettings(DEMO_AK, DEMO_SK, project_id, "cn-north-4", url))
    tencent = TencentClient(TencentSettings(DEMO_AK, DEMO_SK, region="ap-guangzhou", endpoint=url))
    aliyun = AliyunClient(AliyunSettings(DEMO_AK, DEMO_SK, region="cn-shanghai", endpoint=url))
    try:
        huawei.modify_pull_task({"task_id": ids["hw_task_id"], "source_urls": HW_EDITED, "status": "pause"})
        assert huawei.delete_pull_task(ids["hw_gone_task_id"])
        tencent.modify_task(
            {
                "TaskId": ids["tc_task_id"],
                "Operator": "console-user",
                "Comment": "edited in the console",
                "WatermarkList": [{"PictureUrl": LOGO, "XPosition": 5, "YPosition": 5, "Width": 20}],
            },
            "ap-guangzhou",
        )
        aliyun.update({"TaskId": ids["al_task_id"], "RepeatNumber": 3, "SourceUrls": AL_EDITED}, "cn-shanghai")
    finally:
        huawei.close()
        tencent.close()
        aliyun.close()


def drift(project: PulumiProject, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(VENV_BIN / "relaytask"), "drift", "--cwd", str(project.workdir), *args],
        env=project.env,
        text=True,
        capture_output=True,
        timeout=300,
    )
    project.log.append(f"$ relaytask drift {' '.join(args)}\n{proc.stdout}\n{proc.stderr}")
    return proc


def report(proc: subprocess.CompletedProcess[str], code: int) -> dict[str, Any]:
    assert proc.returncode == code, f"exit {proc.returncode}, expected {code}:\n{proc.stdout}\n{proc.stderr}"
    document: dict[str, Any] = json.loads(proc.stdout)
    return document


def api_calls(emulator: EmulatorServer) -> Counter[str]:
    return Counter({f"{cloud}:{op}": n for cloud, ops in emulator.stats.snapshot().items() for op, n in ops.items()})


def stack_files(project: PulumiProject) -> dict[Path, bytes]:
    """The stack's state as the file backend keeps it (the harness puts the backend beside the project)."""
    stacks = project.workdir.parent / "state" / ".pulumi" / "stacks"
    return {path: path.read_bytes() for path in stacks.rglob("*") if path.is_file()}


def assert_no_secret(proc: subprocess.CompletedProcess[str]) -> None:
    printed = proc.stdout + proc.stderr
    assert [name for name, token in TOKENS.items() if token in printed] == []
    assert DEMO_SK not in printed


def test_drift_per_cloud_until_up_repairs_it(project: PulumiProject, emulator: EmulatorServer, project_id: str) -> None:
    project.write_tasks(tasks())
    project.up()
    ids = {k: str(v) for k, v in project.outputs().items()}
    assert report(drift(project, "--json", "--stack", "test"), 0) == {"stack": "test", "drifted": [], "in_sync": 4}

    edit_out_of_band(emulator.url, project_id, ids)
    calls, state = api_calls(emulator), stack_files(project)
    found = drift(project, "--json", "--stack", "test")
    assert_no_secret(found)
    document = report(found, 2)
    assert document["stack"] == "test" and document["in_sync"] == 0
    drifted = {task.pop("resource"): task for task in document["drifted"]}
    urns = {name: task.pop("urn") for name, task in drifted.items()}
    assert all(urn.endswith(f"RelayTask::{name}") for name, urn in urns.items())
    assert drifted == {
        "hw": {
            "cloud": "huawei",
            "task_id": ids["hw_task_id"],
            "action": "update",
            "fields": [
                {"path": "source_urls[1]", "desired": redact(HW_SOURCES[1]), "live": redact(HW_EDITED[1])},
                {"path": "status", "desired": "enable", "live": "pause"},
            ],
        },
        "hw_gone": {"cloud": "huawei", "task_id": ids["hw_gone_task_id"], "action": "gone", "fields": []},
        "tc": {
            "cloud": "tencent",
            "task_id": ids["tc_task_id"],
            "action": "update",
            "fields": [
                {"path": "comment", "desired": "lobby", "live": "edited in the console"},
                {"path": "watermark_list[0].width", "desired": 12, "live": 20},
            ],
        },
        "al": {
            "cloud": "aliyun",
            "task_id": ids["al_task_id"],
            "action": "update",
            "fields": [
                {"path": "source_urls[1]", "desired": AL_SOURCES[1], "live": redact(AL_EDITED[1])},
                {"path": "repeat_number", "desired": -1, "live": 3},
            ],
        },
    }

    # The table, of the selected stack: the same exit code, no secret either.
    table = drift(project)
    assert table.returncode == 2, table.stderr
    assert_no_secret(table)
    rows = {tuple(line.split()) for line in table.stdout.splitlines() if line.startswith("  ")}
    assert ("status", "enable", "pause") in rows and ("repeat_number", "-1", "3") in rows
    # Both runs only read each cloud, and left the stack's state as it was.
    assert set(api_calls(emulator) - calls) == READS
    assert stack_files(project) == state

    project.up("--refresh")  # repairs the three, creates the deleted one again
    assert report(drift(project, "--json", "--stack", "test"), 0) == {"stack": "test", "drifted": [], "in_sync": 4}

    missing = drift(project, "--json", "--stack", "no-such-stack")
    assert missing.returncode == 1 and missing.stdout == ""
    assert len(missing.stderr.strip().splitlines()) == 1 and "Traceback" not in missing.stderr
    assert "no-such-stack" in missing.stderr
    project.destroy()
