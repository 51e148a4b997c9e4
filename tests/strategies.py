"""Valid relay-task specs per cloud (hypothesis strategies), the catalogue of single invalid changes to
them, and the tally the check-agreement tests write (env RELAYTASK_CHECK_REPORT=path).

A valid spec follows every rule of the cloud's model (`<cloud>/model.py`) and the project's choices in
docs/api-notes.md: types, ranges, enums, URL schemes per field, list sizes, string lengths and
characters, RFC 3339 times in any zone and form inside the window around `now`, exclusive and dependent
fields. Some values sit on a bound (a URL of exactly the longest length, a window of exactly 7 days).

A mutation breaks exactly one rule of a valid spec and says which fields a failure may blame. Most are
derived from the model's own JSON schema (types, both bounds of every range, lengths, list sizes,
enums), so a constraint added to a model gets its mutations without anyone listing it; the rules no
schema can state (URL forms and characters, name characters, time forms, windows, exclusive and
dependent fields, VOD-only fields, unknown names) are listed per cloud below.
"""

from __future__ import annotations

import functools
import json
import os
import typing
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pydantic
from hypothesis import strategies as st
from pydantic import BaseModel

from pulumi_relaytask import clouds
from pulumi_relaytask.aliyun import model as aliyun
from pulumi_relaytask.core import timefmt
from pulumi_relaytask.core.fields import field_type, object_model, strip_optional, type_name, unannotated
from pulumi_relaytask.core.model import INT32_MAX, CheckContext, Schemes, TaskArgs, check_inputs
from pulumi_relaytask.huawei import model as huawei
from pulumi_relaytask.tencent import model as tencent

Spec = dict[str, Any]
DAY = 86_400
MODELS: dict[str, type[TaskArgs]] = {
    "aliyun": aliyun.RelayTaskArgs,
    "huawei": huawei.RelayTaskArgs,
    "tencent": tencent.RelayTaskArgs,
}
KEYS = tuple(sorted(MODELS))
ALL_SCHEMES = ("http", "https", "rtmp", "rtmps", "rtsp", "rtp", "srt")
HUAWEI_REGIONS = ("cn-north-4", "cn-north-1", "cn-east-3", "ap-southeast-2", "ap-southeast-3")
PRINTABLE = st.characters(min_codepoint=0x21, max_codepoint=0x7E)


def utc(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


# -- values ---------------------------------------------------------------------------------------


@st.composite
def rfc3339(draw: st.DrawFn, instant: datetime) -> str:
    """The instant (whole seconds, UTC) in any RFC 3339 form check takes: any zone offset, `Z`/`z`,
    `T`/`t`, a fraction of a second (dropped by check)."""
    minutes = draw(st.one_of(st.just(0), st.integers(-(23 * 60 + 59), 23 * 60 + 59)))
    local = instant + timedelta(minutes=minutes)
    sep = draw(st.sampled_from("Tt"))
    fraction = draw(st.sampled_from(["", "", ".0", ".5", ".999999", ".123456789"]))
    if minutes == 0:
        zone = draw(st.sampled_from(["Z", "Z", "z", "+00:00", "-00:00"]))
    else:
        sign = "+" if minutes > 0 else "-"
        zone = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return f"{local:%Y-%m-%d}{sep}{local:%H:%M:%S}{fraction}{zone}"


_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,12}[A-Za-z0-9])?"
DNS_HOSTS = st.lists(st.from_regex(_LABEL, fullmatch=True), min_size=1, max_size=4).map(".".join)
HOSTS = st.one_of(
    DNS_HOSTS,
    DNS_HOSTS,
    DNS_HOSTS,
    st.tuples(*[st.integers(0, 255)] * 4).map(lambda parts: ".".join(map(str, parts))),
    st.sampled_from(["[::1]", "[2001:db8::7]", "[fe80::1:2]"]),
)


def _pad(text: str, length: int) -> str:
    return text + "a" * (length - len(text))


@st.composite
def urls(draw: st.DrawFn, schemes: tuple[str, ...], max_len: int, forbidden: str = "") -> str:
    """`scheme://host[:port]/path…`: one of the field's schemes (any case), a host, a valid port, then
    printable ASCII (a query or a fragment may follow); now and then exactly `max_len` long."""
    scheme = draw(st.sampled_from(schemes))
    if draw(st.integers(0, 7)) == 0:
        scheme = scheme.upper()
    port = draw(st.one_of(st.none(), st.none(), st.integers(1, 65535)))
    authority = draw(HOSTS) + ("" if port is None else f":{port}")
    chars = st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters=forbidden)
    url = f"{scheme}://{authority}/" + draw(st.text(chars, max_size=40))
    if draw(st.integers(0, 7)) == 0:
        url = _pad(url, max_len)
    return url[:max_len]


@st.composite
def bare_hosts(draw: st.DrawFn, max_len: int) -> str:
    """A callback receiver without a scheme, as the vendors' examples show: `host[:port][/path]`."""
    host = draw(DNS_HOSTS)
    port = draw(st.one_of(st.none(), st.integers(1, 65535)))
    tail = draw(st.one_of(st.just(""), st.text(PRINTABLE, max_size=30).map(lambda rest: "/" + rest)))
    return (host + ("" if port is None else f":{port}") + tail)[:max_len]


def printable(max_len: int) -> st.SearchStrategy[str]:
    """Printable ASCII without spaces, 1..max_len characters (exactly max_len now and then)."""
    short = st.text(PRINTABLE, min_size=1, max_size=min(40, max_len))
    return st.one_of(short, short, short, short.map(lambda text: (text * max_len)[:max_len]))


def name_parts(max_len: int) -> st.SearchStrategy[str]:
    """A destination part (Huawei): printable ASCII without /, ? or #."""
    chars = st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="/?#")
    short = st.text(chars, min_size=1, max_size=min(40, max_len))
    return st.one_of(short, short, short, short.map(lambda text: (text * max_len)[:max_len]))


def free_text(max_len: int | None = None) -> st.SearchStrategy[str]:
    """A non-empty string with no character rule (mostly a plain name, sometimes any characters)."""
    name = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,30}", fullmatch=True)
    text: st.SearchStrategy[str] = st.one_of(name, name, name, st.text(min_size=1, max_size=20))
    return text if max_len is None else text.map(lambda value: value[:max_len])


