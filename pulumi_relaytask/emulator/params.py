"""Typed readers of request parameters, shared by the three clouds' checks modules.

Every reader takes the parameter source (the JSON object of a Huawei or Tencent body, the string map
of an Alibaba query), the parameter's name and `refuse`, the cloud's own error factory: `refuse(field,
rule)` builds the ApiFault that cloud answers a bad parameter with. So a bad value always becomes a
400-class vendor error naming the parameter, whatever the request holds: wrong JSON types, booleans
where integers belong, floats, thousands of digits, non-ASCII digits, lone surrogates, malformed URLs.

Messages never echo a URL (its query may carry a key) and echo other values only shortened.
"""

from __future__ import annotations

import ipaddress
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from urllib.parse import urlsplit

from ..errors import ApiFault

Refuse = Callable[[str, str], ApiFault]
Source = Mapping[str, object]

# More digits than any documented range needs (int64 has 19), refused before int() so a number of
# thousands of digits costs nothing and never meets Python's int-string limit.
MAX_DIGITS = 19
# A JSON integer literal longer than this is read as a float, which every integer reader refuses by name.
MAX_JSON_INT_DIGITS = 100
SHOWN_CHARS = 40

_DECIMAL = re.compile(r"-?[0-9]+")  # ASCII digits only: int() would also take "٣" or " 3_0 "
_PRINTABLE_ASCII = re.compile(r"[\x21-\x7e]*")
# A host is DNS labels (letters, digits, inner hyphens), an IPv4 address or a bracketed IPv6 one: the
# rule of the provider's check (core/model.py).
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_DNS_NAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
# The scheme-less callback form the vendors' examples show: host[:port][/path][?query].
_BARE_HOST_URL = re.compile(rf"{_LABEL}(?:\.{_LABEL})*(?::(?P<port>[0-9]{{1,5}}))?(?:[/?#][\x21-\x7e]*)?")
MAX_PORT = 65535


def shown(value: str) -> str:
    """A value for a message: quoted, cut to SHOWN_CHARS characters."""
    if len(value) <= SHOWN_CHARS:
        return repr(value)
    return f"{value[:SHOWN_CHARS]!r}... ({len(value)} characters)"


def is_printable_ascii(value: str) -> bool:
    """Characters 0x21-0x7E only: no space, no control character, nothing beyond ASCII."""
    return _PRINTABLE_ASCII.fullmatch(value) is not None


def has_control_characters(value: str) -> bool:
    """Whether any character is in Unicode category C* (control, format, surrogate, private, unassigned)."""
    return any(unicodedata.category(char).startswith("C") for char in value)


def parse_decimal(text: str) -> int | None:
    """An optionally signed integer of ASCII digits, or None (not one, or more than MAX_DIGITS digits)."""
    if _DECIMAL.fullmatch(text) is None or len(text.lstrip("-")) > MAX_DIGITS:
        return None
    return int(text)


# -- request bodies ------------------------------------------------------------------------------


def json_object(raw: bytes, refuse: Refuse) -> dict[str, object]:
    """The JSON object a body holds; anything else (bad UTF-8 or JSON, nesting too deep, another
    JSON type) is refused as `body`, a key sent twice is refused by its name."""

    def unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
        document: dict[str, object] = {}
        for key, value in pairs:
            if key in document:
                raise refuse(key, "is sent more than once")
            document[key] = value
        return document

    def integer_literal(text: str) -> int | float:
        return int(text) if len(text) <= MAX_JSON_INT_DIGITS else float(text)

    try:
        document = json.loads(raw.decode("utf-8"), object_pairs_hook=unique, parse_int=integer_literal)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise refuse("body", "must be a JSON object") from None
    if not isinstance(document, dict):
        raise refuse("body", "must be a JSON object")
    return document


def unique_pairs(pairs: Iterable[tuple[str, str]], refuse: Refuse) -> dict[str, str]:
    """Query or form pairs as a map; a name sent twice with different values is refused by its name."""
    params: dict[str, str] = {}
    for name, value in pairs:
        if params.get(name, value) != value:
            raise refuse(name, "is sent more than once")
        params[name] = value
    return params


# -- scalars -------------------------------------------------------------------------------------


def string(
    source: Source, name: str, refuse: Refuse, *, max_len: int | None = None, keep_empty: bool = False
) -> str | None:
    """A string parameter, or None when absent (JSON null and, unless keep_empty, `""` count as absent)."""
    value = source.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise refuse(name, "must be a string")
    if value == "" and not keep_empty:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a JSON `\ud800` escape
        raise refuse(name, "must be valid Unicode text") from None
    if max_len is not None and len(value) > max_len:
        raise refuse(name, f"must be at most {max_len} characters long, got {len(value)}")
    return value


