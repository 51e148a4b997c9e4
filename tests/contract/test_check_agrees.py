"""What `check` accepts, the emulated cloud accepts (issue "Bad input and hostile input", part 1).

Generated valid specs (tests/strategies.py) go through `Lifecycle.check`, then `Lifecycle.create` sends
exactly what check returned to an in-process emulator (no faults, no rate limits, one clock for the
provider, the clients and the emulator); each task is deleted afterwards, and each example gets its own
destination. The vendors' own example values run by name. The other way round, each single broken rule
that check refuses is sent to the emulator directly (bypassing check): the emulator must refuse it too.

Every disagreement is collected before the test fails, reduced to a smaller spec that still shows it
(arguments dropped, lists cut), and named with the emulator's answer; with RELAYTASK_CHECK_REPORT=path
they also go to the JSON report.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pulumi_relaytask import clouds
from pulumi_relaytask.aliyun.api import AliyunClient
from pulumi_relaytask.aliyun.operations import AliyunOperations
from pulumi_relaytask.aliyun.settings import AliyunSettings
from pulumi_relaytask.core.clock import FixedClock
from pulumi_relaytask.core.deadline import deadline_scope
from pulumi_relaytask.core.lifecycle import Lifecycle, Operations
from pulumi_relaytask.core.settings import CallPolicy
from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.errors import ApiError, ValidationError
from pulumi_relaytask.huawei.api import HuaweiClient
from pulumi_relaytask.huawei.operations import HuaweiOperations
from pulumi_relaytask.huawei.settings import HuaweiSettings
from pulumi_relaytask.tencent.api import TencentClient
from pulumi_relaytask.tencent.operations import TencentOperations
from pulumi_relaytask.tencent.settings import TencentSettings

from ..conftest import DEMO_AK, DEMO_SK
from ..strategies import KEYS, Mutation, Spec, Tally, blamed, mutations, utc, valid_specs, write_report

EXAMPLES_PER_CLOUD = 40
POLICY = CallPolicy(deadline=10, timeout=5)
TALLY = Tally()
MAX_DESTINATION = {"huawei": 2048, "tencent": 2048, "aliyun": 2000}
MAX_STREAM_NAME = {"huawei": 512}


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    write_report("contract/test_check_agrees", TALLY)


@pytest.fixture(scope="module")
def clock() -> FixedClock:
    return FixedClock(_now())


PROBE_ACCOUNTS = 200
PROBES_PER_ACCOUNT = 8
"""Specs sent without check come from many accounts, a few each (fewer than any client's burst of
calls), so probes never wait for the client's pacing nor share destinations or quotas."""


def probe_key(index: int) -> str:
    return f"relaytask-probe-{index % PROBE_ACCOUNTS}"


@pytest.fixture(scope="module")
def server(clock: FixedClock) -> Iterator[EmulatorServer]:
    probes = {probe_key(i): DEMO_SK for i in range(PROBE_ACCOUNTS)}
    credentials = dict.fromkeys(KEYS, probes)
    with EmulatorServer(clock=clock, rate_limits=False, credentials=credentials) as srv:
        srv.gate.rate_limits = False
        yield srv


Client = HuaweiClient | TencentClient | AliyunClient


def connect(
    key: str, server: EmulatorServer, clock: FixedClock, access_key: str = DEMO_AK
) -> tuple[Operations, Client]:
    """A cloud's operations against the emulator, as the provider builds them (the clients share the clock)."""
    if key == "huawei":
        huawei = HuaweiClient(
            HuaweiSettings(access_key, DEMO_SK, "proj", "cn-north-4", server.url, POLICY), clock=clock
        )
        return HuaweiOperations(huawei), huawei
    if key == "tencent":
        tencent = TencentClient(
            TencentSettings(access_key, DEMO_SK, "ap-guangzhou", server.url, policy=POLICY), clock=clock
        )
        return TencentOperations(tencent), tencent
    aliyun = AliyunClient(AliyunSettings(access_key, DEMO_SK, "cn-shanghai", server.url, policy=POLICY), clock=clock)
    return AliyunOperations(aliyun), aliyun


@pytest.fixture(scope="module")
def operations(server: EmulatorServer, clock: FixedClock) -> Iterator[dict[str, Operations]]:
    made = {key: connect(key, server, clock) for key in KEYS}
    yield {key: ops for key, (ops, _client) in made.items()}
    for _ops, client in made.values():
        client.close()


