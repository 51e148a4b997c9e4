"""Every example project runs as shipped: up, a clean refresh preview, destroy."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_relaytask.emulator.server import EmulatorServer

from ..conftest import DEMO_AK
from .conftest import configure_clouds, hour_from_now
from .harness import PulumiProject, pulumi_env

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("example", ["huawei-vod-playlist", "huawei-live-relay"])
def test_example_runs_against_the_emulator(
    example: str, tmp_path: Path, emulator: EmulatorServer, project_id: str
) -> None:
    env = pulumi_env(tmp_path, {"RELAYTASK_ENDPOINT": emulator.url})
    project = PulumiProject.from_directory(EXAMPLES / example, tmp_path, env)
    configure_clouds(project, project_id)
    project.run("config", "set-all", "--secret", "pushArgs=auth_key=example-token",
                "--plaintext", f"startTime={hour_from_now(1)}", "--plaintext", f"endTime={hour_from_now(25)}")

    project.up()
    task_id = project.outputs()["task_id"]
    tasks, total = emulator.huawei.list_pull_tasks(DEMO_AK, project_id, task_id=task_id)
    assert total == 1 and tasks[0]["task_id"] == task_id
    project.preview("--refresh", "--expect-no-changes")
    project.destroy()
    assert emulator.huawei.list_pull_tasks(DEMO_AK, project_id)[1] == 0
