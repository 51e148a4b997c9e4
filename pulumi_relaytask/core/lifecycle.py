"""The generic life of a relay task: check, diff, create, read, update, delete.

It knows nothing of Pulumi's wire format or of any one cloud: a cloud plugs in its field rules, its
argument model and an `Operations` object that talks to its API. The dynamic provider (and later a
native provider) is a thin shell over this class.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

from ..errors import AdoptionError, DestinationTakenError, InconsistentStateError, ValidationError
from .clock import Clock, SystemClock
from .deadline import deadline_scope
from .diff import Change, Plan, plan_changes
from .fields import Rules
from .interruption import in_place_warning, replacement_warning
from .model import ADOPT_TASK_ID, CheckContext, TaskArgs, check_inputs

GIVEN = "__inputs"
"""Output key: the names of the inputs the program gave (a refresh reports only those, and drift)."""


class Operations(Protocol):
    """What one cloud's API does for the lifecycle. `live` dicts hold inputs and outputs by name."""

    deadline: float
    """Seconds one resource operation (all its calls and retries) may take."""

    def create(self, inputs: Mapping[str, Any]) -> str: ...

    def read(self, task_id: str, known: Mapping[str, Any], *, listed: bool = False) -> dict[str, Any] | None:
        """The task as the cloud has it now, or None when it no longer exists.

        `known` holds the last known properties (e.g. the region a task lives in). `listed` (a refresh):
        it may come from a listing this process read moments ago (core/listing.py); otherwise it is read on
        its own, now (a read-back after a write)."""
        ...

    def update(
        self, task_id: str, old: Mapping[str, Any], new: Mapping[str, Any], changed: tuple[str, ...]
    ) -> None: ...

    def delete(self, task_id: str, known: Mapping[str, Any]) -> None:
        """Delete the task; a task already gone is not an error."""
        ...

    def list_tasks(self, region: str | None) -> Iterator[dict[str, Any]]:
        """Every task of the account (in `region`, for a cloud that lists by region), page after page,
        each as `read` returns it (with its `task_id`)."""
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
        self._known: set[str] = set()
        """Task ids and `adopt_task_id`s of resources already in the stack that this run diffed or deleted:
        a create naming one of them is a replacement, which makes a new task."""
        self._adopted: set[str] = set()
        """Tasks adopted by creates of this run: a delete of one in the same run (a resource renamed
        without an alias) would remove the task just taken over."""

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
        # The engine checks a replacement's inputs afresh (no olds) and its create gets only them, so a
        # resource already in the stack is remembered, for this run: its create must make a new task.
        self._remember(olds.get(ADOPT_TASK_ID), news.get(ADOPT_TASK_ID))
        return plan_changes(self.rules, olds, self.rules.pick_inputs(news))

    def _remember(self, *task_ids: Any) -> None:
        with self._lock:
            self._known.update(str(task_id) for task_id in task_ids if task_id)

    def notes(self, olds: Mapping[str, Any], news: Mapping[str, Any], plan: Plan) -> list[str]:
        """What a user must know about applying this plan: why a task is replaced (the engine shows no
        reason for a dynamic resource), and whether it interrupts a push that is running (or will be by
        the time the plan is applied)."""
        if not plan.has_changes:
            return []
        notes = [self._replacement_note(plan)] if plan.replaces else []
        if not self.rules.running(olds, self.clock.now()):
            return notes
        if plan.replaces:
            notes.append(replacement_warning(plan.replaces))
        elif (how := self.rules.interrupts(olds, self.rules.pick_inputs(news), plan.changed)) is not None:
            notes.append(in_place_warning(how))
        return notes

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
        sent = self.rules.cloud_inputs(desired)
        adopt = desired.get(ADOPT_TASK_ID)
        with self._lock:
            adopting = adopt is not None and str(adopt) not in self._known
        live: dict[str, Any] | None = None
        try:
            if adopting:
                task_id = str(adopt)
                live = self._adopt(task_id, sent)
            else:
                task_id = self.operations.create(sent)
        except DestinationTakenError as taken:
            if adopt is None or taken.task_id != str(adopt):
                raise
            raise DestinationTakenError(self.rules.cloud, taken.task_id, taken.differences, adopted=True) from None
        if adopting:
            with self._lock:
                self._adopted.add(task_id)
        if live is None:
            live = self.operations.read(task_id, sent)
        if live is None:
            raise InconsistentStateError(f"{self.rules.cloud}: task {task_id} was created but cannot be read back")
        return task_id, self.outputs(live, desired, given=desired)

    def _adopt(self, task_id: str, desired: Mapping[str, Any]) -> dict[str, Any] | None:
        """Take over an existing task: change what can change in place, refuse (before any change) what
        would need a replacement. The task as read when nothing was changed (no read-back needed), else None."""
        cloud = self.rules.cloud
        live = self.operations.read(task_id, desired)
        if live is None:
            where = f" in region {desired['region']}" if desired.get("region") else ""
            raise AdoptionError(
                f"{cloud}: adopt_task_id {task_id!r}: no such task{where}. If it was deleted, leave out "
                "adopt_task_id to create a new task."
            )
        # What the cloud never lists back (or lists as the provider last set it, e.g. a resume position)
        # cannot be compared: the declared value, or its absence, is taken as is.
        unread = {f.name: desired.get(f.name) for f in self.rules.fields if f.unread}
        plan = plan_changes(self.rules, {**live, **unread}, desired)
        if plan.replaces:
            differ = [_live_value(change) for change in plan.changes if change.field in plan.replaces]
            raise AdoptionError(
                f"{cloud}: cannot adopt task {task_id}: {self.rules.update_operation} cannot change "
                f"{', '.join(plan.replaces)} in place, and adopting never replaces a task. Live values: "
                f"{'; '.join(differ)}. Declare these as live, or leave out adopt_task_id. Nothing was changed."
            )
        # A create is never diffed, so no preview could warn: an interruption is refused instead.
        how = self.rules.interrupts(live, desired, plan.changed) if plan.changed else None
        if how is not None and self.rules.running(live, self.clock.now()):
            differ = [_live_value(change) for change in plan.changes]
            raise AdoptionError(
                f"{cloud}: cannot adopt task {task_id} as declared: it is pushing now, and {how}. Live values: "
                f"{'; '.join(differ)}. Adopt it as it is live, then make the change: its preview warns of "
                "the interruption. Nothing was changed."
            )
        if not plan.changed:
            return live
        self.operations.update(task_id, live, desired, plan.changed)
        return None

    def read(self, task_id: str, props: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(outputs, inputs) as the cloud has them now, or None when the task is gone."""
        known = self.rules.pick_inputs(props)
        given = props.get(GIVEN)
        with deadline_scope(self.operations.deadline):
            live = self.operations.read(task_id, self.rules.cloud_inputs(known), listed=True)
        if live is None:
            return None
        given_names = None if given is None else set(given)
        return self.outputs(live, known, given=given), self.live_inputs(live, known, given_names)

    def update(self, task_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
        with deadline_scope(self.operations.deadline):
            return self._update(task_id, olds, news)

    def _update(self, task_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
        desired = self.rules.pick_inputs(news)
        sent = self.rules.cloud_inputs(desired)
        plan = plan_changes(self.rules, olds, desired)
        if plan.replaces:
            # The engine only calls update for in-place plans; reaching here means the plan changed.
            raise InconsistentStateError(f"{self.rules.cloud}: {', '.join(plan.replaces)} cannot change in place")
        if plan.changed:
            self.operations.update(task_id, olds, sent, plan.changed)
        live = self.operations.read(task_id, {**self.rules.cloud_inputs(olds), **sent})
        if live is None:
            raise InconsistentStateError(f"{self.rules.cloud}: task {task_id} disappeared during the update")
        return self.outputs(live, desired, given=desired)

    def delete(self, task_id: str, props: Mapping[str, Any]) -> str | None:
        """Delete the task; or, when a create of this run adopted it, keep it and say why."""
        with self._lock:
            if task_id in self._adopted:
                return (
                    f"task {task_id} is not deleted: another resource of this stack adopted it in this run "
                    "(a resource renamed without an alias?)"
                )
        self._remember(task_id, props.get(ADOPT_TASK_ID))
        with deadline_scope(self.operations.deadline):
            self.operations.delete(task_id, self.rules.cloud_inputs(props))
        return None

    def listed(self, region: str | None) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every task of the account as (task id, the inputs that declare it as it is live), for an import,
        one at a time as the pages are read."""
        for live in self.operations.list_tasks(region):
            yield str(live["task_id"]), self.declared(live)

    # -- shaping ------------------------------------------------------------------------------
    def outputs(self, live: Mapping[str, Any], desired: Mapping[str, Any], *, given: Any = None) -> dict[str, Any]:
        """Every input and output attribute; instructions (never stored by the cloud) echo the desired value.
        `given` (the program's inputs, or the names recorded from them) is kept under `GIVEN`."""
        outs: dict[str, Any] = {}
        for f in self.rules.fields:
            outs[f.name] = desired.get(f.name) if f.never_read else live.get(f.name)
        for f in self.rules.outputs:
            outs[f.name] = live.get(f.name)
        recorded = {GIVEN: sorted(given)} if given is not None else {}
        return {**outs, **self.rules.redacted(outs), **recorded}

    def live_inputs(
        self, live: Mapping[str, Any], known: Mapping[str, Any], given: set[str] | None = None
    ) -> dict[str, Any]:
        """The inputs that would reproduce the live task, for `ReadResult.inputs`: what the program gave,
        with its live values, plus whatever else differs from the cloud's default (drift). So a refresh
        preview shows only the fields that really changed. A value the cloud chose (a region, a start
        time) is reported only when the program gave one. Without `given` (state older than it),
        every field found is reported."""
        inputs: dict[str, Any] = {}
        for f in self.rules.fields:
            if f.never_read:
                value = known.get(f.name)
            elif given is not None:
                drifted = not f.cloud_chosen and f.set_in(live)
                value = live.get(f.name) if f.name in given or drifted else None
            elif f.name in known or f.set_in(live):
                value = live.get(f.name)
            else:
                continue
            if value is not None:
                inputs[f.name] = value
        return {**inputs, **self.rules.redacted(inputs)}

    def declared(self, live: Mapping[str, Any]) -> dict[str, Any]:
        """The arguments that declare a listed task as it is: every field the cloud lists back with a value
        other than its default (what it never lists back is left out)."""
        return {f.name: live[f.name] for f in self.rules.fields if not f.never_read and f.set_in(live)}


def _live_value(change: Change) -> str:
    """`name = live value` for an adoption's refusal. Secrets and URLs are not shown (a URL may hold a
    stream key in its path): `relaytask import` writes the task out, its secrets into the config."""
    if change.url:
        return f"{change.path} (a URL, not shown)"
    if change.secret:
        return f"{change.path} (a secret)"
    return f"{change.path} = {change.old!r}"
