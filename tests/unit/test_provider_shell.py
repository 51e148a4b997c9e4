"""The dynamic-provider shell: Pulumi's values in and out, and check through the shell.

Pulumi hands the provider numbers as doubles, its own unknown sentinel for values not known at
preview, and its own `__provider` key; the core sees integers, its UNKNOWN and declared inputs only.
"""

from __future__ import annotations

from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime import rpc

from pulumi_relaytask.core.values import UNKNOWN
from pulumi_relaytask.huawei.resource import HuaweiProvider
from pulumi_relaytask.huawei.rules import RULES
from pulumi_relaytask.provider import _from_pulumi, _to_pulumi

VOD: dict[str, Any] = {
    "source_type": "PullVodPushLive",
    "source_urls": ["http://media.example.com/a.mp4"],
    "destination_url": "rtmp://push.example.com/live/s",
    "start_time": "2099-11-24T10:00:00Z",
    "end_time": "2099-11-25T10:00:00Z",
}


def test_numbers_come_back_as_integers_wherever_they_are() -> None:
    props = {"vod_start_video_index": 2.0, "watermark_list": [{"width": 30.0, "x_position": 0.0}], "ratio": 0.5}
    converted = _from_pulumi(props)
    assert converted == {"vod_start_video_index": 2, "watermark_list": [{"width": 30, "x_position": 0}], "ratio": 0.5}
    assert type(converted["vod_start_video_index"]) is int
    assert type(converted["watermark_list"][0]["width"]) is int


def test_booleans_and_strings_pass_unchanged() -> None:
    converted = _from_pulumi({"flag": True, "count": "3"})
    assert converted == {"flag": True, "count": "3"} and converted["flag"] is True


def test_unknowns_become_the_core_sentinel_and_go_back_as_pulumis() -> None:
    converted = _from_pulumi(
        {"source_urls": [rpc.UNKNOWN, "http://a"], "push_args": rpc.UNKNOWN, "x": {"y": rpc.UNKNOWN}}
    )
    assert converted["source_urls"][0] is UNKNOWN and converted["push_args"] is UNKNOWN
    assert converted["x"]["y"] is UNKNOWN
    assert _to_pulumi({"push_args": UNKNOWN, "domain": "d"}) == {"push_args": rpc.UNKNOWN, "domain": "d"}
    assert _to_pulumi({"source_urls": ["http://a", UNKNOWN], "x": {"y": UNKNOWN}}) == {
        "source_urls": ["http://a", rpc.UNKNOWN],
        "x": {"y": rpc.UNKNOWN},
    }


def test_unknowns_as_the_dynamic_provider_deserialises_them_become_the_core_sentinel() -> None:
    """Pulumi's check and diff hand unknowns over as `Unknown` objects (deserialised with keep_unknowns)."""
    wire = struct_pb2.Struct()
    wire.update({"source_urls": ["http://a", rpc.UNKNOWN], "push_args": rpc.UNKNOWN})
    converted = _from_pulumi(rpc.deserialize_properties(wire, True))
    assert converted["source_urls"][1] is UNKNOWN and converted["push_args"] is UNKNOWN


def test_pulumis_own_keys_are_dropped() -> None:
    assert _from_pulumi({"__provider": "pickled-provider", "domain": "d"}) == {"domain": "d"}
    assert _from_pulumi(None) == {}


def test_check_through_the_shell_returns_the_inputs_and_names_each_failure() -> None:
    provider = HuaweiProvider()
    result = provider.check({}, {**VOD, "__provider": "pickled", "vod_start_video_index": 0.0})
    expected = {**VOD, "vod_start_video_index": 0}
    assert result.inputs == {**expected, **RULES.redacted(expected)}
    assert result.failures == []
    failed = provider.check({}, {**VOD, "source_type": "PullLivePushLive", "status": "pause"})
    assert [(f.property, f.reason.split(":")[0]) for f in failed.failures] == [
        ("status", "a PullLivePushLive task cannot be paused")
    ]


def test_check_through_the_shell_passes_unknowns_back_to_pulumi() -> None:
    result = HuaweiProvider().check({}, {**VOD, "destination_url": rpc.UNKNOWN})
    assert result.failures == [] and result.inputs["destination_url"] == rpc.UNKNOWN
