"""The emulator's Tencent API, driven by the vendor's own SDK (tencentcloud-sdk-python-live) as an independent client.

The SDK stamps the real time into X-TC-Timestamp and the emulator checks it against its own clock
(±5 minutes), so the injected FixedClock starts at the real now and is only ever moved by seconds.
Typed calls go through the SDK's request models; `call_json` (also the SDK's) sends parameters the
models would drop or retype, to check the emulator's refusals.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from tencentcloud.common.credential import Credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.live.v20180801 import models
from tencentcloud.live.v20180801.live_client import LiveClient

from pulumi_relaytask.core.clock import FixedClock
from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.tencent.auth import TencentSigner

SECRET_ID = "relaytask-demo-ak"
SECRET_KEY = "relaytask-demo-sk"
REGION = "ap-guangzhou"
VOD = "PullVodPushLive"
LIVE = "PullLivePushLive"


# -- fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def server(clock: FixedClock, tmp_path: Path) -> Iterator[EmulatorServer]:
    emulator = EmulatorServer(
        host="127.0.0.1",
        port=0,
        state_path=str(tmp_path / "state.db"),
        keep_bodies=True,  # these tests read what the SDKs sent
        clock=clock,
        credentials={"tencent": {"second-id": "second-key"}},
    )
    emulator.start()
    try:
        yield emulator
    finally:
        emulator.stop()


def sdk_client(
    server: EmulatorServer, secret_id: str = SECRET_ID, secret_key: str = SECRET_KEY, region: str = REGION
) -> LiveClient:
    # HttpProfile takes the scheme as `protocol`; its `scheme` attribute follows it.
    profile = ClientProfile(
        httpProfile=HttpProfile(endpoint=f"127.0.0.1:{server.port}", protocol="http", reqTimeout=10)
    )
    return LiveClient(Credential(secret_id, secret_key), region, profile)


@pytest.fixture
def live(server: EmulatorServer) -> LiveClient:
    return sdk_client(server)


# -- helpers --------------------------------------------------------------------------------------


def z(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def vod(now: datetime, **overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "SourceType": VOD,
        "SourceUrls": ["https://vod.example.com/1.mp4", "https://vod.example.com/2.mp4"],
        "DomainName": "push.example.com",
        "AppName": "live",
        "StreamName": "vod-1",
        "StartTime": z(now + timedelta(hours=1)),
        "EndTime": z(now + timedelta(days=1)),
        "Operator": "alice",
    }
    params.update(overrides)
    return {name: value for name, value in params.items() if value is not None}


def live_source(now: datetime, **overrides: Any) -> dict[str, Any]:
    return vod(
        now,
        **{
            "SourceType": LIVE,
            "SourceUrls": ["rtmp://origin.example.com/live/src"],
            "StreamName": "relay-1",
            **overrides,
        },
    )


def typed(model: Any, params: dict[str, Any]) -> Any:
    model.from_json_string(json.dumps(params))
    return model


def create(client: LiveClient, params: dict[str, Any]) -> str:
    response = client.CreateLivePullStreamTask(typed(models.CreateLivePullStreamTaskRequest(), params))
    assert response.RequestId
    return str(response.TaskId)


def modify(client: LiveClient, **params: Any) -> None:
    response = client.ModifyLivePullStreamTask(typed(models.ModifyLivePullStreamTaskRequest(), params))
    assert response.RequestId


def describe(client: LiveClient, **params: Any) -> models.DescribeLivePullStreamTasksResponse:
    return client.DescribeLivePullStreamTasks(typed(models.DescribeLivePullStreamTasksRequest(), params))


def raw(client: LiveClient, action: str, params: dict[str, Any]) -> dict[str, Any]:
    """The `Response` object as sent, through the SDK's untyped call."""
    return dict(client.call_json(action, params)["Response"])


def one(client: LiveClient, task_id: str) -> dict[str, Any]:
    """The single task as the raw TaskInfo (key presence matters), checked to deserialise too."""
    response = raw(client, "DescribeLivePullStreamTasks", {"TaskId": task_id})
    assert (response["TotalNum"], len(response["TaskInfos"])) == (1, 1)
    model = models.DescribeLivePullStreamTasksResponse()
    model._deserialize(response)
    assert model.TaskInfos[0].TaskId == task_id
    return dict(response["TaskInfos"][0])


def status(client: LiveClient, task_id: str) -> models.TaskStatusInfo:
    request = typed(models.DescribeLivePullStreamTaskStatusRequest(), {"TaskId": task_id})
    return client.DescribeLivePullStreamTaskStatus(request).TaskStatusInfo


def sdk_error(call: Callable[[], object]) -> TencentCloudSDKException:
    with pytest.raises(TencentCloudSDKException) as caught:
        call()
    assert caught.value.requestId
    return caught.value


def sent_body(server: EmulatorServer, action: str) -> dict[str, Any]:
    for request in reversed(server.request_log):
        if request.headers.get("x-tc-action") == action:
            return dict(json.loads(request.body))
    raise AssertionError(f"no {action} request in the log")


# -- create / describe ----------------------------------------------------------------------------