def labels(max_len: int) -> st.SearchStrategy[str]:
    """Free text without control, format, private-use or unassigned characters (in this Python's Unicode)."""
    control: list[typing.Literal["C"]] = ["C"]
    text = st.text(st.characters(exclude_categories=control), min_size=1, max_size=min(40, max_len))
    clean = text.filter(lambda value: not any(unicodedata.category(c).startswith("C") for c in value))
    name = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,30}", fullmatch=True)
    return st.one_of(name, clean, clean.map(lambda value: (value * max_len)[:max_len]))


def playlist_sizes(most: int) -> st.SearchStrategy[int]:
    """Mostly short playlists (generation time), sometimes any size up to the longest."""
    return st.one_of(st.integers(1, 3), st.integers(1, 3), st.integers(1, most), st.just(most))


def maybe(draw: st.DrawFn, spec: Spec, name: str, values: st.SearchStrategy[Any], chance: int = 2) -> None:
    """Set `name` to a drawn value one time in `chance`."""
    if draw(st.integers(0, chance - 1)) == 0:
        spec[name] = draw(values)


@st.composite
def window(draw: st.DrawFn, now: datetime, *, longest: int | None, start_optional: bool = False) -> Spec:
    """start_time/end_time: end later than start and than now, span at most `longest` seconds
    (None: unbounded). Without a start, the cloud starts the task now."""
    if start_optional and draw(st.booleans()):
        return {"end_time": draw(rfc3339(now + timedelta(seconds=draw(st.integers(1, longest or 400 * DAY)))))}
    reach = longest or 400 * DAY
    start = now + timedelta(seconds=draw(st.integers(-(reach - 1), reach)))
    shortest = max(1, int((now - start).total_seconds()) + 1)
    span = draw(st.integers(shortest, longest or 3650 * DAY))
    return {
        "start_time": draw(rfc3339(start)),
        "end_time": draw(rfc3339(start + timedelta(seconds=span))),
    }


# -- valid specs per cloud ------------------------------------------------------------------------


@st.composite
def huawei_specs(draw: st.DrawFn, now: datetime) -> Spec:
    live = draw(st.booleans())
    count = 1 if live else draw(playlist_sizes(huawei.MAX_PLAYLIST))
    source = urls(huawei.SOURCE_SCHEMES, huawei.MAX_URL)
    spec: Spec = {
        "source_type": huawei.LIVE if live else huawei.VOD,
        "source_urls": draw(st.lists(source, min_size=count, max_size=count)),
    }
    if draw(st.booleans()):
        spec["destination_url"] = draw(urls(("rtmp", "rtmps", "srt"), huawei.MAX_URL))
    else:
        spec.update(domain=draw(name_parts(255)), app_name=draw(name_parts(128)), stream_name=draw(name_parts(512)))
    spec.update(draw(window(now, longest=7 * DAY, start_optional=True)))
    maybe(draw, spec, "push_args", printable(huawei.MAX_URL))
    maybe(draw, spec, "callback_url", st.one_of(urls(("http", "https"), huawei.MAX_URL), bare_hosts(huawei.MAX_URL)))
    events = [e for e in typing.get_args(huawei.CallbackEvent) if not live or e not in huawei.VOD_ONLY_EVENTS]
    maybe(draw, spec, "callback_events", st.lists(st.sampled_from(events), unique=True))
    maybe(draw, spec, "backup_source_type", st.just(huawei.LIVE), chance=3)
    maybe(draw, spec, "backup_source_urls", st.lists(source, max_size=huawei.MAX_PLAYLIST), chance=3)
    maybe(draw, spec, "region", st.one_of(st.sampled_from(HUAWEI_REGIONS), free_text(64)), chance=3)
    if live:
        maybe(draw, spec, "status", st.just("enable"), chance=4)
        return spec
    loop = st.one_of(st.just("-1"), st.integers(1, 10**12).map(str), st.integers(1, 99).map(lambda n: f"0{n}"))
    maybe(draw, spec, "vod_loop_time", loop)
    maybe(draw, spec, "vod_refresh_type", st.sampled_from(typing.get_args(huawei.RefreshType)))
    maybe(draw, spec, "vod_start_video_index", st.integers(0, count - 1))
    maybe(draw, spec, "vod_start_video_time", st.integers(0, 2_100_000_000))
    maybe(draw, spec, "status", st.sampled_from(["enable", "pause"]))
    return spec


@st.composite
def watermarks(draw: st.DrawFn) -> Spec:
    mark: Spec = {"picture_url": draw(urls(("http", "https"), tencent.MAX_URL, forbidden=";(){}$>`#\"'|"))}
    for name in ("x_position", "y_position", "width", "height"):
        maybe(draw, mark, name, st.integers(0, 100))
    maybe(draw, mark, "location", st.integers(0, 3))
    return mark


