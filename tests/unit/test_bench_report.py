"""The benchmark's report: targets met or not, and the markdown and JSON the lead pastes from."""

from __future__ import annotations

import json

import pytest

from bench.cli import clouds
from bench.imports import ImportCost
from bench.machine import Machine
from bench.render import as_json, markdown
from bench.results import Options, Report, Sample, StateResult, StepResult
from bench.state import ProviderPickle
from bench.steps import STEPS
from bench.targets import targets
from bench.vendor import rate_limit_floor

MACHINE = Machine("Example CPU", 2, 8.0, "Linux 6", "3.11.7", "v3.259.0", "3.259.0", "abc1234")
BY_REFERENCE = ProviderPickle(75, ("pulumi_relaytask.provider.RelayTaskProvider",))


def _result(step: str, seconds: float, engine: float, calls: dict[str, int], errors: int = 0) -> StepResult:
    by_key = {s.key: s for s in STEPS}
    return StepResult(
        "tencent",
        step,
        by_key[step].label,
        200,
        (Sample(seconds, calls, {"CreateLivePullStreamTask": 2} if step == "up" else {}, errors),),
        (Sample(engine, {}, {}, 0),),
        rate_limit_floor("tencent", by_key[step], 200),
    )


def _report(noop_seconds: float = 11.9, refresh_calls: int = 11, state_bytes: int = 250_000) -> Report:
    steps = (
        _result("up", 15.0, 10.0, {"CreateLivePullStreamTask": 200}),  # floor 10 + 4 s: 1.07x
        _result("refresh", 8.0, 7.0, {"DescribeLivePullStreamTasks": refresh_calls}),
        _result("noop", noop_seconds, 10.0, {}),
        _result("destroy", 20.0, 5.0, {"DeleteLivePullStreamTask": 200}),  # floor 5 + 4 s: 2.22x
    )
    state = StateResult("tencent", 200, state_bytes, 200_000, BY_REFERENCE, ProviderPickle(47, ("bench.floor.F",)))
    return Report(
        MACHINE,
        Options(300, ("tencent",), 1, 30.0),
        steps,
        (state,),
        ImportCost(7, 200.0, 245.0, 40.0, 230.0, 25.0),
        99.0,
    )


def _verdicts(report: Report) -> dict[str, bool]:
    return {f"{t.cloud}: {t.name}": t.met for t in targets(report)}


def test_each_target_is_met_or_not_on_its_own_limit() -> None:
    verdicts = _verdicts(_report())
    assert verdicts == {
        "tencent: up (create) ≤ 1.3x floor": True,
        "tencent: preview --refresh ≤ 1.3x floor": True,
        "tencent: preview --refresh ≤ 11 API calls (one region)": True,
        "tencent: up (no change) ≤ 1.15x floor": False,  # 11.9 s against 10 s: 1.19x
        "tencent: destroy ≤ 1.3x floor": False,
        "tencent: 0 throttling errors reaching the user": True,
        "tencent: state per task ≤ 1.25x floor": True,
        ": package import ≤ 60 ms": True,  # 45 ms beyond import pulumi
    }


def test_targets_fail_when_the_measures_pass_their_limits() -> None:
    verdicts = _verdicts(_report(noop_seconds=11.4, refresh_calls=12, state_bytes=250_001))
    assert verdicts["tencent: up (no change) ≤ 1.15x floor"]
    assert not verdicts["tencent: preview --refresh ≤ 11 API calls (one region)"]
    assert not verdicts["tencent: state per task ≤ 1.25x floor"]
    report = _report()
    failing = Report(
        report.machine,
        report.options,
        (*report.steps[:3], _result("destroy", 20.0, 5.0, {}, errors=1)),
        report.states,
        ImportCost(7, 200.0, 261.0, 55.0, 230.0, 25.0),
        1.0,
    )
    verdicts = _verdicts(failing)
    assert not verdicts["tencent: 0 throttling errors reaching the user"]
    assert not verdicts[": package import ≤ 60 ms"]


def test_markdown_shows_every_step_with_both_parts_of_its_floor() -> None:
    text = markdown(_report())
    rows = [line for line in text.splitlines() if line.startswith("| tencent | 200 |")]
    assert rows[0] == (
        "| tencent | 200 | up (create) | 15.00 | 14.00 | 10.00 | 4.00 | 1.07 | CreateLivePullStreamTask x200 "
        "| CreateLivePullStreamTask x2 | 0 |"
    )
    assert rows[2].startswith("| tencent | 200 | up (no change) | 11.90 | 10.00 | 10.00 | 0.00 | 1.19 | none | 0 | 0 |")
    assert "| tencent | 200 | 1250 | 1000 | 1.25 | 75 B, by reference | 47 B, by reference |" in text
    assert "| import pulumi, pulumi_relaytask | 245 | 45 | 40 |" in text
    assert "| import pulumi; from pulumi_relaytask import aliyun, huawei, tencent | 230 | 30 | 25 |" in text
    assert "| up (no change) ≤ 1.15x floor | tencent | 1.19x | NOT MET |" in text
    assert "| package import ≤ 60 ms | all | 45 ms | met |" in text
    assert "Example CPU" in text


def test_huaweis_rate_limit_is_marked_assumed() -> None:
    step = STEPS[0]
    result = StepResult(
        "huawei", step.key, step.label, 20, (Sample(2, {}, {}, 0),), (Sample(1, {}, {}, 0),),
        rate_limit_floor("huawei", step, 20),
    )  # fmt: skip
    report = _report()
    text = markdown(Report(MACHINE, Options(20, ("huawei",), 1, 30), (result,), (), report.imports, 1))
    assert "| huawei | 20 | up (create) | 2.00 | 2.00 | 1.00 | 1.00 (assumed) | 1.00 |" in text
    assert "huawei: up, N x CreatePullTask at 20/s" in text and "assumed rates" in text
    assert "(assumed)" not in markdown(_report())


def test_json_keeps_every_sample_and_each_verdict() -> None:
    data = json.loads(json.dumps(as_json(_report())))
    up = data["steps"][0]
    assert up["samples"] == [
        {"seconds": 15.0, "calls": {"CreateLivePullStreamTask": 200}, "throttled": {"CreateLivePullStreamTask": 2},
         "throttle_errors": 0}
    ]  # fmt: skip
    assert up["floor_samples"] == [{"seconds": 10.0, "calls": {}, "throttled": {}, "throttle_errors": 0}]
    assert up["rate_limit_floor"]["seconds"] == pytest.approx(4.0)
    assert up["floor_seconds"] == pytest.approx(14.0)
    assert data["state"][0]["per_task"] == 1250
    assert data["import"]["extra_ms"] == 45
    assert data["import"]["program_extra_ms"] == 30
    assert [t["met"] for t in data["targets"]] == [t.met for t in targets(_report())]


def test_clouds_option_keeps_order_and_refuses_unknown_names() -> None:
    assert clouds("tencent, huawei,tencent") == ("tencent", "huawei")
    for bad in ("aws", "huawei,aws", ","):
        with pytest.raises(Exception, match="comma-separated"):
            clouds(bad)


def test_a_floor_with_every_attribute_says_so() -> None:
    report = _report()
    plain = Report(MACHINE, Options(20, ("huawei",), 1, 30), (), (), report.imports, 1)
    padded = Report(MACHINE, Options(20, ("huawei",), 1, 30, floor_attributes=True), (), (), report.imports, 1)
    assert "every attribute" not in markdown(plain) and "every attribute of the RelayTask class" in markdown(padded)
