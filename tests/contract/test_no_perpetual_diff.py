"""No perpetual diffs: a task created from one spelling of its arguments plans no change against any
equivalent spelling, before and after a refresh and after an in-place update (issue "No perpetual diffs").

For each cloud, hypothesis draws a valid spec (tests/strategies.py) and two equivalent spellings of it
(`respellings`: times in any offset or form, set-like lists in any order, defaults given or left out,
watermark members at their default given or left out). The lifecycle runs as the provider drives it
against an in-process emulator: `check(olds, news)` → `create` → `read` (a refresh) → `diff`, then an
in-place update to another spec and the same again. After each step the plan against either spelling
must be empty, and the inputs a refresh reports must compare equal to the program's
(`rules.comparable`, what `pulumi preview --refresh` diffs). Every task is deleted afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pulumi_relaytask import clouds
from pulumi_relaytask.aliyun.api import AliyunClient
from pulumi_relaytask.aliyun.operations import AliyunOperations
from pulumi_relaytask.aliyun.settings import AliyunSettings
from pulumi_relaytask.core import timefmt
from pulumi_relaytask.core.clock import FixedClock
from pulumi_relaytask.core.diff import Plan
from pulumi_relaytask.core.lifecycle import Lifecycle, Operations
from pulumi_relaytask.core.model import ADOPT_TASK_ID, CheckContext, check_inputs
from pulumi_relaytask.core.settings import CallPolicy
from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.huawei.api import HuaweiClient
from pulumi_relaytask.huawei.operations import HuaweiOperations
from pulumi_relaytask.huawei.settings import HuaweiSettings
from pulumi_relaytask.tencent.api import TencentClient
from pulumi_relaytask.tencent.operations import TencentOperations
from pulumi_relaytask.tencent.settings import TencentSettings

from ..calls import writes
from ..conftest import DEMO_AK, DEMO_SK
from ..strategies import KEYS, MODELS, Spec, respellings, utc, valid_specs

EXAMPLES_PER_CLOUD = 25
POLICY = CallPolicy(deadline=10, timeout=5)
SETTINGS = settings(
    max_examples=EXAMPLES_PER_CLOUD,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
DESTINATION_ARGS = ("destination_url", "to_url", "dst_url")
MAX_DESTINATION = {"huawei": 2048, "tencent": 2048, "aliyun": 2000}


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="module")
def clock() -> FixedClock:
    return FixedClock(_now())


@pytest.fixture(scope="module")
def server(clock: FixedClock) -> Iterator[EmulatorServer]:
    with EmulatorServer(clock=clock, rate_limits=False) as srv:
        yield srv


Client = HuaweiClient | TencentClient | AliyunClient


def connect(key: str, server: EmulatorServer, clock: FixedClock) -> tuple[Operations, Client]:
    """A cloud's operations against the emulator, as the provider builds them (a Huawei project of its own)."""
    if key == "huawei":
        settings_ = HuaweiSettings(DEMO_AK, DEMO_SK, uuid.uuid4().hex, "cn-north-4", server.url, POLICY)
        huawei = HuaweiClient(settings_, clock=clock)
        return HuaweiOperations(huawei), huawei
    if key == "tencent":
        tencent = TencentClient(
            TencentSettings(DEMO_AK, DEMO_SK, "ap-guangzhou", server.url, policy=POLICY), clock=clock
        )
        return TencentOperations(tencent), tencent
    aliyun = AliyunClient(AliyunSettings(DEMO_AK, DEMO_SK, "cn-shanghai", server.url, policy=POLICY), clock=clock)
    return AliyunOperations(aliyun), aliyun


@pytest.fixture(scope="module")
def lifecycles(server: EmulatorServer, clock: FixedClock) -> Iterator[dict[str, Lifecycle]]:
    made = {key: connect(key, server, clock) for key in KEYS}
    yield {key: lifecycle_of(key, ops, clock) for key, (ops, _client) in made.items()}
    for _ops, client in made.values():
        client.close()


def lifecycle_of(key: str, ops: Operations, clock: FixedClock) -> Lifecycle:
    cloud = clouds.cloud(key)
    return Lifecycle(cloud.rules, cloud.model, lambda: ops, clock=clock)


class Destinations:
    """A fresh destination per example (a tag on the stream name or the destination URL), so no
    example's task meets another's, even one left behind by a failure."""

    def __init__(self) -> None:
        self.count = 0

    def tag(self, key: str, spec: Spec) -> Spec:
        self.count += 1
        tag = f"-np{self.count}"
        for name in DESTINATION_ARGS:
            if isinstance(spec.get(name), str):
                return {**spec, name: spec[name][: MAX_DESTINATION[key] - len(tag)] + tag}
        # Huawei's stream_name is at most 512 characters; Tencent's has no bound.
        stream = str(spec["stream_name"])
        return {**spec, "stream_name": stream[: 512 - len(tag)] + tag}


