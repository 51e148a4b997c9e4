"""Every page of each cloud's listing, through the provider's own operations against the emulator.

More tasks than one page holds are made out of band (through the emulator's backends, as another tool
would make them). `list_tasks` must give each task exactly once and as `read` gives it, reading every
page (the emulator counts the list calls) and only the region asked for. What the lifecycle makes of a
listed task declares it as it is: adopting it makes no write call.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from pulumi_relaytask import clouds
from pulumi_relaytask.aliyun.api import PAGE_SIZE as ALIYUN_PAGE
from pulumi_relaytask.aliyun.api import AliyunClient
from pulumi_relaytask.aliyun.operations import LISTING as ALIYUN_LISTING
from pulumi_relaytask.aliyun.operations import AliyunOperations
from pulumi_relaytask.aliyun.settings import AliyunSettings
from pulumi_relaytask.core.clock import FixedClock
from pulumi_relaytask.core.lifecycle import Lifecycle, Operations
from pulumi_relaytask.core.model import ADOPT_TASK_ID
from pulumi_relaytask.core.settings import CallPolicy
from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.huawei.api import PAGE_LIMIT as HUAWEI_PAGE
from pulumi_relaytask.huawei.api import HuaweiClient
from pulumi_relaytask.huawei.operations import LISTING as HUAWEI_LISTING
from pulumi_relaytask.huawei.operations import HuaweiOperations
from pulumi_relaytask.huawei.settings import HuaweiSettings
from pulumi_relaytask.tencent.api import PAGE_SIZE as TENCENT_PAGE
from pulumi_relaytask.tencent.api import TencentClient
from pulumi_relaytask.tencent.operations import LISTING as TENCENT_LISTING
from pulumi_relaytask.tencent.operations import TencentOperations
from pulumi_relaytask.tencent.settings import TencentSettings

from ..calls import writes
from ..conftest import DEMO_AK, DEMO_SK

POLICY = CallPolicy(deadline=30, timeout=5)
PROJECT = "listing"
LIST_CALL = {
    "huawei": "ListPullTasks",
    "tencent": "DescribeLivePullStreamTasks",
    "aliyun": "DescribeLivePullToPushList",
}
PAGE = {"huawei": HUAWEI_PAGE, "tencent": TENCENT_PAGE, "aliyun": ALIYUN_PAGE}
OTHER_REGION = {"huawei": "cn-east-3", "tencent": "ap-beijing", "aliyun": "cn-beijing"}
DEFAULT_REGION = {"huawei": "cn-north-4", "tencent": "ap-guangzhou", "aliyun": "cn-shanghai"}


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    # A clock that stands still: Alibaba's run state (current file and offset) is the same at list and read.
    with EmulatorServer(clock=FixedClock(datetime.now(UTC).replace(microsecond=0))) as emulator:
        yield emulator


def operations(cloud: str, server: EmulatorServer) -> Operations:
    if cloud == "huawei":
        return HuaweiOperations(
            HuaweiClient(HuaweiSettings(DEMO_AK, DEMO_SK, PROJECT, "cn-north-4", server.url, POLICY))
        )
    if cloud == "tencent":
        return TencentOperations(
            TencentClient(TencentSettings(DEMO_AK, DEMO_SK, "ap-guangzhou", server.url, policy=POLICY))
        )
    return AliyunOperations(AliyunClient(AliyunSettings(DEMO_AK, DEMO_SK, "cn-shanghai", server.url, policy=POLICY)))


def z(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def maker(cloud: str, server: EmulatorServer) -> Callable[[int, str], str]:
    """Makes task number `n` in a region out of band (the emulator's backend); returns its id."""
    now = server.clock.now()
    start, end = z(now - timedelta(minutes=5)), z(now + timedelta(hours=6))
    playlist = ["http://media.example.com/a.mp4", "http://media.example.com/b.mp4?sign=s1"]

    def huawei(n: int, region: str) -> str:
        body = {
            "region": region,
            "source_type": "PullVodPushLive",
            "source_urls": playlist,
            "domain": "push.example.com",
            "app_name": "live",
            "stream_name": f"{region}-{n}",
            "push_args": f"auth_key=k{n}",
            "end_time": end,
        }
        return server.huawei.create_pull_task(DEMO_AK, PROJECT, body)

    def tencent(n: int, region: str) -> str:
        params = {
            "SourceType": "PullVodPushLive",
            "SourceUrls": playlist,
            "DomainName": "push.example.com",
            "AppName": "live",
            "StreamName": f"{region}-{n}",
            "StartTime": start,
            "EndTime": end,
            "Operator": "someone-else",
            "Comment": f"made out of band, number {n}",
        }
        return server.tencent.create_live_pull_stream_task(DEMO_AK, region, params)

    def aliyun(n: int, region: str) -> str:
        params = {
            "Region": region,
            "TaskName": f"task {n}",
            "SourceType": "url",
            "SourceUrls": json.dumps(playlist),
            "DstUrl": f"rtmp://push.example.com/live/{region}-{n}?auth_key=k{n}",
            "StartTime": start,
            "EndTime": end,
            "RepeatNumber": "-1",
        }
        return str(server.aliyun.create_live_pull_to_push(DEMO_AK, params)["TaskId"])

    return {"huawei": huawei, "tencent": tencent, "aliyun": aliyun}[cloud]


@pytest.fixture(scope="module")
def made(server: EmulatorServer) -> dict[str, dict[str, list[str]]]:
    """Per cloud and region, the ids of the tasks made: two pages and a bit in the default region, a few elsewhere."""
    tasks: dict[str, dict[str, list[str]]] = {}
    for cloud in ("huawei", "tencent", "aliyun"):
        make = maker(cloud, server)
        home, other = DEFAULT_REGION[cloud], OTHER_REGION[cloud]
        tasks[cloud] = {
            home: [make(n, home) for n in range(2 * PAGE[cloud] + 3)],
            other: [make(n, other) for n in range(3)],
        }
    return tasks


def counted(server: EmulatorServer, cloud: str) -> Counter[str]:
    return Counter(server.stats.snapshot()[cloud])


@pytest.mark.parametrize("cloud", ["huawei", "tencent", "aliyun"])
def test_every_task_is_listed_once_reading_every_page(
    cloud: str, server: EmulatorServer, made: dict[str, dict[str, list[str]]]
) -> None:
    ops = operations(cloud, server)
    home = DEFAULT_REGION[cloud]
    # Huawei lists the whole project unless asked for a region; the others list one region.
    expected = [i for ids in made[cloud].values() for i in ids] if cloud == "huawei" else made[cloud][home]
    before = counted(server, cloud)
    listed = list(ops.list_tasks(None))
    calls = counted(server, cloud) - before
    ids = [task["task_id"] for task in listed]
    assert len(ids) == len(set(ids)) == len(expected)
    assert set(ids) == set(expected)
    assert calls == Counter({LIST_CALL[cloud]: math.ceil(len(expected) / PAGE[cloud])})


@pytest.mark.parametrize("cloud", ["huawei", "tencent", "aliyun"])
def test_a_listed_task_is_what_read_gives(
    cloud: str, server: EmulatorServer, made: dict[str, dict[str, list[str]]]
) -> None:
    ops = operations(cloud, server)
    listed = {task["task_id"]: task for task in ops.list_tasks(None)}
    home = made[cloud][DEFAULT_REGION[cloud]]
    for task_id in (home[0], home[PAGE[cloud]], home[-1]):  # the first page, the second, the last
        assert listed[task_id] == ops.read(task_id, {"region": DEFAULT_REGION[cloud]})


@pytest.mark.parametrize("cloud", ["huawei", "tencent", "aliyun"])
def test_a_region_lists_its_own_tasks_and_says_so(
    cloud: str, server: EmulatorServer, made: dict[str, dict[str, list[str]]]
) -> None:
    region = OTHER_REGION[cloud]
    listed = list(operations(cloud, server).list_tasks(region))
    assert sorted(task["task_id"] for task in listed) == sorted(made[cloud][region])
    assert {task["region"] for task in listed} == {region}


@pytest.mark.parametrize("cloud", ["huawei", "tencent", "aliyun"])
def test_adopting_a_listed_task_as_declared_makes_no_write(
    cloud: str, server: EmulatorServer, made: dict[str, dict[str, list[str]]]
) -> None:
    spec = clouds.cloud(cloud)
    ops = operations(cloud, server)
    lifecycle = Lifecycle(spec.rules, spec.model, lambda: ops)
    region = OTHER_REGION[cloud]
    listed = list(lifecycle.listed(region))
    assert sorted(task_id for task_id, _ in listed) == sorted(made[cloud][region])
    task_id, inputs = listed[-1]
    checked, failures = lifecycle.check({}, {ADOPT_TASK_ID: task_id, **inputs})
    assert failures == []
    before = counted(server, cloud)
    adopted, outputs = lifecycle.create(checked)
    assert (adopted, writes(counted(server, cloud) - before)) == (task_id, {})
    declared: dict[str, Any] = {name: outputs[name] for name in inputs}
    assert declared == inputs


LISTINGS = {"huawei": HUAWEI_LISTING, "tencent": TENCENT_LISTING, "aliyun": ALIYUN_LISTING}
SINGLE_READ = {"huawei": "ListPullTasks", "tencent": "DescribeLivePullStreamTasks", "aliyun": "DescribeLivePullToPush"}


def refresh(task_ids: list[str], region: str, *objects: Operations) -> list[dict[str, Any] | None]:
    """A refresh's reads, on 4 threads, spread over several provider objects (as the engine unpickles them)."""

    def read(n: int) -> dict[str, Any] | None:
        return objects[n % len(objects)].read(task_ids[n], {"region": region}, listed=True)

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(read, range(len(task_ids))))


