"""The four CLI steps measured, in the order they run on a fresh stack."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    args: tuple[str, ...]


STEPS = (
    Step("up", "up (create)", ("up", "--yes", "--skip-preview")),
    Step("refresh", "preview --refresh", ("preview", "--refresh")),
    Step("noop", "up (no change)", ("up", "--yes", "--skip-preview")),
    Step("destroy", "destroy", ("destroy", "--yes", "--skip-preview")),
)
BY_KEY = {step.key: step for step in STEPS}
