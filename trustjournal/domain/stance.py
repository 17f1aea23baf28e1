"""Where a person stands with you, and how that moved over time (practice 2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from trustjournal.domain.errors import InvalidInput


class Stance(StrEnum):
    DETRACTOR = "detractor"
    SKEPTIC = "skeptic"
    NEUTRAL = "neutral"
    SUPPORTER = "supporter"
    PROMOTER = "promoter"

    @property
    def rank(self) -> int:
        """-2 (detractor) .. +2 (promoter): trust moves one step at a time."""
        return list(Stance).index(self) - 2

    @classmethod
    def parse(cls, text: str) -> Stance:
        key = text.strip().lower()
        matches = [s for s in cls if s.value.startswith(key)] if key else []
        if len(matches) == 1:
            return matches[0]
        raise InvalidInput(
            f'"{text}" is not a stance; use one of: {", ".join(s.value for s in cls)}'
        )


@dataclass(frozen=True, slots=True)
class StanceChange:
    """Their stance from `at` on, and what moved it."""

    stance: Stance
    at: datetime
    reason: str = ""