class Destinations:
    """A fresh destination per attempt: a tag appended to the stream name or the destination URL."""

    def __init__(self) -> None:
        self.count = 0

    def tag(self, key: str, spec: Spec) -> Spec:
        self.count += 1
        tag = f"-u{self.count}"
        out = dict(spec)
        for name in ("destination_url", "to_url", "dst_url"):
            if isinstance(out.get(name), str) and out[name]:
                out[name] = out[name][: MAX_DESTINATION[key] - len(tag)] + tag
                return out
        if isinstance(out.get("stream_name"), str):
            most = MAX_STREAM_NAME.get(key, len(out["stream_name"]) + len(tag))
            out["stream_name"] = out["stream_name"][: most - len(tag)] + tag
        return out


DESTINATIONS = Destinations()


@dataclass
class Outcome:
    """What became of one spec: refused by check, created (and deleted), refused by the emulator, or an
    exception of another kind (a raw exception: a bug wherever it comes from)."""

    result: str  # "check", "created", "emulator", "delete", "raw"
    spec: Spec
    detail: str = ""
    code: str = ""

    @property
    def signature(self) -> tuple[str, str, frozenset[str]]:
        """The same disagreement whatever values it quotes: the result, the vendor code, the field names."""
        plain = re.sub(r"'[^']*'|\"[^\"]*\"", "", self.detail)
        return (
            self.result,
            self.code,
            frozenset(re.findall(r"\b(?:[a-z]+_[a-z_]+|[A-Z][a-z]+(?:[A-Z][a-z]*)+)\b", plain)),
        )


def lifecycle_of(key: str, ops: Operations, clock: FixedClock) -> Lifecycle:
    cloud = clouds.cloud(key)
    return Lifecycle(cloud.rules, cloud.model, lambda: ops, clock=clock)


def attempt(key: str, spec: Spec, ops: Operations, clock: FixedClock) -> Outcome:
    """Check, then create exactly what check returned, then delete."""
    lifecycle = lifecycle_of(key, ops, clock)
    try:
        inputs, failures = lifecycle.check({}, spec)
    except Exception as exc:  # a raw exception out of check
        return Outcome("raw", spec, f"check raised {exc!r}")
    if failures:
        if not all(isinstance(f, ValidationError) for f in failures):
            return Outcome("raw", spec, f"check answered {failures!r}")
        return Outcome("check", spec, "; ".join(f"{f.field}: {f.rule}" for f in failures))
    try:
        task_id, outputs = lifecycle.create(inputs)
    except ApiError as exc:
        return Outcome("emulator", spec, f"{type(exc).__name__}: {exc.message}", exc.code)
    except Exception as exc:
        return Outcome("raw", spec, f"create raised {exc!r}")
    try:
        lifecycle.delete(task_id, outputs)
    except ApiError as exc:
        return Outcome("delete", spec, f"{type(exc).__name__}: {exc.message}", exc.code)
    except Exception as exc:
        return Outcome("raw", spec, f"delete raised {exc!r}")
    return Outcome("created", spec)


def count(outcome: Outcome) -> None:
    TALLY.valid_specs_tried += 1
    TALLY.saw(outcome.result)
    if outcome.result == "created":
        TALLY.created_on_emulator += 1
    elif outcome.result == "check":
        TALLY.valid_specs_refused_by_check += 1
    elif outcome.result in ("emulator", "delete"):
        TALLY.passed_check_failed_at_emulator += 1
    else:
        TALLY.raw_exceptions += 1


def _shorter(value: Any, most: int = 60) -> Any:
    if isinstance(value, str) and len(value) > most:
        return value[:most]
    if isinstance(value, list):
        return [_shorter(item, most) for item in value]
    return value


def smaller(spec: Spec, reproduces: Callable[[Spec], bool]) -> Spec:
    """Greedily drop arguments (alone, then by common prefix such as backup_*), cut lists to one item
    and long strings to 60 characters, while the same disagreement shows."""
    current = dict(spec)
    changed = True
    while changed:
        changed = False
        groups = [[name] for name in current]
        groups += [[n for n in current if n.startswith(p + "_")] for p in {n.split("_")[0] for n in current}]
        for group in groups:
            candidate = {k: v for k, v in current.items() if k not in group}
            if group and len(candidate) < len(current) and reproduces(candidate):
                current, changed = candidate, True
        for name, value in list(current.items()):
            cuts = [[item] for item in value] if isinstance(value, list) and len(value) > 1 else []
            for cut in [*cuts, _shorter(value)]:
                if cut != value and reproduces({**current, name: cut}):
                    current, changed = {**current, name: cut}, True
                    break
    return current


