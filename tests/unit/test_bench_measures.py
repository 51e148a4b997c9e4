"""What the benchmark reads from its runs: API calls and throttles from the emulator's counts,
throttling errors from the engine's event log, import time, the machine; and the tasks it declares."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.events import read_events, throttle_errors
from bench.imports import ImportCost, importtime_ms
from bench.machine import cpu_model, memory_gib
from bench.results import call_delta, most
from bench.run import task_count, task_quota
from bench.tasks import tasks, window
from bench.vendor import CLOUDS, throttling_code
from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.emulator.stats import RequestStats
from pulumi_relaytask.emulator.tencent import checks as tencent_checks


def test_calls_are_counted_between_two_snapshots_by_operation() -> None:
    stats = RequestStats()
    stats.record("huawei", "CreatePullTask")
    before, throttled_before = stats.snapshot()["huawei"], stats.throttle_snapshot()["huawei"]
    for _ in range(3):
        stats.record("huawei", "ListPullTasks")
    stats.record("huawei", "CreatePullTask")
    stats.record_throttle("huawei", "CreatePullTask")
    stats.record("tencent", "CreateLivePullStreamTask")
    assert call_delta(before, stats.snapshot()["huawei"]) == {"CreatePullTask": 1, "ListPullTasks": 3}
    assert call_delta(throttled_before, stats.throttle_snapshot()["huawei"]) == {"CreatePullTask": 1}
    assert call_delta(before, before) == {}


def test_the_most_calls_of_any_repetition_are_shown() -> None:
    assert most([{"A": 3, "B": 1}, {"A": 2, "C": 4}]) == {"A": 3, "B": 1, "C": 4}
    assert most([]) == {}


def _event(severity: str, message: str) -> dict[str, object]:
    return {"sequence": 1, "timestamp": 0, "diagnosticEvent": {"severity": severity, "message": message}}


def test_throttling_errors_are_the_errors_carrying_the_clouds_code(tmp_path: Path) -> None:
    code = throttling_code("aliyun")
    log = tmp_path / "events.jsonl"
    events = [
        {"sequence": 0, "timestamp": 0, "preludeEvent": {"config": {}}},
        _event("error", f"creating t1: aliyun CreateLivePullToPush failed: {code}: denied"),
        _event("error", f"deleting t2: {code}"),
        _event("warning", f"retrying after {code}"),  # absorbed: not an error
        _event("info#err", f"warning: {code}"),
        _event("error", "update failed"),
        _event("error", "creating t3: APIGW.0308"),  # another cloud's code
    ]
    log.write_text("\n".join(json.dumps(e) for e in events) + "\n\n")
    assert throttle_errors(read_events(log), code) == 2
    assert throttle_errors(read_events(tmp_path / "missing.jsonl"), code) == 0


def test_each_cloud_has_its_own_throttling_code() -> None:
    assert len({throttling_code(cloud) for cloud in CLOUDS}) == 3


def test_importtime_adds_up_the_packages_top_level_imports() -> None:
    stderr = (
        "import time: self [us] | cumulative | imported package\n"
        "import time:       440 |     183153 | pulumi\n"
        "import time:       209 |        316 | pulumi_relaytask\n"
        "import time:       100 |        700 |   pulumi_relaytask.core\n"  # part of the next line's time
        "import time:      1418 |       5218 | pulumi_relaytask.aliyun.resource\n"
        "import time:       936 |        936 | pulumi_relaytask_other\n"
    )
    assert importtime_ms(stderr, "pulumi_relaytask") == pytest.approx(5.534)
    assert importtime_ms(stderr, "pulumi") == pytest.approx(183.153)
    with pytest.raises(ValueError, match="no top-level import"):
        importtime_ms(stderr, "pulumi_relaytask.core")
    # Imported while another module loads, its time is part of that module's.
    with pytest.raises(ValueError, match="no top-level import"):
        importtime_ms("import time:       209 |      51283 |   pulumi_relaytask\n", "pulumi_relaytask")


def test_the_machine_is_read_from_proc() -> None:
    cpuinfo = "processor\t: 0\nvendor_id\t: Example\nmodel name\t: Example CPU 3000 @ 2.0GHz\nflags\t: fpu\n"
    assert cpu_model(cpuinfo) == "Example CPU 3000 @ 2.0GHz"
    assert memory_gib("MemTotal:       24684544 kB\nMemFree:  1 kB\n") == pytest.approx(24684544 / 1024**2)
    with pytest.raises(ValueError):
        memory_gib("MemFree: 1 kB\n")


def test_tasks_are_scheduled_out_of_the_way_and_distinct() -> None:
    now = datetime(2030, 5, 6, 12, 34, 56, tzinfo=UTC)
    assert window(now) == ("2030-05-06T13:00:00Z", "2030-05-07T08:00:00Z")
    for cloud in CLOUDS:
        declared = tasks(cloud, 5, now)
        assert [t["name"] for t in declared] == ["t0", "t1", "t2", "t3", "t4"]
        assert {t["cloud"] for t in declared} == {cloud}
        assert all(t["args"]["start_time"] == "2030-05-06T13:00:00Z" for t in declared)
        destinations = {json.dumps({k: v for k, v in t["args"].items() if k != "source_urls"}) for t in declared}
        assert len(destinations) == 5


def test_tencent_tasks_are_capped_at_the_emulators_quota() -> None:
    emulator = EmulatorServer()  # never started: only its backends are read
    try:
        assert task_quota("tencent", emulator) == tencent_checks.LIMIT_TASK_NUM
        emulator.tencent.limit_task_num = 7
        assert task_quota("tencent", emulator) == 7
        assert task_quota("huawei", emulator) is None
        assert task_quota("aliyun", emulator) is None
    finally:
        emulator.stop()
    assert task_count(300, 200) == 200
    assert task_count(20, 200) == 20
    assert task_count(300, None) == 300


def test_the_import_target_holds_the_worst_reading_of_both_commands() -> None:
    # A program importing every cloud may cost more than the top level alone (which loads no cloud).
    assert ImportCost(7, 200.0, 201.0, 1.0, 205.0, 70.0).target_ms == 70.0
    assert ImportCost(7, 200.0, 262.0, 1.0, 205.0, 8.0).target_ms == 62.0
