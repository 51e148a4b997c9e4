"""Exactly-once creates: is the task that now holds a destination the one this resource asked for?

A create whose answer was lost (or that a timeout or a 5xx left in doubt) may have made its task.
Before sending it again, and when the cloud says the destination is taken, the cloud's operations
look up the task at the destination and ask `holder_id`: a task that matches what was sent is ours
and is taken; one that does not is somebody else's, and the create fails saying which task holds it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..errors import ConflictError, DestinationTakenError
from .diff import field_changes
from .fields import Rules


def differences(rules: Rules, desired: Mapping[str, Any], live: Mapping[str, Any]) -> list[str]:
    """Arguments whose live value differs from the desired one (what the cloud never lists back and the
    run state are not compared)."""
    fields = rules.by_name()
    names = {change.field for change in field_changes(rules, live, desired)}
    return [
        name
        for name in rules.input_names()
        if name in names and name != "status" and not fields[name].unread and not fields[name].instruction
    ]


def create_or_take(create: Callable[[], str], holder: Callable[[], str | None]) -> str:
    """Create; when the cloud says the destination is taken, take its holder if it is ours
    (`holder` raises DestinationTakenError when it is not)."""
    try:
        return create()
    except ConflictError:
        found = holder()
        if found is None:
            raise
        return found


def applied_to(rules: Rules, desired: Mapping[str, Any], live: Mapping[str, Any], changed: tuple[str, ...]) -> bool:
    """Whether a modify of `changed` shows in the live task; never for a field the cloud does not list back."""
    fields = rules.by_name()
    if any(fields[name].unread for name in changed):
        return False
    if "status" in changed and live.get("status") != desired.get("status", "enable"):
        return False
    return not set(differences(rules, desired, live)) & set(changed)


def holder_id(rules: Rules, desired: Mapping[str, Any], task_id: str, live: Mapping[str, Any]) -> str:
    """`task_id` when the live task is what `desired` asks for; DestinationTakenError otherwise."""
    differ = differences(rules, desired, live)
    if differ:
        raise DestinationTakenError(rules.cloud, task_id, differ)
    return task_id
