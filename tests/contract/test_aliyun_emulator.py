"""The emulator's Alibaba API, driven by the vendor's own SDKs as independent clients.

The current SDK (`alibabacloud-live20161101`, V3 ACS3-HMAC-SHA256 signatures) drives every operation;
the legacy one (`aliyun-python-sdk-core` + `aliyunsdklive`, V2 HMAC-SHA1 query signatures) drives
create/describe/update/stop/restart/delete. Time is pinned with a FixedClock, so the run state
(TaskStatus, CurrentFileIndex/CurrentOffset, deletion at EndTime) is deterministic; the SDKs stamp
real time into their signatures, which the emulator compares with the wall clock, not the pinned one. A few checks
the SDKs cannot express (raw JSON shape, malformed parameters) use httpx with AliyunSigner.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from alibabacloud_live20161101 import models
from alibabacloud_live20161101.client import Client
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_tea_openapi.models import Config
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import RpcRequest
from aliyunsdklive.request.v20161101 import (
    CreateLivePullToPushRequest as LegacyCreate,
)
from aliyunsdklive.request.v20161101 import (
    DeleteLivePullToPushRequest as LegacyDelete,
)
from aliyunsdklive.request.v20161101 import (
    DescribeLivePullToPushRequest as LegacyDescribe,
)
from aliyunsdklive.request.v20161101 import (
    RestartLivePullToPushRequest as LegacyRestart,
)
from aliyunsdklive.request.v20161101 import (
    StopLivePullToPushRequest as LegacyStop,
)
from aliyunsdklive.request.v20161101 import (
    UpdateLivePullToPushRequest as LegacyUpdate,
)

from pulumi_relaytask.aliyun.auth import AliyunSigner, v2_canonical_query, v2_signature, v2_string_to_sign
from pulumi_relaytask.core import timefmt
from pulumi_relaytask.core.clock import FixedClock
from pulumi_relaytask.emulator.aliyun.backend import FILE_SECONDS
from pulumi_relaytask.emulator.server import EmulatorServer

AK = "relaytask-demo-ak"
SK = "relaytask-demo-sk"
REGION = "cn-shanghai"
NOW = datetime(2026, 11, 22, 9, 0, 0, tzinfo=UTC)
START = NOW + timedelta(hours=1)
END = NOW + timedelta(days=1)


def at(when: datetime) -> str:
    return timefmt.format_utc(when)


# -- fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def server(clock: FixedClock, tmp_path: Path) -> Iterator[EmulatorServer]:
    emulator = EmulatorServer(
        host="127.0.0.1",
        port=0,
        state_path=str(tmp_path / "state.db"),
        keep_bodies=True,  # these tests read what the SDKs sent
        clock=clock,
        credentials={"aliyun": {"second-ak": "second-sk"}},
        rate_limits=False,  # these tests are about the wire shape, not pacing: some list more than 10 times a second
    )
    emulator.start()
    try:
        yield emulator
    finally:
        emulator.stop()


def sdk_client(server: EmulatorServer, ak: str = AK, sk: str = SK) -> Client:
    # An explicit endpoint bypasses the SDK's endpoint map; protocol "http" overrides the API's HTTPS.
    return Client(
        Config(
            access_key_id=ak,
            access_key_secret=sk,
            endpoint=f"127.0.0.1:{server.port}",
            protocol="http",
            connect_timeout=5000,
            read_timeout=10000,
        )
    )


@pytest.fixture
def live(server: EmulatorServer) -> Client:
    return sdk_client(server)


def legacy_client(ak: str = AK, sk: str = SK) -> AcsClient:
    return AcsClient(ak, sk, REGION, auto_retry=False, timeout=10, connect_timeout=5)


def legacy_call(server: EmulatorServer, client: AcsClient, request: RpcRequest) -> dict[str, Any]:
    # A per-request endpoint skips the legacy SDK's endpoint resolution; the requests set https.
    request.set_endpoint(f"127.0.0.1:{server.port}")
    request.set_protocol_type("http")
    return dict(json.loads(client.do_action_with_exception(request)))


@pytest.fixture
def http(server: EmulatorServer) -> Iterator[Callable[..., httpx.Response]]:
    """Raw V3-signed calls: `call(action, **params)` -> the httpx response."""
    # Signed with the real time: x-acs-date is checked against the wall clock, not the pinned one.
    with httpx.Client(base_url=server.url, auth=AliyunSigner(AK, SK), timeout=5) as client:

        def call(action: str, **params: str) -> httpx.Response:
            return client.post("/", params=params, headers={"x-acs-action": action, "x-acs-version": "2016-11-01"})

        yield call


# -- helpers --------------------------------------------------------------------------------------


def vod(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "region": REGION,
        "source_type": "url",
        "source_urls": [
            "https://vod.example.com/1.mp4",
            "https://vod.example.com/2.mp4",
            "https://vod.example.com/3.mp4",
        ],
        "dst_url": "rtmp://push.example.com/live/vod-1",
        "start_time": at(START),
        "end_time": at(END),
    }
    fields.update(overrides)
    return fields


def live_source(**overrides: Any) -> dict[str, Any]:
    return vod(
        **{
            "source_type": "live",
            "source_protocol": "rtmp",
            "source_urls": ["rtmp://origin.example.com/live/src"],
            "dst_url": "rtmp://push.example.com/live/relay-1",
            **overrides,
        }
    )


def create(client: Client, fields: dict[str, Any]) -> str:
    body = client.create_live_pull_to_push(models.CreateLivePullToPushRequest(**fields)).body
    assert body.ret_code == 0 and body.request_id
    return str(body.task_id)


def describe(client: Client, task_id: str, region: str = REGION) -> dict[str, Any]:
    request = models.DescribeLivePullToPushRequest(region=region, task_id=task_id)
    return dict(client.describe_live_pull_to_push(request).body.to_map())


def listed(client: Client, **query: Any) -> dict[str, Any]:
    request = models.DescribeLivePullToPushListRequest(**{"region": REGION, **query})
    return dict(client.describe_live_pull_to_push_list(request).body.to_map())


def update(client: Client, task_id: str, **fields: Any) -> None:
    request = models.UpdateLivePullToPushRequest(region=REGION, task_id=task_id, **fields)
    assert client.update_live_pull_to_push(request).body.ret_code == 0


def stop(client: Client, task_id: str) -> None:
    body = client.stop_live_pull_to_push(models.StopLivePullToPushRequest(region=REGION, task_id=task_id)).body
    assert body.task_id == task_id


def restart(client: Client, task_id: str) -> None:
    request = models.RestartLivePullToPushRequest(region=REGION, task_id=task_id)
    assert client.restart_live_pull_to_push(request).body.task_id == task_id


def delete(client: Client, task_id: str) -> None:
    request = models.DeleteLivePullToPushRequest(region=REGION, task_id=task_id)
    assert client.delete_live_pull_to_push(request).body.ret_code == 0


def status(client: Client, task_id: str) -> int:
    return int(describe(client, task_id)["TaskStatus"])


def position(client: Client, task_id: str) -> tuple[int, int]:
    task = describe(client, task_id)
    return int(task["CurrentFileIndex"]), int(task["CurrentOffset"])


def sdk_error(call: Callable[[], Any]) -> ClientException:
    with pytest.raises(ClientException) as caught:
        call()
    return caught.value


# -- create / describe / list ---------------------------------------------------------------------


def test_create_then_describe_returns_every_field(server: EmulatorServer, live: Client) -> None:
    task_id = create(
        live,
        vod(
            task_name="weekly show",
            callback_url="https://hooks.example.com/cb?t=1",
            repeat_number=2,
            retry_count=5,
            retry_interval=120,
            file_index=1,
            offset=30,
        ),
    )
    sent = server.request_log[-1]
    assert sent.method == "POST" and sent.body == b""
    assert json.loads(dict(sent.query_pairs)["SourceUrls"]) == vod()["source_urls"]  # a JSON array string
    task = describe(live, task_id)
    assert task["TaskId"] == task_id and task["RetCode"] == 0
    assert (task["TaskStatus"], task["TaskExitReason"], task["TaskExitTime"]) == (0, "", 0)
    assert (task["CurrentFileIndex"], task["CurrentOffset"]) == (1, 30)
    assert task["TaskInfo"] == {
        "TaskId": task_id,
        "TaskName": "weekly show",
        "SourceType": "url",
        "SourceProtocol": "",
        "SourceUrls": vod()["source_urls"],
        "DstUrl": "rtmp://push.example.com/live/vod-1",
        "StartTime": "2026-11-22T10:00:00Z",
        "EndTime": "2026-11-23T09:00:00Z",
        "CallbackURL": "https://hooks.example.com/cb?t=1",
        "RepeatNumber": 2,
        "RetryCount": 5,
        "RetryInterval": 120,
        "FileIndex": 1,
        "Offset": 30,
    }


def test_live_task_defaults(live: Client) -> None:
    task_id = create(live, live_source())
    info = describe(live, task_id)["TaskInfo"]
    assert (info["SourceProtocol"], info["SourceUrls"]) == ("rtmp", ["rtmp://origin.example.com/live/src"])
    assert (info["TaskName"], info["CallbackURL"]) == ("", "")
    assert (info["RepeatNumber"], info["RetryCount"], info["RetryInterval"]) == (0, 3, 60)
    assert (info["FileIndex"], info["Offset"]) == (0, 0)


def test_raw_json_shape(http: Callable[..., httpx.Response]) -> None:
    created = http(
        "CreateLivePullToPush",
        Region=REGION,
        SourceType="live",
        SourceProtocol="srt",
        SourceUrls='["srt://origin.example.com:9000?streamid=a"]',
        DstUrl="rtmp://push.example.com/a/b",
        StartTime=at(START),
        EndTime=at(END),
        CallbackUrl="https://cb.example.com",
    )
    assert created.status_code == 200 and created.headers["content-type"] == "application/json"
    assert set(created.json()) == {"RequestId", "TaskId", "RetCode", "Description"}
    task = http("DescribeLivePullToPush", Region=REGION, TaskId=created.json()["TaskId"]).json()
    assert task["TaskInfo"]["CallbackURL"] == "https://cb.example.com" and "CallbackUrl" not in task["TaskInfo"]
    assert "Region" not in task["TaskInfo"]  # neither the page nor the SDK model has it
    assert task["TaskInfo"]["SourceUrls"] == ["srt://origin.example.com:9000?streamid=a"]
    missing = http("DescribeLivePullToPush", Region=REGION, TaskId="nope")
    assert missing.status_code == 400
    assert set(missing.json()) == {"RequestId", "HostId", "Code", "Message"}
    assert missing.json()["Code"] == "CodeTaskNotExist" and "nope" in missing.json()["Message"]
    unknown = http("DescribeLiveStreamsOnlineList", Region=REGION)
    assert (unknown.status_code, unknown.json()["Code"]) == (404, "InvalidAction.NotFound")


def test_sdk_signs_with_its_own_header_set(server: EmulatorServer, live: Client) -> None:
    listed(live)
    request = server.request_log[-1]
    assert request.headers["x-acs-action"] == "DescribeLivePullToPushList"
    assert (
        "SignedHeaders=accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;"
        "x-acs-date;x-acs-signature-nonce;x-acs-version,"
    ) in request.headers["authorization"]


def test_list_fuzzy_filters_and_paging(live: Client) -> None:
    ids = [
        create(live, vod(task_name=f"show-{i}", dst_url=f"rtmp://push.example.com/live/s{i}?k={i}")) for i in range(5)
    ]
    other_region = create(live, vod(region="cn-beijing", task_name="show-9", dst_url="rtmp://x.example.com/a/b"))
    everything = listed(live)
    assert (everything["Total"], everything["PageNumber"], everything["PageSize"]) == (5, 1, 10)
    assert [t["TaskId"] for t in everything["TaskList"]] == ids  # creation order, one region only
    pages = [listed(live, page_size=2, page_number=n) for n in (1, 2, 3, 4)]
    assert [p["Total"] for p in pages] == [5] * 4
    assert [t["TaskId"] for p in pages for t in p["TaskList"]] == ids
    assert pages[3]["TaskList"] == [] and pages[1]["PageNumber"] == 2
    assert [t["TaskId"] for t in listed(live, task_name="show-3")["TaskList"]] == [ids[3]]
    assert listed(live, task_name="show")["Total"] == 5
    assert [t["TaskId"] for t in listed(live, dst_url="live/s4")["TaskList"]] == [ids[4]]
    assert [t["TaskId"] for t in listed(live, task_id=ids[2][4:20])["TaskList"]] == [ids[2]]
    assert listed(live, task_name="show", dst_url="s1?")["Total"] == 1
    assert listed(live, task_name="nothing-like-it")["Total"] == 0
    assert [t["TaskId"] for t in listed(live, region="cn-beijing")["TaskList"]] == [other_region]
    item = everything["TaskList"][0]
    assert set(item) == {
        "TaskId",
        "TaskStatus",
        "TaskInvalidReason",
        "TaskExitReason",
        "TaskExitTime",
        "CurrentFileIndex",
        "CurrentOffset",
        "TaskInfo",
    }


@pytest.mark.parametrize(
    ("query", "name"),
    [({"page_size": 0}, "PageSize"), ({"page_size": 101}, "PageSize"), ({"page_number": 0}, "PageNumber")],
)
def test_invalid_paging_is_invalid_parameter(live: Client, query: dict[str, int], name: str) -> None:
    error = sdk_error(lambda: listed(live, **query))
    assert (error.status_code, error.code) == (400, "InvalidParameter") and name in error.message


# -- run state from the clock ---------------------------------------------------------------------


def test_status_transitions_follow_the_clock(live: Client, clock: FixedClock) -> None:
    task_id = create(live, live_source())
    assert status(live, task_id) == 0
    clock.set(START - timedelta(seconds=1))
    assert status(live, task_id) == 0
    clock.set(START)
    assert status(live, task_id) == 1
    clock.advance(timedelta(minutes=5))
    stop(live, task_id)
    task = describe(live, task_id)
    assert (task["TaskStatus"], task["TaskExitReason"]) == (3, "TriggerByUser")
    assert task["TaskExitTime"] == int((START + timedelta(minutes=5)).timestamp())
    clock.advance(timedelta(hours=2))
    assert status(live, task_id) == 3
    restart(live, task_id)
    task = describe(live, task_id)
    assert (task["TaskStatus"], task["TaskExitReason"], task["TaskExitTime"]) == (1, "", 0)
    assert position(live, task_id) == (0, 0)  # a live task has no playlist position


def test_position_advances_while_running_and_freezes_while_stopped(live: Client, clock: FixedClock) -> None:
    task_id = create(live, vod())
    clock.set(START + timedelta(seconds=FILE_SECONDS + 150))
    assert (status(live, task_id), position(live, task_id)) == (1, (1, 150))
    stop(live, task_id)
    clock.advance(timedelta(seconds=1000))
    assert (status(live, task_id), position(live, task_id)) == (3, (1, 150))


def test_restart_plays_from_the_top(live: Client, clock: FixedClock) -> None:
    task_id = create(live, vod(file_index=2, offset=10))
    clock.set(START + timedelta(seconds=100))
    assert position(live, task_id) == (2, 110)
    stop(live, task_id)
    clock.advance(timedelta(minutes=10))
    restart(live, task_id)
    assert (status(live, task_id), position(live, task_id)) == (1, (0, 0))
    clock.advance(timedelta(seconds=30))
    assert position(live, task_id) == (0, 30)


def test_restart_starts_at_file_index_and_offset_updated_while_stopped(live: Client, clock: FixedClock) -> None:
    task_id = create(live, vod())
    clock.set(START + timedelta(seconds=700))
    stop(live, task_id)
    update(live, task_id, file_index=2, offset=42)
    assert position(live, task_id) == (1, 100)  # stays frozen until the restart
    restart(live, task_id)
    assert position(live, task_id) == (2, 42)
    assert describe(live, task_id)["TaskInfo"]["FileIndex"] == 2
    clock.advance(timedelta(seconds=8))
    assert position(live, task_id) == (2, 50)
    # The seek applied once: the next stop/restart goes back to the top.
    stop(live, task_id)
    restart(live, task_id)
    assert position(live, task_id) == (0, 0)


def test_file_index_and_offset_at_create_set_the_start(live: Client, clock: FixedClock) -> None:
    task_id = create(live, vod(file_index=1, offset=100))
    clock.set(START)
    assert position(live, task_id) == (1, 100)
    clock.advance(timedelta(seconds=FILE_SECONDS))
    assert position(live, task_id) == (2, 100)


def test_playlist_rounds_then_exit(live: Client, clock: FixedClock) -> None:
    two = ["https://vod.example.com/a.mp4", "https://vod.example.com/b.mp4"]
    once_more = create(live, vod(source_urls=two, repeat_number=1))
    looping = create(live, vod(source_urls=two, repeat_number=-1, dst_url="rtmp://push.example.com/live/loop"))
    played = 2 * 2 * FILE_SECONDS  # two files, the first round and one repeat
    clock.set(START + timedelta(seconds=played - 1))
    assert (status(live, once_more), position(live, once_more)) == (1, (1, FILE_SECONDS - 1))
    clock.set(START + timedelta(seconds=played + 30))
    task = describe(live, once_more)
    assert (task["TaskStatus"], task["CurrentFileIndex"], task["CurrentOffset"]) == (-1, 1, FILE_SECONDS)
    assert task["TaskExitTime"] == int((START + timedelta(seconds=played)).timestamp())
    assert (status(live, looping), position(live, looping)) == (1, (0, 30))
    error = sdk_error(lambda: stop(live, once_more))
    assert (error.status_code, error.code) == (400, "CodeTaskHasStopped")


def test_an_exited_playlist_stays_exited_until_restart(live: Client, clock: FixedClock) -> None:
    task_id = create(live, vod(source_urls=["https://vod.example.com/a.mp4"]))
    clock.set(START + timedelta(seconds=FILE_SECONDS + 10))
    assert status(live, task_id) == -1
    update(
        live, task_id, repeat_number=-1, source_urls=["https://vod.example.com/a.mp4", "https://vod.example.com/b.mp4"]
    )
    clock.advance(timedelta(minutes=5))
    task = describe(live, task_id)
    assert (task["TaskStatus"], task["CurrentFileIndex"], task["CurrentOffset"]) == (-1, 1, FILE_SECONDS)
    assert task["TaskExitTime"] == int((START + timedelta(seconds=FILE_SECONDS)).timestamp())
    restart(live, task_id)
    clock.advance(timedelta(seconds=FILE_SECONDS * 3 + 7))  # loops now
    assert (status(live, task_id), position(live, task_id)) == (1, (1, 7))


def test_repeat_number_update_while_running_takes_effect_now(live: Client, clock: FixedClock) -> None:
    two = ["https://vod.example.com/a.mp4", "https://vod.example.com/b.mp4"]
    task_id = create(live, vod(source_urls=two, repeat_number=-1))
    clock.set(START + timedelta(seconds=1500))  # into the second round
    update(live, task_id, repeat_number=0)  # one round only: already past its end
    task = describe(live, task_id)
    assert task["TaskStatus"] == -1 and task["TaskInfo"]["RepeatNumber"] == 0
    assert task["TaskExitTime"] == int(clock.now().timestamp())


def test_restart_before_start_time_has_no_effect(live: Client, clock: FixedClock) -> None:
    task_id = create(live, vod(file_index=1))
    restart(live, task_id)
    assert (status(live, task_id), position(live, task_id)) == (0, (1, 0))
    clock.set(START + timedelta(seconds=5))
    assert (status(live, task_id), position(live, task_id)) == (1, (1, 5))


def test_task_is_deleted_at_end_time(server: EmulatorServer, live: Client, clock: FixedClock) -> None:
    task_id = create(live, vod(end_time=at(START + timedelta(hours=2)), repeat_number=-1))
    keep = create(live, live_source())
    clock.set(START + timedelta(hours=2) - timedelta(seconds=1))
    assert status(live, task_id) == 1
    clock.advance(timedelta(seconds=1))
    error = sdk_error(lambda: describe(live, task_id))
    assert (error.status_code, error.code) == (400, "CodeTaskNotExist")
    assert [t["TaskId"] for t in listed(live)["TaskList"]] == [keep]
    assert server.aliyun.get_task(AK, REGION, task_id) is None
    assert server.store.count("aliyun") == 1
    create(live, vod())  # its DstUrl is free again


def test_retrying_task_reports_status_2_and_can_be_stopped(
    server: EmulatorServer, live: Client, clock: FixedClock
) -> None:
    task_id = create(live, live_source())
    clock.set(START)
    server.aliyun.set_retrying(AK, REGION, task_id, "PullStreamFailed")
    task = describe(live, task_id)
    assert (task["TaskStatus"], task["TaskInvalidReason"]) == (2, "PullStreamFailed")
    error = sdk_error(lambda: update(live, task_id, end_time=at(END + timedelta(hours=1))))
    assert error.code == "InvalidParameter" and "running" in error.message
    stop(live, task_id)
    assert describe(live, task_id)["TaskInvalidReason"] == ""


# -- update ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "name"),
    [
        ("end_time", at(END + timedelta(hours=1)), "EndTime"),
        ("start_time", at(START + timedelta(hours=1)), "StartTime"),
        ("source_urls", ["https://vod.example.com/9.mp4"], "SourceUrls"),
        ("file_index", 1, "FileIndex"),
        ("offset", 5, "Offset"),
    ],
)
def test_running_task_refuses_updates_other_than_callback_and_repeat(
    live: Client, clock: FixedClock, field: str, value: Any, name: str
) -> None:
    task_id = create(live, vod())
    clock.set(START + timedelta(minutes=1))
    before = describe(live, task_id)
    error = sdk_error(lambda: update(live, task_id, **{field: value}))
    assert (error.status_code, error.code) == (400, "InvalidParameter")
    assert f"the task is running: stop it before updating {name}" in error.message
    assert describe(live, task_id)["TaskInfo"] == before["TaskInfo"]
    stop(live, task_id)
    update(live, task_id, **{field: value})  # stopped: accepted
    assert describe(live, task_id)["TaskInfo"][name] == value


def test_running_task_accepts_callback_url_and_repeat_number(live: Client, clock: FixedClock) -> None:
    task_id = create(live, vod())
    clock.set(START + timedelta(minutes=1))
    update(live, task_id, callback_url="https://hooks.example.com/new", repeat_number=-1)
    task = describe(live, task_id)
    assert task["TaskStatus"] == 1
    assert (task["TaskInfo"]["CallbackURL"], task["TaskInfo"]["RepeatNumber"]) == ("https://hooks.example.com/new", -1)
    assert position(live, task_id) == (0, 60)  # playback was not interrupted


def test_update_before_start_changes_times_and_playlist(live: Client, clock: FixedClock) -> None:
    task_id = create(live, vod())
    new_urls = ["https://vod.example.com/x.mp4", "https://vod.example.com/y.mp4"]
    update(
        live,
        task_id,
        start_time=at(START + timedelta(hours=1)),
        end_time=at(START + timedelta(hours=5)),
        source_urls=new_urls,
        file_index=1,
    )
    info = describe(live, task_id)["TaskInfo"]
    assert (info["StartTime"], info["EndTime"]) == ("2026-11-22T11:00:00Z", "2026-11-22T15:00:00Z")
    assert (info["SourceUrls"], info["FileIndex"]) == (new_urls, 1)
    clock.set(START + timedelta(minutes=30))
    assert status(live, task_id) == 0  # the new StartTime holds
    clock.set(START + timedelta(hours=1))
    assert (status(live, task_id), position(live, task_id)) == (1, (1, 0))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SourceType", "vod"),
        ("SourceProtocol", "rtmp"),
        ("DstUrl", "rtmp://other.example.com/a/b"),
        ("TaskName", "renamed"),
        ("RetryCount", "1"),
        ("RetryInterval", "90"),
    ],
)
def test_update_refuses_create_only_parameters(
    live: Client, http: Callable[..., httpx.Response], name: str, value: str
) -> None:
    task_id = create(live, vod())
    response = http("UpdateLivePullToPush", Region=REGION, TaskId=task_id, **{name: value})
    assert response.status_code == 400
    assert response.json()["Code"] == "InvalidParameter" and name in response.json()["Message"]


@pytest.mark.parametrize(
    ("fields", "code", "name"),
    [
        ({"end_time": at(START - timedelta(minutes=1))}, "InvalidParam.CodeIllegalDuration", "EndTime"),
        ({"file_index": 3}, "InvalidParameter", "FileIndex"),
        ({"source_urls": [f"https://v/{i}.mp4" for i in range(31)]}, "InvalidParameter", "SourceUrls"),
        ({"repeat_number": -2}, "InvalidParameter", "RepeatNumber"),
        ({"callback_url": "https://cb/" + "x" * 2000}, "InvalidParameter", "CallbackUrl"),
    ],
)
def test_invalid_update_is_refused_and_changes_nothing(
    live: Client, fields: dict[str, Any], code: str, name: str
) -> None:
    task_id = create(live, vod())
    before = describe(live, task_id)["TaskInfo"]
    error = sdk_error(lambda: update(live, task_id, **fields))
    assert (error.status_code, error.code) == (400, code) and name in error.message
    assert describe(live, task_id)["TaskInfo"] == before


# -- stop / restart / delete ----------------------------------------------------------------------


def test_stop_refuses_tasks_that_are_not_running(live: Client, clock: FixedClock) -> None:
    task_id = create(live, vod())
    error = sdk_error(lambda: stop(live, task_id))
    assert (error.status_code, error.code) == (400, "CodeTaskNotStarted")
    clock.set(START)
    stop(live, task_id)
    error = sdk_error(lambda: stop(live, task_id))
    assert (error.status_code, error.code) == (400, "CodeTaskHasStopped")


def test_delete_removes_the_task_and_frees_its_dst_url(live: Client) -> None:
    keep = create(live, vod(dst_url="rtmp://push.example.com/live/keep"))
    gone = create(live, vod())
    delete(live, gone)
    assert [t["TaskId"] for t in listed(live)["TaskList"]] == [keep]
    error = sdk_error(lambda: restart(live, gone))  # a deleted task cannot be restarted
    assert error.code == "CodeTaskNotExist"
    assert create(live, vod())


@pytest.mark.parametrize("operation", ["describe", "update", "stop", "restart", "delete"])
def test_unknown_task_is_code_task_not_exist(live: Client, operation: str) -> None:
    create(live, vod())
    calls: dict[str, Callable[[], Any]] = {
        "describe": lambda: describe(live, "no-such-task"),
        "update": lambda: update(live, "no-such-task", callback_url="https://x"),
        "stop": lambda: stop(live, "no-such-task"),
        "restart": lambda: restart(live, "no-such-task"),
        "delete": lambda: delete(live, "no-such-task"),
    }
    error = sdk_error(calls[operation])
    assert (error.status_code, error.code) == (400, "CodeTaskNotExist") and "no-such-task" in error.message


def test_a_task_belongs_to_its_region(live: Client) -> None:
    task_id = create(live, vod())
    error = sdk_error(lambda: describe(live, task_id, region="cn-beijing"))
    assert error.code == "CodeTaskNotExist"


# -- validation -----------------------------------------------------------------------------------

INVALID_CREATES: list[tuple[str, dict[str, Any], str, str]] = [
    ("missing region", vod(region=None), "InvalidParameter", "Region"),
    ("unknown region", vod(region="mars-1"), "InvalidParameter", "Region"),
    ("missing start", vod(start_time=None), "InvalidParameter", "StartTime"),
    ("missing end", vod(end_time=None), "InvalidParameter", "EndTime"),
    ("missing source type", vod(source_type=None), "InvalidParameter", "SourceType"),
    ("unknown source type", vod(source_type="pic"), "InvalidParameter", "SourceType"),
    ("live without protocol", live_source(source_protocol=None), "InvalidParameter", "SourceProtocol"),
    ("unknown protocol", live_source(source_protocol="webrtc"), "InvalidParameter", "SourceProtocol"),
    ("live with two urls", live_source(source_urls=["rtmp://a/x", "rtmp://b/y"]), "InvalidParameter", "SourceUrls"),
    ("31 files", vod(source_urls=[f"https://v/{i}.mp4" for i in range(31)]), "InvalidParameter", "SourceUrls"),
    ("no urls", vod(source_urls=[]), "InvalidParameter", "SourceUrls"),
    ("missing dst", vod(dst_url=None), "InvalidParameter", "DstUrl"),
    ("dst not rtmp", vod(dst_url="http://push.example.com/a/b"), "InvalidParameter", "DstUrl"),
    ("dst too long", vod(dst_url="rtmp://p/" + "x" * 1992), "InvalidParameter", "DstUrl"),
    ("callback too long", vod(callback_url="https://cb/" + "x" * 1990), "InvalidParameter", "CallbackUrl"),
    ("time with offset", vod(start_time="2026-11-22T10:00:00+00:00"), "InvalidParameter", "StartTime"),
    ("time with space", vod(end_time="2026-11-23 09:00:00"), "InvalidParameter", "EndTime"),
    ("end before start", vod(end_time=at(START - timedelta(seconds=1))), "InvalidParam.CodeIllegalDuration", "EndTime"),
    (
        "end in the past",
        vod(start_time=at(NOW - timedelta(days=1)), end_time=at(NOW - timedelta(seconds=1))),
        "InvalidParam.CodeIllegalDuration",
        "EndTime",
    ),
    ("retry interval 59", vod(retry_interval=59), "InvalidParameter", "RetryInterval"),
    ("retry interval 301", vod(retry_interval=301), "InvalidParameter", "RetryInterval"),
    ("negative retry count", vod(retry_count=-1), "InvalidParameter", "RetryCount"),
    ("repeat -2", vod(repeat_number=-2), "InvalidParameter", "RepeatNumber"),
    ("repeat on live", live_source(repeat_number=1), "InvalidParameter", "RepeatNumber"),
    ("offset on live", live_source(offset=5), "InvalidParameter", "Offset"),
    ("file index past the list", vod(file_index=3), "InvalidParameter", "FileIndex"),
    ("negative offset", vod(offset=-1), "InvalidParameter", "Offset"),
    ("source url without scheme", vod(source_urls=["vod.example.com/1.mp4"]), "InvalidParameter", "SourceUrls"),
    ("source url ftp", vod(source_urls=["ftp://vod.example.com/1.mp4"]), "InvalidParameter", "SourceUrls"),
    ("source url with a space", vod(source_urls=["https://v.example.com/a b"]), "InvalidParameter", "SourceUrls"),
    ("source url too long", vod(source_urls=["https://v/" + "x" * 1991]), "InvalidParameter", "SourceUrls"),
    (
        "source urls over 10000 together",
        vod(source_urls=[f"https://v/{i}/" + "x" * 1000 for i in range(10)]),
        "InvalidParameter",
        "SourceUrls",
    ),
    ("dst url bad port", vod(dst_url="rtmp://push.example.com:70000/a/b"), "InvalidParameter", "DstUrl"),
    ("dst url non-ASCII", vod(dst_url="rtmp://push.example.com/直播/b"), "InvalidParameter", "DstUrl"),
    ("callback javascript", vod(callback_url="javascript:alert(1)"), "InvalidParameter", "CallbackUrl"),
    ("callback ftp", vod(callback_url="ftp://x"), "InvalidParameter", "CallbackUrl"),
    ("task name too long", vod(task_name="n" * 129), "InvalidParameter", "TaskName"),
    ("task name with a control character", vod(task_name="a\u0007b"), "InvalidParameter", "TaskName"),
]


@pytest.mark.parametrize(
    ("fields", "code", "name"), [case[1:] for case in INVALID_CREATES], ids=[case[0] for case in INVALID_CREATES]
)
def test_invalid_create_is_refused_naming_the_parameter(
    server: EmulatorServer, live: Client, fields: dict[str, Any], code: str, name: str
) -> None:
    error = sdk_error(lambda: create(live, {k: v for k, v in fields.items() if v is not None}))
    assert (error.status_code, error.code) == (400, code)
    assert name in error.message
    assert error.data["HostId"] and error.data["RequestId"]
    assert server.store.count("aliyun") == 0


def test_exact_limits_are_accepted(live: Client) -> None:
    task_id = create(
        live,
        vod(
            source_urls=[f"https://v/{i}.mp4" for i in range(30)],
            dst_url="rtmp://p/" + "x" * 1991,
            end_time=at(START + timedelta(days=26)),  # no maximum span: the list example shows a 26-day task
            retry_interval=300,
            file_index=29,
        ),
    )
    info = describe(live, task_id)["TaskInfo"]
    assert (len(info["SourceUrls"]), len(info["DstUrl"]), info["FileIndex"]) == (30, 2000, 29)


@pytest.mark.parametrize(
    ("source_urls", "fragment"),
    [("not json", "JSON array"), ('{"a": 1}', "JSON array"), ('["ok", 3]', "non-empty strings")],
)
def test_source_urls_must_be_a_json_array(http: Callable[..., httpx.Response], source_urls: str, fragment: str) -> None:
    response = http(
        "CreateLivePullToPush",
        Region=REGION,
        SourceType="url",
        SourceUrls=source_urls,
        DstUrl="rtmp://p/a/b",
        StartTime=at(START),
        EndTime=at(END),
    )
    assert response.status_code == 400 and response.json()["Code"] == "InvalidParameter"
    assert "SourceUrls" in response.json()["Message"] and fragment in response.json()["Message"]


def test_dst_url_serves_one_task_per_account(server: EmulatorServer, live: Client) -> None:
    first = create(live, vod())
    error = sdk_error(lambda: create(live, live_source(dst_url=vod()["dst_url"])))
    assert (error.status_code, error.code) == (400, "InvalidParameter")
    assert "DstUrl" in error.message and first in error.message
    error = sdk_error(lambda: create(live, vod(region="cn-beijing")))  # other regions too
    assert error.code == "InvalidParameter"
    other_account = sdk_client(server, ak="second-ak", sk="second-sk")
    assert create(other_account, vod())  # another account's namespace
    assert listed(other_account)["Total"] == 1 and listed(live)["Total"] == 1


# -- authentication -------------------------------------------------------------------------------


def test_wrong_secret_is_signature_does_not_match(server: EmulatorServer) -> None:
    error = sdk_error(lambda: listed(sdk_client(server, sk="not-the-secret")))
    assert (error.status_code, error.code) == (400, "SignatureDoesNotMatch")
    assert "not-the-secret" not in error.message and SK not in error.message


def test_unknown_access_key_is_not_found(server: EmulatorServer) -> None:
    error = sdk_error(lambda: listed(sdk_client(server, ak="stranger")))
    assert (error.status_code, error.code) == (404, "InvalidAccessKeyId.NotFound")


def test_legacy_sdk_wrong_secret(server: EmulatorServer) -> None:
    request = LegacyDescribe.DescribeLivePullToPushRequest()
    request.set_Region(REGION)
    request.set_TaskId("any")
    with pytest.raises(ServerException) as caught:
        legacy_call(server, legacy_client(sk="not-the-secret"), request)
    # The SDK turns SignatureDoesNotMatch into InvalidAccessKeySecret when the server's string to
    # sign (in the message) equals its own: proof that both sides canonicalise alike.
    assert (caught.value.get_http_status(), caught.value.get_error_code()) == (400, "InvalidAccessKeySecret")


# -- the legacy SDK (V2 signatures) ---------------------------------------------------------------


def test_legacy_sdk_drives_the_task_lifecycle(server: EmulatorServer, live: Client, clock: FixedClock) -> None:
    client = legacy_client()
    create_request = LegacyCreate.CreateLivePullToPushRequest()
    create_request.set_Region(REGION)
    create_request.set_SourceType("url")
    create_request.set_SourceUrls(["https://vod.example.com/1.mp4", "https://vod.example.com/2.mp4"])
    create_request.set_DstUrl("rtmp://push.example.com/live/legacy")
    create_request.set_StartTime(at(START))
    create_request.set_EndTime(at(END))
    create_request.set_TaskName("legacy")
    created = legacy_call(server, client, create_request)
    task_id = created["TaskId"]
    assert created["RetCode"] == 0
    sent = server.request_log[-1]
    assert "authorization" not in sent.headers
    assert {"Signature", "AccessKeyId", "SignatureNonce"} <= dict(sent.query_pairs).keys()
    assert dict(sent.query_pairs)["SignatureMethod"] == "HMAC-SHA1"

    describe_request = LegacyDescribe.DescribeLivePullToPushRequest()
    describe_request.set_Region(REGION)
    describe_request.set_TaskId(task_id)
    task = legacy_call(server, client, describe_request)
    assert task["TaskInfo"]["TaskName"] == "legacy" and task["TaskInfo"]["SourceUrls"][1].endswith("2.mp4")
    assert describe(live, task_id)["TaskInfo"]["DstUrl"] == "rtmp://push.example.com/live/legacy"  # same account

    clock.set(START + timedelta(seconds=90))
    for request_class in (LegacyStop.StopLivePullToPushRequest, LegacyRestart.RestartLivePullToPushRequest):
        request = request_class()
        request.set_Region(REGION)
        request.set_TaskId(task_id)
        assert legacy_call(server, client, request)["TaskId"] == task_id
    update_request = LegacyUpdate.UpdateLivePullToPushRequest()
    update_request.set_Region(REGION)
    update_request.set_TaskId(task_id)
    update_request.set_CallbackUrl("https://hooks.example.com/legacy")
    assert legacy_call(server, client, update_request)["RetCode"] == 0
    assert describe(live, task_id)["TaskInfo"]["CallbackURL"] == "https://hooks.example.com/legacy"

    delete_request = LegacyDelete.DeleteLivePullToPushRequest()
    delete_request.set_Region(REGION)
    delete_request.set_TaskId(task_id)
    assert legacy_call(server, client, delete_request)["RetCode"] == 0
    with pytest.raises(ServerException) as caught:
        legacy_call(server, client, describe_request)
    assert (caught.value.get_http_status(), caught.value.get_error_code()) == (400, "CodeTaskNotExist")


# -- stats ----------------------------------------------------------------------------------------


def test_stats_count_requests_by_action(server: EmulatorServer, live: Client, clock: FixedClock) -> None:
    task_id = create(live, vod())
    sdk_error(lambda: create(live, vod()))  # refused (DstUrl in use), still counted
    describe(live, task_id)
    listed(live)
    sdk_error(lambda: listed(sdk_client(server, sk="wrong")))  # refused at auth, still counted
    update(live, task_id, callback_url="https://hooks.example.com/x")
    clock.set(START)
    stop(live, task_id)
    restart(live, task_id)
    delete(live, task_id)
    expected = {
        "CreateLivePullToPush": 2,
        "DescribeLivePullToPush": 1,
        "DescribeLivePullToPushList": 2,
        "UpdateLivePullToPush": 1,
        "StopLivePullToPush": 1,
        "RestartLivePullToPush": 1,
        "DeleteLivePullToPush": 1,
    }
    assert server.stats.snapshot()["aliyun"] == expected
    assert server.stats.snapshot()["huawei"] == {}
    with httpx.Client(base_url=server.url, timeout=5) as plain:
        assert plain.get("/_emulator/stats").json()["aliyun"] == expected


def test_state_survives_a_restart_on_the_same_file(tmp_path: Path, clock: FixedClock) -> None:
    state = str(tmp_path / "persist.db")
    first = EmulatorServer(state_path=state, clock=clock).start()
    try:
        task_id = create(sdk_client(first), vod())
        clock.set(START + timedelta(seconds=650))
        stop(sdk_client(first), task_id)
    finally:
        first.stop()
    clock.advance(timedelta(hours=1))
    second = EmulatorServer(state_path=state, clock=clock).start()
    try:
        task = describe(sdk_client(second), task_id)
        assert (task["TaskStatus"], task["CurrentFileIndex"], task["CurrentOffset"]) == (3, 1, 50)
    finally:
        second.stop()


# -- URL forms and names --------------------------------------------------------------------------


def test_accepted_forms(live: Client) -> None:
    task_id = create(
        live,
        vod(
            callback_url="hahaha.com",
            task_name="直播 weekly show " + "n" * 113,  # 128 characters, any script
            source_urls=[f"https://v/{i}/" + "x" * 988 for i in range(10)],  # 10000 characters together
            end_time=at(START + timedelta(days=26)),  # no maximum span
        ),
    )
    info = describe(live, task_id)["TaskInfo"]
    assert info["CallbackURL"] == "hahaha.com" and len(info["TaskName"]) == 128
    assert sum(len(url) for url in info["SourceUrls"]) == 10000


def test_an_error_never_echoes_a_url_query(http: Callable[..., httpx.Response]) -> None:
    response = http(
        "CreateLivePullToPush",
        Region=REGION,
        SourceType="url",
        SourceUrls='["https://v.example.com/a.mp4"]',
        DstUrl="http://push.example.com/a/b?auth_key=hush",
        StartTime=at(START),
        EndTime=at(END),
    )
    assert response.status_code == 400 and "DstUrl" in response.json()["Message"]
    assert "hush" not in response.text


def test_a_parameter_sent_twice_is_refused(server: EmulatorServer) -> None:
    with httpx.Client(base_url=server.url, auth=AliyunSigner(AK, SK), timeout=5) as client:
        response = client.post(
            "/?Region=cn-shanghai&TaskId=a&TaskId=b",
            headers={"x-acs-action": "DescribeLivePullToPush", "x-acs-version": "2016-11-01"},
        )
    assert (response.status_code, response.json()["Code"]) == (400, "InvalidParameter")
    assert "TaskId" in response.json()["Message"]


# -- request freshness and replay -----------------------------------------------------------------


def v3_call(server: EmulatorServer, signer: AliyunSigner) -> httpx.Response:
    with httpx.Client(base_url=server.url, auth=signer, timeout=5) as client:
        return client.post(
            "/",
            params={"Region": REGION},
            headers={"x-acs-action": "DescribeLivePullToPushList", "x-acs-version": "2016-11-01"},
        )


def v2_call(server: EmulatorServer, when: datetime, nonce: str) -> httpx.Response:
    query = {
        "Action": "DescribeLivePullToPushList",
        "Version": "2016-11-01",
        "Format": "JSON",
        "AccessKeyId": AK,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": nonce,
        "Timestamp": at(when),
        "Region": REGION,
    }
    query["Signature"] = v2_signature(SK, v2_string_to_sign("POST", v2_canonical_query(query.items())))
    with httpx.Client(base_url=server.url, timeout=5) as client:
        return client.post("/", params=query)


@pytest.mark.parametrize("offset", [timedelta(minutes=-16), timedelta(minutes=16)])
def test_a_request_time_more_than_15_minutes_off_is_expired(server: EmulatorServer, offset: timedelta) -> None:
    when = datetime.now(UTC) + offset
    for response in (v3_call(server, AliyunSigner(AK, SK, clock=FixedClock(when))), v2_call(server, when, "n-1")):
        assert (response.status_code, response.json()["Code"]) == (400, "InvalidTimeStamp.Expired")


def test_a_fresh_request_passes_whatever_the_simulated_clock(server: EmulatorServer, clock: FixedClock) -> None:
    clock.advance(timedelta(days=40))  # the simulated clock moves; clients keep stamping the real time
    when = datetime.now(UTC) - timedelta(minutes=14)
    assert v3_call(server, AliyunSigner(AK, SK, clock=FixedClock(when))).json()["Total"] == 0
    assert v2_call(server, when, "fresh-nonce").json()["Total"] == 0


def test_a_replayed_signature_nonce_is_refused(server: EmulatorServer) -> None:
    first = v3_call(server, AliyunSigner(AK, SK, nonce=lambda: "used-once"))
    again = v3_call(server, AliyunSigner(AK, SK, nonce=lambda: "used-once"))
    assert first.status_code == 200
    assert (again.status_code, again.json()["Code"]) == (400, "SignatureNonceUsed")
    now = datetime.now(UTC)
    assert v2_call(server, now, "legacy-once").status_code == 200
    replay = v2_call(server, now, "legacy-once")
    assert (replay.status_code, replay.json()["Code"]) == (400, "SignatureNonceUsed")
    assert v3_call(server, AliyunSigner(AK, SK, nonce=lambda: "another")).status_code == 200
