"""The emulator against the example exchanges of the vendors' API pages (restated in doc_examples).

Each example request is sent with the vendor's official SDK, after creating the task it needs with
the same SDK, and the body the SDK received is compared by shape (keys and JSON value types,
shapes.py) with the documented example. Error examples also check the documented status and code.
The raw bodies are taken from the SDKs' own hooks, since their typed models drop unknown keys:
an HttpHandler response handler (Huawei), the client's `call` (Tencent) and `call_api` (Alibaba).

Huawei and Alibaba run against a server pinned to doc_examples.DOC_NOW; Tencent checks signatures
against the server's clock, so it uses the shared real-clock emulator (tests/conftest.py) and its
task's times are moved to the real now.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alibabacloud_live20161101 import models as aliyun_models  # type: ignore[import-untyped]
from alibabacloud_live20161101.client import Client as AliyunClient  # type: ignore[import-untyped]
from alibabacloud_tea_openapi.exceptions import ClientException  # type: ignore[import-untyped]
from alibabacloud_tea_openapi.models import Config  # type: ignore[import-untyped]
from huaweicloudsdkcore.auth.credentials import BasicCredentials  # type: ignore[import-untyped]
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # type: ignore[import-untyped]
from huaweicloudsdkcore.http.http_config import HttpConfig  # type: ignore[import-untyped]
from huaweicloudsdkcore.http.http_handler import HttpHandler  # type: ignore[import-untyped]
from huaweicloudsdklive.v1 import (  # type: ignore[import-untyped]
    CreatePullTaskRequest,
    ListPullTasksRequest,
    LivePullStreamTask,
    ModifyLivePullStreamTask,
    ModifyPullTaskRequest,
)
from huaweicloudsdklive.v1 import LiveClient as HuaweiClient
from tencentcloud.common.credential import Credential  # type: ignore[import-untyped]
from tencentcloud.common.profile.client_profile import ClientProfile  # type: ignore[import-untyped]
from tencentcloud.common.profile.http_profile import HttpProfile  # type: ignore[import-untyped]
from tencentcloud.live.v20180801 import models as tencent_models  # type: ignore[import-untyped]
from tencentcloud.live.v20180801.live_client import LiveClient as TencentClient  # type: ignore[import-untyped]

from pulumi_relaytask.core.clock import FixedClock
from pulumi_relaytask.emulator.server import EmulatorServer
from tests.conftest import DEMO_AK, DEMO_SK
from tests.contract import doc_examples as docs
from tests.contract.doc_examples import CREATED, Example
from tests.contract.shapes import assert_same_shape, shape_differences

# Keys the emulator answers beyond a documented example, by example and path, each with the reason it
# is accepted. Any other extra key fails the example.
ALLOWED_EXTRA: Mapping[str, Mapping[str, str]] = {
    "tencent-describe-200": {
        "Response.TaskInfos[].RecordTemplateId": "in PullStreamTaskInfo of the SDK (3.1.195), newer than the page",
        "Response.TaskInfos[].BackupToUrl": "in PullStreamTaskInfo of the SDK (3.1.195), newer than the page",
        "Response.TaskInfos[].TranscodeTemplateName": "in PullStreamTaskInfo of the SDK (3.1.195), newer than the page",
    },
    # A PullVodPushLive task listed against the list example (test_huawei_paused_task_lists_as_suspend).
    "huawei-list-200/vod": {
        "task_infos[].vod_loop_time": "in the zh edition's LivePullTaskInfo table (PullVodPushLive only)",
        "task_infos[].vod_start_video_index": "in the zh edition's LivePullTaskInfo table (PullVodPushLive only)",
        "task_infos[].vod_start_video_time": "in the zh edition's LivePullTaskInfo table (PullVodPushLive only)",
    },
}


def by_cloud(prefix: str) -> list[Example]:
    return [example for example in docs.EXAMPLES if example.key.startswith(prefix)]


def filled(params: Mapping[str, Any], task_id: str | None) -> dict[str, Any]:
    """The example's request with CREATED replaced by the id of the task made for it."""
    if CREATED in params.values():
        assert task_id is not None, "the example names a created task but creates none"
    return {name: task_id if value == CREATED else value for name, value in params.items()}


# -- servers --------------------------------------------------------------------------------------


