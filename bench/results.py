"""What one benchmark measured: samples of each step for the cloud and its floor, state, import cost.

Every figure shown is derived here from the raw samples, which the JSON output keeps as well.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .imports import ImportCost
from .machine import Machine
from .state import ProviderPickle
from .vendor import RateLimitFloor


def call_delta(before: Mapping[str, int], after: Mapping[str, int]) -> dict[str, int]:
    """The calls made between two snapshots of one cloud's counts, by operation (none left out as 0)."""
    return dict(sorted((Counter(after) - Counter(before)).items()))


def most(counts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """Per operation, the most calls any one repetition made."""
    merged: Counter[str] = Counter()
    for one in counts:
        merged |= Counter(one)
    return dict(sorted(merged.items()))


@dataclass(frozen=True)
class Sample:
    """One run of one step."""

    seconds: float
    calls: dict[str, int]  # API calls by operation, from the emulator's counts
    throttled: dict[str, int]  # of those, refused by the rate limits (and retried by the provider)
    throttle_errors: int  # errors carrying the throttling code that the run reported to its user


@dataclass(frozen=True)
class StepResult:
    cloud: str
    step: str  # Step.key
    label: str
    tasks: int
    samples: tuple[Sample, ...]
    floor_samples: tuple[Sample, ...]  # the same step of the trivial resources
    rate_limit: RateLimitFloor

    @property
    def seconds(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def engine_seconds(self) -> float:
        return statistics.median(s.seconds for s in self.floor_samples)

    @property
    def floor_seconds(self) -> float:
        return self.engine_seconds + self.rate_limit.seconds

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor_seconds

    @property
    def calls(self) -> dict[str, int]:
        return most(s.calls for s in self.samples)

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    @property
    def throttled(self) -> dict[str, int]:
        return most(s.throttled for s in self.samples)

    @property
    def throttle_errors(self) -> int:
        return sum(s.throttle_errors for s in self.samples)


@dataclass(frozen=True)
class StateResult:
    cloud: str
    tasks: int
    bytes: int  # `pulumi stack export` after the create step
    floor_bytes: int
    provider: ProviderPickle
    floor_provider: ProviderPickle

    @property
    def per_task(self) -> float:
        return self.bytes / self.tasks

    @property
    def floor_per_task(self) -> float:
        return self.floor_bytes / self.tasks

    @property
    def ratio(self) -> float:
        return self.bytes / self.floor_bytes


@dataclass(frozen=True)
class Options:
    tasks: int
    clouds: tuple[str, ...]
    repeat: int
    latency_ms: float
    floor_attributes: bool = False
    """The floor's resources carry every attribute of the typed class (unset ones as None), not only the
    task's arguments: what the Pulumi SDK and engine cost per property, without any provider work."""


@dataclass(frozen=True)
class Report:
    machine: Machine
    options: Options
    steps: tuple[StepResult, ...]
    states: tuple[StateResult, ...]
    imports: ImportCost
    seconds: float  # the whole benchmark
