"""The emulator's injected faults: reproducible draws, explicit rules, each kind as a real client sees it,
latency, the authenticated control endpoint and the command-line flags.

Requests go out through plain httpx: Huawei authenticates with an X-Auth-Token the emulator is
configured with; Tencent (TC3) and Alibaba (V2 RPC) are signed with the verifier's step functions,
so these tests depend on neither the client classes nor an SDK.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from pulumi_relaytask.aliyun import limits as aliyun_limits
from pulumi_relaytask.aliyun.auth import v2_canonical_query, v2_signature, v2_string_to_sign
from pulumi_relaytask.emulator.__main__ import build_parser
from pulumi_relaytask.emulator.faults import KINDS, FaultInjector, FaultSettings, InvalidSetting
from pulumi_relaytask.emulator.server import EmulatorServer
from pulumi_relaytask.huawei import limits as huawei_limits
from pulumi_relaytask.tencent import auth as tc3
from pulumi_relaytask.tencent import limits as tencent_limits

AK = "relaytask-demo-ak"
SK = "relaytask-demo-sk"
TOKEN = "huawei-test-token"
CONTROL = "control-secret"
PROJECT = "0123456789abcdef0123456789abcdef"
HUAWEI_PATH = f"/v1/{PROJECT}/pull/stream/task"


# -- fixtures and raw calls -----------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    # The faults are under test here, not pacing (test_emulator_limits.py covers the rate limits).
    with EmulatorServer(credentials={"tokens": [TOKEN]}, control_token=CONTROL, rate_limits=False) as emulator:
        yield emulator


@pytest.fixture
def http(server: EmulatorServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=5) as client:
        yield client


def huawei_task(stream: str = "s1") -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "source_type": "PullVodPushLive",
        "source_urls": ["https://vod.example.com/1.mp4"],
        "domain": "push.example.com",
        "app_name": "live",
        "stream_name": stream,
        "start_time": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end_time": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def huawei_create(http: httpx.Client, timeout: float = 5) -> httpx.Response:
    return http.post(HUAWEI_PATH, json=huawei_task(), headers={"X-Auth-Token": TOKEN}, timeout=timeout)


def huawei_list(http: httpx.Client) -> httpx.Response:
    return http.get(HUAWEI_PATH, headers={"X-Auth-Token": TOKEN})


def tencent_call(http: httpx.Client, action: str, params: dict[str, Any]) -> httpx.Response:
    body = json.dumps(params).encode("utf-8")
    timestamp = int(time.time())
    date = tc3.date_of(timestamp)
    headers = {"content-type": "application/json", "host": str(http.base_url.netloc.decode()), "x-tc-action": action}
    signed = ["content-type", "host", "x-tc-action"]
    canonical = tc3.canonical_request("POST", "/", "", headers, signed, body)
    to_sign = tc3.string_to_sign(timestamp, tc3.credential_scope(date, "live"), canonical)
    sig = tc3.signature(tc3.signing_key(SK, date, "live"), to_sign)
    sent = {
        **headers,
        "authorization": tc3.authorization_header(AK, date, "live", signed, sig),
        "x-tc-timestamp": str(timestamp),
        "x-tc-version": "2018-08-01",
        "x-tc-region": "ap-guangzhou",
    }
    return http.post("/", content=body, headers=sent)


def aliyun_call(http: httpx.Client, action: str, **params: str) -> httpx.Response:
    query = {
        "Action": action,
        "Version": "2016-11-01",
        "Format": "JSON",
        "AccessKeyId": AK,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": uuid.uuid4().hex,
        "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **params,
    }
    query["Signature"] = v2_signature(SK, v2_string_to_sign("POST", v2_canonical_query(query.items())))
    return http.post("/", params=query)


def control(http: httpx.Client, method: str, body: Any = None, token: str | None = CONTROL) -> httpx.Response:
    headers = {} if token is None else {"X-Emulator-Token": token}
    content = None if body is None else json.dumps(body).encode("utf-8")
    return http.request(method, "/_emulator/faults", headers=headers, content=content)


# -- reproducible draws and rules (no socket) -----------------------------------------------------


def draws(injector: FaultInjector, n: int = 300) -> list[str | None]:
    decided = (injector.decide("tencent", "ModifyLivePullStreamTask") for _ in range(n))
    return [None if d is None else d.kind for d in decided]


def test_the_same_seed_gives_the_same_sequence_of_decisions() -> None:
    settings = FaultSettings(rate=0.4, seed=1234)
    first, second = draws(FaultInjector(settings)), draws(FaultInjector(settings))
    assert first == second
    assert set(first) == {None, *KINDS}  # every kind drawn, and requests left alone too
    assert 0.3 < sum(kind is not None for kind in first) / len(first) < 0.5
    assert draws(FaultInjector(FaultSettings(rate=0.4, seed=4321))) != first
    replayed = FaultInjector(settings)
    draws(replayed, 17)
    replayed.configure(seed=1234)  # reseeding starts the sequence over
    assert draws(replayed) == first


def test_only_enabled_kinds_are_drawn_and_rate_zero_draws_nothing() -> None:
    injector = FaultInjector(FaultSettings(rate=1.0, kinds=("reset_after", "slow")))
    assert set(draws(injector, 100)) == {"reset_after", "slow"}
    injector.configure(rate=0.0)
    assert draws(injector, 50) == [None] * 50


def test_rules_fire_before_the_draw_count_down_and_are_counted() -> None:
    injector = FaultInjector()
    injector.add_rule("aliyun", "UpdateLivePullToPush", "error", count=3)
    injector.add_rule("huawei", "ListPullTasks", "throttle", count=-1)
    decided = [injector.decide("aliyun", "UpdateLivePullToPush") for _ in range(5)]
    assert [d and d.kind for d in decided] == ["error"] * 3 + [None] * 2
    assert injector.decide("aliyun", "StopLivePullToPush") is None
    assert all(injector.decide("huawei", "ListPullTasks") is not None for _ in range(10))
    assert [rule.as_json() for rule in injector.rules()] == [
        {"cloud": "huawei", "action": "ListPullTasks", "kind": "throttle", "count": -1}
    ]
    injector.clear()
    assert injector.rules() == [] and injector.decide("huawei", "ListPullTasks") is None
    counts = injector.counts()  # kept across clear()
    assert counts["total"] == 13 and counts["by_kind"] == {"error": 3, "throttle": 10}
    assert counts["by_cloud"]["aliyun"] == {"UpdateLivePullToPush": {"error": 3}}


def test_settings_and_rules_are_checked_naming_the_field(server: EmulatorServer) -> None:
    for bad, field in (
        ({"rate": 1.5}, "rate"),
        ({"rate": -0.1}, "rate"),
        ({"kinds": ("throttle", "boom")}, "kinds"),
        ({"kinds": ()}, "kinds"),
        ({"slow_seconds": -1}, "slow_seconds"),
        ({"seed": 1.5}, "seed"),
    ):
        with pytest.raises(InvalidSetting) as caught:
            FaultSettings(**bad)
        assert caught.value.field == field
    with pytest.raises(InvalidSetting, match="huawei has no action 'ListTasks'"):
        server.faults.add_rule("huawei", "ListTasks", "error")  # a typo must not be a rule that never fires
    with pytest.raises(InvalidSetting) as caught:
        server.faults.add_rule("aliyun", "UpdateLivePullToPush", "error", count=0)
    assert caught.value.field == "count"


# -- each kind, as a client sees it ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["throttle", "error"])
def test_throttle_and_error_answer_in_each_clouds_shape(server: EmulatorServer, http: httpx.Client, kind: str) -> None:
    answer = {"throttle": "THROTTLED", "error": "UNAVAILABLE"}[kind]

    server.faults.add_rule("huawei", "CreatePullTask", kind)
    huawei = huawei_create(http)
    expected = getattr(huawei_limits, answer)
    assert huawei.status_code == expected.status
    assert set(huawei.json()) == {"error_code", "error_msg", "request_id"}
    assert (huawei.json()["error_code"], huawei.json()["error_msg"]) == (expected.code, expected.message)
    assert huawei.headers["X-request-id"] == huawei.json()["request_id"]
    assert server.store.count("huawei") == 0  # the backend was not called
    assert huawei_create(http).status_code == 200  # the rule was for one request

    server.faults.add_rule("tencent", "DescribeLivePullStreamTasks", kind)
    tencent = tencent_call(http, "DescribeLivePullStreamTasks", {})
    expected = getattr(tencent_limits, answer)
    assert tencent.status_code == expected.status == 200  # Tencent's errors come in a 200 envelope
    error = tencent.json()["Response"]["Error"]
    assert (error["Code"], error["Message"]) == (expected.code, expected.message)
    assert tencent.json()["Response"]["RequestId"]
    assert "Error" not in tencent_call(http, "DescribeLivePullStreamTasks", {}).json()["Response"]

    server.faults.add_rule("aliyun", "DescribeLivePullToPushList", kind)
    aliyun = aliyun_call(http, "DescribeLivePullToPushList", Region="cn-shanghai")
    expected = getattr(aliyun_limits, answer)
    assert aliyun.status_code == expected.status
    assert (aliyun.json()["Code"], aliyun.json()["Message"]) == (expected.code, expected.message)
    assert aliyun.json()["RequestId"] and aliyun.json()["HostId"]
    assert aliyun_call(http, "DescribeLivePullToPushList", Region="cn-shanghai").status_code == 200

    assert server.faults.counts()["by_kind"] == {kind: 3}


def test_reset_before_answers_nothing_and_leaves_no_task(server: EmulatorServer, http: httpx.Client) -> None:
    server.faults.add_rule("huawei", "CreatePullTask", "reset_before")
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        huawei_create(http)
    assert server.store.count("huawei") == 0
    assert huawei_list(http).json()["total"] == 0


def test_reset_after_applies_the_write_and_loses_the_answer(server: EmulatorServer, http: httpx.Client) -> None:
    server.faults.add_rule("huawei", "CreatePullTask", "reset_after")
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        huawei_create(http)
    assert server.store.count("huawei") == 1
    assert huawei_list(http).json()["total"] == 1


def test_slow_answers_after_the_client_gave_up_and_the_write_is_applied(
    server: EmulatorServer, http: httpx.Client
) -> None:
    server.faults.configure(slow_seconds=0.6)
    server.faults.add_rule("huawei", "CreatePullTask", "slow")
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        huawei_create(http, timeout=0.3)
    assert time.monotonic() - started < 0.55  # the client gave up at its own timeout
    assert server.store.count("huawei") == 1
    assert huawei_list(http).json()["total"] == 1


def test_random_faults_hit_api_requests_only(server: EmulatorServer, http: httpx.Client) -> None:
    server.faults.configure(rate=1.0, kinds=("error",))
    assert huawei_list(http).status_code == huawei_limits.UNAVAILABLE.status
    assert http.get("/_emulator/health").json() == {"ok": True}
    assert http.get("/_emulator/stats").status_code == 200
    assert control(http, "GET").status_code == 200
    assert server.faults.counts()["total"] == 1


def test_the_seed_replays_the_same_answers_over_http(server: EmulatorServer, http: httpx.Client) -> None:
    def statuses() -> list[int]:
        return [huawei_list(http).status_code for _ in range(25)]

    assert control(http, "PUT", {"rate": 0.5, "seed": 99, "kinds": ["throttle", "error"]}).status_code == 200
    first = statuses()
    assert control(http, "PUT", {"seed": 99}).status_code == 200  # reseeds
    assert statuses() == first
    assert {200, huawei_limits.THROTTLED.status, huawei_limits.UNAVAILABLE.status} == set(first)


def test_latency_delays_api_answers_but_not_the_admin_endpoints(server: EmulatorServer, http: httpx.Client) -> None:
    server.gate.latency_ms = 300
    started = time.monotonic()
    assert huawei_list(http).status_code == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    http.get("/_emulator/health")
    assert time.monotonic() - started < 0.2


# -- the control endpoint -------------------------------------------------------------------------


def test_the_control_endpoint_is_refused_without_a_configured_token() -> None:
    with EmulatorServer() as emulator, httpx.Client(base_url=emulator.url, timeout=5) as http:
        for method in ("GET", "PUT", "DELETE"):
            assert control(http, method, {"rate": 1} if method == "PUT" else None, token="").status_code == 403
            assert control(http, method, {"rate": 1} if method == "PUT" else None, token="guess").status_code == 403
        assert emulator.faults.settings.rate == 0


def test_the_control_endpoint_refuses_a_wrong_token(server: EmulatorServer, http: httpx.Client) -> None:
    assert control(http, "GET", token=None).status_code == 403
    assert control(http, "GET", token=CONTROL + "x").status_code == 403
    assert control(http, "PUT", {"rate": 1.0}, token="wrong").status_code == 403
    assert control(http, "DELETE", token="wrong").status_code == 403
    assert server.faults.settings.rate == 0


def test_the_control_endpoint_reads_and_applies_settings(server: EmulatorServer, http: httpx.Client) -> None:
    state = control(http, "GET").json()
    assert state == {
        "settings": {
            "rate": 0.0,
            "seed": 0,
            "kinds": list(KINDS),
            "slow_seconds": 31.0,
            "latency_ms": 0.0,
            "rate_limits": False,
        },
        "rules": [],
        "counts": {"total": 0, "by_kind": {}, "by_cloud": {"huawei": {}, "tencent": {}, "aliyun": {}}},
    }
    rule = {"cloud": "aliyun", "action": "UpdateLivePullToPush", "kind": "error", "count": 3}
    changes = {
        "rate": 0.25,
        "seed": 5,
        "kinds": ["slow"],
        "slow_seconds": 0.5,
        "latency_ms": 10,
        "rate_limits": True,
        "rules": [rule],
    }
    answered = control(http, "PUT", changes)
    assert answered.status_code == 200
    assert answered.json()["settings"] == {name: value for name, value in changes.items() if name != "rules"}
    settings = server.faults.settings
    assert (settings.rate, settings.seed, settings.kinds, settings.slow_seconds) == (0.25, 5, ("slow",), 0.5)
    assert (server.gate.latency_ms, server.gate.rate_limits) == (10, True)
    assert answered.json()["rules"] == [rule] == control(http, "GET").json()["rules"]

    server.faults.configure(rate=0.0)
    assert aliyun_call(http, "UpdateLivePullToPush", Region="cn-shanghai", TaskId="x").status_code == 500
    assert control(http, "GET").json()["rules"][0]["count"] == 2  # counts down as it fires

    cleared = control(http, "DELETE")
    assert cleared.status_code == 200
    assert cleared.json()["rules"] == [] and cleared.json()["settings"]["rate"] == 0
    assert cleared.json()["counts"]["by_cloud"]["aliyun"] == {"UpdateLivePullToPush": {"error": 1}}  # kept


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rate": 2}, "rate"),
        ({"rate": "0.5"}, "rate"),
        ({"seed": "x"}, "seed"),
        ({"kinds": ["throttle", "nope"]}, "kinds"),
        ({"kinds": "throttle"}, "kinds"),
        ({"slow_seconds": -1}, "slow_seconds"),
        ({"latency_ms": -5}, "latency_ms"),
        ({"rate_limits": "off"}, "rate_limits"),
        ({"rules": {}}, "rules"),
        ({"rules": [{"cloud": "aws", "action": "X", "kind": "error"}]}, "rules[0].cloud"),
        ({"rules": [{"cloud": "huawei", "action": "ListTasks", "kind": "error"}]}, "rules[0].action"),
        ({"rules": [{"cloud": "huawei", "action": "ListPullTasks"}]}, "rules[0].kind"),
        ({"rate": 0.5, "colour": "red"}, "colour"),
        ([1, 2], "body"),
    ],
)
def test_a_bad_control_body_is_refused_naming_the_field(
    server: EmulatorServer, http: httpx.Client, body: Any, field: str
) -> None:
    answered = control(http, "PUT", body)
    assert answered.status_code == 400
    assert answered.json()["field"] == field and field in answered.json()["message"]
    assert server.faults.settings == FaultSettings()  # nothing applied, not even the valid part
    assert server.faults.rules() == []


def test_a_control_body_that_is_not_json_is_refused(http: httpx.Client) -> None:
    answered = http.put("/_emulator/faults", content=b"rate=1", headers={"X-Emulator-Token": CONTROL})
    assert answered.status_code == 400 and answered.json()["field"] == "body"


# -- command-line flags ---------------------------------------------------------------------------


def test_fault_flags_parse_into_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELAYTASK_EMULATOR_TOKEN", "from-env")
    argv = ["--fault-rate", "0.2", "--seed", "7", "--fault-kinds", "throttle, slow", "--slow-seconds", "2.5"]
    args = build_parser().parse_args([*argv, "--latency-ms", "15", "--rate-limits", "off"])
    assert (args.fault_rate, args.seed, args.fault_kinds, args.slow_seconds) == (0.2, 7, ("throttle", "slow"), 2.5)
    assert (args.latency_ms, args.rate_limits, args.control_token) == (15.0, False, "from-env")
    defaults = build_parser().parse_args([])
    assert (defaults.fault_rate, defaults.fault_kinds, defaults.rate_limits) == (0.0, KINDS, True)
    assert build_parser().parse_args(["--control-token", "flag"]).control_token == "flag"
    monkeypatch.delenv("RELAYTASK_EMULATOR_TOKEN")
    assert build_parser().parse_args([]).control_token is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--fault-rate", "1.5"], "argument --fault-rate: must be between 0 and 1"),
        (["--fault-rate", "often"], "argument --fault-rate: not a number"),
        (["--fault-rate", "nan"], "argument --fault-rate: must be a finite number"),
        (["--fault-kinds", "throttle,explode"], "argument --fault-kinds: unknown kind(s) ['explode']"),
        (["--fault-kinds", ","], "argument --fault-kinds: must name at least one kind"),
        (["--slow-seconds", "-1"], "argument --slow-seconds: must not be negative"),
        (["--latency-ms", "-3"], "argument --latency-ms: must not be negative"),
        (["--seed", "x"], "argument --seed: invalid int value"),
        (["--rate-limits", "maybe"], "argument --rate-limits: must be on or off"),
    ],
)
def test_bad_fault_flags_are_argparse_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(argv)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err
