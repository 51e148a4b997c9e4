"""`relaytask import`: list a cloud account's relay tasks and write a Pulumi program that adopts each one.

Every task is listed (every page), kept when it matches `--filter`, and checked as the provider will
check it at the first `pulumi up`; a task that would fail that check (an end time already past, a value
today's model refuses) is skipped with one line on stderr saying why. The rest become a program
(`program_writer`) declaring each with `adopt_task_id` and its values as live. Secret values never go
into the program: with `--stack` they are stored in that stack's configuration as secrets (through the
Pulumi CLI, each value on stdin, never on a command line); without it, the keys to set are listed on
stderr. Credentials are the provider's own, read from the vendors' environment variables.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from . import clouds
from .core.clock import Clock
from .core.fields import Rules
from .core.lifecycle import Lifecycle
from .core.model import ADOPT_TASK_ID
from .errors import RelayTaskError, redact_queries
from .program_writer import Adopted, SecretValue, label, render_program

# What `--filter` looks at besides the task id: each cloud's name for a task's name, sources and destination.
NAME_ARGUMENTS = ("task_name",)
DESTINATION_PARTS = (("domain", "domain_name"), ("app_name",), ("stream_name",))


class ImportFailed(RelayTaskError):
    """The import cannot go on (e.g. the stack's configuration cannot be written)."""


@dataclass(frozen=True)
class ImportRequest:
    cloud: str
    region: str | None = None
    filter: str | None = None
    out: Path | None = None
    """Where the program goes; None: stdout."""
    stack: str | None = None
    """The stack whose configuration receives the secret values; None: list the keys on stderr."""


@dataclass(frozen=True)
class Skipped:
    task_id: str
    name: str
    reason: str


@dataclass(frozen=True)
class Selection:
    adopted: list[Adopted]
    skipped: list[Skipped]
    listed: int


def run(
    request: ImportRequest,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    clock: Clock | None = None,
) -> int:
    """The command: 0 when the program was written, 1 (with one line on stderr) when anything failed, 130
    when interrupted."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        _run(request, out, err, clock)
    except KeyboardInterrupt:
        print("relaytask import: interrupted", file=err)
        return 130
    except RelayTaskError as exc:
        print(f"relaytask import: {_one_line(exc)}", file=err)
        return 1
    except OSError as exc:  # e.g. --out in a folder that does not exist
        where = f": {exc.filename}" if exc.filename else ""
        print(f"relaytask import: {exc.strerror or type(exc).__name__}{where}", file=err)
        return 1
    except Exception as exc:  # a bug: still one line, without a traceback that could show values
        print(f"relaytask import: unexpected {type(exc).__name__}: {_one_line(exc)}", file=err)
        return 1
    return 0


def _run(request: ImportRequest, out: TextIO, err: TextIO, clock: Clock | None) -> None:
    spec = clouds.cloud(request.cloud)
    lifecycle = Lifecycle(spec.rules, spec.model, lambda: spec.connect(_config_get(spec, request.region)), clock)
    with _progress(err, f"{spec.title} tasks") as tick:
        selection = select(lifecycle, request.region, request.filter, tick)
    for skipped in selection.skipped:
        print(f"skipped {spec.key} task {skipped.task_id} ({skipped.name}): {skipped.reason}", file=err)
    program = render_program(spec.key, spec.rules, selection.adopted, title=spec.title)
    if request.stack:
        work_dir = request.out.parent if request.out else Path.cwd()
        store_secrets(program.secrets, request.stack, work_dir)
        if program.secrets:
            print(f"stored {len(program.secrets)} secret value(s) in the config of stack {request.stack}", file=err)
    elif program.secrets:
        print("set these secrets in the stack's config before `pulumi up` (pulumi config set --secret KEY):", file=err)
        for secret in program.secrets:
            shape = ", as JSON" if secret.is_object else ""
            print(f"  {secret.key}  ({secret.resource}.{secret.argument}{shape})", file=err)
    if request.out:
        request.out.write_text(program.text, encoding="utf-8")
    else:
        out.write(program.text)
        out.flush()
    where = f" to {request.out}" if request.out else ""
    unmatched = selection.listed - len(selection.adopted) - len(selection.skipped)
    print(
        f"declared {len(selection.adopted)} {spec.key} task(s){where}: {selection.listed} listed, "
        f"{unmatched} not matching --filter, {len(selection.skipped)} skipped",
        file=err,
    )


def _config_get(spec: clouds.Cloud, region: str | None) -> Callable[[str], Any]:
    """No stack config: the settings fall back to the environment. `--region` stands for the cloud's region key
    (it also picks the endpoint of a cloud whose endpoint is regional)."""
    keys = {f"relaytask:{key.name}" for key in spec.config if key.name == f"{spec.key}Region"}
    return lambda name: region if region and name in keys else None


# -- listing, filtering, checking -------------------------------------------------------------------


def select(
    lifecycle: Lifecycle, region: str | None, text: str | None, tick: Callable[[], None] = lambda: None
) -> Selection:
    """Every listed task matching `text`, as the inputs that declare it (with `adopt_task_id`), less those
    the provider's check would refuse. One `tick` per task read."""
    adopted: list[Adopted] = []
    skipped: list[Skipped] = []
    listed = 0
    for task_id, inputs in lifecycle.listed(region):
        tick()
        listed += 1
        if text and not matches(lifecycle.rules, task_id, inputs, text):
            continue
        failures = lifecycle.check({}, {ADOPT_TASK_ID: task_id, **inputs})[1]
        if failures:
            first = failures[0]
            more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
            reason = redact_queries(
                f"{first.field} {first.rule}{more}"
            )  # rules name no values; a URL would lose its key
            skipped.append(Skipped(task_id, label(lifecycle.rules.cloud, inputs), reason))
            continue
        adopted.append(Adopted(task_id, inputs))
    return Selection(adopted, skipped, listed)


def matches(rules: Rules, task_id: str, inputs: Mapping[str, Any], text: str) -> bool:
    """Whether `text` is part of the task's id, its name, a source or destination URL, or its destination
    (domain/app/stream)."""
    haystack = [task_id]
    for name in (*NAME_ARGUMENTS, *(f.name for f in rules.url_fields)):
        value = inputs.get(name)
        haystack += [value] if isinstance(value, str) else [v for v in value or () if isinstance(v, str)]
    parts = [next((str(inputs[n]) for n in names if inputs.get(n)), "") for names in DESTINATION_PARTS]
    if any(parts):
        haystack.append("/".join(parts))
    return any(text in value for value in haystack)


# -- secrets ---------------------------------------------------------------------------------------


def store_secrets(secrets: Sequence[SecretValue], stack: str, work_dir: Path, pulumi: str | None = None) -> None:
    """Store each value as a secret in the stack's configuration: `pulumi config set --secret`, the value on
    stdin (a command line is visible to every user of the machine). A list or object is stored as JSON."""
    if not secrets:
        return
    command = pulumi or _pulumi_command()
    for secret in secrets:
        value = secret.value if isinstance(secret.value, str) else json.dumps(secret.value, separators=(",", ":"))
        args = [command, "config", "set", secret.key, "--secret", "--raw", "--stack", stack, "--non-interactive"]
        try:
            proc = subprocess.run(args, input=value, cwd=work_dir, capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ImportFailed(f"cannot run pulumi to store {secret.key} in stack {stack}: {exc}") from None
        if proc.returncode != 0:
            said = next((line for line in proc.stderr.splitlines() if line.strip()), f"exit {proc.returncode}")
            raise ImportFailed(f"storing {secret.key} in the config of stack {stack} failed: {said.strip()}")


def _pulumi_command() -> str:
    """`pulumi` on PATH, else the one beside this Python (a virtualenv's bin)."""
    found = shutil.which("pulumi")
    if found:
        return found
    beside = Path(sys.executable).parent / "pulumi"
    if beside.exists():
        return str(beside)
    raise ImportFailed("--stack needs the Pulumi CLI: `pulumi` is not on PATH")


# -- output ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def _progress(stream: TextIO, what: str) -> Iterator[Callable[[], None]]:
    """A progress display of the tasks read, on a terminal only; elsewhere nothing is shown."""
    if not _is_terminal(stream):
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

    columns = (
        SpinnerColumn(),
        TextColumn("listing {task.description}"),
        BarColumn(),
        TextColumn("{task.completed:.0f} read"),
    )
    with Progress(*columns, console=Console(file=stream), transient=True) as progress:
        bar = progress.add_task(what, total=None)
        yield lambda: progress.advance(bar)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


def _one_line(exc: BaseException) -> str:
    text = next((line for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
    return redact_queries(text.strip())