def utf8_text(max_bytes: int) -> st.SearchStrategy[str]:
    """Any text of at most `max_bytes` bytes in UTF-8 (sometimes exactly that many)."""
    text = st.text(max_size=60).map(lambda value: value.encode()[:max_bytes].decode(errors="ignore"))
    full = st.sampled_from(["a", "é", "中", "😀"]).map(lambda c: c * (max_bytes // len(c.encode())))
    return st.one_of(text, text, text, full)


@st.composite
def tencent_specs(draw: st.DrawFn, now: datetime) -> Spec:
    source_type = draw(st.sampled_from([tencent.LIVE, tencent.VOD, "PullPicPushLive"]))
    vod = source_type == tencent.VOD
    count = draw(playlist_sizes(tencent.MAX_PLAYLIST)) if vod else 1
    source = urls(("http", "https", "rtmp", "rtmps", "rtsp", "srt"), tencent.MAX_URL)
    spec: Spec = {"source_type": source_type, "source_urls": draw(st.lists(source, min_size=count, max_size=count))}
    if draw(st.booleans()):
        spec["to_url"] = draw(urls(("rtmp", "rtmps", "rtsp", "rtp", "srt"), tencent.MAX_URL))
    else:
        spec.update(domain_name=draw(free_text()), app_name=draw(free_text()), stream_name=draw(free_text()))
    spec.update(draw(window(now, longest=30 * DAY - 1)))
    maybe(draw, spec, "push_args", free_text(), chance=3)
    maybe(draw, spec, "operator", free_text(), chance=3)
    maybe(draw, spec, "comment", utf8_text(tencent.MAX_COMMENT_BYTES), chance=3)
    maybe(draw, spec, "callback_url", urls(("http", "https"), tencent.MAX_URL), chance=3)
    events = [e for e in typing.get_args(tencent.CallbackEvent) if vod or e not in tencent.VOD_ONLY_EVENTS]
    maybe(draw, spec, "callback_events", st.lists(st.sampled_from(events), unique=True), chance=3)
    maybe(draw, spec, "watermark_list", st.lists(watermarks(), max_size=4), chance=3)
    maybe(draw, spec, "status", st.sampled_from(["enable", "pause"]), chance=3)
    maybe(draw, spec, "region", st.sampled_from(typing.get_args(tencent.Region)), chance=3)
    if source_type == tencent.LIVE and draw(st.integers(0, 2)) == 0:
        spec["backup_source_type"] = draw(st.sampled_from([tencent.LIVE, tencent.VOD]))
        spec["backup_source_url"] = draw(source)
    if vod:
        maybe(draw, spec, "vod_loop_times", st.integers(-1, INT32_MAX))
        maybe(draw, spec, "vod_refresh_type", st.sampled_from(["ImmediateNewSource", "ContinueBreakPoint"]))
        maybe(draw, spec, "file_index", st.integers(1, count))
        maybe(draw, spec, "offset_time", st.integers(0, INT32_MAX))
        maybe(draw, spec, "vod_local_mode", st.integers(0, 1))
    return spec


@st.composite
def aliyun_specs(draw: st.DrawFn, now: datetime) -> Spec:
    source_type = draw(st.sampled_from(["live", "vod", "url"]))
    live = source_type == "live"
    count = 1 if live else draw(playlist_sizes(aliyun.MAX_PLAYLIST))
    longest = min(aliyun.MAX_URL, aliyun.MAX_SOURCE_CHARS // count)  # the URLs together fit in 10000
    source = urls(("http", "https", "rtmp", "rtmps", "rtsp", "srt"), longest)
    protocols = st.sampled_from(["rtmp", "rtsp", "srt", "http-flv", "flv"])
    spec: Spec = {
        "source_type": source_type,
        "source_urls": draw(st.lists(source, min_size=count, max_size=count)),
        "dst_url": draw(urls(("rtmp",), aliyun.MAX_URL)),
    }
    if live:
        spec["source_protocol"] = draw(protocols)
    else:
        maybe(draw, spec, "source_protocol", protocols, chance=3)
        maybe(draw, spec, "repeat_number", st.integers(-1, INT32_MAX))
        maybe(draw, spec, "file_index", st.integers(0, count - 1))
        maybe(draw, spec, "offset", st.integers(0, INT32_MAX))
    spec.update(draw(window(now, longest=None)))
    maybe(draw, spec, "task_name", labels(aliyun.MAX_TASK_NAME), chance=3)
    maybe(draw, spec, "callback_url", st.one_of(urls(("http", "https"), aliyun.MAX_URL), bare_hosts(aliyun.MAX_URL)))
    maybe(draw, spec, "retry_count", st.integers(0, INT32_MAX), chance=3)
    maybe(draw, spec, "retry_interval", st.integers(60, 300), chance=3)
    maybe(draw, spec, "region", st.sampled_from(typing.get_args(aliyun.Region)), chance=3)
    started = "start_time" not in spec or _instant(spec["start_time"]) <= now
    maybe(draw, spec, "status", st.sampled_from(["enable", "pause"] if started else ["enable"]), chance=3)
    return spec


def _instant(text: str) -> datetime:
    return timefmt.parse_rfc3339(text)


VALID_SPECS: dict[str, Callable[[datetime], st.SearchStrategy[Spec]]] = {
    "aliyun": aliyun_specs,
    "huawei": huawei_specs,
    "tencent": tencent_specs,
}


def valid_specs(key: str, now: datetime) -> st.SearchStrategy[Spec]:
    return VALID_SPECS[key](now)


# -- equivalent spellings -------------------------------------------------------------------------


def accepted(key: str, spec: Spec, now: datetime) -> bool:
    """Whether the cloud's model takes the spec (no previous inputs)."""
    return not check_inputs(MODELS[key], spec, CheckContext(now=now))[1]


@st.composite
def respellings(draw: st.DrawFn, key: str, spec: Spec, now: datetime) -> Spec:
    """The same task written another way that check accepts: each time as the same instant in another
    RFC 3339 form, set-like lists in another order, each argument at its default given or left out, an
    optional list left out or given empty, and each object's members at their default (watermarks)
    given or left out. Driven by the cloud's fields (`rules.fields`), so a new field is covered."""
    rules = clouds.cloud(key).rules
    out = dict(spec)
    for f in rules.fields:
        value = out.get(f.name)
        if f.time and isinstance(value, str):
            out[f.name] = draw(rfc3339(timefmt.parse_rfc3339(value)))
        elif f.set_like and isinstance(value, list):
            out[f.name] = list(draw(st.permutations(value)))
        model = object_model(f.annotation)
        if model is not None and isinstance(out.get(f.name), list):
            out[f.name] = [draw(_object_respellings(model, item)) for item in out[f.name]]
    for f in rules.fields:
        if f.provider_only or f.time:
            continue
        listed = f.type_name.startswith("array")
        if f.default is not None and f.name not in out:
            candidate = {**out, f.name: f.default}  # a default written out (a VOD-only one on a live task fails)
        elif (f.default is not None and out[f.name] == f.default) or (listed and out.get(f.name) == []):
            candidate = {k: v for k, v in out.items() if k != f.name}
        elif listed and f.name not in out:
            candidate = {**out, f.name: []}
        else:
            continue
        if draw(st.booleans()) and accepted(key, candidate, now):
            out = candidate
    return out


@st.composite
def _object_respellings(draw: st.DrawFn, model: type[BaseModel], item: Spec) -> Spec:
    """An object with each member at its default (None included) given or left out."""
    out = dict(item)
    for name, info in model.model_fields.items():
        if info.is_required() or not draw(st.booleans()):
            continue
        if name not in out:
            out[name] = info.default
        elif out[name] == info.default:
            del out[name]
    return out


# -- mutations ------------------------------------------------------------------------------------

Apply = Callable[[Spec, datetime], tuple[Spec, frozenset[str]]]


@dataclass(frozen=True)
class Mutation:
    """One broken rule: `apply(valid spec, now)` gives the invalid spec and the paths a failure may
    name (a failure at `source_urls[3]` or `watermark_list[0].width` matches `source_urls` or
    `watermark_list[0]`)."""

    kind: str
    label: str
    apply: Apply
    known_bug: str = ""
    """Why check accepts this although the rules refuse it (reported, not fixed yet): an expected failure."""

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.label}"


def blamed(path: str, allowed: frozenset[str]) -> bool:
    return any(path == a or path.startswith((a + "[", a + ".")) for a in allowed)


def put(kind: str, name: str, value: Any, *, label: str | None = None, known_bug: str = "") -> Mutation:
    def apply(spec: Spec, _now: datetime) -> tuple[Spec, frozenset[str]]:
        return {**spec, name: value}, frozenset({name})

    return Mutation(kind, label or f"{name}={_short(value)}", apply, known_bug)


def put_item(kind: str, name: str, value: Any, *, most: int | None = None, known_bug: str = "") -> Mutation:
    """Replace the last item of a list argument (or make a list of that item alone)."""

    def apply(spec: Spec, _now: datetime) -> tuple[Spec, frozenset[str]]:
        items = list(spec.get(name) or ["placeholder"])
        items[-1] = value
        return {**spec, name: items}, frozenset({f"{name}[{len(items) - 1}]"})

    return Mutation(kind, f"{name}[-1]={_short(value)}", apply, known_bug)


def custom(kind: str, label: str, blame: set[str], change: Callable[[Spec, datetime], Spec]) -> Mutation:
    return Mutation(kind, label, lambda spec, now: (change(spec, now), frozenset(blame)))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:24]}…({len(text)} chars)"


