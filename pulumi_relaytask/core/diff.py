"""The generic diff: desired inputs against the last known (or refreshed) state.

A plan is in place only when the cloud's update operation takes effect on this task and every
changed field is one it accepts; anything else is a replacement, known at preview time. Each change
is also reported by its path (`source_urls[2]`, `watermark_list[0].width`) with the old and new
values, for preview warnings and the drift report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from deepdiff import DeepDiff

from .fields import Rules, has_unknown


@dataclass(frozen=True)
class Change:
    """One changed value: where (a path from the argument down), what it was, what it becomes.

    `secret` says the argument is stored as a secret: whoever shows the change must mask the values.
    A value not known yet is `fields.UNKNOWN`; a list item added or removed has None on the other side.
    """

    path: str
    old: Any
    new: Any
    secret: bool = False

    @property
    def field(self) -> str:
        return self.path.split("[", 1)[0].split(".", 1)[0]


@dataclass(frozen=True)
class Plan:
    changed: tuple[str, ...]
    replaces: tuple[str, ...]
    changes: tuple[Change, ...] = ()

    @property
    def has_changes(self) -> bool:
        return bool(self.changed)

    @property
    def in_place(self) -> bool:
        return bool(self.changed) and not self.replaces


def field_changes(rules: Rules, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every change between the normalised values, by path, in declaration order of the arguments.

    A value still unknown (anywhere inside it) counts as a change of the whole argument.
    """
    before = rules.comparable(old, desired=new)
    after = rules.comparable(new)
    secret = set(rules.secrets_for(old)) | set(rules.secrets_for(new))
    order = rules.input_names()
    unknown = sorted((name for name, value in after.items() if has_unknown(value)), key=order.index)
    changes = [Change(name, before.get(name), after[name], name in secret) for name in unknown]
    delta = DeepDiff(
        {k: v for k, v in before.items() if k not in unknown},
        {k: v for k, v in after.items() if k not in unknown},
        view="tree",
    )
    found: list[Change] = []
    for level in (level for levels in delta.values() for level in levels):
        path = _path(level.path(output_format="list"))
        found.append(Change(path, _side(level.t1), _side(level.t2), path_field(path) in secret))
    found.sort(key=lambda change: (order.index(change.field), change.path))
    return changes + found


def _side(value: Any) -> Any:
    """DeepDiff marks the missing side of an added or removed item with its own sentinel."""
    return None if type(value).__name__ == "NotPresent" else value


def _path(parts: list[Any]) -> str:
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def path_field(path: str) -> str:
    return Change(path, None, None).field


def changed_fields(rules: Rules, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Names of the inputs whose normalised values differ (unknown new values count as changed)."""
    names = {change.field for change in field_changes(rules, old, new)}
    return [name for name in rules.input_names() if name in names]


def plan_changes(rules: Rules, old: Mapping[str, Any], new: Mapping[str, Any]) -> Plan:
    changes = field_changes(rules, old, new)
    names = {change.field for change in changes}
    changed = [name for name in rules.input_names() if name in names]
    if not changed:
        return Plan((), ())
    if not rules.updates_take_effect(old):
        return Plan(tuple(changed), tuple(changed), tuple(changes))
    fields = rules.by_name()
    replaces = tuple(name for name in changed if not fields[name].in_place)
    return Plan(tuple(changed), replaces, tuple(changes))
