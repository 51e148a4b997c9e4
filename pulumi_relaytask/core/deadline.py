"""One deadline per resource operation: every call and retry made inside a scope (a create and its
read-back, say) stops at the same moment. Apart from the call skeleton (call.py) so that the lifecycle can
open a scope without loading the HTTP client.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar


class Deadline:
    def __init__(self, seconds: float, monotonic: Callable[[], float] | None = None) -> None:
        self.seconds = seconds
        self._monotonic = monotonic or time.monotonic  # looked up now, so a test can stand in for the clock
        self._end = self._monotonic() + seconds

    def remaining(self) -> float:
        return self._end - self._monotonic()


_CURRENT: ContextVar[Deadline | None] = ContextVar("relaytask_deadline", default=None)


@contextlib.contextmanager
def deadline_scope(seconds: float) -> Iterator[Deadline]:
    """One deadline for every call made inside (an outer scope wins), e.g. a create and its read-back."""
    outer = _CURRENT.get()
    if outer is not None:
        yield outer
        return
    deadline = Deadline(seconds)
    token = _CURRENT.set(deadline)
    try:
        yield deadline
    finally:
        _CURRENT.reset(token)