def test_create_with_specify_task_id_then_describe_answers_every_field(
    server: EmulatorServer, live: LiveClient, clock: FixedClock
) -> None:
    now = clock.now()
    task_id = create(
        live,
        vod(
            now,
            SpecifyTaskId="my-task-1",
            VodLoopTimes="3",
            PushArgs="txSecret=s",
            CallbackUrl="https://hooks.example.com/cb",
            Comment="\u4e2d\u6587 note",
            CallbackEvents=["TaskStart", "VodSourceFileFinish"],
            FileIndex=2,
            OffsetTime=15,
            VodRefreshType="ContinueBreakPoint",
            VodLocalMode=1,
            WatermarkList=[
                {
                    "PictureUrl": "https://img.example.com/w.png",
                    "XPosition": 5,
                    "YPosition": 10,
                    "Width": 20,
                    "Location": 1,
                }
            ],
        ),
    )
    assert task_id == "my-task-1"
    assert sent_body(server, "CreateLivePullStreamTask")["VodLoopTimes"] == "3"  # a string on create
    task = one(live, task_id)
    assert list(task)[:10] == [
        "TaskId",
        "SourceType",
        "SourceUrls",
        "DomainName",
        "AppName",
        "StreamName",
        "PushArgs",
        "StartTime",
        "EndTime",
        "Region",
    ]
    assert task["SourceType"] == VOD and task["Region"] == REGION
    assert task["SourceUrls"] == ["https://vod.example.com/1.mp4", "https://vod.example.com/2.mp4"]
    assert (task["DomainName"], task["AppName"], task["StreamName"]) == ("push.example.com", "live", "vod-1")
    assert task["PushArgs"] == "txSecret=s"
    assert task["VodLoopTimes"] == 3  # an integer in TaskInfo
    assert task["VodRefreshType"] == "ContinueBreakPoint" and task["VodLocalMode"] == 1
    assert (task["StartTime"], task["EndTime"]) == (z(now + timedelta(hours=1)), z(now + timedelta(days=1)))
    assert task["CreateTime"] == task["UpdateTime"] == z(now)
    assert task["CreateBy"] == task["UpdateBy"] == "alice"
    assert task["Status"] == "enable"
    assert task["CallbackUrl"] == "https://hooks.example.com/cb"
    assert task["CallbackEvents"] == ["TaskStart", "VodSourceFileFinish"]
    assert task["Comment"] == "\u4e2d\u6587 note"
    assert task["WatermarkList"] == [
        {"PictureUrl": "https://img.example.com/w.png", "XPosition": 5, "YPosition": 10, "Width": 20, "Location": 1}
    ]
    assert (task["BackupSourceType"], task["BackupSourceUrl"]) == ("", "")
    # A single task carries its latest pull info: FileIndex counts from 1.
    assert task["RecentPullInfo"] == {
        "FileUrl": "https://vod.example.com/2.mp4",
        "OffsetTime": 15,
        "ReportTime": task["UpdateTime"],
        "LoopedTimes": 0,
    }
    # The SDK model has no ToUrl/FileIndex/OffsetTime in TaskInfo; the emulator keeps them internally.
    assert not {"ToUrl", "FileIndex", "OffsetTime"} & set(task)
    stored = server.tencent.get_task(SECRET_ID, REGION, task_id)
    assert stored is not None and (stored["FileIndex"], stored["OffsetTime"], stored["ToUrl"]) == (2, 15, "")


def test_defaults_of_a_minimal_task(live: LiveClient, clock: FixedClock) -> None:
    task = one(live, create(live, live_source(clock.now())))
    assert task["TaskId"] and task["TaskId"] != "my-task-1"
    assert (task["VodLoopTimes"], task["VodLocalMode"], task["Status"]) == (-1, 0, "enable")
    assert (task["CallbackEvents"], task["WatermarkList"], task["Comment"], task["PushArgs"]) == ([], [], "", "")


def test_duplicate_specify_task_id_is_refused_and_creates_nothing(
    server: EmulatorServer, live: LiveClient, clock: FixedClock
) -> None:
    now = clock.now()
    assert create(live, vod(now, SpecifyTaskId="idem-1")) == "idem-1"
    error = sdk_error(lambda: create(live, vod(now, SpecifyTaskId="idem-1", StreamName="other")))
    assert error.code == "InvalidParameter"
    assert "SpecifyTaskId" in error.message and "idem-1" in error.message and "already exists" in error.message
    assert describe(live).TotalNum == 1
    assert one(live, "idem-1")["StreamName"] == "vod-1"
    # SpecifyTaskId also finds the task, and only a task created with it.
    found = describe(live, SpecifyTaskId="idem-1")
    assert [info.TaskId for info in found.TaskInfos] == ["idem-1"] and found.TaskInfos[0].RecentPullInfo
    plain = create(live, vod(now, StreamName="plain"))
    assert sdk_error(lambda: describe(live, SpecifyTaskId=plain)).code == "InvalidParameter.TaskNotExist"
    # Another account has its own id space.
    assert create(sdk_client(server, "second-id", "second-key"), vod(now, SpecifyTaskId="idem-1")) == "idem-1"


def test_to_url_replaces_the_destination_parts(server: EmulatorServer, live: LiveClient, clock: FixedClock) -> None:
    now = clock.now()
    task_id = create(
        live, live_source(now, DomainName="", AppName="", StreamName="", ToUrl="rtmp://push.other.com/live/full?k=v")
    )
    task = one(live, task_id)
    assert (task["DomainName"], task["AppName"], task["StreamName"]) == ("", "", "")
    assert server.tencent.get_task(SECRET_ID, REGION, task_id)["ToUrl"] == "rtmp://push.other.com/live/full?k=v"
    error = sdk_error(lambda: create(live, live_source(now, ToUrl="rtmp://push.other.com/live/x")))
    assert error.code == "InvalidParameter" and "DomainName" in error.message
    error = sdk_error(
        lambda: create(
            live, live_source(now, DomainName="", AppName="", StreamName="", ToUrl="https://push.other.com/live/x")
        )
    )
    assert error.code == "InvalidParameter.InvalidToUrl" and "ToUrl" in error.message


