"""Compare a JSON answer with a documented example by shape: the same keys and JSON value types.

Values are ignored; what counts is the structure a client parses. Objects must carry every key of
the example (extra keys are differences unless allowed by path); every item of an answered array is
compared with the example's first item. Paths read like `Response.TaskInfos[0].Status`; an
allowance names list items with `[]` (`Response.TaskInfos[].RecordTemplateId`), so it covers them all.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

_INDEX = re.compile(r"\[\d+\]")


def json_type(value: Any) -> str:
    """The JSON type name of a decoded value (bool before int: Python counts True as an int)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return f"not JSON ({type(value).__name__})"


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def shape_differences(documented: Any, answered: Any, allowed_extra: Collection[str] = (), path: str = "") -> list[str]:
    """Every place where `answered` does not have the shape of `documented`, as readable lines."""
    where = path or "(root)"
    expected, got = json_type(documented), json_type(answered)
    if expected != got:
        return [f"{where}: documented as {expected}, answered {got} ({answered!r})"]
    differences: list[str] = []
    if isinstance(documented, dict):
        for key, value in documented.items():
            if key not in answered:
                differences.append(f"{_join(path, key)}: documented, missing from the answer")
            else:
                differences.extend(shape_differences(value, answered[key], allowed_extra, _join(path, key)))
        for key in answered:
            extra = _join(path, key)
            if key not in documented and _INDEX.sub("[]", extra) not in allowed_extra:
                differences.append(f"{extra}: answered, neither documented nor allowed")
    elif isinstance(documented, list) and documented:
        if not answered:
            # Otherwise an empty answer would pass without a single item being looked at.
            differences.append(f"{where}: documented with items, answered empty (no item to compare)")
        for index, item in enumerate(answered):
            differences.extend(shape_differences(documented[0], item, allowed_extra, f"{path}[{index}]"))
    return differences


def assert_same_shape(documented: Any, answered: Any, allowed_extra: Collection[str] = ()) -> None:
    differences = shape_differences(documented, answered, allowed_extra)
    assert not differences, "the answer's shape differs from the documented example:\n  " + "\n  ".join(differences)
