"""`huawei.RelayTask`: a Huawei Cloud Live relay task as a Pulumi resource.

A change is applied in place only for a PullVodPushLive task and only to the fields ModifyPullTask
accepts (source_urls, times, loop and start position, callback_events, status); anything else is
planned as a replacement (the old task is deleted first, since a destination serves one task).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from ..core.lifecycle import Lifecycle
from ..core.settings import ConfigGet
from ..provider import RelayTaskProvider, resource_options, resource_props
from .api import HuaweiClient
from .model import RelayTaskArgs
from .operations import HuaweiOperations
from .rules import RULES
from .settings import HuaweiSettings


class HuaweiProvider(RelayTaskProvider):
    def build_lifecycle(self, config_get: ConfigGet) -> Lifecycle:
        return Lifecycle(
            RULES,
            RelayTaskArgs,
            lambda: HuaweiOperations(HuaweiClient(HuaweiSettings.resolve(config_get))),
        )


class RelayTask(Resource, module="huawei", name="RelayTask"):
    task_id: pulumi.Output[str]
    create_time: pulumi.Output[str]
    source_type: pulumi.Output[str]
    source_urls: pulumi.Output[list[str]]
    domain: pulumi.Output[str | None]
    app_name: pulumi.Output[str | None]
    stream_name: pulumi.Output[str | None]
    destination_url: pulumi.Output[str | None]
    push_args: pulumi.Output[str | None]
    start_time: pulumi.Output[str]
    end_time: pulumi.Output[str]
    callback_url: pulumi.Output[str | None]
    callback_events: pulumi.Output[list[str] | None]
    backup_source_type: pulumi.Output[str | None]
    backup_source_urls: pulumi.Output[list[str] | None]
    vod_loop_time: pulumi.Output[str | None]
    vod_refresh_type: pulumi.Output[str | None]
    vod_start_video_index: pulumi.Output[int | None]
    vod_start_video_time: pulumi.Output[int | None]
    status: pulumi.Output[str]
    region: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        source_type: pulumi.Input[str],
        source_urls: pulumi.Input[Sequence[pulumi.Input[str]]],
        end_time: pulumi.Input[str],
        domain: pulumi.Input[str] | None = None,
        app_name: pulumi.Input[str] | None = None,
        stream_name: pulumi.Input[str] | None = None,
        destination_url: pulumi.Input[str] | None = None,
        push_args: pulumi.Input[str] | None = None,
        start_time: pulumi.Input[str] | None = None,
        callback_url: pulumi.Input[str] | None = None,
        callback_events: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        backup_source_type: pulumi.Input[str] | None = None,
        backup_source_urls: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        vod_loop_time: pulumi.Input[str] | None = None,
        vod_refresh_type: pulumi.Input[str] | None = None,
        vod_start_video_index: pulumi.Input[int] | None = None,
        vod_start_video_time: pulumi.Input[int] | None = None,
        status: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        args: dict[str, Any] = {
            "source_type": source_type,
            "source_urls": source_urls,
            "domain": domain,
            "app_name": app_name,
            "stream_name": stream_name,
            "destination_url": destination_url,
            "push_args": push_args,
            "start_time": start_time,
            "end_time": end_time,
            "callback_url": callback_url,
            "callback_events": callback_events,
            "backup_source_type": backup_source_type,
            "backup_source_urls": backup_source_urls,
            "vod_loop_time": vod_loop_time,
            "vod_refresh_type": vod_refresh_type,
            "vod_start_video_index": vod_start_video_index,
            "vod_start_video_time": vod_start_video_time,
            "status": status,
            "region": region,
        }
        super().__init__(HuaweiProvider(), resource_name, resource_props(RULES, args), resource_options(RULES, opts))
