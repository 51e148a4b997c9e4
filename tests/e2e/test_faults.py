"""Faults and throttling through the real CLI: every write exactly once, nothing lost, nothing left behind.

The provider talks to the emulator through a forwarding proxy that rewrites `Connection`; the emulator
injects 25% faults of every kind (its throttling answer, its 5xx answer, resets before and after the
request is applied, answers slower than the client's 1 s timeout), seeded, on top of the vendors' rate
limits. Ten tasks per cloud are created, updated in place and destroyed; each step must converge in at
most two runs of the CLI, and the emulator's own store is the judge: no duplicate, no orphan, nothing
missing, nothing left.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_relaytask.emulator.faults import KINDS, FaultSettings
from pulumi_relaytask.emulator.server import EmulatorServer

from ..conftest import DEMO_AK
from .conftest import configure_clouds, hour_from_now
from .harness import PulumiProject, pulumi_env
from .proxy import RewritingProxy

PER_CLOUD = 10
FAULTS = FaultSettings(rate=0.25, seed=20261124, kinds=KINDS, slow_seconds=1.5)
REPORT = os.environ.get("RELAYTASK_FAULT_REPORT")  # where to write the figures, when set


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[EmulatorServer]:
    with EmulatorServer(state_path=str(tmp_path / "faults.db")) as server:  # rate limits on, as by default
        yield server


@pytest.fixture
def proxy(emulator: EmulatorServer) -> Iterator[RewritingProxy]:
    with RewritingProxy(emulator.host, emulator.port) as forwarding:
        yield forwarding


@pytest.fixture
def project(tmp_path: Path, proxy: RewritingProxy, project_id: str) -> PulumiProject:
    env = pulumi_env(
        tmp_path,
        {"RELAYTASK_ENDPOINT": proxy.url, "RELAYTASK_REQUEST_TIMEOUT": "1", "RELAYTASK_RETRY_DEADLINE": "60"},
    )
    proj = PulumiProject.create(tmp_path, env)
    configure_clouds(proj, project_id)
    return proj


def tasks(end_hours: int) -> list[dict[str, Any]]:
    start, end = hour_from_now(2), hour_from_now(end_hours)
    declared: list[dict[str, Any]] = []
    for n in range(PER_CLOUD):
        declared.append(
            {
                "cloud": "huawei",
                "name": f"hw{n}",
                "args": {
                    "source_type": "PullVodPushLive",
                    "source_urls": [f"http://media.example.com/{n}.mp4"],
                    "domain": "push.example.com",
                    "app_name": "faults",
                    "stream_name": f"hw{n}",
                    "start_time": start,
                    "end_time": end,
                },
            }
        )
        declared.append(
            {
                "cloud": "tencent",
                "name": f"tc{n}",
                "args": {
                    "source_type": "PullLivePushLive",
                    "source_urls": [f"rtmp://origin.example.com/live/{n}"],
                    "domain_name": "push.example.com",
                    "app_name": "faults",
                    "stream_name": f"tc{n}",
                    "start_time": start,
                    "end_time": end,
                },
            }
        )
        declared.append(
            {
                "cloud": "aliyun",
                "name": f"al{n}",
                "args": {
                    "source_type": "url",
                    "source_urls": [f"http://media.example.com/{n}.mp4"],
                    "dst_url": f"rtmp://push.example.com/faults/al{n}",
                    "start_time": start,
                    "end_time": end,
                },
            }
        )
    return declared


def cloud_tasks(emulator: EmulatorServer) -> dict[str, list[dict[str, Any]]]:
    """Every task the emulator holds for the demo account, by cloud (its store is the judge)."""
    return {cloud: emulator.store.list(cloud, DEMO_AK) for cloud in ("huawei", "tencent", "aliyun")}


def destination(cloud: str, doc: dict[str, Any]) -> str:
    if cloud == "huawei":
        return f"{doc['domain']}/{doc['app_name']}/{doc['stream_name']}"
    if cloud == "tencent":
        return f"{doc['DomainName']}/{doc['AppName']}/{doc['StreamName']}"
    return str(doc["DstUrl"])


def task_id(cloud: str, doc: dict[str, Any]) -> str:
    return str(doc["task_id"] if cloud == "huawei" else doc["TaskId"])


def converge(step: Any, runs: list[int]) -> None:
    """Run a CLI step until it succeeds, at most twice; record how many runs it took."""
    for attempt in (1, 2):
        if step(ok=attempt == 2).returncode == 0:
            runs.append(attempt)
            return


def check_exactly_the_stack(project: PulumiProject, emulator: EmulatorServer, end: str) -> dict[str, int]:
    """The stack's tasks and the emulator's are the same set: no duplicate, orphan or missing task."""
    state_ids = {r["id"] for r in project.resources()}
    found: dict[str, int] = {}
    for cloud, docs in cloud_tasks(emulator).items():
        per_destination = Counter(destination(cloud, doc) for doc in docs)
        assert [d for d, n in per_destination.items() if n > 1] == [], f"{cloud}: duplicate tasks"
        ids = {task_id(cloud, doc) for doc in docs}
        assert ids - state_ids == set(), f"{cloud}: orphans (in the cloud, not in the stack)"
        assert len(docs) == PER_CLOUD, f"{cloud}: {len(docs)} tasks"
        ends = {doc.get("end_time") or doc.get("EndTime") for doc in docs}
        assert ends == {end}, f"{cloud}: end times {ends}"
        found[cloud] = len(docs)
    assert len(state_ids) == 3 * PER_CLOUD  # nothing missing: every resource has its task
    return found


def test_up_update_refresh_and_destroy_converge_under_faults(
    project: PulumiProject, emulator: EmulatorServer, proxy: RewritingProxy
) -> None:
    emulator.faults.configure(FAULTS)
    runs: dict[str, list[int]] = {"up": [], "update": [], "destroy": []}

    project.write_tasks(tasks(end_hours=10))
    converge(project.up, runs["up"])
    check_exactly_the_stack(project, emulator, hour_from_now(10))

    project.write_tasks(tasks(end_hours=12))  # an in-place update of every task
    converge(project.up, runs["update"])
    check_exactly_the_stack(project, emulator, hour_from_now(12))

    project.preview("--refresh", "--expect-no-changes")

    converge(project.destroy, runs["destroy"])
    assert {cloud: len(docs) for cloud, docs in cloud_tasks(emulator).items()} == {
        "huawei": 0,
        "tencent": 0,
        "aliyun": 0,
    }
    assert project.resources() == []

    counts = emulator.faults.counts()
    # Every kind was injected, on every cloud, and the Connection header was rewritten on every call.
    assert set(counts["by_kind"]) >= set(KINDS)
    assert all(counts["by_cloud"][cloud] for cloud in ("huawei", "tencent", "aliyun"))
    assert proxy.forwarded > 0
    if REPORT:
        Path(REPORT).write_text(
            json.dumps(
                {"runs": runs, "faults": counts, "calls": emulator.stats.snapshot(), "proxy_lost": proxy.lost},
                indent=2,
            )
        )
