"""The `relaytask drift` command: run a stack's refresh preview, print its drift report, exit 0, 1 or 2.

The preview runs through the Automation API with the `pulumi` found on PATH, in the project's
directory, with the environment as it is (backend, passphrase, credentials). It never updates the
stack. Errors are one line on stderr, from the engine's error diagnostics or the CLI's own error,
never a traceback; the engine masks secrets in both, and the report masks what it shows.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from .core.values import redact
from .drift import DriftError, DriftReport, TaskDrift, report_from_events

EXIT_IN_SYNC, EXIT_ERROR, EXIT_DRIFT = 0, 1, 2
PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml", "Pulumi.json")
_ACTIONS = {
    "update": "in-place update",
    "replace": "replacement (`pulumi up --refresh` deletes the task, then creates a new one)",
    "gone": "gone (deleted outside Pulumi; `pulumi up --refresh` creates it again)",
}


def main(cwd: str, stack: str | None, *, as_json: bool) -> int:
    try:
        report = drift_report(Path(cwd), stack)
    except DriftError as exc:
        print(f"relaytask drift: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a bug or an Automation API surprise: still one line, any URL key redacted
        print(f"relaytask drift: {type(exc).__name__}: {redact(first_line(str(exc)))}", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(render_json(report) if as_json else render_table(report))
    return EXIT_DRIFT if report.drifted else EXIT_IN_SYNC


def drift_report(cwd: Path, stack_name: str | None) -> DriftReport:
    """Run the refresh preview of the stack (default: the selected one) of the project in `cwd`."""
    if not cwd.is_dir():
        raise DriftError(f"{cwd}: no such directory")
    if not any((cwd / name).is_file() for name in PROJECT_FILES):
        raise DriftError(f"{cwd}: no Pulumi project here (no Pulumi.yaml)")
    if shutil.which("pulumi") is None:
        raise DriftError("the pulumi CLI is not on PATH")
    try:
        workspace = auto.LocalWorkspace(work_dir=str(cwd))
        current = workspace.stack()
        name = stack_name or (current.name if current else None)
        if name is None:
            raise DriftError(f"{cwd}: no stack selected; pass --stack NAME")
        stack = auto.Stack.select(name, workspace)
    except auto.CommandError as exc:
        raise DriftError(f"{cli_error(str(exc))} (project in {cwd.resolve()})") from None
    except (auto.errors.InvalidVersionError, OSError) as exc:
        raise DriftError(f"cannot run the pulumi CLI: {first_line(str(exc))}") from None
    events: list[auto.EngineEvent] = []
    try:
        stack.preview(refresh=True, on_event=events.append, color="never", suppress_progress=True)
    except auto.CommandError as exc:
        raise DriftError(failure(str(exc), events)) from None
    finally:
        if current is not None and current.name != name:
            _reselect(workspace, current.name)
    return report_from_events(name, events)


def _reselect(workspace: auto.LocalWorkspace, name: str) -> None:
    """Select the user's stack again: selecting another was only the Automation API's way in."""
    with contextlib.suppress(auto.CommandError):  # the report stands whether or not this works
        workspace.select_stack(name)


def failure(command_error: str, events: list[auto.EngineEvent]) -> str:
    """One line saying why the preview failed: the engine's first error diagnostic (naming the
    resource), else the CLI's first `error:` line."""
    for event in events:
        diagnostic = event.diagnostic_event
        if diagnostic is None or diagnostic.severity != "error":
            continue
        line = first_line(diagnostic.message)
        if line:
            where = f"{diagnostic.urn.rsplit('::', 1)[-1]}: " if diagnostic.urn else ""
            return f"preview failed: {where}{line}"
    return f"preview failed: {cli_error(command_error)}"


def cli_error(command_error: str) -> str:
    """The first `error:` line the CLI wrote to stderr (else its first line), from a `CommandError`."""
    stderr = command_error.partition("\n stderr: ")[2]
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [first_line(line) for line in lines if line.startswith("error:")]
    return (errors or lines or ["the pulumi CLI failed"])[0]


# What the engine and the dynamic provider put before a message, saying nothing of the cause.
_PREFIXES = ("error:", "Preview failed:", "Exception calling application:")


def first_line(message: str) -> str:
    """The line of a message that says what went wrong: a traceback's last line (the exception),
    else the first line, without the engine's and the dynamic provider's prefixes."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if any(line.startswith("Traceback (most recent call last)") for line in lines):
        lines = lines[-1:]
    line = lines[0] if lines else ""
    while line.startswith(_PREFIXES):
        line = next(line.removeprefix(p) for p in _PREFIXES if line.startswith(p)).strip()
    return line


# -- rendering -------------------------------------------------------------------------------------


def render_json(report: DriftReport) -> str:
    return json.dumps(report.as_json(), indent=2) + "\n"


def render_table(report: DriftReport) -> str:
    """A block per drifted task: its name, cloud, task id and plan, then a table of its fields."""
    if not report.drifted:
        return f"stack {report.stack}: no drift ({report.in_sync} relay tasks in sync)\n"
    out = [f"stack {report.stack}: {len(report.drifted)} relay tasks drifted, {report.in_sync} in sync"]
    for task in report.drifted:
        out += ["", _heading(task)]
        rows = [("FIELD", "DESIRED (program)", "LIVE (cloud)")]
        rows += [(f.path, shown(f.desired), shown(f.live)) for f in task.fields]
        if len(rows) > 1:
            widths = [max(len(row[i]) for row in rows) for i in range(2)]
            out += [f"  {r[0].ljust(widths[0])}  {r[1].ljust(widths[1])}  {r[2]}".rstrip() for r in rows]
    return "\n".join(out) + "\n"


def _heading(task: TaskDrift) -> str:
    return f"{task.resource}: {task.cloud} task {task.task_id or '(unknown id)'}, {_ACTIONS[task.action]}"


def shown(value: Any) -> str:
    """A value in a table cell: text as it is, anything else (or text that would break the table) as JSON."""
    if value is None:
        return "(not set)"
    if isinstance(value, str) and value and value.isprintable():
        return value
    return json.dumps(value, ensure_ascii=True)
