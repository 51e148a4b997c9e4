"""What the three clouds' signature schemes share: the shape of their Authorization header."""

from __future__ import annotations


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
