"""The text of the Pulumi program `relaytask import` writes: one adopting RelayTask per listed task.

Given a cloud's field rules and the tasks to adopt (their ids and the inputs that declare them as
live), it renders a `__main__.py` whose values are Python literals laid out as `ruff format` lays them
out, with resource names that are stable (derived from the task, not from the listing order), valid and
unique. Secret values (the secrets rule of `Rules.secrets_for`) never enter the text: the program reads
each from the stack configuration, under one camelCase key per resource and argument, and the caller
gets them back to store there.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .core.fields import Rules

LINE_LENGTH = 88
"""What the program is laid out for: ruff's default line length, since it lands in the user's project."""
INDENT = "    "
_NAME_FROM = ("task_name", "stream_name")
"""Arguments a resource name is derived from, first found first. Never a URL: its path may hold a key."""
_MAX_LABEL = 40
_SHORT_ID = 8


@dataclass(frozen=True)
class Adopted:
    """A listed task to declare: its id and the arguments that declare it as it is live."""

    task_id: str
    inputs: Mapping[str, Any] = field(repr=False)  # holds secrets


@dataclass(frozen=True)
class SecretValue:
    """A value the program reads from the stack configuration instead of holding it."""

    key: str
    """The config key (in the project's namespace)."""
    resource: str
    argument: str
    value: Any = field(repr=False)
    """The live value: a string, or a list/object (read with `require_secret_object`, stored as JSON)."""

    @property
    def is_object(self) -> bool:
        return not isinstance(self.value, str)


@dataclass(frozen=True)
class Program:
    text: str
    names: dict[str, str]
    """Resource name by task id."""
    secrets: tuple[SecretValue, ...]


def render_program(cloud: str, rules: Rules, tasks: Sequence[Adopted], *, title: str = "") -> Program:
    """The program declaring `tasks` of `cloud` (the `pulumi_relaytask` module name), each adopting its task."""
    names = resource_names(cloud, tasks)
    keys: set[str] = set()
    secrets: list[SecretValue] = []
    blocks: list[str] = []
    left_out = not_listed_back(rules)
    for task in sorted(tasks, key=lambda t: names[t.task_id]):
        name = names[task.task_id]
        secret_names = set(rules.secrets_for(task.inputs))
        arguments: list[str] = [literal(name), f"adopt_task_id={literal(task.task_id)}"]
        for argument, value in task.inputs.items():
            if argument in secret_names:
                key = _unique(config_key(name, argument), keys)
                ref = SecretValue(key, name, argument, value)
                secrets.append(ref)
                read = "require_secret_object" if ref.is_object else "require_secret"
                prefix = f"{argument}="
                arguments.append(prefix + _call(f"config.{read}", [literal(key)], len(INDENT + prefix), 1, 1))
            else:
                arguments.append(_keyword(argument, value))
        blocks.append(_resource_block(cloud, name, arguments, left_out))
    return Program(_module(cloud, title or cloud, blocks, needs_config=bool(secrets)), names, tuple(secrets))


def not_listed_back(rules: Rules) -> list[str]:
    """The arguments a listing never shows, so an import cannot declare them: unread fields and instructions."""
    return [f.name for f in rules.fields if (f.unread or f.instruction) and not f.provider_only]


# -- names ----------------------------------------------------------------------------------------


def resource_names(cloud: str, tasks: Iterable[Adopted]) -> dict[str, str]:
    """A resource name per task id: `<label>-<short id>`, the label from the task's name or stream name.
    Names depend on the tasks alone (never on their order in a listing); a short id shared by two tasks
    with the same label gives way to the whole id."""
    ordered = sorted(tasks, key=lambda t: (label(cloud, t.inputs), t.task_id))
    taken: set[str] = set()
    names: dict[str, str] = {}
    for task in ordered:
        base = label(cloud, task.inputs)
        whole = _slug(task.task_id) or "id"
        short = whole.replace("-", "")[-_SHORT_ID:]
        candidates = [f"{base}-{short}", f"{base}-{whole}"]
        name = next((c for c in candidates if c not in taken), None) or _unique(candidates[-1], taken, sep="-")
        taken.add(name)
        names[task.task_id] = name
    return names


def label(cloud: str, inputs: Mapping[str, Any]) -> str:
    """The readable part of a resource name: lowercase letters, digits and `-`, starting with a letter."""
    for argument in _NAME_FROM:
        value = inputs.get(argument)
        slug = _slug(str(value))[:_MAX_LABEL].strip("-") if isinstance(value, str) else ""
        if slug:
            return slug if slug[0].isalpha() else f"task-{slug}"
    return f"{cloud}-task"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def variable(name: str) -> str:
    """The Python name a resource is bound to: its resource name with `_` for `-` (always holds a `_`, so it
    never is a keyword nor one of the program's own names)."""
    return name.replace("-", "_")


def config_key(resource: str, argument: str) -> str:
    """`lobby-3f2a9c1d` + `push_args` → `lobby3f2a9c1dPushArgs`."""
    words = [w for w in re.split(r"[-_]+", f"{resource}_{argument}") if w]
    return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])


