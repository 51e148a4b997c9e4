"""The generic diff: desired inputs against the last known (or refreshed) state.

A plan is in place only when the cloud's update operation takes effect on this task and every
changed field is one it accepts; anything else is a replacement, known at preview time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from deepdiff import DeepDiff

from .fields import UNKNOWN, Rules


@dataclass(frozen=True)
class Plan:
    changed: tuple[str, ...]
    replaces: tuple[str, ...]

    @property
    def has_changes(self) -> bool:
        return bool(self.changed)

    @property
    def in_place(self) -> bool:
        return bool(self.changed) and not self.replaces


def changed_fields(rules: Rules, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Names of the inputs whose normalised values differ (unknown new values count as changed)."""
    before = rules.comparable(old, desired=new)
    after = rules.comparable(new)
    changed = {name for name, value in after.items() if value is UNKNOWN}
    delta = DeepDiff(
        {k: v for k, v in before.items() if k not in changed},
        {k: v for k, v in after.items() if k not in changed},
        verbose_level=0,
    )
    for path in delta.affected_root_keys:
        changed.add(str(path))
    order = rules.input_names()
    return sorted(changed, key=order.index)


def plan_changes(rules: Rules, old: Mapping[str, Any], new: Mapping[str, Any]) -> Plan:
    changed = changed_fields(rules, old, new)
    if not changed:
        return Plan((), ())
    if not rules.updates_take_effect(old):
        return Plan(tuple(changed), tuple(changed))
    fields = rules.by_name()
    replaces = tuple(name for name in changed if not fields[name].updatable)
    return Plan(tuple(changed), replaces)
