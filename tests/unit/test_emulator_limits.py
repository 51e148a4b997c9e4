"""The emulator's rate limits: per cloud, account and action, from each cloud's limits module.

The gate is tested on a fake monotonic clock (exact token counts); the running server through the
vendors' own SDKs (Tencent, Huawei), which see the throttling error exactly as the real service sends it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdklive.v1 import ListPullTasksRequest
from huaweicloudsdklive.v1 import LiveClient as HuaweiLive
from tencentcloud.common.credential import Credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.live.v20180801 import models
from tencentcloud.live.v20180801.live_client import LiveClient as TencentLive

from pulumi_relaytask.emulator.__main__ import build_parser
from pulumi_relaytask.emulator.faults import RATE_LIMIT, FaultInjector
from pulumi_relaytask.emulator.gate import ANSWER, Gate
from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.emulator.stats import RequestStats
from pulumi_relaytask.errors import ApiFault
from pulumi_relaytask.huawei import limits as huawei_limits
from pulumi_relaytask.tencent import limits as tencent_limits

AK = "relaytask-demo-ak"
SK = "relaytask-demo-sk"
OTHER_ID, OTHER_KEY = "second-id", "second-key"
TOKEN = "huawei-test-token"
PROJECT = "0123456789abcdef0123456789abcdef"
MODIFY = "ModifyLivePullStreamTask"
DESCRIBE = "DescribeLivePullStreamTasks"


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def rate_of(action: str) -> int:
    rate = tencent_limits.RATE_LIMITS.rate(action)
    assert rate is not None and rate == int(rate)
    return int(rate)


def admitted(gate: Gate, account: str, action: str, times: int) -> int:
    """How many of `times` calls get through; the others must be Tencent's throttling answer."""
    passed = 0
    for _ in range(times):
        try:
            assert gate.admit("tencent", account, action) == ANSWER
            passed += 1
        except ApiFault as fault:
            throttled = tencent_limits.THROTTLED
            assert (fault.status, fault.code, fault.message) == (throttled.status, throttled.code, throttled.message)
    return passed


# -- the gate on a fake clock ---------------------------------------------------------------------


def test_a_burst_over_the_rate_is_throttled_per_account_and_action() -> None:
    clock, stats = FakeMonotonic(), RequestStats()
    gate = Gate(FaultInjector(), stats, monotonic=clock)
    rate = rate_of(MODIFY)
    assert admitted(gate, "alice", MODIFY, rate + 5) == rate
    assert admitted(gate, "bob", MODIFY, rate) == rate  # another account has its own bucket
    assert admitted(gate, "alice", DESCRIBE, 1) == 1  # and so has another action
    clock.now += 3 / rate  # three tokens' worth of time
    assert admitted(gate, "alice", MODIFY, 5) == 3
    assert stats.throttled("tencent", MODIFY) == 7
    assert stats.throttle_snapshot()["tencent"] == {MODIFY: 7}
    assert gate.faults.counts()["by_kind"] == {RATE_LIMIT: 7}


def test_actions_without_a_documented_rate_are_not_limited() -> None:
    assert tencent_limits.RATE_LIMITS.rate("DescribeLivePullStreamTaskStatus") is None
    gate = Gate(FaultInjector(), RequestStats(), monotonic=FakeMonotonic())
    assert admitted(gate, "alice", "DescribeLivePullStreamTaskStatus", 500) == 500


def test_rate_limits_off_lets_every_call_through_and_back_on_starts_full() -> None:
    gate = Gate(FaultInjector(), RequestStats(), rate_limits=False, monotonic=FakeMonotonic())
    rate = rate_of(MODIFY)
    assert admitted(gate, "alice", MODIFY, 3 * rate) == 3 * rate
    gate.rate_limits = True
    assert admitted(gate, "alice", MODIFY, rate + 1) == rate


def test_the_rate_limit_comes_before_the_faults() -> None:
    gate = Gate(FaultInjector(), RequestStats(), monotonic=FakeMonotonic())
    admitted(gate, "alice", MODIFY, rate_of(MODIFY))  # the bucket is now empty
    gate.faults.add_rule("tencent", MODIFY, "error")
    with pytest.raises(ApiFault) as refused:
        gate.admit("tencent", "alice", MODIFY)
    assert refused.value.code == tencent_limits.THROTTLED.code
    assert len(gate.faults.rules()) == 1  # the throttled request never reached the rule


