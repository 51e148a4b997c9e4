"""`relaytask import`: the program writer and the command.

The writer: literals that read back as the same values, resource names that are valid, unique and
independent of the listing order, secret values turned into config reads that never appear in the
text, the fields a cloud never lists back named in a comment per resource, and a program that compiles
and that ruff (default settings, as in a user's project) leaves as it is.
The command, in process against the emulator: the filter, tasks the provider's check would refuse
skipped with a reason, secret keys (never values) on stderr, one-line failures, and a progress display
on a terminal only.
"""

from __future__ import annotations

import ast
import io
import keyword
import os
import pty
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulumi_relaytask import cli
from pulumi_relaytask.aliyun.rules import RULES as ALIYUN
from pulumi_relaytask.core.clock import FixedClock
from pulumi_relaytask.core.fields import Rules
from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.huawei.rules import RULES as HUAWEI
from pulumi_relaytask.importer import ImportRequest, run
from pulumi_relaytask.program_writer import Adopted, literal, render_program, resource_names, string_literal
from pulumi_relaytask.tencent.rules import RULES as TENCENT

from ..conftest import DEMO_AK, DEMO_SK

RUFF = Path(sys.executable).parent / "ruff"
END = "2026-12-01T10:00:00Z"
NAME = re.compile(r"[a-z][a-z0-9-]*")


def huawei_vod(stream: str, **extra: Any) -> dict[str, Any]:
    return {
        "source_type": "PullVodPushLive",
        "source_urls": ["http://media.example.com/a.mp4", "http://media.example.com/b.mp4"],
        "domain": "push.example.com",
        "app_name": "live",
        "stream_name": stream,
        "end_time": END,
        **extra,
    }


def ruff(*args: str, source: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """ruff with its defaults (--isolated: no configuration file), in a folder of its own, as a user's project
    may run it (there, pulumi_relaytask is a third-party package)."""
    path = tmp_path / "__main__.py"
    path.write_text(source)
    command = [str(RUFF), *args, "--isolated", str(path)]
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=tmp_path)


def resource_calls(text: str) -> list[ast.Call]:
    tree = ast.parse(text)
    calls = [node.value for node in tree.body if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)]
    return [c for c in calls if isinstance(c.func, ast.Attribute) and c.func.attr == "RelayTask"]


def keywords(call: ast.Call) -> dict[str, ast.expr]:
    return {k.arg: k.value for k in call.keywords if k.arg}


# -- literals -------------------------------------------------------------------------------------

VALUES: list[Any] = [
    "plain",
    'say "hi"',
    "it's",
    "both ' and \"",
    "back\\slash",
    "tab\tnew\nline\r",
    "bell\x07 nul\x00 del\x7f",
    "ünïcode 中文 \u2028 \U0001f600",
    -1,
    0,
    2_100_000_000,
    True,
    False,
    ["a", "b"],
    [{"picture_url": "http://p.example.com/x.png", "x_position": 3, "width": None}],
    {"nested": [1, 2, {"k": "v"}]},
]


@pytest.mark.parametrize("value", VALUES)
def test_a_literal_reads_back_as_the_same_value(value: Any) -> None:
    back = ast.literal_eval(literal(value))
    assert back == value
    assert type(back) is type(value)


@given(st.text())
@settings(max_examples=300)
def test_any_string_reads_back(text: str) -> None:
    assert ast.literal_eval(string_literal(text)) == text


