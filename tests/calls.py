"""Which of the emulator's operations write: all but the reads (List…, Describe…, Get…, Query…), so a
test that says "no write" also catches an operation added later."""

from __future__ import annotations

from collections.abc import Mapping

READS = ("List", "Describe", "Get", "Query")


def is_write(operation: str) -> bool:
    """`operation` as the emulator counts it, with or without a `cloud:` prefix."""
    return not operation.rsplit(":", 1)[-1].startswith(READS)


def writes(counts: Mapping[str, int]) -> dict[str, int]:
    """The write operations among `counts` that were called."""
    return {op: n for op, n in counts.items() if n and is_write(op)}