DESTINATIONS = Destinations()


# -- updates ---------------------------------------------------------------------------------------


def _shifted(spec: Spec, seconds: int, *, with_start: bool) -> Spec:
    out = dict(spec)
    for name in ("end_time", "start_time") if with_start else ("end_time",):
        if name in spec:
            out[name] = timefmt.format_utc(timefmt.parse_rfc3339(spec[name]) + timedelta(seconds=seconds))
    return out


def _accepted_after(key: str, spec: Spec, previous: Spec, now: datetime) -> bool:
    """Whether check takes `spec` as a change of a task declared as `previous` (checked inputs)."""
    return not check_inputs(MODELS[key], spec, CheckContext(now=now, previous=previous))[1]


@st.composite
def updates(draw: st.DrawFn, key: str, spec: Spec, checked: Spec, now: datetime) -> Spec:
    """Another valid spec of the same task that changes at least one in-place argument: arguments of a
    second drawn spec laid over this one, or removed (back to the default), else the end time moved by
    a second. The destination and every argument that needs a replacement stay as they are."""
    rules = clouds.cloud(key).rules
    other = draw(valid_specs(key, now))
    candidate = dict(spec)
    for f in rules.fields:
        if not f.in_place or f.name in DESTINATION_ARGS or f.provider_only:
            continue
        choice = draw(st.sampled_from(["keep", "keep", "take", "remove"]))
        if choice == "take" and f.name in other:
            candidate[f.name] = other[f.name]
        elif choice == "remove" and not f.required:
            candidate.pop(f.name, None)
    desired = check_inputs(MODELS[key], candidate, CheckContext(now=now))[0]
    changed = rules.comparable(checked, desired=desired) != rules.comparable(desired)  # as the diff compares
    if changed and _accepted_after(key, candidate, checked, now):
        event("update: arguments of another spec")
        return candidate
    event("update: end time moved")
    for seconds, with_start in ((-1, False), (1, False), (1, True)):
        moved = _shifted(spec, seconds, with_start=with_start)
        if _accepted_after(key, moved, checked, now):
            return moved
    raise AssertionError(f"no in-place change of {spec!r} passes check")  # a window that cannot move by 1 s


# -- the property ----------------------------------------------------------------------------------


@dataclass
class Seen:
    """What the examples of one cloud went through, so a run that exercised nothing fails."""

    created: int = 0
    updated: int = 0
    imported: int = 0
    replacements: int = 0
    kinds: set[str] = field(default_factory=set)


def shown(plan: Plan) -> str:
    """Each change by path with its normalised old (live) and new (desired) values."""
    return "; ".join(f"{c.path}: {c.old!r} -> {c.new!r}" for c in plan.changes)


def checked(lifecycle: Lifecycle, olds: Spec, news: Spec) -> Spec:
    """The inputs as the provider's check returns them (olds: the inputs in the state)."""
    inputs, failures = lifecycle.check(olds, news)
    assert not failures, f"check refused an equivalent spelling {news!r}: {failures!r}"
    return inputs


def assert_no_diff(lifecycle: Lifecycle, step: str, outputs: Spec, state_inputs: Spec, spellings: list[Spec]) -> None:
    """No plan against any of the spellings, each checked as the provider checks it (with the state's inputs)."""
    for spelling in spellings:
        news = checked(lifecycle, state_inputs, spelling)
        plan = lifecycle.diff(outputs, news)
        assert not plan.has_changes, f"{step}: perpetual diff: {shown(plan)}; declared as {spelling!r}"


def assert_refreshed_inputs_agree(
    lifecycle: Lifecycle, step: str, outputs: Spec, refreshed: Spec, desired: Spec
) -> None:
    """The inputs a refresh reports compare equal to the program's (what `preview --refresh` diffs)."""
    rules = lifecycle.rules
    before, after = rules.comparable(refreshed, desired=desired), rules.comparable(desired)
    differ = {name: (before.get(name), after.get(name)) for name in after if before.get(name) != after.get(name)}
    assert not differ, f"{step}: refreshed inputs differ from the program's (refreshed, desired): {differ!r}"


def refresh(lifecycle: Lifecycle, task_id: str, outputs: Spec) -> tuple[Spec, Spec]:
    found = lifecycle.read(task_id, outputs)
    assert found is not None, f"task {task_id} is gone after a read"
    return found


def written(server: EmulatorServer, cloud: str) -> dict[str, int]:
    return writes(server.stats.snapshot().get(cloud, {}))