@pytest.mark.parametrize("cloud", ["huawei", "tencent", "aliyun"])
def test_a_refresh_costs_a_listing_page_per_page_of_tasks(
    cloud: str, server: EmulatorServer, made: dict[str, dict[str, list[str]]]
) -> None:
    """Every task of the region read as a refresh does, through two provider objects: each listing page is
    read once, no task on its own, and each read gives what a read of that task alone gives."""
    LISTINGS[cloud].clear()
    home = DEFAULT_REGION[cloud]
    task_ids = made[cloud][home]
    before = counted(server, cloud)
    found = refresh(task_ids, home, operations(cloud, server), operations(cloud, server))
    calls = counted(server, cloud) - before
    # Huawei lists the whole project (both regions' tasks); the others the region read.
    listed = sum(len(ids) for ids in made[cloud].values()) if cloud == "huawei" else len(task_ids)
    assert calls == Counter({LIST_CALL[cloud]: math.ceil(listed / PAGE[cloud])})
    single = operations(cloud, server)
    assert [task and task["task_id"] for task in found] == task_ids
    for n in (0, PAGE[cloud], len(task_ids) - 1):
        assert found[n] == single.read(task_ids[n], {"region": home})


@pytest.mark.parametrize("cloud", ["huawei", "tencent", "aliyun"])
def test_a_deleted_task_is_read_on_its_own_before_it_is_declared_gone(cloud: str, server: EmulatorServer) -> None:
    """A task this process deleted is not served from the listing it read before; one deleted by another
    process is not on the pages, and one read of it alone says it is gone."""
    LISTINGS[cloud].clear()
    region = OTHER_REGION[cloud]
    made = [maker(cloud, server)(100 + n, region) for n in range(3)]
    ops = operations(cloud, server)
    assert [task and task["task_id"] for task in refresh(made, region, ops)] == made
    ops.delete(made[1], {"region": region})
    assert [task and task["task_id"] for task in refresh(made, region, ops)] == [made[0], None, made[2]]
    LISTINGS[cloud].clear()  # a new process: the delete was another's
    before = counted(server, cloud)
    found = refresh(made, region, ops)
    calls = counted(server, cloud) - before
    assert [task and task["task_id"] for task in found] == [made[0], None, made[2]]
    pages = math.ceil(sum(1 for _ in ops.list_tasks(region if cloud != "huawei" else None)) / PAGE[cloud])
    assert calls == Counter({LIST_CALL[cloud]: pages}) + Counter({SINGLE_READ[cloud]: 1})


