"""A looping playlist pushed to a live ingest point, with a tokenised push argument kept secret."""

import pulumi

from pulumi_relaytask import huawei

config = pulumi.Config()

channel = huawei.RelayTask(
    "lobby-channel",
    source_type="PullVodPushLive",
    # Playback order is the list order.
    source_urls=[
        "https://media.example.com/lobby/intro.mp4",
        "https://media.example.com/lobby/product-tour.mp4",
        "https://media.example.com/lobby/customer-stories.mp4",
    ],
    domain="push.example.com",
    app_name="lobby",
    stream_name="channel-1",
    push_args=config.require_secret("pushArgs"),
    start_time=config.require("startTime"),
    end_time=config.require("endTime"),
    vod_loop_time="-1",
    callback_url="https://hooks.example.com/relay",
    callback_events=["TaskStart", "TaskExit", "VodSourceFileStart"],
    status=config.get("status") or "enable",
)

pulumi.export("task_id", channel.task_id)
pulumi.export("status", channel.status)
