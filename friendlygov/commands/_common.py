"""Helpers shared by the subcommands: Django setup on demand, JSON output, input errors."""

from __future__ import annotations

import json
import os
import sys
from typing import Any


class InputError(Exception):
    """Invalid input: the messages (Vietnamese, naming the row or field) go to stderr, exit 2."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


def report_input_error(error: InputError) -> int:
    for problem in error.problems:
        print(problem, file=sys.stderr)
    return 2


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "friendlygov.settings")
    import django

    django.setup()


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
