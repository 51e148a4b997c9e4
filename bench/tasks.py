"""The relay tasks the benchmark declares: the same arguments on every cloud's run, none of them due to start."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def window(now: datetime) -> tuple[str, str]:
    """Start an hour ahead and end 20 hours ahead (on the hour, UTC): nothing runs during the benchmark."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    start, end = (hour + timedelta(hours=1), hour + timedelta(hours=20))
    return start.strftime(TIME_FORMAT), end.strftime(TIME_FORMAT)


def task(cloud: str, i: int, start: str, end: str) -> dict[str, Any]:
    """Entry `i` of tasks.json: a three-file playlist pushed to its own stream."""
    urls = [f"http://media.example.com/{i}/{n}.mp4" for n in range(3)]
    args: dict[str, Any] = {
        "huawei": {
            "source_type": "PullVodPushLive",
            "source_urls": urls,
            "destination_url": f"rtmp://push.example.com/bench/{i}",
            "start_time": start,
            "end_time": end,
        },
        "tencent": {
            "source_type": "PullVodPushLive",
            "source_urls": urls,
            "domain_name": "push.example.com",
            "app_name": "bench",
            "stream_name": f"s{i}",
            "start_time": start,
            "end_time": end,
        },
        "aliyun": {
            "source_type": "url",
            "source_urls": urls,
            "dst_url": f"rtmp://push.example.com/bench/{i}",
            "start_time": start,
            "end_time": end,
        },
    }[cloud]
    return {"name": f"t{i}", "cloud": cloud, "args": args}


def tasks(cloud: str, count: int, now: datetime) -> list[dict[str, Any]]:
    start, end = window(now)
    return [task(cloud, i, start, end) for i in range(count)]
