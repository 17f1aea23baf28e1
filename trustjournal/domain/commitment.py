"""What you do to serve someone's goals, with a way to measure it (practice 4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from trustjournal.domain.person import Milestone


class CommitmentStatus(StrEnum):
    ACTIVE = "active"
    DONE = "done"
    DROPPED = "dropped"


@dataclass(frozen=True, slots=True)
class Commitment:
    id: int
    person_id: int
    text: str
    created_at: datetime
    goal: str = ""
    measure: str = ""
    milestones: tuple[Milestone, ...] = ()
    status: CommitmentStatus = CommitmentStatus.ACTIVE
    extra: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def next_milestone(self) -> Milestone | None:
        pending = [m for m in self.milestones if m.reached is None]
        pending.sort(key=lambda m: m.due or date.max)
        return pending[0] if pending else None
