"""Taking over existing tasks with `adopt_task_id`, through the real Pulumi CLI against the emulator.

The tasks are made out of band (straight in the emulator's backend, as a console would), then declared
with `adopt_task_id`; the emulator's call counts show what each `pulumi up` did to them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pulumi_relaytask.emulator.server import EmulatorServer

from ..calls import writes as written
from ..conftest import DEMO_AK
from .conftest import hour_from_now
from .harness import PulumiProject


def writes(emulator: EmulatorServer) -> Counter[str]:
    return Counter(written(emulator.stats.snapshot()["huawei"]))


def vod_args(stream: str, **change: Any) -> dict[str, Any]:
    return {
        "source_type": "PullVodPushLive",
        "source_urls": ["http://media.example.com/a.mp4", "http://media.example.com/b.mp4"],
        "domain": "push.example.com",
        "app_name": "live",
        "stream_name": stream,
        "start_time": hour_from_now(2),
        "end_time": hour_from_now(30),
        **change,
    }


def live_args(**change: Any) -> dict[str, Any]:
    return {
        "source_type": "PullLivePushLive",
        "source_urls": ["rtmp://origin.example.com/live/main"],
        "destination_url": "rtmp://push.example.com/relay/console-made",
        "start_time": hour_from_now(2),
        "end_time": hour_from_now(30),
        **change,
    }


def task(name: str, args: dict[str, Any], adopt: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "args": {**args, "adopt_task_id": adopt}, **extra}


def test_adopt_changes_in_place_refuses_replacements_and_later_replaces_as_usual(
    project: PulumiProject, emulator: EmulatorServer, project_id: str
) -> None:
    backend = emulator.huawei

    def made_out_of_band(args: dict[str, Any]) -> str:
        return backend.create_pull_task(DEMO_AK, project_id, args)

    def live(task_id: str) -> dict[str, Any] | None:
        return backend.get_task(DEMO_AK, project_id, task_id)

    vod_id = made_out_of_band(vod_args("adopted"))
    kept_id = made_out_of_band(vod_args("kept"))
    live_id = made_out_of_band(live_args())

    # Adopting: the differing end_time is changed in place; the task declared as it is gets no write.
    later_end = hour_from_now(40)
    tasks = [
        task("vod", vod_args("adopted", end_time=later_end), vod_id),
        task("kept", vod_args("kept"), kept_id, retain_on_delete=True),
    ]
    project.write_tasks(tasks)
    before = writes(emulator)
    project.up()
    assert writes(emulator) - before == Counter({"ModifyPullTask": 1})
    ids = {r["urn"].rsplit("::", 1)[1]: r["id"] for r in project.resources()}
    assert ids == {"vod": vod_id, "kept": kept_id}
    assert (live(vod_id) or {})["end_time"] == later_end
    project.run("preview", "--refresh", "--expect-no-changes")

    # A field that would need a replacement fails the create before any change, naming the live value.
    project.write_tasks(
        [*tasks, task("live", live_args(source_urls=["rtmp://origin.example.com/live/other"]), live_id)]
    )
    before = writes(emulator)
    failed = project.up(ok=False)
    assert failed.returncode != 0
    output = failed.stdout + failed.stderr
    assert f"cannot adopt task {live_id}" in output and "source_urls" in output
    assert writes(emulator) == before
    assert (live(live_id) or {})["source_urls"] == ["rtmp://origin.example.com/live/main"]
    assert "live" not in {r["urn"].rsplit("::", 1)[1] for r in project.resources()}

    # Once adopted, a replacement makes a new task as usual (the adopted one is deleted first).
    tasks[0] = task("vod", vod_args("renamed", end_time=later_end), vod_id)
    project.write_tasks(tasks)
    before = writes(emulator)
    project.up()
    assert writes(emulator) - before == Counter({"DeletePullTask": 1, "CreatePullTask": 1})
    ids = {r["urn"].rsplit("::", 1)[1]: r["id"] for r in project.resources()}
    assert ids["vod"] != vod_id and live(vod_id) is None and live(ids["vod"]) is not None

    # retain_on_delete: a destroy leaves the adopted task running; the other one is deleted.
    before = writes(emulator)
    project.destroy()
    assert writes(emulator) - before == Counter({"DeletePullTask": 1})
    assert live(kept_id) is not None and live(ids["vod"]) is None


def test_a_replacement_forced_by_the_engine_keeps_a_task_running(
    project: PulumiProject, emulator: EmulatorServer, project_id: str
) -> None:
    """`pulumi up --replace URN` asks the provider no diff. The resource class asks for delete-before-
    replace, so the old task goes first and the create makes a new one: the stack never ends up
    pointing at a task its own replacement deleted (adopted or not)."""
    backend = emulator.huawei
    adopted_id = backend.create_pull_task(DEMO_AK, project_id, vod_args("forced-adopted"))
    project.write_tasks(
        [task("adopted", vod_args("forced-adopted"), adopted_id), {"name": "plain", "args": vod_args("forced-plain")}]
    )
    project.up()
    before_ids = {r["urn"].rsplit("::", 1)[1]: r["id"] for r in project.resources()}
    urns = [r["urn"] for r in project.resources()]

    before = writes(emulator)
    project.up(*(arg for urn in urns for arg in ("--replace", urn)))
    assert writes(emulator) - before == Counter({"DeletePullTask": 2, "CreatePullTask": 2})
    ids = {r["urn"].rsplit("::", 1)[1]: r["id"] for r in project.resources()}
    for name, task_id in ids.items():
        assert task_id != before_ids[name] and backend.get_task(DEMO_AK, project_id, task_id) is not None, name
    project.run("preview", "--refresh", "--expect-no-changes")
