"""The example exchanges of the vendors' API pages, restated with this project's own values.

The pages are kept in /work/shared/vendor-docs (PAGES maps each page's title to its file). Their text
and example values are the vendors'; what is kept here is only their structure: the same operation,
the same request parameters, and a response body with the same keys, nesting and JSON value types as
the page's example, filled with values of our own (hosts under `relay.example.test`, our ids, times
around DOC_NOW). Only the shape of a response is compared, so these values carry no meaning of their
own, except where a test checks a documented value by name (an error code, a paused task's status).

An example may name the task it needs (`creates`): the parameters of a create call, restating the
task shown in the page's example, that the test makes before sending the example request. Where the
request names that task, it says CREATED and the test puts the new task's id there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

# Page titles, as the examples refer to them, and the files in /work/shared/vendor-docs.
HUAWEI_LIST_EN = "Huawei ListPullTasks (en)"
HUAWEI_LIST_ZH = "Huawei ListPullTasks (zh)"
HUAWEI_MODIFY = "Huawei ModifyPullTask (en)"
TENCENT_DESCRIBE = "Tencent DescribeLivePullStreamTasks (en)"
ALIYUN_LIST = "Alibaba DescribeLivePullToPushList (en)"
PAGES: Mapping[str, str] = {
    HUAWEI_LIST_EN: "000_29e28684034bc540.txt",
    HUAWEI_MODIFY: "001_28d69ce39d913834.txt",
    TENCENT_DESCRIBE: "002_7dad1df72f87a6c2.txt",
    HUAWEI_LIST_ZH: "003_9e49ee0d4dca459c.txt",
    ALIYUN_LIST: "004_bdf160b808a60ba4.txt",
}

# The clock the Huawei and Alibaba examples assume; every time below is relative to it.
DOC_NOW = datetime(2027, 3, 8, 6, 0, 0, tzinfo=UTC)
# Stands for the id of the task an example creates first (the clouds choose ids, we cannot).
CREATED = "<id of the task this example creates>"

HUAWEI_PROJECT = "5e7b1c0d2a9f4e6b8c3d1a0f9e8d7c6b"
HUAWEI_REGION = "cn-east-3"
TENCENT_REGION = "ap-shanghai"
ALIYUN_REGION = "cn-beijing"


def at(when: datetime) -> str:
    """The `yyyy-MM-ddTHH:mm:ssZ` form all three APIs write times in."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Example:
    key: str  # short name, also the test id
    pages: tuple[str, ...]  # titles (keys of PAGES) of the pages that show this exchange
    operation: str
    request: Mapping[str, Any]  # the request parameters, by the wire names of the API
    status: int  # the HTTP status the page shows (Tencent answers errors with 200 too)
    response: Mapping[str, Any] | None  # the documented body, restated; None when the page shows no body
    code: str | None = None  # the error code the page shows for this exchange
    creates: Mapping[str, Any] | None = None  # the task to create first, by the create call's wire names
    note: str = ""  # what the restatement changed or chose, when that matters


# -- Huawei Cloud Live: ListPullTasks -------------------------------------------------------------

_HUAWEI_ERROR_BODY: Mapping[str, Any] = {
    "error_code": "LIVE.100011001",
    "error_msg": "the request was refused",
    "request_id": "c3a1f7e2-0d4b-4e5a-9b6c-7d8e9f0a1b2c",
}

# The task the list example shows: a live relay with a backup source, a callback URL written
# without a scheme (as the page writes it) and the destination given as parts.
HUAWEI_LIVE_TASK: Mapping[str, Any] = {
    "region": HUAWEI_REGION,
    "source_type": "PullLivePushLive",
    "source_urls": ["rtmp://origin.relay.example.test/studio/cam-a"],
    "domain": "ingest.relay.example.test",
    "app_name": "studio",
    "stream_name": "cam-a",
    "start_time": at(DOC_NOW + timedelta(hours=4)),
    "end_time": at(DOC_NOW + timedelta(hours=6)),
    "push_args": "relay_token=a1b2",
    "callback_events": ["TaskStart", "TaskExit", "TaskAlarm"],
    "callback_url": "hooks.relay.example.test",
    "backup_source_type": "PullLivePushLive",
    "backup_source_urls": ["rtmp://origin.relay.example.test/studio/cam-a-spare"],
}

