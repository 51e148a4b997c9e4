"""What a refresh costs, through the real Pulumi CLI: a listing page per page of tasks, not a call per task.

21 tasks on each cloud (two Tencent pages of 20, one Huawei or Alibaba page of 100), one of each
deleted out of band. `pulumi preview --refresh` must read each listing page once and read on its own
only the task the pages do not hold, before it plans to create it again; the creates' read-backs read
each task alone (never the listing). The emulator of this module holds only these tasks.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from bench.tasks import task, window
from pulumi_relaytask.aliyun.api import PAGE_SIZE as ALIYUN_PAGE
from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.huawei.api import PAGE_LIMIT as HUAWEI_PAGE
from pulumi_relaytask.tencent.api import PAGE_SIZE as TENCENT_PAGE

from ..conftest import DEMO_AK
from .harness import PulumiProject, resource_name
from .test_no_perpetual_diff import calls_between

N = TENCENT_PAGE + 1
PAGE = {"huawei": HUAWEI_PAGE, "tencent": TENCENT_PAGE, "aliyun": ALIYUN_PAGE}


def declared(cloud: str, n: int) -> dict[str, Any]:
    """The benchmark's task `n` (bench/tasks.py), named apart from the other clouds' in one stack."""
    return {**task(cloud, n, *window(datetime.now(UTC))), "name": f"{cloud}-{n}"}


def answered(emulator: EmulatorServer) -> dict[str, Counter[str]]:
    """Requests answered per cloud and operation: the rate limits are on, and a throttled request (retried
    by the provider) is no call of the step's own."""
    throttled = emulator.stats.throttle_snapshot()
    return {cloud: Counter(counts) - Counter(throttled[cloud]) for cloud, counts in emulator.stats.snapshot().items()}


def delete_out_of_band(emulator: EmulatorServer, cloud: str, task_id: str, project_id: str) -> None:
    if cloud == "huawei":
        emulator.huawei.delete_pull_task(DEMO_AK, project_id, task_id)
    elif cloud == "tencent":
        emulator.tencent.delete_live_pull_stream_task(DEMO_AK, "ap-guangzhou", {"TaskId": task_id, "Operator": "x"})
    else:
        emulator.aliyun.delete_live_pull_to_push(DEMO_AK, {"Region": "cn-shanghai", "TaskId": task_id})


def test_a_refresh_reads_a_page_per_page_of_tasks(
    project: PulumiProject, emulator: EmulatorServer, project_id: str
) -> None:
    clouds = ("huawei", "tencent", "aliyun")
    project.write_tasks([declared(cloud, n) for cloud in clouds for n in range(N)])
    before = answered(emulator)
    project.up()
    created = calls_between(before, answered(emulator))
    # Each create reads its task back alone: no listing page.
    assert created["huawei"] == {"CreatePullTask": N, "ListPullTasks": N}
    assert created["tencent"] == {"CreateLivePullStreamTask": N, "DescribeLivePullStreamTasks": N}
    assert created["aliyun"] == {"CreateLivePullToPush": N, "DescribeLivePullToPush": N}

    outputs = project.outputs()
    gone = {cloud: outputs[f"{cloud}-3_task_id"] for cloud in clouds}
    for cloud, task_id in gone.items():
        delete_out_of_band(emulator, cloud, task_id, project_id)

    before = answered(emulator)
    plan = project.plan("--refresh")
    during = calls_between(before, answered(emulator))
    pages = {cloud: math.ceil((N - 1) / PAGE[cloud]) for cloud in clouds}
    # The pages once each, and the task they lack read alone once (Huawei and Tencent read it with the
    # listing's operation; Alibaba has an operation of its own).
    assert during["huawei"] == {"ListPullTasks": pages["huawei"] + 1}
    assert during["tencent"] == {"DescribeLivePullStreamTasks": pages["tencent"] + 1}
    assert during["aliyun"] == {"DescribeLivePullToPushList": pages["aliyun"], "DescribeLivePullToPush": 1}
    assert all(calls <= math.ceil(N / PAGE[cloud]) + 1 for cloud in clouds for calls in during[cloud].values())
    # The deleted tasks leave the state at the refresh and are planned anew; the others are as they were.
    assert plan.ops() == {f"{cloud}-3": ["create"] for cloud in clouds}, plan.steps
    assert {resource_name(step["urn"]) for step in plan.steps if step["op"] == "refresh"} >= {
        f"{cloud}-{n}" for cloud in clouds for n in range(N)
    }
