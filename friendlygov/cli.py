"""The `friendlygov` console command: a thin door onto the same domain code as the pages.

Each subcommand lives in ``friendlygov/commands/<name>.py`` and exposes
``register(subparsers) -> None``; the parser it adds sets ``func`` to a callable
``(args) -> int`` (the exit status). Commands that only read plain files never set up Django.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMAND_MODULES: tuple[str, ...] = (
    "friendlygov.commands.server",
    "friendlygov.commands.assess",
    "friendlygov.commands.sipas",
    "friendlygov.commands.plan",
    "friendlygov.commands.remind",
    "friendlygov.commands.backup",
    "friendlygov.commands.tokens",
    "friendlygov.commands.feedback",
    "friendlygov.commands.documents",
    "friendlygov.commands.generate",
    "friendlygov.commands.figures",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="friendlygov",
        description="Chính quyền thân thiện — công cụ dòng lệnh",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "accepts_extra", False):
        parser.error("tham số không hợp lệ: " + " ".join(extra))
    if getattr(args, "accepts_extra", False):
        args.extra = extra
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
