"""`python -m bench` (`make bench`): the options, the run, and where the results go."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from tests.e2e.harness import PULUMI, VENV_BIN

from . import imports
from .machine import describe
from .render import as_json, markdown, show
from .results import Options, Report, StateResult, StepResult
from .run import REPO, BenchError, Tracker, bench_cloud
from .steps import STEPS
from .vendor import CLOUDS

IMPORT_RUNS = 7


def clouds(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(c.strip() for c in text.split(",") if c.strip()))
    unknown = [c for c in chosen if c not in CLOUDS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"clouds are a comma-separated list of {', '.join(CLOUDS)}")
    return chosen


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="Time the Pulumi CLI's steps on relay tasks against the emulator, each against its floor "
        "(trivial dynamic resources plus the vendor's rate limit), and write bench/out/latest.{json,md}.",
    )
    p.add_argument("--tasks", type=positive, default=300, help="tasks per cloud (Tencent: at most its quota)")
    p.add_argument("--clouds", type=clouds, default=CLOUDS, help="comma-separated, run in this order")
    p.add_argument("--repeat", type=positive, default=3, help="repetitions; wall times are their median")
    p.add_argument("--latency-ms", type=float, default=30.0, help="added by the emulator to every API answer")
    p.add_argument(
        "--floor-attributes",
        action="store_true",
        help="give each floor resource every attribute of the typed RelayTask class, not only the task's arguments",
    )
    p.add_argument("--out", type=Path, default=REPO / "bench" / "out", help="where latest.json and latest.md go")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    options = Options(args.tasks, args.clouds, args.repeat, args.latency_ms, args.floor_attributes)
    if not PULUMI.exists():
        print(f"{PULUMI} is missing: run `make pulumi` (or `make bench`, which builds it)", file=sys.stderr)
        return 1
    began = time.perf_counter()
    steps: list[StepResult] = []
    states: list[StateResult] = []
    total = IMPORT_RUNS + len(options.clouds) * options.repeat * 2 * len(STEPS)
    try:
        with tempfile.TemporaryDirectory(prefix="relaytask-bench-") as tmp, Tracker(Console(stderr=True), total) as t:
            t.now("import cost")
            cost = imports.measure(VENV_BIN / "python", IMPORT_RUNS, t.done)
            for cloud in options.clouds:
                cloud_steps, state = bench_cloud(cloud, options, Path(tmp), t)
                steps += cloud_steps
                states.append(state)
    except BenchError as failure:
        print(f"bench: {failure}", file=sys.stderr)
        return 1
    report = Report(describe(PULUMI, REPO), options, tuple(steps), tuple(states), cost, time.perf_counter() - began)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(as_json(report), indent=2) + "\n")
    (args.out / "latest.md").write_text(markdown(report))
    # Piped to a log, the tables keep their width rather than folding at 80 columns.
    show(report, Console(width=None if sys.stdout.isatty() else 200))
    print(f"\nwritten: {args.out / 'latest.json'}, {args.out / 'latest.md'}")
    return 0