HUAWEI_LIST_200 = Example(
    key="huawei-list-200",
    pages=(HUAWEI_LIST_EN, HUAWEI_LIST_ZH),
    operation="ListPullTasks",
    request={"region": HUAWEI_REGION, "task_id": CREATED},
    status=200,
    response={
        "request_id": "5b0e2c9a-41d7-4f3e-8a62-0c9d1e2f3a4b",
        "total": 1,
        "task_infos": [
            {
                "task_id": "9d4f6a2b-3c1e-4b7a-8f05-6e2d1c0b9a87",
                "status": "suspend",
                "create_time": at(DOC_NOW),
                "region": HUAWEI_REGION,
                "source_type": "PullLivePushLive",
                "source_urls": ["rtmp://origin.relay.example.test/studio/cam-a"],
                "domain": "ingest.relay.example.test",
                "app_name": "studio",
                "stream_name": "cam-a",
                "start_time": at(DOC_NOW + timedelta(hours=4)),
                "end_time": at(DOC_NOW + timedelta(hours=6)),
                "push_args": "relay_token=a1b2",
                "destination_url": "",
                "callback_events": ["TaskStart", "TaskExit", "TaskAlarm"],
                "callback_url": "hooks.relay.example.test",
                "backup_source_type": "PullLivePushLive",
                "backup_source_urls": ["rtmp://origin.relay.example.test/studio/cam-a-spare"],
            }
        ],
    },
    creates=HUAWEI_LIVE_TASK,
    note=(
        "Both editions show the same exchange. The page's task is paused (status `suspend`); ours is "
        "created enabled, since only the shape is compared here (test_huawei_paused_task_lists_as_suspend "
        "checks the value)."
    ),
)

HUAWEI_LIST_400 = Example(
    key="huawei-list-400",
    pages=(HUAWEI_LIST_EN, HUAWEI_LIST_ZH),
    operation="ListPullTasks",
    # The pages document limit as 1..100; the 400 example does not say what was wrong, so we pick this.
    request={"region": HUAWEI_REGION, "limit": 101},
    status=400,
    code="LIVE.100011001",
    response=_HUAWEI_ERROR_BODY,
)

HUAWEI_LIST_404 = Example(
    key="huawei-list-404",
    pages=(HUAWEI_LIST_EN, HUAWEI_LIST_ZH),
    operation="ListPullTasks",
    request={"region": HUAWEI_REGION, "task_id": "00000000-0000-4000-8000-00000000dead"},
    status=404,
    # The 404 example carries the same code as the 400 one.
    code="LIVE.100011001",
    response=_HUAWEI_ERROR_BODY,
)


# -- Huawei Cloud Live: ModifyPullTask ------------------------------------------------------------

# Modifications only take effect on a PullVodPushLive task, so the modify examples need one.
HUAWEI_VOD_TASK: Mapping[str, Any] = {
    "region": HUAWEI_REGION,
    "source_type": "PullVodPushLive",
    "source_urls": [
        "https://media.relay.example.test/reel/part-1.mp4",
        "https://media.relay.example.test/reel/part-2.mp4",
    ],
    "domain": "ingest.relay.example.test",
    "app_name": "studio",
    "stream_name": "reel",
    "start_time": at(DOC_NOW + timedelta(hours=1)),
    "end_time": at(DOC_NOW + timedelta(hours=8)),
    "push_args": "relay_token=c3d4",
    "callback_events": ["TaskStart", "TaskExit"],
    "callback_url": "hooks.relay.example.test",
    "backup_source_type": "PullLivePushLive",
    "backup_source_urls": ["rtmp://origin.relay.example.test/studio/reel-spare"],
    "vod_loop_time": "2",
}

