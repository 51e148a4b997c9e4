"""A looping playlist with a watermark, pushed to a Tencent Cloud Live domain."""

import pulumi

from pulumi_relaytask import tencent

config = pulumi.Config()

channel = tencent.RelayTask(
    "lobby-channel",
    source_type="PullVodPushLive",
    source_urls=[  # playback order
        "https://media.example.com/lobby/intro.mp4",
        "https://media.example.com/lobby/product-tour.mp4",
    ],
    domain_name="push.example.com",
    app_name="lobby",
    stream_name="channel-1",
    push_args=config.require_secret("pushArgs"),
    start_time=config.require("startTime"),
    end_time=config.require("endTime"),
    vod_loop_times=-1,
    comment="Lobby screens",
    callback_events=["TaskStart", "TaskExit", "VodSourceFileStart"],
    watermark_list=[
        {"picture_url": "https://media.example.com/logo.png", "x_position": 2, "y_position": 2, "width": 10}
    ],
    status=config.get("status") or "enable",
)

pulumi.export("task_id", channel.task_id)
pulumi.export("update_by", channel.update_by)
