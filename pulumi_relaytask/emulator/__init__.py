"""A local emulator of the three clouds' relay-task APIs (moto-style: state apart from wire).

store.py            SQLite task store shared by every cloud (survives restarts)
stats.py            request counters per cloud and operation
credentials.py      the keys and tokens the emulator accepts
messages.py         the HTTP request/response values passed between server and wire modules
params.py           typed parameter readers shared by the clouds' checks (each cloud's own error)
freshness.py        request time and nonce checks against the wall clock (never the simulated clock)
<cloud>/checks.py   a cloud's documented input rules, each failure naming field and rule
<cloud>/backend.py  a cloud's operations on the store (no HTTP); Alibaba's run state from the clock
<cloud>/wire.py     a cloud's HTTP shape: parsing, signature verification, JSON in and out
                    (cloud = huawei, tencent, aliyun; one package each, as in moto)
faults.py           reproducible injected faults (seeded draws and explicit rules) and their counts
gate.py             what every authenticated API request passes before the backend: each cloud's
                    rate limits (from pulumi_relaytask/<cloud>/limits.py), then the injected faults; the latency
server.py           the threaded HTTP server that dispatches by request shape; /_emulator/faults
__main__.py         `relaytask emulator` / `python -m pulumi_relaytask.emulator`

Backends and verifiers refuse a request with errors.ApiFault; each wire renders it in its cloud's
error shape. What the three APIs answer is in docs/api-notes.md, "Where the documents are silent"
for the emulator's own choices.
"""

from .server import EmulatorServer

__all__ = ["EmulatorServer"]
