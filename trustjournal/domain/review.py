"""The daily review: a short guided pass over what needs you today (the third daily moment).

`plan_review` lists the items in order; the screen walks them one at a time. Items already
handled in an unfinished review today are left out, so quitting halfway and coming back resumes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from trustjournal.domain import format as fmt
from trustjournal.domain.cadence import parse_cadence
from trustjournal.domain.entry import EntryKind
from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.person import (
    LEADER_LOOKBACK,
    Person,
    awaiting_leader_answer,
    leader_meetings_due,
    leader_question,
)
from trustjournal.domain.record import checkins_due, last_contacts
from trustjournal.domain.stance import Stance

ONE_THING = "one_thing"
"""Entry.extra key on an empathy entry written in the review: "open", "done" or "not done"."""

SILENCE_WITHOUT_CADENCE = timedelta(days=30)


class Step(StrEnum):
    OVERDUE = "overdue"
    TODAY = "today"
    CHECKINS = "checkins"
    SILENT = "silent"
    LEADER = "leader"
    STANCE = "stance"
    ONE_THING = "one-thing"
    SUMMARY = "summary"

    @property
    def heading(self) -> str:
        return _HEADINGS[self]

    @property
    def short(self) -> str:
        return _SHORT[self]


_SHORT = {
    Step.OVERDUE: "Overdue",
    Step.TODAY: "Due today",
    Step.CHECKINS: "Check-ins",
    Step.SILENT: "Silent",
    Step.LEADER: "Leaders",
    Step.STANCE: "Stance",
    Step.ONE_THING: "One thing",
    Step.SUMMARY: "Summary",
}
_HEADINGS = {
    Step.OVERDUE: "Overdue promises",
    Step.TODAY: "Due today",
    Step.CHECKINS: "Check-ins due or missed",
    Step.SILENT: "People who have heard nothing from you",
    Step.LEADER: "Meeting their leader after a milestone",
    Step.STANCE: "Where do they stand now?",
    Step.ONE_THING: "One thing for them today",
    Step.SUMMARY: "Summary",
}


@dataclass(frozen=True, slots=True)
class Item:
    step: Step
    key: str
    """Stable across runs of the same day, so a resumed review skips what was handled."""
    title: str
    detail: str = ""
    person_id: int | None = None
    promise_id: int | None = None
    entry_id: int | None = None
    offer: str = ""
    """Which keys it offers when they are not its step's: one of the OFFER_* names below
    (the `steps` names of tui/commands.py's table); see `offers`."""
    goal: str = ""
    """On a leader-meeting item: the goal's name (with `milestone`, what the answer changes:
    person.plan_leader_meeting, decline_leader_meeting, leader_meeting_done)."""
    milestone: str = ""

    @property
    def offers(self) -> str:
        """The name its keys are listed under: `review_choices(item.offers)`."""
        return self.offer or self.step.value


OFFER_FOLLOW_UP = "follow-up"
"""A one-thing item asking whether yesterday's one thing was done (entry_id is set)."""
OFFER_FEEDBACK = "feedback"
"""A silent-step item: not asked for feedback in twice their cadence."""
OFFER_LEADER_ASK = "leader-ask"
"""A leader item: a milestone reached, the leader meeting not answered yet."""
OFFER_LEADER_DUE = "leader-due"
"""A leader item: a planned leader meeting whose day has come."""


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """One daily review as it went: when, and which items were handled (so it can resume)."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    handled: tuple[str, ...]
    uid: str = ""
    extra: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def handling(self, key: str) -> ReviewRecord:
        return self if key in self.handled else replace(self, handled=(*self.handled, key))

    def finished(self, at: datetime) -> ReviewRecord:
        return replace(self, finished_at=at)


def unfinished_today(records: Iterable[ReviewRecord], now: datetime, zone: ZoneInfo
                     ) -> ReviewRecord | None:
    """Today's unfinished review, the latest one, to resume instead of starting again."""
    today = now.astimezone(zone).date()
    for record in sorted(records, key=lambda r: r.started_at, reverse=True):
        if record.finished_at is None and record.started_at.astimezone(zone).date() == today:
            return record
    return None


def plan_review(ledger: Ledger, now: datetime, zone: ZoneInfo, *,
                since: datetime | None, handled: frozenset[str] = frozenset(),
                skip: frozenset[str] = frozenset()) -> list[Item]:
    """Every item of today's review, in the order the method asks for them, but for the steps
    the settings' review_skip leaves out (the summary is never skipped). `item.offers` names
    the keys each offers (tui/commands.py's `steps`): the step's, or an OFFER_* one."""
    since = since or now - timedelta(days=7)
    items: list[Item] = []
    for p in ledger.overdue(now):
        items.append(Item(Step.OVERDUE, f"overdue:{p.id}", p.text,
                          f"to {ledger.name_of(p.person_id)} · was due "
                          f"{fmt.when(p.due, zone, now)} ({fmt.span(now - p.due)} ago)",
                          person_id=p.person_id, promise_id=p.id))
    for p in ledger.due_today(now, zone):
        items.append(Item(Step.TODAY, f"today:{p.id}", p.text,
                          f"to {ledger.name_of(p.person_id)} · due {fmt.when(p.due, zone, now)}",
                          person_id=p.person_id, promise_id=p.id))
    contacts = last_contacts(ledger.entries.values())
    due = checkins_due(ledger.people.values(), contacts, now)
    for person in _by_name(ledger.people.values()):
        if person.id in due:
            last = contacts.get(person.id)
            items.append(Item(Step.CHECKINS, f"checkin:{person.id}", person.name,
                              f"{person.checkin}; last contact "
                              + (fmt.when(last, zone, now) if last else "never logged")
                              + f"; due since {fmt.when(due[person.id], zone, now)}",
                              person_id=person.id))
    heard = _last_heard(ledger)
    asked = _last_asked(ledger)
    for person in _by_name(ledger.people.values()):
        last = heard.get(person.id, person.created_at)
        if person.id not in due and now - last > _allowed_silence(person):
            items.append(Item(Step.SILENT, f"silent:{person.id}", person.name,
                              f"nothing logged with them since {fmt.when(last, zone, now)} "
                              f"({fmt.span(now - last)})", person_id=person.id))
        feedback = _feedback_nudge(person, asked.get(person.id), now, zone)
        if feedback is not None:
            items.append(Item(Step.SILENT, f"feedback:{person.id}", person.name, feedback,
                              person_id=person.id, offer=OFFER_FEEDBACK))
    items.extend(_leader_items(ledger, now, zone, since))
    moved = _people_with_events_since(ledger, since)
    for person in _by_name(p for p in ledger.people.values() if p.id in moved):
        items.append(Item(Step.STANCE, f"stance:{person.id}", person.name,
                          f"now {person.stance.value}; things happened with them since "
                          f"{fmt.when(since, zone, now)}", person_id=person.id))
    today = now.astimezone(zone).date()
    for entry in sorted(ledger.entries.values(), key=lambda e: e.at):
        if (entry.kind is EntryKind.EMPATHY and entry.extra.get(ONE_THING) == "open"
                and entry.at.astimezone(zone).date() < today):
            items.append(Item(Step.ONE_THING, f"did:{entry.id}",
                              f"Did you do it? {entry.text}",
                              f"for {ledger.name_of(entry.person_id)}, written "
                              f"{fmt.when(entry.at, zone, now)}",
                              person_id=entry.person_id, entry_id=entry.id,
                              offer=OFFER_FOLLOW_UP))
    for person in _by_name(ledger.people.values()):
        if person.stance.rank <= Stance.NEUTRAL.rank:
            items.append(Item(Step.ONE_THING, f"one-thing:{person.id}", person.name,
                              f"{person.stance.value} — what small thing would make "
                              f"{person.name.split()[0]}'s day easier?", person_id=person.id))
    items.append(Item(Step.SUMMARY, "summary", "Your track record"))
    return [item for item in items
            if item.step is Step.SUMMARY
            or (item.key not in handled and item.step.value not in skip)]


def _by_name(people: Iterable[Person]) -> list[Person]:
    return sorted(people, key=lambda p: p.name.casefold())


def _allowed_silence(person: Person) -> timedelta:
    if person.checkin:
        try:
            return parse_cadence(person.checkin).approximate * 2
        except InvalidInput:
            pass
    return SILENCE_WITHOUT_CADENCE


def _last_heard(ledger: Ledger) -> dict[int, datetime]:
    """The last time anything passed between you: an entry of talking with them (the contact
    rule, entry.CONTACT_KINDS) or a promise event."""
    latest = last_contacts(ledger.entries.values())
    for p in ledger.promises.values():
        at = p.events[-1].at
        if p.person_id not in latest or at > latest[p.person_id]:
            latest[p.person_id] = at
    return latest


def leader_name(ledger: Ledger, person: Person) -> str:
    """Their leader's name to ask about: the person in the journal, else the words before a
    comma ("Priya Raman, VP Engineering" is Priya Raman); for person.leader_question."""
    if person.leader_id is not None:
        return ledger.name_of(person.leader_id)
    return person.leader.split(",")[0].strip() or "their leader"


def _day(day: date, today: date) -> str:
    """'Fri 27 Nov'; the year only when it is not this year's."""
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def _last_asked(ledger: Ledger) -> dict[int, datetime]:
    """When you last asked each person for feedback (a feedback-asked entry)."""
    latest: dict[int, datetime] = {}
    for e in ledger.entries.values():
        if e.kind is EntryKind.FEEDBACK_ASKED and (e.person_id not in latest
                                                   or e.at > latest[e.person_id]):
            latest[e.person_id] = e.at
    return latest


def _feedback_nudge(person: Person, asked: datetime | None, now: datetime, zone: ZoneInfo
                    ) -> str | None:
    """The silent step's line for someone with a cadence you have not asked for feedback in
    twice that cadence (practice 7); None when you have, or they have no cadence."""
    if not person.checkin:
        return None
    try:
        allowed = parse_cadence(person.checkin).approximate * 2
    except InvalidInput:
        return None
    since = asked or person.created_at
    if now - since <= allowed:
        return None
    twice = f"twice their cadence ({person.checkin}) is {fmt.span(allowed)}"
    if asked is None:
        return (f"never asked for feedback in the {fmt.span(now - since)} they have been in "
                f"the journal; {twice}")
    return (f"not asked for feedback since {fmt.when(asked, zone, now)} "
            f"({fmt.span(now - asked)}); {twice}")


def _leader_items(ledger: Ledger, now: datetime, zone: ZoneInfo, since: datetime
                  ) -> list[Item]:
    """Milestones reached since the last review (or in LEADER_LOOKBACK) whose leader meeting
    is not answered, then planned leader meetings whose day has come (practice 8)."""
    today = now.astimezone(zone).date()
    first = min(since.astimezone(zone).date(), today - LEADER_LOOKBACK)
    items = []
    for found in awaiting_leader_answer(ledger.people.values(), first):
        person, goal, milestone = found.person, found.goal, found.milestone
        leader = leader_name(ledger, person)
        reached = milestone.reached or today
        items.append(Item(
            Step.LEADER, f"leader-ask:{found.key}", f"{milestone.name} — reached",
            f"{person.name}'s goal {goal.name}, reached {_day(reached, today)}. "
            + leader_question(leader),
            person_id=person.id, offer=OFFER_LEADER_ASK, goal=goal.name,
            milestone=milestone.name))
    for found in leader_meetings_due(ledger.people.values(), today):
        person, goal, milestone = found.person, found.goal, found.milestone
        meeting = milestone.leader_meeting
        assert meeting is not None and meeting.on is not None
        leader = leader_name(ledger, person)
        when = "today" if meeting.on == today else f"for {_day(meeting.on, today)}"
        items.append(Item(
            Step.LEADER, f"leader-due:{found.key}:{meeting.on.isoformat()}",
            f"Meet {leader}", f"planned {when}, after {person.name}'s milestone "
            f"{milestone.name} ({goal.name}): share how you work together, ask for feedback",
            person_id=person.id, offer=OFFER_LEADER_DUE, goal=goal.name,
            milestone=milestone.name))
    return items


def _people_with_events_since(ledger: Ledger, since: datetime) -> set[int]:
    moved = {e.person_id for e in ledger.entries.values() if e.at >= since}
    moved |= {p.person_id for p in ledger.promises.values()
              if any(ev.at >= since for ev in p.events)}
    return moved


def review_streak(finished: list[datetime], now: datetime, zone: ZoneInfo) -> int:
    """Days in a row with a finished review, counting back from today (or yesterday)."""
    days = {moment.astimezone(zone).date() for moment in finished}
    day: date = now.astimezone(zone).date()
    if day not in days:
        day -= timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def series_summary(ledger: Ledger, now: datetime) -> list[str]:
    """One line per active series with anything closed, for the summary: "status note to
    Dana: 6 of the last 7 on time" (the latest seven occurrences that count)."""
    from trustjournal.domain.series import record_line

    lines = []
    for series in sorted(ledger.series.values(), key=lambda s: s.id):
        occurrences = ledger.occurrences(series.id)
        if series.is_active and any(not p.is_open for p in occurrences):
            lines.append(record_line(series, occurrences, now, ledger.name_of(series.person_id)))
    return lines
