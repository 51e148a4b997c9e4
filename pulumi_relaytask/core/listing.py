"""Reads served from a listing shared by every read of one provider process.

A refresh reads each task of a stack, one call per task; one listing page answers for up to 100
tasks (Huawei, Alibaba; 20 on Tencent). So the refresh reads of a process share, per cloud, account
and region (the `key`), one listing, read page by page as the reads need it:

- single-flight: one page is fetched at a time, and the reads waiting for it look again first (the
  engine unpickles several provider objects per process, each serving reads on 4 threads; the
  listing is module-level, in each cloud's operations);
- kept `TTL_SECONDS` from its first page, then started afresh;
- kept up to date by this process's own writes: every single-task read (a create's or an update's
  read-back) and every delete is recorded, and a page read later never overwrites what was recorded;
- bounded: a read may fetch pages only while the pages read stay within the reads asked plus
  `ALLOWANCE` (a small stack in a large account does not list every page);
- never the last word on absence: a task the listing does not hold (absent, or beyond the pages the
  budget allows) is read on its own before it is declared gone.
Reference: docs/api-notes.md, "Reading many tasks".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ..errors import RelayTaskError

T = TypeVar("T")

TTL_SECONDS = 30.0
"""How long a listing serves reads: long enough for one refresh of a few thousand tasks, short enough that
a later command never sees it (each command has its own provider process)."""
ALLOWANCE = 10
"""Pages a listing may read beyond one per read asked: enough for a stack that owns its account's tasks
to be refreshed in ceil(N / page size) calls whatever order the listing has (Tencent: newest update first)."""


@dataclass
class _Snapshot(Generic[T]):
    pages: Iterator[Sequence[T]]
    born: float
    tasks: dict[str, T] = field(default_factory=dict)
    recorded: set[str] = field(default_factory=set)
    """Ids whose value this process read on its own or deleted since: pages do not overwrite them."""
    fetched: int = 0
    asked: int = 0
    done: bool = False
    state: threading.Lock = field(default_factory=threading.Lock)
    fetching: threading.Lock = field(default_factory=threading.Lock)


class SharedListing(Generic[T]):
    """The listings of one cloud, by key; `task_id` names a listed task."""

    def __init__(
        self,
        task_id: Callable[[T], str],
        *,
        ttl: float = TTL_SECONDS,
        allowance: int = ALLOWANCE,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._task_id = task_id
        self._ttl = ttl
        self._allowance = allowance
        self._monotonic = monotonic
        self._snapshots: dict[Hashable, _Snapshot[T]] = {}
        self._lock = threading.Lock()

    def read(
        self,
        key: Hashable,
        task_id: str,
        single: Callable[[], T | None],
        pages: Callable[[], Iterator[Sequence[T]]] | None = None,
    ) -> T | None:
        """The task (None: gone). With `pages` (a refresh) it may come from the listing; otherwise, or when
        the listing does not hold it, `single` reads it now and the listing records what it read."""
        found = self._find(key, task_id, pages) if pages is not None else None
        if found is not None:
            return found
        task = single()
        self.record(key, task_id, task)
        return task

    def record(self, key: Hashable, task_id: str, task: T | None) -> None:
        """What this process now knows of a task (None: deleted), so the listing never serves an older value."""
        with self._lock:
            snapshot = self._current(key)
        if snapshot is None:
            return
        with snapshot.state:
            snapshot.recorded.add(task_id)
            if task is None:
                snapshot.tasks.pop(task_id, None)
            else:
                snapshot.tasks[task_id] = task

    def clear(self) -> None:
        with self._lock:
            self._snapshots.clear()

    def _current(self, key: Hashable) -> _Snapshot[T] | None:
        """The key's listing while it serves (the caller holds `_lock`)."""
        snapshot = self._snapshots.get(key)
        if snapshot is not None and self._monotonic() - snapshot.born > self._ttl:
            del self._snapshots[key]
            return None
        return snapshot

    def _find(self, key: Hashable, task_id: str, pages: Callable[[], Iterator[Sequence[T]]]) -> T | None:
        with self._lock:
            snapshot = self._current(key)
            if snapshot is None:
                snapshot = self._snapshots[key] = _Snapshot(pages(), self._monotonic())
        with snapshot.state:
            snapshot.asked += 1
        while True:
            with snapshot.state:
                if task_id in snapshot.tasks:
                    return snapshot.tasks[task_id]
                if snapshot.done or snapshot.fetched >= snapshot.asked + self._allowance:
                    return None
                seen = snapshot.fetched
            with snapshot.fetching:
                with snapshot.state:
                    if snapshot.fetched != seen or snapshot.done:
                        continue  # another read fetched a page meanwhile: look there first
                self._fetch(key, snapshot)

    def _fetch(self, key: Hashable, snapshot: _Snapshot[T]) -> None:
        """Read the next page (the caller holds `fetching`). A page that fails ends the listing: the reads
        fall back to single-task reads, which report the failure if it lasts."""
        try:
            page = next(snapshot.pages, None)
        except RelayTaskError:
            page = None
            with self._lock:
                if self._snapshots.get(key) is snapshot:
                    del self._snapshots[key]
        with snapshot.state:
            if page is None:
                snapshot.done = True
                return
            snapshot.fetched += 1
            for task in page:
                task_id = self._task_id(task)
                if task_id not in snapshot.recorded:
                    snapshot.tasks[task_id] = task


def each_once(pages: Iterable[Sequence[T]], task_id: Callable[[T], str]) -> Iterator[T]:
    """Every task of the pages, once: a listing read page by page may list a task twice when the account
    changes meanwhile (a task moved, or a new one pushing the others a place on)."""
    seen: set[str] = set()
    for page in pages:
        for task in page:
            if task_id(task) not in seen:
                seen.add(task_id(task))
                yield task
