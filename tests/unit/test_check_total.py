"""`check` never raises, whatever a program passes: every failure names an argument (a path into it)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulumi_relaytask import clouds
from pulumi_relaytask.core.model import CheckContext, check_inputs
from pulumi_relaytask.core.values import UNKNOWN

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)
VALID: dict[str, dict[str, Any]] = {
    "huawei": {
        "source_type": "PullVodPushLive",
        "source_urls": ["http://media.example.com/a.mp4"],
        "domain": "push.example.com",
        "app_name": "live",
        "stream_name": "s",
        "end_time": "2026-11-25T10:00:00Z",
    },
    "tencent": {
        "source_type": "PullVodPushLive",
        "source_urls": ["http://media.example.com/a.mp4"],
        "domain_name": "push.example.com",
        "app_name": "live",
        "stream_name": "s",
        "start_time": "2026-11-24T10:00:00Z",
        "end_time": "2026-11-25T10:00:00Z",
    },
    "aliyun": {
        "source_type": "url",
        "source_urls": ["http://media.example.com/a.mp4"],
        "dst_url": "rtmp://push.example.com/live/s",
        "start_time": "2026-11-24T10:00:00Z",
        "end_time": "2026-11-25T10:00:00Z",
    },
}
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00", "http://[::1", "-1", "3", UNKNOWN]),
)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
)


@pytest.mark.parametrize("key", clouds.KEYS)
@settings(max_examples=150, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_check_never_raises_and_names_an_argument_for_each_failure(key: str, data: st.DataObject) -> None:
    model = clouds.cloud(key).model
    name = data.draw(st.sampled_from(sorted(model.model_fields)), label="argument")
    value = data.draw(VALUES, label="value")
    inputs = {**VALID[key], name: value}
    sent, failures = check_inputs(model, inputs, CheckContext(now=NOW))
    for failure in failures:
        assert failure.field.split("[")[0].split(".")[0] in model.model_fields, failure
    if not failures and value is not None and value is not UNKNOWN:
        assert set(sent) <= set(model.model_fields)


EDGES: list[Any] = [
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:00:00+01:00",
    "2026-11-25T10:00:00+24:00",
    "http://[::1",
    "\uff13",
    10**400,
    -(10**400),
    float("inf"),
    float("nan"),
    True,
    [None],
    [[["deep"]]],
    {"a": {"b": UNKNOWN}},
    "",
    "\x00",
]


@pytest.mark.parametrize("key", clouds.KEYS)
def test_check_never_raises_on_edge_values_of_any_argument(key: str) -> None:
    model = clouds.cloud(key).model
    for name in model.model_fields:
        for value in EDGES:
            _, failures = check_inputs(model, {**VALID[key], name: value}, CheckContext(now=NOW))
            for failure in failures:
                assert failure.field.split("[")[0].split(".")[0] in model.model_fields, (name, value, failure)
