"""Validation of a resource's inputs with pydantic, turned into (field, rule) failures.

Each cloud's `model.py` declares a pydantic model of its task arguments with every documented
constraint. `validate` runs it and reports each violation as a ValidationError naming the field and
the rule, which the provider shell turns into Pulumi check failures (shown by `pulumi preview`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, TypeVar

import pydantic
import pydantic_core
from pydantic import BaseModel, ConfigDict

from ..errors import ValidationError

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
