"""The Automation API path: an inline program run by the pinned CLI through `PulumiCommand(root=...)`."""

from __future__ import annotations

from pathlib import Path

import pulumi
from pulumi import automation as auto

from pulumi_relaytask import huawei
from pulumi_relaytask.emulator.server import EmulatorServer

from ..conftest import DEMO_AK, DEMO_SK
from .conftest import hour_from_now
from .harness import VENV_BIN, pulumi_env


def test_inline_program_up_preview_destroy(tmp_path: Path, emulator: EmulatorServer, project_id: str) -> None:
    env = pulumi_env(tmp_path, {"RELAYTASK_ENDPOINT": emulator.url})
    start, end = hour_from_now(2), hour_from_now(26)

    def program() -> None:
        task = huawei.RelayTask(
            "automation-vod",
            source_type="PullVodPushLive",
            source_urls=["http://media.example.com/a.mp4"],
            destination_url="rtmp://push.example.com/automation/vod",
            start_time=start,
            end_time=end,
        )
        pulumi.export("task_id", task.task_id)

    command = auto.PulumiCommand(root=str(VENV_BIN.parent))
    stack = auto.create_stack(
        "dev",
        project_name="relaytask-automation",
        program=program,
        opts=auto.LocalWorkspaceOptions(
            pulumi_command=command,
            work_dir=str(tmp_path),
            env_vars=env,
            project_settings=auto.ProjectSettings(name="relaytask-automation", runtime="python"),
        ),
    )
    stack.set_all_config(
        {
            "relaytask:huaweiAccessKey": auto.ConfigValue(DEMO_AK),
            "relaytask:huaweiSecretKey": auto.ConfigValue(DEMO_SK, secret=True),
            "relaytask:huaweiProjectId": auto.ConfigValue(project_id),
        }
    )
    assert command.version is not None and str(command.version) == pulumi_version()

    up = stack.up()
    task_id = up.outputs["task_id"].value
    assert up.summary.resource_changes == {"create": 2}
    assert (
        emulator.huawei.list_pull_tasks(DEMO_AK, project_id, region=None, offset=0, limit=10, task_id=task_id)[1] == 1
    )

    preview = stack.preview()
    assert {getattr(op, "value", op): n for op, n in preview.change_summary.items()} == {"same": 2}

    stack.destroy()
    tasks, total = emulator.huawei.list_pull_tasks(DEMO_AK, project_id, region=None, offset=0, limit=10, task_id=None)
    assert total == 0 and tasks == []


def pulumi_version() -> str:
    from importlib.metadata import version

    return version("pulumi")
