"""Loops a playlist of MP4 files to an RTMP ingest URL whose auth key is kept secret."""

import pulumi

from pulumi_relaytask import aliyun

config = pulumi.Config()

loop = aliyun.RelayTask(
    "lobby-loop",
    task_name="lobby-loop",
    source_type="url",
    source_urls=[
        "https://media.example.com/lobby/intro.mp4",
        "https://media.example.com/lobby/product-tour.mp4",
    ],
    dst_url=config.require_secret("dstUrl"),
    start_time=config.require("startTime"),
    end_time=config.require("endTime"),
    repeat_number=-1,
    callback_url="https://hooks.example.com/relay",
    status=config.get("status") or "enable",
)

pulumi.export("task_id", loop.task_id)
pulumi.export("task_status", loop.task_status)
pulumi.export("current_file_index", loop.current_file_index)
