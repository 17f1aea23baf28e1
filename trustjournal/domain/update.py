"""The fifteen-second update (practice 6): what a busy person reads instead of a meeting.

Plain text, no greeting and no attachments. It opens with *their* goal and its next milestone,
names anything late honestly, then says what was done since they last heard from you and what
comes next. It aims at `WORD_BUDGET` words, about fifteen seconds of reading; when it runs
over, the least important lines go first (far-off next steps, older done items), never a late
one. When even that is not enough, `Update.fits` says so rather than hiding anything.

    Platform reliability to 99.9% this quarter — next: on-call load halved, Mon 7 Dec.
    Done since Wed 18 Nov:
    - Monday status note
    Next:
    - canary checks live on every deploy — Mon 30 Nov

It goes to a person, so text from the journal is put in as plain words on one line, with any
control character shown as a symbol (`visible`): the draft's own newlines are its only ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from trustjournal.domain.commitment import Commitment, CommitmentStatus
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.person import Milestone, Person
from trustjournal.domain.promise import Promise, Status
from trustjournal.domain.settings import DEFAULT_UPDATE_WORDS
from trustjournal.domain.text import visible

WORD_BUDGET = DEFAULT_UPDATE_WORDS
"""About fifteen seconds of reading for someone skimming between meetings."""

DEFAULT_LOOKBACK = timedelta(days=14)
"""How far back "done since" reaches when they have never heard from you."""

FAR_AHEAD = timedelta(days=14)
"""Next steps further off than this are the first to go when the update is too long."""

DONE_WORDS = 8
"""A done item is a reminder, not a report: its text is cut to this many words."""

_WORD = re.compile(r"\w")
_UNDATED = datetime(9999, 1, 1, tzinfo=UTC)


def words_in(text: str) -> int:
    """Words as a reader counts them: runs of non-space with a letter or digit in them.

    "17:00", "99.9%" and "Foo:" are one word each; bullets and dashes are none.
    """
    return sum(1 for token in text.split() if _WORD.search(token))


@dataclass(frozen=True, slots=True)
class Update:
    text: str
    words: int
    since: datetime
    left_out: tuple[str, ...] = ()
    """Lines trimmed to keep within the budget, most important last (for an honest preview)."""
    budget: int = WORD_BUDGET

    @property
    def fits(self) -> bool:
        return self.words <= self.budget


# --- dates in the fewest words ------------------------------------------------------------


def day_label(day: date, today: date) -> str:
    """'Mon 7 Dec'; the year only when it is not this year's."""
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def due_label(moment: datetime, zone: ZoneInfo, today: date) -> str:
    """'Fri 27 Nov', with the time only when it is not the default end of day (17:00)."""
    local = moment.astimezone(zone)
    text = day_label(local.date(), today)
    return text if (local.hour, local.minute) == (17, 0) else f"{text} {local:%H:%M}"


def last_update_at(ledger: Ledger, person_id: int, now: datetime) -> datetime | None:
    """When they last heard from you: the latest update sent or check-in, not in the future."""
    contacts = [
        e.at for e in ledger.entries_for(person_id) if e.kind.is_contact and e.at <= now
    ]
    return max(contacts) if contacts else None


# --- the parts of an update ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    section: str  # "goal" | "late" | "done" | "next"
    key: datetime  # done: when it happened; next: when it is due; otherwise unused


def _plain(text: str) -> str:
    """Journal text as words on one line (newlines become spaces), controls visible."""
    return visible(" ".join(text.split()))


def _short(text: str, limit: int) -> str:
    words = _plain(text).split()
    return " ".join(words) if len(words) <= limit else " ".join(words[: limit - 1]) + "…"


def _sentence(text: str) -> str:
    return _plain(text).rstrip(".")


def _within(moment: datetime | None, since: datetime, now: datetime) -> bool:
    return moment is not None and since <= moment <= now


def _at_day(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(12), tzinfo=zone)


def _goal_lines(person: Person, today: date, zone: ZoneInfo) -> list[_Line]:
    lines = []
    for goal in person.goals:
        name = _sentence(goal.name)
        upcoming = goal.next_milestone(today)
        if upcoming is not None:
            when = f", {day_label(upcoming.due, today)}" if upcoming.due else ""
            text = f"{name} — next: {_plain(upcoming.name)}{when}."
        elif goal.milestones:
            text = f"{name} — every milestone reached."
        else:
            text = f"{name}."
        lines.append(_Line(text, "goal", _at_day(today, zone)))
    return lines


def slipped(promise: Promise, now: datetime) -> bool:
    """Open, and past the due time first promised: late, even if a new date was agreed."""
    first_due = promise.events[0].due
    return promise.is_open and (
        promise.due < now or (first_due is not None and first_due < now)
    )


def _late_lines(
    promises: Iterable[Promise],
    commitments: Iterable[Commitment],
    since: datetime,
    now: datetime,
    zone: ZoneInfo,
) -> list[_Line]:
    today = now.astimezone(zone).date()
    lines = []
    for p in promises:
        what = _plain(p.text)
        if p.is_overdue(now):
            text = f"Late: {what} — due {due_label(p.due, zone, today)}, I owe you this."
        elif slipped(p, now):
            text = f"Late: {what}, new date {due_label(p.due, zone, today)}."
        elif p.status is Status.BROKEN and _within(p.closed_at, since, now):
            text = f"Missed: {what} — I broke this promise."
        else:
            continue
        lines.append(_Line(text, "late", p.due))
    for c in commitments:
        upcoming = c.next_milestone()
        if upcoming is not None and upcoming.due is not None and upcoming.due < today:
            text = (f"Late: {_plain(upcoming.name)} — due {day_label(upcoming.due, today)}, "
                    "I owe you this.")
            lines.append(_Line(text, "late", _at_day(upcoming.due, zone)))
    lines.sort(key=lambda line: line.key)
    return lines


