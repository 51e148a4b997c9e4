"""The call skeleton's pacing and waits: one token bucket per cloud, account and action, shared by every
thread and client of the process; Retry-After honoured; backoff with jitter inside the deadline."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from pulumi_relaytask.core.call import BUCKETS, retry_after
from pulumi_relaytask.core.limits import Buckets, TokenBucket
from pulumi_relaytask.core.settings import CallPolicy
from pulumi_relaytask.tencent.api import TencentClient
from pulumi_relaytask.tencent.limits import RATE_LIMITS
from pulumi_relaytask.tencent.settings import TencentSettings

DESCRIBE = "DescribeLivePullStreamTasks"


@pytest.fixture(autouse=True)
def fresh_buckets() -> Iterator[None]:
    BUCKETS.clear()
    yield
    BUCKETS.clear()


def test_a_bucket_shared_by_four_threads_hands_out_one_slot_per_token_at_its_rate() -> None:
    bucket = TokenBucket(rate=20, monotonic=lambda: 0.0)  # time stands still: every wait is a reservation
    waits: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(4)

    def worker() -> None:
        start.wait()
        for _ in range(15):
            wait = bucket.reserve()
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 20 tokens at once (one second's worth), then one every 1/20 s: no slot given twice, none skipped.
    assert sorted(round(w, 6) for w in waits) == [0.0] * 20 + [round(i / 20, 6) for i in range(1, 41)]


def test_the_bucket_refills_at_its_rate_up_to_its_burst() -> None:
    now = [0.0]
    bucket = TokenBucket(rate=10, monotonic=lambda: now[0])
    assert sum(bucket.try_take() for _ in range(15)) == 10
    now[0] += 0.35
    assert sum(bucket.try_take() for _ in range(15)) == 3
    now[0] += 100
    assert sum(bucket.try_take() for _ in range(15)) == 10


def envelope(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"Response": {"TaskInfos": [], "RequestId": "r"}})


def test_clients_of_one_account_share_the_action_s_bucket_across_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("time.monotonic", lambda: 0.0)
    slept: list[float] = []
    lock = threading.Lock()

    def sleep(seconds: float) -> None:
        with lock:
            slept.append(seconds)

    settings = TencentSettings("id", "key", "ap-guangzhou", "http://live.test", policy=CallPolicy(deadline=60))
    clients = [TencentClient(settings, transport=httpx.MockTransport(envelope), sleep=sleep) for _ in range(2)]
    other = TencentClient(
        TencentSettings("other-id", "key", "ap-guangzhou", "http://live.test", policy=CallPolicy(deadline=60)),
        transport=httpx.MockTransport(envelope),
        sleep=sleep,
    )
    rate = RATE_LIMITS.rate(DESCRIBE)
    assert rate == 30

    def worker(n: int) -> None:
        for _ in range(20):
            clients[n % 2].describe_task("t")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 80 calls at 30/s after a burst of 30: the last one waits 50/30 s.
    assert len(slept) == 50 and max(slept) == pytest.approx(50 / 30)
    slept.clear()
    other.describe_task("t")  # another account has its own bucket
    assert slept == []


def test_a_throttled_answer_waits_at_least_its_retry_after() -> None:
    answers = iter(
        [
            httpx.Response(429, headers={"Retry-After": "3"}, text="slow down"),
            httpx.Response(200, json={"Response": {"TaskInfos": [], "RequestId": "r"}}),
        ]
    )
    slept: list[float] = []
    settings = TencentSettings("id", "key", "ap-guangzhou", "http://live.test", policy=CallPolicy(deadline=60))
    client = TencentClient(settings, transport=httpx.MockTransport(lambda _r: next(answers)), sleep=slept.append)
    assert client.describe_task("t") is None
    assert slept and slept[-1] >= 3


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    date = (now + timedelta(seconds=7)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert retry_after(httpx.Response(429, headers={"Retry-After": "4"})) == 4.0
    assert retry_after(httpx.Response(429, headers={"Retry-After": date}), now) == 7.0
    assert retry_after(httpx.Response(429, headers={"Retry-After": "soon"})) is None
    assert retry_after(httpx.Response(429)) is None


def test_buckets_are_made_once_per_key() -> None:
    buckets = Buckets()
    assert buckets.get(("c", "a", "x"), 5) is buckets.get(("c", "a", "x"), 5)
    assert buckets.get(("c", "a", "x"), 5) is not buckets.get(("c", "b", "x"), 5)
