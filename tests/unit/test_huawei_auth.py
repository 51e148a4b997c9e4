"""SDK-HMAC-SHA256: the published vectors step by step, parity with the official SDK, the verifier."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import httpx
import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer as OfficialSigner

from pulumi_relaytask.core.clock import FixedClock
from pulumi_relaytask.errors import SignatureRejected
from pulumi_relaytask.huawei.auth import (
    EMPTY_BODY_SHA256,
    HuaweiSigner,
    authorization_header,
    canonical_headers,
    canonical_query,
    canonical_request,
    canonical_uri,
    signature,
    signed_headers_for,
    string_to_sign,
    verify_request,
)

# -- published vector 1: the vpcs GET ------------------------------------------------------------

VPC_AK = "QTWAOYTTINDUT2QVKYUC"
VPC_SK = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
VPC_DATE = "20191115T033655Z"
VPC_PATH = "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs"
VPC_QUERY = [("limit", "2"), ("marker", "13551d6b-755d-4757-b956-536f674975c0")]
VPC_HEADERS = {"Content-Type": "application/json", "Host": "service.region.example.com", "X-Sdk-Date": VPC_DATE}


def test_vpc_vector_canonical_uri_gains_trailing_slash() -> None:
    assert canonical_uri(VPC_PATH) == VPC_PATH + "/"


def test_vpc_vector_canonical_query() -> None:
    assert canonical_query(list(reversed(VPC_QUERY))) == "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0"


def test_vpc_vector_signed_and_canonical_headers() -> None:
    signed = signed_headers_for(VPC_HEADERS)
    assert signed == ["content-type", "host", "x-sdk-date"]
    assert canonical_headers(VPC_HEADERS, signed) == (
        "content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n"
    )


def test_vpc_vector_hashed_canonical_request() -> None:
    request = canonical_request("GET", VPC_PATH, VPC_QUERY, VPC_HEADERS, signed_headers_for(VPC_HEADERS), b"")
    assert request.endswith("\n\ncontent-type;host;x-sdk-date\n" + EMPTY_BODY_SHA256)
    assert hashlib.sha256(request.encode()).hexdigest() == (
        "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
    )


def test_vpc_vector_string_to_sign_and_signature() -> None:
    request = canonical_request("GET", VPC_PATH, VPC_QUERY, VPC_HEADERS, signed_headers_for(VPC_HEADERS), b"")
    to_sign = string_to_sign(VPC_DATE, request)
    assert to_sign == (
        "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
    )
    assert signature(VPC_SK, to_sign) == "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"


def test_authorization_header_format() -> None:
    assert authorization_header(VPC_AK, ["content-type", "host", "x-sdk-date"], "abc") == (
        f"SDK-HMAC-SHA256 Access={VPC_AK}, SignedHeaders=content-type;host;x-sdk-date, Signature=abc"
    )


# -- published vector 2: AccessKey / SecretKey, GET and POST, underscore header unsigned ---------

EXAMPLE_HEADERS = {
    "Host": "service.endpoint.myhuaweicloud.com",
    "X-Sdk-Date": "20200608T023900Z",
    "TEST_UNDERSCORE": "value",
}


def test_underscore_header_is_not_signed() -> None:
    assert signed_headers_for(EXAMPLE_HEADERS) == ["host", "x-sdk-date"]


@pytest.mark.parametrize(
    ("method", "body", "expected"),
    [
        ("GET", b"", "cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842"),
        ("POST", b'{"name":"test","id":1}', "436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f"),
    ],
)
def test_access_key_example_signatures(method: str, body: bytes, expected: str) -> None:
    signed = signed_headers_for(EXAMPLE_HEADERS)
    request = canonical_request(method, "/resources", [("size", "1")], EXAMPLE_HEADERS, signed, body)
    assert request.splitlines()[:3] == [method, "/resources/", "size=1"]
    assert request.splitlines()[-1] == hashlib.sha256(body).hexdigest()
    assert signature("SecretKey", string_to_sign("20200608T023900Z", request)) == expected


def test_canonical_uri_encodes_segments_and_keeps_tilde() -> None:
    assert canonical_uri("") == "/"
    assert canonical_uri("/") == "/"
    assert canonical_uri("/a b/~x/") == "/a%20b/~x/"
    # Already-encoded input is decoded first, so both spellings sign the same.
    assert canonical_uri("/a%20b/c%2Bd") == canonical_uri("/a b/c+d") == "/a%20b/c%2Bd/"


def test_canonical_query_sorts_and_encodes() -> None:
    assert canonical_query([("b", "x y"), ("a", "2"), ("a", "1"), ("c", "~/+"), ("d", "")]) == (
        "a=1&a=2&b=x%20y&c=~%2F%2B&d="
    )


def test_canonical_headers_refuses_a_missing_signed_header() -> None:
    with pytest.raises(ValueError, match="x-project-id"):
        canonical_headers({"Host": "h"}, ["host", "x-project-id"])


# -- parity with the official huaweicloudsdkcore signer -------------------------------------------

SDK_DATE = "20261122T100000Z"
SDK_CLOCK_TIME = datetime(2026, 11, 22, 10, 0, 0, tzinfo=UTC)


def _official_authorization(
    method: str,
    host: str,
    path: str,
    query: list[tuple[str, str]],
    headers: dict[str, str],
    body: bytes,
    ak: str,
    sk: str,
) -> str:
    request = SdkRequest(
        method=method,
        schema="https",
        host=host,
        resource_path=path,
        query_params=list(query),
        header_params=dict(headers),
        body=body,
    )
    signed = OfficialSigner(BasicCredentials(ak, sk)).sign(request)
    return str(signed.header_params["Authorization"])


@pytest.mark.parametrize(
    ("method", "path", "query", "body"),
    [
        ("GET", "/v1/proj/pull/stream/task", [("limit", "10"), ("offset", "0"), ("task_id", "a b/c")], b""),
        ("POST", "/v1/proj/pull/stream/task", [], json.dumps({"source_urls": ["rtmp://x/y?a=1"]}).encode()),
        ("DELETE", "/v1/proj/odd path~/task", [("task_id", "t~1"), ("b", "2"), ("a", "+")], b""),
    ],
)
def test_step_functions_match_official_signer(
    method: str, path: str, query: list[tuple[str, str]], body: bytes
) -> None:
    headers = {
        "Content-Type": "application/json; charset=UTF-8",
        "Host": "live.cn-north-4.myhuaweicloud.com",
        "User-Agent": "huaweicloud-usdk-python/3.0",
        "X-Project-Id": "proj",
        "X-Sdk-Date": SDK_DATE,
        "Some_Underscore": "ignored",
    }
    official = _official_authorization(method, headers["Host"], path, query, headers, body, VPC_AK, VPC_SK)
    signed = signed_headers_for(headers)
    ours = authorization_header(
        VPC_AK,
        signed,
        signature(VPC_SK, string_to_sign(SDK_DATE, canonical_request(method, path, query, headers, signed, body))),
    )
    assert ours == official
    assert "SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date," in ours


def test_huawei_signer_matches_official_signer_on_the_headers_the_sdk_holds() -> None:
    signer = HuaweiSigner(VPC_AK, VPC_SK, project_id="proj", clock=FixedClock(SDK_CLOCK_TIME))
    client = httpx.Client(base_url="http://127.0.0.1:8000", auth=signer, headers={"User-Agent": "test"})
    request = client.build_request(
        "PUT", "/v1/proj/pull/stream/task", params={"x": "1 2"}, json={"task_id": "t", "status": "pause"}
    )
    signer.sign(request)
    client.close()
    assert request.headers["X-Sdk-Date"] == SDK_DATE
    assert request.headers["X-Project-Id"] == "proj"
    # The SDK's request holds these when it signs; httpx adds connection, accept-encoding and the rest later.
    held = ("content-type", "user-agent", "x-project-id", "x-sdk-date")
    headers = {name: value for name, value in request.headers.items() if name in held}
    query = parse_qsl(request.url.query.decode(), keep_blank_values=True)
    official = _official_authorization(
        "PUT", "127.0.0.1:8000", request.url.path, query, headers, request.content, VPC_AK, VPC_SK
    )
    assert request.headers["Authorization"] == official
    signed = request.headers["Authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    assert signed == ["content-type", "host", "user-agent", "x-project-id", "x-sdk-date"]


def test_hop_by_hop_headers_rewritten_in_transit_keep_the_signature_valid() -> None:
    request = _signed_request({"task_id": "t"})
    request.headers["Connection"] = "close"  # what a forwarding proxy may do
    request.headers["Accept-Encoding"] = "identity"
    headers = dict(request.headers)
    raw_path, _, raw_query = request.url.raw_path.decode().partition("?")
    query = parse_qsl(raw_query, keep_blank_values=True)
    assert verify_request(request.method, raw_path, query, headers, request.content, {"ak-1": "sk-1"}.get) == "ak-1"


def test_huawei_signer_adds_security_token_and_signs_it() -> None:
    signer = HuaweiSigner("ak", "sk", clock=FixedClock(SDK_CLOCK_TIME), security_token="tok")
    request = httpx.Request("GET", "https://live.example.com/v1/p/pull/stream/task")
    signer.sign(request)
    assert request.headers["X-Security-Token"] == "tok"
    assert "X-Project-Id" not in request.headers
    assert "SignedHeaders=host;x-sdk-date;x-security-token," in request.headers["Authorization"]


def test_secret_key_never_in_repr() -> None:
    signer = HuaweiSigner("my-ak", "super-secret-sk", project_id="p", security_token="secret-token")
    text = repr(signer)
    assert "my-ak" in text
    assert "super-secret-sk" not in text and "secret-token" not in text


# -- verify_request -------------------------------------------------------------------------------


def _signed_request(body: dict[str, object] | None = None, ak: str = "ak-1", sk: str = "sk-1") -> httpx.Request:
    signer = HuaweiSigner(ak, sk, project_id="proj", clock=FixedClock(SDK_CLOCK_TIME))
    method = "POST" if body is not None else "GET"
    request = httpx.Request(
        method,
        "http://127.0.0.1:9/v1/proj/pull/stream/task",
        params=None if body is not None else {"limit": "5", "task_id": "a b"},
        json=body,
        headers={"User-Agent": "t"},
    )
    signer.sign(request)
    return request


def _verify(request: httpx.Request, lookup: dict[str, str], body: bytes | None = None, drop: str | None = None) -> str:
    headers = {name: value for name, value in request.headers.items() if name != drop}
    raw_path, _, raw_query = request.url.raw_path.decode().partition("?")
    return verify_request(
        request.method,
        raw_path,
        parse_qsl(raw_query, keep_blank_values=True),
        headers,
        request.content if body is None else body,
        lookup.get,
    )


@pytest.mark.parametrize("body", [None, {"source_type": "PullVodPushLive", "source_urls": ["u"]}])
def test_verify_accepts_a_request_signed_by_huawei_signer(body: dict[str, object] | None) -> None:
    assert _verify(_signed_request(body), {"ak-1": "sk-1"}) == "ak-1"


def test_verify_rejects_a_tampered_body() -> None:
    request = _signed_request({"task_id": "t", "status": "pause"})
    with pytest.raises(SignatureRejected, match="does not match"):
        _verify(request, {"ak-1": "sk-1"}, body=b'{"task_id": "t", "status": "enable"}')


def test_verify_rejects_a_wrong_secret_without_revealing_it() -> None:
    request = _signed_request()
    with pytest.raises(SignatureRejected) as caught:
        _verify(request, {"ak-1": "the-real-secret"})
    assert "the-real-secret" not in str(caught.value) and "sk-1" not in str(caught.value)


def test_verify_rejects_an_unknown_access_key() -> None:
    with pytest.raises(SignatureRejected, match="unknown access key"):
        _verify(_signed_request(), {"someone-else": "sk-1"})


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("authorization", "the Authorization header is missing"),
        ("x-sdk-date", "the X-Sdk-Date header is missing"),
        ("x-project-id", "signed header 'x-project-id' is not in the request"),
    ],
)
def test_verify_rejects_a_missing_header_as_api_gateway_does(header: str, reason: str) -> None:
    with pytest.raises(SignatureRejected) as caught:
        _verify(_signed_request(), {"ak-1": "sk-1"}, drop=header)
    # Every refusal is 401 APIGW.0301, whatever the reason; the message names the reason.
    assert (caught.value.status, caught.value.code) == (401, "APIGW.0301")
    assert caught.value.message == f"Incorrect IAM authentication information: {reason}"


def test_verify_rejects_a_malformed_authorization() -> None:
    with pytest.raises(SignatureRejected, match="SDK-HMAC-SHA256"):
        verify_request("GET", "/", [], {"Authorization": "Basic abc", "X-Sdk-Date": SDK_DATE}, b"", {}.get)
    with pytest.raises(SignatureRejected, match="Access"):
        verify_request(
            "GET", "/", [], {"Authorization": "SDK-HMAC-SHA256 Access=a", "X-Sdk-Date": SDK_DATE}, b"", {}.get
        )


def test_verify_accepts_the_official_sdk_signed_header_set() -> None:
    headers = {
        "Content-Type": "application/json; charset=UTF-8",
        "Host": "127.0.0.1:8000",
        "User-Agent": "huaweicloud-usdk-python/3.0",
        "X-Project-Id": "proj",
        "X-Sdk-Date": SDK_DATE,
    }
    body = b'{"task_id": "t"}'
    headers["Authorization"] = _official_authorization(
        "PUT", "127.0.0.1:8000", "/v1/proj/pull/stream/task", [], headers, body, "ak-1", "sk-1"
    )
    assert verify_request("PUT", "/v1/proj/pull/stream/task", [], headers, body, {"ak-1": "sk-1"}.get) == "ak-1"
