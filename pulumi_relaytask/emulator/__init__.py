"""A local emulator of the three clouds' relay-task APIs (moto-style: state apart from wire).

store.py            SQLite task store shared by every cloud (survives restarts)
stats.py            request counters per cloud and operation
credentials.py      the keys and tokens the emulator accepts
faults.py           the error a backend raises, turned into each cloud's error shape by its wire
messages.py         the HTTP request/response values passed between server and wire modules
<cloud>_checks.py   a cloud's documented input rules, each failure naming field and rule
<cloud>_backend.py  a cloud's operations on the store (no HTTP); Alibaba's run state from the clock
<cloud>_wire.py     a cloud's HTTP shape: parsing, signature verification, JSON in and out
                    (cloud = huawei, tencent, aliyun)
server.py           the threaded HTTP server that dispatches by request shape
__main__.py         `relaytask emulator` / `python -m pulumi_relaytask.emulator`
"""

from .server import EmulatorServer

__all__ = ["EmulatorServer"]
