"""The one secrets rule: which arguments hold URLs (derived from the models' URL types), when they are
secret, how their redacted companions look, and vendor messages with their queries redacted."""

from __future__ import annotations

import hashlib

import pytest

from pulumi_relaytask.clouds import Cloud, every_cloud
from pulumi_relaytask.core.call import sent_secrets
from pulumi_relaytask.core.values import UNKNOWN, redact
from pulumi_relaytask.errors import ApiError, redact_queries

URL_ARGUMENTS = {
    "huawei": ["source_urls", "destination_url", "callback_url", "backup_source_urls"],
    "tencent": ["source_urls", "to_url", "callback_url", "backup_source_url", "watermark_list"],
    "aliyun": ["source_urls", "dst_url", "callback_url"],
}
ALWAYS_SECRET = {"huawei": ["push_args"], "tencent": ["push_args"], "aliyun": []}


@pytest.mark.parametrize("cloud", every_cloud(), ids=lambda c: c.key)
def test_every_url_argument_and_push_argument_follows_the_rule(cloud: Cloud) -> None:
    rules, key = cloud.rules, cloud.key
    assert [f.name for f in rules.url_fields] == URL_ARGUMENTS[key]
    assert rules.secret_names == ALWAYS_SECRET[key]
    assert [f.name for f in rules.redacted_fields] == [f"{n}_redacted" for n in URL_ARGUMENTS[key]]


def test_a_url_argument_is_secret_when_any_url_in_it_carries_a_query() -> None:
    rules = next(c for c in every_cloud() if c.key == "tencent").rules
    plain = {
        "source_urls": ["http://m/a.mp4", "http://m/b.mp4"],
        "to_url": "rtmp://push/live/s",
        "watermark_list": [{"picture_url": "http://m/logo.png"}],
        "comment": "what? no",  # not a URL argument: a question mark means nothing
    }
    assert rules.secrets_for(plain) == ["push_args"]  # always secret, set or not
    signed = {
        **plain,
        "source_urls": ["http://m/a.mp4", "http://m/b.mp4?sign=k"],
        "watermark_list": [{"picture_url": "http://m/logo.png?sig=k"}],
        "push_args": "txSecret=k",
    }
    assert rules.secrets_for(signed) == ["push_args", "source_urls", "watermark_list"]
    # Not known yet: it may carry one.
    assert rules.secrets_for({"to_url": UNKNOWN}) == ["push_args", "to_url"]


def test_redacted_values_hide_the_query_and_tell_changes_apart() -> None:
    one, two = redact("rtmp://push/live/s?auth_key=one"), redact("rtmp://push/live/s?auth_key=two")
    assert one.startswith("rtmp://push/live/s?<sha256:") and one.endswith(">")
    assert "one" not in one and one != two
    assert redact("rtmp://push/live/s?auth_key=one") == one  # stable
    assert redact(["http://m/a.mp4", "http://m/b.mp4?k=1"])[0] == "http://m/a.mp4"
    assert redact([{"picture_url": "http://m/p.png?k=1", "width": 3}])[0]["width"] == 3
    assert redact(UNKNOWN) is UNKNOWN


def test_vendor_messages_lose_their_queries() -> None:
    error = ApiError(
        "aliyun", "CreateLivePullToPush", 400, "InvalidParameter", "DstUrl rtmp://p/l/s?auth_key=k1 is used"
    )
    assert "k1" not in str(error) and "rtmp://p/l/s?<redacted> is used" in str(error)
    assert redact_queries("is it? yes") == "is it? yes"


def test_a_password_in_a_url_is_a_key_too() -> None:
    rules = next(c for c in every_cloud() if c.key == "huawei").rules
    camera = "rtsp://admin:hunter22@camera.example.com/live"
    assert "source_urls" in rules.secrets_for({"source_urls": [camera]})
    shown = redact(camera)
    assert (
        "hunter22" not in shown and shown.startswith("rtsp://<sha256:") and shown.endswith("@camera.example.com/live")
    )


def test_the_companion_value_is_written_out() -> None:
    rules = next(c for c in every_cloud() if c.key == "huawei").rules
    mark = hashlib.sha256(b"sign=k1").hexdigest()[:8]
    assert rules.redacted({"source_urls": ["http://m/a.mp4", "http://m/b.mp4?sign=k1"], "push_args": "k=v"}) == {
        "source_urls_redacted": ["http://m/a.mp4", f"http://m/b.mp4?<sha256:{mark}>"]
    }
    # A value that carries no key is its own redacted form: no companion, nothing stored twice.
    assert rules.redacted({"source_urls": ["http://m/a.mp4"], "destination_url": "rtmp://p/l/s"}) == {}
    assert rules.redacted({"destination_url": "rtmp://u:pw@p/l/s"}) == {
        "destination_url_redacted": redact("rtmp://u:pw@p/l/s")
    }
    # A list known in part keeps its unknown items unknown and redacts the others.
    assert redact(["http://m/a?k=secret", UNKNOWN])[1] is UNKNOWN
    assert "secret" not in redact(["http://m/a?k=secret", UNKNOWN])[0]


def test_a_vendor_message_loses_what_the_request_carried() -> None:
    request = {"params": {"PushArgs": "auth_key=k123456", "SourceUrls": '["http://m/a.mp4?sign=s98765"]'}}
    secrets = sent_secrets(request)
    assert {"auth_key=k123456", "sign=s98765"} <= secrets
    echoed = "PushArgs auth_key=k123456 is bad (was auth_key%3Dk123456); see (rtmp://p/l/s?x=1)"
    assert (
        redact_queries(echoed, secrets) == "PushArgs <redacted> is bad (was <redacted>); see (rtmp://p/l/s?<redacted>)"
    )
