"""Where the Tencent provider finds its credentials and endpoint, at run time only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..core.settings import ConfigGet, SettingsSource

DEFAULT_REGION = "ap-guangzhou"
DEFAULT_ENDPOINT = "https://live.tencentcloudapi.com"


@dataclass(frozen=True)
class TencentSettings:
    secret_id: str
    secret_key: str = field(repr=False)
    region: str
    endpoint: str
    session_token: str | None = field(default=None, repr=False)

    @classmethod
    def resolve(cls, config_get: ConfigGet, environ: Mapping[str, str] | None = None) -> TencentSettings:
        source = SettingsSource(config_get, environ)
        secret_id = source.require("tencentSecretId", "TENCENTCLOUD_SECRET_ID")
        secret_key = source.require("tencentSecretKey", "TENCENTCLOUD_SECRET_KEY")
        source.check_complete("Tencent")
        return cls(
            secret_id,
            secret_key,
            region=source.get("tencentRegion", "TENCENTCLOUD_REGION") or DEFAULT_REGION,
            endpoint=source.endpoint("tencentEndpoint", DEFAULT_ENDPOINT),
            session_token=source.get("tencentSessionToken", "TENCENTCLOUD_SESSION_TOKEN"),
        )
