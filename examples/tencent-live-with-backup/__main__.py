"""Relays a live stream to an RTMP URL carrying an auth key (kept secret), with a live backup."""

import pulumi

from pulumi_relaytask import tencent

config = pulumi.Config()

relay = tencent.RelayTask(
    "keynote-relay",
    source_type="PullLivePushLive",
    source_urls=["rtmp://origin.example.com/live/keynote"],
    to_url=config.require_secret("toUrl"),
    backup_source_type="PullLivePushLive",
    backup_source_url="rtmp://backup.example.com/live/keynote",
    start_time=config.require("startTime"),
    end_time=config.require("endTime"),
    callback_url="https://hooks.example.com/relay",
    callback_events=["TaskStart", "TaskExit", "TaskAlarm"],
)

pulumi.export("task_id", relay.task_id)
