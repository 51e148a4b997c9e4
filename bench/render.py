"""The report as JSON (every sample kept), as markdown for bench/RESULTS.md, and as terminal tables."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable

from pulumi_relaytask.emulator.gate import VENDORS

from .imports import PROGRAM, WITH_PACKAGE
from .results import Report, StepResult
from .targets import Target, targets
from .vendor import API, RateLimitFloor


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    notes: tuple[str, ...] = ()


def calls_text(calls: Mapping[str, int]) -> str:
    return ", ".join(f"{operation} x{n}" for operation, n in calls.items()) or "none"


def rate_limit_text(floor: RateLimitFloor) -> str:
    return f"{floor.seconds:.2f}{' (assumed)' if floor.assumed and floor.calls else ''}"


def rate_limit_note(cloud: str) -> str:
    """The calls each step of `cloud` cannot avoid, and the rates that bound them."""
    api, limits = API[cloud], VENDORS[cloud].rate_limits

    def rate(operation: str) -> str:
        return f"{limits.rate(operation):g}/s"

    text = (
        f"{cloud}: up, N x {api.create} at {rate(api.create)}; preview --refresh, ceil(N/{api.page_size}) x "
        f"{api.listing} at {rate(api.listing)}; destroy, N x {api.delete} at {rate(api.delete)}"
    )
    return text + ("; assumed rates: the vendor documents none" if not limits.documented else "")


def measured_text(target: Target) -> str:
    if target.unit == "x":
        return f"{target.measured:.2f}x"
    if target.unit == "ms":
        return f"{target.measured:.0f} ms"
    return f"{target.measured:g}"


def pickle_text(by_reference: bool, size: int) -> str:
    return f"{size} B, {'by reference' if by_reference else 'BY VALUE'}"


def tables(report: Report) -> list[Table]:
    steps = Table(
        "Steps: wall time (median) against the floor (engine floor + rate-limit floor)",
        (
            "cloud",
            "tasks",
            "step",
            "wall s",
            "floor s",
            "engine s",
            "rate limit s",
            "ratio",
            "API calls",
            "throttled (absorbed)",
            "throttling errors shown",
        ),
        [_step_row(result) for result in report.steps],
        tuple(rate_limit_note(cloud) for cloud in report.options.clouds),
    )
    state = Table(
        "State after the create step (pulumi stack export)",
        ("cloud", "tasks", "bytes per task", "floor bytes per task", "ratio", "provider pickle", "floor pickle"),
        [
            (
                s.cloud,
                str(s.tasks),
                f"{s.per_task:.0f}",
                f"{s.floor_per_task:.0f}",
                f"{s.ratio:.2f}",
                pickle_text(s.provider.by_reference, s.provider.size),
                pickle_text(s.floor_provider.by_reference, s.floor_provider.size),
            )
            for s in report.states
        ],
    )
    cost = report.imports
    imports = Table(
        f"Import cost beyond `import pulumi` ({cost.pulumi_ms:.0f} ms; medians of {cost.runs} fresh interpreters)",
        ("imports", "ms", "beyond import pulumi, ms", "-X importtime, ms"),
        [
            (WITH_PACKAGE, f"{cost.with_package_ms:.0f}", f"{cost.extra_ms:.0f}", f"{cost.importtime_ms:.0f}"),
            (PROGRAM, f"{cost.program_ms:.0f}", f"{cost.program_extra_ms:.0f}", f"{cost.program_importtime_ms:.0f}"),
        ],
    )
    goals = Table(
        "Targets",
        ("target", "cloud", "measured", "met"),
        [(t.name, t.cloud or "all", measured_text(t), "met" if t.met else "NOT MET") for t in targets(report)],
    )
    return [steps, state, imports, goals]


def _step_row(result: StepResult) -> tuple[str, ...]:
    return (
        result.cloud,
        str(result.tasks),
        result.label,
        f"{result.seconds:.2f}",
        f"{result.floor_seconds:.2f}",
        f"{result.engine_seconds:.2f}",
        rate_limit_text(result.rate_limit),
        f"{result.ratio:.2f}",
        calls_text(result.calls),
        calls_text(result.throttled) if result.throttled else "0",
        str(result.throttle_errors),
    )


def heading(report: Report) -> str:
    o = report.options
    return (
        f"{o.tasks} tasks per cloud (Tencent at most its quota), emulator latency {o.latency_ms:g} ms, "
        f"vendor rate limits on, median of {o.repeat} repetition{'s' if o.repeat != 1 else ''}; "
        f"{report.seconds:.0f} s in all"
        + ("; floor resources with every attribute of the RelayTask class" if o.floor_attributes else "")
    )


def markdown(report: Report) -> str:
    lines = [heading(report), "", f"Machine: {report.machine.describe()}", ""]
    for table in tables(report):
        lines += [f"### {table.title}", "", _md_row(table.headers), _md_row(tuple("---" for _ in table.headers))]
        lines += [_md_row(row) for row in table.rows]
        lines += ["", *(f"- {note}" for note in table.notes), *([""] if table.notes else [])]
    return "\n".join(lines)


def _md_row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def show(report: Report, console: Console) -> None:
    console.print(heading(report))
    console.print(f"Machine: {report.machine.describe()}")
    for table in tables(report):
        shown = RichTable(title=table.title, title_justify="left", caption="\n".join(table.notes) or None)
        shown.caption_justify = "left"
        for header in table.headers:
            shown.add_column(header, overflow="fold")
        for row in table.rows:
            shown.add_row(*row, style="red" if "NOT MET" in row or any("BY VALUE" in cell for cell in row) else None)
        console.print(shown)


def as_json(report: Report) -> dict[str, Any]:
    return {
        "machine": {**dataclasses.asdict(report.machine), "description": report.machine.describe()},
        "options": dataclasses.asdict(report.options),
        "seconds": report.seconds,
        "steps": [
            {
                "cloud": r.cloud,
                "step": r.step,
                "label": r.label,
                "tasks": r.tasks,
                "seconds": r.seconds,
                "engine_floor_seconds": r.engine_seconds,
                "rate_limit_floor": dataclasses.asdict(r.rate_limit),
                "floor_seconds": r.floor_seconds,
                "ratio": r.ratio,
                "calls": r.calls,
                "throttled": r.throttled,
                "throttle_errors": r.throttle_errors,
                "samples": [dataclasses.asdict(s) for s in r.samples],
                "floor_samples": [dataclasses.asdict(s) for s in r.floor_samples],
            }
            for r in report.steps
        ],
        "state": [
            {
                "cloud": s.cloud,
                "tasks": s.tasks,
                "bytes": s.bytes,
                "floor_bytes": s.floor_bytes,
                "per_task": s.per_task,
                "floor_per_task": s.floor_per_task,
                "ratio": s.ratio,
                "provider_pickle": {**dataclasses.asdict(s.provider), "by_reference": s.provider.by_reference},
                "floor_pickle": {**dataclasses.asdict(s.floor_provider), "by_reference": s.floor_provider.by_reference},
            }
            for s in report.states
        ],
        "import": {
            **dataclasses.asdict(report.imports),
            "extra_ms": report.imports.extra_ms,
            "program_extra_ms": report.imports.program_extra_ms,
        },
        "targets": [{**dataclasses.asdict(t), "met": t.met} for t in targets(report)],
    }
