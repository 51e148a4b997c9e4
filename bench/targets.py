"""The targets of issue 13, each checked against what was measured."""

from __future__ import annotations

from dataclasses import dataclass

from .results import Report
from .vendor import refresh_call_limit

STEP_RATIO = 1.3  # every step within 1.3x its floor...
NO_OP_RATIO = 1.15  # ...and an up with nothing to do within 1.15x
STATE_RATIO = 1.25  # state per task within 1.25x the trivial resource's
IMPORT_MS = 60.0  # importing the package beyond `import pulumi`


@dataclass(frozen=True)
class Target:
    name: str
    cloud: str  # "" for a target of the package as a whole
    measured: float
    limit: float
    unit: str  # "x" (a ratio), "ms", or "" (a count)

    @property
    def met(self) -> bool:
        return self.measured <= self.limit


def ratio_limit(step: str) -> float:
    return NO_OP_RATIO if step == "noop" else STEP_RATIO


def targets(report: Report) -> list[Target]:
    found: list[Target] = []
    for result in report.steps:
        limit = ratio_limit(result.step)
        found.append(Target(f"{result.label} ≤ {limit}x floor", result.cloud, result.ratio, limit, "x"))
        if result.step == "refresh":
            most = refresh_call_limit(result.cloud, result.tasks)
            found.append(
                Target(f"preview --refresh ≤ {most} API calls (one region)", result.cloud, result.total_calls, most, "")
            )
    for cloud in report.options.clouds:
        errors = sum(r.throttle_errors for r in report.steps if r.cloud == cloud)
        found.append(Target("0 throttling errors reaching the user", cloud, errors, 0, ""))
    for state in report.states:
        found.append(Target(f"state per task ≤ {STATE_RATIO}x floor", state.cloud, state.ratio, STATE_RATIO, "x"))
    found.append(Target(f"package import ≤ {IMPORT_MS:g} ms", "", report.imports.target_ms, IMPORT_MS, "ms"))
    return found
