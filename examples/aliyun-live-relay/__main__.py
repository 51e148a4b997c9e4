"""Relays an RTMP live stream to an Alibaba ingest point, retrying every two minutes on failure."""

import pulumi

from pulumi_relaytask import aliyun

config = pulumi.Config()

relay = aliyun.RelayTask(
    "keynote-relay",
    source_type="live",
    source_protocol="rtmp",
    source_urls=["rtmp://origin.example.com/live/keynote"],
    dst_url="rtmp://push.example.com/relay/keynote",
    start_time=config.require("startTime"),
    end_time=config.require("endTime"),
    retry_count=5,
    retry_interval=120,
)

pulumi.export("task_id", relay.task_id)
pulumi.export("task_status", relay.task_status)
