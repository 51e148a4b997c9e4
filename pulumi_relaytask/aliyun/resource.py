"""`aliyun.RelayTask`: an Alibaba Cloud ApsaraVideo Live pull-to-push task as a Pulumi resource.

Changing anything but callback_url or repeat_number of a running task stops it, updates it and
restarts it, which interrupts the push (the preview warns; a playlist resumes where it was).
`status="pause"` stops the task and `"enable"` restarts it; a task that has not started yet cannot
be paused (Alibaba stops running tasks only), which `pulumi preview` reports. Alibaba deletes a
task at its end time: a refresh then drops it from the state.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

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
    task_invalid_reason: pulumi.Output[Optional[str]]
    task_exit_reason: pulumi.Output[Optional[str]]
    task_exit_time: pulumi.Output[Optional[int]]
    current_file_index: pulumi.Output[Optional[int]]
    current_offset: pulumi.Output[Optional[int]]
    task_name: pulumi.Output[Optional[str]]
    source_type: pulumi.Output[str]
    source_protocol: pulumi.Output[Optional[str]]
    source_urls: pulumi.Output[list[str]]
    dst_url: pulumi.Output[str]
    start_time: pulumi.Output[str]
    end_time: pulumi.Output[str]
    callback_url: pulumi.Output[Optional[str]]
    repeat_number: pulumi.Output[Optional[int]]
    retry_count: pulumi.Output[Optional[int]]
    retry_interval: pulumi.Output[Optional[int]]
    file_index: pulumi.Output[Optional[int]]
    offset: pulumi.Output[Optional[int]]
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
        task_name: Optional[pulumi.Input[str]] = None,
        source_protocol: Optional[pulumi.Input[str]] = None,
        callback_url: Optional[pulumi.Input[str]] = None,
        repeat_number: Optional[pulumi.Input[int]] = None,
        retry_count: Optional[pulumi.Input[int]] = None,
        retry_interval: Optional[pulumi.Input[int]] = None,
        file_index: Optional[pulumi.Input[int]] = None,
        offset: Optional[pulumi.Input[int]] = None,
        status: Optional[pulumi.Input[str]] = None,
        region: Optional[pulumi.Input[str]] = None,
        opts: Optional[pulumi.ResourceOptions] = None,
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
