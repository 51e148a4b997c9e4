"""Run-time settings lookup shared by the clouds: stack config first, then environment variables.

Values are read in the provider process and kept in memory only; they never enter the state.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import ConfigurationError

ConfigGet = Callable[[str], Any]
ENDPOINT_ENV = "RELAYTASK_ENDPOINT"


class SettingsSource:
    def __init__(self, config_get: ConfigGet, environ: Mapping[str, str] | None = None) -> None:
        self._config_get = config_get
        self._env = os.environ if environ is None else environ
        self._missing: list[str] = []

    def get(self, key: str, *env_names: str) -> str | None:
        """`relaytask:<key>` from the stack config, else the first environment variable set."""
        value = self._config_get(f"relaytask:{key}")
        if value:
            return str(value)
        for name in env_names:
            if self._env.get(name):
                return self._env[name]
        return None

    def require(self, key: str, *env_names: str) -> str:
        """Like get, but remembers what is missing so `check_complete` can name everything at once."""
        value = self.get(key, *env_names)
        if value is None:
            alternatives = f" (or {', '.join(env_names)})" if env_names else ""
            self._missing.append(f"relaytask:{key}{alternatives}")
            return ""
        return value

    def endpoint(self, key: str, default: str) -> str:
        return (self.get(key, ENDPOINT_ENV) or default).rstrip("/")

    def check_complete(self, cloud: str) -> None:
        if self._missing:
            raise ConfigurationError(f"{cloud} credentials are missing: set " + ", ".join(self._missing))
