"""`tencent.RelayTask`: a Tencent Cloud Live pull-stream task as a Pulumi resource.

Everything ModifyLivePullStreamTask accepts is updated in place, pause/resume included; the source
type, the destination's domain/app/stream, push args and region are replacements. Creates carry a
provider-chosen task id, so a retried create never duplicates a task.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from ..core.lifecycle import Lifecycle
from ..core.settings import ConfigGet
from ..provider import RelayTaskProvider, resource_options, resource_props, secret_when_query
from .api import TencentClient
from .model import RelayTaskArgs
from .operations import TencentOperations
from .rules import RULES
from .settings import TencentSettings


class TencentProvider(RelayTaskProvider):
    def build_lifecycle(self, config_get: ConfigGet) -> Lifecycle:
        return Lifecycle(
            RULES,
            RelayTaskArgs,
            lambda: TencentOperations(TencentClient(TencentSettings.resolve(config_get))),
        )


class RelayTask(Resource, module="tencent", name="RelayTask"):
    task_id: pulumi.Output[str]
    create_time: pulumi.Output[str]
    update_time: pulumi.Output[str]
    create_by: pulumi.Output[str]
    update_by: pulumi.Output[str]
    source_type: pulumi.Output[str]
    source_urls: pulumi.Output[list[str]]
    domain_name: pulumi.Output[str | None]
    app_name: pulumi.Output[str | None]
    stream_name: pulumi.Output[str | None]
    to_url: pulumi.Output[str | None]
    push_args: pulumi.Output[str | None]
    start_time: pulumi.Output[str]
    end_time: pulumi.Output[str]
    operator: pulumi.Output[str]
    comment: pulumi.Output[str | None]
    callback_url: pulumi.Output[str | None]
    callback_events: pulumi.Output[list[str] | None]
    vod_loop_times: pulumi.Output[int | None]
    vod_refresh_type: pulumi.Output[str | None]
    file_index: pulumi.Output[int | None]
    offset_time: pulumi.Output[int | None]
    backup_source_type: pulumi.Output[str | None]
    backup_source_url: pulumi.Output[str | None]
    watermark_list: pulumi.Output[list[dict[str, Any]] | None]
    vod_local_mode: pulumi.Output[int | None]
    status: pulumi.Output[str]
    region: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        source_type: pulumi.Input[str],
        source_urls: pulumi.Input[Sequence[pulumi.Input[str]]],
        start_time: pulumi.Input[str],
        end_time: pulumi.Input[str],
        domain_name: pulumi.Input[str] | None = None,
        app_name: pulumi.Input[str] | None = None,
        stream_name: pulumi.Input[str] | None = None,
        to_url: pulumi.Input[str] | None = None,
        push_args: pulumi.Input[str] | None = None,
        operator: pulumi.Input[str] | None = None,
        comment: pulumi.Input[str] | None = None,
        callback_url: pulumi.Input[str] | None = None,
        callback_events: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        vod_loop_times: pulumi.Input[int] | None = None,
        vod_refresh_type: pulumi.Input[str] | None = None,
        file_index: pulumi.Input[int] | None = None,
        offset_time: pulumi.Input[int] | None = None,
        backup_source_type: pulumi.Input[str] | None = None,
        backup_source_url: pulumi.Input[str] | None = None,
        watermark_list: pulumi.Input[Sequence[pulumi.Input[Mapping[str, Any]]]] | None = None,
        vod_local_mode: pulumi.Input[int] | None = None,
        status: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        args: dict[str, Any] = {
            "source_type": source_type,
            "source_urls": source_urls,
            "domain_name": domain_name,
            "app_name": app_name,
            "stream_name": stream_name,
            "to_url": to_url,
            "push_args": push_args,
            "start_time": start_time,
            "end_time": end_time,
            "operator": operator,
            "comment": comment,
            "callback_url": callback_url,
            "callback_events": callback_events,
            "vod_loop_times": vod_loop_times,
            "vod_refresh_type": vod_refresh_type,
            "file_index": file_index,
            "offset_time": offset_time,
            "backup_source_type": backup_source_type,
            "backup_source_url": backup_source_url,
            "watermark_list": watermark_list,
            "vod_local_mode": vod_local_mode,
            "status": status,
            "region": region,
        }
        secrets = secret_when_query("to_url", to_url)
        super().__init__(
            TencentProvider(),
            resource_name,
            resource_props(RULES, args, secrets),
            resource_options(RULES, opts, secrets),
        )