def reached_since(milestones: Iterable[Milestone], since: datetime, now: datetime,
                  zone: ZoneInfo) -> list[Milestone]:
    """Milestones reached on or after the day of `since`, up to today."""
    first = since.astimezone(zone).date()
    today = now.astimezone(zone).date()
    return [m for m in milestones if m.reached is not None and first <= m.reached <= today]


def _done_lines(
    person: Person,
    promises: Iterable[Promise],
    commitments: Iterable[Commitment],
    since: datetime,
    now: datetime,
    zone: ZoneInfo,
) -> list[_Line]:
    lines = []
    for p in promises:
        closed = p.closed_at
        if p.status is Status.KEPT and closed is not None and _within(closed, since, now):
            late = " (late)" if p.lateness else ""
            lines.append(_Line(f"- {_short(p.text, DONE_WORDS)}{late}", "done", closed))
    milestones = [m for g in person.goals for m in g.milestones]
    milestones += [m for c in commitments for m in c.milestones]
    for m in reached_since(milestones, since, now, zone):
        assert m.reached is not None
        lines.append(_Line(f"- {_short(m.name, DONE_WORDS)} — reached", "done",
                           _at_day(m.reached, zone)))
    lines.sort(key=lambda line: line.key, reverse=True)  # newest first
    return lines


def _next_lines(
    promises: Iterable[Promise],
    commitments: Iterable[Commitment],
    now: datetime,
    zone: ZoneInfo,
) -> list[_Line]:
    today = now.astimezone(zone).date()
    lines = [
        _Line(f"- {_plain(p.text)} — {due_label(p.due, zone, today)}", "next", p.due)
        for p in promises
        if p.is_open and not slipped(p, now)
    ]
    for c in commitments:
        upcoming = c.next_milestone()
        if upcoming is None:
            continue
        if upcoming.due is None:
            lines.append(_Line(f"- {_plain(upcoming.name)}", "next", _UNDATED))
        elif upcoming.due >= today:
            lines.append(_Line(f"- {_plain(upcoming.name)} — {day_label(upcoming.due, today)}",
                               "next",
                               _at_day(upcoming.due, zone)))
    lines.sort(key=lambda line: line.key)  # soonest first
    return lines


def _render(goals: list[_Line], late: list[_Line], done: list[_Line], upcoming: list[_Line],
            since: datetime, zone: ZoneInfo, today: date) -> str:
    out = [line.text for line in goals + late]
    if done:
        out.append(f"Done since {day_label(since.astimezone(zone).date(), today)}:")
        out += [line.text for line in done]
    if upcoming:
        out.append("Next:")
        out += [line.text for line in upcoming]
    if not out:
        out.append(f"Nothing new since {day_label(since.astimezone(zone).date(), today)}.")
    return "\n".join(out)


def _drop_order(goals: list[_Line], done: list[_Line], upcoming: list[_Line],
                now: datetime) -> list[_Line]:
    """Least important first. The first goal and every late line are never in it."""
    far = [line for line in reversed(upcoming) if line.key > now + FAR_AHEAD]
    near = [line for line in reversed(upcoming) if line not in far]
    older_done = list(reversed(done[1:]))  # done is newest first
    order = far + older_done + near[:-1] + done[:1] + near[-1:]
    return order + list(reversed(goals[1:]))


def compose_update(
    ledger: Ledger,
    person_id: int,
    now: datetime,
    zone: ZoneInfo,
    *,
    since: datetime | None = None,
    budget: int = WORD_BUDGET,
) -> Update:
    """Draft the fifteen-second update for one person, from the ledger and commitments, in at
    most `budget` words where it can (the settings' update_words)."""
    person = ledger.person(person_id)
    if since is None:
        since = last_update_at(ledger, person_id, now) or now - DEFAULT_LOOKBACK
    today = now.astimezone(zone).date()
    promises = [p for p in ledger.promises_to(person_id) if p.made_at <= now]
    commitments = sorted(
        (c for c in ledger.commitments_for(person_id) if c.status is CommitmentStatus.ACTIVE),
        key=lambda c: c.id,
    )
    goals = _goal_lines(person, today, zone)
    late = _late_lines(promises, commitments, since, now, zone)
    done = _done_lines(person, promises, ledger.commitments_for(person_id), since, now, zone)
    upcoming = _next_lines(promises, commitments, now, zone)

    text = _render(goals, late, done, upcoming, since, zone, today)
    left_out: list[str] = []
    for line in _drop_order(goals, done, upcoming, now):
        if words_in(text) <= budget:
            break
        for kept in (goals, done, upcoming):
            if line in kept:
                kept.remove(line)
        left_out.append(line.text)
        text = _render(goals, late, done, upcoming, since, zone, today)
    return Update(text=text, words=words_in(text), since=since, left_out=tuple(left_out),
                  budget=budget)

