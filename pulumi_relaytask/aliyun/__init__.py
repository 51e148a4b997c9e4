"""Alibaba Cloud ApsaraVideo Live pull-to-push tasks (API 2016-11-01)."""

from .resource import RelayTask

__all__ = ["RelayTask"]