class AfterFirstPage(httpx.BaseTransport):
    """Forwards every request; once the first page of Tencent's listing is answered, runs `then`."""

    def __init__(self, then: Callable[[], None]) -> None:
        self.inner = httpx.HTTPTransport()
        self.then: Callable[[], None] | None = then

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        first_page = json.loads(request.content or b"{}").get("PageNum") == 1
        if self.then is not None and request.headers.get("x-tc-action") == "DescribeLivePullStreamTasks" and first_page:
            response.read()
            self.then()
            self.then = None
        return response


def test_a_tencent_task_modified_while_the_pages_are_read_lists_no_task_twice(
    server: EmulatorServer, made: dict[str, dict[str, list[str]]]
) -> None:
    """Tencent lists the latest update first: a task modified after page 1 was read moves to the front and
    pushes the rest down a place, so page 2 starts with the last task of page 1 again."""
    home = made["tencent"][DEFAULT_REGION["tencent"]]
    oldest = home[0]  # on the last page until it is modified

    def modify() -> None:
        change = {"TaskId": oldest, "Operator": "someone-else", "Comment": "changed while listed"}
        server.tencent.modify_live_pull_stream_task(DEMO_AK, DEFAULT_REGION["tencent"], change)

    settings = TencentSettings(DEMO_AK, DEMO_SK, "ap-guangzhou", server.url, policy=POLICY)
    ops = TencentOperations(TencentClient(settings, transport=AfterFirstPage(modify)))
    ids = [task["task_id"] for task in ops.list_tasks(None)]
    assert len(ids) == len(set(ids))
    assert set(ids) <= set(home)
