"""The people you are rebuilding trust with (practice 1)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.stance import Stance, StanceChange


class UpdatePreference(StrEnum):
    MEETING = "meeting"
    WRITTEN = "written"

    @classmethod
    def parse(cls, text: str) -> UpdatePreference:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise InvalidInput(
                f'"{text}" is not a way to keep someone updated; use "meeting" or "written"'
            ) from None


@dataclass(frozen=True, slots=True)
class Milestone:
    name: str
    due: date | None = None
    reached: date | None = None


@dataclass(frozen=True, slots=True)
class Goal:
    """Something *they* must deliver, e.g. "Project Foo ships in six months"."""

    name: str
    milestones: tuple[Milestone, ...] = ()

    def next_milestone(self, today: date) -> Milestone | None:
        pending = [m for m in self.milestones if m.reached is None]
        dated = sorted((m for m in pending if m.due is not None), key=lambda m: m.due or today)
        return dated[0] if dated else (pending[0] if pending else None)


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    created_at: datetime
    role: str = ""
    leader: str = ""
    stance_history: tuple[StanceChange, ...] = ()
    goals: tuple[Goal, ...] = ()
    prefers: UpdatePreference = UpdatePreference.MEETING
    checkin: str = ""
    checkin_moved_to: datetime | None = None
    """A check-in rescheduled by hand; it wins while it is later than the cadence's date."""
    trusts: tuple[int, ...] = ()
    notes: str = ""
    extra: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def stance(self) -> Stance:
        return self.stance_history[-1].stance if self.stance_history else Stance.NEUTRAL

    def with_stance(self, stance: Stance, at: datetime, reason: str) -> Person:
        change = StanceChange(stance=stance, at=at, reason=reason.strip())
        return replace(self, stance_history=(*self.stance_history, change))

    def with_goal(self, goal: Goal) -> Person:
        if any(g.name.casefold() == goal.name.casefold() for g in self.goals):
            raise InvalidInput(f'{self.name} already has a goal named "{goal.name}"')
        return replace(self, goals=(*self.goals, goal))

    def goal(self, name: str) -> Goal | None:
        key = name.strip().casefold()
        exact = [g for g in self.goals if g.name.casefold() == key]
        if exact:
            return exact[0]
        starts = [g for g in self.goals if g.name.casefold().startswith(key)]
        return starts[0] if len(starts) == 1 else None


def clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput('a person needs a name, e.g. trustjournal person add "Dana Whitfield"')
    if len(cleaned) > 80:
        raise InvalidInput("a name can be at most 80 characters")
    return cleaned
