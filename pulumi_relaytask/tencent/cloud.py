"""Tencent Cloud Live as the generic provider sees it."""

from __future__ import annotations

from ..clouds import Cloud
from ..core.lifecycle import Operations
from ..core.settings import ConfigGet
from .model import RelayTaskArgs
from .rules import RULES
from .settings import CONFIG, TencentSettings


def _connect(config_get: ConfigGet) -> Operations:
    # The client, and the HTTP stack under it, load on the first API call: check and diff make none.
    from .api import TencentClient
    from .operations import TencentOperations

    return TencentOperations(TencentClient(TencentSettings.resolve(config_get)))


CLOUD = Cloud(
    key="tencent",
    title="Tencent Cloud Live",
    description="A Tencent Cloud Live pull-stream task. Everything ModifyLivePullStreamTask accepts is updated "
    "in place, pause and resume included; the source type, the destination's domain/app/stream, push args and "
    "region are replacements. Creates carry a provider-chosen task id, so a retried create never duplicates a "
    "task.",
    provider_class="TencentProvider",
    rules=RULES,
    model=RelayTaskArgs,
    config=CONFIG,
    connect=_connect,
)
