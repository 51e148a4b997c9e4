"""Field rules: what a cloud's API lets an update change, what is secret, how values compare.

Each cloud declares its fields once (in `<cloud>/rules.py`); the generic diff engine, the provider
and the schema generator read them from here. Provider code never names a cloud's field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import timefmt


class _Unknown:
    """A value not known yet (a preview whose input depends on an unresolved output)."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


@dataclass(frozen=True)
class Field:
    """One argument of a relay-task resource."""

    name: str
    description: str
    updatable: bool = False
    """The cloud's update operation can change it in place."""
    secret: bool = False
    """Stored as a Pulumi secret (push args, URLs carrying auth keys)."""
    set_like: bool = False
    """A list whose order carries no meaning (compared sorted). Playlists are never set-like."""
    time: bool = False
    """An RFC 3339 time, compared as an instant."""
    default: Any = None
    """The value the cloud assumes when the argument is absent."""
    cloud_chosen: bool = False
    """When the argument is absent the cloud picks a value (e.g. start time = now): no diff then."""
    instruction: bool = False
    """Sent with an update but never stored by the cloud: a change alone makes no diff and no call."""
    unread: bool = False
    """The API does not list it back (or lists what the provider last set, e.g. a resume position):
    the last applied value stands in, so it never shows drift."""
    type_name: str = "string"
    """Schema type: string, integer, boolean, array<string>, array<object>."""
    normalizer: Callable[[Any], Any] | None = None
    """A canonical form of its own (e.g. defaults inside list items), applied before comparison."""


@dataclass(frozen=True)
class Rules:
    """Every field of one cloud's task and the update rule of its API."""

    cloud: str
    fields: tuple[Field, ...]
    updates_take_effect: Callable[[Mapping[str, Any]], bool] = lambda _old: True
    """Whether the update operation has any effect on a task with these (old) properties."""
    outputs: tuple[Field, ...] = field(default_factory=tuple)
    """Output-only attributes (observed state): never a cause of diff."""
    plan_notes: Callable[[Mapping[str, Any], Mapping[str, Any], tuple[str, ...], datetime], list[str]] = (
        lambda _old, _new, _changed, _now: []
    )
    """Warnings shown by `pulumi preview` for an in-place plan (old props, new inputs, changed names, now)."""

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.cloud}: duplicate field names")

    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    @property
    def secret_names(self) -> list[str]:
        return sorted(f.name for f in self.fields if f.secret)

    def sent_value(self, name: str, new: Mapping[str, Any]) -> Any:
        """The value an update sends for `name`: the new one, or, when the argument was removed, what
        restores the API's default (the default itself, else `[]` or `""`, which clear it)."""
        value = new.get(name)
        if value is not None:
            return value
        f = self.by_name()[name]
        if f.default is not None:
            return f.default
        return [] if f.type_name.startswith("array") else ""

    def input_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def pick_inputs(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """The declared inputs present in `props` (drops outputs and Pulumi's own keys)."""
        return {f.name: props[f.name] for f in self.fields if props.get(f.name) is not None}

    def comparable(self, props: Mapping[str, Any], *, desired: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Normalised values of the comparable inputs, so a task read back unchanged never diffs.

        `desired` (the user's inputs) decides whether a cloud-chosen field takes part: when the user
        left it out, whatever the cloud chose is accepted.
        """
        wanted = desired if desired is not None else props
        result: dict[str, Any] = {}
        for f in self.fields:
            if f.instruction:
                continue
            if f.cloud_chosen and wanted.get(f.name) is None:
                continue
            result[f.name] = normalize_value(f, props.get(f.name))
        return result


def normalize_value(f: Field, value: Any) -> Any:
    """The canonical form of one value: defaults applied, times as UTC `Z`, sets sorted."""
    if value is UNKNOWN:
        return value
    if value is None or value == "" or value == []:
        value = f.default
    if value is None:
        return None
    if f.normalizer is not None:
        return f.normalizer(value)
    if f.time and isinstance(value, str):
        try:
            return timefmt.normalize(value)
        except ValueError:
            return value
    if isinstance(value, (list, tuple)):
        items = [str(v) if not isinstance(v, (dict, list)) else v for v in value]
        return sorted(items) if f.set_like else items
    if f.type_name == "integer" and isinstance(value, (int, float, str)) and str(value).lstrip("-").isdigit():
        return int(value)
    return value