def _without(spec: Spec, *names: str) -> Spec:
    return {k: v for k, v in spec.items() if k not in names}


# Values of a wrong JSON type for each schema type (what a program may pass by mistake).
WRONG_TYPES: dict[str, list[Any]] = {
    "string": [1, True, 1.5, ["x"], {"k": "v"}],
    "integer": ["1", True, 1.5, float("nan"), float("inf"), [1], {"k": 1}],
    "array": ["x", 1, {"k": "v"}],
    "object": ["x", 1, ["x"]],
}


def _schema(annotation: Any, metadata: list[Any]) -> dict[str, Any]:
    schema: dict[str, Any] = pydantic.TypeAdapter(field_type(strip_optional(annotation), metadata)).json_schema(
        mode="validation"
    )
    return schema


def _schemes(annotation: Any, metadata: list[Any]) -> Schemes | None:
    bare, inner = unannotated(strip_optional(annotation))
    if typing.get_origin(bare) is list:
        return _schemes(typing.get_args(bare)[0], [])
    found = [m for m in [*metadata, *inner] if isinstance(m, Schemes)]
    for m in inner:  # a FieldInfo inside Annotated (e.g. Field(max_length=...)) carries no Schemes
        if isinstance(m, pydantic.fields.FieldInfo):
            found += [x for x in m.metadata if isinstance(x, Schemes)]
    return found[0] if found else None


def filler(schemes: Schemes | None, length: int, index: int = 0) -> str:
    """A value of exactly `length` characters that breaks no other rule of its field."""
    if length == 0:
        return ""
    if schemes is None:
        return "a" * length
    return _pad(f"{schemes.schemes[0]}://h{index}.example.com/", length)


def minimal_object(model: type[BaseModel]) -> Spec:
    """The required fields of an object argument (e.g. a Tencent watermark), with valid values."""
    obj: Spec = {}
    for name, info in model.model_fields.items():
        if info.is_required():
            schemes = _schemes(info.annotation, info.metadata)
            obj[name] = f"{schemes.schemes[0]}://img.example.com/w.png" if schemes else "a"
    return obj


def _enum_of(schema: Mapping[str, Any]) -> list[Any] | None:
    if "enum" in schema:
        return list(schema["enum"])
    if "const" in schema:
        return [schema["const"]]
    return None


def _bad_enum_values(allowed: list[Any]) -> list[Any]:
    first = str(allowed[0])
    candidates = ["", first.upper(), first.lower(), first + " ", " " + first, first[:-1], "none"]
    return [c for c in dict.fromkeys(candidates) if c not in allowed]


def _value_mutations(schema: Mapping[str, Any], schemes: Schemes | None) -> Iterator[tuple[str, Any]]:
    """(kind, bad value) for one scalar schema: both bounds, both lengths, outside the enum."""
    if "minimum" in schema:
        yield "range", schema["minimum"] - 1
    if "maximum" in schema:
        yield "range", schema["maximum"] + 1
    if schema.get("minLength", 0) > 0:
        yield "length", filler(schemes, schema["minLength"] - 1)
    if "maxLength" in schema:
        yield "length", filler(schemes, schema["maxLength"] + 1)
    allowed = _enum_of(schema)
    if allowed is not None:
        for value in _bad_enum_values(allowed):
            yield "enum", value


def _type_key(schema_type: str) -> str:
    return "array" if schema_type.startswith("array") else schema_type


def derived_mutations(model: type[BaseModel], prefix: str = "") -> list[Mutation]:
    """Every mutation the model's schema implies: wrong types, both bounds of each range, lengths,
    list sizes and enums, item by item and inside objects."""
    found: list[Mutation] = []
    for name, info in model.model_fields.items():
        annotation = strip_optional(info.annotation)
        schema = _schema(info.annotation, info.metadata)
        schemes = _schemes(info.annotation, info.metadata)
        for wrong in WRONG_TYPES[_type_key(type_name(annotation))]:
            found.append(_at(prefix, put("type", name, wrong)))
        for kind, bad in _value_mutations(schema, schemes):
            found.append(_at(prefix, put(kind, name, bad)))
        if schema.get("type") != "array":
            continue
        obj = object_model(annotation)
        item_schema = schema.get("items", {})

        def item(
            index: int,
            obj: type[BaseModel] | None = obj,
            schemes: Schemes | None = schemes,
            item_schema: Mapping[str, Any] = item_schema,
        ) -> Any:
            if obj is not None:
                return minimal_object(obj)
            allowed = _enum_of(item_schema)
            if allowed is not None:
                return allowed[index % len(allowed)]
            return f"{schemes.schemes[0]}://h{index}.example.com/f" if schemes else "a"

        if "minItems" in schema and schema["minItems"] > 0:
            found.append(_at(prefix, put("list-size", name, [item(i) for i in range(schema["minItems"] - 1)])))
        if "maxItems" in schema:
            too_many = [item(i) for i in range(schema["maxItems"] + 1)]
            found.append(_at(prefix, put("list-size", name, too_many, label=f"{name}: {len(too_many)} items")))
        wrong_items = [1, None, ["x"]] if obj is None else ["x", 1]
        for wrong in wrong_items:
            found.append(_at(prefix, put_item("type", name, wrong)))
        if obj is None:
            for kind, bad in _value_mutations(item_schema, schemes):
                found.append(_at(prefix, put_item(kind, name, bad)))
            continue
        # Objects inside a list (a watermark): each field's own mutations, in the first object.
        base = minimal_object(obj)
        for inner in derived_mutations(obj):
            found.append(_in_object(prefix, name, base, inner))
        for required in (n for n, i in obj.model_fields.items() if i.is_required()):
            found.append(_object_change(prefix, name, "required", f"{required} missing", _without(base, required)))
        found.append(_object_change(prefix, name, "unknown", "unknown key", {**base, "colour": "red"}))
    return found