def test_offset_times_are_accepted_and_answered_in_z_form(live: LiveClient, clock: FixedClock) -> None:
    start = clock.now() + timedelta(hours=2)
    end = clock.now() + timedelta(hours=30)
    task_id = create(
        live,
        vod(clock.now(), StartTime=start.astimezone(timezone(timedelta(hours=8))).isoformat(), EndTime=end.isoformat()),
    )
    task = one(live, task_id)
    assert (task["StartTime"], task["EndTime"]) == (z(start), z(end))


def test_describe_pages_newest_update_first(live: LiveClient, clock: FixedClock) -> None:
    ids = []
    for index in range(5):
        ids.append(create(live, vod(clock.now(), StreamName=f"s{index}")))
        clock.advance(timedelta(seconds=1))
    modify(live, TaskId=ids[0], Operator="bob", Comment="touched")  # the oldest becomes the newest
    expected = [ids[0], ids[4], ids[3], ids[2], ids[1]]
    pages = [describe(live, PageNum=page, PageSize=2) for page in (1, 2, 3)]
    assert [info.TaskId for page in pages for info in page.TaskInfos] == expected
    for number, page in enumerate(pages, start=1):
        assert (page.PageNum, page.PageSize, page.TotalNum, page.TotalPage, page.LimitTaskNum) == (number, 2, 5, 3, 200)
    # RecentPullInfo only when one task is queried.
    listing = raw(live, "DescribeLivePullStreamTasks", {})
    assert (listing["PageNum"], listing["PageSize"], listing["TotalPage"]) == (1, 10, 1)
    assert all("RecentPullInfo" not in info for info in listing["TaskInfos"])
    assert "RecentPullInfo" in one(live, ids[2])
    assert describe(live, PageNum=4, PageSize=2).TaskInfos == []


def test_describe_of_an_empty_account(live: LiveClient) -> None:
    response = describe(live)
    assert (response.TaskInfos, response.TotalNum, response.TotalPage, response.LimitTaskNum) == ([], 0, 0, 200)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"PageSize": 0}, "PageSize"),
        ({"PageSize": 21}, "PageSize"),
        ({"PageNum": 0}, "PageNum"),
        ({"PageNum": "2"}, "PageNum"),
    ],
)
def test_invalid_paging_is_invalid_parameter_value(live: LiveClient, params: dict[str, Any], field: str) -> None:
    error = sdk_error(lambda: raw(live, "DescribeLivePullStreamTasks", params))
    assert error.code == "InvalidParameterValue" and field in error.message


# -- modify ---------------------------------------------------------------------------------------


def test_modify_changes_the_accepted_fields(server: EmulatorServer, live: LiveClient, clock: FixedClock) -> None:
    created = clock.now()
    task_id = create(
        live,
        vod(created, VodLoopTimes="-1", Comment="old", WatermarkList=[{"PictureUrl": "https://img.example.com/a.png"}]),
    )
    before = one(live, task_id)
    clock.advance(timedelta(seconds=20))
    now = clock.now()
    modify(
        live,
        TaskId=task_id,
        Operator="bob",
        VodLoopTimes=0,
        VodRefreshType="ImmediateNewSource",
        SourceUrls=["https://vod.example.com/3.mp4", "https://vod.example.com/4.mp4", "https://vod.example.com/5.mp4"],
        StartTime=z(now + timedelta(hours=2)),
        EndTime=z(now + timedelta(days=29)),
        CallbackEvents=["ResetTaskConfig"],
        CallbackUrl="https://hooks.example.com/new",
        FileIndex=3,
        OffsetTime=42,
        Comment="",
        WatermarkList=[],
        VodLocalMode=1,
    )
    body = sent_body(server, "ModifyLivePullStreamTask")
    assert body["VodLoopTimes"] == 0 and isinstance(body["VodLoopTimes"], int)  # an integer on modify
    after = one(live, task_id)
    assert after["SourceUrls"][-1] == "https://vod.example.com/5.mp4" and len(after["SourceUrls"]) == 3
    assert (after["VodLoopTimes"], after["VodRefreshType"], after["VodLocalMode"]) == (0, "ImmediateNewSource", 1)
    assert (after["StartTime"], after["EndTime"]) == (z(now + timedelta(hours=2)), z(now + timedelta(days=29)))
    assert after["CallbackEvents"] == ["ResetTaskConfig"]
    assert after["CallbackUrl"] == "https://hooks.example.com/new"
    assert (after["Comment"], after["WatermarkList"]) == ("", [])  # "" and [] clear
    assert after["RecentPullInfo"]["FileUrl"] == "https://vod.example.com/5.mp4"
    assert after["RecentPullInfo"]["OffsetTime"] == 42
    assert (after["UpdateTime"], after["UpdateBy"]) == (z(now), "bob")
    unchanged = ("TaskId", "SourceType", "DomainName", "AppName", "StreamName", "CreateTime", "CreateBy", "Region")
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}


