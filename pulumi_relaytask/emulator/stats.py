"""How many API requests the emulator answered, per cloud and operation (for tests and demos).

Throttles from the rate limits are counted apart (`throttled`), so `snapshot()` and
`/_emulator/stats` keep their shape: every request, throttled or not, is in the request counts.
"""

from __future__ import annotations

import threading
from collections import Counter

CLOUDS = ("huawei", "tencent", "aliyun")


class RequestStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, Counter[str]] = {cloud: Counter() for cloud in CLOUDS}
        self._throttled: dict[str, Counter[str]] = {cloud: Counter() for cloud in CLOUDS}

    def record(self, cloud: str, operation: str) -> None:
        with self._lock:
            self._counts.setdefault(cloud, Counter())[operation] += 1

    def record_throttle(self, cloud: str, operation: str) -> None:
        """A request refused by the rate limits (it is also in the request counts)."""
        with self._lock:
            self._throttled.setdefault(cloud, Counter())[operation] += 1

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
