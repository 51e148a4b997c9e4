"""`make demo`: the whole story against the embedded emulator, with the real Pulumi CLI.

1. `pulumi up` of examples/three-clouds: a relay task on each cloud.
2. `relaytask drift`: in sync (exit 0).
3. A change made out of band with each vendor's official SDK (scripts/console.py), as a second user
   of the account would in a console.
4. `relaytask drift`: the drift, field by field (exit 2), and the same plan in `pulumi preview
   --refresh --diff`.
5. `pulumi up` repairs it; `relaytask drift` is in sync again.
6. A task made outside Pulumi, taken over: `relaytask import` writes a program that adopts it, and
   its `pulumi up` makes no write.
7. Clean up: both stacks destroyed.
Each step prints the API calls it made. Everything lives under .demo/, recreated on each run.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO = Path(os.environ.get("RELAYTASK_DEMO_DIR") or REPO / ".demo")  # the tests run it elsewhere
BIN = Path(sys.prefix) / "bin"
AK, SK, PROJECT_ID = "relaytask-demo-ak", "relaytask-demo-sk", "demo-project"
STACK = "demo"
WRITES = ("Create", "Modify", "Update", "Delete", "Stop", "Restart")


def banner(text: str) -> None:
    print(f"\n=== {text}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stats(url: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{url}/_emulator/stats") as response:
        counts = json.load(response)
    return {f"{cloud}:{op}": n for cloud, ops in counts.items() if isinstance(ops, dict) for op, n in ops.items()}


def delta(before: dict[str, int], after: dict[str, int]) -> str:
    changed = {op: after[op] - before.get(op, 0) for op in after if after[op] != before.get(op, 0)}
    return ", ".join(f"{op} x{n}" for op, n in sorted(changed.items())) or "none"


def writes(before: dict[str, int], after: dict[str, int]) -> int:
    return sum(after[op] - before.get(op, 0) for op in after if op.split(":", 1)[1].startswith(WRITES))


def run(env: dict[str, str], cwd: Path, command: Sequence[str], *, expect: int = 0) -> int:
    shown = " ".join(Path(command[0]).name if i == 0 else part for i, part in enumerate(command))
    print(f"$ {shown}", flush=True)
    code = subprocess.run(list(command), cwd=cwd, env=env).returncode
    if code != expect:
        raise SystemExit(f"{shown} exited with {code}, expected {expect}")
    return code


def pulumi(env: dict[str, str], cwd: Path, *args: str, expect: int = 0) -> int:
    return run(env, cwd, [str(BIN / "pulumi"), *args], expect=expect)


def relaytask(env: dict[str, str], cwd: Path, *args: str, expect: int = 0) -> int:
    return run(env, cwd, [str(BIN / "relaytask"), *args], expect=expect)


def project_dir(name: str, source: Path | None = None) -> Path:
    """A project under .demo/ whose runtime is this virtualenv."""
    path = DEMO / name
    if source is not None:
        shutil.copytree(source, path)
        text = (path / "Pulumi.yaml").read_text().replace("virtualenv: ../../.venv", f"virtualenv: {sys.prefix}")
    else:
        path.mkdir()
        text = f"name: {name}\nruntime:\n  name: python\n  options:\n    virtualenv: {sys.prefix}\n"
    (path / "Pulumi.yaml").write_text(text)
    return path


def main() -> int:
    # Start from nothing each time, so the demo always shows tasks being created.
    shutil.rmtree(DEMO, ignore_errors=True)
    DEMO.mkdir()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    banner(f"starting the emulator on {url} (state in .demo/emulator.db)")
    command = [str(BIN / "relaytask"), "emulator", "--host", "127.0.0.1", "--port", str(port)]
    emulator = subprocess.Popen([*command, "--state", str(DEMO / "emulator.db")], stdout=subprocess.PIPE, text=True)
    try:
        assert emulator.stdout is not None
        print(emulator.stdout.readline().strip(), flush=True)
        return run_demo(url)
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)


def demo_env(url: str) -> dict[str, str]:
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
        # The vendors' usual variables: `relaytask import` reads the same credentials as the provider.
        HUAWEICLOUD_SDK_AK=AK,
        HUAWEICLOUD_SDK_SK=SK,
        HUAWEICLOUD_SDK_PROJECT_ID=PROJECT_ID,
        TENCENTCLOUD_SECRET_ID=AK,
        TENCENTCLOUD_SECRET_KEY=SK,
        ALIBABA_CLOUD_ACCESS_KEY_ID=AK,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET=SK,
    )
    return env


def run_demo(url: str) -> int:
    env = demo_env(url)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    end = start + timedelta(days=2)
    project = project_dir("three-clouds", REPO / "examples" / "three-clouds")
    pulumi(env, project, "stack", "init", STACK)
    pulumi(
        env,
        project,
        "config",
        "set-all",
        "--secret",
        "pushArgs=auth_key=demo-push-token",
        "--secret",
        "dstUrl=rtmp://push.example.com/live/keynote?auth_key=demo-aliyun-key",
        "--plaintext",
        f"startTime={start:%Y-%m-%dT%H:%M:%SZ}",
        "--plaintext",
        f"endTime={end:%Y-%m-%dT%H:%M:%SZ}",
    )

    banner("pulumi up: a relay task on each cloud")
    before = stats(url)
    pulumi(env, project, "up", "--yes", "--non-interactive", "--skip-preview")
    print(f"API calls: {delta(before, stats(url))}")
    ids = json.loads(
        subprocess.run(
            [str(BIN / "pulumi"), "stack", "output", "--json"], cwd=project, env=env, capture_output=True, check=True
        ).stdout
    )

    banner("relaytask drift: every task is as declared (exit 0)")
    before = stats(url)
    relaytask(env, project, "drift", "--stack", STACK)
    print(f"API calls: {delta(before, stats(url))}")

    banner("out of band, with each vendor's official SDK (as in a console)")
    sys.path.insert(0, str(REPO / "scripts"))
    from console import Console

    console = Console(url, AK, SK, PROJECT_ID)
    huawei_id, tencent_id, aliyun_id = ids["huawei_task_id"], ids["tencent_task_id"], ids["aliyun_task_id"]
    playlist = console.huawei_task(huawei_id)["source_urls"]
    console.huawei_modify(huawei_id, source_urls=list(reversed(playlist)), status="pause")
    print(f"huawei  {huawei_id}: playlist reversed, paused (ModifyPullTask)")
    console.tencent_modify(tencent_id, Comment="edited in the console", CallbackEvents=["TaskExit"])
    print(f"tencent {tencent_id}: comment edited, a callback event removed (ModifyLivePullStreamTask)")
    console.aliyun_update(aliyun_id, end_time=f"{end - timedelta(hours=12):%Y-%m-%dT%H:%M:%SZ}")
    print(f"aliyun  {aliyun_id}: end time 12 hours earlier (UpdateLivePullToPush)")

    banner("relaytask drift: what changed, field by field (exit 2: drift)")
    before = stats(url)
    relaytask(env, project, "drift", "--stack", STACK, expect=2)
    print(f"API calls: {delta(before, stats(url))}")

    banner("pulumi preview --refresh --diff: the same drift as the engine plans it (only the fields that changed)")
    pulumi(env, project, "preview", "--refresh", "--diff", "--non-interactive")

    banner("pulumi up --refresh: repair the drift")
    before = stats(url)
    pulumi(env, project, "up", "--refresh", "--yes", "--non-interactive", "--skip-preview")
    print(f"API calls: {delta(before, stats(url))}")
    relaytask(env, project, "drift", "--stack", STACK)

    banner("a task made outside Pulumi, taken over with relaytask import")
    made = console.huawei_create(
        source_type="PullVodPushLive",
        source_urls=["https://media.example.com/hall/a.mp4", "https://media.example.com/hall/b.mp4"],
        domain="push.example.com",
        app_name="hall",
        stream_name="made-in-console",
        push_args="auth_key=console-token",
        start_time=f"{start:%Y-%m-%dT%H:%M:%SZ}",
        end_time=f"{end:%Y-%m-%dT%H:%M:%SZ}",
    )
    print(f"huawei  {made}: created with CreatePullTask")
    imported = project_dir("imported")
    pulumi(env, imported, "stack", "init", STACK)
    out = imported / "__main__.py"
    relaytask(
        env, imported, "import", "--cloud", "huawei", "--filter", "made-in-console", "--out", str(out), "--stack", STACK
    )
    print(f"--- {out}\n{out.read_text()}---")
    before = stats(url)
    pulumi(env, imported, "up", "--yes", "--non-interactive", "--skip-preview")
    after = stats(url)
    print(f"API calls: {delta(before, after)}")
    if writes(before, after):
        raise SystemExit("the import's pulumi up changed a task")

    banner("clean up")
    pulumi(env, project, "destroy", "--yes", "--non-interactive", "--skip-preview")
    pulumi(env, imported, "destroy", "--yes", "--non-interactive", "--skip-preview")
    print(
        "\nDemo done. The stacks, their state and the emulator's database are in .demo/ (the next run starts afresh)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
