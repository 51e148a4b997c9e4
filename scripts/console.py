"""What a second user of the account does outside Pulumi, with each vendor's official Python SDK.

`make demo` uses it to change tasks out of band and to make a task that `relaytask import` then takes
over. The SDKs are the vendors' own clients (installed with the `test` extra), pointed at the
emulator; the package itself never depends on them.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from alibabacloud_live20161101 import models as aliyun_models
from alibabacloud_live20161101.client import Client as AliyunClient
from alibabacloud_tea_openapi.models import Config as AliyunConfig
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdklive.v1 import (
    CreatePullTaskRequest,
    ListPullTasksRequest,
    LivePullStreamTask,
    ModifyLivePullStreamTask,
    ModifyPullTaskRequest,
)
from huaweicloudsdklive.v1 import LiveClient as HuaweiClient
from tencentcloud.common.credential import Credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.live.v20180801 import models as tencent_models
from tencentcloud.live.v20180801.live_client import LiveClient as TencentClient

TENCENT_REGION = "ap-guangzhou"
ALIYUN_REGION = "cn-shanghai"


class Console:
    """The three vendors' SDK clients, signed with the account's keys, at one endpoint (the emulator)."""

    def __init__(self, endpoint: str, access_key: str, secret_key: str, huawei_project_id: str) -> None:
        host = urlsplit(endpoint).netloc
        scheme = urlsplit(endpoint).scheme
        http = HttpConfig.get_default_config()
        http.timeout = (5, 10)
        self.huawei = (
            HuaweiClient.new_builder()
            .with_credentials(BasicCredentials(access_key, secret_key, huawei_project_id))
            .with_endpoints([endpoint])
            .with_http_config(http)
            .build()
        )
        profile = ClientProfile(httpProfile=HttpProfile(endpoint=host, protocol=scheme, reqTimeout=10))
        self.tencent = TencentClient(Credential(access_key, secret_key), TENCENT_REGION, profile)
        self.aliyun = AliyunClient(
            AliyunConfig(access_key_id=access_key, access_key_secret=secret_key, endpoint=host, protocol=scheme)
        )

    # -- Huawei -----------------------------------------------------------------------------------
    def huawei_task(self, task_id: str) -> dict[str, Any]:
        response = self.huawei.list_pull_tasks(ListPullTasksRequest(task_id=task_id))
        return dict((response.task_infos or [])[0].to_dict())

    def huawei_modify(self, task_id: str, **fields: Any) -> None:
        self.huawei.modify_pull_task(ModifyPullTaskRequest(body=ModifyLivePullStreamTask(task_id=task_id, **fields)))

    def huawei_create(self, **fields: Any) -> str:
        response = self.huawei.create_pull_task(CreatePullTaskRequest(body=LivePullStreamTask(**fields)))
        return str(response.task_id)

    # -- Tencent ----------------------------------------------------------------------------------
    def tencent_modify(self, task_id: str, **params: Any) -> None:
        request = tencent_models.ModifyLivePullStreamTaskRequest()
        request.from_json_string(json.dumps({"TaskId": task_id, "Operator": "console", **params}))
        self.tencent.ModifyLivePullStreamTask(request)

    # -- Alibaba ----------------------------------------------------------------------------------
    def aliyun_update(self, task_id: str, **fields: Any) -> None:
        request = aliyun_models.UpdateLivePullToPushRequest(region=ALIYUN_REGION, task_id=task_id, **fields)
        self.aliyun.update_live_pull_to_push(request)