HUAWEI_MODIFY_200 = Example(
    key="huawei-modify-200",
    pages=(HUAWEI_MODIFY,),
    operation="ModifyPullTask",
    request={
        "task_id": CREATED,
        "status": "pause",
        "source_urls": ["https://media.relay.example.test/reel/part-3.mp4"],
        "start_time": at(DOC_NOW + timedelta(hours=2)),
        "end_time": at(DOC_NOW + timedelta(hours=5)),
        "vod_loop_time": "-1",
        "vod_refresh_type": "continue_from_file_start",
        "vod_start_video_index": 0,
        "vod_start_video_time": 0,
        "callback_events": [
            "TaskStart",
            "TaskExit",
            "TaskAlarm",
            "VodSourceFileStart",
            "VodSourceFileFinish",
            "ResetTaskConfig",
        ],
    },
    status=200,
    response={
        "task_id": "2f8c1d7e-5a3b-4c9d-8e10-4b6a2c8d0e1f",
        "request_id": "7a9b1c2d-3e4f-4a5b-8c6d-9e0f1a2b3c4d",
    },
    creates=HUAWEI_VOD_TASK,
)

HUAWEI_MODIFY_400 = Example(
    key="huawei-modify-400",
    pages=(HUAWEI_MODIFY,),
    operation="ModifyPullTask",
    # The zh list page bounds vod_start_video_index by len(source_urls) - 1; the task has 2 files.
    request={"task_id": CREATED, "vod_start_video_index": 2},
    status=400,
    code="LIVE.100011001",
    response=_HUAWEI_ERROR_BODY,
    creates=HUAWEI_VOD_TASK,
)


# -- Tencent Cloud Live: DescribeLivePullStreamTasks ----------------------------------------------

# The task the example output shows: a live relay with a comment, push args and two callback events.
# (Tencent checks request signatures against its clock, so the test moves these times to its now.)
TENCENT_LIVE_TASK: Mapping[str, Any] = {
    "SourceType": "PullLivePushLive",
    "SourceUrls": ["https://origin.relay.example.test/studio/cam-b.flv"],
    "DomainName": "ingest.relay.example.test",
    "AppName": "studio",
    "StreamName": "cam-b",
    "StartTime": at(DOC_NOW - timedelta(hours=1)),
    "EndTime": at(DOC_NOW + timedelta(days=4)),
    "Operator": "relay-ops",
    "PushArgs": "relay_sig=e5f6&relay_exp=7f3a09c1",
    "CallbackEvents": ["TaskStart", "TaskExit"],
    "Comment": "restated example",
}

TENCENT_DESCRIBE_200 = Example(
    key="tencent-describe-200",
    pages=(TENCENT_DESCRIBE,),
    operation="DescribeLivePullStreamTasks",
    request={"TaskId": CREATED},
    status=200,
    response={
        "Response": {
            "TaskInfos": [
                {
                    "AppName": "studio",
                    "Region": TENCENT_REGION,
                    "CallbackInfo": "",
                    "CallbackEvents": ["TaskStart", "TaskExit"],
                    "CallbackUrl": "",
                    "CreateBy": "relay-ops",
                    "DomainName": "ingest.relay.example.test",
                    "EndTime": at(DOC_NOW + timedelta(days=4)),
                    "ErrorInfo": "",
                    "PushArgs": "relay_sig=e5f6&relay_exp=7f3a09c1",
                    "SourceType": "PullLivePushLive",
                    "SourceUrls": ["https://origin.relay.example.test/studio/cam-b.flv"],
                    "StartTime": at(DOC_NOW - timedelta(hours=1)),
                    "Status": "enable",
                    "StreamName": "cam-b",
                    "Comment": "restated example",
                    "TaskId": "relay-30417",
                    "UpdateBy": "",
                    "UpdateTime": at(DOC_NOW + timedelta(minutes=20)),
                    "CreateTime": at(DOC_NOW - timedelta(hours=2)),
                    "VodLoopTimes": -1,
                    "VodRefreshType": "ImmediateNewSource",
                    "VodLocalMode": 0,
                    "BackupSourceType": "",
                    "BackupSourceUrl": "",
                    "WatermarkList": [],
                    # Only answered when a single task is asked for, as here.
                    "RecentPullInfo": {
                        "FileUrl": "https://origin.relay.example.test/studio/cam-b.flv",
                        "OffsetTime": 42,
                        "LoopedTimes": 0,
                        "ReportTime": at(DOC_NOW + timedelta(minutes=25)),
                    },
                }
            ],
            "PageNum": 1,
            "PageSize": 10,
            "TotalNum": 1,
            "TotalPage": 1,
            "LimitTaskNum": 200,
            "RequestId": "0e1d2c3b-4a59-4687-b7a6-958473625140",
        }
    },
    creates=TENCENT_LIVE_TASK,
    note="The page shows no error example (only a table of codes), so Tencent has none here.",
)