def _at(prefix: str, mutation: Mutation) -> Mutation:
    return mutation if not prefix else Mutation(mutation.kind, prefix + mutation.label, mutation.apply)


def _in_object(prefix: str, name: str, base: Spec, inner: Mutation) -> Mutation:
    def apply(spec: Spec, now: datetime) -> tuple[Spec, frozenset[str]]:
        changed, blame = inner.apply(base, now)
        return {**spec, name: [changed]}, frozenset(f"{name}[0].{b}" for b in blame)

    return Mutation(inner.kind, f"{prefix}{name}[0].{inner.label}", apply)


def _object_change(prefix: str, name: str, kind: str, label: str, obj: Spec, known_bug: str = "") -> Mutation:
    def apply(spec: Spec, _now: datetime) -> tuple[Spec, frozenset[str]]:
        return {**spec, name: [obj]}, frozenset({f"{name}[0]"})

    return Mutation(kind, f"{prefix}{name}[0]: {label}", apply, known_bug)


# Hand-written mutations: the rules a JSON schema cannot state.


def url_mutations(
    name: str, schemes: tuple[str, ...], *, bare: bool, item: bool, forbidden: str = ""
) -> list[Mutation]:
    """Wrong schemes and malformed URLs for one URL argument (or its items)."""
    s = schemes[0]
    values: list[tuple[str, str, str]] = [
        ("url-scheme", "javascript:alert(1)", ""),
        ("url-scheme", "ftp://h.example.com/x", ""),
        ("url-scheme", "file:///etc/passwd", ""),
        ("url-scheme", "data:text/plain,x", ""),
        *[("url-scheme", f"{other}://h.example.com/x", "") for other in ALL_SCHEMES if other not in schemes],
        ("url-form", "http://[::1", ""),
        ("url-form", f"{s}://[::1", ""),
        ("url-form", f"{s}://[::1]:99999/x", ""),
        ("url-form", f"{s}:///x", ""),
        ("url-form", f"{s}://:1935/x", ""),
        ("url-form", f"{s}://h.example.com:99999/x", ""),
        ("url-form", f"{s}://h.example.com:65536/x", ""),
        ("url-form", f"{s}://h.example.com:-1/x", ""),
        ("url-form", f"{s}://h.example.com:port/x", ""),
        ("url-form", f"{s}:h.example.com/x", ""),
        ("url-form", "", ""),
        ("url-chars", f"{s}://h.example.com/a b", ""),
        ("url-chars", f" {s}://h.example.com/x", ""),
        ("url-chars", f"{s}://h.example.com/x\n", ""),
        ("url-chars", f"{s}://h.example.com/x\t", ""),
        ("url-chars", f"{s}://h.example.com/\x00", ""),
        ("url-chars", f"{s}://h.example.com/\x7f", ""),
        ("url-chars", f"{s}://h.example.com/caf\u00e9", ""),
        ("url-chars", f"{s}://b\u00fccher.example/x", ""),
        ("url-chars", f"{s}://h.example.com/\uff0f", ""),
        ("url-chars", f"{s}://h.example.com/\u200b", ""),
    ]
    if bare:
        values += [
            ("url-form", "-h.example.com/x", ""),
            ("url-form", "h..example.com", ""),
            ("url-form", "h_x.example.com", ""),
            ("url-form", ".example.com", ""),
            ("url-form", "h.example.com:", ""),
            ("url-form", "h.example.com:99999", ""),
            ("url-form", "h.example.com:0/x", ""),
            ("url-chars", "h.example.com/a b", ""),
            ("url-chars", "h\u00e9.example.com", ""),
        ]
    else:
        values += [
            ("url-form", "h.example.com/x", ""),
            ("url-form", "//h.example.com/x", ""),
            ("url-form", f"{s}//h.example.com/x", ""),
        ]
    values += [("url-chars", f"http://h.example.com/a{c}b", "") for c in forbidden]
    make = put_item if item else put
    unique = {value: (kind, bug) for kind, value, bug in reversed(values)}  # the first of equal values
    return [make(kind, name, value, known_bug=bug) for value, (kind, bug) in reversed(unique.items())]


# Each renders the field's own instant (or now) in a form check must refuse; a form check takes by
# mistake would leave the spec valid, so a known bug shows as "no failure" and nothing else.
TIME_FORMS: list[tuple[str, Callable[[datetime], str], str]] = [
    ("no zone", lambda t: f"{t:%Y-%m-%dT%H:%M:%S}", ""),
    ("space for T", lambda t: f"{t:%Y-%m-%d %H:%M:%S}Z", ""),
    ("date only", lambda t: f"{t:%Y-%m-%d}", ""),
    ("time only", lambda t: f"{t:%H:%M:%S}Z", ""),
    ("minutes only", lambda t: f"{t:%Y-%m-%dT%H:%M}Z", ""),
    ("offset +25:00", lambda t: f"{t:%Y-%m-%dT%H:%M:%S}+25:00", ""),
    ("offset -24:00", lambda t: f"{t:%Y-%m-%dT%H:%M:%S}-24:00", ""),
    ("offset +99:99", lambda t: f"{t:%Y-%m-%dT%H:%M:%S}+99:99", ""),
    ("offset +0800", lambda t: f"{t + timedelta(hours=8):%Y-%m-%dT%H:%M:%S}+0800", ""),
    ("offset +08", lambda t: f"{t + timedelta(hours=8):%Y-%m-%dT%H:%M:%S}+08", ""),
    ("space before offset", lambda t: f"{t:%Y-%m-%dT%H:%M:%S} +00:00", ""),
    ("zone UTC", lambda t: f"{t:%Y-%m-%dT%H:%M:%S}UTC", ""),
    ("zone GMT+8", lambda t: f"{t + timedelta(hours=8):%Y-%m-%dT%H:%M:%S}GMT+8", ""),
    ("leading space", lambda t: f" {utc(t)}", ""),
    ("trailing space", lambda t: f"{utc(t)} ", ""),
    ("trailing newline", lambda t: f"{utc(t)}\n", ""),
    ("empty fraction", lambda t: f"{t:%Y-%m-%dT%H:%M:%S}.Z", ""),
    ("basic format", lambda t: f"{t:%Y%m%dT%H%M%S}Z", ""),
    ("slashes", lambda t: f"{t:%Y/%m/%dT%H:%M:%S}Z", ""),
    ("full-width digit", lambda t: "\uff12" + utc(t)[1:], ""),
    ("full-width Z", lambda t: utc(t)[:-1] + "\uff3a", ""),
    ("unix seconds", lambda t: str(int(t.timestamp())), ""),
    ("hour 24", lambda t: f"{t:%Y-%m-%d}T24:00:00Z", ""),
    ("minute 60", lambda t: f"{t:%Y-%m-%dT%H}:60:00Z", ""),
    ("second 61", lambda t: f"{t:%Y-%m-%dT%H:%M}:61Z", ""),
    ("month 13", lambda t: f"{t:%Y}-13-01T10:00:00Z", ""),
    ("30 February", lambda t: f"{t:%Y}-02-30T10:00:00Z", ""),
    ("year 0", lambda _t: "0000-12-01T10:00:00Z", ""),
    ("past year 9999 in UTC", lambda _t: "9999-12-31T23:59:59-01:00", ""),
    ("before year 1 in UTC", lambda _t: "0001-01-01T00:00:00+01:00", ""),
    ("garbage", lambda _t: "tomorrow", ""),
    ("empty", lambda _t: "", ""),
    ("offset minute 60", lambda t: f"{t + timedelta(hours=6):%Y-%m-%dT%H:%M:%S}+05:60", ""),
]