def report(key: str, outcomes: list[Outcome], minimise: Callable[[Outcome], Spec]) -> list[str]:
    """One line per distinct disagreement, with a reduced spec; also recorded in the tally."""
    lines: list[str] = []
    seen: set[tuple[str, str, frozenset[str]]] = set()
    for outcome in outcomes:
        if outcome.signature in seen:
            continue
        seen.add(outcome.signature)
        reduced = minimise(outcome)
        TALLY.findings.append({"cloud": key, "result": outcome.result, "answer": outcome.detail, "spec": reduced})
        lines.append(f"{key} [{outcome.result}] {outcome.detail}\n    spec: {reduced!r}")
    return lines


# -- valid specs are accepted ---------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_valid_specs_that_pass_check_are_created_by_the_emulator(
    key: str, operations: dict[str, Operations], clock: FixedClock
) -> None:
    ops = operations[key]
    bad: list[Outcome] = []

    @settings(
        max_examples=EXAMPLES_PER_CLOUD,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        clock.set(_now())
        spec = DESTINATIONS.tag(key, data.draw(valid_specs(key, clock.now()), label="spec"))
        outcome = attempt(key, spec, ops, clock)
        event(outcome.result)
        count(outcome)
        if outcome.result != "created":
            bad.append(outcome)

    run()

    def minimise(outcome: Outcome) -> Spec:
        def reproduces(candidate: Spec) -> bool:
            again = attempt(key, DESTINATIONS.tag(key, candidate), ops, clock)
            return again.signature == outcome.signature

        return smaller(outcome.spec, reproduces)

    lines = report(key, bad, minimise)
    assert not lines, f"{len(bad)} of {EXAMPLES_PER_CLOUD} valid specs were not created:\n" + "\n".join(lines)


# -- the vendors' own example values --------------------------------------------------------------

Build = Callable[[datetime], Spec]
HOUR = timedelta(hours=1)


def huawei_vod(now: datetime) -> Spec:
    return {
        "source_type": "PullVodPushLive",
        "source_urls": ["http://media.example.com/a.mp4", "http://media.example.com/b.mp4"],
        "domain": "push.example.com",
        "app_name": "live",
        "stream_name": "vendor-example",
        "start_time": utc(now + HOUR),
        "end_time": utc(now + timedelta(days=1)),
    }


def huawei_live_with_backup(now: datetime) -> Spec:
    """H-list-zh's example item: a live task with a backup source, three events, an 18:00-21:00 window."""
    return {
        "source_type": "PullLivePushLive",
        "source_urls": ["rtmp://origin.example.com/live/main"],
        "domain": "push.example.com",
        "app_name": "live",
        "stream_name": "vendor-backup",
        "start_time": utc(now + HOUR),
        "end_time": utc(now + 4 * HOUR),
        "callback_url": "callback.example.com",
        "callback_events": ["TaskStart", "TaskExit", "TaskAlarm"],
        "backup_source_type": "PullLivePushLive",
        "backup_source_urls": ["rtmp://backup.example.com/live/main"],
    }


def aliyun_vod(now: datetime) -> Spec:
    """A-list's example task: vod, flv, callback `hahaha.com`, FileIndex 0, Offset 0, a 26-day window."""
    start = now + HOUR
    return {
        "task_name": "taskname",
        "source_type": "vod",
        "source_protocol": "flv",
        "source_urls": ["http://media.example.com/a.mp4"],
        "dst_url": "rtmp://qd.push.lgg.alivecdn.com/live/vendor-example",
        "start_time": utc(start),
        "end_time": utc(start + timedelta(days=26, hours=5, minutes=14)),
        "callback_url": "hahaha.com",
        "repeat_number": 0,
        "retry_count": 3,
        "retry_interval": 60,
        "file_index": 0,
        "offset": 0,
    }


def tencent_vod(now: datetime) -> Spec:
    """T-list's example values: yourdomain.com/live/teststream, VodLoopTimes -1, signed push args."""
    return {
        "source_type": "PullVodPushLive",
        "source_urls": ["http://media.example.com/a.mp4"],
        "domain_name": "yourdomain.com",
        "app_name": "live",
        "stream_name": "teststream",
        "push_args": "txsecret=b7e3a3f1f9c2d&txtime=5C2E1F00",
        "start_time": utc(now + HOUR),
        "end_time": utc(now + timedelta(days=29)),
        "vod_loop_times": -1,
    }


def _with(build: Build, **change: Any) -> Build:
    def spec(now: datetime) -> Spec:
        return {k: v for k, v in {**build(now), **change}.items() if v is not None}

    return spec


def huawei_week_from_now(now: datetime) -> Spec:
    """No start_time (the task starts when it is created) and an end exactly 7 days away."""
    spec = {**huawei_vod(now), "end_time": utc(now + timedelta(days=7))}
    del spec["start_time"]
    return spec


def tencent_longest_window(now: datetime) -> Spec:
    return {**tencent_vod(now), "end_time": utc(now + HOUR + timedelta(days=30, seconds=-1))}


def _aliyun_window(days: int) -> Build:
    def spec(now: datetime) -> Spec:
        start = now + HOUR
        return {**aliyun_vod(now), "start_time": utc(start), "end_time": utc(start + timedelta(days=days))}

    return spec


VENDOR_EXAMPLES: list[tuple[str, str, Build]] = [
    ("huawei", "callback_url callback.example.com (no scheme)", _with(huawei_vod, callback_url="callback.example.com")),
    (
        "huawei",
        "callback_url with a port and a path, no scheme",
        _with(huawei_vod, callback_url="cb.example.com:8080/h"),
    ),
    ("huawei", "backup fields on a live task", huawei_live_with_backup),
    ("huawei", "push_args arg1=value1", _with(huawei_vod, push_args="arg1=value1")),
    ("huawei", "no start_time, an end 7 days away", huawei_week_from_now),
    ("aliyun", "the list page's example task", aliyun_vod),
    ("aliyun", "callback_url hahaha.com (no scheme)", _with(aliyun_vod, callback_url="hahaha.com", task_name=None)),
    ("aliyun", "a 26-day window", _aliyun_window(26)),
    ("aliyun", "a 400-day window (no longest window documented)", _aliyun_window(400)),
    ("aliyun", "offset 0 and file_index 0", _with(aliyun_vod, offset=0, file_index=0, task_name=None)),
    ("tencent", "the list page's example values", tencent_vod),
    ("tencent", "a window of 30 days less 1 s", tencent_longest_window),
]


@pytest.mark.parametrize(("key", "what", "build"), VENDOR_EXAMPLES, ids=[f"{e[0]}-{e[1]}" for e in VENDOR_EXAMPLES])
def test_vendor_examples_pass_check_and_are_created(
    key: str, what: str, build: Build, operations: dict[str, Operations], clock: FixedClock
) -> None:
    clock.set(_now())
    spec = build(clock.now())
    outcome = attempt(key, DESTINATIONS.tag(key, spec), operations[key], clock)
    count(outcome)
    if outcome.result != "created":
        TALLY.findings.append({"cloud": key, "result": outcome.result, "answer": outcome.detail, "spec": spec})
    assert outcome.result == "created", f"{what}: {outcome.result}: {outcome.detail}"


# -- what check refuses, the emulator refuses -----------------------------------------------------

# Rules both sides enforce: the documented ones and the project's choices the emulator follows.
COMPARED_KINDS = {
    "range",
    "enum",
    "length",
    "list-size",
    "url-scheme",
    "url-form",
    "url-chars",
    "chars",
    "format",
    "time-form",
    "window",
    "exclusive",
    "dependent",
    "cross",
    "vod-only",
    "required",
}
WHY_NOT = {
    "type": "each client writes its own wire types",
    "unknown": "each client sends its declared arguments only",
}


def _value_at(spec: Spec, path: str) -> Any:
    value: Any = spec
    for part in re.findall(r"[^.\[\]]+", path):
        if isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return None
    return value


def not_compared(key: str, mutation: Mutation, spec: Spec, blame: frozenset[str]) -> str:
    """Why the emulator cannot be asked about this broken rule through the provider's client ("" if it can)."""
    roots = {b.split("[")[0].split(".")[0] for b in blame}
    if mutation.kind not in COMPARED_KINDS:
        return WHY_NOT.get(mutation.kind, mutation.kind)
    if roots & {"status", "operator"}:
        return "status is applied after the create (modify, Stop or nothing); the client fills in operator"
    if roots & {f.name for f in clouds.cloud(key).rules.fields if f.provider_only}:
        return "adopt_task_id is the provider's own: it is never sent"
    if any(_value_at(spec, b) == "" for b in blame):
        return 'the APIs read "" as "absent" (check refuses it to keep one meaning)'
    region = spec.get("region")
    if key == "tencent" and isinstance(region, str) and region != region.strip():
        return "the region travels in the X-TC-Region header, which cannot carry surrounding spaces"
    if key == "tencent" and mutation.kind == "exclusive":
        return 'the client sends DomainName/AppName/StreamName as "" whenever ToUrl is set'
    if key == "tencent" and mutation.kind == "vod-only" and roots != {"callback_events"}:
        return "no document says Tencent refuses VOD-only fields on other tasks: check's own rule"
    return ""


def base_spec(key: str, now: datetime) -> Spec:
    """A valid spec with most optional arguments, for the emulator to see each broken rule against."""
    start, end = utc(now + HOUR), utc(now + timedelta(days=1))
    playlist = [f"http://media.example.com/{i}.mp4" for i in range(3)]
    if key == "huawei":
        return {
            **huawei_vod(now),
            "source_urls": playlist,
            "vod_start_video_index": 1,
            "callback_url": "cb.example.com",
        }
    if key == "tencent":
        return {**tencent_vod(now), "source_urls": playlist, "file_index": 2, "end_time": end, "comment": "c"}
    return {**aliyun_vod(now), "source_urls": playlist, "file_index": 1, "start_time": start, "end_time": end}


def send_raw(spec: Spec, ops: Operations) -> Outcome:
    """Create the spec as is (no check), then delete what was created."""
    try:
        with deadline_scope(ops.deadline):
            task_id = ops.create(spec)
    except ApiError as exc:
        return Outcome("refused", spec, f"{type(exc).__name__}: {exc.message}", exc.code)
    except Exception as exc:  # the client could not even send it: nothing to compare
        return Outcome("unsent", spec, repr(exc))
    with contextlib.suppress(ApiError), deadline_scope(ops.deadline):
        ops.delete(task_id, spec)
    return Outcome("accepted", spec, f"task {task_id} created")


@pytest.mark.parametrize("key", KEYS)
def test_what_check_refuses_the_emulator_refuses(key: str, server: EmulatorServer, clock: FixedClock) -> None:
    disagreements: list[str] = []
    accounts: dict[str, tuple[Operations, Client]] = {}
    try:
        for index, mutation in enumerate(mutations(key)):
            clock.set(_now())
            spec, blame = mutation.apply(base_spec(key, clock.now()), clock.now())
            why_not = not_compared(key, mutation, spec, blame) or mutation.known_bug
            if why_not:
                TALLY.saw(f"raw-not-compared: {why_not}")
                continue
            account = probe_key(index // PROBES_PER_ACCOUNT)
            if account not in accounts:
                accounts[account] = connect(key, server, clock, account)
            ops = accounts[account][0]
            _, failures = lifecycle_of(key, ops, clock).check({}, spec)
            if not failures or not all(blamed(f.field, blame) for f in failures):
                continue  # the unit tests hold check to account; only what check refuses is compared here
            outcome = send_raw(spec, ops)
            TALLY.saw(f"raw-{outcome.result}")
            if outcome.result == "refused":
                TALLY.raw_refused_by_emulator += 1
            elif outcome.result == "unsent":
                TALLY.findings.append(
                    {"cloud": key, "result": "client could not send", "rule": mutation.id, "error": outcome.detail}
                )
            else:
                TALLY.raw_accepted_by_emulator += 1
                TALLY.findings.append(
                    {"cloud": key, "result": "emulator accepts what check refuses", "rule": mutation.id, "spec": spec}
                )
                disagreements.append(f"{key} {mutation.id}: {spec!r}")
    finally:
        for _ops, client in accounts.values():
            client.close()
    assert not disagreements, f"the emulator created {len(disagreements)} tasks that check refuses:\n" + "\n".join(
        disagreements
    )
