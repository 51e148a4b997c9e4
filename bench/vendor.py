"""What each cloud's API forces on a step, read from the emulator's own modules so both agree.

The rate limits and throttling answers are the ones the emulator enforces (`emulator.gate.VENDORS`,
the clouds' `limits.py`); the page sizes are the largest each listing accepts. Every limit is per
account and operation, each with its own bucket, so calls of two operations do not wait on each other.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from pulumi_relaytask.emulator.aliyun import checks as aliyun_checks
from pulumi_relaytask.emulator.gate import VENDORS
from pulumi_relaytask.emulator.huawei import checks as huawei_checks
from pulumi_relaytask.emulator.tencent import checks as tencent_checks

from .steps import Step


@dataclass(frozen=True)
class CloudApi:
    """The operations a step cannot do without, and the listing's largest page."""

    create: str
    listing: str
    delete: str
    page_size: int


API: Mapping[str, CloudApi] = {
    "huawei": CloudApi("CreatePullTask", "ListPullTasks", "DeletePullTask", huawei_checks.MAX_LIMIT),
    "tencent": CloudApi(
        "CreateLivePullStreamTask",
        "DescribeLivePullStreamTasks",
        "DeleteLivePullStreamTask",
        tencent_checks.MAX_PAGE_SIZE,
    ),
    "aliyun": CloudApi(
        "CreateLivePullToPush", "DescribeLivePullToPushList", "DeleteLivePullToPush", aliyun_checks.MAX_PAGE_SIZE
    ),
}
CLOUDS = tuple(API)


@dataclass(frozen=True)
class RateLimitFloor:
    """The calls a step cannot avoid and the least time the vendor's rate limits allow for them."""

    calls: dict[str, int]
    rates: dict[str, float]  # calls per second, by operation
    seconds: float
    assumed: bool  # the vendor documents no limit: the figure is this project's assumption


def unavoidable_calls(cloud: str, step: Step, tasks: int) -> dict[str, int]:
    """up: one create per task; preview --refresh: every task listed, a full page at a time;
    no-op up: nothing; destroy: one delete per task."""
    api = API[cloud]
    counts = {
        "up": {api.create: tasks},
        "refresh": {api.listing: math.ceil(tasks / api.page_size)},
        "noop": {},
        "destroy": {api.delete: tasks},
    }[step.key]
    return {operation: n for operation, n in counts.items() if n}


def rate_limit_floor(cloud: str, step: Step, tasks: int) -> RateLimitFloor:
    limits = VENDORS[cloud].rate_limits
    calls = unavoidable_calls(cloud, step, tasks)
    rates: dict[str, float] = {}
    for operation in calls:
        rate = limits.rate(operation)
        if rate is None:
            raise ValueError(f"{cloud} has no rate limit for {operation}")
        rates[operation] = rate
    # Operations have separate buckets: the slowest one bounds the step.
    seconds = max((n / rates[operation] for operation, n in calls.items()), default=0.0)
    return RateLimitFloor(calls, rates, seconds, assumed=not limits.documented)


def refresh_call_limit(cloud: str, tasks: int) -> int:
    """The most calls a `preview --refresh` of `tasks` tasks in one region should need: every page, plus one."""
    return math.ceil(tasks / API[cloud].page_size) + 1


def throttling_code(cloud: str) -> str:
    return VENDORS[cloud].throttled.code
