"""`relaytask import` end to end: tasks made outside Pulumi become a program that the real CLI adopts
without a single write, and that shows no drift afterwards.

Per cloud, tasks are made out of band in the emulator (a VOD playlist of several files, one of them
signed, and secret push arguments or a destination carrying a key). `relaytask import --stack test`
runs as a subprocess with the project's environment (credentials from the vendors' variables) and
writes the project's `__main__.py`, storing the secret values in the stack's config. Then `pulumi up`:
the emulator's statistics show no create, modify or delete call, `pulumi stack export` shows each
resource's id is the existing task's id with its secrets encrypted, and `pulumi preview --refresh
--expect-no-changes` passes.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_relaytask.emulator.server import EmulatorServer

from ..calls import writes
from ..conftest import DEMO_AK, DEMO_SK
from .harness import VENV_BIN, PulumiProject, pulumi_env

SECRET_SIG = "4dabf18193072939515e22adb298388d"  # how a state marks an encrypted value


def z(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def playlist(token: str) -> list[str]:
    return [
        "http://media.example.com/intro.mp4",
        f"http://media.example.com/main.mp4?sign={token}",
        "http://media.example.com/outro.mp4",
    ]


def make_tasks(
    cloud: str, emulator: EmulatorServer, project_id: str, run: str
) -> tuple[dict[str, set[str]], list[str]]:
    """Tasks made out of band: {task id: the arguments that must be secrets}, and the secret values used."""
    start, end = z(datetime.now(UTC) - timedelta(minutes=10)), z(datetime.now(UTC) + timedelta(hours=20))
    sign, key = f"sig-{uuid.uuid4().hex[:12]}", f"key-{uuid.uuid4().hex[:12]}"
    made: dict[str, set[str]] = {}
    if cloud == "huawei":
        vod = {
            "source_type": "PullVodPushLive",
            "source_urls": playlist(sign),
            "domain": "push.example.com",
            "app_name": "live",
            "stream_name": f"{run}-vod",
            "push_args": f"auth_key={key}",
            "vod_loop_time": "3",
            "callback_events": ["TaskStart", "VodSourceFileStart"],
            "end_time": end,
        }
        live = {
            "source_type": "PullLivePushLive",
            "source_urls": ["rtmp://origin.example.com/live/feed"],
            "destination_url": f"rtmp://push.example.com/live/{run}-live",
            "end_time": end,
        }
        made[emulator.huawei.create_pull_task(DEMO_AK, project_id, vod)] = {"source_urls", "push_args"}
        made[emulator.huawei.create_pull_task(DEMO_AK, project_id, live)] = set()
    elif cloud == "tencent":
        vod = {
            "SourceType": "PullVodPushLive",
            "SourceUrls": playlist(sign),
            "DomainName": "push.example.com",
            "AppName": "live",
            "StreamName": f"{run}-vod",
            "PushArgs": f"txSecret={key}",
            "StartTime": start,
            "EndTime": end,
            "Operator": "console-user",
            "VodLoopTimes": "2",
            "WatermarkList": [{"PictureUrl": "http://pics.example.com/logo.png", "XPosition": 5, "YPosition": 5}],
        }
        live = {
            "SourceType": "PullLivePushLive",
            "SourceUrls": ["rtmp://origin.example.com/live/feed"],
            "DomainName": "push.example.com",
            "AppName": "live",
            "StreamName": f"{run}-live",
            "StartTime": start,
            "EndTime": end,
            "Operator": "console-user",
            "Comment": "made in the console",
        }
        made[emulator.tencent.create_live_pull_stream_task(DEMO_AK, "ap-guangzhou", vod)] = {"source_urls", "push_args"}
        made[emulator.tencent.create_live_pull_stream_task(DEMO_AK, "ap-guangzhou", live)] = set()
    else:
        vod = {
            "Region": "cn-shanghai",
            "TaskName": f"{run} evening show",
            "SourceType": "url",
            "SourceUrls": json.dumps(playlist(sign)),
            "DstUrl": f"rtmp://push.example.com/live/{run}-vod?auth_key={key}",
            "StartTime": start,
            "EndTime": end,
            "RepeatNumber": "-1",
        }
        live = {
            "Region": "cn-shanghai",
            "SourceType": "live",
            "SourceProtocol": "rtmp",
            "SourceUrls": json.dumps(["rtmp://origin.example.com/live/feed"]),
            "DstUrl": f"rtmp://push.example.com/live/{run}-live",
            "StartTime": start,
            "EndTime": end,
        }
        made[str(emulator.aliyun.create_live_pull_to_push(DEMO_AK, vod)["TaskId"])] = {"source_urls", "dst_url"}
        made[str(emulator.aliyun.create_live_pull_to_push(DEMO_AK, live)["TaskId"])] = set()
    return made, [sign, key]


def api_calls(emulator: EmulatorServer, cloud: str) -> Counter[str]:
    """The emulator's own count of the calls it answered, from its statistics endpoint."""
    stats = httpx.get(f"{emulator.url}/_emulator/stats", timeout=10).json()
    return Counter(stats[cloud])


def vendor_credentials(project_id: str) -> dict[str, str]:
    return {
        "HUAWEICLOUD_SDK_AK": DEMO_AK,
        "HUAWEICLOUD_SDK_SK": DEMO_SK,
        "HUAWEICLOUD_SDK_PROJECT_ID": project_id,
        "TENCENTCLOUD_SECRET_ID": DEMO_AK,
        "TENCENTCLOUD_SECRET_KEY": DEMO_SK,
        "ALIBABA_CLOUD_ACCESS_KEY_ID": DEMO_AK,
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": DEMO_SK,
    }


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SECRET_SIG) == "1b47061264138c4ac30d75fd1eb44270"


Check = Callable[[str], None]


@pytest.mark.parametrize("cloud", ["huawei", "tencent", "aliyun"])
def test_an_imported_program_adopts_every_task_without_a_write_and_shows_no_drift(
    cloud: str, tmp_path: Path, emulator: EmulatorServer, project_id: str
) -> None:
    env = pulumi_env(tmp_path, {"RELAYTASK_ENDPOINT": emulator.url, **vendor_credentials(project_id)})
    project = PulumiProject.create(tmp_path, env, program="")
    run = f"imp{uuid.uuid4().hex[:8]}"
    made, secret_values = make_tasks(cloud, emulator, project_id, run)

    main = project.workdir / "__main__.py"
    command = [str(VENV_BIN / "relaytask"), "import", "--cloud", cloud, "--filter", run, "--out", str(main)]
    imported = subprocess.run(
        [*command, "--stack", project.stack], cwd=project.workdir, env=env, capture_output=True, text=True, timeout=300
    )
    assert imported.returncode == 0, imported.stderr
    config_file = (project.workdir / f"Pulumi.{project.stack}.yaml").read_text()
    for value in secret_values:
        for text in (main.read_text(), config_file, imported.stdout, imported.stderr):
            assert value not in text

    before = api_calls(emulator, cloud)
    project.up()
    calls = api_calls(emulator, cloud) - before
    assert writes(calls) == {}
    assert sum(calls.values()) >= len(made)  # the provider did read each task from this emulator

    resources = {r["id"]: r for r in project.resources()}
    assert set(resources) == set(made)
    for task_id, secret_args in made.items():
        inputs = resources[task_id]["inputs"]
        assert inputs["adopt_task_id"] == task_id
        assert {name for name in secret_args if is_secret(inputs.get(name))} == secret_args

    project.run("preview", "--refresh", "--expect-no-changes")
