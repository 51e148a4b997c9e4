"""Reproducible fault injection: random faults drawn from a seeded generator, and targeted rules.

For each API request that passed authentication (never `/_emulator/*`), `FaultInjector.decide`
first looks for a rule matching (cloud, action), then, with probability `rate`, picks one of the
enabled kinds uniformly:

    throttle      the cloud's THROTTLED answer; the backend is not called
    error         the cloud's UNAVAILABLE answer; the backend is not called
    reset_before  a TCP reset instead of an answer; the backend is not called
    reset_after   the backend is called (a write is applied), then a TCP reset instead of its answer
    slow          the backend is called, then the answer waits `slow_seconds` (past the client's timeout)

The draws come from one `random.Random(seed)` under a lock, so the same seed and the same order of
requests give the same decisions. What each kind does to a request is the gate's business (gate.py).
Throttles from the rate limits are counted here too, under kind `rate_limit`, apart from injected ones.
"""

from __future__ import annotations

import dataclasses
import math
import random
import threading
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .stats import CLOUDS

KINDS: tuple[str, ...] = ("throttle", "error", "reset_before", "reset_after", "slow")
RATE_LIMIT = "rate_limit"  # the count key of throttles answered by the rate limits, not injected
UNTIL_CLEARED = -1


class InvalidSetting(ValueError):
    """A fault setting breaks its rule; `field` names it (as the control endpoint's JSON does)."""

    def __init__(self, field: str, rule: str) -> None:
        self.field = field
        self.rule = rule
        super().__init__(f"{field}: {rule}")


class ResetConnection(Exception):
    """Raised for `reset_before`: the server closes the connection with a TCP reset and answers nothing."""


# -- checks shared by the settings, the control endpoint and the command line ---------------------


def _number(value: object, field: str) -> float:
    # bool is an int to Python, but `true` is not a number to anyone writing JSON.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidSetting(field, "must be a finite number")
    return float(value)


def check_rate(value: object, field: str = "rate") -> float:
    rate = _number(value, field)
    if not 0.0 <= rate <= 1.0:
        raise InvalidSetting(field, "must be between 0 and 1")
    return rate


def check_seconds(value: object, field: str) -> float:
    seconds = _number(value, field)
    if seconds < 0:
        raise InvalidSetting(field, "must not be negative")
    return seconds


def check_seed(value: object, field: str = "seed") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidSetting(field, "must be an integer")
    return value


def check_kinds(value: object, field: str = "kinds") -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidSetting(field, f"must be a list of kinds among {', '.join(KINDS)}")
    kinds = list(value)
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        raise InvalidSetting(field, f"unknown kind(s) {unknown!r}; the kinds are {', '.join(KINDS)}")
    if not kinds:
        raise InvalidSetting(field, "must name at least one kind")
    return tuple(dict.fromkeys(kinds))  # duplicates would weigh a kind more than the others


# -- values ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FaultSettings:
    """The random faults: probability per request, seed, enabled kinds, and how long `slow` waits."""

    rate: float = 0.0
    seed: int = 0
    kinds: tuple[str, ...] = KINDS
    slow_seconds: float = 31.0  # past the clients' 30 s default timeout

    def __post_init__(self) -> None:
        object.__setattr__(self, "rate", check_rate(self.rate))
        object.__setattr__(self, "seed", check_seed(self.seed))
        object.__setattr__(self, "kinds", check_kinds(self.kinds))
        object.__setattr__(self, "slow_seconds", check_seconds(self.slow_seconds, "slow_seconds"))

    def as_json(self) -> dict[str, Any]:
        return {"rate": self.rate, "seed": self.seed, "kinds": list(self.kinds), "slow_seconds": self.slow_seconds}


@dataclass(frozen=True)
class FaultRule:
    """Inject `kind` on the next `count` requests for (cloud, action); count -1: until cleared."""

    cloud: str
    action: str
    kind: str
    count: int = 1

    def __post_init__(self) -> None:
        if self.cloud not in CLOUDS:
            raise InvalidSetting("cloud", f"must be one of {', '.join(CLOUDS)}")
        if not isinstance(self.action, str) or not self.action:
            raise InvalidSetting("action", "must be a non-empty string")
        if self.kind not in KINDS:
            raise InvalidSetting("kind", f"must be one of {', '.join(KINDS)}")
        count = check_seed(self.count, "count")
        if count == 0 or count < UNTIL_CLEARED:
            raise InvalidSetting("count", "must be a positive number of requests, or -1 for until cleared")

    @classmethod
    def from_json(cls, document: object, field: str) -> FaultRule:
        """A rule from the control endpoint's JSON; errors name `field` plus the key (`rules[0].kind`)."""
        if not isinstance(document, Mapping):
            raise InvalidSetting(field, "must be an object with cloud, action, kind and optionally count")
        unknown = sorted(set(document) - {"cloud", "action", "kind", "count"})
        if unknown:
            raise InvalidSetting(f"{field}.{unknown[0]}", "is not a rule field (cloud, action, kind, count)")
        for key in ("cloud", "action", "kind"):
            if key not in document:
                raise InvalidSetting(f"{field}.{key}", "is required")
        try:
            return cls(document["cloud"], document["action"], document["kind"], document.get("count", 1))
        except InvalidSetting as exc:
            raise InvalidSetting(f"{field}.{exc.field}", exc.rule) from None

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Injected:
    """One decision: the kind to inject, and the `slow` wait in force when it was drawn."""

    kind: str
    slow_seconds: float