# -- the running server, through the vendors' SDKs ------------------------------------------------


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    credentials = {"tencent": {OTHER_ID: OTHER_KEY}, "tokens": [TOKEN]}
    with EmulatorServer(credentials=credentials) as emulator:
        yield emulator


def tencent(server: EmulatorServer, secret_id: str = AK, secret_key: str = SK) -> TencentLive:
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=f"127.0.0.1:{server.port}", protocol="http"))
    return TencentLive(Credential(secret_id, secret_key), "ap-guangzhou", profile)


def burst(client: TencentLive, calls: int) -> tuple[int, list[TencentCloudSDKException]]:
    passed, refused = 0, []
    for _ in range(calls):
        try:
            client.DescribeLivePullStreamTasks(models.DescribeLivePullStreamTasksRequest())
            passed += 1
        except TencentCloudSDKException as exc:
            refused.append(exc)
    return passed, refused


def test_a_tencent_burst_is_throttled_while_another_account_is_not(server: EmulatorServer) -> None:
    rate = rate_of(DESCRIBE)
    started = time.monotonic()
    passed, refused = burst(tencent(server), 2 * rate)
    elapsed = time.monotonic() - started
    assert refused, "a burst of twice the rate must be throttled"
    assert {exc.get_code() for exc in refused} == {tencent_limits.THROTTLED.code}
    assert rate <= passed <= rate + elapsed * rate + 1  # the burst, plus what refilled meanwhile
    assert burst(tencent(server, OTHER_ID, OTHER_KEY), 1) == (1, [])
    assert server.stats.throttled("tencent", DESCRIBE) == len(refused)
    assert server.stats.count("tencent", DESCRIBE) == 2 * rate + 1  # throttled calls are still requests
    assert server.faults.counts()["by_cloud"]["tencent"] == {DESCRIBE: {RATE_LIMIT: len(refused)}}


def test_rate_limits_false_turns_the_throttling_off() -> None:
    with EmulatorServer(rate_limits=False) as emulator:
        assert burst(tencent(emulator), 2 * rate_of(DESCRIBE)) == (2 * rate_of(DESCRIBE), [])
        assert emulator.stats.throttled("tencent", DESCRIBE) == 0


def test_huawei_throttling_is_a_429_in_huaweis_error_shape(server: EmulatorServer) -> None:
    config = HttpConfig.get_default_config()
    config.timeout = (5, 10)
    client = (
        HuaweiLive.new_builder()
        .with_credentials(BasicCredentials(AK, SK, PROJECT))
        .with_endpoints([server.url])
        .with_http_config(config)
        .build()
    )
    rate = huawei_limits.RATE_LIMITS.rate("ListPullTasks")
    assert rate is not None
    refused: list[ClientRequestException] = []
    for _ in range(2 * int(rate)):
        try:
            client.list_pull_tasks(ListPullTasksRequest())
        except ClientRequestException as exc:
            refused.append(exc)
    # The SDK turns a 429 into an exception before reading the body (urllib3's retry on 429, 0 retries).
    assert refused and {exc.status_code for exc in refused} == {huawei_limits.THROTTLED.status}
    # The body, read raw by an account of its own (a token), is Huawei's error document.
    with httpx.Client(base_url=server.url, headers={"X-Auth-Token": TOKEN}, timeout=5) as http:
        answers = [http.get(f"/v1/{PROJECT}/pull/stream/task") for _ in range(2 * int(rate))]
    throttled = [answer for answer in answers if answer.status_code != 200]
    assert throttled and {answer.status_code for answer in throttled} == {huawei_limits.THROTTLED.status}
    assert throttled[0].json() == {
        "error_code": huawei_limits.THROTTLED.code,
        "error_msg": huawei_limits.THROTTLED.message,
        "request_id": throttled[0].headers["X-request-id"],
    }


def test_the_rate_limits_flag_turns_them_on_or_off() -> None:
    assert build_parser().parse_args([]).rate_limits is True
    assert build_parser().parse_args(["--rate-limits", "off"]).rate_limits is False
    assert build_parser().parse_args(["--rate-limits", "ON"]).rate_limits is True
