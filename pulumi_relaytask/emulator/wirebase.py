"""What every cloud's wire module holds: its backend, the credentials it verifies signatures with,
the statistics it counts calls in, the gate (rate limits, faults) and the wall clock that request
freshness is checked against (never the emulator's simulated clock)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from .credentials import Credentials
from .freshness import WallClock
from .gate import Gate
from .stats import RequestStats

Backend = TypeVar("Backend")


@dataclass
class WireBase(Generic[Backend]):
    backend: Backend
    credentials: Credentials
    stats: RequestStats
    gate: Gate
    wall_clock: WallClock = field(default=time.time)
