"""Validation of a resource's inputs with pydantic: the values `check` returns are the values sent.

Each cloud's `model.py` declares a pydantic model of its task arguments with every documented
constraint. `check_inputs` runs it and returns either the model's normalised dump (times in UTC
`Z`, strictly typed integers, only what the user set) or each violation as a ValidationError
naming the field and the rule, which the provider shell turns into Pulumi check failures.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit

import pydantic
import pydantic_core
from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic_core import CoreSchema, core_schema

from ..errors import ValidationError
from . import timefmt
from .fields import TIME, Rule, Says, UrlMark, field_type, format_path
from .values import has_unknown

INT32_MAX = 2**31 - 1
"""The APIs carry integers as 32-bit values: the upper bound of a range no page states."""


class TaskObject(BaseModel):
    """Base of every model of task arguments and of objects inside one (e.g. a Tencent watermark):
    strict types, no unknown names, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _utc_time(value: str) -> str:
    try:
        return timefmt.normalize(value)
    except ValueError:
        raise ValueError(
            "must be an RFC 3339 time with a zone, such as 2026-01-02T15:04:05Z "
            "or 2026-01-02T23:04:05+08:00 (sent in UTC, whole seconds)"
        ) from None


UtcTime = Annotated[str, AfterValidator(_utc_time), TIME]
"""An RFC 3339 time with any offset, turned into the form every API takes: UTC, `Z` suffix."""


# A host is DNS labels (letters, digits, inner hyphens), an IPv4 address or a bracketed IPv6 one.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_DNS_NAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
# A callback URL may leave out its scheme, as the vendors' own examples do (`callback.example.com`):
# a DNS name, an optional port, then anything printable.
_BARE_HOST = re.compile(rf"(?P<host>{_LABEL}(?:\.{_LABEL})*)(?::(?P<port>[0-9]{{1,5}}))?(?:[/?#][\x21-\x7e]*)?")
_PRINTABLE_ASCII = re.compile(r"[\x21-\x7e]*")


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return ":" not in host and _DNS_NAME.fullmatch(host) is not None


