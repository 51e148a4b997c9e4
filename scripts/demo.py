"""`make demo`: a real `pulumi up` of the Huawei VOD example against a background emulator, then drift.

Steps: start the emulator, create a stack on a local file backend, `pulumi up`, a clean
`pulumi preview --refresh`, an out-of-band edit of the task (as someone in the console would),
`pulumi preview --refresh` showing the drift, `pulumi up --refresh` repairing it, and the API calls
each step made. Everything lives under .demo/, recreated on each run.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / ".demo"
BIN = Path(sys.prefix) / "bin"
AK, SK, PROJECT_ID = "relaytask-demo-ak", "relaytask-demo-sk", "demo-project"


def banner(text: str) -> None:
    print(f"\n=== {text}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stats(url: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{url}/_emulator/stats") as response:
        return dict(json.load(response)["huawei"])


def delta(before: dict[str, int], after: dict[str, int]) -> str:
    changed = {op: after[op] - before.get(op, 0) for op in after if after[op] != before.get(op, 0)}
    return ", ".join(f"{op} x{n}" for op, n in sorted(changed.items())) or "none"


def pulumi(env: dict[str, str], cwd: Path, *args: str, check: bool = True) -> int:
    print(f"$ pulumi {' '.join(args)}", flush=True)
    code = subprocess.run([str(BIN / "pulumi"), *args], cwd=cwd, env=env).returncode
    if check and code != 0:
        raise SystemExit(f"pulumi {' '.join(args)} failed with exit code {code}")
    return code


def main() -> int:
    # Start from nothing each time, so the demo always shows a task being created.
    shutil.rmtree(DEMO, ignore_errors=True)
    DEMO.mkdir()
    project = DEMO / "huawei-vod-playlist"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(REPO / "examples" / "huawei-vod-playlist", project)
    (project / "Pulumi.yaml").write_text(
        (project / "Pulumi.yaml").read_text().replace("virtualenv: ../../.venv", f"virtualenv: {sys.prefix}")
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    banner(f"starting the emulator on {url} (state in .demo/emulator.db)")
    emulator = subprocess.Popen(
        [
            str(BIN / "relaytask"),
            "emulator",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--state",
            str(DEMO / "emulator.db"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert emulator.stdout is not None
        print(emulator.stdout.readline().strip(), flush=True)
        return run_demo(project, url)
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)


def run_demo(project: Path, url: str) -> int:
    (DEMO / "state").mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PULUMI_HOME=str(DEMO / "pulumi-home"),
        PULUMI_BACKEND_URL=(DEMO / "state").as_uri(),
        PULUMI_CONFIG_PASSPHRASE="relaytask-demo",
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
        RELAYTASK_ENDPOINT=url,
    )
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    end = start + timedelta(days=2)
    pulumi(env, project, "stack", "init", "demo")
    for key, value, secret in (
        ("relaytask:huaweiAccessKey", AK, True),
        ("relaytask:huaweiSecretKey", SK, True),
        ("relaytask:huaweiProjectId", PROJECT_ID, False),
        ("pushArgs", "auth_key=demo-push-token", True),
        ("startTime", start.strftime("%Y-%m-%dT%H:%M:%SZ"), False),
        ("endTime", end.strftime("%Y-%m-%dT%H:%M:%SZ"), False),
    ):
        pulumi(env, project, "config", "set", key, value, *(["--secret"] if secret else []))

    banner("pulumi up: create the relay task")
    before = stats(url)
    pulumi(env, project, "up", "--yes", "--non-interactive")
    print(f"API calls: {delta(before, stats(url))}")

    banner("pulumi preview --refresh: nothing has drifted")
    before = stats(url)
    pulumi(env, project, "preview", "--refresh", "--expect-no-changes", "--non-interactive")
    print(f"API calls: {delta(before, stats(url))}")

    banner("out of band: someone reorders the playlist and pauses the task in the console")
    task_id = subprocess.run(
        [str(BIN / "pulumi"), "stack", "output", "task_id"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    out_of_band_edit(url, task_id)

    banner("pulumi preview --refresh --diff: the drift shows up as an update")
    before = stats(url)
    code = pulumi(
        env, project, "preview", "--refresh", "--diff", "--expect-no-changes", "--non-interactive", check=False
    )
    print(f"API calls: {delta(before, stats(url))}; exit code {code} (non-zero: changes expected)")
    if code == 0:
        raise SystemExit("drift was not detected")

    banner("pulumi up --refresh: repair the drift")
    pulumi(env, project, "up", "--refresh", "--yes", "--non-interactive")
    pulumi(env, project, "preview", "--refresh", "--expect-no-changes", "--non-interactive")
    print("\nDemo done. The stack, its state and the emulator's database are in .demo/ (the next run starts afresh).")
    return 0


def out_of_band_edit(url: str, task_id: str) -> None:
    """Modify the task with the project's own client, as a second user of the account would."""
    from pulumi_relaytask.huawei.api import HuaweiClient
    from pulumi_relaytask.huawei.settings import HuaweiSettings

    client = HuaweiClient(HuaweiSettings(AK, SK, PROJECT_ID, "cn-north-4", url))
    task = client.get_pull_task(task_id)
    assert task is not None
    client.modify_pull_task({"task_id": task_id, "source_urls": list(reversed(task.source_urls)), "status": "pause"})
    print(f"modified task {task_id}: playlist reversed, status pause")


if __name__ == "__main__":
    sys.exit(main())
