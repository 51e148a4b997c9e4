"""The `relaytask` command."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="relaytask", description="pulumi-relaytask tools")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("emulator", help="run the local emulator of the three clouds' relay-task APIs", add_help=False)
    sub.add_parser("schema", help="print the Pulumi package schema generated from the models")
    generate = sub.add_parser(
        "generate", help="rewrite what is generated from the models: resource classes, schema.json, docs/<cloud>.md"
    )
    generate.add_argument("--root", default=".", help="the repository checkout (default: the current directory)")
    args, rest = parser.parse_known_args(argv)
    if args.command == "emulator":
        from .emulator.__main__ import serve_forever_from_args

        return serve_forever_from_args(rest)
    if args.command == "schema":
        from .schema import render

        sys.stdout.write(render())
        return 0
    if args.command == "generate":
        from pathlib import Path

        from .codegen import write

        for path in write(Path(args.root)):
            print(f"wrote {path}")
        return 0
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
