"""What you do to serve someone's goals, with a way to measure it (practice 4)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.person import Milestone


class CommitmentStatus(StrEnum):
    ACTIVE = "active"
    DONE = "done"
    DROPPED = "dropped"


@dataclass(frozen=True, slots=True)
class Progress:
    """A note of progress against a commitment's measure, and when it was noted."""

    at: datetime
    text: str


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
    closed_at: datetime | None = None
    """When it was marked done or dropped."""
    why: str = ""
    """Why it was dropped (practice 4: say so, rather than let it fade)."""
    uid: str = ""
    extra: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
    progress: tuple[Progress, ...] = ()
    """Progress against the measure, oldest first (practice 4: show it, don't assume it)."""

    def with_progress(self, at: datetime, text: str) -> Commitment:
        """A progress note against the measure; only while the commitment is active."""
        self._must_be_active()
        said = " ".join(text.split())
        if not said:
            raise InvalidInput('say what moved, e.g. "nightly run green 3 days in a row"')
        return replace(self, progress=(*self.progress, Progress(at, said)))

    def next_milestone(self) -> Milestone | None:
        pending = [m for m in self.milestones if m.reached is None]
        pending.sort(key=lambda m: m.due or date.max)
        return pending[0] if pending else None

    def done(self, at: datetime) -> Commitment:
        self._must_be_active()
        return replace(self, status=CommitmentStatus.DONE, closed_at=at, why="")

    def dropped(self, at: datetime, why: str) -> Commitment:
        self._must_be_active()
        why = " ".join(why.split())
        if not why:
            raise InvalidInput('say why it was dropped, e.g. --why "they moved the launch"')
        return replace(self, status=CommitmentStatus.DROPPED, closed_at=at, why=why)

    def reopened(self) -> Commitment:
        return replace(self, status=CommitmentStatus.ACTIVE, closed_at=None, why="")

    def _must_be_active(self) -> None:
        if self.status is not CommitmentStatus.ACTIVE:
            raise InvalidInput(f"commitment #{self.id} is already {self.status.value}; "
                               "nothing changed")
