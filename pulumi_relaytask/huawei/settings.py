"""Where the Huawei provider finds its credentials and endpoint, at run time only.

Order: stack config `relaytask:huawei*`, then the vendor's usual environment variables;
RELAYTASK_ENDPOINT points every cloud at one endpoint (the emulator). None of it enters state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..core.settings import CALL_CONFIG, ENDPOINT_ENV, CallPolicy, ConfigGet, ConfigKey, SettingsSource

DEFAULT_REGION = "cn-north-4"

ACCESS_KEY = ConfigKey(
    "huaweiAccessKey", "Access key (AK).", env=("HUAWEICLOUD_SDK_AK", "CLOUD_SDK_AK"), secret=True, required=True
)
SECRET_KEY = ConfigKey(
    "huaweiSecretKey", "Secret key (SK).", env=("HUAWEICLOUD_SDK_SK", "CLOUD_SDK_SK"), secret=True, required=True
)
PROJECT_ID = ConfigKey(
    "huaweiProjectId", "Project id the tasks belong to.", env=("HUAWEICLOUD_SDK_PROJECT_ID",), required=True
)
REGION = ConfigKey("huaweiRegion", "Region of new tasks.", env=("HUAWEICLOUD_SDK_REGION",), default=DEFAULT_REGION)
ENDPOINT = ConfigKey(
    "huaweiEndpoint",
    "API endpoint (the emulator's URL in tests).",
    env=(ENDPOINT_ENV,),
    default="https://live.<region>.myhuaweicloud.com",
)
CONFIG = (ACCESS_KEY, SECRET_KEY, PROJECT_ID, REGION, ENDPOINT, *CALL_CONFIG)


@dataclass(frozen=True)
class HuaweiSettings:
    access_key: str
    secret_key: str = field(repr=False)
    project_id: str
    region: str
    endpoint: str
    policy: CallPolicy = field(default_factory=CallPolicy)

    @classmethod
    def resolve(cls, config_get: ConfigGet, environ: Mapping[str, str] | None = None) -> HuaweiSettings:
        source = SettingsSource(config_get, environ)
        access_key = source.require(ACCESS_KEY)
        secret_key = source.require(SECRET_KEY)
        project_id = source.require(PROJECT_ID)
        source.check_complete("Huawei")
        region = source.get(REGION) or DEFAULT_REGION
        endpoint = source.endpoint(ENDPOINT, f"https://live.{region}.myhuaweicloud.com")
        return cls(access_key, secret_key, project_id, region, endpoint, CallPolicy.resolve(source))
