"""Validation of a resource's inputs with pydantic, turned into (field, rule) failures.

Each cloud's `model.py` declares a pydantic model of its task arguments with every documented
constraint. `validate` runs it and reports each violation as a ValidationError naming the field and
the rule, which the provider shell turns into Pulumi check failures (shown by `pulumi preview`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

import pydantic
import pydantic_core
from pydantic import BaseModel, ConfigDict

from ..errors import ValidationError
from . import timefmt

M = TypeVar("M", bound="TaskArgs")


class TaskArgs(BaseModel):
    """Base of every cloud's task-argument model: strict about unknown names, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


@dataclass(frozen=True)
class CheckContext:
    """What validation needs beyond the inputs: the time now and the previous inputs, if any.

    Rules about "now" (an end time in the future) apply only to values the user is changing, so a
    task whose end time has passed does not make every later preview fail.
    """

    now: datetime
    previous: Mapping[str, Any] | None = None

    def unchanged(self, name: str, value: Any) -> bool:
        return self.previous is not None and self.previous.get(name) == value


def context_of(info: pydantic.ValidationInfo) -> CheckContext:
    ctx = info.context
    if not isinstance(ctx, CheckContext):
        raise TypeError("validation needs a CheckContext")
    return ctx


def validate(model: type[M], inputs: Mapping[str, Any], ctx: CheckContext) -> tuple[M | None, list[ValidationError]]:
    """Validate `inputs`; return the model or the list of violations (field, rule)."""
    try:
        return model.model_validate(dict(inputs), context=ctx), []
    except pydantic.ValidationError as exc:
        return None, [_failure(err) for err in exc.errors(include_url=False)]


def _failure(err: Mapping[str, Any]) -> ValidationError:
    loc = [str(part) for part in err.get("loc", ())]
    # A model-level rule reports its field through the error context (see FieldRuleError).
    ctx = err.get("ctx") or {}
    field = str(ctx.get("field") or (loc[0] if loc else "")) or "(resource)"
    if len(loc) > 1 and not ctx.get("field"):
        field = f"{loc[0]}[{loc[1]}]" if loc[1].isdigit() else ".".join(loc)
    message = str(ctx.get("rule") or err.get("msg", "invalid value"))
    if err.get("type") == "value_error" and ctx.get("error"):
        message = str(ctx["error"])  # without pydantic's "Value error, " prefix
    elif err.get("type") == "extra_forbidden":
        message = "is not an argument of this resource"
    elif err.get("type") == "missing":
        message = "is required"
    return ValidationError(field, message)


def rule_error(field: str, rule: str) -> pydantic_core.PydanticCustomError:
    """An error for a cross-field rule that names the field it blames (raise it in a validator)."""
    return pydantic_core.PydanticCustomError("relaytask_rule", "{rule}", {"field": field, "rule": rule})


def rfc3339_text(value: str | None) -> str | None:
    """A field validator's body: the value must be an RFC 3339 time (kept as written)."""
    if value is None:
        return value
    try:
        timefmt.parse_rfc3339(value)
    except ValueError:
        raise ValueError("must be an RFC 3339 UTC time such as 2026-01-02T15:04:05Z") from None
    return value


def check_time_window(
    ctx: CheckContext,
    start_time: str | None,
    end_time: str,
    *,
    max_span: timedelta,
    span_rule: str,
    past_rule: str = "",
) -> None:
    """The window rules the three APIs share: end after start, a bounded span, end in the future.

    "End in the future" binds only an end time being set now, so a task whose end has passed stays
    manageable; a missing start means "now", as the APIs default it.
    """
    end = timefmt.parse_rfc3339(end_time)
    start = timefmt.parse_rfc3339(start_time) if start_time else None
    changing_end = not ctx.unchanged("end_time", end_time)
    if start is not None and end <= start:
        raise rule_error("end_time", "must be later than start_time")
    if (start is not None and end - start > max_span) or (start is None and changing_end and end - ctx.now > max_span):
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
    """Reject VOD-only arguments and callback events on a task that plays no playlist."""
    for name in names:
        if getattr(args, name) is not None:
            raise rule_error(name, f"applies to {vod_type} tasks only")
    for event in events or ():
        if event in vod_only_events:
            raise rule_error("callback_events", f"{event} applies to {vod_type} tasks only")