def test_modify_status_pauses_and_enables_any_source_type(live: LiveClient, clock: FixedClock) -> None:
    now = clock.now()
    task_id = create(live, live_source(now, StartTime=z(now - timedelta(minutes=1))))
    assert status(live, task_id).RunStatus == "active"
    modify(live, TaskId=task_id, Operator="ops", Status="pause")
    assert one(live, task_id)["Status"] == "pause"
    assert status(live, task_id).RunStatus == "inactive"
    modify(live, TaskId=task_id, Operator="ops", Status="enable")
    assert one(live, task_id)["Status"] == "enable"
    assert status(live, task_id).RunStatus == "active"


@pytest.mark.parametrize(
    "field", ["SourceType", "DomainName", "AppName", "StreamName", "PushArgs", "SpecifyTaskId", "BackupToUrl", "Region"]
)
def test_modify_refuses_fields_it_does_not_accept(live: LiveClient, clock: FixedClock, field: str) -> None:
    task_id = create(live, vod(clock.now()))
    before = one(live, task_id)
    value: Any = VOD if field == "SourceType" else "x"
    error = sdk_error(lambda: raw(live, "ModifyLivePullStreamTask", {"TaskId": task_id, "Operator": "o", field: value}))
    assert error.code == "InvalidParameter" and field in error.message
    assert one(live, task_id) == before


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"Status": "suspend"}, "InvalidParameter", "Status"),
        ({"VodLoopTimes": "3"}, "InvalidParameter", "VodLoopTimes"),
        ({"VodLoopTimes": -2}, "InvalidParameter", "VodLoopTimes"),
        ({"FileIndex": 3}, "InvalidParameter", "FileIndex"),
        ({"SourceUrls": []}, "InvalidParameter.InvalidSourceUrl", "SourceUrls"),
        ({"EndTime": "ENDS_IN_31_DAYS"}, "InvalidParameter.InvalidTaskTime", "EndTime"),
        ({"CallbackEvents": ["TaskBoom"]}, "InvalidParameter", "CallbackEvents"),
        ({"ToUrl": ""}, "InvalidParameter.InvalidToUrl", "ToUrl"),
        ({"ToUrl": "rtmp://push.example.com/live/流"}, "InvalidParameter.InvalidToUrl", "ToUrl"),
        ({"ToUrl": "rtmp://push.example.com:65536/live/a"}, "InvalidParameter.InvalidToUrl", "ToUrl"),
        ({"SourceUrls": ["http://[::1/a.mp4"]}, "InvalidParameter.InvalidSourceUrl", "SourceUrls"),
        ({"SourceUrls": ["https://v.example.com/" + "x" * 2027]}, "InvalidParameter.InvalidSourceUrl", "SourceUrls"),
        ({"SourceUrls": ["https://v.example.com/a\tb.mp4"]}, "InvalidParameter.InvalidSourceUrl", "SourceUrls"),
        ({"CallbackUrl": "cb.example.com/hook"}, "InvalidParameter.InvalidCallbackUrl", "CallbackUrl"),
        ({"VodLoopTimes": True}, "InvalidParameter", "VodLoopTimes"),
        ({"FileIndex": 1.0}, "InvalidParameter", "FileIndex"),
        (
            {"WatermarkList": [{"PictureUrl": "https://i.example.com/a.png", "Location": 4}]},
            "InvalidParameter.InvalidWatermark",
            "Location",
        ),
        (
            {"BackupSourceType": LIVE, "BackupSourceUrl": "rtmp://b.example.com/live/b"},
            "InvalidParameter",
            "BackupSourceType",
        ),
        ({}, "MissingParameter", "Operator"),
    ],
)
def test_invalid_modify_is_refused_and_changes_nothing(
    live: LiveClient, clock: FixedClock, params: dict[str, Any], code: str, field: str
) -> None:
    task_id = create(live, vod(clock.now()))
    before = one(live, task_id)
    if params.get("EndTime") == "ENDS_IN_31_DAYS":
        params = {"EndTime": z(clock.now() + timedelta(days=31))}
    body = {"TaskId": task_id, **({} if field == "Operator" else {"Operator": "o"}), **params}
    error = sdk_error(lambda: raw(live, "ModifyLivePullStreamTask", body))
    assert error.code == code and field in error.message
    assert one(live, task_id) == before


def test_modify_backup_source_on_a_live_task_and_removal_with_empty(live: LiveClient, clock: FixedClock) -> None:
    task_id = create(
        live, live_source(clock.now(), BackupSourceType=VOD, BackupSourceUrl="https://vod.example.com/backup.mp4")
    )
    task = one(live, task_id)
    assert (task["BackupSourceType"], task["BackupSourceUrl"]) == (VOD, "https://vod.example.com/backup.mp4")
    modify(live, TaskId=task_id, Operator="o", BackupSourceType=LIVE, BackupSourceUrl="rtmp://b.example.com/live/b")
    assert one(live, task_id)["BackupSourceType"] == LIVE
    modify(live, TaskId=task_id, Operator="o", BackupSourceType="")
    task = one(live, task_id)
    assert (task["BackupSourceType"], task["BackupSourceUrl"]) == ("", "")


def test_modify_to_url_switches_the_destination(server: EmulatorServer, live: LiveClient, clock: FixedClock) -> None:
    task_id = create(live, live_source(clock.now()))
    modify(live, TaskId=task_id, Operator="o", ToUrl="srt://push.example.com:9000?streamid=x")
    task = one(live, task_id)
    assert (task["DomainName"], task["AppName"], task["StreamName"]) == ("", "", "")
    assert server.tencent.get_task(SECRET_ID, REGION, task_id)["ToUrl"] == "srt://push.example.com:9000?streamid=x"