@pytest.fixture
def doc_server(tmp_path: Path) -> Iterator[EmulatorServer]:
    """A server whose clock stands at DOC_NOW (Huawei and Alibaba do not check signature times)."""
    server = EmulatorServer(
        host="127.0.0.1", port=0, state_path=str(tmp_path / "state.db"), clock=FixedClock(docs.DOC_NOW)
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


# -- Huawei ---------------------------------------------------------------------------------------


class HuaweiSession:
    """The official Huawei SDK client, plus every (status, body) it received, in order."""

    def __init__(self, server: EmulatorServer) -> None:
        self.answers: list[tuple[int, Any]] = []

        def record(**kwargs: Any) -> None:
            response = kwargs["response"]
            self.answers.append((response.status_code, json.loads(response.content) if response.content else None))

        config = HttpConfig.get_default_config()
        config.timeout = (5, 10)
        self.client = (
            HuaweiClient.new_builder()
            .with_credentials(BasicCredentials(DEMO_AK, DEMO_SK, docs.HUAWEI_PROJECT))
            .with_endpoints([server.url])
            .with_http_config(config)
            .with_http_handler(HttpHandler().add_response_handler(record))
            .build()
        )

    def create(self, task: Mapping[str, Any]) -> str:
        return str(self.client.create_pull_task(CreatePullTaskRequest(body=LivePullStreamTask(**task))).task_id)

    def send(self, operation: str, params: Mapping[str, Any]) -> Any:
        if operation == "ListPullTasks":
            return self.client.list_pull_tasks(ListPullTasksRequest(**params))
        if operation == "ModifyPullTask":
            return self.client.modify_pull_task(ModifyPullTaskRequest(body=ModifyLivePullStreamTask(**params)))
        raise AssertionError(f"no Huawei sender for {operation}")

    def last_body(self) -> Any:
        return self.answers[-1][1]


@pytest.mark.parametrize("example", by_cloud("huawei-"), ids=lambda example: example.key)
def test_huawei_example(doc_server: EmulatorServer, example: Example) -> None:
    session = HuaweiSession(doc_server)
    task_id = session.create(example.creates) if example.creates is not None else None
    params = filled(example.request, task_id)
    if example.status == 200:
        session.send(example.operation, params)
    else:
        with pytest.raises(ClientRequestException) as caught:
            session.send(example.operation, params)
        assert (caught.value.status_code, caught.value.error_code) == (example.status, example.code), (
            f"{example.pages[0]} shows {example.status} {example.code} for this request; "
            f"the emulator answered {caught.value.status_code} {caught.value.error_code}: {caught.value.error_msg}"
        )
    status, body = session.answers[-1]
    assert status == example.status
    assert_same_shape(example.response, body, ALLOWED_EXTRA.get(example.key, {}))


def test_huawei_paused_task_lists_as_suspend(doc_server: EmulatorServer) -> None:
    # The modify example pauses a task; the list example shows how a paused task is listed.
    session = HuaweiSession(doc_server)
    task_id = session.create(docs.HUAWEI_MODIFY_200.creates or {})
    session.send("ModifyPullTask", filled(docs.HUAWEI_MODIFY_200.request, task_id))
    session.send("ListPullTasks", filled(docs.HUAWEI_LIST_200.request, task_id))
    listed = session.last_body()
    assert [task["status"] for task in listed["task_infos"]] == ["suspend"]
    assert_same_shape(docs.HUAWEI_LIST_200.response, listed, ALLOWED_EXTRA["huawei-list-200/vod"])


# -- Tencent --------------------------------------------------------------------------------------


class TencentSession:
    """The official Tencent SDK client, plus every body its typed calls received, in order."""

    def __init__(self, server: EmulatorServer) -> None:
        self.bodies: list[Any] = []
        profile = ClientProfile(
            httpProfile=HttpProfile(endpoint=f"127.0.0.1:{server.port}", protocol="http", reqTimeout=10)
        )
        self.client = TencentClient(Credential(DEMO_AK, DEMO_SK), docs.TENCENT_REGION, profile)
        # Every typed method sends through `call` and parses the body it returns.
        send = self.client.call

        def call(*args: Any, **kwargs: Any) -> Any:
            body = send(*args, **kwargs)
            self.bodies.append(json.loads(body))
            return body

        self.client.call = call

    @staticmethod
    def typed(model: Any, params: Mapping[str, Any]) -> Any:
        model.from_json_string(json.dumps(params))
        return model


def moved(task: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The task with its times moved by (now - DOC_NOW), keeping the window the example describes."""
    shift = now - docs.DOC_NOW
    return {
        name: docs.at(datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) + shift)
        if name in ("StartTime", "EndTime")
        else value
        for name, value in task.items()
    }


@pytest.mark.parametrize("example", by_cloud("tencent-"), ids=lambda example: example.key)
def test_tencent_example(emulator: EmulatorServer, example: Example) -> None:
    session = TencentSession(emulator)
    task_id = None
    if example.creates is not None:
        task = moved(example.creates, emulator.clock.now())
        created = session.client.CreateLivePullStreamTask(
            session.typed(tencent_models.CreateLivePullStreamTaskRequest(), task)
        )
        task_id = str(created.TaskId)
    params = filled(example.request, task_id)
    assert example.operation == "DescribeLivePullStreamTasks" and example.status == 200
    answer = session.client.DescribeLivePullStreamTasks(
        session.typed(tencent_models.DescribeLivePullStreamTasksRequest(), params)
    )
    assert [info.TaskId for info in answer.TaskInfos] == [task_id]
    assert_same_shape(example.response, session.bodies[-1], ALLOWED_EXTRA.get(example.key, {}))


# -- Alibaba --------------------------------------------------------------------------------------


class AliyunSession:
    """The official Alibaba SDK client (V3), plus every body it received without an error, in order."""

    def __init__(self, server: EmulatorServer) -> None:
        self.bodies: list[Any] = []
        self.client = AliyunClient(
            Config(
                access_key_id=DEMO_AK,
                access_key_secret=DEMO_SK,
                endpoint=f"127.0.0.1:{server.port}",
                protocol="http",
                connect_timeout=5000,
                read_timeout=10000,
            )
        )
        # Every typed method sends through `call_api`, which answers {"body", "headers", "statusCode"}.
        send = self.client.call_api

        def call_api(*args: Any, **kwargs: Any) -> Any:
            answer = send(*args, **kwargs)
            self.bodies.append(answer["body"])
            return answer

        self.client.call_api = call_api

    def create(self, task: Mapping[str, Any]) -> str:
        request = aliyun_models.CreateLivePullToPushRequest().from_map(dict(task))
        return str(self.client.create_live_pull_to_push(request).body.task_id)

    def send(self, operation: str, params: Mapping[str, Any]) -> Any:
        assert operation == "DescribeLivePullToPushList", f"no Alibaba sender for {operation}"
        request = aliyun_models.DescribeLivePullToPushListRequest().from_map(dict(params))
        return self.client.describe_live_pull_to_push_list(request)


@pytest.mark.parametrize("example", by_cloud("aliyun-"), ids=lambda example: example.key)
def test_aliyun_example(doc_server: EmulatorServer, example: Example) -> None:
    session = AliyunSession(doc_server)
    task_id = session.create(example.creates) if example.creates is not None else None
    params = filled(example.request, task_id)
    if example.status == 200:
        answer = session.send(example.operation, params)
        assert [item.task_id for item in answer.body.task_list] == [task_id]
        assert_same_shape(example.response, session.bodies[-1], ALLOWED_EXTRA.get(example.key, {}))
        return
    with pytest.raises(ClientException) as caught:
        session.send(example.operation, params)
    assert (caught.value.status_code, caught.value.code) == (example.status, example.code), (
        f"{example.pages[0]} lists {example.status} {example.code} for this request; "
        f"the emulator answered {caught.value.status_code} {caught.value.code}: {caught.value.message}"
    )
    if example.response is not None:
        assert_same_shape(example.response, caught.value.data, ALLOWED_EXTRA.get(example.key, {}))


# -- the fixture module itself --------------------------------------------------------------------


def test_every_example_names_known_pages_and_unique_keys() -> None:
    assert len({example.key for example in docs.EXAMPLES}) == len(docs.EXAMPLES)
    for example in docs.EXAMPLES:
        assert example.pages and set(example.pages) <= set(docs.PAGES), example.key
        assert (example.status == 200) == (example.code is None), example.key
    # An allowance for an example that does not exist would silently allow nothing.
    known = {example.key for example in docs.EXAMPLES} | {"huawei-list-200/vod"}
    assert set(ALLOWED_EXTRA) <= known


# -- the shape helper -----------------------------------------------------------------------------

DOCUMENTED: dict[str, Any] = {"Id": "a", "Count": 1, "Items": [{"Url": "u", "Size": 2}], "Tags": []}


def fails(check: Callable[[], None]) -> str:
    with pytest.raises(AssertionError) as caught:
        check()
    return str(caught.value)


def test_shape_accepts_same_keys_and_types_with_other_values() -> None:
    answered = {"Id": "b", "Count": 7, "Items": [{"Url": "v", "Size": 0}, {"Url": "w", "Size": 9}], "Tags": ["x"]}
    assert_same_shape(DOCUMENTED, answered)


def test_shape_fails_on_a_missing_key() -> None:
    message = fails(lambda: assert_same_shape(DOCUMENTED, {"Id": "a", "Items": [{"Url": "u", "Size": 2}], "Tags": []}))
    assert "Count: documented, missing from the answer" in message


def test_shape_fails_on_a_type_mismatch_at_any_depth() -> None:
    assert shape_differences(DOCUMENTED, {**DOCUMENTED, "Count": "1"}) == [
        "Count: documented as integer, answered string ('1')"
    ]
    # Every answered item is compared with the example's first item, not only the first one.
    items = [{"Url": "u", "Size": 2}, {"Url": "u", "Size": 2.5}]
    assert "Items[1].Size: documented as integer, answered number" in fails(
        lambda: assert_same_shape(DOCUMENTED, {**DOCUMENTED, "Items": items})
    )
    assert shape_differences({"On": True}, {"On": 1}) == ["On: documented as boolean, answered integer (1)"]


def test_shape_fails_on_an_extra_key_unless_allowed_by_path() -> None:
    answered = {**DOCUMENTED, "Items": [{"Url": "u", "Size": 2, "Note": ""}]}
    assert "Items[0].Note: answered, neither documented nor allowed" in fails(
        lambda: assert_same_shape(DOCUMENTED, answered)
    )
    assert_same_shape(DOCUMENTED, answered, {"Items[].Note"})


def test_shape_fails_when_a_documented_list_is_answered_empty() -> None:
    assert shape_differences(DOCUMENTED, {**DOCUMENTED, "Items": []}) == [
        "Items: documented with items, answered empty (no item to compare)"
    ]
