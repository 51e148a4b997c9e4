"""Huawei Cloud Live as the generic provider sees it."""

from __future__ import annotations

from ..clouds import Cloud
from ..core.lifecycle import Operations
from ..core.settings import ConfigGet
from .model import RelayTaskArgs
from .rules import RULES
from .settings import CONFIG, HuaweiSettings


def _connect(config_get: ConfigGet) -> Operations:
    # The client, and the HTTP stack under it, load on the first API call: check and diff make none.
    from .api import HuaweiClient
    from .operations import HuaweiOperations

    return HuaweiOperations(HuaweiClient(HuaweiSettings.resolve(config_get)))


CLOUD = Cloud(
    key="huawei",
    title="Huawei Cloud Live",
    description="A Huawei Cloud Live relay task: pull a live stream or a VOD playlist, push it as a live stream. "
    "A change is applied in place only to a PullVodPushLive task and only to the fields ModifyPullTask "
    "accepts; anything else replaces the task (the old one is deleted first: a destination serves one task).",
    provider_class="HuaweiProvider",
    rules=RULES,
    model=RelayTaskArgs,
    config=CONFIG,
    connect=_connect,
)
