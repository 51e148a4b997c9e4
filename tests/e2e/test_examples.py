"""Every example project runs as shipped: up, a clean refresh preview, destroy."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_relaytask.emulator.server import EmulatorServer

from ..conftest import DEMO_AK
from .conftest import configure_clouds, hour_from_now
from .harness import PulumiProject, pulumi_env

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.iterdir() if (p / "Pulumi.yaml").exists()))
def test_example_runs_against_the_emulator(
    example: str, tmp_path: Path, emulator: EmulatorServer, project_id: str
) -> None:
    env = pulumi_env(tmp_path, {"RELAYTASK_ENDPOINT": emulator.url})
    project = PulumiProject.from_directory(EXAMPLES / example, tmp_path, env)
    configure_clouds(project, project_id)
    project.run(
        "config",
        "set-all",
        "--secret",
        "pushArgs=auth_key=example-token",
        "--secret",
        "toUrl=rtmp://push.example.com/live/keynote?txSecret=example",
        "--secret",
        f"dstUrl=rtmp://push.example.com/live/{example}?auth_key=example",
        "--plaintext",
        f"startTime={hour_from_now(1)}",
        "--plaintext",
        f"endTime={hour_from_now(25)}",
    )

    project.up()
    tasks = made_tasks(example, project.outputs())
    assert tasks and all(exists(emulator, cloud, project_id, task_id) for cloud, task_id in tasks)
    project.preview("--refresh", "--expect-no-changes")
    project.destroy()
    assert not any(exists(emulator, cloud, project_id, task_id) for cloud, task_id in tasks)


def made_tasks(example: str, outputs: dict[str, str]) -> list[tuple[str, str]]:
    """(cloud, task id) of every task the example exports: `task_id` (the cloud its name starts
    with) or `<cloud>_task_id`."""
    return [
        (name.removesuffix("_task_id") if name != "task_id" else example.split("-", 1)[0], task_id)
        for name, task_id in outputs.items()
        if name.endswith("task_id")
    ]


def exists(emulator: EmulatorServer, cloud: str, project_id: str, task_id: str) -> bool:
    """Whether the cloud has the task."""
    if cloud == "huawei":
        return any(t["task_id"] == task_id for t in emulator.huawei.list_pull_tasks(DEMO_AK, project_id)[0])
    if cloud == "tencent":
        return emulator.tencent.get_task(DEMO_AK, "ap-guangzhou", task_id) is not None
    return emulator.aliyun.get_task(DEMO_AK, "cn-shanghai", task_id) is not None