def time_form_mutations(name: str) -> list[Mutation]:
    def mutation(label: str, render: Callable[[datetime], str], bug: str) -> Mutation:
        def apply(spec: Spec, now: datetime) -> tuple[Spec, frozenset[str]]:
            instant = _instant(spec[name]) if name in spec else now
            return {**spec, name: render(instant)}, frozenset({name})

        return Mutation("time-form", f"{name}: {label}", apply, bug)

    return [mutation(label, render, bug) for label, render, bug in TIME_FORMS]


def char_mutations(name: str, values: list[str]) -> list[Mutation]:
    return [put("chars", name, value) for value in values]


def format_mutations(name: str, values: list[str]) -> list[Mutation]:
    return [put("format", name, value) for value in values]


UNKNOWN_NAMES = ["foo", "sourceUrls", "SourceUrls", "source_url", "end time", "", "\x00", "énd_time", "Region"]


def unknown_mutations(other_cloud_field: str) -> list[Mutation]:
    return [put("unknown", name, "x", label=f"unknown {name!r}") for name in [*UNKNOWN_NAMES, other_cloud_field]]


def window_mutations(*, longest: timedelta | None, strict: bool, start_optional: bool) -> list[Mutation]:
    """End not after start, end not after now, a span over the longest window (strict: "less than")."""
    both = {"start_time", "end_time"}

    def times(start: timedelta | None, end: timedelta) -> Callable[[Spec, datetime], Spec]:
        def change(spec: Spec, now: datetime) -> Spec:
            out = _without(spec, "start_time", "end_time", "status")
            if start is not None:
                out["start_time"] = utc(now + start)
            out["end_time"] = utc(now + end)
            return out

        return change

    hour = timedelta(hours=1)
    found = [
        custom("window", "end == start", both, times(hour, hour)),
        custom("window", "end 1 s before start", both, times(hour, hour - timedelta(seconds=1))),
        custom("window", "end a day before start", both, times(2 * hour, -timedelta(days=1))),
        custom("window", "end in the past", both, times(-timedelta(days=2), -timedelta(days=1))),
        custom("window", "end == now", both, times(-hour, timedelta(0))),
        custom("window", "end 1 s ago", both, times(-hour, -timedelta(seconds=1))),
    ]
    if start_optional:
        found.append(custom("window", "no start, end in the past", both, times(None, -timedelta(seconds=1))))
        found.append(custom("window", "no start, end == now", both, times(None, timedelta(0))))
    if longest is not None:
        over = longest if strict else longest + timedelta(seconds=1)
        found.append(custom("window", f"span {over}", both, times(hour, hour + over)))
        found.append(custom("window", "span 400 days", both, times(hour, hour + timedelta(days=400))))
        if start_optional:
            found.append(custom("window", f"no start, end in {over}", both, times(None, over)))
    return found


def required_mutations(names: list[str]) -> list[Mutation]:
    return [custom("required", f"{name} missing", {name}, on(_same, drop=(name,))) for name in names]


def _same(spec: Spec) -> Spec:
    return dict(spec)


def on(base: Callable[[Spec], Spec], drop: tuple[str, ...] = (), **values: Any) -> Callable[[Spec, datetime], Spec]:
    """A change: the spec made fit by `base` (e.g. turned into a live task), then `values` set and `drop` removed."""

    def change(spec: Spec, _now: datetime) -> Spec:
        return _without({**base(spec), **values}, *drop)

    return change


def setting(base: Callable[[Spec], Spec], name: str, value: Any) -> Callable[[Spec, datetime], Spec]:
    def change(spec: Spec, _now: datetime) -> Spec:
        return {**base(spec), name: value}

    return change


def kind_of(source_type: str, adapt: Callable[[Spec, str], Spec]) -> Callable[[Spec], Spec]:
    def base(spec: Spec) -> Spec:
        return adapt(spec, source_type)

    return base


TWO_URLS = ["rtmp://o.example.com/live/a", "rtmp://o.example.com/live/b"]


# -- per cloud ------------------------------------------------------------------------------------


def _huawei_live(spec: Spec) -> Spec:
    out = _without(spec, *huawei.VOD_ONLY_FIELDS)
    out.update(source_type=huawei.LIVE, source_urls=list(spec["source_urls"])[:1])
    if out.get("callback_events"):
        out["callback_events"] = [e for e in out["callback_events"] if e not in huawei.VOD_ONLY_EVENTS]
    if out.get("status") == "pause":
        del out["status"]
    return out


def _huawei_parts(spec: Spec) -> Spec:
    out = _without(spec, "destination_url")
    out.update(domain="push.example.com", app_name="live", stream_name="s")
    return out


def _huawei_url(spec: Spec) -> Spec:
    out = _without(spec, "domain", "app_name", "stream_name")
    out["destination_url"] = "rtmp://push.example.com/live/s"
    return out


def _huawei_index_past_end(spec: Spec, _now: datetime) -> Spec:
    return {**spec, "source_type": huawei.VOD, "vod_start_video_index": len(spec["source_urls"])}


