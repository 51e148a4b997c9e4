"""Relays one live stream to a full destination URL, with a live backup source."""

import pulumi

from pulumi_relaytask import huawei

config = pulumi.Config()

relay = huawei.RelayTask(
    "keynote-relay",
    source_type="PullLivePushLive",
    source_urls=["rtmp://origin.example.com/live/keynote"],
    destination_url="rtmp://push.example.com/relay/keynote",
    backup_source_type="PullLivePushLive",
    backup_source_urls=["rtmp://backup.example.com/live/keynote"],
    start_time=config.require("startTime"),
    end_time=config.require("endTime"),
    callback_events=["TaskStart", "TaskExit", "TaskAlarm"],
)

pulumi.export("task_id", relay.task_id)
