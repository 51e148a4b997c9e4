"""Huawei Cloud Live relay tasks (ListPullTasks / ModifyPullTask reference API)."""

from .resource import RelayTask

__all__ = ["RelayTask"]
