"""One cloud's benchmark: its tasks and their floor on two fresh stacks, against a fresh emulator.

Each repetition runs the four steps on the cloud's stack, then the same four on the floor's stack,
so that drift of the machine over the run weighs on both alike.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pulumi_relaytask.emulator.server import EmulatorServer
from tests.e2e.conftest import configure_clouds
from tests.e2e.harness import TASKS_PROGRAM, PulumiProject, pulumi_env

from . import floor
from .events import EVENT_LOG_ENV, read_events, throttle_errors
from .results import Options, Sample, StateResult, StepResult, call_delta
from .state import ProviderPickle, provider_pickles, read_pickle
from .steps import STEPS, Step
from .tasks import tasks
from .vendor import rate_limit_floor, throttling_code

REPO = Path(__file__).resolve().parent.parent
PROJECT_NAME = "relaytask-bench"  # both stacks: the same URNs, so state sizes compare like for like
STEP_TIMEOUT = 1800.0  # seconds; retries give up far sooner (the provider's retry deadline is 120 s)
SIDES = ("cloud", "floor")


class BenchError(Exception):
    """The benchmark cannot go on; the message says why (a failed CLI step carries its output)."""


class Tracker:
    """The progress bar: the step running now (cloud, repetition, stack, step) and how many are done."""

    def __init__(self, console: Console, total: int) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        )
        self._task = self._progress.add_task("starting", total=total)

    def __enter__(self) -> Tracker:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def now(self, description: str) -> None:
        self._progress.update(self._task, description=description)

    def done(self) -> None:
        self._progress.advance(self._task)


@dataclass
class Stack:
    side: str  # "cloud" or "floor"
    project: PulumiProject
    event_log: Path


def task_quota(cloud: str, emulator: EmulatorServer) -> int | None:
    """The most tasks the account may hold in one region (only Tencent has a quota)."""
    return emulator.tencent.limit_task_num if cloud == "tencent" else None


def task_count(requested: int, quota: int | None) -> int:
    return requested if quota is None else min(requested, quota)


def bench_cloud(cloud: str, options: Options, root: Path, tracker: Tracker) -> tuple[list[StepResult], StateResult]:
    with EmulatorServer(latency_ms=options.latency_ms, rate_limits=True) as emulator:
        count = task_count(options.tasks, task_quota(cloud, emulator))
        declared = tasks(cloud, count, datetime.now(UTC))
        stacks = [_stack(side, root / cloud / side, emulator, options.floor_attributes) for side in SIDES]
        for stack in stacks:
            stack.project.write_tasks(declared)
        samples: dict[tuple[str, str], list[Sample]] = {}
        exports: dict[str, tuple[int, ProviderPickle]] = {}
        for repetition in range(1, options.repeat + 1):
            for stack in stacks:
                for step in STEPS:
                    tracker.now(f"{cloud} · repetition {repetition}/{options.repeat} · {stack.side} · {step.label}")
                    samples.setdefault((stack.side, step.key), []).append(run_step(stack, step, cloud, emulator))
                    if step.key == "up" and stack.side not in exports:
                        exports[stack.side] = _measure_state(stack.project)
                    tracker.done()
    results = [
        StepResult(
            cloud,
            step.key,
            step.label,
            count,
            tuple(samples["cloud", step.key]),
            tuple(samples["floor", step.key]),
            rate_limit_floor(cloud, step, count),
        )
        for step in STEPS
    ]
    (size, pickled), (floor_size, floor_pickled) = exports["cloud"], exports["floor"]
    if not floor_pickled.by_reference:
        raise BenchError(f"the floor's provider was pickled by value ({floor_pickled.globals}): it would not compare")
    return results, StateResult(cloud, count, size, floor_size, pickled, floor_pickled)


def _stack(side: str, root: Path, emulator: EmulatorServer, floor_attributes: bool) -> Stack:
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    # The floor's program imports bench.floor from the repository; both stacks get the same environment.
    env = pulumi_env(root, {"RELAYTASK_ENDPOINT": emulator.url, "PYTHONPATH": path, **EVENT_LOG_ENV})
    program = TASKS_PROGRAM if side == "cloud" else floor.ATTRIBUTES_PROGRAM if floor_attributes else floor.PROGRAM
    project = PulumiProject.create(root, env, program, name=PROJECT_NAME)
    configure_clouds(project, uuid.uuid4().hex)  # the floor too: the same config in both states
    return Stack(side, project, root / "events.jsonl")


def run_step(stack: Stack, step: Step, cloud: str, emulator: EmulatorServer) -> Sample:
    stack.event_log.unlink(missing_ok=True)
    calls, throttled = emulator.stats.snapshot()[cloud], emulator.stats.throttle_snapshot()[cloud]
    began = time.perf_counter()
    proc = stack.project.run(*step.args, "--event-log", str(stack.event_log), ok=False, timeout=STEP_TIMEOUT)
    seconds = time.perf_counter() - began
    errors = throttle_errors(read_events(stack.event_log), throttling_code(cloud))
    if proc.returncode != 0:
        raise BenchError(
            f"`pulumi {' '.join(step.args)}` of the {cloud} {stack.side} stack failed (exit {proc.returncode}, "
            f"{errors} throttling errors):\n{proc.stdout}\n{proc.stderr}"
        )
    return Sample(
        seconds,
        call_delta(calls, emulator.stats.snapshot()[cloud]),
        call_delta(throttled, emulator.stats.throttle_snapshot()[cloud]),
        errors,
    )


def _measure_state(project: PulumiProject) -> tuple[int, ProviderPickle]:
    """The size of the stack as stored, and the provider's pickle (read from the decrypted export)."""
    size = len(project.run("stack", "export").stdout.encode())
    plain: dict[str, Any] = json.loads(project.run("stack", "export", "--show-secrets").stdout)
    pickles = [read_pickle(value) for value in provider_pickles(plain["deployment"])]
    if not pickles:
        raise BenchError("the stack holds no dynamic provider after the create step")
    return size, max(pickles, key=lambda p: p.size)
