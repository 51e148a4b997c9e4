"""`relaytask emulator` (also `python -m pulumi_relaytask.emulator`): serve the emulator until stopped.

Prints one line, `relaytask emulator listening on http://HOST:PORT`, once the socket is listening,
then serves until SIGTERM or SIGINT. The fault flags (`--fault-rate` and friends) set what the
control endpoint `/_emulator/faults` can change later; `--max-body` and `--client-timeout` are the
limits that keep hostile or broken clients from taking the server down; see server.py.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

from ..errors import ConfigurationError
from .credentials import Credentials
from .faults import KINDS, FaultSettings, InvalidSetting, check_kinds, check_rate, check_seconds
from .server import CLIENT_TIMEOUT, MAX_BODY, EmulatorServer

TOKEN_ENV = "RELAYTASK_EMULATOR_TOKEN"


def _checked(check: Callable[[object], object], parse: Callable[[str], object]) -> Callable[[str], Any]:
    """An argparse `type` that parses the text, then applies the same check as the control endpoint."""

    def convert(text: str) -> Any:
        try:
            return check(parse(text))
        except ValueError as exc:  # InvalidSetting too: argparse prints "argument --flag: <reason>"
            reason = exc.rule if isinstance(exc, InvalidSetting) else f"not a number: {text!r}"
            raise argparse.ArgumentTypeError(reason) from None

    return convert


def _kinds(text: str) -> tuple[str, ...]:
    try:
        return check_kinds([kind.strip() for kind in text.split(",") if kind.strip()])
    except InvalidSetting as exc:
        raise argparse.ArgumentTypeError(exc.rule) from None


def _on_off(text: str) -> bool:
    value = text.strip().lower()
    if value not in ("on", "off"):
        raise argparse.ArgumentTypeError(f"must be on or off, not {text!r}")
    return value == "on"


def _byte_count(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(f"must be a whole number of bytes, not {text!r}")
    return int(text)


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, not {text!r}")
    return value


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
    limits = parser.add_argument_group("limits")
    limits.add_argument(
        "--max-body",
        metavar="BYTES",
        type=_byte_count,
        default=MAX_BODY,
        help=f"largest request body taken; a larger one is refused with the cloud's 413 before it is read "
        f"(default {MAX_BODY})",
    )
    limits.add_argument(
        "--client-timeout",
        metavar="S",
        type=_positive_seconds,
        default=CLIENT_TIMEOUT,
        help="seconds a client may stay silent on a connection, and may take to send a body, before it "
        f"gets a 408 or the connection is closed (default {CLIENT_TIMEOUT:g})",
    )
    faults = parser.add_argument_group("faults and pacing")
    faults.add_argument(
        "--fault-rate",
        metavar="P",
        type=_checked(check_rate, float),
        default=0.0,
        help="probability in [0, 1] that an API request gets an injected fault (default 0)",
    )
    faults.add_argument("--seed", metavar="S", type=int, default=0, help="seed of the fault draws (default 0)")
    faults.add_argument(
        "--fault-kinds",
        metavar="KINDS",
        type=_kinds,
        default=KINDS,
        help=f"comma-separated kinds to draw from (default all: {','.join(KINDS)})",
    )
    faults.add_argument(
        "--slow-seconds",
        metavar="S",
        type=_checked(lambda value: check_seconds(value, "slow_seconds"), float),
        default=FaultSettings().slow_seconds,
        help=f"how long a `slow` fault holds the answer (default {FaultSettings().slow_seconds:g})",
    )
    faults.add_argument(
        "--latency-ms",
        metavar="N",
        type=_checked(lambda value: check_seconds(value, "latency_ms"), float),
        default=0.0,
        help="milliseconds added before every API answer (default 0)",
    )
    faults.add_argument(
        "--rate-limits",
        metavar="on|off",
        type=_on_off,
        default=True,
        help="refuse calls over each cloud's per-account rate limits with its throttling error (default on)",
    )
    faults.add_argument(
        "--control-token",
        metavar="TOKEN",
        default=os.environ.get(TOKEN_ENV) or None,
        help=f"token the /_emulator/faults endpoint requires in X-Emulator-Token (default ${TOKEN_ENV}; "
        "without one the endpoint refuses every call)",
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
        server = EmulatorServer(
            args.host,
            args.port,
            state_path=args.state,
            credentials=credentials,
            faults=FaultSettings(
                rate=args.fault_rate, seed=args.seed, kinds=args.fault_kinds, slow_seconds=args.slow_seconds
            ),
            latency_ms=args.latency_ms,
            rate_limits=args.rate_limits,
            control_token=args.control_token,
            max_body=args.max_body,
            client_timeout=args.client_timeout,
        )
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
