"""Tencent Cloud Live pull-stream tasks (API 2018-08-01)."""

from .resource import RelayTask

__all__ = ["RelayTask"]
