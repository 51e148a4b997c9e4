"""The clouds by key: what the generic provider, the schema, the docs and the code generator need of each.

Each cloud package declares its `CLOUD` in `<cloud>/cloud.py`; it is imported on first use, so a
program that uses one cloud loads only that cloud's client.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from .core.fields import Rules
from .core.lifecycle import Lifecycle, Operations
from .core.model import TaskArgs
from .core.settings import ConfigGet, ConfigKey
from .errors import ConfigurationError

KEYS = ("aliyun", "huawei", "tencent")


@dataclass(frozen=True)
class Cloud:
    key: str
    """Module of the cloud's package and middle of its resource tokens (`relaytask:<key>:RelayTask`)."""
    title: str
    description: str
    """What a RelayTask of this cloud is, for the schema, the docs and the resource class."""
    provider_class: str
    """Name of the provider class that stacks made with 0.1 pickled (kept importable for them)."""
    rules: Rules
    model: type[TaskArgs]
    config: tuple[ConfigKey, ...]
    connect: Callable[[ConfigGet], Operations]
    """The cloud's operations, from the stack configuration (called on the first API call)."""

    def lifecycle(self, config_get: ConfigGet) -> Lifecycle:
        return Lifecycle(self.rules, self.model, lambda: self.connect(config_get))


def cloud(key: str) -> Cloud:
    if key not in KEYS:
        raise ConfigurationError(f"unknown cloud {key!r}: one of {', '.join(KEYS)}")
    spec: Cloud = importlib.import_module(f"{__package__}.{key}.cloud").CLOUD
    return spec


def every_cloud() -> list[Cloud]:
    return [cloud(key) for key in KEYS]
