"""The benchmark's floors: the calls each step cannot avoid, the time the rate limits impose on them,
the engine's floor added to it, and the check that the trivial provider is pickled by reference."""

from __future__ import annotations

import json
import math

import pytest
from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider

from bench.floor import FloorProvider
from bench.results import Sample, StepResult
from bench.state import provider_pickles, read_pickle
from bench.steps import BY_KEY
from bench.vendor import rate_limit_floor, refresh_call_limit, unavoidable_calls
from pulumi_relaytask.provider import RelayTaskProvider


def test_creates_and_deletes_are_one_call_per_task_at_the_operations_rate() -> None:
    floor = rate_limit_floor("aliyun", BY_KEY["destroy"], 300)
    assert floor.calls == {"DeleteLivePullToPush": 300}
    assert floor.seconds == pytest.approx(30.0)  # 300 deletes at 10/s
    assert not floor.assumed
    up = rate_limit_floor("tencent", BY_KEY["up"], 200)
    assert up.calls == {"CreateLivePullStreamTask": 200}
    assert up.seconds == pytest.approx(4.0)  # 200 creates at 50/s


def test_a_refresh_lists_every_task_a_full_page_at_a_time() -> None:
    assert unavoidable_calls("tencent", BY_KEY["refresh"], 200) == {"DescribeLivePullStreamTasks": 10}
    assert unavoidable_calls("tencent", BY_KEY["refresh"], 201) == {"DescribeLivePullStreamTasks": 11}
    assert unavoidable_calls("aliyun", BY_KEY["refresh"], 300) == {"DescribeLivePullToPushList": 3}
    huawei = rate_limit_floor("huawei", BY_KEY["refresh"], 300)
    assert huawei.calls == {"ListPullTasks": 3}
    assert huawei.seconds == pytest.approx(3 / 20)
    assert refresh_call_limit("tencent", 200) == 11
    assert refresh_call_limit("huawei", 101) == 3


def test_a_no_op_up_needs_no_call() -> None:
    floor = rate_limit_floor("aliyun", BY_KEY["noop"], 300)
    assert floor.calls == {}
    assert floor.seconds == 0


def test_huawei_rates_are_labelled_assumed() -> None:
    assert rate_limit_floor("huawei", BY_KEY["up"], 20).assumed
    assert not rate_limit_floor("tencent", BY_KEY["up"], 20).assumed


def _sample(seconds: float, calls: dict[str, int] | None = None, throttled: dict[str, int] | None = None) -> Sample:
    return Sample(seconds, calls or {}, throttled or {}, 0)


def test_a_steps_floor_is_the_engines_median_plus_the_rate_limit() -> None:
    result = StepResult(
        "aliyun",
        "destroy",
        "destroy",
        300,
        samples=(_sample(40.0), _sample(36.0), _sample(90.0)),
        floor_samples=(_sample(5.0), _sample(4.0), _sample(4.5)),
        rate_limit=rate_limit_floor("aliyun", BY_KEY["destroy"], 300),
    )
    assert result.seconds == 40.0  # median, not mean
    assert result.engine_seconds == 4.5
    assert result.floor_seconds == pytest.approx(34.5)
    assert result.ratio == pytest.approx(40.0 / 34.5)


def test_an_even_number_of_repetitions_takes_the_middle_two() -> None:
    rate = rate_limit_floor("huawei", BY_KEY["noop"], 1)
    result = StepResult("huawei", "noop", "up", 1, (_sample(1), _sample(3)), (_sample(2), _sample(2)), rate)
    assert result.seconds == 2
    assert math.isclose(result.ratio, 1.0)


def test_the_floor_provider_pickles_by_reference() -> None:
    pickled = read_pickle(serialize_provider(FloorProvider()))
    assert pickled.globals == ("bench.floor.FloorProvider",)
    assert pickled.by_reference


def test_a_provider_defined_in_the_program_pickles_by_value() -> None:
    class Inline(ResourceProvider):
        pass

    Inline.__module__ = "__main__"  # as if declared in the Pulumi program itself
    pickled = read_pickle(serialize_provider(Inline()))
    assert not pickled.by_reference
    assert "dill._dill._create_type" in pickled.globals


def test_provider_pickles_are_read_plain_or_from_a_shown_secret() -> None:
    floor, relay = serialize_provider(FloorProvider()), serialize_provider(RelayTaskProvider("aliyun"))
    signature = "4dabf18193072939515e22adb298388d"  # how Pulumi marks a secret value
    deployment = {
        "resources": [
            {"type": "pulumi:pulumi:Stack", "inputs": {}},
            {"inputs": {"__provider": floor}},
            {"inputs": {"__provider": {signature: "x", "plaintext": json.dumps(relay)}}},
            {"inputs": {"__provider": {signature: "x", "ciphertext": "v1:abc"}}},
        ]
    }
    assert provider_pickles(deployment) == {floor, relay}
