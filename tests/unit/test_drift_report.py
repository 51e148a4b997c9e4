"""The drift report and its rendering, from engine events shaped as a real refresh preview records them.

Each event below has the shape the Automation API hands to `on_event` (the engine's JSON, secrets
masked as `{SIG: MARK, "ciphertext": "[secret]"}`), trimmed to what matters: a step's refreshed old
outputs (with output attributes, `_redacted` companions and the provider's `__inputs`) and its new
checked inputs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pulumi.automation import EngineEvent

from pulumi_relaytask.core.values import redact
from pulumi_relaytask.drift import DriftError, FieldDrift, cloud_of, report_from_events
from pulumi_relaytask.drift_command import drift_report, failure, first_line, render_json, render_table

MASKED = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "[secret]"}
UNKNOWN_WIRE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
TOKEN_OLD, TOKEN_NEW, TOKEN_ADDED = "sign-token-program-1a2b", "sign-token-console-3c4d", "sign-token-added-5e6f"
SRC_DESIRED = ["http://m.example.com/a.mp4", f"http://m.example.com/b.mp4?sign={TOKEN_OLD}"]
SRC_LIVE = ["http://m.example.com/a.mp4", f"http://m.example.com/b.mp4?sign={TOKEN_NEW}"]
START, END = "2026-11-24T19:00:00Z", "2026-11-26T00:00:00Z"


def urn(cloud: str, name: str) -> str:
    return f"urn:pulumi:test::relaytask-test::pulumi-python:dynamic/{cloud}:RelayTask::{name}"


def event(op: str, type_: str, name: str, *, task_id: str = "", old: Any = None, new: Any = None) -> EngineEvent:
    resource_urn = f"urn:pulumi:test::relaytask-test::{type_}::{name}"
    metadata: dict[str, Any] = {"op": op, "urn": resource_urn, "type": type_, "provider": ""}
    if old is not None:
        metadata["old"] = {"type": type_, "urn": resource_urn, "id": task_id, "inputs": {}, "outputs": old}
    if new is not None:
        metadata["new"] = {"type": type_, "urn": resource_urn, "id": "", "inputs": new, "outputs": {}}
    return EngineEvent.from_json({"sequence": 1, "timestamp": 0, "resourcePreEvent": {"metadata": metadata}})


def task(op: str, cloud: str, name: str, *, task_id: str = "", old: Any = None, new: Any = None) -> EngineEvent:
    return event(op, f"pulumi-python:dynamic/{cloud}:RelayTask", name, task_id=task_id, old=old, new=new)


def huawei_vod_step() -> EngineEvent:
    """A secret playlist whose second URL's key was changed in the console, and the task paused."""
    desired = {
        "__provider": MASKED,
        "source_type": "PullVodPushLive",
        "source_urls": MASKED,
        "source_urls_redacted": redact(SRC_DESIRED),
        "domain": "push.example.com",
        "app_name": "live",
        "stream_name": "hw",
        "push_args": MASKED,
        "end_time": END,
    }
    live = {
        **desired,
        "__inputs": ["app_name", "domain", "end_time", "push_args", "source_type", "source_urls", "stream_name"],
        "source_urls_redacted": redact(SRC_LIVE),
        "status": "pause",
        "region": "cn-north-4",  # chosen by the cloud: the program left it out
        "start_time": START,  # chosen by the cloud too
        "create_time": "2026-11-24T18:00:00Z",
        "task_id": "hw-1",
        "vod_loop_time": "-1",
    }
    return task("update", "huawei", "hw", task_id="hw-1", old=live, new=desired)


def aliyun_step() -> EngineEvent:
    """A key added out of band to a URL the program gave without one: the live value arrives in plain."""
    desired = {
        "task_name": "al",
        "source_type": "url",
        "source_urls": ["http://m.example.com/a.mp4", "http://m.example.com/b.mp4"],
        "source_urls_redacted": ["http://m.example.com/a.mp4", "http://m.example.com/b.mp4"],
        "dst_url": MASKED,
        "dst_url_redacted": "rtmp://push.example.com/live/al?<sha256:08bbeab5>",
        "start_time": START,
        "end_time": END,
        "repeat_number": -1,
    }
    added = ["http://m.example.com/a.mp4", f"http://m.example.com/b.mp4?sign={TOKEN_ADDED}"]
    live = {
        **desired,
        "source_urls": added,
        "source_urls_redacted": redact(added),
        "repeat_number": 3.0,  # Pulumi carries numbers as doubles
        "region": "cn-shanghai",
        "task_status": 0,
        "current_file_index": 0,
        "task_id": "al-1",
    }
    return task("update", "aliyun", "al", task_id="al-1", old=live, new=desired)


