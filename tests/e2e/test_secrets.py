"""The one secrets rule, through the real CLI on all three clouds: every URL argument that carries a
query and every push-argument field is a Pulumi secret in inputs and outputs, its `<name>_redacted`
companion shows which entry changes, and no secret value or credential reaches the state in plain
text, the CLI's output or the provider's call log.

Credentials come from the vendors' environment variables here (the recommended way), so not even
`stack export --show-secrets` may hold them.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from pulumi_relaytask.emulator.server import EmulatorServer

from ..conftest import DEMO_AK, DEMO_SK
from .conftest import hour_from_now
from .harness import PulumiProject, pulumi_env

SECRET_SIG = "4dabf18193072939515e22adb298388d"  # how a state marks an encrypted value
# One token per secret-bearing argument, so a leak names the argument it came from.
TOKENS = {
    name: f"tok-{name}-{uuid.uuid4().hex[:10]}"
    for name in (
        "hw-src",
        "hw-push",
        "hw-cb",
        "hw-dst",
        "hw-bak",
        "tc-src",
        "tc-to",
        "tc-cb",
        "tc-wm",
        "tc-push",
        "tc-bak",
        "al-src",
        "al-dst",
        "al-cb",
        "hw-pass",
        "tc-key",
    )
}
# The program marks a value `{"secret": v}` as a Pulumi secret (pulumi.Output.secret).
PROGRAM = """\
import json
import pulumi
from pulumi_relaytask import aliyun, huawei, tencent

CLASSES = {"huawei": huawei.RelayTask, "tencent": tencent.RelayTask, "aliyun": aliyun.RelayTask}
for task in json.load(open("tasks.json")):
    args = {k: pulumi.Output.secret(v["secret"]) if isinstance(v, dict) else v for k, v in task["args"].items()}
    CLASSES[task["cloud"]](task["name"], **args)
