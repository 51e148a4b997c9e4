"""Fixtures shared by the contract and end-to-end tests: the emulator on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_relaytask.emulator.server import EmulatorServer

DEMO_AK = "relaytask-demo-ak"
DEMO_SK = "relaytask-demo-sk"


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    state: Path = tmp_path_factory.mktemp("emulator") / "state.db"
    server = EmulatorServer(host="127.0.0.1", port=0, state_path=str(state))
    server.start()
    try:
        yield server
    finally:
        server.stop()
