"""The gate every API request passes after authentication and before the backend: rate limits, then faults.

Each wire calls `Gate.admit(cloud, account, action)` once it knows the account. The gate either
raises (ApiFault with the cloud's THROTTLED or UNAVAILABLE answer, which the wire renders in its
cloud's error shape; ResetConnection, which the server turns into a TCP reset), or returns what to
do with the backend's answer (`AfterBackend`: wait first, or reset instead of answering).

The rate limits, the throttling answer and the 5xx answer are each cloud's own `limits` module,
shared with the client, so both sides agree on them. The gate also holds the latency added to every
API answer, and reads and updates all of these settings for the control endpoint (`state`, `update`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..aliyun import limits as aliyun_limits
from ..core.limits import Answer, Buckets, RateLimits
from ..errors import ApiFault
from ..huawei import limits as huawei_limits
from ..tencent import limits as tencent_limits
from .faults import (
    RATE_LIMIT,
    FaultInjector,
    FaultRule,
    InvalidSetting,
    ResetConnection,
    check_kinds,
    check_rate,
    check_seconds,
    check_seed,
)
from .messages import HttpResponse
from .stats import RequestStats


@dataclass(frozen=True)
class Vendor:
    """What one cloud documents (or this project assumes) about pacing and failures."""

    rate_limits: RateLimits
    throttled: Answer
    unavailable: Answer


VENDORS: Mapping[str, Vendor] = {
    "huawei": Vendor(huawei_limits.RATE_LIMITS, huawei_limits.THROTTLED, huawei_limits.UNAVAILABLE),
    "tencent": Vendor(tencent_limits.RATE_LIMITS, tencent_limits.THROTTLED, tencent_limits.UNAVAILABLE),
    "aliyun": Vendor(aliyun_limits.RATE_LIMITS, aliyun_limits.THROTTLED, aliyun_limits.UNAVAILABLE),
}

SETTINGS = ("rate", "seed", "kinds", "slow_seconds", "latency_ms", "rate_limits", "rules")


@dataclass(frozen=True)
class AfterBackend:
    """What happens to the backend's answer: sent after `delay` seconds, or replaced by a TCP reset."""

    delay: float = 0.0
    reset: bool = False

    def apply(self, response: HttpResponse) -> HttpResponse:
        response.delay += self.delay
        response.reset = response.reset or self.reset
        return response


ANSWER = AfterBackend()  # answer as usual


def _refusal(answer: Answer) -> ApiFault:
    return ApiFault(answer.status, answer.code, answer.message)


class Gate:
    def __init__(
        self,
        faults: FaultInjector,
        stats: RequestStats,
        *,
        rate_limits: bool = True,
        latency_ms: float = 0.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.faults = faults
        self.stats = stats
        self._buckets = Buckets(monotonic)
        self._rate_limits = bool(rate_limits)
        self._latency_ms = check_seconds(latency_ms, "latency_ms")

    # -- settings -----------------------------------------------------------------------------

    @property
    def rate_limits(self) -> bool:
        return self._rate_limits

    @rate_limits.setter
    def rate_limits(self, enabled: bool) -> None:
        self._rate_limits = bool(enabled)
        self._buckets.clear()  # switched back on, every account starts with a full bucket

    @property
    def latency_ms(self) -> float:
        return self._latency_ms

    @latency_ms.setter
    def latency_ms(self, value: float) -> None:
        self._latency_ms = check_seconds(value, "latency_ms")

    # -- per request --------------------------------------------------------------------------

    def admit(self, cloud: str, account: str, action: str) -> AfterBackend:
        """Let one authenticated request through to the backend, or refuse it the cloud's way."""
        vendor = VENDORS[cloud]
        if self._rate_limits:
            rate = vendor.rate_limits.rate(action)
            if rate is not None and not self._buckets.get((cloud, account, action), rate).try_take():
                self.faults.record(cloud, action, RATE_LIMIT)
                self.stats.record_throttle(cloud, action)
                raise _refusal(vendor.throttled)
        injected = self.faults.decide(cloud, action)
        if injected is None:
            return ANSWER
        match injected.kind:
            case "throttle":
                raise _refusal(vendor.throttled)
            case "error":
                raise _refusal(vendor.unavailable)
            case "reset_before":
                raise ResetConnection(f"injected reset_before on {cloud} {action}")
            case "reset_after":
                return AfterBackend(reset=True)
            case "slow":
                return AfterBackend(delay=injected.slow_seconds)
        raise AssertionError(f"no handling for fault kind {injected.kind!r}")

    def deliver(self, response: HttpResponse) -> HttpResponse:
        """Add the configured latency to an API answer."""
        response.delay += self._latency_ms / 1000.0
        return response

    # -- the control endpoint -----------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """`{"settings": {rate, seed, kinds, slow_seconds, latency_ms, rate_limits}, "rules", "counts"}`."""
        settings = {**self.faults.settings.as_json(), "latency_ms": self._latency_ms, "rate_limits": self._rate_limits}
        return {
            "settings": settings,
            "rules": [rule.as_json() for rule in self.faults.rules()],
            "counts": self.faults.counts(),
        }

    def update(self, document: object) -> None:
        """Apply a PUT body: any of the SETTINGS; `seed` reseeds, `rules` replaces the rules.

        Everything is checked before anything changes; InvalidSetting names the offending field."""
        if not isinstance(document, Mapping):
            raise InvalidSetting("body", f"must be a JSON object with any of {', '.join(SETTINGS)}")
        unknown = sorted(str(key) for key in document if key not in SETTINGS)
        if unknown:
            raise InvalidSetting(unknown[0], f"is not a setting; the settings are {', '.join(SETTINGS)}")
        rate = check_rate(document["rate"]) if "rate" in document else None
        seed = check_seed(document["seed"]) if "seed" in document else None
        kinds = check_kinds(document["kinds"]) if "kinds" in document else None
        slow = check_seconds(document["slow_seconds"], "slow_seconds") if "slow_seconds" in document else None
        latency = check_seconds(document["latency_ms"], "latency_ms") if "latency_ms" in document else None
        rate_limits = document.get("rate_limits")
        if "rate_limits" in document and not isinstance(rate_limits, bool):
            raise InvalidSetting("rate_limits", "must be true or false")
        rules = self._rules_from(document["rules"]) if "rules" in document else None
        self.faults.configure(rate=rate, seed=seed, kinds=kinds, slow_seconds=slow, rules=rules)
        if latency is not None:
            self.latency_ms = latency
        if rate_limits is not None and rate_limits != self._rate_limits:
            self.rate_limits = rate_limits

    def turn_off(self) -> None:
        """DELETE: no random faults, no rules; counts, latency and rate limits stay as they are."""
        self.faults.clear()

    def _rules_from(self, document: object) -> list[FaultRule]:
        if not isinstance(document, list):
            raise InvalidSetting("rules", "must be a list of {cloud, action, kind, count} objects")
        rules = []
        for index, item in enumerate(document):
            field = f"rules[{index}]"
            rule = FaultRule.from_json(item, field)
            try:
                rules.append(self.faults.check_rule(rule))
            except InvalidSetting as exc:
                raise InvalidSetting(f"{field}.{exc.field}", exc.rule) from None
        return rules