"""
CHANGED = f"tok-changed-{uuid.uuid4().hex[:10]}"


def tasks(second_source: str = TOKENS["hw-src"]) -> list[dict[str, Any]]:
    t = TOKENS
    start, end = hour_from_now(1), hour_from_now(30)
    return [
        {
            "name": "hw_vod",
            "cloud": "huawei",
            "args": {
                "source_type": "PullVodPushLive",
                "source_urls": [
                    "http://media.example.com/a.mp4",
                    f"http://media.example.com/b.mp4?sign={second_source}",
                ],
                "domain": "push.example.com",
                "app_name": "live",
                "stream_name": "secrets-vod",
                "push_args": f"auth_key={t['hw-push']}",
                "callback_url": f"cb.example.com/hook?token={t['hw-cb']}",
                "start_time": start,
                "end_time": end,
            },
        },
        {
            "name": "hw_live",
            "cloud": "huawei",
            "args": {
                "source_type": "PullLivePushLive",
                "source_urls": [f"rtsp://admin:{t['hw-pass']}@camera.example.com/live"],
                "destination_url": f"rtmp://push.example.com/relay/secrets?auth_key={t['hw-dst']}",
                "backup_source_type": "PullLivePushLive",
                "backup_source_urls": [f"rtmp://backup.example.com/live/keynote?sign={t['hw-bak']}"],
                "start_time": start,
                "end_time": end,
            },
        },
        {
            "name": "tc_vod",
            "cloud": "tencent",
            "args": {
                "source_type": "PullVodPushLive",
                "source_urls": [f"http://media.example.com/a.mp4?sign={t['tc-src']}"],
                "to_url": f"rtmp://push.example.com/relay/secrets-tc?txSecret={t['tc-to']}",
                "callback_url": f"https://cb.example.com/hook?token={t['tc-cb']}",
                "watermark_list": [{"picture_url": f"https://media.example.com/logo.png?sig={t['tc-wm']}"}],
                "start_time": start,
                "end_time": end,
            },
        },
        {
            "name": "tc_live",
            "cloud": "tencent",
            "args": {
                "source_type": "PullLivePushLive",
                "source_urls": ["rtmp://origin.example.com/live/keynote"],
                # A stream key in the path: no rule can see it, so the program says it is a secret.
                "to_url": {"secret": f"rtmp://push.example.com/live/{t['tc-key']}"},
                "push_args": f"txSecret={t['tc-push']}",
                "backup_source_type": "PullLivePushLive",
                "backup_source_url": f"rtmp://backup.example.com/live/keynote?sign={t['tc-bak']}",
                "start_time": start,
                "end_time": end,
            },
        },
        {
            "name": "al_vod",
            "cloud": "aliyun",
            "args": {
                "source_type": "url",
                "source_urls": [f"http://media.example.com/a.mp4?auth_key={t['al-src']}"],
                "dst_url": f"rtmp://push.example.com/live/secrets-al?auth_key={t['al-dst']}",
                "callback_url": f"cb.example.com/hook?token={t['al-cb']}",
                "start_time": start,
                "end_time": end,
            },
        },
    ]


def project_with_env_credentials(tmp_path: Path, emulator: EmulatorServer) -> tuple[PulumiProject, Path]:
    call_log = tmp_path / "calls.log"
    credentials = {
        "HUAWEICLOUD_SDK_AK": DEMO_AK,
        "HUAWEICLOUD_SDK_SK": DEMO_SK,
        "TENCENTCLOUD_SECRET_ID": DEMO_AK,
        "TENCENTCLOUD_SECRET_KEY": DEMO_SK,
        "ALIBABA_CLOUD_ACCESS_KEY_ID": DEMO_AK,
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": DEMO_SK,
    }
    env = pulumi_env(tmp_path, {"RELAYTASK_ENDPOINT": emulator.url, "RELAYTASK_LOG_FILE": str(call_log), **credentials})
    project = PulumiProject.create(tmp_path, env, program=PROGRAM)
    project.run("config", "set", "relaytask:huaweiProjectId", uuid.uuid4().hex)
    return project, call_log


def leaks(text: str, values: list[str]) -> list[str]:
    return [value for value in values if value in text]


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SECRET_SIG) == "1b47061264138c4ac30d75fd1eb44270"


def test_no_secret_or_credential_in_plain_text_anywhere(tmp_path: Path, emulator: EmulatorServer) -> None:
    project, call_log = project_with_env_credentials(tmp_path, emulator)
    secrets = [*TOKENS.values(), CHANGED]
    credentials = [DEMO_SK, DEMO_AK]

    project.write_tasks(tasks())
    project.up()
    state = project.export()
    relay_tasks = [r for r in state["deployment"]["resources"] if r["type"].endswith("RelayTask")]
    assert len(relay_tasks) == 5

    # Every secret-bearing argument is encrypted in both the inputs and the outputs; its redacted
    # companion is plain and shows a fingerprint where the query was.
    secret_args = {
        "huawei:RelayTask::hw_vod": ["source_urls", "push_args", "callback_url"],
        "huawei:RelayTask::hw_live": ["source_urls", "destination_url", "backup_source_urls"],
        "tencent:RelayTask::tc_vod": ["source_urls", "to_url", "callback_url", "watermark_list"],
        "tencent:RelayTask::tc_live": ["push_args", "to_url", "backup_source_url"],
        "aliyun:RelayTask::al_vod": ["source_urls", "dst_url", "callback_url"],
    }
    checked = 0
    for resource in relay_tasks:
        names = next(v for k, v in secret_args.items() if resource["urn"].endswith(k))
        for name in names:
            assert is_secret(resource["inputs"][name]), f"{resource['urn']} input {name} is not a secret"
            assert is_secret(resource["outputs"][name]), f"{resource['urn']} output {name} is not a secret"
            checked += 1
            shown = json.dumps(resource["outputs"].get(f"{name}_redacted"))
            if name == "to_url" and "::tc_live" in resource["urn"]:  # secret as given, with no key to redact
                assert f"{name}_redacted" not in {*resource["inputs"], *resource["outputs"]}  # nor a plain copy
            elif name != "push_args":
                assert "<sha256:" in shown and not leaks(shown, secrets)
    assert checked == 16
    # A URL without a key stays readable.
    tc_live = next(r for r in relay_tasks if r["urn"].endswith("::tc_live"))
    assert tc_live["outputs"]["source_urls"] == ["rtmp://origin.example.com/live/keynote"]

    # A change of one secret playlist entry: the preview shows which entry, never the value.
    project.write_tasks(tasks(second_source=CHANGED))
    plan = project.plan()
    step = plan.step("hw_vod", "update")
    old_shown, new_shown = step["oldState"]["inputs"], step["newState"]["inputs"]
    assert old_shown["source_urls_redacted"][0] == new_shown["source_urls_redacted"][0]
    assert old_shown["source_urls_redacted"][1] != new_shown["source_urls_redacted"][1]
    project.preview()
    project.up()
    project.refresh()
    project.preview("--refresh", "--expect-no-changes")

    plain = project.run("stack", "export").stdout
    shown = project.run("stack", "export", "--show-secrets").stdout
    assert leaks(plain, secrets + credentials) == []
    # The secrets are in the state (decryptable), so the scan above looks at the right place.
    assert set(leaks(shown, secrets)) == set(secrets) - {TOKENS["hw-src"]}
    assert leaks(shown, credentials) == []

    project.destroy()
    assert call_log.exists() and call_log.read_text().count("\n") >= 10  # one line per API attempt
    # Every CLI run's output but the one that asked to see the secrets.
    outputs = "\n".join(entry for entry in project.log if "--show-secrets" not in entry.splitlines()[0])
    assert "RelayTask" in outputs
    assert leaks(outputs, secrets + credentials) == []
    assert leaks(call_log.read_text(), secrets + credentials) == []