def test_an_expired_task_stays_and_can_still_be_paused(
    server: EmulatorServer, live: LiveClient, clock: FixedClock
) -> None:
    now = clock.now()
    task_id = create(live, vod(now))
    stored = server.tencent.get_task(SECRET_ID, REGION, task_id)
    assert stored is not None
    stored.update(StartTime=z(now - timedelta(days=2)), EndTime=z(now - timedelta(days=1)))
    server.tencent.put_task(SECRET_ID, REGION, stored)
    assert describe(live).TotalNum == 1  # not deleted at EndTime
    assert status(live, task_id).RunStatus == "inactive"
    modify(live, TaskId=task_id, Operator="o", Status="pause")  # no time rule without a new EndTime
    error = sdk_error(lambda: modify(live, TaskId=task_id, Operator="o", EndTime=z(now - timedelta(hours=1))))
    assert error.code == "InvalidParameter.InvalidTaskTime" and "EndTime" in error.message
    modify(live, TaskId=task_id, Operator="o", StartTime=z(now), EndTime=z(now + timedelta(days=1)))
    assert one(live, task_id)["EndTime"] == z(now + timedelta(days=1))


# -- restart, status, delete ----------------------------------------------------------------------


def test_restart_bumps_update_time_and_counts_an_interruption(
    server: EmulatorServer, live: LiveClient, clock: FixedClock
) -> None:
    task_id = create(live, vod(clock.now()))
    clock.advance(timedelta(seconds=30))
    response = live.RestartLivePullStreamTask(
        typed(models.RestartLivePullStreamTaskRequest(), {"TaskId": task_id, "Operator": "ops"})
    )
    assert response.RequestId
    task = one(live, task_id)
    assert task["UpdateTime"] == z(clock.now()) and task["CreateTime"] != task["UpdateTime"]
    assert task["UpdateBy"] == "alice"  # UpdateBy reports create / modify only
    live.RestartLivePullStreamTask(
        typed(models.RestartLivePullStreamTaskRequest(), {"TaskId": task_id, "Operator": "ops"})
    )
    assert server.tencent.get_task(SECRET_ID, REGION, task_id)["RestartCount"] == 2


def test_status_follows_times_status_and_playlist(server: EmulatorServer, live: LiveClient, clock: FixedClock) -> None:
    now = clock.now()
    running = create(live, vod(now, StartTime=z(now - timedelta(minutes=5)), FileIndex=2, VodLoopTimes="0"))
    info = status(live, running)
    assert (info.RunStatus, info.FileUrl, info.NextFileUrl) == ("active", "https://vod.example.com/2.mp4", "")
    assert (info.ReportTime, info.LoopedTimes, info.OffsetTime) == (z(now), 0, 0)
    looping = create(live, vod(now, StartTime=z(now - timedelta(minutes=5)), FileIndex=2))
    assert status(live, looping).NextFileUrl == "https://vod.example.com/1.mp4"
    later = create(live, vod(now))  # starts in an hour
    assert status(live, later).RunStatus == "inactive"
    # A test can store the progress the real service would report.
    stored = server.tencent.get_task(SECRET_ID, REGION, running)
    assert stored is not None
    stored["Progress"] = {"LoopedTimes": 4, "OffsetTime": 77, "FileDuration": 120}
    server.tencent.put_task(SECRET_ID, REGION, stored)
    info = status(live, running)
    assert (info.LoopedTimes, info.OffsetTime, info.FileDuration) == (4, 77, 120)
    assert one(live, running)["RecentPullInfo"]["LoopedTimes"] == 4


def test_delete_removes_the_task_and_a_second_delete_is_task_not_exist(live: LiveClient, clock: FixedClock) -> None:
    keep = create(live, vod(clock.now(), StreamName="keep"))
    gone = create(live, vod(clock.now(), StreamName="gone"))
    request = typed(models.DeleteLivePullStreamTaskRequest(), {"TaskId": gone, "Operator": "ops"})
    assert live.DeleteLivePullStreamTask(request).RequestId
    assert [info.TaskId for info in describe(live).TaskInfos] == [keep]
    error = sdk_error(lambda: live.DeleteLivePullStreamTask(request))
    assert error.code == "InvalidParameter.TaskNotExist" and gone in error.message
    missing_operator = sdk_error(lambda: raw(live, "DeleteLivePullStreamTask", {"TaskId": keep}))
    assert missing_operator.code == "MissingParameter" and "Operator" in missing_operator.message


def test_delete_by_specify_task_id(live: LiveClient, clock: FixedClock) -> None:
    create(live, vod(clock.now(), SpecifyTaskId="mine"))
    raw(live, "DeleteLivePullStreamTask", {"SpecifyTaskId": "mine", "Operator": "ops"})
    assert describe(live).TotalNum == 0


@pytest.mark.parametrize(
    "action",
    [
        "ModifyLivePullStreamTask",
        "DeleteLivePullStreamTask",
        "RestartLivePullStreamTask",
        "DescribeLivePullStreamTasks",
        "DescribeLivePullStreamTaskStatus",
    ],
)
def test_unknown_task_id_is_task_not_exist(live: LiveClient, clock: FixedClock, action: str) -> None:
    create(live, vod(clock.now()))
    params: dict[str, Any] = {"TaskId": "no-such-task"}
    if action in ("ModifyLivePullStreamTask", "DeleteLivePullStreamTask", "RestartLivePullStreamTask"):
        params["Operator"] = "ops"
    error = sdk_error(lambda: raw(live, action, params))
    assert error.code == "InvalidParameter.TaskNotExist" and "no-such-task" in error.message


