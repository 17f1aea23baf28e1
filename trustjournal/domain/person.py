"""The people you are rebuilding trust with (practice 1)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import Enum, StrEnum
from typing import Final, Protocol, TypeVar

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


class MeetingAnswer(StrEnum):
    """The answer to "plan to meet their leader?", asked when a milestone is reached."""

    PLANNED = "planned"
    DECLINED = "declined"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class LeaderMeeting:
    """Meeting their leader after a milestone, to share how you work together and ask for
    feedback (practice 8): planned for a day, declined, or done; and when it was answered."""

    answer: MeetingAnswer
    answered_at: datetime
    """When the answer was given (or last changed: re-planned, declined, done)."""
    on: date | None = None
    """The day it is planned for (kept when it is then done or declined)."""
    done_at: datetime | None = None
    """When it was marked done."""


@dataclass(frozen=True, slots=True)
class Milestone:
    """A step towards a goal (or a commitment): when it is due, and when it was reached."""

    name: str
    due: date | None = None
    reached: date | None = None
    leader_meeting: LeaderMeeting | None = None
    """On a goal's milestone, once reached: the answer about meeting their leader; None while
    it is not answered (see `awaiting_leader_answer`)."""


class Keep(Enum):
    """The value of an optional change argument that leaves the field as it is (None clears)."""

    KEEP = "keep"


KEEP: Final = Keep.KEEP


class _Named(Protocol):
    @property
    def name(self) -> str: ...


N = TypeVar("N", bound=_Named)


def pick(items: Sequence[N], query: str, what: str, owner: str) -> int:
    """The index of the item named `query`: the whole name, else the one name it begins, else
    the one with a word it begins (as people are matched).

    Raises one line naming what there is, so a typo is mended in one more try.
    """
    key = " ".join(query.split()).casefold()
    rules = (
        lambda name: name == key,
        lambda name: name.startswith(key),
        lambda name: any(word.startswith(key) for word in name.split()),
    )
    for rule in rules if key else rules[:1]:
        found = [i for i, item in enumerate(items) if rule(item.name.casefold())]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(f'"{items[i].name}"' for i in found)
            raise InvalidInput(f'"{query}" could be {names}; type more of the {what}')
    known = ", ".join(f'"{item.name}"' for item in items) or "none yet"
    raise InvalidInput(f'{owner} has no {what} "{query}" ({what}s: {known})')


def _fresh_name(items: Sequence[_Named], name: str, what: str, owner: str,
                skip: int | None = None) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput(f'a {what} needs a name, e.g. "beta on staging"')
    for i, item in enumerate(items):
        if i != skip and item.name.casefold() == cleaned.casefold():
            raise InvalidInput(f'{owner} already has a {what} named "{item.name}"')
    return cleaned


class Milestones:
    """Adding, changing and removing the milestones of a goal or a commitment (practices 1, 4).

    Pure functions over the tuple, so a goal and a commitment share one set of rules.
    """

    @staticmethod
    def added(items: tuple[Milestone, ...], milestone: Milestone, owner: str
              ) -> tuple[Milestone, ...]:
        name = _fresh_name(items, milestone.name, "milestone", owner)
        return (*items, replace(milestone, name=name))

    @staticmethod
    def changed(items: tuple[Milestone, ...], query: str, owner: str, *,
                name: str | None = None, due: date | None | Keep = KEEP,
                reached: date | None | Keep = KEEP) -> tuple[tuple[Milestone, ...], Milestone]:
        """Returns the new tuple and the milestone as it now is."""
        index = pick(items, query, "milestone", owner)
        milestone = items[index]
        if name is not None:
            milestone = replace(milestone, name=_fresh_name(items, name, "milestone", owner,
                                                            skip=index))
        if not isinstance(due, Keep):
            milestone = replace(milestone, due=due)
        if not isinstance(reached, Keep):
            milestone = replace(milestone, reached=reached)
        return (*items[:index], milestone, *items[index + 1:]), milestone

    @staticmethod
    def removed(items: tuple[Milestone, ...], query: str, owner: str
                ) -> tuple[tuple[Milestone, ...], Milestone]:
        index = pick(items, query, "milestone", owner)
        return (*items[:index], *items[index + 1:]), items[index]


@dataclass(frozen=True, slots=True)
class Goal:
    """Something *they* must deliver, e.g. "Project Foo ships in six months"."""

    name: str
    milestones: tuple[Milestone, ...] = ()
    due: date | None = None

    def next_milestone(self, today: date) -> Milestone | None:
        pending = [m for m in self.milestones if m.reached is None]
        dated = sorted((m for m in pending if m.due is not None), key=lambda m: m.due or today)
        return dated[0] if dated else (pending[0] if pending else None)


@dataclass(frozen=True, slots=True)
class Person:
    """Someone you are rebuilding trust with: who they are, where they stand, what they
    aim for and how they like to hear from you."""

    id: int
    name: str
    created_at: datetime
    role: str = ""
    leader: str = ""
    """Their leader in words, when that person is not in the journal (else see leader_id)."""
    stance_history: tuple[StanceChange, ...] = ()
    goals: tuple[Goal, ...] = ()
    prefers: UpdatePreference = UpdatePreference.MEETING
    checkin: str = ""
    checkin_moved_to: datetime | None = None
    """A check-in rescheduled by hand; it wins while it is later than the cadence's date."""
    trusts: tuple[int, ...] = ()
    """The people this person trusts (practice 8): whose word carries weight with them."""
    notes: str = ""
    leader_id: int | None = None
    """Their leader, when that leader is a person in the journal."""
    needs: str = ""
    """What they need from you, in their words (practice 1)."""
    uid: str = ""
    extra: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def has_leader(self) -> bool:
        """Their leader is known: a person in the journal or words (practice 8's prompt)."""
        return self.leader_id is not None or bool(self.leader.strip())

    @property
    def stance(self) -> Stance:
        return self.stance_history[-1].stance if self.stance_history else Stance.NEUTRAL

    def with_stance(self, stance: Stance, at: datetime, reason: str) -> Person:
        change = StanceChange(stance=stance, at=at, reason=reason.strip())
        return replace(self, stance_history=(*self.stance_history, change))

    def with_goal(self, goal: Goal) -> Person:
        name = _fresh_name(self.goals, goal.name, "goal", self.name)
        return replace(self, goals=(*self.goals, replace(goal, name=name)))

    def goal(self, name: str) -> Goal | None:
        try:
            return self.goals[pick(self.goals, name, "goal", self.name)]
        except InvalidInput:
            return None

    def goal_index(self, query: str) -> int:
        return pick(self.goals, query, "goal", self.name)

    def with_goal_changed(self, query: str, *, name: str | None = None,
                          due: date | None | Keep = KEEP) -> tuple[Person, Goal]:
        """Rename or re-date a goal."""
        index = self.goal_index(query)
        goal = self.goals[index]
        if name is not None:
            goal = replace(goal, name=_fresh_name(self.goals, name, "goal", self.name,
                                                  skip=index))
        if not isinstance(due, Keep):
            goal = replace(goal, due=due)
        return self._with_goal_at(index, goal), goal

    def without_goal(self, query: str) -> tuple[Person, Goal]:
        index = self.goal_index(query)
        return replace(self, goals=(*self.goals[:index], *self.goals[index + 1:])), \
            self.goals[index]

    def with_goal_milestones(self, query: str, milestones: tuple[Milestone, ...]) -> Person:
        index = self.goal_index(query)
        return self._with_goal_at(index, replace(self.goals[index], milestones=milestones))

    def _with_goal_at(self, index: int, goal: Goal) -> Person:
        return replace(self, goals=(*self.goals[:index], goal, *self.goals[index + 1:]))

    def trusting(self, other_id: int) -> Person:
        if other_id == self.id:
            raise InvalidInput("a person's trust links name other people")
        if other_id in self.trusts:
            return self
        return replace(self, trusts=(*self.trusts, other_id))

    def not_trusting(self, other_id: int) -> Person:
        return replace(self, trusts=tuple(i for i in self.trusts if i != other_id))


def clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput('a person needs a name, e.g. trustjournal person add "Dana Whitfield"')
    if len(cleaned) > 80:
        raise InvalidInput("a name can be at most 80 characters")
    return cleaned


# --- meeting their leader after a milestone (practice 8) -----------------------------------

LEADER_QUESTION = "Plan to meet {leader} to share how you work together and ask for feedback?"
"""What the app asks when a milestone of someone with a leader is reached; format `leader`."""

LEADER_LOOKBACK = timedelta(days=30)
"""How far back the review looks for reached milestones left unanswered, at the least: a
milestone reached before that (or before this version) is not asked about again."""


def leader_question(leader: str) -> str:
    return LEADER_QUESTION.format(leader=leader or "their leader")


@dataclass(frozen=True, slots=True)
class MilestoneAt:
    """One milestone of one of a person's goals, found by the questions below."""

    person: Person
    goal: Goal
    milestone: Milestone

    @property
    def key(self) -> str:
        """Stable while the names stay: what a review item is keyed by."""
        return f"{self.person.id}:{self.goal.name}/{self.milestone.name}"


def _goal_milestones(person: Person) -> Iterator[MilestoneAt]:
    for goal in person.goals:
        for milestone in goal.milestones:
            yield MilestoneAt(person, goal, milestone)


