"""The `relaytask` command."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn


class _Parser(argparse.ArgumentParser):
    """A usage error exits 1, as every other error does: `relaytask drift` keeps 2 for "drift found"."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="relaytask", description="pulumi-relaytask tools")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("emulator", help="run the local emulator of the three clouds' relay-task APIs", add_help=False)
    sub.add_parser("schema", help="print the Pulumi package schema generated from the models")
    generate = sub.add_parser(
        "generate", help="rewrite what is generated from the models: resource classes, schema.json, docs/<cloud>.md"
    )
    generate.add_argument("--root", default=".", help="the repository checkout (default: the current directory)")
    drift = sub.add_parser(
        "drift",
        help="report the relay tasks whose live state differs from the program (a refresh preview, no update); "
        "exit 0 in sync, 2 drift, 1 error",
    )
    drift.add_argument("--cwd", default=".", help="the Pulumi project's directory (default: the current directory)")
    drift.add_argument("--stack", help="the stack to check (default: the project's selected stack)")
    drift.add_argument("--json", action="store_true", help="print one JSON document instead of tables")
    importer = sub.add_parser(
        "import", help="write a Pulumi program that adopts every relay task of a cloud account, as it is live"
    )
    importer.add_argument("--cloud", required=True, choices=("huawei", "tencent", "aliyun"))
    importer.add_argument("--region", help="the region to list (default: the configured one; Huawei: every region)")
    importer.add_argument("--filter", help="keep tasks whose id, name, source or destination contains this text")
    importer.add_argument("--out", help="the program file to write, e.g. __main__.py (default: stdout)")
    importer.add_argument("--stack", help="store the secret values in this stack's config (in the --out folder)")
    args, rest = parser.parse_known_args(argv)
    if args.command == "emulator":
        from .emulator.__main__ import serve_forever_from_args

        return serve_forever_from_args(rest)
    if args.command == "import":
        from pathlib import Path

        from .importer import ImportRequest, run

        if rest:
            parser.error(f"unrecognized arguments: {' '.join(rest)}")
        out = Path(args.out) if args.out else None
        return run(ImportRequest(args.cloud, args.region, args.filter, out, args.stack))
    if args.command == "drift":
        from . import drift_command

        if rest:
            parser.error(f"unrecognized arguments: {' '.join(rest)}")
        return drift_command.main(args.cwd, args.stack, as_json=args.json)
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


if __name__ == "__main__":
    sys.exit(main())
