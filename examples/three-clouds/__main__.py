"""One relay task on each cloud: a looping playlist on Huawei and Tencent, a live relay on Alibaba.

The push credentials are secrets from the stack config; times come from the config too, so the
same program runs on any day.
"""

import pulumi

from pulumi_relaytask import aliyun, huawei, tencent

config = pulumi.Config()
start, end = config.require("startTime"), config.require("endTime")

lobby = huawei.RelayTask(
    "lobby",
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
    start_time=start,
    end_time=end,
    callback_events=["TaskStart", "TaskExit"],
)

showroom = tencent.RelayTask(
    "showroom",
    source_type="PullVodPushLive",
    source_urls=["https://media.example.com/showroom/a.mp4", "https://media.example.com/showroom/b.mp4"],
    domain_name="push.example.com",
    app_name="showroom",
    stream_name="loop",
    push_args=config.require_secret("pushArgs"),
    start_time=start,
    end_time=end,
    comment="showroom loop",
    callback_events=["TaskStart", "TaskExit"],
)

keynote = aliyun.RelayTask(
    "keynote",
    task_name="keynote relay",
    source_type="live",
    source_protocol="rtmp",
    source_urls=["rtmp://origin.example.com/live/keynote"],
    dst_url=config.require_secret("dstUrl"),
    start_time=start,
    end_time=end,
)

pulumi.export("huawei_task_id", lobby.task_id)
pulumi.export("tencent_task_id", showroom.task_id)
pulumi.export("aliyun_task_id", keynote.task_id)
