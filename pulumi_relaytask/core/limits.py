"""Rate limits and a thread-safe token bucket, for the client's pacing and the emulator's throttling.

A bucket refills at `rate` tokens per second up to `burst`. The client blocks in `take` until a
token is free (or the operation's deadline would pass); the emulator only asks `try_take` and answers
the vendor's throttling error when it says no. Both read time from an injectable monotonic clock.
A token bucket is ten lines; the libraries that offer one cannot stop waiting at our deadline.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Answer:
    """How a vendor answers a refusal: HTTP status, error code, message."""

    status: int
    code: str
    message: str


@dataclass(frozen=True)
class RateLimits:
    """Calls per second per account and action; `documented` says whether the vendor publishes them."""

    documented: bool
    per_second: Mapping[str, float] = field(default_factory=dict)

    def rate(self, action: str) -> float | None:
        return self.per_second.get(action)


class TokenBucket:
    def __init__(self, rate: float, burst: float | None = None, monotonic: Callable[[], float] | None = None) -> None:
        if rate <= 0:
            raise ValueError("a token bucket needs a positive rate")
        self.rate = rate
        self.burst = burst if burst is not None else max(1.0, rate)
        self._monotonic = monotonic or time.monotonic  # looked up now, so a test can stand in for the clock
        self._tokens = self.burst
        self._stamp = self._monotonic()
        self._lock = threading.Lock()

    def _refill(self) -> None:
        now = self._monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def try_take(self) -> bool:
        """Take a token if one is free now."""
        with self._lock:
            self._refill()
            if self._tokens >= 1:
                self._tokens -= 1
                return True
            return False

    def reserve(self, max_wait: float = float("inf")) -> float | None:
        """Take the next token, possibly ahead of time; return how long to wait before using it, or
        None (taking nothing) when that would be longer than `max_wait`.

        Reserving under the lock and sleeping outside it keeps the threads in arrival order."""
        with self._lock:
            self._refill()
            wait = 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.rate
            if wait > max_wait:
                return None
            self._tokens -= 1
            return wait


class Buckets:
    """One bucket per key (cloud, account, action), made on first use; shared by every thread."""

    def __init__(self, monotonic: Callable[[], float] | None = None) -> None:
        self._monotonic = monotonic
        self._buckets: dict[tuple[str, ...], TokenBucket] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...], rate: float) -> TokenBucket:
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = TokenBucket(rate, monotonic=self._monotonic)
            return bucket

    def clear(self) -> None:
        with self._lock:
            self._buckets.clear()
