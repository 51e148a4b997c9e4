"""`relaytask emulator` (also `python -m pulumi_relaytask.emulator`): serve the emulator until stopped.

Prints one line, `relaytask emulator listening on http://HOST:PORT`, once the socket is listening,
then serves until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sqlite3
import sys
import threading
from types import FrameType
from typing import Any

from ..errors import ConfigurationError
from .credentials import Credentials
from .server import EmulatorServer


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="relaytask emulator",
        description="Local emulator of the Huawei / Tencent / Alibaba relay-task APIs.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default 0)")
    parser.add_argument(
        "--state",
        default=":memory:",
        help="SQLite file holding the tasks, kept across restarts (default :memory:, lost on exit)",
    )
    parser.add_argument(
        "--credentials",
        metavar="FILE",
        default=None,
        help='JSON file of extra keys and tokens: {"huawei": {"AK": "SK"}, "tokens": ["..."]}; '
        "the demo key relaytask-demo-ak / relaytask-demo-sk is always accepted",
    )
    return parser


def serve_forever_from_args(argv: list[str] | None = None) -> int:
    """Parse the arguments, serve until SIGTERM/SIGINT, return the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        credentials = Credentials.from_file(args.credentials) if args.credentials else Credentials.default()
    except (OSError, ConfigurationError) as exc:
        print(f"relaytask emulator: cannot use the credentials file: {exc}", file=sys.stderr)
        return 2
    try:
        server = EmulatorServer(args.host, args.port, state_path=args.state, credentials=credentials)
    except sqlite3.Error as exc:
        print(f"relaytask emulator: cannot open the state file {args.state}: {exc}", file=sys.stderr)
        return 2
    try:
        server.start()
    except OSError as exc:
        server.stop()
        print(f"relaytask emulator: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1

    stopping = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    previous: dict[int, Any] = {}
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(ValueError):  # not the main thread: the caller stops us some other way
            previous[signum] = signal.signal(signum, request_stop)
    print(f"relaytask emulator listening on {server.url}", flush=True)
    try:
        # A timed wait lets the main thread run the signal handlers promptly.
        while not stopping.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0


if __name__ == "__main__":
    sys.exit(serve_forever_from_args())