# -- create validation ----------------------------------------------------------------------------

NOW_PLUS = "NOW_PLUS_"  # "NOW_PLUS_-60" is now minus an hour, in minutes, resolved per test


def _resolve(params: dict[str, Any], now: datetime) -> dict[str, Any]:
    def value(item: Any) -> Any:
        if isinstance(item, str) and item.startswith(NOW_PLUS):
            return z(now + timedelta(minutes=int(item[len(NOW_PLUS) :])))
        return item

    return {name: value(item) for name, item in params.items()}


INVALID_CREATES: list[tuple[str, dict[str, Any], str, str]] = [
    ("missing Operator", {"Operator": None}, "MissingParameter", "Operator"),
    ("missing StartTime", {"StartTime": None}, "MissingParameter", "StartTime"),
    ("missing DomainName", {"DomainName": None}, "MissingParameter", "DomainName"),
    ("empty StreamName without ToUrl", {"StreamName": ""}, "MissingParameter", "StreamName"),
    ("missing SourceUrls", {"SourceUrls": None}, "MissingParameter", "SourceUrls"),
    ("empty SourceType", {"SourceType": ""}, "MissingParameter", "SourceType"),
    ("unknown SourceType", {"SourceType": "PullMagicPushLive"}, "InvalidParameter", "SourceType"),
    (
        "live source with two urls",
        {"SourceType": LIVE, "SourceUrls": ["rtmp://a/x/y", "rtmp://b/x/y"]},
        "InvalidParameter.InvalidSourceUrl",
        "SourceUrls",
    ),
    (
        "picture with two urls",
        {"SourceType": "PullPicPushLive", "SourceUrls": ["https://a/1.png", "https://a/2.png"]},
        "InvalidParameter.InvalidSourceUrl",
        "SourceUrls",
    ),
    (
        "playlist of 31 files",
        {"SourceUrls": [f"https://v.example.com/{i}.mp4" for i in range(31)]},
        "InvalidParameter.InvalidSourceUrl",
        "SourceUrls",
    ),
    (
        "source url of an unknown scheme",
        {"SourceUrls": ["ftp://v.example.com/1.mp4"]},
        "InvalidParameter.InvalidSourceUrl",
        "SourceUrls",
    ),
    ("end before start", {"EndTime": f"{NOW_PLUS}30"}, "InvalidParameter.InvalidTaskTime", "EndTime"),
    (
        "end in the past",
        {"StartTime": f"{NOW_PLUS}-120", "EndTime": f"{NOW_PLUS}-60"},
        "InvalidParameter.InvalidTaskTime",
        "EndTime",
    ),
    ("span of 30 days", {"EndTime": f"{NOW_PLUS}{60 + 30 * 24 * 60}"}, "InvalidParameter.InvalidTaskTime", "EndTime"),
    ("time without a zone", {"EndTime": "2030-01-01T10:00:00"}, "InvalidParameter.InvalidTaskTime", "EndTime"),
    ("VodLoopTimes as an integer", {"VodLoopTimes": 3}, "InvalidParameter", "VodLoopTimes"),
    ("VodLoopTimes below -1", {"VodLoopTimes": "-2"}, "InvalidParameter", "VodLoopTimes"),
    ("unknown VodRefreshType", {"VodRefreshType": "whenever"}, "InvalidParameter", "VodRefreshType"),
    ("comment of 513 bytes", {"Comment": "\u4e2d" * 171}, "InvalidParameter", "Comment"),
    ("FileIndex 0", {"FileIndex": 0}, "InvalidParameter", "FileIndex"),
    ("FileIndex past the playlist", {"FileIndex": 3}, "InvalidParameter", "FileIndex"),
    ("negative OffsetTime", {"OffsetTime": -1}, "InvalidParameter", "OffsetTime"),
    ("VodLocalMode 2", {"VodLocalMode": 2}, "InvalidParameter", "VodLocalMode"),
    (
        "backup behind a VOD source",
        {"BackupSourceType": LIVE, "BackupSourceUrl": "rtmp://b/live/x"},
        "InvalidParameter",
        "BackupSourceType",
    ),
    (
        "backup of a picture type",
        {
            "SourceType": LIVE,
            "SourceUrls": ["rtmp://a/live/x"],
            "BackupSourceType": "PullPicPushLive",
            "BackupSourceUrl": "https://b/x.png",
        },
        "InvalidParameter",
        "BackupSourceType",
    ),
    (
        "VOD event on a live task",
        {"SourceType": LIVE, "SourceUrls": ["rtmp://a/live/x"], "CallbackEvents": ["TaskStart", "VodSourceFileStart"]},
        "InvalidParameter",
        "CallbackEvents",
    ),
    ("unknown event", {"CallbackEvents": ["TaskBoom"]}, "InvalidParameter", "CallbackEvents"),
    ("callback url not http", {"CallbackUrl": "rtmp://hooks/x"}, "InvalidParameter.InvalidCallbackUrl", "CallbackUrl"),
    (
        "five watermarks",
        {"WatermarkList": [{"PictureUrl": f"https://i.example.com/{i}.png"} for i in range(5)]},
        "InvalidParameter.InvalidWatermark",
        "WatermarkList",
    ),
    (
        "watermark Location 4",
        {"WatermarkList": [{"PictureUrl": "https://i.example.com/w.png", "Location": 4}]},
        "InvalidParameter.InvalidWatermark",
        "Location",
    ),
    (
        "watermark without a picture",
        {"WatermarkList": [{"XPosition": 1}]},
        "InvalidParameter.InvalidWatermark",
        "PictureUrl",
    ),
    ("unknown parameter", {"Colour": "blue"}, "InvalidParameter", "Colour"),
]