def huawei_mutations() -> list[Mutation]:
    parts = {"domain", "app_name", "stream_name", "destination_url"}
    bad_name_chars = ["a/b", "a?b", "a#b", "a b", " a", "a\x00", "a\tb", "a\x7f", "caf\u00e9", "\u3000"]
    found = [
        *url_mutations("source_urls", huawei.SOURCE_SCHEMES, bare=False, item=True),
        *url_mutations("backup_source_urls", huawei.SOURCE_SCHEMES, bare=False, item=True),
        *url_mutations("destination_url", ("rtmp", "rtmps", "srt"), bare=False, item=False),
        *url_mutations("callback_url", ("http", "https"), bare=True, item=False),
        *time_form_mutations("start_time"),
        *time_form_mutations("end_time"),
        *window_mutations(longest=huawei.MAX_SPAN, strict=False, start_optional=True),
        *required_mutations(["source_type", "source_urls", "end_time"]),
        *unknown_mutations("dst_url"),
        *[m for name in ("domain", "app_name", "stream_name") for m in char_mutations(name, bad_name_chars)],
        *char_mutations("push_args", ["a b", "a=1\n", "\x00", "a=\u00e9", "a=1\x7f", "\u00a0"]),
        *format_mutations("vod_loop_time", ["0", "-2", "", "1.5", " 3", "3 ", "+3", "\uff13", "1e3", "abc", "-0"]),
        custom(
            "exclusive",
            "destination_url with all parts",
            parts,
            on(_huawei_parts, destination_url="rtmp://p.example.com/a/b"),
        ),
        custom("exclusive", "destination_url with domain", parts, on(_huawei_url, domain="push.example.com")),
        custom("exclusive", "destination_url with stream_name", parts, on(_huawei_url, stream_name="s")),
        custom("dependent", "app_name missing", parts, on(_huawei_parts, drop=("app_name",))),
        custom("dependent", "domain missing", parts, on(_huawei_parts, drop=("domain",))),
        custom("dependent", "no destination at all", parts, on(_same, drop=tuple(parts))),
        custom("cross", "live task with 2 URLs", {"source_urls"}, on(_huawei_live, source_urls=TWO_URLS)),
        custom("cross", "vod_start_video_index == len(source_urls)", {"vod_start_video_index"}, _huawei_index_past_end),
        custom("vod-only", "status pause on a live task", {"status"}, on(_huawei_live, status="pause")),
    ]
    for event in sorted(huawei.VOD_ONLY_EVENTS):
        change = on(_huawei_live, callback_events=["TaskStart", event])
        found.append(custom("vod-only", f"event {event} on a live task", {"callback_events"}, change))
    vod_only: dict[str, list[Any]] = {
        "vod_loop_time": ["3", "-1"],
        "vod_refresh_type": ["continue_from_file_start"],
        "vod_start_video_index": [0],
        "vod_start_video_time": [0, 10],
    }
    for name, values in vod_only.items():
        for value in values:
            change = setting(_huawei_live, name, value)
            found.append(custom("vod-only", f"{name}={value!r} on a live task", {name}, change))
    return found


def _tencent_kind(spec: Spec, source_type: str) -> Spec:
    out = dict(spec, source_type=source_type)
    if source_type != tencent.VOD:
        out = _without(out, *tencent.VOD_ONLY_FIELDS)
        out["source_urls"] = list(spec["source_urls"])[:1]
        if out.get("callback_events"):
            out["callback_events"] = [e for e in out["callback_events"] if e not in tencent.VOD_ONLY_EVENTS]
    if source_type != tencent.LIVE:
        out = _without(out, "backup_source_type", "backup_source_url")
    return out


def _tencent_parts(spec: Spec) -> Spec:
    out = _without(spec, "to_url")
    out.update(domain_name="push.example.com", app_name="live", stream_name="s")
    return out


def _tencent_url(spec: Spec) -> Spec:
    out = _without(spec, "domain_name", "app_name", "stream_name")
    out["to_url"] = "rtmp://push.example.com/live/s"
    return out


def _tencent_index_past_end(spec: Spec, _now: datetime) -> Spec:
    playlist = list(spec["source_urls"])[: tencent.MAX_PLAYLIST - 1]
    return {**_tencent_kind(spec, tencent.VOD), "source_urls": playlist, "file_index": len(playlist) + 1}


def tencent_mutations() -> list[Mutation]:
    parts = {"domain_name", "app_name", "stream_name", "to_url"}
    backup = {"backup_source_type", "backup_source_url"}
    sources = ("http", "https", "rtmp", "rtmps", "rtsp", "srt")
    live = kind_of(tencent.LIVE, _tencent_kind)
    picture_urls = url_mutations("picture_url", ("http", "https"), bare=False, item=False, forbidden=";(){}$>`#\"'|")
    found = [
        *url_mutations("source_urls", sources, bare=False, item=True),
        *url_mutations("backup_source_url", sources, bare=False, item=False),
        *url_mutations("to_url", ("rtmp", "rtmps", "rtsp", "rtp", "srt"), bare=False, item=False),
        *url_mutations("callback_url", ("http", "https"), bare=False, item=False),
        *[_in_object("", "watermark_list", {}, m) for m in picture_urls],
        *time_form_mutations("start_time"),
        *time_form_mutations("end_time"),
        *window_mutations(longest=tencent.MAX_SPAN, strict=True, start_optional=False),
        *required_mutations(["source_type", "source_urls", "start_time", "end_time"]),
        *unknown_mutations("destination_url"),
        put("length", "comment", "a" * 513, label="comment: 513 ASCII bytes"),
        put("length", "comment", "\u00e9" * 257, label="comment: 257 characters, 514 bytes"),
        put("length", "comment", "\u4e2d" * 171, label="comment: 171 characters, 513 bytes"),
        put("length", "comment", "\U0001f600" * 129, label="comment: 129 emoji, 516 bytes"),
        custom("exclusive", "to_url with all parts", parts, on(_tencent_parts, to_url="rtmp://p.example.com/a/b")),
        custom("exclusive", "to_url with app_name", parts, on(_tencent_url, app_name="live")),
        custom("dependent", "stream_name missing", parts, on(_tencent_parts, drop=("stream_name",))),
        custom("dependent", "no destination at all", parts, on(_same, drop=tuple(parts))),
        custom(
            "dependent",
            "backup type without url",
            backup,
            on(live, backup_source_type=tencent.LIVE, drop=("backup_source_url",)),
        ),
        custom(
            "dependent",
            "backup url without type",
            backup,
            on(live, backup_source_url=TWO_URLS[0], drop=("backup_source_type",)),
        ),
        custom("cross", "file_index past the playlist", {"file_index"}, _tencent_index_past_end),
    ]
    vod_only: dict[str, list[Any]] = {
        "vod_loop_times": [-1, 3],
        "vod_refresh_type": ["ContinueBreakPoint"],
        "file_index": [1],
        "offset_time": [0, 5],
        "vod_local_mode": [0, 1],
    }
    for source_type in (tencent.LIVE, "PullPicPushLive"):
        base = kind_of(source_type, _tencent_kind)
        found.append(custom("cross", f"{source_type} with 2 URLs", {"source_urls"}, on(base, source_urls=TWO_URLS)))
        for event in sorted(tencent.VOD_ONLY_EVENTS):
            change = on(base, callback_events=[event])
            found.append(custom("vod-only", f"event {event} on {source_type}", {"callback_events"}, change))
        for name, values in vod_only.items():
            for value in values:
                change = setting(base, name, value)
                found.append(custom("vod-only", f"{name}={value!r} on {source_type}", {name}, change))
    for source_type in (tencent.VOD, "PullPicPushLive"):
        change = on(kind_of(source_type, _tencent_kind), backup_source_type=tencent.LIVE, backup_source_url=TWO_URLS[0])
        found.append(custom("cross", f"backup behind a {source_type} source", backup, change))
    return found