def test_each_drifted_field_by_path_with_desired_and_live_values_secrets_redacted() -> None:
    report = report_from_events("test", [huawei_vod_step(), aliyun_step()])
    by_name = {t.resource: t for t in report.drifted}
    assert by_name["hw"].fields == (
        FieldDrift("source_urls[1]", redact(SRC_DESIRED)[1], redact(SRC_LIVE)[1]),
        FieldDrift("status", "enable", "pause"),
    )
    assert by_name["al"].fields == (
        FieldDrift(
            "source_urls[1]", "http://m.example.com/b.mp4", redact(f"http://m.example.com/b.mp4?sign={TOKEN_ADDED}")
        ),
        FieldDrift("repeat_number", -1, 3),
    )
    assert (by_name["hw"].action, by_name["hw"].task_id, by_name["hw"].cloud) == ("update", "hw-1", "huawei")
    assert by_name["al"].urn == urn("aliyun", "al")
    rendered = render_json(report) + render_table(report)
    for token in (TOKEN_OLD, TOKEN_NEW, TOKEN_ADDED):
        assert token not in rendered


def test_outputs_companions_and_cloud_chosen_values_are_never_fields() -> None:
    report = report_from_events("test", [huawei_vod_step(), aliyun_step()])
    paths = {f.path.split("[")[0].split(".")[0] for t in report.drifted for f in t.fields}
    assert paths == {"source_urls", "status", "repeat_number"}


def test_object_urls_compared_by_companion_with_defaults_filled() -> None:
    """A Tencent watermark whose picture URL carries a key: its companion is compared, and the live
    listing's default-valued keys (absent from the program) are no drift."""
    picture = f"https://m.example.com/logo.png?sig={TOKEN_OLD}"
    desired_marks = [{"picture_url": picture, "width": 12}]
    live_marks = [{"picture_url": picture, "width": 20, "x_position": 0, "y_position": 0, "location": 0}]
    desired = {
        "source_type": "PullVodPushLive",
        "source_urls": ["http://m.example.com/a.mp4"],
        "domain_name": "push.example.com",
        "app_name": "live",
        "stream_name": "tc",
        "end_time": END,
        "comment": "lobby",
        "watermark_list": MASKED,
        "watermark_list_redacted": redact(desired_marks),
    }
    live = {**desired, "comment": "edited", "watermark_list_redacted": redact(live_marks), "update_by": "console"}
    (drifted,) = report_from_events("test", [task("update", "tencent", "tc", old=live, new=desired)]).drifted
    assert drifted.fields == (FieldDrift("comment", "lobby", "edited"), FieldDrift("watermark_list[0].width", 12, 20))


def test_gone_replaced_new_and_in_sync_tasks() -> None:
    live_task = {
        "source_type": "PullLivePushLive",
        "source_urls": ["rtmp://origin.example.com/live/k"],
        "destination_url": "rtmp://push.example.com/relay/k",
        "end_time": END,
    }
    events = [
        event("refresh", "pulumi:pulumi:Stack", "relaytask-test-test", old={}),
        task("refresh", "huawei", "gone", task_id="hw-gone", old={"task_id": "hw-gone"}),
        task("create", "huawei", "gone", new=live_task),
        task("create", "huawei", "brand-new", new=live_task),  # never deployed: not drift, not in sync
        task("replace", "huawei", "live", task_id="hw-live", old={**live_task, "end_time": START}, new=live_task),
        task("create-replacement", "huawei", "live", new=live_task),
        task("same", "tencent", "quiet", task_id="tc-1", old=live_task, new=live_task),
        task("same", "aliyun", "calm", task_id="al-1", old=live_task, new=live_task),
        event("same", "pulumi:providers:pulumi-python", "default", old={}, new={}),
    ]
    report = report_from_events("test", events)
    assert [(t.resource, t.action, t.task_id) for t in report.drifted] == [
        ("gone", "gone", "hw-gone"),
        ("live", "replace", "hw-live"),
    ]
    assert report.drifted[0].fields == ()
    assert report.drifted[1].fields == (FieldDrift("end_time", END, START),)
    assert report.in_sync == 2


def test_a_secret_hidden_on_both_sides_is_named_when_nothing_else_explains_the_plan() -> None:
    common = {
        "source_type": "PullVodPushLive",
        "source_urls": ["http://m.example.com/a.mp4"],
        "domain_name": "push.example.com",
        "app_name": "live",
        "stream_name": "tc",
        "end_time": END,
        "push_args": MASKED,
    }
    (drifted,) = report_from_events("test", [task("replace", "tencent", "tc", old=common, new=common)]).drifted
    assert drifted.fields == (FieldDrift("push_args", "[secret]", "[secret]"),)


