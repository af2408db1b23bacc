"""The repository is self-contained: the contracts it keeps are in docs/spec/, and nothing in the code,
docs or tests points at a path outside the repository."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Built from parts so that this file does not match itself.
OUTSIDE = re.compile("/" + "work/|shared/" + "(spec|domain|seed|design)")
NOTE = "> Handed to the team by the programme owners"


def _tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(
        b"\0"
    )
    paths = [ROOT / name.decode() for name in names if name]
    suffixes = {".py", ".md", ".txt", ".yaml", ".yml", ".toml", ".html", ".cfg", ".ini", ".tsv", ".sh", ""}
    return [p for p in paths if p.is_file() and p.suffix in suffixes and "locale" not in p.parts]


def test_no_path_outside_the_repository_is_cited() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _tracked_text_files()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert found == []


def test_the_contracts_are_kept_in_docs_spec() -> None:
    for name, heading in (
        ("command-line.md", "# Command-line contracts"),
        ("criteria-set-format.md", "# Criteria-set file format, version 1"),
    ):
        lines = (ROOT / "docs" / "spec" / name).read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith(NOTE) and lines[1] == "" and lines[2].startswith(heading), name
