"""How the generic lifecycle maps onto Alibaba's operations, run state included.

- pause = Stop, enable = Restart (Alibaba has no Start).
- While a task runs (or retries) only CallbackUrl and RepeatNumber may change. Any other change is
  applied as Stop → Update → Restart, and a VOD/url playlist resumes where it was: the current file
  and offset are written as FileIndex/Offset before the Restart (a Restart otherwise starts from the
  top).
- If Update or Restart fails after the Stop, the task is restarted (within the deadline) and the
  error says so; if even that fails, the error says the task is stopped, and the next `pulumi up`
  restarts it: an update of a task that should run always ends by restarting it when it is stopped.
- Creates are exactly-once: a destination serves one task, so after a create whose outcome is
  unknown (or a refusal because the destination is taken) the provider looks the destination up and
  takes the task there when it is the one asked for.
Reference: docs/api-notes.md, "Alibaba: update rules and run state" and "Rate limits and faults".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..core import timefmt
from ..core.listing import SharedListing
from ..core.takeover import create_or_take, holder_id
from ..core.wire import pascal
from ..errors import RelayTaskError
from .api import EXITED, RUNNING, STOPPED, AliyunClient, PullToPushTask
from .rules import LIVE_CHANGES, RULES

_NOT_SENT_ON_CREATE = frozenset({"status", "region"})
_INFO_FIELDS = {f.name: pascal(f.name) for f in RULES.fields if f.name not in ("status", "region")}
# The refresh reads of every provider object of this process share it (core/listing.py).
LISTING: SharedListing[PullToPushTask] = SharedListing(lambda task: task.TaskId)


def _resume_at(task: PullToPushTask, files: int) -> dict[str, int]:
    """Where a stopped playlist resumes: the file and offset it was at, or the top of the new playlist
    when that one is shorter (Update refuses a FileIndex past its end)."""
    index = task.CurrentFileIndex or 0
    if index >= files:
        return {"FileIndex": 0, "Offset": 0}
    return {"FileIndex": index, "Offset": task.CurrentOffset or 0}


def live_props(task: PullToPushTask, scope: Mapping[str, Any]) -> dict[str, Any]:
    """The task as inputs and outputs; `scope` is what it was looked up with (its region, and the
    status it was declared with, if any)."""
    info = task.TaskInfo.model_dump(exclude_none=True)
    props: dict[str, Any] = {}
    for name, wire in _INFO_FIELDS.items():
        value = info.get(wire)
        if value not in (None, "", []):
            props[name] = value
    for name in ("start_time", "end_time"):
        if props.get(name):
            props[name] = timefmt.normalize(props[name])
    # A task stopped by the user, or by a failure, is not pushing: it reads as paused. A playlist that
    # has played out (exited) neither pushes nor can be stopped: it keeps the status it was given.
    if task.TaskStatus == EXITED:
        props["status"] = scope.get("status") or "enable"
    else:
        props["status"] = "pause" if task.TaskStatus == STOPPED else "enable"
    props["region"] = scope.get("region")  # not listed back: it is the scope the task was found in
    props.update(
        task_id=task.TaskId,
        task_status=task.TaskStatus,
        task_invalid_reason=task.TaskInvalidReason,
        task_exit_reason=task.TaskExitReason,
        task_exit_time=task.TaskExitTime,
        current_file_index=task.CurrentFileIndex,
        current_offset=task.CurrentOffset,
    )
    return props


class AliyunOperations:
    def __init__(self, client: AliyunClient) -> None:
        self.client = client
        self.deadline = client.settings.policy.deadline

    def create(self, inputs: Mapping[str, Any]) -> str:
        region = inputs.get("region")
        params = {pascal(k): v for k, v in inputs.items() if k not in _NOT_SENT_ON_CREATE and v is not None}

        def holder() -> str | None:
            existing = self.client.find_by_destination(str(inputs["dst_url"]), region)
            if existing is None:
                return None
            return holder_id(RULES, inputs, existing.TaskId, live_props(existing, {"region": region}))

        task_id = create_or_take(lambda: self.client.create(params, region, confirm=holder), holder)
        if inputs.get("status") == "pause":
            self._stop_if_running(task_id, region)
        return task_id

    def read(self, task_id: str, known: Mapping[str, Any], *, listed: bool = False) -> dict[str, Any] | None:
        region = known.get("region") or self.client.settings.region
        task = LISTING.read(
            self._key(region),
            task_id,
            lambda: self.client.find(task_id, region),
            (lambda: self.client.pages(region)) if listed else None,
        )
        return None if task is None else live_props(task, {"region": region, "status": known.get("status")})

    def _key(self, region: str) -> tuple[str, ...]:
        """The listing's scope: endpoint, account and region."""
        return (self.client.settings.endpoint, self.client.settings.access_key_id, region)

    def list_tasks(self, region: str | None) -> Iterator[dict[str, Any]]:
        """Every task of `region` (default: the configured one), as `read` returns it: with that region,
        which Alibaba does not list back."""
        scope = {"region": region or self.client.settings.region}
        for task in self.client.every_task(scope["region"]):
            yield live_props(task, scope)

    def update(self, task_id: str, old: Mapping[str, Any], new: Mapping[str, Any], changed: tuple[str, ...]) -> None:
        region = old.get("region") or new.get("region")
        config = [name for name in changed if name != "status"]
        wants_running = new.get("status", "enable") == "enable"
        task = self.client.describe(task_id, region)  # a task gone by now fails the update as TaskNotFoundError
        running = task.TaskStatus in RUNNING
        params = {"TaskId": task_id, **{pascal(name): RULES.sent_value(name, new) for name in config}}

        if config and running and not set(config) <= LIVE_CHANGES:
            # Stop → Update → Restart; resume the playlist where it was unless a new start was asked for.
            self.client.stop(task_id, region)
            if new.get("source_type") != "live" and not {"file_index", "offset"} & set(config):
                params.update(_resume_at(task, len(new.get("source_urls") or ())))
            try:
                self.client.update(params, region)
                if wants_running:
                    self.client.restart(task_id, region)
            except RelayTaskError as exc:
                self._restart_after(task_id, region, config, exc)  # it was running: leave it running
            return
        if config:
            self.client.update(params, region)
        if wants_running and task.TaskStatus == STOPPED:
            # Also a task left stopped by an update that failed half-way: "enable" means it runs.
            self.client.restart(task_id, region)
        elif not wants_running and running:
            self.client.stop(task_id, region)

    def _restart_after(self, task_id: str, region: str | None, config: list[str], failure: RelayTaskError) -> None:
        """The task was stopped for an update that failed: run it again, then report the failure."""
        fields = ", ".join(config)
        try:
            if self.client.describe(task_id, region).TaskStatus not in RUNNING:
                self.client.restart(task_id, region)
        except RelayTaskError as again:
            raise RelayTaskError(
                f"aliyun task {task_id} was stopped to change {fields} and then failed ({failure}); restarting it "
                f"failed too ({again}). The task is stopped: the next `pulumi up` restarts it."
            ) from None
        raise RelayTaskError(
            f"aliyun task {task_id}: changing {fields} failed ({failure}); the task was restarted. "
            "Run `pulumi up` again to apply the change."
        ) from None

    def _stop_if_running(self, task_id: str, region: str | None) -> None:
        task = self.client.find(task_id, region)
        if task is not None and task.TaskStatus in RUNNING:
            self.client.stop(task_id, region)

    def delete(self, task_id: str, known: Mapping[str, Any]) -> None:
        region = known.get("region") or self.client.settings.region
        self.client.delete(task_id, region)
        LISTING.record(self._key(region), task_id, None)
