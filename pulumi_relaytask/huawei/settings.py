"""Where the Huawei provider finds its credentials and endpoint, at run time only.

Order: stack config `relaytask:huawei*`, then the vendor's usual environment variables;
RELAYTASK_ENDPOINT points every cloud at one endpoint (the emulator). None of it enters state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..core.settings import ConfigGet, SettingsSource

DEFAULT_REGION = "cn-north-4"


@dataclass(frozen=True)
class HuaweiSettings:
    access_key: str
    secret_key: str = field(repr=False)
    project_id: str
    region: str
    endpoint: str

    @classmethod
    def resolve(cls, config_get: ConfigGet, environ: Mapping[str, str] | None = None) -> HuaweiSettings:
        source = SettingsSource(config_get, environ)
        access_key = source.require("huaweiAccessKey", "HUAWEICLOUD_SDK_AK", "CLOUD_SDK_AK")
        secret_key = source.require("huaweiSecretKey", "HUAWEICLOUD_SDK_SK", "CLOUD_SDK_SK")
        project_id = source.require("huaweiProjectId", "HUAWEICLOUD_SDK_PROJECT_ID")
        source.check_complete("Huawei")
        region = source.get("huaweiRegion", "HUAWEICLOUD_SDK_REGION") or DEFAULT_REGION
        endpoint = source.endpoint("huaweiEndpoint", f"https://live.{region}.myhuaweicloud.com")
        return cls(access_key, secret_key, project_id, region, endpoint)
