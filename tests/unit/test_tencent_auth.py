"""TC3-HMAC-SHA256: the published vector step by step, parity with the official SDK, the verifier."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import httpx
import pytest
from tencentcloud.common import abstract_client
from tencentcloud.common.credential import Credential
from tencentcloud.common.http.request import RequestInternal
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.live.v20180801.live_client import LiveClient

from pulumi_relaytask.core.clock import FixedClock
from pulumi_relaytask.errors import SignatureRejected
from pulumi_relaytask.tencent.auth import (
    SECRET_ID_NOT_FOUND,
    SIGNATURE_EXPIRE,
    SIGNATURE_FAILURE,
    TencentSigner,
    authorization_header,
    canonical_headers,
    canonical_request,
    credential_scope,
    date_of,
    payload_hash,
    signature,
    signing_key,
    string_to_sign,
    verify_request,
)

# -- the published CVM vector (docs/api-notes.md, "Tencent: signing") -----------------------------

CVM_SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
CVM_SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
CVM_TIMESTAMP = 1551113065
CVM_HEADERS = {
    "Content-Type": "application/json; charset=utf-8",
    "Host": "cvm.tencentcloudapi.com",
    "X-TC-Action": "DescribeInstances",
}
CVM_PAYLOAD = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
CVM_SIGNED = ["content-type", "host"]


def _cvm_canonical() -> str:
    return canonical_request("POST", "/", "", CVM_HEADERS, CVM_SIGNED, CVM_PAYLOAD)


def test_vector_payload_hash() -> None:
    assert payload_hash(CVM_PAYLOAD) == "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"


def test_vector_canonical_headers_and_request() -> None:
    assert canonical_headers(CVM_HEADERS, CVM_SIGNED) == (
        "content-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n"
    )
    canonical = _cvm_canonical()
    assert canonical.split("\n")[:3] == ["POST", "/", ""]
    assert canonical.endswith("\ncontent-type;host\n" + payload_hash(CVM_PAYLOAD))
    assert hashlib.sha256(canonical.encode()).hexdigest() == (
        "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    )


def test_vector_scope_string_to_sign_and_signature() -> None:
    date = date_of(CVM_TIMESTAMP)
    assert date == "2019-02-25"
    scope = credential_scope(date, "cvm")
    assert scope == "2019-02-25/cvm/tc3_request"
    to_sign = string_to_sign(CVM_TIMESTAMP, scope, _cvm_canonical())
    assert to_sign == (
        "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
        "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    )
    assert signature(signing_key(CVM_SECRET_KEY, date, "cvm"), to_sign) == (
        "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    )


def test_authorization_header_format() -> None:
    assert authorization_header(CVM_SECRET_ID, "2019-02-25", "cvm", CVM_SIGNED, "abc") == (
        f"TC3-HMAC-SHA256 Credential={CVM_SECRET_ID}/2019-02-25/cvm/tc3_request, "
        "SignedHeaders=content-type;host, Signature=abc"
    )


def test_canonical_headers_lowercase_the_action_and_refuse_a_missing_header() -> None:
    assert canonical_headers({"X-TC-Action": " CreateLivePullStreamTask "}, ["x-tc-action"]) == (
        "x-tc-action:createlivepullstreamtask\n"
    )
    with pytest.raises(ValueError, match="x-tc-action"):
        canonical_headers({"Host": "h"}, ["host", "x-tc-action"])


def test_unsigned_payload_is_hashed_as_the_marker() -> None:
    marker = hashlib.sha256(b"UNSIGNED-PAYLOAD").hexdigest()
    assert payload_hash(b'{"a": 1}', {"X-TC-Content-SHA256": "UNSIGNED-PAYLOAD"}) == marker


# -- parity with the official tencentcloud.common signer ------------------------------------------

FIXED_TIMESTAMP = 1795420800  # 2026-11-23T00:00:00Z
LIVE_PARAMS = {
    "TaskId": "task-1",
    "Operator": "ops",
    "SourceUrls": ["https://vod.example.com/\u4e2d.mp4"],
    "VodLoopTimes": 3,
}


def _official_request(
    monkeypatch: pytest.MonkeyPatch,
    action: str,
    params: dict[str, object],
    secret_id: str = "AKID-1",
    secret_key: str = "sk-1",
) -> RequestInternal:
    """What the official SDK puts on the wire for this call, with its clock pinned."""
    monkeypatch.setattr(abstract_client, "time", SimpleNamespace(time=lambda: FIXED_TIMESTAMP))
    profile = ClientProfile(httpProfile=HttpProfile(endpoint="live.tencentcloudapi.com"))
    client = LiveClient(Credential(secret_id, secret_key), "ap-guangzhou", profile)
    request = RequestInternal("live.tencentcloudapi.com", "POST", "/", header={})
    client._build_req_inter(action, params, request)
    return request


def test_step_functions_match_the_official_signer(monkeypatch: pytest.MonkeyPatch) -> None:
    official = _official_request(monkeypatch, "ModifyLivePullStreamTask", LIVE_PARAMS)
    assert official.header["X-TC-Timestamp"] == str(FIXED_TIMESTAMP)
    date = date_of(FIXED_TIMESTAMP)
    canonical = canonical_request("POST", "/", "", official.header, ["content-type", "host"], official.data.encode())
    sig = signature(
        signing_key("sk-1", date, "live"), string_to_sign(FIXED_TIMESTAMP, credential_scope(date, "live"), canonical)
    )
    assert (
        authorization_header("AKID-1", date, "live", ["content-type", "host"], sig) == official.header["Authorization"]
    )


def test_tencent_signer_matches_the_official_signer(monkeypatch: pytest.MonkeyPatch) -> None:
    official = _official_request(monkeypatch, "DeleteLivePullStreamTask", {"TaskId": "t", "Operator": "o"})
    signer = TencentSigner(
        "AKID-1",
        "sk-1",
        region="ap-guangzhou",
        clock=FixedClock(datetime.fromtimestamp(FIXED_TIMESTAMP, tz=UTC)),
        signed_headers=("content-type", "host"),
    )
    request = httpx.Request(
        "POST",
        "https://live.tencentcloudapi.com/",
        content=official.data.encode(),
        headers={"Content-Type": "application/json", "X-TC-Action": "DeleteLivePullStreamTask"},
    )
    signer.sign(request)
    assert request.headers["Authorization"] == official.header["Authorization"]
    for name in ("X-TC-Timestamp", "X-TC-Version", "X-TC-Region"):
        assert request.headers[name] == official.header[name]


def test_verify_accepts_what_the_official_sdk_sends(monkeypatch: pytest.MonkeyPatch) -> None:
    official = _official_request(monkeypatch, "CreateLivePullStreamTask", LIVE_PARAMS)
    now = datetime.fromtimestamp(FIXED_TIMESTAMP + 60, tz=UTC)
    assert (
        verify_request("POST", "/", "", official.header, official.data.encode(), {"AKID-1": "sk-1"}.get, now)
        == "AKID-1"
    )


# -- TencentSigner --------------------------------------------------------------------------------

SIGN_TIME = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)


def _signed(
    body: dict[str, object] | None = None,
    *,
    secret_id: str = "AKID-1",
    secret_key: str = "sk-1",
    token: str | None = None,
) -> httpx.Request:
    signer = TencentSigner(
        secret_id, secret_key, region="ap-singapore", clock=FixedClock(SIGN_TIME), session_token=token
    )
    request = httpx.Request(
        "POST",
        "http://127.0.0.1:9/",
        json=body if body is not None else {"TaskId": "t"},
        headers={"X-TC-Action": "DescribeLivePullStreamTasks"},
    )
    signer.sign(request)
    return request


def test_signer_adds_the_tc_headers_and_signs_the_action() -> None:
    request = _signed(token="session-token")
    assert request.headers["X-TC-Timestamp"] == str(int(SIGN_TIME.timestamp()))
    assert request.headers["X-TC-Version"] == "2018-08-01"
    assert request.headers["X-TC-Region"] == "ap-singapore"
    assert request.headers["X-TC-Token"] == "session-token"
    assert request.headers["Authorization"].startswith(
        "TC3-HMAC-SHA256 Credential=AKID-1/2026-11-23/live/tc3_request, SignedHeaders=content-type;host;x-tc-action, "
    )
    assert "X-TC-Token" not in _signed().headers


def test_signer_needs_the_action_header() -> None:
    signer = TencentSigner("id", "key", region="ap-guangzhou")
    with pytest.raises(ValueError, match="X-TC-Action"):
        signer.sign(httpx.Request("POST", "https://live.tencentcloudapi.com/", json={}))


def test_secret_key_never_in_repr() -> None:
    text = repr(TencentSigner("my-id", "super-secret-key", region="ap-guangzhou", session_token="secret-token"))
    assert "my-id" in text
    assert "super-secret-key" not in text and "secret-token" not in text


def test_signer_works_as_httpx_auth() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"Response": {"RequestId": "r"}})

    signer = TencentSigner("AKID-1", "sk-1", region="ap-guangzhou", clock=FixedClock(SIGN_TIME))
    with httpx.Client(base_url="http://emulator.test", auth=signer, transport=httpx.MockTransport(answer)) as client:
        client.post("/", json={"TaskId": "t"}, headers={"X-TC-Action": "DescribeLivePullStreamTaskStatus"})
    request = seen[0]
    assert (
        verify_request("POST", "/", "", dict(request.headers), request.content, {"AKID-1": "sk-1"}.get, SIGN_TIME)
        == "AKID-1"
    )


# -- verify_request -------------------------------------------------------------------------------


def _verify(
    request: httpx.Request,
    lookup: dict[str, str],
    *,
    body: bytes | None = None,
    now: datetime = SIGN_TIME,
    drop: str | None = None,
) -> str:
    headers = {name: value for name, value in request.headers.items() if name.lower() != drop}
    raw_path, _, raw_query = request.url.raw_path.decode().partition("?")
    return verify_request(
        request.method, raw_path, raw_query, headers, request.content if body is None else body, lookup.get, now
    )


def _refusal(call: object) -> SignatureRejected:
    with pytest.raises(SignatureRejected) as caught:
        call()  # type: ignore[operator]
    return caught.value


def test_verify_accepts_a_request_signed_by_tencent_signer() -> None:
    request = _signed({"TaskId": "t", "Operator": "o", "Comment": "\u4e2d\u6587"})
    assert _verify(request, {"AKID-1": "sk-1"}) == "AKID-1"
    # Within the 5 minute window either way.
    assert _verify(request, {"AKID-1": "sk-1"}, now=SIGN_TIME + timedelta(minutes=4, seconds=59)) == "AKID-1"
    assert _verify(request, {"AKID-1": "sk-1"}, now=SIGN_TIME - timedelta(minutes=5)) == "AKID-1"


def test_verify_rejects_a_tampered_body() -> None:
    request = _signed({"TaskId": "t", "Status": "pause"})
    error = _refusal(lambda: _verify(request, {"AKID-1": "sk-1"}, body=json.dumps({"TaskId": "t"}).encode()))
    assert error.code == SIGNATURE_FAILURE and "does not match" in error.message


def test_verify_rejects_a_tampered_action() -> None:
    request = _signed()
    request.headers["X-TC-Action"] = "DeleteLivePullStreamTask"
    assert _refusal(lambda: _verify(request, {"AKID-1": "sk-1"})).code == SIGNATURE_FAILURE


def test_verify_rejects_a_wrong_key_without_revealing_it() -> None:
    error = _refusal(lambda: _verify(_signed(), {"AKID-1": "the-real-secret"}))
    assert error.code == SIGNATURE_FAILURE
    assert "the-real-secret" not in str(error) and "sk-1" not in str(error)


def test_verify_rejects_an_unknown_secret_id() -> None:
    error = _refusal(lambda: _verify(_signed(), {"someone-else": "sk-1"}))
    assert error.code == SECRET_ID_NOT_FOUND and "AKID-1" in error.message


@pytest.mark.parametrize("offset", [timedelta(minutes=6), -timedelta(minutes=6)])
def test_verify_rejects_a_timestamp_six_minutes_off(offset: timedelta) -> None:
    error = _refusal(lambda: _verify(_signed(), {"AKID-1": "sk-1"}, now=SIGN_TIME + offset))
    assert error.code == SIGNATURE_EXPIRE


def test_verify_rejects_a_scope_date_that_is_not_the_timestamp_date() -> None:
    request = _signed()
    request.headers["Authorization"] = request.headers["Authorization"].replace("/2026-11-23/", "/2026-11-22/")
    error = _refusal(lambda: _verify(request, {"AKID-1": "sk-1"}))
    assert error.code == SIGNATURE_FAILURE and "date" in error.message


@pytest.mark.parametrize("header", ["authorization", "x-tc-timestamp", "x-tc-action"])
def test_verify_rejects_a_missing_header(header: str) -> None:
    assert _refusal(lambda: _verify(_signed(), {"AKID-1": "sk-1"}, drop=header)).code == SIGNATURE_FAILURE


def test_verify_rejects_malformed_authorizations_and_unsigned_host() -> None:
    base = {"X-TC-Timestamp": str(int(SIGN_TIME.timestamp())), "Content-Type": "application/json", "Host": "h"}
    for value in (
        "Basic abc",
        "TC3-HMAC-SHA256 Credential=a/2026-11-23/live/tc3_request",
        "TC3-HMAC-SHA256 Credential=a/live, SignedHeaders=host, Signature=x",
    ):
        error = _refusal(
            lambda value=value: verify_request(
                "POST", "/", "", {**base, "Authorization": value}, b"", {"a": "k"}.get, SIGN_TIME
            )
        )
        assert error.code == SIGNATURE_FAILURE
    only_type = "TC3-HMAC-SHA256 Credential=a/2026-11-23/live/tc3_request, SignedHeaders=content-type, Signature=00"
    error = _refusal(
        lambda: verify_request("POST", "/", "", {**base, "Authorization": only_type}, b"", {"a": "k"}.get, SIGN_TIME)
    )
    assert error.code == SIGNATURE_FAILURE and "host" in error.message