def awaiting_leader_answer(people: Iterable[Person], since: date) -> list[MilestoneAt]:
    """Milestones reached on or after `since`, on goals of people who have a leader, whose
    leader meeting is not answered yet; earliest reached first."""
    found = [m for person in people if person.has_leader for m in _goal_milestones(person)
             if m.milestone.reached is not None and m.milestone.reached >= since
             and m.milestone.leader_meeting is None]
    return sorted(found, key=lambda m: (m.milestone.reached or since, m.person.name.casefold(),
                                        m.key))


def leader_meetings_due(people: Iterable[Person], today: date) -> list[MilestoneAt]:
    """Planned leader meetings whose day has come (or passed), earliest first."""
    found = [m for person in people for m in _goal_milestones(person)
             if (meeting := m.milestone.leader_meeting) is not None
             and meeting.answer is MeetingAnswer.PLANNED
             and meeting.on is not None and meeting.on <= today]
    return sorted(found, key=lambda m: (_planned_on(m), m.person.name.casefold(), m.key))


def _planned_on(m: MilestoneAt) -> date:
    meeting = m.milestone.leader_meeting
    assert meeting is not None and meeting.on is not None
    return meeting.on


_MeetingChange = Callable[[Milestone, LeaderMeeting | None], LeaderMeeting]


def _with_meeting(person: Person, goal: str, milestone: str, change: _MeetingChange
                  ) -> Person:
    index = person.goal_index(goal)
    found = person.goals[index]
    at = pick(found.milestones, milestone, "milestone", f'"{found.name}"')
    current = found.milestones[at]
    if current.reached is None:
        raise InvalidInput(f'"{current.name}" is not reached yet; mark it reached first')
    meeting = change(current, current.leader_meeting)
    items = (*found.milestones[:at], replace(current, leader_meeting=meeting),
             *found.milestones[at + 1:])
    return person._with_goal_at(index, replace(found, milestones=items))


def plan_leader_meeting(person: Person, goal: str, milestone: str, on: date, at: datetime
                        ) -> Person:
    """Yes: plan to meet their leader on `on` (also re-plans a planned or declined one).
    Returns the person with the goal's milestone changed."""
    if not person.has_leader:
        raise InvalidInput(f"{person.name} has no leader noted; add their leader first")

    def change(m: Milestone, meeting: LeaderMeeting | None) -> LeaderMeeting:
        if meeting is not None and meeting.answer is MeetingAnswer.DONE:
            raise InvalidInput(f'the meeting after "{m.name}" is already done')
        return LeaderMeeting(MeetingAnswer.PLANNED, at, on=on)

    return _with_meeting(person, goal, milestone, change)


def decline_leader_meeting(person: Person, goal: str, milestone: str, at: datetime) -> Person:
    """No: not this time (a planned one keeps its day, to show what was dropped)."""

    def change(m: Milestone, meeting: LeaderMeeting | None) -> LeaderMeeting:
        if meeting is not None and meeting.answer is MeetingAnswer.DONE:
            raise InvalidInput(f'the meeting after "{m.name}" is already done')
        return LeaderMeeting(MeetingAnswer.DECLINED, at, on=meeting.on if meeting else None)

    return _with_meeting(person, goal, milestone, change)


def leader_meeting_done(person: Person, goal: str, milestone: str, at: datetime) -> Person:
    """The planned meeting took place."""

    def change(m: Milestone, meeting: LeaderMeeting | None) -> LeaderMeeting:
        if meeting is None or meeting.answer is not MeetingAnswer.PLANNED:
            state = "not planned" if meeting is None else meeting.answer.value
            raise InvalidInput(f'the meeting after "{m.name}" is {state}; plan it first')
        return replace(meeting, answer=MeetingAnswer.DONE, answered_at=at, done_at=at)

    return _with_meeting(person, goal, milestone, change)
