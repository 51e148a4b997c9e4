"""What the three clouds' signature schemes share: the header block and the Authorization header's shape."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def canonical_headers(headers: Mapping[str, str], signed: Sequence[str], *, lower_values: bool = False) -> str:
    """`name:trimmed-value\n` for each signed name, in the order given (TC3 also lowercases values).

    Raises ValueError when a signed name is not among the request's headers.
    """
    by_name = {name.lower(): str(value).strip() for name, value in headers.items()}
    lines = []
    for name in signed:
        if name not in by_name:
            raise ValueError(f"signed header {name!r} is not in the request")
        value = by_name[name]
        lines.append(f"{name}:{value.lower() if lower_values else value}\n")
    return "".join(lines)


def split_authorization(value: str, algorithm: str, required: tuple[str, ...]) -> dict[str, str]:
    """`ALGO Key=v, Key2=v2` (with or without spaces after commas) into {Key: v}.

    Raises ValueError, with a message naming what is wrong, for another scheme or a missing key;
    each cloud's verifier turns it into its own error.
    """
    scheme, _, rest = value.strip().partition(" ")
    if scheme != algorithm:
        raise ValueError(f"Authorization must use {algorithm}")
    parts: dict[str, str] = {}
    for item in rest.split(","):
        key, sep, val = item.strip().partition("=")
        if sep:
            parts[key.strip()] = val.strip()
    if not all(parts.get(key) for key in required):
        raise ValueError(f"Authorization must carry {', '.join(required[:-1])} and {required[-1]}")
    return parts