def assert_imported_without_a_write(
    lifecycle: Lifecycle, server: EmulatorServer, clock: FixedClock, task_id: str, region: str | None, seen: Seen
) -> None:
    """The program `relaytask import` writes for the task (what it lists back) adopts it unchanged."""
    live = next((live for found, live in lifecycle.listed(region) if found == task_id), None)
    assert live is not None, f"task {task_id} is not listed"
    inputs, failures = lifecycle.check({}, {ADOPT_TASK_ID: task_id, **live})
    if failures:  # the import skips such a task (e.g. one whose start has passed), naming the rule
        event(f"import: skipped ({failures[0].field} {failures[0].rule})")
        return
    adopter = Lifecycle(lifecycle.rules, lifecycle.model, lambda: lifecycle.operations, clock=clock)
    before = written(server, lifecycle.rules.cloud)
    assert adopter.create(inputs)[0] == task_id
    assert written(server, lifecycle.rules.cloud) == before, f"adopting {live!r} wrote"
    seen.imported += 1


@pytest.mark.parametrize("key", KEYS)
def test_equivalent_spellings_never_diff(
    key: str, lifecycles: dict[str, Lifecycle], clock: FixedClock, server: EmulatorServer
) -> None:
    lifecycle = lifecycles[key]
    seen = Seen()

    @SETTINGS
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        clock.set(_now())
        now = clock.now()
        spec = DESTINATIONS.tag(key, data.draw(valid_specs(key, now), label="spec"))
        first = data.draw(respellings(key, spec, now), label="spelling A")
        second = data.draw(respellings(key, spec, now), label="spelling B")
        inputs = checked(lifecycle, {}, first)
        task_id, outputs = lifecycle.create(inputs)
        seen.created += 1
        try:
            # Right after create (`pulumi up` then `pulumi preview`): the state holds A's checked inputs.
            assert_no_diff(lifecycle, "after create", outputs, inputs, [first, second])
            # A refresh (`pulumi preview --refresh`): the state takes the outputs and inputs read back.
            outputs, state_inputs = refresh(lifecycle, task_id, outputs)
            assert_no_diff(lifecycle, "after refresh", outputs, state_inputs, [first, second])
            desired = checked(lifecycle, state_inputs, second)
            assert_refreshed_inputs_agree(lifecycle, "after refresh", outputs, state_inputs, desired)
            # `relaytask import` then `pulumi up`: the task declared as listed is adopted with no write.
            assert_imported_without_a_write(lifecycle, server, clock, task_id, inputs.get("region"), seen)

            # An in-place update to another spec C, declared as C1, then compared with C1 and another spelling C2.
            change = data.draw(updates(key, second, desired, now), label="update")
            declared = data.draw(respellings(key, change, now), label="update spelling 1")
            again = data.draw(respellings(key, change, now), label="update spelling 2")
            news = checked(lifecycle, state_inputs, declared)
            plan = lifecycle.diff(outputs, news)
            assert plan.has_changes, f"the update {declared!r} plans no change: the update strategy is wrong"
            if plan.replaces:  # e.g. a Huawei live task: ModifyPullTask changes VOD tasks only
                seen.replacements += 1
                event("update: a replacement (not applied)")
                return
            outputs = lifecycle.update(task_id, outputs, news)
            seen.updated += 1
            assert_no_diff(lifecycle, "after update", outputs, news, [declared, again])
            outputs, state_inputs = refresh(lifecycle, task_id, outputs)
            assert_no_diff(lifecycle, "after update and refresh", outputs, state_inputs, [declared, again])
            desired = checked(lifecycle, state_inputs, again)
            assert_refreshed_inputs_agree(lifecycle, "after update and refresh", outputs, state_inputs, desired)
        finally:
            lifecycle.delete(task_id, outputs)

    run()
    # The run exercised what it claims: tasks created, and updated in place, on every cloud.
    # Which examples can be updated in place or imported follows the derandomized draws, which follow what the
    # provider answers: a change of the provider shifts the shares, so the floor is a few of each, not a fraction.
    assert seen.created >= EXAMPLES_PER_CLOUD and seen.updated >= EXAMPLES_PER_CLOUD // 8, seen
    assert seen.imported >= EXAMPLES_PER_CLOUD // 8, seen


def test_respellings_cover_every_kind_of_spelling() -> None:
    """The spellings are not the spec again: times in other forms, shuffled sets, defaults given or left
    out, optional lists given empty, watermark members given or left out all show up. A fixed `now`
    keeps the derandomized draws the same from run to run."""
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    found: set[str] = set()

    def look(key: str, spec: Spec, other: Spec) -> None:
        for f in clouds.cloud(key).rules.fields:
            before, after = spec.get(f.name), other.get(f.name)
            if f.time and before is not None and after != before:
                found.add("time")
            if f.set_like and before and after and after != before:
                found.add("order")
            if f.default is not None and (before is None) != (after is None):
                found.add("default")
            if f.type_name.startswith("array") and before is None and after == []:
                found.add("empty list")
            if f.type_name == "array<object>" and before and after and after != before:
                found.add("object member")

    def sample(key: str) -> None:
        @settings(SETTINGS, max_examples=60)
        @given(data=st.data())
        def run(data: st.DataObject) -> None:
            spec = data.draw(valid_specs(key, now))
            look(key, spec, data.draw(respellings(key, spec, now)))

        run()

    for key in KEYS:
        sample(key)
    assert found == {"time", "order", "default", "empty list", "object member"}


