"""The `relaytask` command."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="relaytask", description="pulumi-relaytask tools")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("emulator", help="run the local emulator of the three clouds' relay-task APIs", add_help=False)
    sub.add_parser("schema", help="print the Pulumi package schema generated from the models")
    args, rest = parser.parse_known_args(argv)
    if args.command == "emulator":
        from .emulator.__main__ import serve_forever_from_args

        return serve_forever_from_args(rest)
    if args.command == "schema":
        from .schema import render

        sys.stdout.write(render())
        return 0
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
