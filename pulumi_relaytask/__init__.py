"""Live-streaming relay tasks as Pulumi resources: `pulumi_relaytask.huawei.RelayTask`."""

from . import huawei

__all__ = ["huawei"]
