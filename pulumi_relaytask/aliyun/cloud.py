"""Alibaba Cloud ApsaraVideo Live as the generic provider sees it."""

from __future__ import annotations

from ..clouds import Cloud
from .api import AliyunClient
from .model import RelayTaskArgs
from .operations import AliyunOperations
from .rules import RULES
from .settings import CONFIG, AliyunSettings

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
    connect=lambda config_get: AliyunOperations(AliyunClient(AliyunSettings.resolve(config_get))),
)
