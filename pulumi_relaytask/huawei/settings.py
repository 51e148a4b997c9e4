"""Where the Huawei provider finds its credentials and endpoint, at run time only.

Order: stack config `relaytask:huawei*`, then the vendor's usual environment variables;
RELAYTASK_ENDPOINT points every cloud at one endpoint (the emulator). None of it enters state.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable, Mapping

from ..errors import ConfigurationError

DEFAULT_REGION = "cn-north-4"
ConfigGet = Callable[[str], "str | None"]


@dataclass(frozen=True)
class HuaweiSettings:
    access_key: str
    secret_key: str = field(repr=False)
    project_id: str
    region: str
    endpoint: str

    @classmethod
    def resolve(cls, config_get: ConfigGet, environ: Mapping[str, str] | None = None) -> "HuaweiSettings":
        env = os.environ if environ is None else environ

        def pick(key: str, *names: str) -> str | None:
            value = config_get(f"relaytask:{key}")
            for name in names:
                value = value or env.get(name)
            return value or None

        access_key = pick("huaweiAccessKey", "HUAWEICLOUD_SDK_AK", "CLOUD_SDK_AK")
        secret_key = pick("huaweiSecretKey", "HUAWEICLOUD_SDK_SK", "CLOUD_SDK_SK")
        project_id = pick("huaweiProjectId", "HUAWEICLOUD_SDK_PROJECT_ID")
        region = pick("huaweiRegion", "HUAWEICLOUD_SDK_REGION") or DEFAULT_REGION
        missing = [name for name, value in (
            ("relaytask:huaweiAccessKey (or HUAWEICLOUD_SDK_AK)", access_key),
            ("relaytask:huaweiSecretKey (or HUAWEICLOUD_SDK_SK)", secret_key),
            ("relaytask:huaweiProjectId (or HUAWEICLOUD_SDK_PROJECT_ID)", project_id),
        ) if not value]
        if missing:
            raise ConfigurationError("Huawei credentials are missing: set " + ", ".join(missing))
        endpoint = pick("huaweiEndpoint", "RELAYTASK_ENDPOINT") or f"https://live.{region}.myhuaweicloud.com"
        assert access_key and secret_key and project_id
        return cls(access_key, secret_key, project_id, region, endpoint.rstrip("/"))
