"""The generic life of a relay task: check, diff, create, read, update, delete.

It knows nothing of Pulumi's wire format or of any one cloud: a cloud plugs in its field rules, its
argument model and an `Operations` object that talks to its API. The dynamic provider (and later a
native provider) is a thin shell over this class.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from ..errors import InconsistentStateError, ValidationError
from .call import deadline_scope
from .clock import Clock, SystemClock
from .diff import Plan, plan_changes
from .fields import Rules
from .model import CheckContext, TaskArgs, check_inputs


class Operations(Protocol):
    """What one cloud's API does for the lifecycle. `live` dicts hold inputs and outputs by name."""

    deadline: float
    """Seconds one resource operation (all its calls and retries) may take."""

    def create(self, inputs: Mapping[str, Any]) -> str: ...

    def read(self, task_id: str, known: Mapping[str, Any]) -> dict[str, Any] | None:
        """The task as the cloud lists it now, or None when it no longer exists.

        `known` holds the last known properties (e.g. the region a task lives in)."""
        ...

    def update(
        self, task_id: str, old: Mapping[str, Any], new: Mapping[str, Any], changed: tuple[str, ...]
    ) -> None: ...

    def delete(self, task_id: str, known: Mapping[str, Any]) -> None:
        """Delete the task; a task already gone is not an error."""
        ...


class Lifecycle:
    def __init__(
        self,
        rules: Rules,
        model: type[TaskArgs],
        operations: Callable[[], Operations],
        clock: Clock | None = None,
    ) -> None:
        self.rules = rules
        self.model = model
        self.clock = clock or SystemClock()
        # Built on first use: check and diff need no credentials and make no call.
        self._make_operations = operations
        self._operations: Operations | None = None
        self._lock = threading.Lock()

    @property
    def operations(self) -> Operations:
        with self._lock:
            if self._operations is None:
                self._operations = self._make_operations()
            return self._operations

    # -- planning (no API call) -------------------------------------------------------------
    def check(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> tuple[dict[str, Any], list[ValidationError]]:
        """The inputs to send (normalised by the model) and the violations, before any call.

        The redacted companions of URL arguments join the checked inputs, so a preview shows which
        entry of a secret playlist changes."""
        previous = self.rules.pick_inputs(olds) if olds else None
        derived = set(self.rules.derived_names())  # the resource class sends them; the provider sets them
        inputs = {name: value for name, value in news.items() if name not in derived and not name.startswith("__")}
        checked, failures = check_inputs(self.model, inputs, CheckContext(now=self.clock.now(), previous=previous))
        return {**checked, **self.rules.redacted(checked)}, failures

    def diff(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Plan:
        return plan_changes(self.rules, olds, self.rules.pick_inputs(news))

    def notes(self, olds: Mapping[str, Any], news: Mapping[str, Any], plan: Plan) -> list[str]:
        """What a user must know about applying this plan: why a task is replaced (the engine shows no
        reason for a dynamic resource), or what an in-place change does (e.g. interrupt the push)."""
        if plan.replaces:
            return [self._replacement_note(plan)]
        if not plan.in_place:
            return []
        return self.rules.plan_notes(olds, self.rules.pick_inputs(news), plan.changed, self.clock.now())

    def _replacement_note(self, plan: Plan, most: int = 5) -> str:
        rules = self.rules
        if set(plan.replaces) == set(plan.changed) and all(rules.by_name()[n].in_place for n in plan.replaces):
            why = f"{rules.update_operation} changes a task in place only {rules.in_place_condition}"
        else:
            why = f"{rules.update_operation} cannot change {', '.join(plan.replaces)}"
        shown = [change.shown for change in plan.changes[:most]]
        more = f" and {len(plan.changes) - most} more" if len(plan.changes) > most else ""
        return f"replaced (the old task is deleted first): {why}; {'; '.join(shown)}{more}"

    # -- calls --------------------------------------------------------------------------------
    def create(self, inputs: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        with deadline_scope(self.operations.deadline):
            return self._create(inputs)

    def _create(self, inputs: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        desired = self.rules.pick_inputs(inputs)
        task_id = self.operations.create(desired)
        live = self.operations.read(task_id, desired)
        if live is None:
            raise InconsistentStateError(f"{self.rules.cloud}: task {task_id} was created but cannot be read back")
        return task_id, self.outputs(live, desired)

    def read(self, task_id: str, props: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(outputs, inputs) as the cloud has them now, or None when the task is gone."""
        known = self.rules.pick_inputs(props)
        with deadline_scope(self.operations.deadline):
            live = self.operations.read(task_id, known)
        if live is None:
            return None
        return self.outputs(live, known), self.live_inputs(live, known)

    def update(self, task_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
        with deadline_scope(self.operations.deadline):
            return self._update(task_id, olds, news)

    def _update(self, task_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
        desired = self.rules.pick_inputs(news)
        plan = plan_changes(self.rules, olds, desired)
        if plan.replaces:
            # The engine only calls update for in-place plans; reaching here means the plan changed.
            raise InconsistentStateError(f"{self.rules.cloud}: {', '.join(plan.replaces)} cannot change in place")
        if plan.changed:
            self.operations.update(task_id, olds, desired, plan.changed)
        live = self.operations.read(task_id, {**self.rules.pick_inputs(olds), **desired})
        if live is None:
            raise InconsistentStateError(f"{self.rules.cloud}: task {task_id} disappeared during the update")
        return self.outputs(live, desired)

    def delete(self, task_id: str, props: Mapping[str, Any]) -> None:
        with deadline_scope(self.operations.deadline):
            self.operations.delete(task_id, self.rules.pick_inputs(props))

    # -- shaping ------------------------------------------------------------------------------
    def outputs(self, live: Mapping[str, Any], desired: Mapping[str, Any]) -> dict[str, Any]:
        """Every input and output attribute; instructions (never stored by the cloud) echo the desired value."""
        outs: dict[str, Any] = {}
        for f in self.rules.fields:
            # What the cloud never returns (instructions, unread fields) is what was last applied.
            echo = f.instruction or f.unread
            outs[f.name] = desired.get(f.name) if echo else live.get(f.name)
        for f in self.rules.outputs:
            outs[f.name] = live.get(f.name)
        return {**outs, **self.rules.redacted(outs)}

    def live_inputs(self, live: Mapping[str, Any], known: Mapping[str, Any]) -> dict[str, Any]:
        """The inputs that would reproduce the live task, for `ReadResult.inputs` (drift shows up)."""
        inputs: dict[str, Any] = {}
        for f in self.rules.fields:
            if f.instruction or f.unread:
                value = known.get(f.name)
            elif f.name in known or live.get(f.name) not in (None, "", [], f.default):
                value = live.get(f.name)
            else:
                continue
            if value is not None:
                inputs[f.name] = value
        return {**inputs, **self.rules.redacted(inputs)}