# -- Alibaba's run state: cases the property found ------------------------------------------------

HOUR = timedelta(hours=1)


def aliyun_playlist(now: datetime, name: str, **change: Any) -> Spec:
    spec: Spec = {
        "source_type": "url",
        "source_urls": [f"http://media.example.com/{i}.mp4" for i in range(3)],
        "dst_url": f"rtmp://push.example.com/live/{name}-{uuid.uuid4().hex[:8]}",
        "start_time": utc(now + HOUR),
        "end_time": utc(now + 5 * HOUR),
    }
    return {**spec, **change}


def created(lifecycle: Lifecycle, spec: Spec) -> tuple[str, Spec, Spec]:
    inputs = checked(lifecycle, {}, spec)
    task_id, outputs = lifecycle.create(inputs)
    return task_id, inputs, outputs


def test_aliyun_removing_callback_url_replaces(lifecycles: dict[str, Lifecycle], clock: FixedClock) -> None:
    """UpdateLivePullToPush reads an empty CallbackUrl as "unchanged": removing one plans a new task
    (an in-place update would change nothing and plan the same change at every preview)."""
    clock.set(_now())
    lifecycle = lifecycles["aliyun"]
    spec = aliyun_playlist(clock.now(), "callback", callback_url="http://callback.example.com/hook")
    task_id, inputs, outputs = created(lifecycle, spec)
    try:
        removed = {k: v for k, v in spec.items() if k != "callback_url"}
        plan = lifecycle.diff(outputs, checked(lifecycle, inputs, removed))
        assert (plan.changed, plan.replaces) == (("callback_url",), ("callback_url",))
        other = {**spec, "callback_url": "http://callback.example.com/other"}
        plan = lifecycle.diff(outputs, checked(lifecycle, inputs, other))
        assert (plan.changed, plan.replaces) == (("callback_url",), ())  # a change stays in place
    finally:
        lifecycle.delete(task_id, outputs)


def test_aliyun_paused_playlist_that_played_out(lifecycles: dict[str, Lifecycle], clock: FixedClock) -> None:
    """A playlist that has played all its rounds (TaskStatus -1) cannot be stopped: declared pause,
    it plans nothing, before and after a refresh."""
    clock.set(_now())
    lifecycle = lifecycles["aliyun"]
    # Started 2 hours ago: three files of 600 s each (the emulator's length), played once, are over.
    spec = aliyun_playlist(clock.now(), "played-out", start_time=utc(clock.now() - 2 * HOUR), status="pause")
    task_id, inputs, outputs = created(lifecycle, spec)
    try:
        assert outputs["task_status"] == -1  # played out
        assert not lifecycle.diff(outputs, inputs).has_changes
        outputs, state_inputs = refresh(lifecycle, task_id, outputs)
        plan = lifecycle.diff(outputs, checked(lifecycle, state_inputs, spec))
        assert not plan.has_changes, f"perpetual diff of a played-out paused playlist: {shown(plan)}"
        assert state_inputs["status"] == "pause"
    finally:
        lifecycle.delete(task_id, outputs)


def test_aliyun_running_playlist_made_shorter(lifecycles: dict[str, Lifecycle], clock: FixedClock) -> None:
    """A running playlist whose new source_urls end before the file it plays resumes at the first file
    (Update refuses a FileIndex past the end), and the change is applied."""
    clock.set(_now())
    lifecycle = lifecycles["aliyun"]
    # Started 25 minutes ago: the third file (600 s each) is playing.
    spec = aliyun_playlist(clock.now(), "shorter", start_time=utc(clock.now() - timedelta(minutes=25)))
    task_id, inputs, outputs = created(lifecycle, spec)
    try:
        assert (outputs["task_status"], outputs["current_file_index"]) == (1, 2)
        shorter = {**spec, "source_urls": spec["source_urls"][:1]}
        news = checked(lifecycle, inputs, shorter)
        outputs = lifecycle.update(task_id, outputs, news)
        assert (outputs["task_status"], outputs["current_file_index"]) == (1, 0)  # restarted at the top
        outputs, state_inputs = refresh(lifecycle, task_id, outputs)
        plan = lifecycle.diff(outputs, checked(lifecycle, state_inputs, shorter))
        assert not plan.has_changes, f"the shorter playlist was not applied: {shown(plan)}"
    finally:
        lifecycle.delete(task_id, outputs)
