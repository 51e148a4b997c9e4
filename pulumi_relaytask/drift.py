"""The drift report: which relay tasks of a stack differ from the program, field by field.

It reads the engine events of a refresh preview (`drift_command` runs it): a task drifted when its
plan is an update or a replacement, or when the refresh found it gone (the plan then creates it
again). Its changes are computed by the provider's own diff (`core.diff.field_changes`) between the
refreshed outputs (live) and the program's checked inputs (desired), so cloud-computed attributes,
cloud-chosen values the program left out and provider-only arguments never count.

The engine's events carry every Pulumi secret masked, and the report keeps it that way: a secret
argument shows `[secret]`, except that a URL argument shows its `<name>_redacted` companion, whose
keys are fingerprints. A secret masked on both sides cannot be compared: it is named only when
nothing else explains the plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pulumi.runtime import rpc

from . import clouds
from .core.diff import field_changes
from .core.fields import Field, Rules
from .core.values import REDACTED_SUFFIX, UNKNOWN, holds, map_leaves, redact, redacted_name

SECRET = "[secret]"
"""How the report shows a secret value (the engine's own mark for it)."""
UNKNOWN_SHOWN = "[unknown]"
"""How the report shows a value not known until the program's other resources exist."""
_SECRET_SIG = "4dabf18193072939515e22adb298388d"
"""The key by which Pulumi's JSON marks a secret value."""
_TYPE = re.compile(r"^(?:pulumi-python:dynamic/|relaytask:)(?P<cloud>[a-z]+):RelayTask$")

Action = Literal["update", "replace", "gone"]


@dataclass(frozen=True)
class FieldDrift:
    path: str
    desired: Any
    live: Any


@dataclass(frozen=True)
class TaskDrift:
    resource: str
    urn: str
    cloud: str
    task_id: str | None
    action: Action
    fields: tuple[FieldDrift, ...] = ()


@dataclass(frozen=True)
class DriftReport:
    stack: str
    drifted: tuple[TaskDrift, ...]
    in_sync: int

    def as_json(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "drifted": [
                {
                    "resource": t.resource,
                    "urn": t.urn,
                    "cloud": t.cloud,
                    "task_id": t.task_id,
                    "action": t.action,
                    "fields": [{"path": f.path, "desired": f.desired, "live": f.live} for f in t.fields],
                }
                for t in self.drifted
            ],
            "in_sync": self.in_sync,
        }


class DriftError(Exception):
    """Why no report could be made, in one line without secrets."""


# -- the report, from the engine's events --------------------------------------------------------


def cloud_of(type_token: str) -> str | None:
    """The cloud key of a RelayTask's type token (`pulumi-python:dynamic/huawei:RelayTask`), else None."""
    match = _TYPE.match(type_token)
    return match["cloud"] if match and match["cloud"] in clouds.KEYS else None


def report_from_events(stack: str, events: Iterable[Any]) -> DriftReport:
    """The report of a refresh preview from its engine events (`automation.EngineEvent`)."""
    steps = [e.resource_pre_event.metadata for e in events if getattr(e, "resource_pre_event", None) is not None]
    refreshed = {s.urn: (s.old.id if s.old else None) or None for s in steps if _op(s) == "refresh"}
    drifted: list[TaskDrift] = []
    in_sync = 0
    for step in steps:
        key = cloud_of(step.type)
        op = _op(step)
        if key is None:
            continue
        if op == "same":
            in_sync += 1
        elif op in ("update", "replace") and step.old is not None and step.new is not None:
            action: Action = "update" if op == "update" else "replace"
            fields = drifted_fields(clouds.cloud(key).rules, step.old.outputs or {}, step.new.inputs or {})
            drifted.append(TaskDrift(_name(step.urn), step.urn, key, step.old.id or None, action, tuple(fields)))
        elif op == "create" and step.urn in refreshed:  # in the state, gone from the cloud
            drifted.append(TaskDrift(_name(step.urn), step.urn, key, refreshed[step.urn], "gone"))
    return DriftReport(stack, tuple(sorted(drifted, key=lambda t: (t.resource, t.urn))), in_sync)


def drifted_fields(rules: Rules, outputs: Mapping[str, Any], inputs: Mapping[str, Any]) -> list[FieldDrift]:
    """The changes between a step's refreshed outputs (live) and its new inputs (desired), secrets masked."""
    live_props, desired_props = _plain(outputs), _plain(inputs)
    names = rules.input_names()
    live = {n: live_props[n] for n in names if live_props.get(n) is not None}
    desired = {n: desired_props[n] for n in names if desired_props.get(n) is not None}
    masked = {n for n in names if holds(live.get(n), _is_secret) or holds(desired.get(n), _is_secret)}
    secret = set(rules.secrets_for(live)) | set(rules.secrets_for(desired)) | masked
    urls = {f.name: f for f in rules.url_fields}
    for name in secret & urls.keys():  # compared and shown by their redacted companions
        live[name] = _companion(urls[name], live_props, live.get(name))
        desired[name] = _companion(urls[name], desired_props, desired.get(name))
    hidden = secret - urls.keys()  # secrets without a redacted form: always shown as SECRET
    shown = [
        FieldDrift(c.path, _show(c.new, c.field in hidden), _show(c.old, c.field in hidden))
        for c in field_changes(rules, live, desired)
        if c.field in names and not c.field.endswith(REDACTED_SUFFIX)
    ]
    if shown:
        return shown
    # The plan changes something, yet no visible value differs: it is a value hidden on both sides.
    blind = [n for n in names if holds(live.get(n), _is_secret) or holds(desired.get(n), _is_secret)]
    return [FieldDrift(n, SECRET, SECRET) for n in blind]


def _op(step: Any) -> str:
    return str(getattr(step.op, "value", step.op))


def _name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _is_secret(value: Any) -> bool:
    return isinstance(value, str) and value == SECRET


def _plain(value: Any) -> Any:
    """An event's property value as the core compares it: secrets as `SECRET`, unknowns as the core's
    `UNKNOWN`, whole numbers as integers (Pulumi carries numbers as doubles)."""
    if isinstance(value, Mapping):
        return SECRET if _SECRET_SIG in value else {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str) and value == rpc.UNKNOWN:
        return UNKNOWN
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _companion(f: Field, props: Mapping[str, Any], value: Any) -> Any:
    """The `<name>_redacted` companion standing in for a URL argument's value on the side where it is
    secret. Without one, a plain value (no key: its own redacted form) stands for itself, and a secret one
    shows as `SECRET` (given as a secret without a key, or a state from before the companions)."""
    if value is None:
        return None
    companion = props.get(redacted_name(f.name))
    if companion is None:
        return SECRET if holds(value, _is_secret) else _with_defaults(f, redact(value))
    return _with_defaults(f, companion)


_FINGERPRINT = re.compile(r"<sha256:([0-9a-f]{8})>")
_STAND_IN = re.compile(r"relaytask-fp-([0-9a-f]{8})-")


def _with_defaults(f: Field, value: Any) -> Any:
    """A redacted value in its normal form (objects with their defaults filled in, as the diff does
    to raw values). A fingerprint is not a valid URL part, so it is swapped for a stand-in meanwhile."""
    if f.normalizer is None or holds(value, lambda v: v is UNKNOWN or _is_secret(v)):
        return value
    swapped = _map_strings(value, lambda s: _FINGERPRINT.sub(r"relaytask-fp-\1-", s))
    return _map_strings(f.normalizer(swapped), lambda s: _STAND_IN.sub(r"<sha256:\1>", s))


def _map_strings(value: Any, change: Callable[[str], str]) -> Any:
    return map_leaves(value, lambda leaf: change(leaf) if isinstance(leaf, str) else leaf)


def _show(value: Any, hidden: bool) -> Any:
    """A value as the report shows it: a secret that is not a URL argument is never shown."""
    if value is None:
        return None
    return SECRET if hidden else map_leaves(value, lambda leaf: UNKNOWN_SHOWN if leaf is UNKNOWN else leaf)
