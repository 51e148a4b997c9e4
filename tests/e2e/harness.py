"""Runs the real Pulumi CLI (built by scripts/install-pulumi) against a temporary file backend.

A `PulumiProject` is a directory with a Pulumi.yaml whose runtime is this repository's virtualenv,
a program, and a private PULUMI_HOME and state directory. Nothing here imitates the engine: every
step is a `pulumi` subprocess.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VENV_BIN = Path(sys.prefix) / "bin"
# How the engine reports a check failure: `... property <name> value <v> has a problem: <rule>`.
CHECK_FAILURE = re.compile(r"property (?P<field>\S+) value .* has a problem: (?P<rule>.*)", re.S)
PULUMI = VENV_BIN / "pulumi"
PASSPHRASE = "relaytask-test-passphrase"

# A generic program: declares the tasks listed in tasks.json, so a test changes the desired state
# between steps by rewriting that file (`"retain_on_delete": true` beside a task's args sets that option).
TASKS_PROGRAM = """\
import json
import pulumi
from pulumi_relaytask import aliyun, huawei, tencent

CLASSES = {"huawei": huawei.RelayTask, "tencent": tencent.RelayTask, "aliyun": aliyun.RelayTask}
for task in json.load(open("tasks.json")):
    opts = pulumi.ResourceOptions(retain_on_delete=task.get("retain_on_delete", False))
    resource = CLASSES[task.get("cloud", "huawei")](task["name"], **task["args"], opts=opts)
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


def resource_name(urn: str) -> str:
    return urn.rsplit("::", 1)[1]


def resource_type(urn: str) -> str:
    return urn.split("::")[2]


@dataclass
class Plan:
    """What `pulumi preview --json` planned: the engine's steps and diagnostics, read by resource name."""

    returncode: int
    steps: list[dict[str, Any]]
    diagnostics: list[dict[str, Any]]

    @classmethod
    def parse(cls, proc: subprocess.CompletedProcess[str]) -> Plan:
        try:
            data = json.loads(proc.stdout)
        except json.JSONDecodeError as exc:
            raise AssertionError(f"preview --json printed no JSON:\n{proc.stdout}\n{proc.stderr}") from exc
        return cls(proc.returncode, data.get("steps") or [], data.get("diagnostics") or [])

    def ops(self) -> dict[str, list[str]]:
        """Planned operations per relay task (refresh steps and untouched resources left out)."""
        planned: dict[str, list[str]] = {}
        for step in self.steps:
            if not resource_type(step["urn"]).endswith("RelayTask") or step["op"] in ("same", "refresh"):
                continue
            planned.setdefault(resource_name(step["urn"]), []).append(step["op"])
        return planned

    def step(self, name: str, *ops: str) -> dict[str, Any]:
        found = [s for s in self.steps if resource_name(s["urn"]) == name and s["op"] in ops]
        assert len(found) == 1, f"expected one {'/'.join(ops)} step of {name}, planned: {self.ops()}"
        return found[0]

    def replace_reasons(self, name: str) -> list[str]:
        return list(self.step(name, "replace").get("replaceReasons") or [])

    def refreshed(self, name: str) -> dict[str, Any]:
        """The task's outputs as the refresh read them from the cloud: the old state its plan starts from
        (the JSON's refresh step itself shows the state from before the read)."""
        return dict(self.step(name, "same", "update", "replace")["oldState"]["outputs"])

    def changed_inputs(self, name: str) -> set[str]:
        """Input names whose values differ between the (refreshed) state and the program."""
        step = self.step(name, "update", "replace")
        old, new = step["oldState"]["inputs"], step["newState"]["inputs"]
        return {key for key in old.keys() | new.keys() if key != "__provider" and old.get(key) != new.get(key)}

    def messages(self, severity: str, name: str | None = None) -> list[str]:
        return [
            d["message"]
            for d in self.diagnostics
            if d.get("severity") == severity and (name is None or resource_name(d.get("urn") or "::") == name)
        ]

    def warnings(self) -> list[str]:
        """Warnings of the plan. A dynamic provider's `pulumi.log.warn` reaches the engine through the
        provider's stderr, so the JSON carries it as an `info#err` diagnostic whose text starts `warning: `."""
        native = self.messages("warning")
        relayed = [m for m in self.messages("info#err") if m.startswith("warning: ")]
        return [m.removeprefix("warning: ").strip() for m in native + relayed]

    def check_failures(self, name: str) -> dict[str, str]:
        """`{field: rule}` of the check failures the engine reported for one resource."""
        failures: dict[str, str] = {}
        for message in self.messages("error", name):
            match = CHECK_FAILURE.search(message)
            if match:
                failures[match["field"]] = match["rule"].strip()
        return failures


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

    def write_tasks(self, tasks: list[dict[str, Any]]) -> None:
        (self.workdir / "tasks.json").write_text(json.dumps(tasks, indent=2))

    def up(self, *extra: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("up", "--yes", "--skip-preview", *extra, ok=ok)

    def preview(self, *extra: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("preview", "--diff", *extra, ok=ok)

    def plan(self, *extra: str, ok: bool = True) -> Plan:
        """`pulumi preview --json`: the plan as the engine reports it, for assertions on its structure."""
        return Plan.parse(self.run("preview", "--json", *extra, ok=ok))

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