def _aliyun_live(spec: Spec) -> Spec:
    out = _without(spec, "repeat_number", "file_index", "offset")
    out.update(source_type="live", source_urls=list(spec["source_urls"])[:1])
    out.setdefault("source_protocol", "rtmp")
    return out


def _aliyun_playlist(spec: Spec) -> Spec:
    return {**spec, "source_type": "url"}


def _aliyun_index_past_end(spec: Spec, _now: datetime) -> Spec:
    playlist = list(spec["source_urls"])[: aliyun.MAX_PLAYLIST - 1]
    return {**_aliyun_playlist(spec), "source_urls": playlist, "file_index": len(playlist)}


def _aliyun_pause_before_start(spec: Spec, now: datetime) -> Spec:
    return {
        **spec,
        "status": "pause",
        "start_time": utc(now + timedelta(hours=1)),
        "end_time": utc(now + timedelta(hours=2)),
    }


def aliyun_mutations() -> list[Mutation]:
    sources = ("http", "https", "rtmp", "rtmps", "rtsp", "srt")
    too_long = [_pad(f"http://h{i}.example.com/", aliyun.MAX_URL) for i in range(6)]
    bad_labels = [
        "\x00",
        "a\nb",
        "a\tb",
        "\x7f",
        "\u0085",
        "a\u200bb",
        "\u202e",
        "\ue000",
        "\U000e0001",
        "\u0378",
        "\ud800",
    ]
    found = [
        *url_mutations("source_urls", sources, bare=False, item=True),
        *url_mutations("dst_url", ("rtmp",), bare=False, item=False),
        *url_mutations("callback_url", ("http", "https"), bare=True, item=False),
        *time_form_mutations("start_time"),
        *time_form_mutations("end_time"),
        *window_mutations(longest=None, strict=False, start_optional=False),
        *required_mutations(["source_type", "source_urls", "dst_url", "start_time", "end_time"]),
        *unknown_mutations("domain"),
        *char_mutations("task_name", bad_labels),
        custom(
            "cross",
            "source_urls over 10000 characters together",
            {"source_urls"},
            on(_aliyun_playlist, source_urls=too_long),
        ),
        custom("cross", "live task with 2 URLs", {"source_urls"}, on(_aliyun_live, source_urls=TWO_URLS)),
        custom("cross", "file_index == len(source_urls)", {"file_index"}, _aliyun_index_past_end),
        custom(
            "dependent",
            "live task without source_protocol",
            {"source_protocol"},
            on(_aliyun_live, drop=("source_protocol",)),
        ),
        custom("dependent", "pause before the start", {"status", "start_time"}, _aliyun_pause_before_start),
    ]
    for name, values in {"repeat_number": [0, -1, 3], "file_index": [0], "offset": [0, 10]}.items():
        for value in values:
            change = setting(_aliyun_live, name, value)
            found.append(custom("vod-only", f"{name}={value!r} on a live task", {name}, change))
    return found


HAND_WRITTEN: dict[str, Callable[[], list[Mutation]]] = {
    "aliyun": aliyun_mutations,
    "huawei": huawei_mutations,
    "tencent": tencent_mutations,
}


@functools.cache
def mutations(key: str) -> tuple[Mutation, ...]:
    """Every mutation of one cloud: derived from the model's schema, then the hand-written ones."""
    return (*derived_mutations(MODELS[key]), *HAND_WRITTEN[key]())


# -- the tally ------------------------------------------------------------------------------------


@dataclass
class Tally:
    """What one test file saw; written as one section of the JSON report."""

    invalid_specs_tried: int = 0
    invalid_specs_rejected: int = 0
    valid_specs_tried: int = 0
    valid_specs_refused_by_check: int = 0
    created_on_emulator: int = 0
    passed_check_failed_at_emulator: int = 0
    raw_exceptions: int = 0
    raw_refused_by_emulator: int = 0
    """Specs check refuses, sent without check: the emulator refused them too."""
    raw_accepted_by_emulator: int = 0
    """Specs check refuses, sent without check: the emulator created them (disagreements)."""
    kinds: dict[str, int] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)

    def saw(self, kind: str) -> None:
        self.kinds[kind] = self.kinds.get(kind, 0) + 1


REPORT_ENV = "RELAYTASK_CHECK_REPORT"
_COUNTS = (
    "invalid_specs_tried",
    "invalid_specs_rejected",
    "valid_specs_tried",
    "valid_specs_refused_by_check",
    "created_on_emulator",
    "passed_check_failed_at_emulator",
    "raw_exceptions",
    "raw_refused_by_emulator",
    "raw_accepted_by_emulator",
)


def write_report(section: str, tally: Tally) -> None:
    """Merge this file's section into the report named by RELAYTASK_CHECK_REPORT (if set), with totals."""
    target = os.environ.get(REPORT_ENV)
    if not target:
        return
    path = Path(target)
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
        sections = dict(report.get("sections", {}))
    except (OSError, ValueError, AttributeError):
        sections = {}
    sections[section] = asdict(tally)
    totals = {name: sum(int(s.get(name, 0)) for s in sections.values()) for name in _COUNTS}
    path.write_text(json.dumps({"totals": totals, "sections": sections}, indent=2, default=repr) + "\n", "utf-8")
