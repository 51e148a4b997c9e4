"""Benchmark: API calls and wall time of each CLI step for N relay tasks (not part of `make test`).

    .venv/bin/python scripts/bench.py [--tasks N] [--cloud huawei|tencent|aliyun]

Runs the real Pulumi CLI against an in-process emulator on a temporary file backend and prints,
for up (create), preview, preview --refresh, up (no change) and destroy, the seconds taken and
the API calls made, by operation.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi_relaytask.emulator.server import EmulatorServer
from tests.conftest import DEMO_AK
from tests.e2e.conftest import configure_clouds
from tests.e2e.harness import PulumiProject, pulumi_env


def task(cloud: str, i: int, start: str, end: str) -> dict[str, Any]:
    urls = [f"http://media.example.com/{i}/{n}.mp4" for n in range(3)]
    args: dict[str, Any] = {
        "huawei": {
            "source_type": "PullVodPushLive",
            "source_urls": urls,
            "destination_url": f"rtmp://push.example.com/bench/{i}",
            "start_time": start,
            "end_time": end,
        },
        "tencent": {
            "source_type": "PullVodPushLive",
            "source_urls": urls,
            "domain_name": "push.example.com",
            "app_name": "bench",
            "stream_name": f"s{i}",
            "start_time": start,
            "end_time": end,
        },
        "aliyun": {
            "source_type": "url",
            "source_urls": urls,
            "dst_url": f"rtmp://push.example.com/bench/{i}",
            "start_time": start,
            "end_time": end,
        },
    }[cloud]
    return {"name": f"t{i}", "cloud": cloud, "args": args}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=10)
    parser.add_argument("--cloud", choices=("huawei", "tencent", "aliyun"), default="huawei")
    options = parser.parse_args()
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    start, end = (
        (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        (now + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    with tempfile.TemporaryDirectory() as tmp, EmulatorServer() as emulator:
        root = Path(tmp)
        project = PulumiProject.create(root, pulumi_env(root, {"RELAYTASK_ENDPOINT": emulator.url}))
        configure_clouds(project, "bench-project")
        project.write_tasks([task(options.cloud, i, start, end) for i in range(options.tasks)])
        print(f"{options.tasks} {options.cloud} tasks, Pulumi CLI against the emulator (account {DEMO_AK})")
        print(f"{'step':<26}{'seconds':>9}  API calls")
        for label, args in (
            ("up (create)", ("up", "--yes", "--skip-preview")),
            ("preview", ("preview",)),
            ("preview --refresh", ("preview", "--refresh")),
            ("up (no change)", ("up", "--yes", "--skip-preview")),
            ("destroy", ("destroy", "--yes", "--skip-preview")),
        ):
            before = Counter(emulator.stats.snapshot()[options.cloud])
            began = time.perf_counter()
            project.run(*args)
            seconds = time.perf_counter() - began
            delta = Counter(emulator.stats.snapshot()[options.cloud]) - before
            made = ", ".join(f"{op} x{n}" for op, n in sorted(delta.items())) or "none"
            print(f"{label:<26}{seconds:>9.2f}  {made}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
