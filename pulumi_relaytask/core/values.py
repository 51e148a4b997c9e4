"""Values as the provider handles them, without any rule: the unknown of a preview, walks over lists and
objects, and the redaction of URLs that carry keys.

Apart from the field rules (fields.py) so that a Pulumi program, which needs only these to build its
resources, does not load pydantic and the clouds' models.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from typing import Any


class _Unknown:
    """A value not known yet (a preview whose input depends on an unresolved output)."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


def holds(value: Any, test: Callable[[Any], bool]) -> bool:
    """Whether the value, or anything inside its lists and objects, passes `test`."""
    if test(value):
        return True
    if isinstance(value, (list, tuple)):
        return any(holds(v, test) for v in value)
    if isinstance(value, Mapping):
        return any(holds(v, test) for v in value.values())
    return False


def map_leaves(value: Any, change: Callable[[Any], Any]) -> Any:
    """The value with `change` applied to everything inside its lists and objects that is neither."""
    if isinstance(value, (list, tuple)):
        return [map_leaves(v, change) for v in value]
    if isinstance(value, Mapping):
        return {k: map_leaves(v, change) for k, v in value.items()}
    return change(value)


def has_unknown(value: Any) -> bool:
    """Whether the value is unknown, or holds an unknown anywhere inside a list or an object."""
    return holds(value, lambda v: v is UNKNOWN)


REDACTED_SUFFIX = "_redacted"
# `scheme://user:password@` (the part before the host).
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/?#@]*)@")


def redacted_name(name: str) -> str:
    return name + REDACTED_SUFFIX


def carries_key(value: Any) -> bool:
    """Whether a URL-bearing value holds a query or a `user:password@` part anywhere; a value not
    known yet (an Output, an unknown) may, so it counts as one."""
    if value is None:
        return False
    if isinstance(value, str):
        return "?" in value or _USERINFO.match(value) is not None
    if isinstance(value, (list, tuple)):
        return any(carries_key(v) for v in value)
    if isinstance(value, Mapping):
        return any(carries_key(v) for v in value.values())
    return not isinstance(value, (int, float, bool))


def _fingerprint(text: str) -> str:
    return f"<sha256:{hashlib.sha256(text.encode()).hexdigest()[:8]}>"


def redact(value: Any) -> Any:
    """The value with the query and the `user:password@` part of every URL in it replaced by
    `<sha256:8 hex digits>` of that part: equal parts show equal marks, so a review sees which entry
    changed without seeing a key. What is not known yet stays unknown."""
    return map_leaves(value, _redact_text)


def _redact_text(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = _USERINFO.sub(lambda m: f"{m['scheme']}{_fingerprint(m['userinfo'])}@", value, count=1)
    base, sep, query = value.partition("?")
    return f"{base}?{_fingerprint(query)}" if sep else value


def companion(value: Any) -> Any:
    """The `<name>_redacted` companion of a URL-bearing value: the value redacted, or None when it carries
    no key (it would be the value itself, so there is none)."""
    return redact(value) if carries_key(value) else None
