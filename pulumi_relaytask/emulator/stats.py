"""How many API requests the emulator answered, per cloud and operation (for tests and demos)."""

from __future__ import annotations

import threading
from collections import Counter

CLOUDS = ("huawei", "tencent", "aliyun")


class RequestStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, Counter[str]] = {cloud: Counter() for cloud in CLOUDS}

    def record(self, cloud: str, operation: str) -> None:
        with self._lock:
            self._counts.setdefault(cloud, Counter())[operation] += 1

    def count(self, cloud: str, operation: str) -> int:
        with self._lock:
            return self._counts.get(cloud, Counter())[operation]

    def snapshot(self) -> dict[str, dict[str, int]]:
        """A copy: `{"huawei": {...}, "tencent": {...}, "aliyun": {...}}`, all three always present."""
        with self._lock:
            return {cloud: dict(counts) for cloud, counts in self._counts.items()}
