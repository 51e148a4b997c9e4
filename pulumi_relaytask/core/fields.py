"""Rule metadata of relay-task arguments, and the field rules derived from each cloud's model.

A cloud declares each argument once, in `<cloud>/model.py`: a pydantic field (type, default,
constraints, description) whose `Annotated` metadata carries a `Rule` (how the API updates it,
whether it is secret, how its values compare). `Rules.derive` reads the model into `Field` records,
which the diff, the lifecycle, the provider shell, the schema, the docs and the generated resource
classes use. Provider code never names a cloud's field.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Literal

import pydantic
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from . import timefmt
from .interruption import on_schedule
from .shape import Shape
from .values import companion, has_unknown, redacted_name


@dataclass(frozen=True)
class Rule:
    """How a cloud's API treats one argument: `Annotated` metadata beside its pydantic field.

    Without a Rule an argument is plain: a change of it replaces the task.
    """

    in_place: bool = False
    """The cloud's update operation changes it in place (subject to the cloud's `updates_take_effect`)."""
    kept_when_cleared: bool = False
    """The update operation can set it but not remove it (an empty value means "unchanged"), so
    removing it needs a new task."""
    secret: bool = False
    """Always stored as a Pulumi secret (push arguments). URLs need no Rule: see `UrlMark`."""
    set_like: bool = False
    """A list whose order carries no meaning (compared sorted). Playlists are never set-like."""
    instruction: bool = False
    """Sent with an update but never stored by the cloud: a change alone makes no diff and no call."""
    unread: bool = False
    """The API does not list it back (or lists what the provider last set, e.g. a resume position):
    the last applied value stands in, so it never shows drift."""
    cloud_chosen: bool = False
    """When the argument is absent the cloud picks a value (e.g. start time = now): no diff then."""
    provider_only: bool = False
    """An instruction to the provider itself (`adopt_task_id`): never sent to the cloud, never compared,
    never listed back."""
    normalizer: Callable[[Any], Any] | None = None
    """A canonical form of its own, applied before comparison (objects get one by default: their
    defaults filled in)."""


class Says:
    """A rule a validator enforces, in words for the schema and the docs (pydantic cannot draw it)."""

    def __init__(self, words: str) -> None:
        self.words = words


class TimeMark(Says):
    """Marks an RFC 3339 time type (see `core.model.UtcTime`): compared as an instant."""


TIME = TimeMark("an RFC 3339 time, sent in UTC")


class UrlMark(Says):
    """Marks a URL type (see `core.model.Schemes`). The one secrets rule of every cloud follows from
    it: an argument holding a URL that carries a key (a query, where auth keys and signatures travel,
    or a `user:password@` part) is stored as a Pulumi secret, and gets a `<name>_redacted` companion
    that shows it with each such part replaced by a fingerprint."""


@dataclass(frozen=True, kw_only=True)
class Field(Rule):
    """One argument (or output attribute) of a relay-task resource, as derived from the model: its Rule
    and what the model says of it."""

    name: str
    description: str
    annotation: Any = str
    """The Python type the model declares (Optional stripped), for the generated resource class."""
    time: bool = False
    url: bool = False
    """It holds URLs (itself, its items or its objects' fields): secret when one carries a query."""
    default: Any = None
    """The value the cloud assumes when the argument is absent (the model's default)."""
    required: bool = False
    type_name: str = "string"
    """Schema type: string, integer, boolean, object, array<string>, array<integer>, array<object>."""
    constraints: tuple[str, ...] = ()
    """The model's constraints in words ("0 to 8192", "one of a, b"), for the schema and the docs."""

    @property
    def never_read(self) -> bool:
        """The cloud never gives it back (an instruction, an unread field, the provider's own argument):
        the last applied value stands in for it."""
        return self.instruction or self.unread or self.provider_only

    def set_in(self, props: Mapping[str, Any]) -> bool:
        """Whether `props` hold a value of it other than an empty one or its default."""
        return props.get(self.name) not in (None, "", [], self.default)


@dataclass(frozen=True)
class Rules:
    """Every field of one cloud's task and the update rule of its API."""

    cloud: str
    fields: tuple[Field, ...]
    updates_take_effect: Callable[[Mapping[str, Any]], bool] = lambda _old: True
    """Whether the update operation has any effect on a task with these (old) properties."""
    outputs: tuple[Field, ...] = field(default_factory=tuple)
    """Output-only attributes (observed state): never a cause of diff."""
    running: Callable[[Mapping[str, Any], datetime], bool] = on_schedule
    """Whether the task (old props) is pushing, or will be by the time a plan made now is applied."""
    interrupts: Callable[[Mapping[str, Any], Mapping[str, Any], tuple[str, ...]], str | None] = (
        lambda _old, _new, _changed: None
    )
    """How an in-place plan of these changed names interrupts or restarts a running push (old props, new
    inputs), in words naming the fields; None when it does not."""
    update_operation: str = "the update operation"
    """The API operation that updates a task, named in the schema and the docs."""
    in_place_condition: str = ""
    """When in-place fields are really updated in place (e.g. "on a PullVodPushLive task only")."""

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.cloud}: duplicate field names")

    @classmethod
    def derive(cls, cloud: str, args: type[BaseModel], outputs: type[BaseModel], **cloud_rules: Any) -> Rules:
        """The rules of a cloud from its argument and output models (the one declaration)."""
        return cls(
            cloud=cloud,
            fields=tuple(_field(name, info) for name, info in args.model_fields.items()),
            outputs=tuple(_field(name, info) for name, info in outputs.model_fields.items()),
            **cloud_rules,
        )

    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    @property
    def secret_names(self) -> list[str]:
        return sorted(f.name for f in self.fields if f.secret)

    @property
    def url_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.url)

    @functools.cached_property
    def shape(self) -> Shape:
        return Shape(
            secrets=tuple(self.secret_names),
            urls=tuple(f.name for f in self.url_fields),
            derived=tuple(self.derived_names()),
        )

    def secrets_for(self, args: Mapping[str, Any]) -> list[str]:
        """The names stored as secrets given these argument values: see `Shape.secrets_for`."""
        return self.shape.secrets_for(args)

    def redacted(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """`<name>_redacted` of every URL-bearing argument whose value carries a key: never secret, always
        reviewable. A value that carries none is its own redacted form, so it has no companion."""
        found = {redacted_name(f.name): companion(props.get(f.name)) for f in self.url_fields}
        return {name: value for name, value in found.items() if value is not None}

    @property
    def redacted_fields(self) -> tuple[Field, ...]:
        """The redacted companions as output attributes (for the schema, the docs and the resource class)."""
        return tuple(
            Field(
                name=redacted_name(f.name),
                description=f"{f.name} with the query and password of each URL replaced by <sha256:first 8 hex "
                "digits>: secret only when the value was given as one, so a preview shows which URL changes. "
                "Absent when no URL in it carries a query or a password (it would be the value itself).",
                annotation=f.annotation,
                type_name=f.type_name,
            )
            for f in self.url_fields
        )

    @property
    def attributes(self) -> tuple[Field, ...]:
        """Everything the provider reports beside the inputs: outputs, then redacted companions."""
        return self.outputs + self.redacted_fields

    def derived_names(self) -> list[str]:
        """The names the provider adds beside the inputs: output attributes and redacted companions."""
        return [f.name for f in self.attributes]

    def sent_value(self, name: str, new: Mapping[str, Any]) -> Any:
        """The value an update sends for `name`: the new one, or, when the argument was removed, what
        restores the API's default (the default itself, else `[]` or `""`, which clear it)."""
        value = new.get(name)
        if value is not None:
            return value
        f = self.by_name()[name]
        if f.default is not None:
            return f.default
        return [] if f.type_name.startswith("array") else ""

    def input_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def pick_inputs(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """The declared inputs present in `props` (drops outputs and Pulumi's own keys)."""
        return {f.name: props[f.name] for f in self.fields if props.get(f.name) is not None}

    def cloud_inputs(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """The inputs the cloud's operations see: the declared ones, without the provider's own."""
        return {f.name: props[f.name] for f in self.fields if props.get(f.name) is not None and not f.provider_only}

    def comparable(self, props: Mapping[str, Any], *, desired: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Normalised values of the comparable inputs, so a task read back unchanged never diffs.

        `desired` (the user's inputs) decides whether a cloud-chosen field takes part: when the user
        left it out, whatever the cloud chose is accepted.
        """
        wanted = desired if desired is not None else props
        result: dict[str, Any] = {}
        for f in self.fields:
            if f.instruction or f.provider_only:
                continue
            if f.cloud_chosen and wanted.get(f.name) is None:
                continue
            result[f.name] = normalize_value(f, props.get(f.name))
        return result


def format_path(parts: Sequence[str | int]) -> str:
    """`["watermark_list", 0, "width"]` → `watermark_list[0].width`: how failures and changes name a value."""
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path


def path_field(path: str) -> str:
    """The argument a path starts with."""
    return path.split("[", 1)[0].split(".", 1)[0]


def normalize_value(f: Field, value: Any) -> Any:
    """The canonical form of one value: defaults applied, times as UTC `Z`, sets sorted."""
    if has_unknown(value):
        return value
    if value is None or value == "" or value == []:
        value = f.default
    if value is None:
        return None
    if f.normalizer is not None:
        return f.normalizer(value)
    if f.time and isinstance(value, str):
        try:
            return timefmt.normalize(value)
        except ValueError:
            return value
    if isinstance(value, (list, tuple)):
        items = [str(v) if not isinstance(v, (dict, list)) else v for v in value]
        return sorted(items) if f.set_like else items
    if f.type_name == "integer" and isinstance(value, (int, float, str)) and str(value).lstrip("-").isdigit():
        return int(value)
    return value


# -- reading the model -----------------------------------------------------------------------------


def _field(name: str, info: pydantic.fields.FieldInfo) -> Field:
    rule = next((m for m in info.metadata if isinstance(m, Rule)), Rule())
    annotation = strip_optional(info.annotation)
    normalizer = rule.normalizer
    if normalizer is None and object_model(annotation) is not None:
        normalizer = _object_normalizer(annotation)
    return Field(
        **{**rule.__dict__, "normalizer": normalizer},
        name=name,
        description=info.description or "",
        annotation=annotation,
        time=_marked_time(info),
        url=_holds_url(annotation, info.metadata),
        default=None if info.default is PydanticUndefined else info.default,
        required=info.is_required(),
        type_name=type_name(annotation),
        constraints=_constraints(annotation, info.metadata),
    )


def field_type(annotation: Any, metadata: list[Any]) -> Any:
    """A model field's type with its constraints, to validate or describe that field alone."""
    return Annotated[annotation, *metadata] if metadata else annotation


def strip_optional(annotation: Any) -> Any:
    """`X | None` → `X` (the model says optional through the default, the schema through `required`)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        rest = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return annotation


def unannotated(annotation: Any) -> tuple[Any, list[Any]]:
    """The bare type under `Annotated[...]`, and the metadata found on the way."""
    metadata: list[Any] = []
    while typing.get_origin(annotation) is Annotated:
        annotation, *extra = typing.get_args(annotation)
        metadata.extend(extra)
    return annotation, metadata


def _holds_url(annotation: Any, metadata: list[Any]) -> bool:
    """Whether a type is a URL type, or a list of them, or an object with a URL field."""
    bare, inner = unannotated(strip_optional(annotation))
    if any(isinstance(m, UrlMark) for m in [*metadata, *inner]):
        return True
    if typing.get_origin(bare) is list:
        return _holds_url(typing.get_args(bare)[0], [])
    model = object_model(bare)
    return model is not None and any(_holds_url(i.annotation, i.metadata) for i in model.model_fields.values())


def _marked_time(info: pydantic.fields.FieldInfo) -> bool:
    _, metadata = unannotated(strip_optional(info.annotation))
    return any(isinstance(m, TimeMark) for m in [*info.metadata, *metadata])


def type_name(annotation: Any) -> str:
    bare, _ = unannotated(strip_optional(annotation))
    origin = typing.get_origin(bare)
    if origin is list:
        return f"array<{type_name(typing.get_args(bare)[0])}>"
    if origin is Literal:
        return type_name(type(typing.get_args(bare)[0]))
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        return "object"
    return {int: "integer", bool: "boolean"}.get(bare, "string")


def object_model(annotation: Any) -> type[BaseModel] | None:
    """The object model an argument's type holds, itself or as its list's items (e.g. a watermark)."""
    bare, _ = unannotated(strip_optional(annotation))
    if typing.get_origin(bare) is list:
        bare, _ = unannotated(typing.get_args(bare)[0])
    return bare if isinstance(bare, type) and issubclass(bare, BaseModel) else None


def _object_normalizer(annotation: Any) -> Callable[[Any], Any]:
    """Objects compared with their defaults filled in (what the cloud lists back); order kept."""
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(annotation)

    def normalize(value: Any) -> Any:
        try:
            parsed = adapter.validate_python(value)
        except pydantic.ValidationError:
            return value
        return adapter.dump_python(parsed, exclude_none=True)

    return normalize


def _constraints(annotation: Any, metadata: list[Any]) -> tuple[str, ...]:
    """The declared constraints in words: pydantic's own JSON schema of the field, and what the
    validators say of themselves (`Says`)."""
    schema = pydantic.TypeAdapter(field_type(annotation, metadata)).json_schema(mode="validation")
    said = [m.words for m in _said(annotation, metadata)]
    return tuple(said + _schema_words(schema))


def _said(annotation: Any, metadata: list[Any]) -> list[Says]:
    bare, inner = unannotated(annotation)
    found = [m for m in [*metadata, *inner] if isinstance(m, Says)]
    if typing.get_origin(bare) is list:
        found += [Says(f"each {m.words}") for m in _said(typing.get_args(bare)[0], [])]
    return found


def _schema_words(schema: Mapping[str, Any]) -> list[str]:
    words: list[str] = []
    if "enum" in schema:
        words.append("one of " + ", ".join(str(v) for v in schema["enum"]))
    elif "const" in schema:
        words.append(f"only {schema['const']}")
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None or high is not None:
        words.append(_range(low, high, ""))
    low, high = schema.get("minLength"), schema.get("maxLength")
    if low is not None or high is not None:
        words.append("a non-empty string" if (low, high) == (1, None) else _range(low, high, " characters"))
    low, high = schema.get("minItems"), schema.get("maxItems")
    if low is not None or high is not None:
        words.append(_range(low, high, " items"))
    if schema.get("type") == "array" and isinstance(schema.get("items"), Mapping):
        inner = _schema_words(schema["items"])
        if inner:
            words.append("each " + "; ".join(inner))
    return words


def _range(low: Any, high: Any, unit: str) -> str:
    if low is not None and high is not None:
        return f"{low} to {high}{unit}"
    return f"at least {low}{unit}" if low is not None else f"at most {high}{unit}"
