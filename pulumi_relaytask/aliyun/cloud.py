"""Alibaba Cloud ApsaraVideo Live as the generic provider sees it."""

from __future__ import annotations

from ..clouds import Cloud
from ..core.lifecycle import Operations
from ..core.settings import ConfigGet
from .model import RelayTaskArgs
from .rules import RULES
from .settings import CONFIG, AliyunSettings


def _connect(config_get: ConfigGet) -> Operations:
    # The client, and the HTTP stack under it, load on the first API call: check and diff make none.
    from .api import AliyunClient
    from .operations import AliyunOperations

    return AliyunOperations(AliyunClient(AliyunSettings.resolve(config_get)))


CLOUD = Cloud(
    key="aliyun",
    title="Alibaba Cloud ApsaraVideo Live",
    description="An Alibaba Cloud ApsaraVideo Live pull-to-push task. Changing anything but callback_url or "
    "repeat_number of a running task stops it, updates it and restarts it, which interrupts the push (the "
    'preview warns; a playlist resumes where it was). `status="pause"` stops the task and `"enable"` restarts '
    "it; a task that has not started cannot be paused. Alibaba deletes a task at its end time: a refresh then "
    "drops it from the state.",
    provider_class="AliyunProvider",
    rules=RULES,
    model=RelayTaskArgs,
    config=CONFIG,
    connect=_connect,
)