def test_secrets_the_program_never_declared_arrive_in_plain_and_are_still_masked() -> None:
    """Push args set in the console, and a key added to a URL of a state older than the redacted
    companions: the engine has no reason to mask them, the report does (the URL shown redacted)."""
    desired = {
        "source_type": "PullVodPushLive",
        "source_urls": ["http://m.example.com/a.mp4"],
        "domain": "push.example.com",
        "app_name": "live",
        "stream_name": "hw",
        "end_time": END,
        "source_urls_redacted": ["http://m.example.com/a.mp4"],  # check adds it to today's inputs
    }
    keyed = [f"http://m.example.com/a.mp4?sign={TOKEN_ADDED}"]
    live = {**desired, "push_args": f"auth_key={TOKEN_NEW}", "source_urls": keyed, "source_urls_redacted": None}
    report = report_from_events("test", [task("replace", "huawei", "hw", old=live, new=desired)])
    assert report.drifted[0].fields == (
        FieldDrift("source_urls[0]", "http://m.example.com/a.mp4", redact(keyed[0])),
        FieldDrift("push_args", None, "[secret]"),
    )
    rendered = render_json(report) + render_table(report)
    assert TOKEN_ADDED not in rendered and TOKEN_NEW not in rendered


def test_values_unknown_at_preview_are_shown_as_unknown() -> None:
    desired = {
        "source_type": "PullLivePushLive",
        "source_urls": ["rtmp://origin.example.com/live/k"],
        "destination_url": "rtmp://push.example.com/relay/k",
        "end_time": UNKNOWN_WIRE,
    }
    live = {**desired, "end_time": END}
    (drifted,) = report_from_events("test", [task("replace", "huawei", "t", old=live, new=desired)]).drifted
    assert drifted.fields == (FieldDrift("end_time", "[unknown]", END),)


def test_json_document() -> None:
    report = report_from_events("prod", [huawei_vod_step(), task("same", "aliyun", "ok", old={}, new={})])
    document = json.loads(render_json(report))
    assert document == {
        "stack": "prod",
        "drifted": [
            {
                "resource": "hw",
                "urn": urn("huawei", "hw"),
                "cloud": "huawei",
                "task_id": "hw-1",
                "action": "update",
                "fields": [
                    {"path": "source_urls[1]", "desired": redact(SRC_DESIRED)[1], "live": redact(SRC_LIVE)[1]},
                    {"path": "status", "desired": "enable", "live": "pause"},
                ],
            }
        ],
        "in_sync": 1,
    }


def test_table_rows_per_task() -> None:
    report = report_from_events("test", [huawei_vod_step(), aliyun_step()])
    lines = render_table(report).splitlines()
    rows = {tuple(line.split()) for line in lines if line.startswith("  ")}
    assert ("status", "enable", "pause") in rows
    assert ("source_urls[1]", redact(SRC_DESIRED)[1], redact(SRC_LIVE)[1]) in rows
    assert ("repeat_number", "-1", "3") in rows
    headings = [line for line in lines if line.startswith(("hw:", "al:"))]
    assert [h.split(",")[0] for h in headings] == ["al: aliyun task al-1", "hw: huawei task hw-1"]
    assert render_table(report_from_events("test", [])).count("\n") == 1


@pytest.mark.parametrize(
    "token, cloud",
    [
        ("pulumi-python:dynamic/huawei:RelayTask", "huawei"),
        ("pulumi-python:dynamic/aliyun:RelayTask", "aliyun"),
        ("relaytask:tencent:RelayTask", "tencent"),
        ("pulumi-python:dynamic/other:RelayTask", None),
        ("pulumi-python:dynamic:Resource", None),
        ("pulumi:pulumi:Stack", None),
    ],
)
def test_cloud_of_type_token(token: str, cloud: str | None) -> None:
    assert cloud_of(token) == cloud


def test_failure_is_one_line_naming_the_resource() -> None:
    traceback = (
        'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n'
        "Exception: huawei: missing credential relaytask:huaweiSecretKey\n"
    )
    diagnostic = EngineEvent.from_json(
        {"diagnosticEvent": {"message": traceback, "color": "never", "severity": "error", "urn": urn("huawei", "hw")}}
    )
    assert (
        failure("", [diagnostic])
        == "preview failed: hw: Exception: huawei: missing credential relaytask:huaweiSecretKey"
    )
    stderr = "\n code: 255\n stdout: \n stderr: warning: a\nerror: no Pulumi.yaml project file found\nmore\n"
    assert failure(stderr, []) == "preview failed: no Pulumi.yaml project file found"
    assert first_line("error: Preview failed: Exception calling application: boom\nsecond") == "boom"


def test_bad_directory_is_an_error_before_any_cli_call(tmp_path: Path) -> None:
    with pytest.raises(DriftError, match="no such directory"):
        drift_report(tmp_path / "missing", None)
    with pytest.raises(DriftError, match="no Pulumi project"):
        drift_report(tmp_path, "test")
