"""Request freshness and replay, as the clouds' gateways check them: against the wall clock.

A signed request carries its own time; the gateway refuses it when that time is too far from its
clock, and Alibaba's also refuses a signature nonce it has already seen. The emulator checks both
against `time.time()` (injectable as `wall_clock`), never against its simulated `Clock`: tests move
that clock by days to drive task state, while clients keep stamping the real time.

Each cloud's window is a constant of its wire module (Tencent's lives with its verifier).
"""

from __future__ import annotations

import hashlib
import heapq
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

WallClock = Callable[[], float]  # seconds since the epoch, as time.time()


def wall_now(wall_clock: WallClock) -> datetime:
    return datetime.fromtimestamp(wall_clock(), UTC)


def is_fresh(stamp: datetime, now: datetime, window: timedelta) -> bool:
    """Whether `stamp` lies within `window` of `now`, either side (clients' clocks run fast or slow)."""
    return abs(stamp - now) <= window


class NonceMemory:
    """The nonces seen recently, each kept until no request carrying it could pass the time check.

    A nonce is remembered until its request's own time plus the window (and at least the window from
    when it was seen): after that the time check refuses any replay, so the memory can let it go. The
    memory therefore holds at most the requests of the last two windows, and never more than
    `max_entries` (the soonest to expire go first if a flood fills it). Nonces are kept as digests, so a
    long one costs no more than a short one.
    """

    def __init__(self, window: timedelta, max_entries: int = 1_000_000) -> None:
        self.window = window.total_seconds()
        self.max_entries = max_entries
        self._until: dict[tuple[str, bytes], float] = {}
        self._expiries: list[tuple[float, tuple[str, bytes]]] = []  # a heap of (forget at, key)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._until)

    def first_use(self, account: str, nonce: str, stamp: datetime, now: datetime) -> bool:
        """Record the nonce; False when the account already used it within its window."""
        key = (account, hashlib.sha256(nonce.encode("utf-8", errors="surrogatepass")).digest())
        now_s = now.timestamp()
        forget_at = max(stamp.timestamp(), now_s) + self.window
        with self._lock:
            self._forget_expired(now_s)
            if key in self._until:
                return False
            while len(self._until) >= self.max_entries:
                self._drop_soonest()
            self._until[key] = forget_at
            heapq.heappush(self._expiries, (forget_at, key))
            return True

    def _forget_expired(self, now_s: float) -> None:
        while self._expiries and self._expiries[0][0] <= now_s:
            self._drop_soonest()

    def _drop_soonest(self) -> None:
        forget_at, key = heapq.heappop(self._expiries)
        if self._until.get(key) == forget_at:
            del self._until[key]
