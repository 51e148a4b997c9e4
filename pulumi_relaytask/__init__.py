"""Live-streaming relay tasks as Pulumi resources: `huawei.RelayTask`, `tencent.RelayTask`, `aliyun.RelayTask`."""

import importlib
import types
import typing

__all__ = ["aliyun", "huawei", "tencent"]

if typing.TYPE_CHECKING:
    from . import aliyun, huawei, tencent


def __getattr__(name: str) -> types.ModuleType:
    # Each cloud loads on first use: a program pays only for the clouds it declares tasks on.
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