@pytest.mark.parametrize(
    ("overrides", "code", "field"), [case[1:] for case in INVALID_CREATES], ids=[case[0] for case in INVALID_CREATES]
)
def test_invalid_create_is_refused_naming_the_field(
    server: EmulatorServer, live: LiveClient, clock: FixedClock, overrides: dict[str, Any], code: str, field: str
) -> None:
    params = vod(clock.now(), **_resolve(overrides, clock.now()))
    for name, value in overrides.items():
        if value is None:
            params.pop(name, None)
    error = sdk_error(lambda: raw(live, "CreateLivePullStreamTask", params))
    assert error.code == code
    assert field in error.message
    assert server.store.count("tencent") == 0


def test_picture_source_is_accepted(live: LiveClient, clock: FixedClock) -> None:
    task_id = create(live, vod(clock.now(), SourceType="PullPicPushLive", SourceUrls=["https://img.example.com/p.png"]))
    assert one(live, task_id)["SourceType"] == "PullPicPushLive"


# -- quota ----------------------------------------------------------------------------------------


def test_the_201st_task_is_limit_exceeded(server: EmulatorServer, live: LiveClient, clock: FixedClock) -> None:
    first = create(live, vod(clock.now()))
    template = server.tencent.get_task(SECRET_ID, REGION, first)
    assert template is not None
    for index in range(199):
        server.tencent.put_task(SECRET_ID, REGION, {**template, "TaskId": f"bulk-{index}"})
    page = describe(live, PageSize=20)
    assert (page.TotalNum, page.TotalPage, page.LimitTaskNum) == (200, 10, 200)
    error = sdk_error(lambda: create(live, vod(clock.now(), StreamName="one-too-many")))
    assert error.code == "LimitExceeded.MaximumTask"
    assert describe(live).TotalNum == 200
    # The quota is per region: another region still takes tasks.
    assert create(sdk_client(server, region="ap-singapore"), vod(clock.now()))


# -- authentication and the envelope ---------------------------------------------------------------


def test_wrong_key_is_signature_failure(server: EmulatorServer) -> None:
    error = sdk_error(lambda: describe(sdk_client(server, secret_key="not-the-key")))
    assert error.code == "AuthFailure.SignatureFailure"
    assert "not-the-key" not in error.message


def test_unknown_secret_id_is_secret_id_not_found(server: EmulatorServer) -> None:
    assert sdk_error(lambda: describe(sdk_client(server, secret_id="stranger"))).code == "AuthFailure.SecretIdNotFound"


def signed_at(server: EmulatorServer, when: datetime) -> httpx.Response:
    signer = TencentSigner(SECRET_ID, SECRET_KEY, region=REGION, clock=FixedClock(when))
    with httpx.Client(base_url=server.url, auth=signer, timeout=5) as client:
        return client.post("/", json={}, headers={"X-TC-Action": "DescribeLivePullStreamTasks"})


@pytest.mark.parametrize("offset", [timedelta(minutes=-6), timedelta(minutes=6)])
def test_a_timestamp_six_minutes_off_the_wall_clock_is_signature_expire(
    server: EmulatorServer, offset: timedelta
) -> None:
    error = signed_at(server, datetime.now(UTC) + offset).json()["Response"]["Error"]
    assert error["Code"] == "AuthFailure.SignatureExpire"


def test_the_timestamp_is_checked_against_the_wall_clock_not_the_simulated_one(
    server: EmulatorServer, clock: FixedClock
) -> None:
    clock.advance(timedelta(days=3))  # tests move the emulator's clock; clients keep stamping real time
    fresh = signed_at(server, datetime.now(UTC) - timedelta(minutes=4)).json()["Response"]
    assert "Error" not in fresh and fresh["TotalNum"] == 0


def test_accounts_and_regions_are_separate(server: EmulatorServer, live: LiveClient, clock: FixedClock) -> None:
    task_id = create(live, vod(clock.now()))
    assert describe(sdk_client(server, "second-id", "second-key")).TotalNum == 0
    assert describe(sdk_client(server, region="ap-tokyo")).TotalNum == 0
    error = sdk_error(lambda: status(sdk_client(server, region="ap-tokyo"), task_id))
    assert error.code == "InvalidParameter.TaskNotExist"
    assert describe(live).TotalNum == 1


