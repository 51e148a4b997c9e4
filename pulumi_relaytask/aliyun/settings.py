"""Where the Alibaba provider finds its credentials and endpoint, at run time only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..core.settings import CALL_CONFIG, ENDPOINT_ENV, CallPolicy, ConfigGet, ConfigKey, SettingsSource

DEFAULT_REGION = "cn-shanghai"
DEFAULT_ENDPOINT = "https://live.aliyuncs.com"

ACCESS_KEY_ID = ConfigKey(
    "aliyunAccessKeyId", "AccessKey id.", env=("ALIBABA_CLOUD_ACCESS_KEY_ID",), secret=True, required=True
)
ACCESS_KEY_SECRET = ConfigKey(
    "aliyunAccessKeySecret",
    "AccessKey secret.",
    env=("ALIBABA_CLOUD_ACCESS_KEY_SECRET",),
    secret=True,
    required=True,
)
SECURITY_TOKEN = ConfigKey(
    "aliyunSecurityToken", "STS token of temporary credentials.", env=("ALIBABA_CLOUD_SECURITY_TOKEN",), secret=True
)
REGION = ConfigKey("aliyunRegion", "Region of new tasks.", env=("ALIBABA_CLOUD_REGION_ID",), default=DEFAULT_REGION)
ENDPOINT = ConfigKey(
    "aliyunEndpoint", "API endpoint (the emulator's URL in tests).", env=(ENDPOINT_ENV,), default=DEFAULT_ENDPOINT
)
CONFIG = (ACCESS_KEY_ID, ACCESS_KEY_SECRET, SECURITY_TOKEN, REGION, ENDPOINT, *CALL_CONFIG)


@dataclass(frozen=True)
class AliyunSettings:
    access_key_id: str
    access_key_secret: str = field(repr=False)
    region: str
    endpoint: str
    security_token: str | None = field(default=None, repr=False)
    policy: CallPolicy = field(default_factory=CallPolicy)

    @classmethod
    def resolve(cls, config_get: ConfigGet, environ: Mapping[str, str] | None = None) -> AliyunSettings:
        source = SettingsSource(config_get, environ)
        key_id = source.require(ACCESS_KEY_ID)
        secret = source.require(ACCESS_KEY_SECRET)
        source.check_complete("Alibaba")
        return cls(
            key_id,
            secret,
            region=source.get(REGION) or DEFAULT_REGION,
            endpoint=source.endpoint(ENDPOINT, DEFAULT_ENDPOINT),
            security_token=source.get(SECURITY_TOKEN),
            policy=CallPolicy.resolve(source),
        )
