"""How many API requests the emulator answered, per cloud and operation (for tests and demos).

Throttles from the rate limits are counted apart (`throttled`), so `snapshot()` and
`/_emulator/stats` keep their shape: every request, throttled or not, is in the request counts.

Only the three clouds are counted, and once `know_actions` has named a cloud's operations (the
server does for all three), only those: a request naming an unknown action or a garbage method is
answered but not counted, so junk cannot grow the counters without bound.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Collection

CLOUDS = ("huawei", "tencent", "aliyun")


class RequestStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, Counter[str]] = {cloud: Counter() for cloud in CLOUDS}
        self._throttled: dict[str, Counter[str]] = {cloud: Counter() for cloud in CLOUDS}
        self._actions: dict[str, frozenset[str]] = {}

    def know_actions(self, cloud: str, actions: Collection[str]) -> None:
        """From now on, count only these operations of `cloud`."""
        with self._lock:
            self._actions[cloud] = frozenset(actions)

    def record(self, cloud: str, operation: str) -> None:
        with self._lock:
            if self._counted(cloud, operation):
                self._counts[cloud][operation] += 1

    def record_throttle(self, cloud: str, operation: str) -> None:
        """A request refused by the rate limits (it is also in the request counts)."""
        with self._lock:
            if self._counted(cloud, operation):
                self._throttled[cloud][operation] += 1

    def _counted(self, cloud: str, operation: str) -> bool:
        known = self._actions.get(cloud)
        return cloud in self._counts and (known is None or operation in known)

    def count(self, cloud: str, operation: str) -> int:
        with self._lock:
            return self._counts.get(cloud, Counter())[operation]

    def throttled(self, cloud: str, operation: str) -> int:
        with self._lock:
            return self._throttled.get(cloud, Counter())[operation]

    def snapshot(self) -> dict[str, dict[str, int]]:
        """A copy: `{"huawei": {...}, "tencent": {...}, "aliyun": {...}}`, all three always present."""
        with self._lock:
            return {cloud: dict(counts) for cloud, counts in self._counts.items()}

    def throttle_snapshot(self) -> dict[str, dict[str, int]]:
        """Like `snapshot()`, for the requests the rate limits refused."""
        with self._lock:
            return {cloud: dict(counts) for cloud, counts in self._throttled.items()}
