"""Run-time settings shared by the clouds: each key declared once, read from stack config, then the environment.

A cloud declares its `ConfigKey`s (name, description, environment fallbacks, secret, required,
default); the settings resolver reads them and the schema lists them. Values are read in the
provider process and kept in memory only; they never enter the state.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigurationError

ConfigGet = Callable[[str], Any]
ENDPOINT_ENV = "RELAYTASK_ENDPOINT"


@dataclass(frozen=True)
class ConfigKey:
    """One provider configuration key: `relaytask:<name>` in the stack config."""

    name: str
    description: str
    env: tuple[str, ...] = ()
    """Environment variables read, in order, when the stack config does not set the key."""
    secret: bool = False
    required: bool = False
    default: str | None = None
    """What applies when neither is set (in words where it depends on another key)."""


class SettingsSource:
    def __init__(self, config_get: ConfigGet, environ: Mapping[str, str] | None = None) -> None:
        self._config_get = config_get
        self._env = os.environ if environ is None else environ
        self._missing: list[str] = []

    def get(self, key: ConfigKey) -> str | None:
        """`relaytask:<key>` from the stack config, else the first environment variable set."""
        value = self._config_get(f"relaytask:{key.name}")
        if value:
            return str(value)
        for name in key.env:
            if self._env.get(name):
                return self._env[name]
        return None

    def require(self, key: ConfigKey) -> str:
        """Like get, but remembers what is missing so `check_complete` can name everything at once."""
        value = self.get(key)
        if value is None:
            alternatives = f" (or {', '.join(key.env)})" if key.env else ""
            self._missing.append(f"relaytask:{key.name}{alternatives}")
            return ""
        return value

    def endpoint(self, key: ConfigKey, default: str) -> str:
        return (self.get(key) or default).rstrip("/")

    def check_complete(self, cloud: str) -> None:
        if self._missing:
            raise ConfigurationError(f"{cloud} credentials are missing: set " + ", ".join(self._missing))


RETRY_DEADLINE = ConfigKey(
    "retryDeadline",
    "Seconds one resource operation keeps retrying throttling, 5xx and connection errors before it fails. "
    "It also bounds how long a cancelled `pulumi up` can wait for the provider.",
    env=("RELAYTASK_RETRY_DEADLINE",),
    default="120",
)
REQUEST_TIMEOUT = ConfigKey(
    "requestTimeout",
    "Seconds to wait for one answer before the request counts as failed (and is retried).",
    env=("RELAYTASK_REQUEST_TIMEOUT",),
    default="30",
)
CALL_CONFIG = (RETRY_DEADLINE, REQUEST_TIMEOUT)


@dataclass(frozen=True)
class CallPolicy:
    """How long to wait for an answer, and for an operation's retries as a whole."""

    deadline: float = 120.0
    timeout: float = 30.0

    @classmethod
    def resolve(cls, source: SettingsSource) -> CallPolicy:
        return cls(deadline=_seconds(source, RETRY_DEADLINE), timeout=_seconds(source, REQUEST_TIMEOUT))


def _seconds(source: SettingsSource, key: ConfigKey) -> float:
    raw = source.get(key) or key.default or ""
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 86400:
        raise ConfigurationError(f"relaytask:{key.name}: must be a number of seconds in (0, 86400], got {raw!r}")
    return value