def _unique(wanted: str, taken: set[str], sep: str = "") -> str:
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}{sep}{n}"
    taken.add(candidate)
    return candidate


# -- literals -------------------------------------------------------------------------------------


def literal(value: Any) -> str:
    """A value as a one-line Python literal, in the form `ruff format` keeps."""
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{literal(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write a {type(value).__name__} as a literal")


def string_literal(text: str) -> str:
    """A string literal with the quotes `ruff format` prefers: double, unless single ones escape fewer."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    return quote + "".join(_escaped(ch, quote) for ch in text) + quote


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(ch: str, quote: str) -> str:
    if ch == quote:
        return "\\" + ch
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if ch.isprintable():
        return ch
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _keyword(argument: str, value: Any) -> str:
    """`argument=value`, the value inline when the line fits, else one item a line (as ruff splits it)."""
    return f"{argument}={_fitted(value, len(INDENT) + len(argument) + 1, 1)}"


def _fitted(value: Any, used: int, depth: int) -> str:
    """The value's literal, starting `used` characters into a line at nesting `depth` and followed by `,`."""
    inline = literal(value)
    splittable = isinstance(value, (list, tuple, Mapping)) and len(value) > 0
    if used + len(inline) + 1 <= LINE_LENGTH or not splittable:
        return inline
    inner = INDENT * (depth + 1)
    if isinstance(value, Mapping):
        items = []
        for k, v in value.items():
            key = f"{literal(str(k))}: "
            items.append(key + _fitted(v, len(inner) + len(key), depth + 1))
        opening, closing = "{", "}"
    else:
        items = [_fitted(v, len(inner), depth + 1) for v in value]
        opening, closing = "[", "]"
    body = "".join(f"{inner}{item},\n" for item in items)
    return f"{opening}\n{body}{INDENT * depth}{closing}"


def _call(callee: str, arguments: list[str], used: int, depth: int, after: int) -> str:
    """`callee(arguments)` starting `used` characters into a line at nesting `depth`, `after` characters
    following it on that line: inline when it fits, else one argument a line with a trailing comma (which
    ruff keeps as it is)."""
    inline = f"{callee}({', '.join(arguments)})"
    if used + len(inline) + after <= LINE_LENGTH:
        return inline
    inner = INDENT * (depth + 1)
    return f"{callee}(\n" + "".join(f"{inner}{argument},\n" for argument in arguments) + f"{INDENT * depth})"


# -- layout ---------------------------------------------------------------------------------------


def _resource_block(cloud: str, name: str, arguments: list[str], left_out: list[str]) -> str:
    lines: list[str] = []
    if left_out:
        note = (
            f"Not listed back by {cloud}, so left out (the defaults apply): {', '.join(left_out)}. "
            "Declare any this task needs."
        )
        lines += ["# " + line for line in _wrapped(note, LINE_LENGTH - 2)]
    lines.append(f"{variable(name)} = {cloud}.RelayTask(")
    lines += [f"{INDENT}{argument}," for argument in arguments]
    lines.append(")")
    lines.append(_call("pulumi.export", [literal(name), f"{variable(name)}.task_id"], 0, 0, 0))
    return "\n".join(lines) + "\n"


def _module(cloud: str, title: str, blocks: list[str], *, needs_config: bool) -> str:
    summary = f"Relay tasks of {title}, declared as live by `relaytask import`."
    body = "Each resource adopts its existing task (adopt_task_id): the first `pulumi up` creates nothing."
    if needs_config:
        body += " Secret values are read from the stack configuration (`pulumi config set --secret <key>`)."
    lines = [*_wrapped(summary, LINE_LENGTH - 3), "", *_wrapped(body, LINE_LENGTH), '"""']  # 3: the opening quotes
    head = ['"""' + "\n".join(lines), "", "import pulumi", f"from pulumi_relaytask import {cloud}", ""]
    if needs_config:
        head += ["config = pulumi.Config()", ""]
    return "\n".join(head) + "".join("\n" + block for block in blocks)


def _wrapped(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters where possible, never breaking inside a `code span`."""
    kept = re.sub(r"`[^`]*`", lambda m: m.group().replace(" ", "\0"), text)
    return [line.replace("\0", " ") for line in textwrap.wrap(kept, width, break_on_hyphens=False)]
