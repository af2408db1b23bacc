"""No module over 1,000 lines (developers' brief): every .py file of friendlygov/, tests/ and bench/, migrations
aside. A module about to cross the line is split into a package or sibling modules named for what they hold."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LIMIT = 1000
FOLDERS = ("friendlygov", "tests", "bench")
# A module that must stay whole for a while is listed here with the reason; none is today.
EXEMPT: set[str] = set()


def oversized() -> list[str]:
    found = []
    for folder in FOLDERS:
        for path in sorted((REPO / folder).rglob("*.py")):
            relative = path.relative_to(REPO).as_posix()
            if "migrations" in path.relative_to(REPO).parts or relative in EXEMPT:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > LIMIT:
                found.append(f"{relative}: {lines} lines")
    return found


def test_no_module_over_a_thousand_lines() -> None:
    found = oversized()
    assert not found, f"Modules over {LIMIT} lines (split them by what they hold):\n" + "\n".join(found)


def test_the_exemptions_are_still_needed() -> None:
    """An exempt module that has come under the limit loses its exemption."""
    for relative in sorted(EXEMPT):
        path = REPO / relative
        assert path.is_file() and len(path.read_text(encoding="utf-8").splitlines()) > LIMIT, (
            f"{relative} is no longer over {LIMIT} lines: remove it from EXEMPT"
        )
