"""Where the Alibaba provider finds its credentials and endpoint, at run time only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..core.settings import ConfigGet, SettingsSource

DEFAULT_REGION = "cn-shanghai"
DEFAULT_ENDPOINT = "https://live.aliyuncs.com"


@dataclass(frozen=True)
class AliyunSettings:
    access_key_id: str
    access_key_secret: str = field(repr=False)
    region: str
    endpoint: str
    security_token: str | None = field(default=None, repr=False)

    @classmethod
    def resolve(cls, config_get: ConfigGet, environ: Mapping[str, str] | None = None) -> AliyunSettings:
        source = SettingsSource(config_get, environ)
        key_id = source.require("aliyunAccessKeyId", "ALIBABA_CLOUD_ACCESS_KEY_ID")
        secret = source.require("aliyunAccessKeySecret", "ALIBABA_CLOUD_ACCESS_KEY_SECRET")
        source.check_complete("Alibaba")
        return cls(
            key_id,
            secret,
            region=source.get("aliyunRegion", "ALIBABA_CLOUD_REGION_ID") or DEFAULT_REGION,
            endpoint=source.endpoint("aliyunEndpoint", DEFAULT_ENDPOINT),
            security_token=source.get("aliyunSecurityToken", "ALIBABA_CLOUD_SECURITY_TOKEN"),
        )
