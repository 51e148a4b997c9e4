"""The generic diff: desired inputs against the last known (or refreshed) state.

A plan is in place only when the cloud's update operation takes effect on this task and every
changed field is one it accepts; anything else is a replacement, known at preview time. Each change
is also reported by its path (`source_urls[2]`, `watermark_list[0].width`) with the old and new
values: preview warnings say with them why a task is replaced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .fields import Field, Rules, format_path, path_field
from .values import has_unknown, redacted_name


@dataclass(frozen=True)
class Change:
    """One changed value: where (a path from the argument down), what it was, what it becomes.

    A value not known yet is `fields.UNKNOWN`; a list item added or removed has None on the other
    side. For a set-like argument the index counts in its sorted form. `secret` says the argument is
    stored as a secret: `shown` masks its values; a URL argument's values are never shown (its
    `<name>_redacted` companion shows them).
    """

    path: str
    old: Any
    new: Any
    secret: bool = False
    url: bool = False

    @property
    def field(self) -> str:
        return path_field(self.path)

    @property
    def shown(self) -> str:
        if self.url:  # it may be a secret the provider cannot see as one (a stream key in the path)
            return f"{self.path} changes (see {redacted_name(path_field(self.path))})"
        if self.secret:
            return f"{self.path} (a secret) changes"
        return f"{self.path}: {self.old!r} → {self.new!r}"


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
    """Every change between the normalised values, by path, in the declaration order of the arguments.

    A value still unknown (anywhere inside it) counts as a change of the whole argument.
    """
    before = rules.comparable(old, desired=new)
    after = rules.comparable(new)
    secret = set(rules.secrets_for(old)) | set(rules.secrets_for(new))
    order = rules.input_names()
    unknown = {name for name, value in after.items() if has_unknown(value)}
    found = [([name], before.get(name), after[name]) for name in unknown]
    known_before = {k: v for k, v in before.items() if k not in unknown}
    known_after = {k: v for k, v in after.items() if k not in unknown}
    if known_before != known_after:  # most diffs find nothing (every resource of a no-op `up`)
        found += _differences(known_before, known_after)
    # Arguments in declaration order; within one, by path with list indexes compared as numbers.
    found.sort(key=lambda item: (order.index(item[0][0]), [(isinstance(p, str), p) for p in item[0][1:]]))
    urls = {f.name for f in rules.url_fields}
    return [Change(format_path(parts), was, now, parts[0] in secret, parts[0] in urls) for parts, was, now in found]


def _differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[tuple[list[Any], Any, Any]]:
    """Where two values differ: each path, with the value before and after (None where absent)."""
    # Loaded on the first change found: a provider process that finds none never needs it.
    from deepdiff import DeepDiff
    from deepdiff.helper import notpresent

    def present(value: Any) -> Any:
        return None if value is notpresent else value

    delta = DeepDiff(before, after, view="tree")
    levels = [level for found in delta.values() for level in found]
    return [(level.path(output_format="list"), present(level.t1), present(level.t2)) for level in levels]


def plan_changes(rules: Rules, old: Mapping[str, Any], new: Mapping[str, Any]) -> Plan:
    changes = field_changes(rules, old, new)
    names = {change.field for change in changes}
    changed = [name for name in rules.input_names() if name in names]
    if not changed:
        return Plan((), ())
    if not rules.updates_take_effect(old):
        return Plan(tuple(changed), tuple(changed), tuple(changes))
    fields = rules.by_name()
    replaces = tuple(name for name in changed if not fields[name].in_place or _cleared(fields[name], old, new))
    return Plan(tuple(changed), replaces, tuple(changes))


def _cleared(f: Field, old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """An argument removed that the update operation cannot remove."""
    return f.kept_when_cleared and new.get(f.name) in (None, "", []) and old.get(f.name) not in (None, "", [])
