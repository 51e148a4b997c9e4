"""The generic lifecycle over a recording stand-in for a cloud's operations (Huawei's rules and model).

Each test names what the lifecycle itself decides: which inputs reach the operations, when no call
is made, what the outputs echo, and which contradictions stop a step.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest

from pulumi_relaytask.aliyun.model import RelayTaskArgs as AliyunArgs
from pulumi_relaytask.aliyun.rules import RULES as ALIYUN_RULES
from pulumi_relaytask.core.clock import FixedClock
from pulumi_relaytask.core.lifecycle import GIVEN, Lifecycle
from pulumi_relaytask.core.values import UNKNOWN
from pulumi_relaytask.errors import AdoptionError, DestinationTakenError, InconsistentStateError
from pulumi_relaytask.huawei.model import RelayTaskArgs
from pulumi_relaytask.huawei.rules import RULES

from .test_huawei_model import VOD

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


class RecordingOperations:
    """Keeps one task in memory and records every call the lifecycle makes."""

    deadline = 5.0

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.task: dict[str, Any] | None = None
        self.vanish_on_read = False

    def create(self, inputs: Mapping[str, Any]) -> str:
        self.calls.append(("create", dict(inputs)))
        self.task = {**inputs, "region": "cn-north-4", "status": "enable", "task_id": "t-1", "create_time": "x"}
        self.task.pop("vod_refresh_type", None)  # an instruction: the cloud keeps no such field
        return "t-1"

    def read(self, task_id: str, known: Mapping[str, Any], *, listed: bool = False) -> dict[str, Any] | None:
        self.calls.append(("listed read" if listed else "read", task_id))
        return None if self.task is None or self.vanish_on_read else dict(self.task)

    def update(self, task_id: str, old: Mapping[str, Any], new: Mapping[str, Any], changed: tuple[str, ...]) -> None:
        self.calls.append(("update", changed))
        assert self.task is not None
        self.task.update({name: new.get(name) for name in changed})

    def delete(self, task_id: str, known: Mapping[str, Any]) -> None:
        self.calls.append(("delete", dict(known)))
        self.task = None


def shown(inputs: dict[str, Any]) -> dict[str, Any]:
    """What check answers for these inputs: them, and the redacted companions of the URL arguments."""
    return {**inputs, **RULES.redacted(inputs)}


@pytest.fixture
def ops() -> RecordingOperations:
    return RecordingOperations()


@pytest.fixture
def lifecycle(ops: RecordingOperations) -> Lifecycle:
    return Lifecycle(RULES, RelayTaskArgs, lambda: ops, clock=FixedClock(NOW))


def test_planning_builds_no_client_and_makes_no_call() -> None:
    def no_client() -> RecordingOperations:
        raise AssertionError("check and diff must not need credentials or a client")

    planner = Lifecycle(RULES, RelayTaskArgs, no_client, clock=FixedClock(NOW))
    assert planner.check({}, VOD) == (shown(VOD), [])
    assert planner.diff(VOD, dict(VOD, end_time="2026-11-25T12:00:00Z")).in_place


def test_check_keeps_declared_inputs_only_and_reports_each_failure_by_field(lifecycle: Lifecycle) -> None:
    inputs, failures = lifecycle.check({}, dict(VOD, __provider="pickled", task_id="from-an-old-output"))
    assert inputs == shown(VOD)
    assert failures == []
    _, failures = lifecycle.check({}, dict(VOD, source_urls=[], end_time="2026-11-20T00:00:00Z"))
    assert [f.field for f in failures] == ["source_urls"]
    _, failures = lifecycle.check({}, dict(VOD, end_time="2026-11-24T09:00:00Z"))
    assert [(f.field, f.rule) for f in failures] == [("end_time", "must be later than start_time")]


def test_check_leaves_unknown_values_for_up_and_checks_the_known_ones(lifecycle: Lifecycle) -> None:
    inputs, failures = lifecycle.check({}, dict(VOD, source_urls=UNKNOWN))
    assert failures == [] and inputs["source_urls"] is UNKNOWN
    inputs, failures = lifecycle.check({}, dict(VOD, source_urls=["http://media.example.com/a.mp4", UNKNOWN]))
    assert failures == [] and inputs["source_urls"][1] is UNKNOWN
    # The known values are still checked one by one (and normalised); the rules across fields wait.
    inputs, failures = lifecycle.check({}, dict(VOD, source_urls=UNKNOWN, end_time="not a time", status="off"))
    assert sorted(f.field for f in failures) == ["end_time", "status"]
    inputs, failures = lifecycle.check({}, dict(VOD, source_urls=UNKNOWN, end_time="2026-11-25T18:00:00+08:00"))
    assert failures == [] and inputs["end_time"] == "2026-11-25T10:00:00Z"


def test_check_returns_what_is_sent_normalised_and_strictly_typed(lifecycle: Lifecycle) -> None:
    inputs, failures = lifecycle.check({}, dict(VOD, end_time="2026-11-25T18:00:00+08:00", vod_start_video_index=1))
    assert failures == []
    # Nothing left out is added; only the redacted companions join.
    assert inputs == shown(dict(VOD, end_time="2026-11-25T10:00:00Z", vod_start_video_index=1))
    _, failures = lifecycle.check({}, dict(VOD, source_urls=["http://media.example.com/a.mp4", ""]))
    assert [f.field for f in failures] == ["source_urls[1]"]
    for bad in ("1", True, 1.5):
        _, failures = lifecycle.check({}, dict(VOD, vod_start_video_index=bad))
        assert [(f.field, f.rule) for f in failures] == [("vod_start_video_index", "Input should be a valid integer")]
    fraction = "2026-11-25T18:00:00.250+08:00"  # a fraction of a second is dropped: the clouds take whole seconds
    assert lifecycle.check({}, dict(VOD, end_time=fraction))[0]["end_time"] == "2026-11-25T10:00:00Z"
    for end in (
        "9999-12-31T23:59:59-01:00",
        "2026-11-25T10:00:00+0800",
        "2026-11-25T10:00Z",
        "\uff12\uff10\uff12\uff16-11-25T10:00:00Z",
    ):
        _, failures = lifecycle.check({}, dict(VOD, end_time=end))
        assert [f.field for f in failures] == ["end_time"], end
        assert "RFC 3339" in failures[0].rule


def test_a_replacement_says_why_with_the_changed_paths_and_masks_secrets(lifecycle: Lifecycle) -> None:
    new = dict(VOD, push_args="token=new", source_urls=[*VOD["source_urls"], "http://media.example.com/c.mp4"])
    plan = lifecycle.diff(dict(VOD, push_args="token=old"), new)
    (note,) = lifecycle.notes(dict(VOD, push_args="token=old"), new, plan)
    assert "ModifyPullTask cannot change push_args" in note
    assert "push_args (a secret) changes" in note and "token=" not in note
    assert "source_urls[2] changes (see source_urls_redacted)" in note


def test_an_end_time_that_has_passed_binds_only_when_it_changes(lifecycle: Lifecycle) -> None:
    ended = dict(VOD, start_time="2026-11-20T00:00:00Z", end_time="2026-11-21T00:00:00Z")
    assert lifecycle.check(ended, ended)[1] == []
    _, failures = lifecycle.check({}, ended)
    assert [f.field for f in failures] == ["end_time"] and "must be in the future" in failures[0].rule


def test_create_sends_the_inputs_and_echoes_what_the_cloud_never_returns(
    lifecycle: Lifecycle, ops: RecordingOperations
) -> None:
    task_id, outputs = lifecycle.create(dict(VOD, vod_refresh_type="continue_from_file_start", __provider="x"))
    assert task_id == "t-1"
    assert ops.calls == [("create", dict(VOD, vod_refresh_type="continue_from_file_start")), ("read", "t-1")]
    assert outputs["vod_refresh_type"] == "continue_from_file_start"  # an instruction echoes the desired value
    assert outputs["region"] == "cn-north-4"  # cloud-chosen: as the cloud has it
    assert (outputs["task_id"], outputs["create_time"]) == ("t-1", "x")
    derived = {f.name for f in RULES.outputs} | {GIVEN}  # no URL carries a key: no redacted companion
    assert set(outputs) == set(RULES.input_names()) | derived
    assert outputs[GIVEN] == sorted([*VOD, "vod_refresh_type"])  # what the program gave, for later refreshes


def test_create_that_cannot_be_read_back_stops(lifecycle: Lifecycle, ops: RecordingOperations) -> None:
    ops.vanish_on_read = True
    with pytest.raises(InconsistentStateError, match="t-1 was created but cannot be read back"):
        lifecycle.create(VOD)


def test_read_gives_outputs_and_the_inputs_that_reproduce_the_live_task(
    lifecycle: Lifecycle, ops: RecordingOperations
) -> None:
    lifecycle.create(VOD)
    ops.task = dict(ops.task or {}, source_urls=["http://media.example.com/z.mp4"])  # changed out of band
    found = lifecycle.read("t-1", dict(VOD, vod_refresh_type="continue_from_break_point"))
    assert found is not None
    outputs, inputs = found
    assert outputs["source_urls"] == inputs["source_urls"] == ["http://media.example.com/z.mp4"]
    assert inputs["vod_refresh_type"] == "continue_from_break_point"  # instructions come from what was known
    # Fields at the cloud's default that the program never set stay out of the inputs.
    assert "status" not in inputs and "vod_loop_time" not in inputs
    ops.task = None
    assert lifecycle.read("t-1", VOD) is None
    # A refresh may be served by a listing; a create's read-back is a read of the task alone, now.
    assert [call for call in ops.calls if call[0] != "create"] == [("read", "t-1"), *[("listed read", "t-1")] * 2]


def test_update_calls_the_cloud_with_the_changed_fields_only(lifecycle: Lifecycle, ops: RecordingOperations) -> None:
    _, before = lifecycle.create(VOD)
    ops.calls.clear()
    after = lifecycle.update("t-1", before, dict(VOD, end_time="2026-11-25T12:00:00Z", status="pause"))
    assert ops.calls == [("update", ("end_time", "status")), ("read", "t-1")]
    assert (after["end_time"], after["status"]) == ("2026-11-25T12:00:00Z", "pause")


def test_update_without_a_change_only_reads(lifecycle: Lifecycle, ops: RecordingOperations) -> None:
    _, before = lifecycle.create(VOD)
    ops.calls.clear()
    lifecycle.update("t-1", before, dict(VOD, vod_refresh_type="continue_from_break_point"))
    assert ops.calls == [("read", "t-1")]


def test_update_refuses_a_replacement_before_any_call(lifecycle: Lifecycle, ops: RecordingOperations) -> None:
    _, before = lifecycle.create(VOD)
    ops.calls.clear()
    with pytest.raises(InconsistentStateError, match="domain cannot change in place"):
        lifecycle.update("t-1", before, dict(VOD, domain="other.example.com"))
    assert ops.calls == []


def test_update_of_a_task_that_vanished_stops(lifecycle: Lifecycle, ops: RecordingOperations) -> None:
    _, before = lifecycle.create(VOD)
    ops.vanish_on_read = True
    with pytest.raises(InconsistentStateError, match="t-1 disappeared during the update"):
        lifecycle.update("t-1", before, dict(VOD, end_time="2026-11-25T12:00:00Z"))


def test_delete_passes_the_declared_inputs(lifecycle: Lifecycle, ops: RecordingOperations) -> None:
    _, outputs = lifecycle.create(dict(VOD, region="cn-north-4"))
    lifecycle.delete("t-1", outputs)
    assert ops.calls[-1] == ("delete", dict(VOD, region="cn-north-4", status="enable"))


def test_a_refresh_reports_the_given_inputs_and_drift_but_not_what_the_cloud_chose(
    lifecycle: Lifecycle, ops: RecordingOperations
) -> None:
    _, outputs = lifecycle.create(VOD)
    assert ops.task is not None
    ops.task.update(status="pause", callback_url="http://hooks.example.com/x")  # changed out of band
    found = lifecycle.read("t-1", outputs)
    assert found is not None
    refreshed_outputs, inputs = found
    # The region the cloud chose is not reported as an input the program gave; the drift is.
    assert set(inputs) == {*VOD, "status", "callback_url"}
    assert refreshed_outputs[GIVEN] == outputs[GIVEN]  # carried through every refresh
    # State written before the record existed: every field found is reported, as before.
    legacy = {k: v for k, v in outputs.items() if k != GIVEN}
    found = lifecycle.read("t-1", legacy)
    assert found is not None and "region" in found[1]


def live_task(**changes: Any) -> dict[str, Any]:
    return {**VOD, "region": "cn-north-4", "status": "enable", "task_id": "t-9", "create_time": "x", **changes}


def test_adopting_takes_the_task_and_changes_in_place_what_differs(
    lifecycle: Lifecycle, ops: RecordingOperations
) -> None:
    ops.task = live_task(end_time="2026-11-25T09:00:00Z")
    task_id, outputs = lifecycle.create(dict(VOD, adopt_task_id="t-9"))
    assert task_id == "t-9"
    assert ops.calls == [("read", "t-9"), ("update", ("end_time",)), ("read", "t-9")]
    assert outputs["end_time"] == VOD["end_time"] and outputs["adopt_task_id"] == "t-9"


def test_adopting_a_task_as_declared_makes_no_write(lifecycle: Lifecycle, ops: RecordingOperations) -> None:
    ops.task = live_task()
    assert lifecycle.create(dict(VOD, adopt_task_id="t-9"))[0] == "t-9"
    assert [name for name, _ in ops.calls] == ["read"]  # what adopting read serves as the read-back


def test_adopting_refuses_what_needs_a_replacement_before_any_change(
    lifecycle: Lifecycle, ops: RecordingOperations
) -> None:
    ops.task = live_task(stream_name="other", push_args="token=live", end_time="2026-11-25T09:00:00Z")
    with pytest.raises(AdoptionError) as refused:
        lifecycle.create(dict(VOD, adopt_task_id="t-9"))
    message = str(refused.value)
    assert "cannot change stream_name, push_args in place" in message
    assert "stream_name = 'other'" in message and "push_args (a secret)" in message and "token=live" not in message
    assert ops.calls == [("read", "t-9")]  # no update, no create: nothing was changed


def test_adopting_a_task_that_does_not_exist_fails(lifecycle: Lifecycle, ops: RecordingOperations) -> None:
    with pytest.raises(AdoptionError, match="adopt_task_id 't-404': no such task"):
        lifecycle.create(dict(VOD, adopt_task_id="t-404"))
    assert ops.calls == [("read", "t-404")]


def test_adopt_task_id_is_never_sent_compared_or_adopted_again(lifecycle: Lifecycle, ops: RecordingOperations) -> None:
    declared = dict(VOD, adopt_task_id="t-9")
    assert not lifecycle.diff(declared, dict(VOD, adopt_task_id="t-other")).has_changes
    ops.task = live_task()
    # The diff that plans a replacement of an adopted resource makes its create (with the inputs
    # checked afresh, as the engine does) a new task, not a second adoption.
    assert lifecycle.diff(declared, dict(declared, stream_name="channel-2")).replaces == ("stream_name",)
    lifecycle.create(lifecycle.check({}, dict(declared, stream_name="channel-2"))[0])
    assert ops.calls[0] == ("create", dict(VOD, stream_name="channel-2"))  # adopt_task_id never reaches the cloud


LATER = {"start_time": "2026-11-24T10:00:00Z"}  # two hours after NOW
RUNNING = {"start_time": "2026-11-24T07:00:00Z"}


@pytest.mark.parametrize(
    "times, warned", [(RUNNING, True), (LATER, False), ({"start_time": "2026-11-24T08:05:00Z"}, True)]
)
def test_a_replacement_of_a_running_task_warns_of_the_interruption(
    lifecycle: Lifecycle, times: dict[str, str], warned: bool
) -> None:
    old = dict(VOD, **times, status="enable")
    new = dict(old, stream_name="channel-2")
    notes = lifecycle.notes(old, new, lifecycle.diff(old, new))
    interruptions = [n for n in notes if n.startswith("interrupts a running push")]
    assert len(interruptions) == int(warned)
    assert all("forced by stream_name" in n for n in interruptions)
    paused = dict(old, status="pause")
    assert not [n for n in lifecycle.notes(paused, new, lifecycle.diff(paused, new)) if "interrupts" in n]


@pytest.mark.parametrize(
    "refresh, warned", [(None, True), ("immediate_new_source", True), ("continue_from_file_start", False)]
)
def test_a_playlist_switched_at_once_on_a_running_task_warns(
    lifecycle: Lifecycle, refresh: str | None, warned: bool
) -> None:
    old = dict(VOD, **RUNNING, status="enable")
    new = dict(old, source_urls=["http://media.example.com/c.mp4"], vod_refresh_type=refresh)
    notes = lifecycle.notes(old, new, lifecycle.diff(old, new))
    assert [n for n in notes if "restarts playback" in n] == (notes if warned else [])
    assert len(notes) == int(warned)
    later = dict(VOD, **LATER, status="enable")
    assert lifecycle.notes(later, dict(new, **LATER), lifecycle.diff(later, dict(new, **LATER))) == []


def test_adopting_refuses_an_in_place_change_that_interrupts_a_running_push(
    lifecycle: Lifecycle, ops: RecordingOperations
) -> None:
    """A create is never diffed, so no preview warns: the interruption is refused, before any change."""
    playlist = ["http://media.example.com/c.mp4"]
    ops.task = live_task(**RUNNING)
    with pytest.raises(AdoptionError, match="it is pushing now, and changing source_urls") as refused:
        lifecycle.create(dict(VOD, **RUNNING, source_urls=playlist, adopt_task_id="t-9"))
    assert "(a URL, not shown)" in str(refused.value) and "media.example.com" not in str(refused.value)
    assert ops.calls == [("read", "t-9")]
    # The same change without an interruption (or on a task not yet started) is made.
    calm = dict(VOD, **RUNNING, source_urls=playlist, vod_refresh_type="continue_from_file_start")
    assert lifecycle.create(dict(calm, adopt_task_id="t-9"))[0] == "t-9"
    ops.task = live_task()
    assert lifecycle.create(dict(VOD, source_urls=playlist, adopt_task_id="t-9"))[0] == "t-9"
    assert [c for c in ops.calls if c[0] == "update"] == [("update", ("source_urls",))] * 2


def test_a_replacement_the_engine_forces_makes_a_new_task(lifecycle: Lifecycle, ops: RecordingOperations) -> None:
    """`pulumi up --replace` asks the provider no diff: the old task is deleted first (the resource
    class asks for delete-before-replace), and the create that follows does not look for it."""
    ops.task = live_task()
    declared = dict(VOD, adopt_task_id="t-9")
    lifecycle.delete("t-1", dict(declared, task_id="t-1"))  # a task made by an earlier replacement
    lifecycle.create(declared)
    assert [name for name, _ in ops.calls] == ["delete", "create", "read"]


def test_a_task_adopted_in_this_run_is_never_deleted_by_it(lifecycle: Lifecycle, ops: RecordingOperations) -> None:
    """A resource renamed without an alias: the new name adopts the task, then the old name is deleted."""
    ops.task = live_task()
    lifecycle.create(dict(VOD, adopt_task_id="t-9"))
    kept = lifecycle.delete("t-9", dict(VOD, adopt_task_id="t-9"))
    assert kept is not None and "adopted it in this run" in kept
    assert "delete" not in [name for name, _ in ops.calls]


def test_a_retained_adopted_task_holding_the_destination_is_named(
    lifecycle: Lifecycle, ops: RecordingOperations
) -> None:
    def taken(_inputs: Mapping[str, Any]) -> str:
        raise DestinationTakenError("huawei", "t-9", ["push_args"])

    ops.create = taken  # type: ignore[method-assign]
    declared = dict(VOD, adopt_task_id="t-9")
    lifecycle.diff(declared, dict(declared, push_args="k=2"))  # the replacement, planned
    with pytest.raises(DestinationTakenError, match="the task this resource adopted") as refused:
        lifecycle.create(dict(declared, push_args="k=2"))
    assert "take it over with adopt_task_id" not in str(refused.value)


def test_adopting_never_compares_a_start_position_the_cloud_lists_as_last_set() -> None:
    """Alibaba lists FileIndex/Offset back as the provider (or a console) last set them: an imported
    program leaves them out, and adopting it must not move a playlist back to its first file."""
    ops = RecordingOperations()
    aliyun = Lifecycle(ALIYUN_RULES, AliyunArgs, lambda: ops, clock=FixedClock(NOW))
    task = {
        "source_type": "url",
        "source_urls": ["http://media.example.com/a.mp4", "http://media.example.com/b.mp4"],
        "dst_url": "rtmp://push.example.com/live/a",
        **LATER,
        "end_time": "2026-11-25T10:00:00Z",
    }
    ops.task = {**task, "file_index": 1, "offset": 30, "region": "cn-shanghai", "status": "enable", "task_id": "t-9"}
    assert aliyun.create(dict(task, adopt_task_id="t-9"))[0] == "t-9"
    assert [name for name, _ in ops.calls] == ["read"]
