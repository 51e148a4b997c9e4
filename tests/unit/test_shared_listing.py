"""The listing shared by a process's reads (core/listing.py), against a fake paged account.

The pages count their calls; the reads run on 4 threads, as the engine's do in one provider process.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest

from pulumi_relaytask.core.listing import ALLOWANCE, SharedListing, each_once
from pulumi_relaytask.errors import ThrottledError

KEY = ("endpoint", "account", "region")


class Account:
    """Tasks `t0`..`t{n-1}` as dicts, listed `size` to a page; each page and each single read is counted."""

    def __init__(self, n: int, size: int, *, newest_first: bool = False, pause: float = 0.0) -> None:
        self.tasks = {f"t{i}": {"id": f"t{i}", "v": 0} for i in range(n)}
        self.size = size
        self.newest_first = newest_first
        self.pause = pause
        self.page_calls = 0
        self.single_calls: list[str] = []
        self.fail_page: int | None = None
        self._lock = threading.Lock()

    def pages(self) -> Iterator[list[dict[str, object]]]:
        number = 0
        # The pages answer the account as it was when the listing began (the worst a listing can do).
        ordered = [dict(task) for task in self.tasks.values()][:: -1 if self.newest_first else 1]
        while True:
            with self._lock:
                self.page_calls += 1
            time.sleep(self.pause)  # a call takes time: concurrent reads pile up behind it
            if number == self.fail_page:
                raise ThrottledError("huawei", "ListPullTasks", 429, "APIGW.0308", "throttled")
            page = ordered[number * self.size : (number + 1) * self.size]
            yield page
            number += 1
            if number * self.size >= len(ordered):
                return

    def single(self, task_id: str) -> dict[str, object] | None:
        with self._lock:
            self.single_calls.append(task_id)
        task = self.tasks.get(task_id)
        return None if task is None else dict(task)


def refresh(listing: SharedListing[dict[str, object]], account: Account, ids: list[str]) -> list[object]:
    def read(task_id: str) -> object:
        return listing.read(KEY, task_id, lambda: account.single(task_id), account.pages)

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(read, ids))


def listing() -> SharedListing[dict[str, object]]:
    return SharedListing(lambda task: str(task["id"]))


@pytest.mark.parametrize("newest_first", [False, True])
def test_a_refresh_on_4_threads_reads_each_page_once(newest_first: bool) -> None:
    # 10 pages (Tencent's quota of 200 at 20 a page); the stack reads in creation order, which a
    # newest-first listing holds backwards: the reads want the last page first.
    account = Account(200, 20, newest_first=newest_first, pause=0.002)
    ids = list(account.tasks)
    found = refresh(listing(), account, ids)
    assert found == [account.tasks[task_id] for task_id in ids]
    assert (account.page_calls, account.single_calls) == (math.ceil(200 / 20), [])


def test_reads_through_several_objects_of_one_key_share_the_pages() -> None:
    shared = listing()
    account = Account(300, 100, pause=0.002)
    ids = list(account.tasks)
    refresh(shared, account, ids[::2])
    refresh(shared, account, ids[1::2])
    assert (account.page_calls, account.single_calls) == (3, [])


def test_another_key_lists_its_own_pages() -> None:
    shared, account = listing(), Account(5, 100)
    assert shared.read(KEY, "t1", lambda: account.single("t1"), account.pages) == account.tasks["t1"]
    assert shared.read(("other",), "t1", lambda: account.single("t1"), account.pages) == account.tasks["t1"]
    assert account.page_calls == 2


def test_a_task_the_listing_lacks_is_read_once_before_it_is_declared_gone() -> None:
    account = Account(150, 100)
    del account.tasks["t7"]
    found = refresh(listing(), account, ["t1", "t7", "t120"])
    assert found == [account.tasks["t1"], None, account.tasks["t120"]]
    assert (account.page_calls, account.single_calls) == (2, ["t7"])


def test_a_small_stack_in_a_large_account_does_not_read_every_page() -> None:
    account = Account(100 * 100, 100)
    wanted = ["t9999", "t9998", "t9997"]  # on the last of 100 pages
    assert refresh(listing(), account, wanted) == [account.tasks[task_id] for task_id in wanted]
    assert account.page_calls <= len(wanted) + ALLOWANCE
    assert sorted(account.single_calls) == sorted(wanted)


def test_what_this_process_read_or_deleted_wins_over_the_listing() -> None:
    shared, account = listing(), Account(250, 100)
    assert shared.read(KEY, "t0", lambda: account.single("t0"), account.pages) == {"id": "t0", "v": 0}
    # A write of this process and its read-back, then a delete: the pages not read yet hold the values of
    # when the listing began, and must not bring the old ones back.
    account.tasks["t150"]["v"] = 1
    assert shared.read(KEY, "t150", lambda: account.single("t150")) == {"id": "t150", "v": 1}
    for deleted in ("t5", "t220"):  # on the page read already, and on one not read yet
        shared.record(KEY, deleted, None)
        del account.tasks[deleted]
    assert shared.read(KEY, "t150", lambda: account.single("t150"), account.pages) == {"id": "t150", "v": 1}
    for deleted in ("t5", "t220"):
        assert shared.read(KEY, deleted, partial(account.single, deleted), account.pages) is None
    assert (account.page_calls, account.single_calls) == (3, ["t150", "t5", "t220"])


def test_a_read_without_pages_is_a_single_read_now() -> None:
    shared, account = listing(), Account(10, 100)
    assert shared.read(KEY, "t3", lambda: account.single("t3")) == account.tasks["t3"]
    assert (account.page_calls, account.single_calls) == (0, ["t3"])


def test_a_listing_older_than_its_time_is_read_again() -> None:
    now = [0.0]
    shared = SharedListing[dict[str, object]](lambda task: str(task["id"]), ttl=30, monotonic=lambda: now[0])
    account = Account(10, 100)
    shared.read(KEY, "t0", lambda: account.single("t0"), account.pages)
    account.tasks["t0"]["v"] = 5  # changed out of band
    now[0] = 29.0
    assert shared.read(KEY, "t0", lambda: account.single("t0"), account.pages) == {"id": "t0", "v": 0}
    now[0] = 31.0
    assert shared.read(KEY, "t0", lambda: account.single("t0"), account.pages) == {"id": "t0", "v": 5}
    assert account.page_calls == 2


def test_a_page_that_fails_leaves_the_reads_to_single_reads_and_the_next_listing_starts_afresh() -> None:
    shared, account = listing(), Account(250, 100)
    account.fail_page = 1
    assert shared.read(KEY, "t150", lambda: account.single("t150"), account.pages) == account.tasks["t150"]
    assert account.single_calls == ["t150"]
    account.fail_page = None
    assert shared.read(KEY, "t151", lambda: account.single("t151"), account.pages) == account.tasks["t151"]
    assert (account.page_calls, account.single_calls) == (2 + 2, ["t150"])


def test_each_once_gives_a_task_listed_twice_once() -> None:
    pages = [[{"id": "a"}, {"id": "b"}], [{"id": "b"}, {"id": "c"}]]
    assert [task["id"] for task in each_once(pages, lambda task: task["id"])] == ["a", "b", "c"]
