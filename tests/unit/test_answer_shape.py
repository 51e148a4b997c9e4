"""A success answer that lacks or mistypes a documented field fails as the cloud's InvalidResponse.

Whatever the cloud sends, the user sees an ApiError from the package's tree, and its message never
repeats the answer's values (which may carry push arguments).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pulumi_relaytask.aliyun.api import AliyunClient
from pulumi_relaytask.aliyun.settings import AliyunSettings
from pulumi_relaytask.errors import ApiError
from pulumi_relaytask.huawei.api import HuaweiClient
from pulumi_relaytask.huawei.settings import HuaweiSettings
from pulumi_relaytask.tencent.api import TencentClient
from pulumi_relaytask.tencent.settings import TencentSettings

LEAK = "push-token-must-not-leak"


def answering(body: Any) -> httpx.MockTransport:
    return httpx.MockTransport(lambda _request: httpx.Response(200, json=body))


def huawei(body: Any) -> HuaweiClient:
    settings = HuaweiSettings("ak", "sk", "proj", "cn-north-4", "http://live.test")
    return HuaweiClient(settings, transport=answering(body))


def tencent(body: Any) -> TencentClient:
    return TencentClient(TencentSettings("id", "key", "ap-guangzhou", "http://live.test"), transport=answering(body))


def aliyun(body: Any) -> AliyunClient:
    return AliyunClient(AliyunSettings("id", "secret", "cn-shanghai", "http://live.test"), transport=answering(body))


CASES: list[tuple[str, Callable[[], object], str]] = [
    (
        "huawei create without task_id",
        lambda: huawei({"request_id": "r"}).create_pull_task({}, confirm=lambda: None),
        "task_id",
    ),
    (
        "huawei list with a task of the wrong shape",
        lambda: huawei({"task_infos": [{"task_id": "t", "push_args": LEAK, "source_urls": LEAK}]}).get_pull_task("t"),
        "task_infos.0.source_type",
    ),
    ("huawei list that is not a page", lambda: huawei({"task_infos": 7}).get_pull_task("t"), "task_infos"),
    (
        "tencent create without TaskId",
        lambda: tencent({"Response": {"RequestId": "r"}}).create_task({"SpecifyTaskId": "t"}),
        "TaskId",
    ),
    (
        "tencent describe with a mistyped task",
        lambda: tencent({"Response": {"TaskInfos": [{"TaskId": "t", "PushArgs": LEAK}]}}).describe_task("t"),
        "SourceType",
    ),
    (
        "tencent describe with a list that is a number",
        lambda: tencent({"Response": {"TaskInfos": 5}}).describe_task("t"),
        "",
    ),
    (
        "aliyun create without TaskId",
        lambda: aliyun({"RequestId": "r"}).create({}, None, confirm=lambda: None),
        "TaskId",
    ),
    (
        "aliyun describe with a mistyped task",
        lambda: aliyun({"TaskId": "t", "TaskStatus": LEAK}).describe("t", None),
        "TaskStatus",
    ),
    (
        "aliyun list with an item of the wrong shape",
        lambda: aliyun({"TaskList": [{"TaskInfo": {"DstUrl": LEAK}}]}).find_by_destination("rtmp://x", None),
        "TaskId",
    ),
]


@pytest.mark.parametrize(("call", "where"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_an_answer_of_the_wrong_shape_is_an_invalid_response(call: Callable[[], object], where: str) -> None:
    with pytest.raises(ApiError) as caught:
        call()
    assert caught.value.code == "InvalidResponse"
    assert where in caught.value.message
    assert LEAK not in str(caught.value) and caught.value.__cause__ is None and caught.value.__suppress_context__
