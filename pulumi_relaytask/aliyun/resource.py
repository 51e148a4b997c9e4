"""`aliyun.RelayTask`: an Alibaba Cloud ApsaraVideo Live pull-to-push task as a Pulumi resource.

Changing anything but callback_url or repeat_number of a running task stops it, updates it and
restarts it, which interrupts the push (the preview warns; a playlist resumes where it was).
`status="pause"` stops the task and `"enable"` restarts it; a task that has not started yet cannot
be paused (Alibaba stops running tasks only), which `pulumi preview` reports. Alibaba deletes a
task at its end time: a refresh then drops it from the state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from ..core.lifecycle import Lifecycle
from ..core.settings import ConfigGet
from ..provider import RelayTaskProvider, resource_options, resource_props, secret_when_query
from .api import AliyunClient
from .model import RelayTaskArgs
from .operations import AliyunOperations
from .rules import RULES
from .settings import AliyunSettings


class AliyunProvider(RelayTaskProvider):
    def build_lifecycle(self, config_get: ConfigGet) -> Lifecycle:
        return Lifecycle(
            RULES,
            RelayTaskArgs,
            lambda: AliyunOperations(AliyunClient(AliyunSettings.resolve(config_get))),
        )


class RelayTask(Resource, module="aliyun", name="RelayTask"):
    task_id: pulumi.Output[str]
    task_status: pulumi.Output[int]
    task_invalid_reason: pulumi.Output[str | None]
    task_exit_reason: pulumi.Output[str | None]
    task_exit_time: pulumi.Output[int | None]
    current_file_index: pulumi.Output[int | None]
    current_offset: pulumi.Output[int | None]
    task_name: pulumi.Output[str | None]
    source_type: pulumi.Output[str]
    source_protocol: pulumi.Output[str | None]
    source_urls: pulumi.Output[list[str]]
    dst_url: pulumi.Output[str]
    start_time: pulumi.Output[str]
    end_time: pulumi.Output[str]
    callback_url: pulumi.Output[str | None]
    repeat_number: pulumi.Output[int | None]
    retry_count: pulumi.Output[int | None]
    retry_interval: pulumi.Output[int | None]
    file_index: pulumi.Output[int | None]
    offset: pulumi.Output[int | None]
    status: pulumi.Output[str]
    region: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        source_type: pulumi.Input[str],
        source_urls: pulumi.Input[Sequence[pulumi.Input[str]]],
        dst_url: pulumi.Input[str],
        start_time: pulumi.Input[str],
        end_time: pulumi.Input[str],
        task_name: pulumi.Input[str] | None = None,
        source_protocol: pulumi.Input[str] | None = None,
        callback_url: pulumi.Input[str] | None = None,
        repeat_number: pulumi.Input[int] | None = None,
        retry_count: pulumi.Input[int] | None = None,
        retry_interval: pulumi.Input[int] | None = None,
        file_index: pulumi.Input[int] | None = None,
        offset: pulumi.Input[int] | None = None,
        status: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        args: dict[str, Any] = {
            "task_name": task_name,
            "source_type": source_type,
            "source_protocol": source_protocol,
            "source_urls": source_urls,
            "dst_url": dst_url,
            "start_time": start_time,
            "end_time": end_time,
            "callback_url": callback_url,
            "repeat_number": repeat_number,
            "retry_count": retry_count,
            "retry_interval": retry_interval,
            "file_index": file_index,
            "offset": offset,
            "status": status,
            "region": region,
        }
        secrets = secret_when_query("dst_url", dst_url)
        super().__init__(
            AliyunProvider(),
            resource_name,
            resource_props(RULES, args, secrets),
            resource_options(RULES, opts, secrets),
        )
