"""Counting the emulation and reward council's votes (pure Python, no Django)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

FOR, AGAINST, ABSTAIN, ABSENT = "for", "against", "abstain", "absent"


@dataclass(frozen=True)
class Tally:
    members: int
    votes_for: int
    against: int
    abstain: int
    absent: int

    @property
    def passed(self) -> bool:
        """More than half of all the council's members voted for (absent members count against a pass)."""
        return self.members > 0 and self.votes_for * 2 > self.members

    @property
    def summary(self) -> str:
        verdict = "đề nghị khen thưởng" if self.passed else "không đề nghị"
        return (
            f"{self.votes_for}/{self.members} đồng ý, {self.against} không đồng ý, "
            f"{self.abstain} không biểu quyết, {self.absent} vắng mặt — {verdict}"
        )


def tally(choices: Sequence[str], *, members: int) -> Tally:
    """Count `choices` (one per member who took part) of a council of `members` people."""
    if members < 0:
        raise ValueError("members must not be negative")
    counted = {c: sum(1 for x in choices if x == c) for c in (FOR, AGAINST, ABSTAIN, ABSENT)}
    unknown = [c for c in choices if c not in counted]
    if unknown:
        raise ValueError(f"unknown vote {unknown[0]!r}")
    if len(choices) > members:
        raise ValueError("more votes than members")
    return Tally(
        members=members,
        votes_for=counted[FOR],
        against=counted[AGAINST],
        abstain=counted[ABSTAIN],
        absent=counted[ABSENT] + members - len(choices),
    )
