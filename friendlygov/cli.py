"""The `friendlygov` console command: a thin door onto the same domain code as the pages.

Each subcommand lives in ``friendlygov/commands/<name>.py`` and exposes
``register(subparsers) -> None``; the parser it adds sets ``func`` to a callable
``(args) -> int`` (the exit status). Commands that only read plain files never set up Django.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, Protocol

from friendlygov.commands import (
    assess,
    backup,
    documents,
    feedback,
    figures,
    generate,
    plan,
    remind,
    server,
    sipas,
    tokens,
    units,
)


class CommandModule(Protocol):
    def register(self, subparsers: Any) -> None: ...


#: The subcommands, in the order ``--help`` lists them (typed imports: a missing one fails at import).
COMMANDS: tuple[CommandModule, ...] = (
    server,
    assess,
    sipas,
    plan,
    remind,
    backup,
    tokens,
    feedback,
    documents,
    generate,
    units,
    figures,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="friendlygov",
        description="Chính quyền thân thiện — công cụ dòng lệnh",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for command in COMMANDS:
        command.register(subparsers)
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
