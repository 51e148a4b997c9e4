"""Runs the real Pulumi CLI (built by scripts/install-pulumi) against a temporary file backend.

A `PulumiProject` is a directory with a Pulumi.yaml whose runtime is this repository's virtualenv,
a program, and a private PULUMI_HOME and state directory. Nothing here imitates the engine: every
step is a `pulumi` subprocess.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VENV_BIN = Path(sys.prefix) / "bin"
PULUMI = VENV_BIN / "pulumi"
PASSPHRASE = "relaytask-test-passphrase"

# A generic program: declares the tasks listed in tasks.json, so a test changes the desired state
# between steps by rewriting that file.
TASKS_PROGRAM = """\
import json
import pulumi
from pulumi_relaytask import aliyun, huawei, tencent

CLASSES = {"huawei": huawei.RelayTask, "tencent": tencent.RelayTask, "aliyun": aliyun.RelayTask}
for task in json.load(open("tasks.json")):
    resource = CLASSES[task.get("cloud", "huawei")](task["name"], **task["args"])
    pulumi.export(task["name"] + "_task_id", resource.task_id)
"""


def pulumi_env(root: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of every CLI call: private home and backend, no downloads, no update check."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "HUAWEICLOUD_", "CLOUD_SDK_"))}
    env.update(
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
        PULUMI_HOME=str(root / "pulumi-home"),
        PULUMI_BACKEND_URL=(root / "state").as_uri(),
        PULUMI_CONFIG_PASSPHRASE=PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
        PULUMI_PYTHON_CMD=str(VENV_BIN / "python"),
        PYTHONUNBUFFERED="1",
    )
    (root / "state").mkdir(parents=True, exist_ok=True)
    env.update(extra or {})
    return env


@dataclass
class PulumiProject:
    workdir: Path
    env: dict[str, str]
    stack: str = "test"
    log: list[str] = field(default_factory=list)

    @classmethod
    def create(
        cls, root: Path, env: dict[str, str], program: str = TASKS_PROGRAM, name: str = "relaytask-test"
    ) -> PulumiProject:
        workdir = root / "project"
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "Pulumi.yaml").write_text(
            f"name: {name}\nruntime:\n  name: python\n  options:\n    virtualenv: {sys.prefix}\n"
        )
        (workdir / "__main__.py").write_text(program)
        project = cls(workdir, env)
        project.run("stack", "init", project.stack)
        return project

    @classmethod
    def from_directory(cls, source: Path, root: Path, env: dict[str, str]) -> PulumiProject:
        """A copy of an example project, its runtime pointed at this virtualenv."""
        workdir = root / "project"
        shutil.copytree(source, workdir)
        text = (workdir / "Pulumi.yaml").read_text()
        (workdir / "Pulumi.yaml").write_text(text.replace("virtualenv: ../../.venv", f"virtualenv: {sys.prefix}"))
        project = cls(workdir, env)
        project.run("stack", "init", project.stack)
        return project

    def run(self, *args: str, ok: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [str(PULUMI), *args, "--non-interactive", "--color", "never"]
            if args[0] not in ("stack", "config")
            else [str(PULUMI), *args],
            cwd=self.workdir,
            env=self.env,
            text=True,
            capture_output=True,
            timeout=timeout,
        )
        self.log.append(f"$ pulumi {' '.join(args)}\n{proc.stdout}\n{proc.stderr}")
        if ok and proc.returncode != 0:
            raise AssertionError(f"pulumi {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return proc

    def set_config(self, key: str, value: str, *, secret: bool = False) -> None:
        self.run("config", "set", key, value, *(["--secret"] if secret else []))

    def write_tasks(self, tasks: list[dict[str, Any]]) -> None:
        (self.workdir / "tasks.json").write_text(json.dumps(tasks, indent=2))

    def up(self, *extra: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("up", "--yes", "--skip-preview", *extra, ok=ok)

    def preview(self, *extra: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("preview", "--diff", *extra, ok=ok)

    def refresh(self, *extra: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("refresh", "--yes", "--skip-preview", *extra, ok=ok)

    def destroy(self, ok: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("destroy", "--yes", "--skip-preview", ok=ok)

    def export(self) -> dict[str, Any]:
        return json.loads(self.run("stack", "export").stdout)

    def outputs(self) -> dict[str, Any]:
        return json.loads(self.run("stack", "output", "--json").stdout)

    def resources(self, type_suffix: str = "RelayTask") -> list[dict[str, Any]]:
        deployment = self.export()["deployment"]
        return [r for r in deployment.get("resources", []) if r["type"].endswith(type_suffix)]
