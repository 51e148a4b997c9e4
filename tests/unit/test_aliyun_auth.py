"""Alibaba signatures: the published V3 and V2 vectors step by step, parity with the official SDKs, the verifier."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from alibabacloud_tea_openapi.utils import Utils as OpenApiUtils
from aliyunsdkcore.auth.composer import rpc_signature_composer
from aliyunsdkcore.utils import parameter_helper
from darabonba.request import DaraRequest

from pulumi_relaytask.aliyun.auth import (
    EMPTY_BODY_SHA256,
    KEY_NOT_FOUND,
    SIGNATURE_MISMATCH,
    AliyunSigner,
    authorization_header,
    canonical_headers,
    canonical_query,
    canonical_request,
    parse_authorization,
    percent_encode,
    signature,
    signed_headers_for,
    string_to_sign,
    v2_canonical_query,
    v2_signature,
    v2_string_to_sign,
    verify_request,
)
from pulumi_relaytask.core.clock import FixedClock
from pulumi_relaytask.errors import SignatureRejected

# -- published V3 vector: ECS RunInstances ---------------------------------------------------------

V3_QUERY = [("RegionId", "cn-shanghai"), ("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd")]
V3_HEADERS = {
    "host": "ecs.cn-shanghai.aliyuncs.com",
    "x-acs-action": "RunInstances",
    "x-acs-version": "2014-05-26",
    "x-acs-date": "2023-10-26T10:22:32Z",
    "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
    "x-acs-content-sha256": EMPTY_BODY_SHA256,
}
V3_SIGNED = ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"]
V3_HASH = "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
V3_SIGNATURE = "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"


def test_v3_vector_canonical_query_sorts_by_key() -> None:
    assert canonical_query(V3_QUERY) == (
        "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai"
    )


def test_v3_vector_signed_and_canonical_headers() -> None:
    assert signed_headers_for({**V3_HEADERS, "Accept-Encoding": "gzip", "Connection": "keep-alive"}) == V3_SIGNED
    block = canonical_headers(V3_HEADERS, V3_SIGNED)
    assert block.splitlines()[0] == "host:ecs.cn-shanghai.aliyuncs.com"
    assert block.endswith("x-acs-version:2014-05-26\n") and block.count("\n") == 6


def test_v3_vector_canonical_request_and_its_hash() -> None:
    request = canonical_request("POST", "/", V3_QUERY, V3_HEADERS, V3_SIGNED, b"")
    lines = request.split("\n")
    assert lines[:3] == ["POST", "/", canonical_query(V3_QUERY)]
    assert lines[-2:] == [";".join(V3_SIGNED), EMPTY_BODY_SHA256]
    assert hashlib.sha256(request.encode()).hexdigest() == V3_HASH


def test_v3_vector_string_to_sign_signature_and_header() -> None:
    to_sign = string_to_sign(canonical_request("POST", "/", V3_QUERY, V3_HEADERS, V3_SIGNED, b""))
    assert to_sign == f"ACS3-HMAC-SHA256\n{V3_HASH}"
    assert signature("YourAccessKeySecret", to_sign) == V3_SIGNATURE
    header = authorization_header("YourAccessKeyId", V3_SIGNED, V3_SIGNATURE)
    assert header == (
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;"
        f"x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature={V3_SIGNATURE}"
    )
    assert parse_authorization(header) == ("YourAccessKeyId", V3_SIGNED, V3_SIGNATURE)


def test_canonical_headers_refuses_a_missing_signed_header() -> None:
    with pytest.raises(ValueError, match="x-acs-date"):
        canonical_headers({"host": "h"}, ["host", "x-acs-date"])


# -- published V2 vector: DescribeDedicatedHosts ----------------------------------------------------

V2_PARAMS = [
    ("AccessKeyId", "testid"),
    ("Action", "DescribeDedicatedHosts"),
    ("Format", "JSON"),
    ("RegionId", "cn-beijing"),
    ("SignatureMethod", "HMAC-SHA1"),
    ("SignatureNonce", "edb2b34af0af9a6d14deaf7c1a5315eb"),
    ("SignatureVersion", "1.0"),
    ("Timestamp", "2023-03-13T08:34:30Z"),
    ("Version", "2014-05-26"),
]


def test_percent_encode_is_rfc3986() -> None:
    assert percent_encode("a b*c~d/e+f:") == "a%20b%2Ac~d%2Fe%2Bf%3A"


def test_v2_vector_step_by_step() -> None:
    query = v2_canonical_query([*reversed(V2_PARAMS), ("Signature", "ignored")])
    assert query.startswith("AccessKeyId=testid&Action=DescribeDedicatedHosts&Format=JSON&")
    assert "Timestamp=2023-03-13T08%3A34%3A30Z" in query and "Signature=" not in query
    to_sign = v2_string_to_sign("get", query)
    assert to_sign.startswith("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts")
    assert "Timestamp%3D2023-03-13T08%253A34%253A30Z" in to_sign  # encoded twice, as the spec says
    assert v2_signature("testsecret", to_sign) == "9NaGiOspFP5UPcwX8Iwt2YJXXuk="


# -- parity with the official signers ---------------------------------------------------------------

FIXED_DATE = "2026-11-22T10:00:00Z"
FIXED_NOW = datetime(2026, 11, 22, 10, 0, 0, tzinfo=UTC)
NONCE = "0123456789abcdef0123456789abcdef"
AK, SK = "ak-parity", "sk-parity/+="
PARAMS = {
    "Region": "cn-shanghai",
    "TaskName": "weekly show ~*",
    "SourceUrls": json.dumps(["https://vod.example.com/a b.mp4", "https://vod.example.com/b.mp4?x=1&y=2"]),
    "DstUrl": "rtmp://push.example.com/live/s?auth_key=1-0-0-abc",
    "StartTime": "2026-11-22T10:00:00Z",
}


def _official_v3(method: str, query: dict[str, str], headers: dict[str, str], body: bytes) -> str:
    request = DaraRequest()
    request.method, request.pathname, request.query, request.headers = method, "/", dict(query), dict(headers)
    return str(OpenApiUtils.get_authorization(request, "ACS3-HMAC-SHA256", hashlib.sha256(body).hexdigest(), AK, SK))


def _signed_by_us(
    method: str = "POST",
    params: dict[str, str] | None = None,
    body: bytes = b"",
    ak: str = AK,
    sk: str = SK,
    token: str | None = None,
) -> httpx.Request:
    signer = AliyunSigner(ak, sk, clock=FixedClock(FIXED_NOW), nonce=lambda: NONCE, security_token=token)
    headers = {"x-acs-action": "CreateLivePullToPush", "x-acs-version": "2016-11-01", "User-Agent": "t"}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = httpx.Request(
        method, "http://127.0.0.1:9/", params=PARAMS if params is None else params, headers=headers, content=body
    )
    signer.sign(request)
    return request


def test_our_signer_matches_the_official_v3_signature() -> None:
    request = _signed_by_us()
    assert request.headers["x-acs-date"] == FIXED_DATE
    assert request.headers["x-acs-signature-nonce"] == NONCE
    assert request.headers["x-acs-content-sha256"] == EMPTY_BODY_SHA256
    _, signed, _ = parse_authorization(request.headers["Authorization"])
    assert signed == [
        "host",
        "x-acs-action",
        "x-acs-content-sha256",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-version",
    ]
    official = _official_v3("POST", PARAMS, {name: request.headers[name] for name in signed}, b"")
    assert request.headers["Authorization"] == official


def test_our_signer_signs_a_form_body_like_the_official_one() -> None:
    body = urlencode({"CallbackUrl": "https://hooks.example.com/cb?t=1"}).encode()
    request = _signed_by_us(params={"Region": "cn-beijing"}, body=body)
    assert request.headers["x-acs-content-sha256"] == hashlib.sha256(body).hexdigest()
    _, signed, _ = parse_authorization(request.headers["Authorization"])
    assert "content-type" in signed
    official = _official_v3("POST", {"Region": "cn-beijing"}, {n: request.headers[n] for n in signed}, body)
    assert request.headers["Authorization"] == official


def test_step_functions_match_the_official_sdk_header_set() -> None:
    # The exact header set alibabacloud-tea-openapi signs (docs/api-notes.md, "What the official SDKs send").
    headers = {
        "accept": "application/json",
        "host": "127.0.0.1:8000",
        "user-agent": "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
        "x-acs-action": "DescribeLivePullToPushList",
        "x-acs-content-sha256": EMPTY_BODY_SHA256,
        "x-acs-credentials-provider": "static_ak",
        "x-acs-date": FIXED_DATE,
        "x-acs-signature-nonce": NONCE,
        "x-acs-version": "2016-11-01",
    }
    query = {"Region": "cn-shanghai", "TaskName": "a b", "PageSize": "5"}
    official = _official_v3("GET", query, headers, b"")
    signed = sorted(headers)
    ours = authorization_header(
        AK,
        signed,
        signature(SK, string_to_sign(canonical_request("GET", "/", list(query.items()), headers, signed, b""))),
    )
    assert ours == official
    assert (
        verify_request("GET", "/", list(query.items()), {**headers, "Authorization": official}, b"", {AK: SK}.get) == AK
    )


def test_v2_functions_match_the_legacy_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parameter_helper, "get_iso_8061_date", lambda: FIXED_DATE)
    monkeypatch.setattr(parameter_helper, "get_uuid", lambda: NONCE)
    params = {"Action": "CreateLivePullToPush", "Version": "2016-11-01", **PARAMS}
    url, official_to_sign = rpc_signature_composer.get_signed_url(dict(params), AK, SK, "JSON", "POST", {})
    sent = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    assert dict(sent)["Timestamp"] == FIXED_DATE and dict(sent)["SignatureNonce"] == NONCE
    ours_to_sign = v2_string_to_sign("POST", v2_canonical_query(sent))
    assert ours_to_sign == official_to_sign
    assert v2_signature(SK, ours_to_sign) == dict(sent)["Signature"]


def test_v2_functions_match_the_tea_openapi_rpc_signature() -> None:
    params = {"Action": "DescribeLivePullToPush", "TaskId": "t~1 *", **PARAMS}
    official = OpenApiUtils.get_rpcsignature(params, "GET", SK)
    assert v2_signature(SK, v2_string_to_sign("GET", v2_canonical_query(params.items()))) == official


def test_signer_adds_and_signs_the_security_token() -> None:
    request = _signed_by_us(token="sts-token")
    assert request.headers["x-acs-security-token"] == "sts-token"
    assert "x-acs-security-token" in parse_authorization(request.headers["Authorization"])[1]


def test_signer_needs_action_and_version() -> None:
    signer = AliyunSigner(AK, SK, clock=FixedClock(FIXED_NOW))
    with pytest.raises(ValueError, match="x-acs-action"):
        signer.sign(httpx.Request("GET", "http://127.0.0.1:9/", headers={"x-acs-version": "2016-11-01"}))


def test_secret_never_in_repr() -> None:
    text = repr(AliyunSigner("my-ak", "super-secret", security_token="secret-token"))
    assert "my-ak" in text
    assert "super-secret" not in text and "secret-token" not in text


def test_default_nonce_differs_between_requests() -> None:
    signer = AliyunSigner(AK, SK, clock=FixedClock(FIXED_NOW))
    nonces = set()
    for _ in range(3):
        request = httpx.Request("GET", "http://h/", headers={"x-acs-action": "A", "x-acs-version": "V"})
        signer.sign(request)
        nonces.add(request.headers["x-acs-signature-nonce"])
    assert len(nonces) == 3


# -- verify_request ---------------------------------------------------------------------------------


def _verify(
    request: httpx.Request,
    lookup: dict[str, str],
    *,
    query: list[tuple[str, str]] | None = None,
    body: bytes | None = None,
    drop: str | None = None,
) -> str:
    headers = {name: value for name, value in request.headers.items() if name != drop}
    raw_path, _, raw_query = request.url.raw_path.decode().partition("?")
    pairs = parse_qsl(raw_query, keep_blank_values=True) if query is None else query
    return verify_request(
        request.method, raw_path, pairs, headers, request.content if body is None else body, lookup.get
    )


def _v2_query(method: str, params: dict[str, str], ak: str = AK, sk: str = SK) -> list[tuple[str, str]]:
    pairs = list(
        {
            **params,
            "AccessKeyId": ak,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureVersion": "1.0",
            "SignatureNonce": NONCE,
            "Timestamp": FIXED_DATE,
            "Format": "JSON",
        }.items()
    )
    return [*pairs, ("Signature", v2_signature(sk, v2_string_to_sign(method, v2_canonical_query(pairs))))]


def test_verify_accepts_our_v3_signer() -> None:
    assert _verify(_signed_by_us(), {AK: SK}) == AK
    form = _signed_by_us(params={"Region": "cn-beijing"}, body=b"TaskId=t-1")
    assert _verify(form, {AK: SK}) == AK


def test_verify_accepts_v2_query_signatures_and_form_bodies() -> None:
    assert verify_request("GET", "/", _v2_query("GET", PARAMS), {}, b"", {AK: SK}.get) == AK
    # The legacy SDK signs form-body parameters together with the query.
    pairs = _v2_query("POST", {"Action": "X", "TaskId": "t 1"})
    body_pair = ("TaskId", "t 1")
    query = [pair for pair in pairs if pair != body_pair]
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    assert verify_request("POST", "/", query, headers, urlencode([body_pair]).encode(), {AK: SK}.get) == AK


def test_verify_rejects_tampering_v3() -> None:
    request = _signed_by_us()
    tampered = [(k, "rtmp://evil/x" if k == "DstUrl" else v) for k, v in PARAMS.items()]
    with pytest.raises(SignatureRejected) as caught:
        _verify(request, {AK: SK}, query=tampered)
    assert caught.value.code == SIGNATURE_MISMATCH
    with pytest.raises(SignatureRejected, match=SIGNATURE_MISMATCH):
        _verify(_signed_by_us(body=b"TaskId=a"), {AK: SK}, body=b"TaskId=b")


def test_verify_rejects_tampering_v2() -> None:
    pairs = [(k, "cn-beijing" if k == "Region" else v) for k, v in _v2_query("GET", PARAMS)]
    with pytest.raises(SignatureRejected) as caught:
        verify_request("GET", "/", pairs, {}, b"", {AK: SK}.get)
    assert caught.value.code == SIGNATURE_MISMATCH
    # The message ends with the server's string to sign, which the legacy SDK compares with its own.
    assert caught.value.message.split(":", 1)[1].startswith("GET&%2F&")
    with pytest.raises(SignatureRejected, match=SIGNATURE_MISMATCH):
        verify_request("POST", "/", _v2_query("GET", PARAMS), {}, b"", {AK: SK}.get)


def test_verify_rejects_a_wrong_secret_without_revealing_it() -> None:
    for check in (
        lambda: _verify(_signed_by_us(), {AK: "the-real-secret"}),
        lambda: verify_request("GET", "/", _v2_query("GET", PARAMS), {}, b"", {AK: "the-real-secret"}.get),
    ):
        with pytest.raises(SignatureRejected) as caught:
            check()
        assert caught.value.code == SIGNATURE_MISMATCH
        assert "the-real-secret" not in str(caught.value) and SK not in str(caught.value)


def test_verify_rejects_unknown_keys() -> None:
    with pytest.raises(SignatureRejected) as caught:
        _verify(_signed_by_us(ak="stranger"), {AK: SK})
    assert caught.value.code == KEY_NOT_FOUND and "stranger" in caught.value.message
    with pytest.raises(SignatureRejected) as caught:
        verify_request("GET", "/", _v2_query("GET", PARAMS, ak="stranger"), {}, b"", {AK: SK}.get)
    assert caught.value.code == KEY_NOT_FOUND


@pytest.mark.parametrize("header", ["x-acs-date", "x-acs-signature-nonce", "host"])
def test_verify_rejects_a_missing_signed_header(header: str) -> None:
    with pytest.raises(SignatureRejected, match=SIGNATURE_MISMATCH):
        _verify(_signed_by_us(), {AK: SK}, drop=header)


@pytest.mark.parametrize(
    ("query", "headers", "reason"),
    [
        ([("Region", "cn-beijing")], {}, "neither"),
        ([], {"Authorization": "HMAC-SHA256 abc"}, "ACS3-HMAC-SHA256"),
        ([], {"Authorization": "ACS3-HMAC-SHA256 Credential=a"}, "SignedHeaders"),
        (
            [("Signature", "x"), ("AccessKeyId", AK), ("SignatureMethod", "HMAC-SHA256"), ("SignatureVersion", "1.0")],
            {},
            "SignatureMethod",
        ),
        (
            [("Signature", "x"), ("AccessKeyId", AK), ("SignatureMethod", "HMAC-SHA1"), ("SignatureVersion", "2.0")],
            {},
            "SignatureVersion",
        ),
        ([("Signature", "x"), ("SignatureMethod", "HMAC-SHA1"), ("SignatureVersion", "1.0")], {}, "AccessKeyId"),
    ],
)
def test_verify_rejects_malformed_signatures(
    query: list[tuple[str, str]], headers: dict[str, str], reason: str
) -> None:
    with pytest.raises(SignatureRejected) as caught:
        verify_request("GET", "/", query, headers, b"", {AK: SK}.get)
    assert caught.value.code == SIGNATURE_MISMATCH and reason in caught.value.message
    assert ":" in caught.value.message  # the legacy SDK indexes the text after the first colon