def enum(
    source: Source, name: str, allowed: tuple[str, ...], refuse: Refuse, *, keep_empty: bool = False
) -> str | None:
    """One of `allowed`; `""` passes (as `""`) only with keep_empty, where it means "unset"."""
    value = string(source, name, refuse, keep_empty=keep_empty)
    if value is None or (value == "" and keep_empty):
        return value
    if value not in allowed:
        raise refuse(name, f"must be one of {', '.join(allowed)}, got {shown(value)}")
    return value


def integer(source: Source, name: str, low: int, high: int, refuse: Refuse) -> int | None:
    """A JSON integer in [low, high]; booleans, floats and strings are refused."""
    value = source.get(name)
    if value is None:
        return None
    # bool is an int in Python but not in JSON's eyes.
    if not isinstance(value, int) or isinstance(value, bool):
        raise refuse(name, "must be an integer")
    if not low <= value <= high:
        raise refuse(name, f"must be between {low} and {high}, got {value}")
    return value


def integer_text(source: Source, name: str, low: int, high: int, refuse: Refuse) -> int | None:
    """A decimal integer written as text (ASCII digits, optional `-`) in [low, high]; `""` is absent."""
    text = string(source, name, refuse)
    if text is None:
        return None
    if _DECIMAL.fullmatch(text) is None:
        raise refuse(name, f"must be an integer, got {shown(text)}")
    number = parse_decimal(text)
    if number is None or not low <= number <= high:
        got = f"{len(text)} characters" if number is None else str(number)
        raise refuse(name, f"must be between {low} and {high}, got {got}")
    return number


def time_value(
    source: Source, name: str, refuse: Refuse, parse: Callable[[str], datetime], rule: str
) -> datetime | None:
    """A time parsed by `parse` (which raises ValueError or OverflowError when the text is no such
    time); `""` is absent. `rule` says which form is expected."""
    text = string(source, name, refuse)
    if text is None:
        return None
    try:
        return parse(text)
    except (ValueError, OverflowError):  # also offsets such as +25:00 and dates past year 9999
        raise refuse(name, f"{rule}, got {shown(text)}") from None


def string_list(source: Source, name: str, refuse: Refuse, *, max_items: int | None = None) -> list[str] | None:
    """A JSON array of non-empty strings, at most max_items of them."""
    value = source.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise refuse(name, "must be a list of non-empty strings")
    if max_items is not None and len(value) > max_items:
        raise refuse(name, f"takes at most {max_items} items, got {len(value)}")
    for item in value:
        try:
            item.encode("utf-8")
        except UnicodeEncodeError:
            raise refuse(name, "must hold valid Unicode text") from None
    return list(value)


# -- URLs ----------------------------------------------------------------------------------------


def is_valid_host(host: str) -> bool:
    """DNS labels (no empty label, `_`, `%` or trailing dot), an IPv4 address or an IPv6 one (unbracketed)."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return ":" not in host and _DNS_NAME.fullmatch(host) is not None


def check_url(
    value: str,
    name: str,
    refuse: Refuse,
    *,
    schemes: tuple[str, ...],
    max_len: int,
    bare_host: bool = False,
) -> str:
    """A URL parameter's value: printable ASCII, at most max_len characters, `scheme://host...` with a
    scheme of `schemes` (any case), a hostname and a valid port; with bare_host, also the scheme-less
    `host[:port][/path][?query]` form. The message names the rule, never the URL. Hosts and ports
    follow the provider's check: DNS labels, IPv4 or bracketed IPv6; any port from 1 to MAX_PORT."""
    if len(value) > max_len:
        raise refuse(name, f"must be at most {max_len} characters long, got {len(value)}")
    if not is_printable_ascii(value):
        raise refuse(name, "must hold printable ASCII characters only (no spaces, control or non-ASCII characters)")
    bare = _BARE_HOST_URL.fullmatch(value) if bare_host and "://" not in value else None
    if bare is not None:
        if bare["port"] is not None and not 1 <= int(bare["port"]) <= MAX_PORT:
            raise refuse(name, f"must have a port from 1 to {MAX_PORT}")
        return value
    wanted = f"must be a URL of the form scheme://host with a scheme of {', '.join(schemes)}"
    if bare_host:
        wanted += ", or host[/path] without a scheme"
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError for a port that is not a number from 0 to 65535
    except ValueError:
        raise refuse(name, f"is not a well-formed URL: {wanted}") from None
    if "://" not in value or parts.scheme.lower() not in schemes or not parts.hostname:
        raise refuse(name, wanted)
    if not is_valid_host(parts.hostname):
        raise refuse(name, "must have a host of DNS labels, an IPv4 address or a bracketed IPv6 address")
    if port is not None and not 1 <= port <= MAX_PORT:
        raise refuse(name, f"is not a well-formed URL: the port must be from 1 to {MAX_PORT}")
    return value