# -- Alibaba Cloud ApsaraVideo Live: DescribeLivePullToPushList ------------------------------------

# The task the example response shows: a file playlist that has not started yet, with a window of
# 26 days and some hours (the API documents no cap on the span).
ALIYUN_VOD_TASK: Mapping[str, Any] = {
    "Region": ALIYUN_REGION,
    "TaskName": "restated-example",
    "SourceType": "vod",
    "SourceProtocol": "flv",
    "SourceUrls": ["https://media.relay.example.test/reel/part-1.flv"],
    "DstUrl": "rtmp://ingest.relay.example.test/studio/reel-b?relay_key=g7h8",
    "StartTime": at(DOC_NOW + timedelta(hours=1)),
    "EndTime": at(DOC_NOW + timedelta(days=26, hours=6)),
    "CallbackUrl": "hooks.relay.example.test",
    "Offset": 0,
    "FileIndex": 0,
    "RetryCount": 2,
    "RetryInterval": 90,
    "RepeatNumber": 0,
}

ALIYUN_LIST_200 = Example(
    key="aliyun-list-200",
    pages=(ALIYUN_LIST,),
    operation="DescribeLivePullToPushList",
    # The page's request column fills every parameter; TaskName and DstUrl are fuzzy matches.
    request={
        "RegionId": ALIYUN_REGION,
        "Region": ALIYUN_REGION,
        "TaskName": "restated",
        "DstUrl": "rtmp://ingest.relay",
        "PageNumber": 1,
        "PageSize": 10,
    },
    status=200,
    response={
        "RequestId": "B2D4F6A8-1C3E-4A5B-9D7F-0E2C4A6B8D0F",
        "Total": 1,
        "PageNumber": 1,
        "PageSize": 10,
        "TaskList": [
            {
                "TaskId": "6c1e9a3f-2b8d-4f70-a5c4-1d3e5f7a9b0c",
                "TaskStatus": 0,
                # The page says the next three are answered only for a stopped or exited task,
                # yet its example (a task with status 0) carries them.
                "TaskInvalidReason": "PushStreamFailed",
                "TaskExitTime": 1804212000,
                "TaskExitReason": "OverEndTime",
                "CurrentOffset": 0,
                "CurrentFileIndex": 0,
                "TaskInfo": {
                    "TaskId": "6c1e9a3f-2b8d-4f70-a5c4-1d3e5f7a9b0c",
                    "TaskName": "restated-example",
                    "StartTime": at(DOC_NOW + timedelta(hours=1)),
                    "EndTime": at(DOC_NOW + timedelta(days=26, hours=6)),
                    "SourceType": "vod",
                    "SourceProtocol": "flv",
                    "SourceUrls": ["https://media.relay.example.test/reel/part-1.flv"],
                    "DstUrl": "rtmp://ingest.relay.example.test/studio/reel-b?relay_key=g7h8",
                    "CallbackURL": "hooks.relay.example.test",
                    "Offset": 0,
                    "FileIndex": 0,
                    "RetryCount": 2,
                    "RetryInterval": 90,
                    "RepeatNumber": 0,
                },
            }
        ],
    },
    creates=ALIYUN_VOD_TASK,
)

ALIYUN_LIST_400 = Example(
    key="aliyun-list-400",
    pages=(ALIYUN_LIST,),
    operation="DescribeLivePullToPushList",
    # The page documents PageSize as 1..100 and lists 400 InvalidParameter for a bad parameter.
    request={"Region": ALIYUN_REGION, "PageSize": 101},
    status=400,
    code="InvalidParameter",
    response=None,  # the page's error table shows no body
)


EXAMPLES: tuple[Example, ...] = (
    HUAWEI_LIST_200,
    HUAWEI_LIST_400,
    HUAWEI_LIST_404,
    HUAWEI_MODIFY_200,
    HUAWEI_MODIFY_400,
    TENCENT_DESCRIBE_200,
    ALIYUN_LIST_200,
    ALIYUN_LIST_400,
)