class Schemes(UrlMark):
    """`Annotated` metadata of a URL type (`Annotated[str, Schemes("rtmp")]`): printable ASCII, one
    of these schemes and a host (a valid port if any); with `bare_host`, also `host[:port][/path]`
    without a scheme. Being a `UrlMark`, it also makes the argument follow the secrets rule."""

    def __init__(self, *schemes: str, bare_host: bool = False) -> None:
        words = f"a URL with the scheme {_either(schemes)}"
        super().__init__(words + (", or a host name without a scheme" if bare_host else ""))
        self.schemes = schemes
        self.bare_host = bare_host

    def __get_pydantic_core_schema__(self, source: Any, handler: pydantic.GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def _check(self, value: str) -> str:
        if not _PRINTABLE_ASCII.fullmatch(value):
            raise ValueError("must be printable ASCII: no spaces, control or non-ASCII characters (percent-encode)")
        bare = _BARE_HOST.fullmatch(value) if self.bare_host and "://" not in value else None
        if bare is not None and (bare["port"] is None or 1 <= int(bare["port"]) <= 65535):
            return value
        if not _is_url(value, self.schemes):
            or_bare = " (or a host name without a scheme)" if self.bare_host else ""
            raise ValueError(f"must be a URL with a host and the scheme {_either(self.schemes)}{or_bare}")
        return value


def _printable(value: str) -> str:
    if not _PRINTABLE_ASCII.fullmatch(value):
        raise ValueError("must be printable ASCII: no spaces, control or non-ASCII characters")
    return value


def _name_part(value: str) -> str:
    if not _PRINTABLE_ASCII.fullmatch(value) or any(c in value for c in "/?#"):
        raise ValueError("must be printable ASCII without spaces, /, ? or #")
    return value


def _label(value: str) -> str:
    if any(unicodedata.category(c).startswith("C") for c in value):
        raise ValueError("must not contain control, format, private-use or unassigned characters")
    return value


Printable = Annotated[str, AfterValidator(_printable), Says("printable ASCII")]
"""Text sent as is (e.g. push arguments): printable ASCII, no spaces."""
NamePart = Annotated[str, AfterValidator(_name_part), Says("printable ASCII without spaces, /, ? or #")]
"""One part of a destination (domain, app, stream): printable ASCII without URL delimiters."""
Label = Annotated[str, AfterValidator(_label), Says("no control, format, private-use or unassigned characters")]
"""Free text shown back to people (a task name): any characters but those of Unicode's category C."""

ADOPT_TASK_ID = "adopt_task_id"


class TaskArgs(TaskObject):
    """Base of every cloud's task-argument model: the arguments every cloud shares."""

    adopt_task_id: Annotated[NamePart | None, Rule(provider_only=True)] = pydantic.Field(
        None,
        min_length=1,
        max_length=128,
        description="Take over this existing task on create instead of making a new one: fields that differ and "
        "can change in place are changed; fields that would need a replacement fail the create, listing their "
        "live values, before any change. Read at create only: a later replacement makes a new task. With "
        "retain_on_delete, a destroy leaves the task running.",
    )


def _is_url(value: str, schemes: tuple[str, ...]) -> bool:
    """`scheme://host[:port]…` with one of the schemes, a valid host and a port from 1 to 65535."""
    try:
        parts = urlsplit(value)
        port = parts.port  # out of range or not a number raises
    except ValueError:  # e.g. a malformed IPv6 host
        return False
    host = parts.hostname
    valid_port = port is None or port >= 1
    return "://" in value and parts.scheme.lower() in schemes and bool(host) and _valid_host(host or "") and valid_port


def _either(words: tuple[str, ...]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


@dataclass(frozen=True)
class CheckContext:
    """What validation needs beyond the inputs: the time now and the previous inputs, if any.

    Rules about "now" (an end time in the future) apply only to values the user is changing, so a
    task whose end time has passed does not make every later preview fail.
    """

    now: datetime
    previous: Mapping[str, Any] | None = None

    def unchanged(self, name: str, value: Any) -> bool:
        if self.previous is None or name not in self.previous:
            return False
        old = self.previous[name]
        if isinstance(old, str) and isinstance(value, str):  # times: the same instant in any form
            try:
                return timefmt.normalize(old) == timefmt.normalize(value)
            except ValueError:
                pass
        return bool(old == value)


def context_of(info: pydantic.ValidationInfo) -> CheckContext:
    ctx = info.context
    if not isinstance(ctx, CheckContext):
        raise TypeError("validation needs a CheckContext")
    return ctx


def check_inputs(
    model: type[TaskArgs], inputs: Mapping[str, Any], ctx: CheckContext
) -> tuple[dict[str, Any], list[ValidationError]]:
    """The inputs to send, normalised by the model, or the violations (field, rule).

    Arguments left out (or None) stay out: the cloud's default, or its own choice, applies. A value
    still unknown (at preview, anywhere inside it) is validated when it is known; the known ones
    are checked one by one meanwhile, since the rules across fields need every value.
    """
    given = {name: value for name, value in inputs.items() if value is not None}
    unknown = {name for name, value in given.items() if has_unknown(value)}
    if unknown:
        return _check_known_fields(model, given, unknown)
    try:
        args = model.model_validate(given, context=ctx)
    except pydantic.ValidationError as exc:
        return given, [_failure(err) for err in exc.errors(include_url=False)]
    return args.model_dump(exclude_unset=True), []


def _check_known_fields(
    model: type[TaskArgs], given: Mapping[str, Any], unknown: set[str]
) -> tuple[dict[str, Any], list[ValidationError]]:
    result: dict[str, Any] = {}
    failures: list[ValidationError] = []
    for name, value in given.items():
        adapter = _field_adapter(model, name)
        if adapter is None:
            failures.append(ValidationError(name, "is not an argument of this resource"))
            continue
        if name in unknown:
            result[name] = value
            continue
        try:
            result[name] = adapter.dump_python(adapter.validate_python(value), exclude_unset=True)
        except pydantic.ValidationError as exc:
            failures.extend(_failure({**err, "loc": (name, *err["loc"])}) for err in exc.errors(include_url=False))
            result[name] = value
    return result, failures


@functools.cache
def _field_adapter(model: type[TaskArgs], name: str) -> pydantic.TypeAdapter[Any] | None:
    info = model.model_fields.get(name)
    if info is None:
        return None
    return pydantic.TypeAdapter(field_type(info.annotation, info.metadata), config=ConfigDict(strict=True))


def _failure(err: Mapping[str, Any]) -> ValidationError:
    loc = [str(part) for part in err.get("loc", ())]
    # A model-level rule reports its field through the error context (see rule_error).
    ctx = err.get("ctx") or {}
    if err.get("type") == "extra_forbidden":  # the name as given, whatever characters it holds
        if len(loc) > 1:  # inside an object (e.g. a watermark)
            return ValidationError(_path(loc[:-1]) + f".{loc[-1]}", "is not a field of this object")
        return ValidationError(loc[0] if loc else "(resource)", "is not an argument of this resource")
    field = str(ctx.get("field") or _path(loc)) or "(resource)"
    message = str(ctx.get("rule") or err.get("msg", "invalid value"))
    if err.get("type") == "value_error" and ctx.get("error"):
        message = str(ctx["error"])  # without pydantic's "Value error, " prefix
    elif err.get("type") == "missing":
        message = "is required"
    return ValidationError(field, message)


def _path(loc: Sequence[str]) -> str:
    """pydantic's location as a path (`watermark_list[0].width`), without its own steps such as
    `function-after[...]` or `list[str]`, which are not part of the value."""
    return format_path([int(p) if p.isdigit() else p for p in loc if "[" not in p and "(" not in p])


def rule_error(field: str, rule: str) -> pydantic_core.PydanticCustomError:
    """An error for a cross-field rule that names the field it blames (raise it in a validator)."""
    return pydantic_core.PydanticCustomError("relaytask_rule", "{rule}", {"field": field, "rule": rule})


def check_time_window(
    ctx: CheckContext,
    start_time: str | None,
    end_time: str,
    *,
    max_span: timedelta | None,
    span_rule: str = "",
    past_rule: str = "",
) -> None:
    """The window rules the three APIs share: end after start, a bounded span (None: unbounded), end in
    the future.

    "End in the future" binds only an end time being set now, so a task whose end has passed stays
    manageable; a missing start means "now", as the APIs default it.
    """
    end = timefmt.parse_rfc3339(end_time)
    start = timefmt.parse_rfc3339(start_time) if start_time else None
    changing_end = not ctx.unchanged("end_time", end_time)
    if start is not None and end <= start:
        raise rule_error("end_time", "must be later than start_time")
    too_long = max_span is not None and (
        (start is not None and end - start > max_span) or (start is None and changing_end and end - ctx.now > max_span)
    )
    if too_long:
        raise rule_error("end_time", span_rule)
    if changing_end and end <= ctx.now:
        rule = f"must be in the future (now is {timefmt.format_utc(ctx.now)})"
        raise rule_error("end_time", f"{rule}{': ' + past_rule if past_rule else ''}")


def check_destination(url_name: str, url: str | None, parts: Mapping[str, str | None]) -> None:
    """Either a full destination URL or all of its parts (domain, app, stream), never both."""
    for name, value in parts.items():
        if url and value:
            raise rule_error(name, f"must be empty when {url_name} is set (they are mutually exclusive)")
        if not url and not value:
            raise rule_error(name, f"is required unless {url_name} is set")


def check_vod_only(
    args: TaskArgs,
    names: tuple[str, ...],
    events: Sequence[str] | None,
    vod_only_events: frozenset[str],
    vod_type: str,
) -> None:
    """Reject VOD-only arguments (set by the user) and callback events on a task that plays no playlist."""
    for name in names:
        if name in args.model_fields_set:
            raise rule_error(name, f"applies to {vod_type} tasks only")
    for event in events or ():
        if event in vod_only_events:
            raise rule_error("callback_events", f"{event} applies to {vod_type} tasks only")
