"""The emulator's Huawei API, driven by the vendor's own SDK (huaweicloudsdklive) as an independent client.

Time is pinned with a FixedClock so every time rule is deterministic. A few checks that the SDK
cannot express (token auth, response headers, admin endpoints) use httpx with HuaweiSigner.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdklive.v1 import (
    CreatePullTaskRequest,
    DeletePullTaskRequest,
    ListPullTasksRequest,
    LiveClient,
    LivePullStreamTask,
    ModifyLivePullStreamTask,
    ModifyPullTaskRequest,
)

from pulumi_relaytask.core.clock import FixedClock
from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.huawei.auth import HuaweiSigner

AK = "relaytask-demo-ak"
SK = "relaytask-demo-sk"
PROJECT = "0123456789abcdef0123456789abcdef"
NOW = datetime(2026, 11, 22, 9, 0, 0, tzinfo=UTC)
PATH = f"/v1/{PROJECT}/pull/stream/task"


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
        credentials={"huawei": {"second-ak": "second-sk"}, "tokens": ["good-token"]},
    )
    emulator.start()
    try:
        yield emulator
    finally:
        emulator.stop()


def sdk_client(server: EmulatorServer, ak: str = AK, sk: str = SK) -> LiveClient:
    config = HttpConfig.get_default_config()
    config.ignore_ssl_verification = True
    config.timeout = (5, 10)
    return (
        LiveClient.new_builder()
        .with_credentials(BasicCredentials(ak, sk, PROJECT))
        .with_endpoints([server.url])
        .with_http_config(config)
        .build()
    )


@pytest.fixture
def live(server: EmulatorServer) -> LiveClient:
    return sdk_client(server)


@pytest.fixture
def http(server: EmulatorServer) -> Iterator[httpx.Client]:
    # Signed with the real time: X-Sdk-Date is checked against the wall clock, not the pinned one.
    with httpx.Client(base_url=server.url, auth=HuaweiSigner(AK, SK, PROJECT), timeout=5) as client:
        yield client


# -- helpers --------------------------------------------------------------------------------------


def vod(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "source_type": "PullVodPushLive",
        "source_urls": ["https://vod.example.com/1.mp4", "https://vod.example.com/2.mp4"],
        "domain": "push.example.com",
        "app_name": "live",
        "stream_name": "vod-1",
        "start_time": NOW + timedelta(hours=1),
        "end_time": NOW + timedelta(days=1),
    }
    fields.update(overrides)
    return fields


def live_source(**overrides: Any) -> dict[str, Any]:
    return vod(
        **{
            "source_type": "PullLivePushLive",
            "source_urls": ["rtmp://origin.example.com/live/src"],
            "stream_name": "relay-1",
            **overrides,
        }
    )


def create(client: LiveClient, fields: dict[str, Any]) -> str:
    body = {name: value for name, value in fields.items() if value is not None}
    return str(client.create_pull_task(CreatePullTaskRequest(body=LivePullStreamTask(**body))).task_id)


def listed(client: LiveClient, **query: Any) -> tuple[list[dict[str, Any]], int]:
    response = client.list_pull_tasks(ListPullTasksRequest(**query))
    return [info.to_dict() for info in response.task_infos or []], int(response.total)


def only_task(client: LiveClient, task_id: str) -> dict[str, Any]:
    tasks, total = listed(client, task_id=task_id)
    assert total == 1 and len(tasks) == 1
    return tasks[0]


def modify(client: LiveClient, **fields: Any) -> str:
    return str(client.modify_pull_task(ModifyPullTaskRequest(body=ModifyLivePullStreamTask(**fields))).task_id)


def as_text(value: Any) -> str:
    # Without python-dateutil the SDK hands datetimes back as strings; with it, as datetimes.
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(value, datetime) else str(value)


def client_error(call: Any) -> ClientRequestException:
    with pytest.raises(ClientRequestException) as caught:
        call()
    return caught.value


# -- create / list --------------------------------------------------------------------------------


def test_create_then_list_returns_every_stored_field(live: LiveClient) -> None:
    task_id = create(
        live,
        vod(
            push_args="auth_key=secret",
            callback_url="https://hooks.example.com/cb",
            callback_events=["TaskStart", "VodSourceFileFinish"],
            vod_loop_time="2",
            vod_start_video_index=1,
            vod_start_video_time=15,
            region="cn-east-3",
            backup_source_type="PullLivePushLive",
            backup_source_urls=["rtmp://backup.example.com/live/b"],
        ),
    )
    task = only_task(live, task_id)
    assert task["task_id"] == task_id
    assert task["status"] == "enable"
    assert as_text(task["create_time"]) == "2026-11-22T09:00:00Z"
    assert task["region"] == "cn-east-3"
    assert task["source_urls"] == ["https://vod.example.com/1.mp4", "https://vod.example.com/2.mp4"]
    assert (task["domain"], task["app_name"], task["stream_name"]) == ("push.example.com", "live", "vod-1")
    assert task["push_args"] == "auth_key=secret"
    assert task["callback_url"] == "https://hooks.example.com/cb"
    assert task["callback_events"] == ["TaskStart", "VodSourceFileFinish"]
    assert (task["vod_loop_time"], task["vod_start_video_index"], task["vod_start_video_time"]) == ("2", 1, 15)
    assert task["backup_source_type"] == "PullLivePushLive"
    assert task["backup_source_urls"] == ["rtmp://backup.example.com/live/b"]
    assert (task["start_time"], task["end_time"]) == ("2026-11-22T10:00:00Z", "2026-11-23T09:00:00Z")


def test_defaults_region_start_time_and_destination_url(live: LiveClient) -> None:
    task_id = create(
        live,
        live_source(
            domain=None,
            app_name=None,
            stream_name=None,
            start_time=None,
            destination_url="rtmp://push.example.com/live/full?k=v",
        ),
    )
    task = only_task(live, task_id)
    assert task["region"] == "cn-north-4"
    assert task["start_time"] == "2026-11-22T09:00:00Z"  # now, from the injected clock
    assert task["destination_url"] == "rtmp://push.example.com/live/full?k=v"
    # Listed as the list example shows them: the destination fields not set are `""`.
    assert task["domain"] == "" and task["app_name"] == "" and task["stream_name"] == ""


def test_offset_times_are_accepted_and_answered_in_z_form(server: EmulatorServer, live: LiveClient) -> None:
    # A datetime is serialised by the SDK as +00:00; a string is sent as given (+08:00 here).
    task_id = create(live, vod(start_time="2026-11-22T18:30:00+08:00", end_time=NOW + timedelta(hours=30)))
    sent = json.loads(server.request_log[-1].body)
    assert sent["end_time"] == "2026-11-23T15:00:00+00:00"
    assert sent["start_time"] == "2026-11-22T18:30:00+08:00"
    task = only_task(live, task_id)
    assert (task["start_time"], task["end_time"]) == ("2026-11-22T10:30:00Z", "2026-11-23T15:00:00Z")


def test_sdk_request_is_signed_with_its_own_header_set(server: EmulatorServer, live: LiveClient) -> None:
    create(live, vod())
    request = server.request_log[-1]
    assert request.method == "POST" and request.raw_path == PATH
    assert "SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date," in request.headers["authorization"]


def test_list_paginates_in_creation_order_with_total(live: LiveClient) -> None:
    ids = [create(live, vod(stream_name=f"s{i}")) for i in range(5)]
    page1, total1 = listed(live, offset=0, limit=2)
    page2, total2 = listed(live, offset=2, limit=2)
    page3, total3 = listed(live, offset=4, limit=2)
    beyond, total4 = listed(live, offset=10, limit=2)
    assert total1 == total2 == total3 == total4 == 5
    assert [t["task_id"] for t in page1 + page2 + page3] == ids
    assert len(page3) == 1 and beyond == []
    everything, _ = listed(live)
    assert [t["task_id"] for t in everything] == ids


def test_list_filters_by_task_id_and_region(live: LiveClient) -> None:
    first = create(live, vod(stream_name="a"))
    second = create(live, vod(stream_name="b", region="ap-southeast-3"))
    assert only_task(live, second)["stream_name"] == "b"
    in_region, total = listed(live, region="ap-southeast-3")
    assert total == 1 and in_region[0]["task_id"] == second
    in_default, _ = listed(live, region="cn-north-4")
    assert [t["task_id"] for t in in_default] == [first]


def test_unknown_task_id_is_404_for_list_modify_and_delete(live: LiveClient) -> None:
    create(live, vod())
    for call in (
        lambda: live.list_pull_tasks(ListPullTasksRequest(task_id="no-such-task")),
        lambda: modify(live, task_id="no-such-task", status="pause"),
        lambda: live.delete_pull_task(DeletePullTaskRequest(task_id="no-such-task")),
    ):
        error = client_error(call)
        assert (error.status_code, error.error_code) == (404, "LIVE.100011001")  # as the page's 404 example
        assert "no-such-task" in error.error_msg
        assert error.request_id


# -- modify ---------------------------------------------------------------------------------------


def test_modify_changes_a_vod_task(live: LiveClient) -> None:
    task_id = create(live, vod(vod_loop_time="-1"))
    before = only_task(live, task_id)
    assert (
        modify(
            live,
            task_id=task_id,
            status="pause",
            vod_refresh_type="continue_from_break_point",
            source_urls=[
                "https://vod.example.com/3.mp4",
                "https://vod.example.com/4.mp4",
                "https://vod.example.com/5.mp4",
            ],
            vod_loop_time="3",
            vod_start_video_index=2,
            vod_start_video_time=42,
            start_time=NOW + timedelta(hours=2),
            end_time="2026-11-25T09:00:00Z",
            callback_events=["ResetTaskConfig"],
        )
        == task_id
    )
    after = only_task(live, task_id)
    assert after["status"] == "suspend"  # a paused task is listed so (both list examples)
    assert after["source_urls"][-1] == "https://vod.example.com/5.mp4" and len(after["source_urls"]) == 3
    assert (after["vod_loop_time"], after["vod_start_video_index"], after["vod_start_video_time"]) == ("3", 2, 42)
    assert (after["start_time"], after["end_time"]) == ("2026-11-22T11:00:00Z", "2026-11-25T09:00:00Z")
    assert after["callback_events"] == ["ResetTaskConfig"]
    assert after["vod_refresh_type"] is None  # an instruction, not stored
    unchanged = {"task_id", "create_time", "region", "source_type", "domain", "app_name", "stream_name"}
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
    modify(live, task_id=task_id, status="enable")
    assert only_task(live, task_id)["status"] == "enable"


def test_modify_on_a_live_task_is_accepted_and_changes_nothing(live: LiveClient) -> None:
    task_id = create(live, live_source())
    before = only_task(live, task_id)
    assert (
        modify(
            live,
            task_id=task_id,
            status="pause",
            end_time=NOW + timedelta(days=3),
            source_urls=["rtmp://other.example.com/live/x"],
        )
        == task_id
    )
    assert only_task(live, task_id) == before


def test_modify_end_time_in_the_past_follows_the_clock(live: LiveClient, clock: FixedClock) -> None:
    task_id = create(live, vod(end_time=NOW + timedelta(days=2)))
    clock.advance(timedelta(days=3))
    error = client_error(lambda: modify(live, task_id=task_id, end_time=NOW + timedelta(days=2, hours=12)))
    assert error.status_code == 400 and "end_time" in error.error_msg and "now" in error.error_msg
    # An expired task stays manageable: pausing it does not re-check end_time.
    modify(live, task_id=task_id, status="pause")
    assert only_task(live, task_id)["status"] == "suspend"


def test_modify_refuses_fields_it_cannot_change(http: httpx.Client, live: LiveClient) -> None:
    task_id = create(live, vod())
    response = http.put(PATH, json={"task_id": task_id, "stream_name": "other"})
    assert response.status_code == 400
    assert response.json()["error_code"] == "LIVE.100011001"
    assert "stream_name" in response.json()["error_msg"]


# -- delete ---------------------------------------------------------------------------------------


def test_delete_removes_the_task(live: LiveClient) -> None:
    keep = create(live, vod(stream_name="keep"))
    gone = create(live, vod(stream_name="gone"))
    response = live.delete_pull_task(DeletePullTaskRequest(task_id=gone))
    assert response.task_id == gone and response.request_id
    tasks, total = listed(live)
    assert total == 1 and tasks[0]["task_id"] == keep
    assert client_error(lambda: live.list_pull_tasks(ListPullTasksRequest(task_id=gone))).status_code == 404
    # The destination is free again once its task is gone.
    assert create(live, vod(stream_name="gone"))


# -- validation -----------------------------------------------------------------------------------

INVALID_CREATES: list[tuple[str, dict[str, Any], str]] = [
    ("live source with two urls", live_source(source_urls=["rtmp://a/x", "rtmp://b/y"]), "source_urls"),
    ("playlist of 31 files", vod(source_urls=[f"https://v/{i}.mp4" for i in range(31)]), "source_urls"),
    ("no source urls", vod(source_urls=[]), "source_urls"),
    ("unknown source type", vod(source_type="PullPicPushLive"), "source_type"),
    ("destination_url with domain", vod(destination_url="rtmp://x/live/y"), "domain"),
    ("missing stream_name", vod(stream_name=None), "stream_name"),
    ("domain too long", vod(domain="d" * 256), "domain"),
    ("region too long", vod(region="r" * 65), "region"),
    (
        "destination_url too long",
        vod(domain=None, app_name=None, stream_name=None, destination_url="rtmp://x/" + "y" * 2048),
        "destination_url",
    ),
    ("end before start", vod(end_time=NOW + timedelta(minutes=30)), "end_time"),
    ("end in the past", vod(start_time=NOW - timedelta(days=1), end_time=NOW - timedelta(hours=1)), "end_time"),
    ("span over 7 days", vod(end_time=NOW + timedelta(days=7, hours=2)), "end_time"),
    ("missing end_time", vod(end_time=None), "end_time"),
    ("naive time", vod(end_time="2026-11-23T09:00:00"), "end_time"),
    ("index past the playlist", vod(vod_start_video_index=2), "vod_start_video_index"),
    ("index above 8192", vod(vod_start_video_index=8193), "vod_start_video_index"),
    ("negative start time", vod(vod_start_video_time=-1), "vod_start_video_time"),
    ("start time too large", vod(vod_start_video_time=2_100_000_001), "vod_start_video_time"),
    ("loop time zero", vod(vod_loop_time="0"), "vod_loop_time"),
    ("loop time not a number", vod(vod_loop_time="forever"), "vod_loop_time"),
    ("loop time on a live task", live_source(vod_loop_time="2"), "vod_loop_time"),
    ("vod event on a live task", live_source(callback_events=["TaskStart", "VodSourceFileStart"]), "callback_events"),
    ("unknown event", vod(callback_events=["TaskBoom"]), "callback_events"),
    ("backup source type vod", vod(backup_source_type="PullVodPushLive"), "backup_source_type"),
    ("31 backup urls", vod(backup_source_urls=[f"rtmp://b/{i}" for i in range(31)]), "backup_source_urls"),
    ("unknown refresh type", vod(vod_refresh_type="whenever"), "vod_refresh_type"),
    ("source url without scheme", vod(source_urls=["vod.example.com/1.mp4"]), "source_urls"),
    ("source url of another scheme", vod(source_urls=["ftp://vod.example.com/1.mp4"]), "source_urls"),
    ("source url with a space", vod(source_urls=["https://vod.example.com/a b.mp4"]), "source_urls"),
    ("source url non-ASCII", vod(source_urls=["https://vod.example.com/é.mp4"]), "source_urls"),
    ("source url too long", vod(source_urls=["https://v.example.com/" + "x" * 2027]), "source_urls"),
    ("source url bad IPv6", vod(source_urls=["http://[::1/a.mp4"]), "source_urls"),
    ("source url bad port", vod(source_urls=["rtmp://origin.example.com:99999/a"]), "source_urls"),
    ("backup url without host", vod(backup_source_urls=["rtmp:///live/b"]), "backup_source_urls"),
    (
        "destination http",
        live_source(domain=None, app_name=None, stream_name=None, destination_url="http://x/a"),
        "destination_url",
    ),
    ("callback javascript", vod(callback_url="javascript:alert(1)"), "callback_url"),
    ("callback ftp", vod(callback_url="ftp://x"), "callback_url"),
    ("callback with a space", vod(callback_url="cb.example.com/a b"), "callback_url"),
    ("push args with a space", vod(push_args="a=1 b=2"), "push_args"),
    ("push args too long", vod(push_args="a=" + "x" * 2047), "push_args"),
    ("domain with a slash", vod(domain="push.example.com/x"), "domain"),
    ("app name with a query", vod(app_name="live?x=1"), "app_name"),
    ("stream name non-ASCII", vod(stream_name="流"), "stream_name"),
    ("stream name too long", vod(stream_name="s" * 513), "stream_name"),
]


@pytest.mark.parametrize(
    ("fields", "field"), [case[1:] for case in INVALID_CREATES], ids=[case[0] for case in INVALID_CREATES]
)
def test_invalid_create_is_400_naming_the_field(
    server: EmulatorServer, live: LiveClient, fields: dict[str, Any], field: str
) -> None:
    error = client_error(lambda: create(live, fields))
    assert (error.status_code, error.error_code) == (400, "LIVE.100011001")
    assert field in error.error_msg
    assert server.store.count("huawei") == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 2147483648}, "offset"),
    ],
)
def test_invalid_list_paging_is_400(live: LiveClient, query: dict[str, int], field: str) -> None:
    error = client_error(lambda: live.list_pull_tasks(ListPullTasksRequest(**query)))
    assert (error.status_code, error.error_code) == (400, "LIVE.100011001")
    assert field in error.error_msg


def test_invalid_modify_is_400_and_changes_nothing(live: LiveClient) -> None:
    task_id = create(live, vod())
    before = only_task(live, task_id)
    for fields, field in (
        ({"status": "suspend"}, "status"),
        ({"vod_start_video_index": 5}, "vod_start_video_index"),
        ({"source_urls": []}, "source_urls"),
        ({"end_time": NOW + timedelta(days=9)}, "end_time"),
    ):
        error = client_error(lambda fields=fields: modify(live, task_id=task_id, **fields))
        assert (error.status_code, error.error_code) == (400, "LIVE.100011001")
        assert field in error.error_msg
    assert only_task(live, task_id) == before


def test_second_task_on_the_same_destination_is_refused(live: LiveClient) -> None:
    create(live, vod())
    error = client_error(lambda: create(live, vod(source_urls=["https://vod.example.com/other.mp4"])))
    assert (error.status_code, error.error_code) == (400, "LIVE.103011018")
    create(live, live_source(domain=None, app_name=None, stream_name=None, destination_url="rtmp://x/live/y"))
    error = client_error(
        lambda: create(
            live, live_source(domain=None, app_name=None, stream_name=None, destination_url="rtmp://x/live/y")
        )
    )
    assert error.error_code == "LIVE.103011018"
    assert listed(live)[1] == 2


# -- authentication -------------------------------------------------------------------------------


def test_wrong_secret_is_401(server: EmulatorServer) -> None:
    error = client_error(lambda: listed(sdk_client(server, sk="not-the-secret")))
    assert (error.status_code, error.error_code) == (401, "APIGW.0301")
    assert "not-the-secret" not in error.error_msg


def test_unknown_access_key_is_401(server: EmulatorServer) -> None:
    error = client_error(lambda: listed(sdk_client(server, ak="stranger", sk=SK)))
    assert (error.status_code, error.error_code) == (401, "APIGW.0301")


def test_accounts_are_separate(server: EmulatorServer, live: LiveClient) -> None:
    create(live, vod())
    other = sdk_client(server, ak="second-ak", sk="second-sk")
    assert listed(other) == ([], 0)
    create(other, vod())  # the same destination, but another account's namespace
    assert listed(live)[1] == 1


def test_token_auth_accepts_only_configured_tokens(server: EmulatorServer) -> None:
    with httpx.Client(base_url=server.url, timeout=5) as plain:
        good = plain.get(PATH, headers={"X-Auth-Token": "good-token"})
        bad = plain.get(PATH, headers={"X-Auth-Token": "bad-token"})
        unsigned = plain.get(PATH)
    assert good.status_code == 200 and good.json()["total"] == 0
    assert bad.status_code == 401 and bad.json()["error_code"] == "APIGW.0301"
    assert unsigned.status_code == 401


# -- wire details, stats, admin endpoints ---------------------------------------------------------


def test_every_response_carries_a_request_id(http: httpx.Client) -> None:
    ok = http.post(PATH, json={k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in vod().items()})
    assert ok.status_code == 200
    assert ok.headers["X-request-id"] == ok.json()["request_id"]
    missing = http.delete(PATH, params={"task_id": "nope"})
    assert missing.status_code == 404
    body = missing.json()
    assert set(body) == {"error_code", "error_msg", "request_id"}
    assert missing.headers["X-request-id"] == body["request_id"]


def test_stats_count_requests_by_operation(server: EmulatorServer, live: LiveClient) -> None:
    task_id = create(live, vod())
    listed(live)
    listed(live, task_id=task_id)
    modify(live, task_id=task_id, status="pause")
    client_error(lambda: create(live, vod()))  # refused, still counted
    client_error(lambda: listed(sdk_client(server, sk="wrong")))  # refused at auth, still counted
    live.delete_pull_task(DeletePullTaskRequest(task_id=task_id))
    expected = {"CreatePullTask": 2, "ListPullTasks": 3, "ModifyPullTask": 1, "DeletePullTask": 1}
    assert server.stats.snapshot()["huawei"] == expected
    with httpx.Client(base_url=server.url, timeout=5) as plain:
        assert plain.get("/_emulator/stats").json() == {"huawei": expected, "tencent": {}, "aliyun": {}}
        assert plain.get("/_emulator/health").json() == {"ok": True}


def test_requests_are_routed_to_each_cloud_by_their_shape(server: EmulatorServer) -> None:
    # Unsigned requests: each cloud's own wire refuses them in its own error shape.
    with httpx.Client(base_url=server.url, timeout=5) as plain:
        tencent = plain.post("/", json={}, headers={"X-TC-Action": "CreateLivePullStreamTask"})
        aliyun = plain.post("/", params={"Action": "CreateLivePullToPush"})
        aliyun_v3 = plain.post("/", headers={"x-acs-action": "DescribeLivePullToPushList"})
        nowhere = plain.get("/something/else")
    assert tencent.status_code == 200 and tencent.json()["Response"]["Error"]["Code"].startswith("AuthFailure")
    assert (aliyun.status_code, aliyun.json()["Code"]) == (400, "SignatureDoesNotMatch")
    assert aliyun.json()["RequestId"]
    assert (aliyun_v3.status_code, aliyun_v3.json()["Code"]) == (400, "SignatureDoesNotMatch")
    assert nowhere.status_code == 404
    assert server.stats.snapshot() == {
        "huawei": {},
        "tencent": {"CreateLivePullStreamTask": 1},
        "aliyun": {"CreateLivePullToPush": 1, "DescribeLivePullToPushList": 1},
    }


# -- persistence ----------------------------------------------------------------------------------


def test_state_survives_a_restart_on_the_same_file(tmp_path: Path, clock: FixedClock) -> None:
    state = str(tmp_path / "persist.db")
    first = EmulatorServer(state_path=state, clock=clock).start()
    try:
        client = sdk_client(first)
        ids = [create(client, vod(stream_name=f"p{i}")) for i in range(3)]
        modify(client, task_id=ids[1], status="pause")
        before, _ = listed(client)
    finally:
        first.stop()
    second = EmulatorServer(state_path=state, clock=clock).start()
    try:
        after, total = listed(sdk_client(second))
        assert total == 3
        assert after == before
        assert [t["task_id"] for t in after] == ids and after[1]["status"] == "suspend"
    finally:
        second.stop()


# -- concurrency and the command ------------------------------------------------------------------


def test_concurrent_creates_keep_destinations_unique(server: EmulatorServer) -> None:
    def post(stream: str) -> int:
        body = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in vod(stream_name=stream).items()}
        with httpx.Client(base_url=server.url, auth=HuaweiSigner(AK, SK, PROJECT), timeout=5) as c:
            return c.post(PATH, json=body).status_code

    streams = [f"c{i}" for i in range(12)] + ["same"] * 6
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(post, streams))
    assert statuses[:12] == [200] * 12
    assert sorted(statuses[12:]) == [200] + [400] * 5
    assert server.store.count("huawei") == 13


def test_emulator_command_serves_until_sigterm(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pulumi_relaytask.emulator",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--state",
            str(tmp_path / "cli.db"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("relaytask emulator listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1]
        assert httpx.get(url + "/_emulator/health", timeout=5).json() == {"ok": True}
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


# -- URL forms ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "callback", ["callback.example.com", "hahaha.com", "cb.example.com:8080/hook?x=1", "HTTPS://cb.example.com/h"]
)
def test_callback_urls_as_the_examples_show_are_accepted(live: LiveClient, callback: str) -> None:
    task_id = create(live, vod(callback_url=callback))
    assert only_task(live, task_id)["callback_url"] == callback


def test_url_schemes_of_each_field_are_accepted(live: LiveClient) -> None:
    sources = [f"{scheme}://origin.example.com/live/s" for scheme in ("http", "https", "rtmp", "rtmps", "rtsp", "srt")]
    create(live, vod(source_urls=sources))
    for position, scheme in enumerate(("rtmp", "rtmps", "srt")):
        destination = f"{scheme}://push.example.com:1935/live/d{position}"
        create(live, live_source(domain=None, app_name=None, stream_name=None, destination_url=destination))
    assert listed(live)[1] == 4


def test_an_error_never_echoes_a_url_query(http: httpx.Client) -> None:
    body = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in vod().items()}
    response = http.post(PATH, json={**body, "source_urls": ["ftp://vod.example.com/a.mp4?auth_key=hush"]})
    assert response.status_code == 400 and "source_urls" in response.json()["error_msg"]
    assert "hush" not in response.text


# -- request freshness ----------------------------------------------------------------------------


@pytest.mark.parametrize("offset", [timedelta(minutes=-16), timedelta(minutes=16)])
def test_an_sdk_date_more_than_15_minutes_off_is_refused(server: EmulatorServer, offset: timedelta) -> None:
    signer = HuaweiSigner(AK, SK, PROJECT, clock=FixedClock(datetime.now(UTC) + offset))
    with httpx.Client(base_url=server.url, auth=signer, timeout=5) as client:
        response = client.get(PATH)
    assert (response.status_code, response.json()["error_code"]) == (401, "APIGW.0301")
    assert "expired" in response.json()["error_msg"]


def test_the_sdk_date_is_checked_against_the_wall_clock(server: EmulatorServer, clock: FixedClock) -> None:
    clock.advance(timedelta(days=30))  # the simulated clock moves; clients keep stamping the real time
    signer = HuaweiSigner(AK, SK, PROJECT, clock=FixedClock(datetime.now(UTC) - timedelta(minutes=14)))
    with httpx.Client(base_url=server.url, auth=signer, timeout=5) as client:
        assert client.get(PATH).json()["total"] == 0
