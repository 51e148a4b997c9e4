"""Where the Tencent provider finds its credentials and endpoint, at run time only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..core.settings import CALL_CONFIG, ENDPOINT_ENV, CallPolicy, ConfigGet, ConfigKey, SettingsSource

DEFAULT_REGION = "ap-guangzhou"
DEFAULT_ENDPOINT = "https://live.tencentcloudapi.com"

SECRET_ID = ConfigKey("tencentSecretId", "SecretId.", env=("TENCENTCLOUD_SECRET_ID",), secret=True, required=True)
SECRET_KEY = ConfigKey("tencentSecretKey", "SecretKey.", env=("TENCENTCLOUD_SECRET_KEY",), secret=True, required=True)
SESSION_TOKEN = ConfigKey(
    "tencentSessionToken", "Token of temporary credentials.", env=("TENCENTCLOUD_SESSION_TOKEN",), secret=True
)
REGION = ConfigKey("tencentRegion", "Region of new tasks.", env=("TENCENTCLOUD_REGION",), default=DEFAULT_REGION)
ENDPOINT = ConfigKey(
    "tencentEndpoint", "API endpoint (the emulator's URL in tests).", env=(ENDPOINT_ENV,), default=DEFAULT_ENDPOINT
)
CONFIG = (SECRET_ID, SECRET_KEY, SESSION_TOKEN, REGION, ENDPOINT, *CALL_CONFIG)


@dataclass(frozen=True)
class TencentSettings:
    secret_id: str
    secret_key: str = field(repr=False)
    region: str
    endpoint: str
    session_token: str | None = field(default=None, repr=False)
    policy: CallPolicy = field(default_factory=CallPolicy)

    @classmethod
    def resolve(cls, config_get: ConfigGet, environ: Mapping[str, str] | None = None) -> TencentSettings:
        source = SettingsSource(config_get, environ)
        secret_id = source.require(SECRET_ID)
        secret_key = source.require(SECRET_KEY)
        source.check_complete("Tencent")
        return cls(
            secret_id,
            secret_key,
            region=source.get(REGION) or DEFAULT_REGION,
            endpoint=source.endpoint(ENDPOINT, DEFAULT_ENDPOINT),
            session_token=source.get(SESSION_TOKEN),
            policy=CallPolicy.resolve(source),
        )
