"""Name conversion between this project's snake_case arguments and PascalCase wire fields."""

from __future__ import annotations

from typing import Any


def pascal(name: str) -> str:
    """`vod_loop_times` -> `VodLoopTimes`, `x_position` -> `XPosition`."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def snake(name: str) -> str:
    """`VodLoopTimes` -> `vod_loop_times`, `XPosition` -> `x_position`."""
    out: list[str] = []
    for i, ch in enumerate(name):
        if ch.isupper() and i > 0:
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def to_wire(value: Any) -> Any:
    """Convert dict keys (recursively, inside lists too) to PascalCase."""
    if isinstance(value, dict):
        return {pascal(k): to_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_wire(v) for v in value]
    return value


def from_wire(value: Any) -> Any:
    if isinstance(value, dict):
        return {snake(k): from_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_wire(v) for v in value]
    return value
