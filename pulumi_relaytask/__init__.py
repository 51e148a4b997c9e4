"""Live-streaming relay tasks as Pulumi resources: `huawei.RelayTask`, `tencent.RelayTask`, `aliyun.RelayTask`."""

from . import aliyun, huawei, tencent

__all__ = ["aliyun", "huawei", "tencent"]