def test_envelope_of_answers_and_errors_over_plain_http(server: EmulatorServer, clock: FixedClock) -> None:
    signer = TencentSigner(SECRET_ID, SECRET_KEY, region=REGION, clock=clock)
    with httpx.Client(base_url=server.url, auth=signer, timeout=5) as client:
        ok = client.post("/", json={}, headers={"X-TC-Action": "DescribeLivePullStreamTasks"})
        unknown = client.post("/", json={}, headers={"X-TC-Action": "DescribeLiveStreams"})
        missing = client.post("/", json={"Operator": "o"}, headers={"X-TC-Action": "RestartLivePullStreamTask"})
    assert ok.status_code == 200 and set(ok.json()["Response"]) == {
        "TaskInfos",
        "PageNum",
        "PageSize",
        "TotalNum",
        "TotalPage",
        "LimitTaskNum",
        "RequestId",
    }
    assert "SignedHeaders=content-type;host;x-tc-action," in server.request_log[-3].headers["authorization"]
    assert unknown.status_code == 200 and unknown.json()["Response"]["Error"]["Code"] == "InvalidAction"
    body = missing.json()["Response"]
    assert missing.status_code == 200 and set(body) == {"Error", "RequestId"}
    assert body["Error"]["Code"] == "MissingParameter" and "TaskId" in body["Error"]["Message"]
    with httpx.Client(
        base_url=server.url, timeout=5, auth=TencentSigner(SECRET_ID, SECRET_KEY, region="ap-nowhere", clock=clock)
    ) as client:
        bad_region = client.post("/", json={}, headers={"X-TC-Action": "DescribeLivePullStreamTasks"})
    assert bad_region.json()["Response"]["Error"]["Code"] == "InvalidParameterValue"
    with httpx.Client(base_url=server.url, timeout=5) as plain:
        unsigned = plain.post("/", json={}, headers={"X-TC-Action": "DescribeLivePullStreamTasks"})
    assert unsigned.status_code == 200
    assert unsigned.json()["Response"]["Error"]["Code"] == "AuthFailure.SignatureFailure"


def test_stats_count_requests_by_action_including_refusals(
    server: EmulatorServer, live: LiveClient, clock: FixedClock
) -> None:
    task_id = create(live, vod(clock.now()))
    describe(live)
    describe(live, TaskId=task_id)
    modify(live, TaskId=task_id, Operator="o", Status="pause")
    status(live, task_id)
    live.RestartLivePullStreamTask(
        typed(models.RestartLivePullStreamTaskRequest(), {"TaskId": task_id, "Operator": "o"})
    )
    sdk_error(lambda: create(live, vod(clock.now(), Operator=None)))  # refused, still counted
    sdk_error(lambda: describe(sdk_client(server, secret_key="wrong")))  # refused at auth, still counted
    live.DeleteLivePullStreamTask(typed(models.DeleteLivePullStreamTaskRequest(), {"TaskId": task_id, "Operator": "o"}))
    expected = {
        "CreateLivePullStreamTask": 2,
        "DescribeLivePullStreamTasks": 3,
        "ModifyLivePullStreamTask": 1,
        "DescribeLivePullStreamTaskStatus": 1,
        "RestartLivePullStreamTask": 1,
        "DeleteLivePullStreamTask": 1,
    }
    assert server.stats.snapshot()["tencent"] == expected
    with httpx.Client(base_url=server.url, timeout=5) as plain:
        assert plain.get("/_emulator/stats").json()["tencent"] == expected


# -- VOD-only fields ------------------------------------------------------------------------------

# Each playlist setting with a valid value, as Create takes it and as Modify takes it.
VOD_ONLY_ON_CREATE = {
    "VodLoopTimes": "3",
    "VodRefreshType": "ContinueBreakPoint",
    "FileIndex": 1,
    "OffsetTime": 10,
    "VodLocalMode": 1,
}
VOD_ONLY_ON_MODIFY = {**VOD_ONLY_ON_CREATE, "VodLoopTimes": 3}


@pytest.mark.parametrize("field", list(VOD_ONLY_ON_CREATE))
@pytest.mark.parametrize(
    ("source_type", "url"),
    [(LIVE, "rtmp://origin.example.com/live/src"), ("PullPicPushLive", "https://img.example.com/a.png")],
)
def test_vod_only_fields_are_refused_on_a_non_vod_task(
    live: LiveClient, clock: FixedClock, field: str, source_type: str, url: str
) -> None:
    # The project's choice, the same as the provider's check: a playlist setting on a task that plays
    # no playlist is a mistake, refused by name on Create and on Modify; nothing is created or changed.
    now = clock.now()
    params = live_source(now, SourceType=source_type, SourceUrls=[url], **{field: VOD_ONLY_ON_CREATE[field]})
    refused = sdk_error(lambda: create(live, params))
    assert refused.code == "InvalidParameter"
    assert field in refused.message and "applies to PullVodPushLive tasks only" in refused.message
    assert describe(live).TotalNum == 0
    task_id = create(live, live_source(now, SourceType=source_type, SourceUrls=[url]))
    before = raw(live, "DescribeLivePullStreamTasks", {"TaskId": task_id})["TaskInfos"][0]
    refused = sdk_error(lambda: modify(live, TaskId=task_id, Operator="o", **{field: VOD_ONLY_ON_MODIFY[field]}))
    assert refused.code == "InvalidParameter"
    assert field in refused.message and "applies to PullVodPushLive tasks only" in refused.message
    assert raw(live, "DescribeLivePullStreamTasks", {"TaskId": task_id})["TaskInfos"][0] == before


def test_vod_only_fields_are_taken_on_a_vod_task(live: LiveClient, clock: FixedClock) -> None:
    task_id = create(live, vod(clock.now(), **VOD_ONLY_ON_CREATE))
    modify(live, TaskId=task_id, Operator="o", **{**VOD_ONLY_ON_MODIFY, "FileIndex": 2, "VodLocalMode": 0})
    info = describe(live, TaskId=task_id).TaskInfos[0]
    assert (info.VodLoopTimes, info.VodRefreshType, info.VodLocalMode) == (3, "ContinueBreakPoint", 0)