def test_string_literals_take_the_quotes_ruff_keeps(tmp_path: Path) -> None:
    texts = [v for v in VALUES if isinstance(v, str)] + ['"', "'", '"\'"', "'\"'", "a\\'b", ""]
    source = "".join(f"v{i} = {string_literal(t)}\n" for i, t in enumerate(texts))
    result = ruff("format", "--check", "--diff", source=source, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


# -- the program ----------------------------------------------------------------------------------


def rich_tasks() -> dict[str, tuple[Rules, list[Adopted]]]:
    """For each cloud, tasks whose values exercise the layout: long playlists, objects, quotes, secrets."""
    long_playlist = [f"http://media.example.com/season-1/episode-{i:02d}-a-rather-long-file-name.mp4" for i in range(6)]
    return {
        "huawei": (
            HUAWEI,
            [
                Adopted("task-0001", huawei_vod("lobby", source_urls=long_playlist, callback_events=["TaskStart"])),
                Adopted(
                    "0123456789abcdef-long-id-of-a-task",
                    huawei_vod(
                        "a stream name long enough to split the lines that name it",
                        callback_url="http://cb.example.com/relay?token=x",
                    ),
                ),
                Adopted("task-0002", huawei_vod("lobby", push_args="auth_key=hw-push-secret", vod_loop_time="3")),
            ],
        ),
        "tencent": (
            TENCENT,
            [
                Adopted(
                    "rt0123456789abcdef0123456789abcd",
                    {
                        "source_type": "PullVodPushLive",
                        "source_urls": long_playlist[:2],
                        "domain_name": "push.example.com",
                        "app_name": "live",
                        "stream_name": 'quoted "stream"',
                        "start_time": "2026-11-24T10:00:00Z",
                        "end_time": END,
                        "comment": "it's a comment with both ' and \"",
                        "watermark_list": [
                            {"picture_url": "http://pics.example.com/logo.png", "x_position": 5, "y_position": 5},
                            {"picture_url": "http://pics.example.com/corner.png", "width": 20, "location": 2},
                        ],
                    },
                )
            ],
        ),
        "aliyun": (
            ALIYUN,
            [
                Adopted(
                    "5d86ff86-99d6-4042-a0d3-1d9d0946474f",
                    {
                        "task_name": "Evening show",
                        "source_type": "url",
                        "source_urls": long_playlist,
                        "dst_url": "rtmp://push.example.com/live/evening?auth_key=al-dst-secret",
                        "start_time": "2026-11-24T10:00:00Z",
                        "end_time": END,
                        "region": "cn-shanghai",
                    },
                )
            ],
        ),
    }


@pytest.mark.parametrize("cloud", ["huawei", "tencent", "aliyun"])
def test_the_program_compiles_declares_each_task_and_ruff_leaves_it_as_it_is(cloud: str, tmp_path: Path) -> None:
    rules, tasks = rich_tasks()[cloud]
    program = render_program(cloud, rules, tasks)
    compile(program.text, "__main__.py", "exec")
    formatted = ruff("format", "--check", "--diff", source=program.text, tmp_path=tmp_path)
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
    linted = ruff("check", source=program.text, tmp_path=tmp_path)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert f"from pulumi_relaytask import {cloud}" in program.text
    calls = resource_calls(program.text)
    secret_keys = {s.key for s in program.secrets}
    declared: dict[str, dict[str, Any]] = {}
    for call in calls:
        args = keywords(call)
        task_id = ast.literal_eval(args.pop("adopt_task_id"))
        values = {}
        for name, node in args.items():
            if isinstance(node, ast.Call):  # config.require_secret[_object]("key")
                assert ast.literal_eval(node.args[0]) in secret_keys
                continue
            values[name] = ast.literal_eval(node)
        declared[task_id] = values
    secret_args = {(s.resource, s.argument) for s in program.secrets}
    for task in tasks:
        name = program.names[task.task_id]
        plain = {k: v for k, v in task.inputs.items() if (name, k) not in secret_args}
        assert declared[task.task_id] == plain


def test_resource_names_are_valid_unique_and_do_not_depend_on_the_listing_order() -> None:
    tasks = [
        Adopted("aaaa-11112222", huawei_vod("Lobby Channel")),
        Adopted("bbbb-11112222", huawei_vod("Lobby Channel")),  # same label, same short id
        Adopted("cccc-33334444", huawei_vod("2nd floor")),
        Adopted("dddd-55556666", huawei_vod("大厅")),  # nothing ASCII to keep
        Adopted("eeee-77778888", {k: v for k, v in huawei_vod("x").items() if k != "stream_name"}),
    ]
    names = resource_names("huawei", tasks)
    assert names == resource_names("huawei", list(reversed(tasks)))
    assert len(set(names.values())) == len(tasks)
    for name in names.values():
        assert NAME.fullmatch(name), name
        variable = name.replace("-", "_")
        assert variable.isidentifier() and not keyword.iskeyword(variable)
    assert names["aaaa-11112222"].startswith("lobby-channel-")
    assert names["cccc-33334444"] == "task-2nd-floor-33334444"
    assert names["eeee-77778888"] == "huawei-task-77778888"
    program = render_program("huawei", HUAWEI, tasks)
    assert [ast.literal_eval(c.args[0]) for c in resource_calls(program.text)] == sorted(names.values())


def test_secret_values_become_config_reads_and_never_appear_in_the_text() -> None:
    tokens = {"push": "tok-push-5d1f", "source": "tok-src-77ab", "password": "tok-pass-0c3e"}
    inputs = huawei_vod(
        "lobby",
        push_args=f"auth_key={tokens['push']}",
        source_urls=["http://media.example.com/a.mp4", f"http://media.example.com/b.mp4?sign={tokens['source']}"],
        callback_url=f"https://hook:{tokens['password']}@cb.example.com/relay",
    )
    task = Adopted("task-0001", inputs)
    program = render_program("huawei", HUAWEI, [task, Adopted("task-0002", huawei_vod("other"))])
    for token in tokens.values():
        assert token not in program.text
        assert token not in repr(task) and token not in repr(program.secrets)
    by_argument = {s.argument: s for s in program.secrets}
    assert set(by_argument) == {"push_args", "source_urls", "callback_url"}
    assert by_argument["push_args"].value == inputs["push_args"]
    assert by_argument["source_urls"].value == inputs["source_urls"]
    assert len({s.key for s in program.secrets}) == 3
    args = keywords(next(c for c in resource_calls(program.text) if ast.literal_eval(c.args[0]).startswith("lobby")))
    reads = {name: node for name, node in args.items() if isinstance(node, ast.Call)}
    assert set(reads) == set(by_argument)
    for name, node in reads.items():
        assert isinstance(node.func, ast.Attribute)
        wanted = "require_secret_object" if name == "source_urls" else "require_secret"
        assert node.func.attr == wanted
        assert ast.literal_eval(node.args[0]) == by_argument[name].key
    assert by_argument["push_args"].key == "lobbyTask0001PushArgs"
    assert "config = pulumi.Config()" in program.text


def test_a_program_without_secrets_reads_no_config() -> None:
    program = render_program("huawei", HUAWEI, [Adopted("task-0002", huawei_vod("other"))])
    assert program.secrets == ()
    assert "config" not in program.text


@pytest.mark.parametrize(
    ("cloud", "rules", "left_out"),
    [
        ("huawei", HUAWEI, ["vod_refresh_type"]),
        ("tencent", TENCENT, ["to_url", "operator", "file_index", "offset_time"]),
        ("aliyun", ALIYUN, ["file_index", "offset"]),
    ],
)
def test_each_resource_names_the_fields_its_cloud_never_lists_back(
    cloud: str, rules: Rules, left_out: list[str]
) -> None:
    _, tasks = rich_tasks()[cloud]
    tasks = [*tasks, Adopted("zz-extra", tasks[0].inputs)]
    lines = render_program(cloud, rules, tasks).text.splitlines()
    starts = [i for i, line in enumerate(lines) if f"= {cloud}.RelayTask(" in line]
    assert len(starts) == len(tasks)
    for start in starts:
        comment = []
        for line in reversed(lines[:start]):
            if not line.startswith("# "):
                break
            comment.insert(0, line[2:])
        named = re.findall(r"[a-z_]+", " ".join(comment).split(":", 1)[1].split(".", 1)[0])
        assert named == left_out


# -- the command, against the emulator --------------------------------------------------------------


def z(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def past() -> Iterator[EmulatorServer]:
    """An emulator whose clock is two days behind: tasks it takes end before the real now."""
    clock = FixedClock(datetime.now(UTC).replace(microsecond=0) - timedelta(days=2))
    with EmulatorServer(clock=clock) as server:
        yield server


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, emulator: EmulatorServer) -> str:
    """The vendors' environment variables pointed at the emulator; the project id returned."""
    project = f"import-{os.urandom(4).hex()}"
    for name in list(os.environ):
        if name.startswith(("HUAWEICLOUD_", "CLOUD_SDK_", "TENCENTCLOUD_", "ALIBABA_CLOUD_", "RELAYTASK_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("RELAYTASK_ENDPOINT", emulator.url)
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", DEMO_AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", DEMO_SK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", project)
    return project


def huawei_body(stream: str, end: datetime, **extra: Any) -> dict[str, Any]:
    return {**huawei_vod(stream), "end_time": z(end), **extra}


def imported(request: ImportRequest, stderr: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), stderr or io.StringIO()
    code = run(request, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def adopted_ids(text: str) -> set[str]:
    return {ast.literal_eval(keywords(c)["adopt_task_id"]) for c in resource_calls(text)}


def test_the_filter_keeps_matching_tasks_and_a_task_check_refuses_is_skipped_with_its_reason(
    env: str, emulator: EmulatorServer, past: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = datetime.now(UTC) + timedelta(hours=5)
    by_stream = {
        stream: emulator.huawei.create_pull_task(DEMO_AK, env, huawei_body(stream, later))
        for stream in ("keep-one", "keep-two", "other")
    }
    by_url = emulator.huawei.create_pull_task(
        DEMO_AK, env, huawei_body("plain", later, source_urls=["http://keep.example.com/a.mp4"])
    )
    code, program, _ = imported(ImportRequest("huawei", filter="keep"))
    assert code == 0
    assert adopted_ids(program) == {by_stream["keep-one"], by_stream["keep-two"], by_url}
    code, program, _ = imported(ImportRequest("huawei", filter=by_stream["other"][-6:]))
    assert adopted_ids(program) == {by_stream["other"]}

    # A task whose end time has passed (made by an emulator whose clock is behind) fails the check.
    monkeypatch.setenv("RELAYTASK_ENDPOINT", past.url)
    past_now = past.clock.now()
    ended = past.huawei.create_pull_task(DEMO_AK, env, huawei_body("ended", past_now + timedelta(hours=1)))
    running = past.huawei.create_pull_task(DEMO_AK, env, huawei_body("running", past_now + timedelta(days=3)))
    code, program, err = imported(ImportRequest("huawei"))
    assert code == 0
    assert adopted_ids(program) == {running}
    skipped = [line for line in err.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 1
    assert ended in skipped[0] and "end_time must be in the future" in skipped[0]


def test_secret_keys_are_listed_on_stderr_and_their_values_nowhere(env: str, emulator: EmulatorServer) -> None:
    token = f"tok-{os.urandom(6).hex()}"
    later = datetime.now(UTC) + timedelta(hours=5)
    emulator.huawei.create_pull_task(DEMO_AK, env, huawei_body("secret", later, push_args=f"auth_key={token}"))
    code, program, err = imported(ImportRequest("huawei"))
    assert code == 0
    assert token not in program and token not in err
    key = ast.literal_eval(keywords(resource_calls(program)[0])["push_args"].args[0])  # type: ignore[attr-defined]
    assert re.search(rf"^\s+{key}\b", err, re.M)


def test_a_failure_is_one_line_on_stderr_without_secrets(
    env: str, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("HUAWEICLOUD_SDK_AK")
    code, program, err = imported(ImportRequest("huawei"))
    assert (code, program) == (1, "")
    assert len(err.splitlines()) == 1 and "HUAWEICLOUD_SDK_AK" in err and "unexpected" not in err

    wrong_secret = f"wrong-{os.urandom(6).hex()}"
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", DEMO_AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", wrong_secret)
    code, program, err = imported(ImportRequest("huawei"))
    assert (code, program) == (1, "")
    assert len(err.splitlines()) == 1 and "APIGW.0301" in err and wrong_secret not in err

    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", DEMO_SK)
    code, _, err = imported(ImportRequest("huawei", out=tmp_path / "missing" / "__main__.py"))
    assert code == 1 and len(err.splitlines()) == 1 and "missing" in err


def test_the_command_line_refuses_what_it_does_not_know(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["import", "--cloud", "huawei", "--regoin", "x"])
    assert exited.value.code == 1
    assert "--regoin" in capsys.readouterr().err
    assert cli.main(["import", "--cloud", "huawei", "--filter", "nothing-matches-this"]) == 0


def test_progress_shows_on_a_terminal_only(env: str, emulator: EmulatorServer) -> None:
    later = datetime.now(UTC) + timedelta(hours=5)
    emulator.huawei.create_pull_task(DEMO_AK, env, huawei_body("progress", later))
    code, _, err = imported(ImportRequest("huawei"))
    assert code == 0 and "listing" not in err

    primary, secondary = pty.openpty()
    shown = bytearray()

    def read_terminal() -> None:  # read as it is written: a full terminal buffer would block the writer
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the other end is closed: all was read
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=read_terminal, daemon=True)
    reader.start()
    try:
        with open(secondary, "w", encoding="utf-8", closefd=True) as terminal:
            code = run(ImportRequest("huawei"), stdout=io.StringIO(), stderr=terminal)
        reader.join(timeout=10)
    finally:
        os.close(primary)
    assert code == 0
    assert b"listing Huawei Cloud Live tasks" in shown