# -- the injector ---------------------------------------------------------------------------------


class FaultInjector:
    """Thread-safe: settings, rules and counts change under one lock, as requests are decided."""

    def __init__(self, settings: FaultSettings | None = None) -> None:
        self._lock = threading.Lock()
        self._settings = settings or FaultSettings()
        self._random = random.Random(self._settings.seed)
        self._actions: dict[str, frozenset[str]] = {}
        self._rules: list[FaultRule] = []
        self._by_kind: Counter[str] = Counter()
        self._by_action: dict[tuple[str, str], Counter[str]] = {}

    @property
    def settings(self) -> FaultSettings:
        return self._settings

    def configure(
        self,
        settings: FaultSettings | None = None,
        *,
        rate: float | None = None,
        seed: int | None = None,
        kinds: Iterable[str] | None = None,
        slow_seconds: float | None = None,
        rules: Iterable[FaultRule] | None = None,
    ) -> FaultSettings:
        """Replace the settings (whole, or the fields given) and, if given, the rules, in one step.

        The generator is reseeded when a seed is given (alone or within `settings`), so a test can
        replay a sequence of decisions; otherwise it carries on where it was."""
        changes: dict[str, Any] = {}
        if rate is not None:
            changes["rate"] = rate
        if seed is not None:
            changes["seed"] = seed
        if kinds is not None:
            changes["kinds"] = tuple(kinds)
        if slow_seconds is not None:
            changes["slow_seconds"] = slow_seconds
        new_rules = None if rules is None else [self.check_rule(rule) for rule in rules]
        with self._lock:  # read and replace in one step, so concurrent changes are not lost
            updated = dataclasses.replace(settings or self._settings, **changes)  # checked in __post_init__
            self._settings = updated
            if settings is not None or seed is not None:
                self._random.seed(updated.seed)
            if new_rules is not None:
                self._rules = new_rules
        return updated

    def add_rule(self, cloud: str, action: str, kind: str, count: int = 1) -> FaultRule:
        rule = self.check_rule(FaultRule(cloud, action, kind, count))
        with self._lock:
            self._rules.append(rule)
        return rule

    def rules(self) -> list[FaultRule]:
        """The rules in force, each with the count it has left."""
        with self._lock:
            return list(self._rules)

    def clear(self) -> None:
        """No more faults: rate 0 and no rules. The counts are kept."""
        with self._lock:
            self._settings = dataclasses.replace(self._settings, rate=0.0)
            self._rules = []

    def decide(self, cloud: str, action: str) -> Injected | None:
        """The fault for one request, or None; a matching rule comes before the random draw."""
        with self._lock:
            kind = self._from_rules(cloud, action)
            if kind is None:
                settings = self._settings
                # No draw at rate 0 (nor for a rule above): the sequence advances only with the
                # requests it decides, so a replay need not repeat the others.
                if settings.rate <= 0 or self._random.random() >= settings.rate:
                    return None
                kind = self._random.choice(settings.kinds)
            self._count(cloud, action, kind)
            return Injected(kind, self._settings.slow_seconds)

    def record(self, cloud: str, action: str, kind: str) -> None:
        """Count a fault decided elsewhere (the rate limits' throttles, as `rate_limit`)."""
        with self._lock:
            self._count(cloud, action, kind)

    def counts(self) -> dict[str, Any]:
        """`{"total": n, "by_kind": {kind: n}, "by_cloud": {cloud: {action: {kind: n}}}}`, a copy."""
        with self._lock:
            by_cloud: dict[str, dict[str, dict[str, int]]] = {cloud: {} for cloud in CLOUDS}
            for (cloud, action), kinds in self._by_action.items():
                by_cloud.setdefault(cloud, {})[action] = dict(kinds)
            return {"total": sum(self._by_kind.values()), "by_kind": dict(self._by_kind), "by_cloud": by_cloud}

    def reset_counts(self) -> None:
        with self._lock:
            self._by_kind.clear()
            self._by_action.clear()

    def know_actions(self, cloud: str, actions: Collection[str]) -> None:
        """From now on, a rule for `cloud` must name one of `actions`: a typo is an error, not a rule
        that silently never fires."""
        self._actions[cloud] = frozenset(actions)

    def check_rule(self, rule: FaultRule) -> FaultRule:
        """The rule, if its action is one the emulator knows for its cloud (InvalidSetting otherwise)."""
        known = self._actions.get(rule.cloud)
        if known is not None and rule.action not in known:
            choices = ", ".join(sorted(known))
            raise InvalidSetting("action", f"{rule.cloud} has no action {rule.action!r}; it has {choices}")
        return rule

    # -- internals: the caller holds the lock ----------------------------------------------------

    def _from_rules(self, cloud: str, action: str) -> str | None:
        for index, rule in enumerate(self._rules):
            if rule.cloud == cloud and rule.action == action:
                if rule.count == 1:
                    del self._rules[index]
                elif rule.count > 1:
                    self._rules[index] = dataclasses.replace(rule, count=rule.count - 1)
                return rule.kind
        return None

    def _count(self, cloud: str, action: str, kind: str) -> None:
        self._by_kind[kind] += 1
        self._by_action.setdefault((cloud, action), Counter())[kind] += 1
