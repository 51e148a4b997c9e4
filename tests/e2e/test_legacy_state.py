"""A stack made by an old release (fixtures/legacy-stack, commit d26e677) stays manageable.

Each RelayTask's state holds a dill pickle of its provider, `pulumi_relaytask.<cloud>.resource.
<Cloud>Provider`, in `__provider`. Pulumi unpickles the one from the *state* to read (refresh) and
to delete, so these names must keep loading in every later release. The steps run through the real
CLI on the fixture's exported state and on a copy of the emulator database it was made with.
"""

from __future__ import annotations

import base64
import json
import pickletools
import re
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from pulumi_relaytask.emulator.server import EmulatorServer

from ..calls import writes
from ..conftest import DEMO_AK
from .harness import Plan, PulumiProject, pulumi_env, resource_name

FIXTURE = Path(__file__).parent / "fixtures" / "legacy-stack"
STACK = "legacy"
PASSPHRASE = "relaytask-legacy-fixture"  # the fixture's secrets provider (make_fixture.sh)
# What the old release pickled into each task's state: (module, class) of its provider.
OLD_PROVIDERS = {
    "huawei-vod": ("pulumi_relaytask.huawei.resource", "HuaweiProvider"),
    "huawei-live": ("pulumi_relaytask.huawei.resource", "HuaweiProvider"),
    "tencent-vod": ("pulumi_relaytask.tencent.resource", "TencentProvider"),
    "aliyun-url": ("pulumi_relaytask.aliyun.resource", "AliyunProvider"),
}
OLD_END = "2099-01-03T00:00:00Z"
NEW_END = "2099-01-05T00:00:00Z"


def test_a_stack_made_by_release_d26e677_refreshes_updates_and_destroys(tmp_path: Path) -> None:
    db = tmp_path / "emulator.db"
    shutil.copyfile(FIXTURE / "emulator.db", db)
    with EmulatorServer(state_path=str(db)) as emulator:
        env = pulumi_env(tmp_path, {"RELAYTASK_ENDPOINT": emulator.url, "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE})
        project = legacy_project(tmp_path, env)
        project_id = project.run("config", "get", "relaytask:huaweiProjectId").stdout.strip()
        assert emulator.store.count() == 4

        imported = tasks(project)
        assert set(imported) == set(OLD_PROVIDERS)
        for name, task in imported.items():
            assert pickled_globals(task["outputs"]["__provider"]) == [OLD_PROVIDERS[name]], name

        # Refresh reads every task through the provider unpickled from the old state.
        before = calls(emulator)
        project.refresh()
        assert writes(calls(emulator) - before) == {}
        refreshed = tasks(project)
        assert set(refreshed) == set(imported)
        for name, task in refreshed.items():
            assert task["id"] == imported[name]["id"], name
            assert task["inputs"]["__provider"] == imported[name]["inputs"]["__provider"], name
            assert task["outputs"]["__provider"] == imported[name]["outputs"]["__provider"], name
            assert task["outputs"]["end_time"] == OLD_END, name

        preview = project.run("preview", "--json", "--expect-no-changes")
        plan = Plan.parse(preview)
        assert plan.ops() == {}
        assert plan.messages("error") == []
        # The JSON lists no step for a resource left as it is: the summary counts them (the stack too).
        assert json.loads(preview.stdout)["changeSummary"] == {"same": len(OLD_PROVIDERS) + 1}

        project.run("config", "set", "huaweiVodEndTime", NEW_END)
        preview = project.run("preview", "--json")
        plan = Plan.parse(preview)
        assert plan.ops() == {"huawei-vod": ["update"]}
        assert json.loads(preview.stdout)["changeSummary"] == {"same": len(OLD_PROVIDERS), "update": 1}
        # The refresh wrote the defaults the program leaves unset (region, status) into the inputs.
        assert plan.changed_inputs("huawei-vod") - {"region", "status"} == {"end_time"}
        before = calls(emulator)
        project.run("up", "--yes")
        assert writes(calls(emulator) - before) == {"huawei:ModifyPullTask": 1}
        updated = tasks(project)
        assert {name: task["id"] for name, task in updated.items()} == {
            name: task["id"] for name, task in imported.items()
        }
        assert updated["huawei-vod"]["inputs"]["end_time"] == NEW_END
        assert updated["huawei-vod"]["outputs"]["end_time"] == NEW_END
        task = emulator.huawei.get_task(DEMO_AK, project_id, imported["huawei-vod"]["id"])
        assert task is not None and task["end_time"] == NEW_END
        # The untouched tasks still carry the old pickle, so destroy unpickles it to delete them.
        for name in OLD_PROVIDERS.keys() - {"huawei-vod"}:
            assert updated[name]["outputs"]["__provider"] == imported[name]["outputs"]["__provider"], name

        before = calls(emulator)
        project.destroy()
        assert writes(calls(emulator) - before) == {
            "huawei:DeletePullTask": 2,
            "tencent:DeleteLivePullStreamTask": 1,
            "aliyun:DeleteLivePullToPush": 1,
        }
        assert emulator.store.count() == 0
        assert tasks(project) == {}


def legacy_project(root: Path, env: dict[str, str]) -> PulumiProject:
    """The fixture's program and stack config, its runtime pointed at this virtualenv, with the
    old state imported into a fresh backend."""
    workdir = root / "project"
    shutil.copytree(FIXTURE, workdir, ignore=shutil.ignore_patterns("state.json", "emulator.db", "*.md", "*.sh"))
    pulumi_yaml = workdir / "Pulumi.yaml"
    pulumi_yaml.write_text(re.sub(r"virtualenv: .*", f"virtualenv: {sys.prefix}", pulumi_yaml.read_text()))
    project = PulumiProject(workdir, env, stack=STACK)
    # Pulumi.legacy.yaml already holds the encryption salt: init keeps it, so the old secrets decrypt.
    project.run("stack", "init", STACK)
    project.run("stack", "import", "--file", str(FIXTURE / "state.json"))
    return project


def tasks(project: PulumiProject) -> dict[str, dict[str, Any]]:
    """The relay tasks in the state by name, secrets shown: `__provider` is a secret, and its
    ciphertext differs at every write, so only the plaintext compares."""
    deployment = json.loads(project.run("stack", "export", "--show-secrets").stdout)["deployment"]
    return {
        resource_name(r["urn"]): {
            "id": r["id"],
            "inputs": {k: plain(v) for k, v in r["inputs"].items()},
            "outputs": {k: plain(v) for k, v in r["outputs"].items()},
        }
        for r in deployment.get("resources") or []
        if r["type"].endswith("RelayTask")
    }


def plain(value: Any) -> Any:
    """A value of `stack export --show-secrets`: a secret is `{<sig>: ..., "plaintext": <json>}`."""
    if isinstance(value, dict) and "plaintext" in value:
        return json.loads(value["plaintext"])
    return value


def pickled_globals(provider: str) -> list[tuple[str, str]]:
    """The (module, name) pairs a pickled provider imports when it is loaded."""
    strings: list[str] = []
    found: list[tuple[str, str]] = []
    for opcode, arg, _pos in pickletools.genops(base64.b64decode(provider)):
        if isinstance(arg, str):
            strings.append(arg)
        if opcode.name == "STACK_GLOBAL":
            found.append((strings[-2], strings[-1]))
        elif opcode.name == "GLOBAL":
            module, name = str(arg).split(" ", 1)
            found.append((module, name))
    return found


def calls(emulator: EmulatorServer) -> Counter[str]:
    return Counter({f"{cloud}:{op}": n for cloud, ops in emulator.stats.snapshot().items() for op, n in ops.items()})
