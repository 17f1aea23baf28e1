"""The page to glance at before a ten-minute check-in (practices 1, 6, 7 and 8).

Markdown, one section per thing the method asks you to bring: their goals and milestones,
what you still owe them (overdue first, flagged), what you kept since the last check-in,
feedback and testimonials — including those from people they trust, which are worth
mentioning — and a few questions to ask. No slides: it is for you, not for them.

Every text from the journal is escaped (`md_text`) on its way in: a name, a role or a promise
reads as typed, and never becomes a heading, a link or HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from trustjournal.domain import format as fmt
from trustjournal.domain.commitment import Commitment, CommitmentStatus
from trustjournal.domain.entry import Entry, EntryKind
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.person import Milestone, Person
from trustjournal.domain.promise import Promise, Status
from trustjournal.domain.text import md_text
from trustjournal.domain.update import day_label, reached_since

FEEDBACK_WINDOW = timedelta(days=90)
"""Feedback and testimonials older than this are history, not talking points."""

NO_CHECKIN_LOOKBACK = timedelta(days=30)
"""With no check-in logged yet, "kept since" covers this much."""

FEEDBACK_KINDS = frozenset(
    {EntryKind.FEEDBACK_ASKED, EntryKind.FEEDBACK_RECEIVED, EntryKind.TESTIMONIAL}
)

EASIER_WEEK = "What would make your week easier?"


def _one_line(text: str) -> str:
    """Journal text as Markdown inline text: whitespace runs (newlines too) become one space."""
    return md_text(" ".join(text.split()))


def _milestone_line(m: Milestone, today: date, indent: str = "  ") -> str:
    if m.reached is not None:
        return f"{indent}- [x] {_one_line(m.name)} — reached {day_label(m.reached, today)}"
    if m.due is None:
        return f"{indent}- [ ] {_one_line(m.name)} — no date yet"
    past = " (past due)" if m.due < today else ""
    return f"{indent}- [ ] {_one_line(m.name)} — {day_label(m.due, today)}{past}"


def _goals_section(person: Person, commitments: list[Commitment], today: date) -> list[str]:
    out = ["## Their goals and milestones", ""]
    if not person.goals:
        out.append("_No goals noted yet: ask what their leader is asking of them._")
    for goal in person.goals:
        out.append(f"- **{_one_line(goal.name)}**")
        out += [_milestone_line(m, today) for m in goal.milestones]
    if commitments:
        out += ["", "What I committed to for them:", ""]
        for c in commitments:
            serves = f" (for: {_one_line(c.goal)})" if c.goal else ""
            measure = f"; measure: {_one_line(c.measure)}" if c.measure else ""
            out.append(f"- {_one_line(c.text)}{serves}{measure}")
            out += [_milestone_line(m, today) for m in c.milestones]
    return out


def _promise_line(p: Promise, now: datetime, zone: ZoneInfo) -> str:
    due = fmt.when(p.due, zone, now)
    moved = len(p.renegotiations)
    note = f" (moved {moved}×)" if moved else ""
    if p.is_overdue(now):
        return (f"- **OVERDUE** #{p.id} {_one_line(p.text)} — due {due}, "
                f"{fmt.span(now - p.due)} late{note}")
    return f"- #{p.id} {_one_line(p.text)} — due {due}{note}"


def _open_section(promises: list[Promise], now: datetime, zone: ZoneInfo) -> list[str]:
    out = ["## Open promises", ""]
    open_ = sorted((p for p in promises if p.is_open),
                   key=lambda p: (not p.is_overdue(now), p.due, p.id))
    out += [_promise_line(p, now, zone) for p in open_] or ["_Nothing open._"]
    return out


def _kept_section(
    person: Person,
    promises: list[Promise],
    commitments: list[Commitment],
    last_checkin: datetime | None,
    now: datetime,
    zone: ZoneInfo,
) -> list[str]:
    out = ["## Kept since last check-in", ""]
    if last_checkin is None:
        since = now - NO_CHECKIN_LOOKBACK
        out += ["_No check-in logged yet; this covers the last 30 days._", ""]
    else:
        since = last_checkin
        out += [f"_Last check-in: {fmt.when(last_checkin, zone, now)}._", ""]
    kept = sorted(
        (p for p in promises
         if p.status is Status.KEPT and p.closed_at is not None and since <= p.closed_at <= now),
        key=lambda p: p.closed_at or now,
    )
    lines = []
    for p in kept:
        closed = p.closed_at or now
        late = f", {fmt.span(p.lateness)} late" if p.lateness else ""
        lines.append(f"- #{p.id} {_one_line(p.text)} — kept {fmt.when(closed, zone, now)}{late}")
    today = now.astimezone(zone).date()
    for m in _reached(person, commitments, since, now, zone):
        assert m.reached is not None
        lines.append(f"- milestone reached: {_one_line(m.name)} — "
                     f"{day_label(m.reached, today)}")
    out += lines or ["_Nothing closed since then._"]
    return out


def _reached(person: Person, commitments: Iterable[Commitment], since: datetime, now: datetime,
             zone: ZoneInfo) -> list[Milestone]:
    milestones = [m for g in person.goals for m in g.milestones]
    milestones += [m for c in commitments for m in c.milestones]
    return reached_since(milestones, since, now, zone)


def _feedback_section(ledger: Ledger, person: Person, now: datetime,
                      zone: ZoneInfo) -> list[str]:
    out = ["## Feedback and testimonials", ""]
    start = now - FEEDBACK_WINDOW
    trusted = [i for i in person.trusts if i != person.id]
    found: list[tuple[Entry, str]] = []
    for e in ledger.entries.values():
        if not start <= e.at <= now:
            continue
        if e.person_id == person.id and e.kind in FEEDBACK_KINDS:
            found.append((e, f"{e.kind.label}: {_one_line(e.text)}"))
        elif e.person_id in trusted and e.kind is EntryKind.TESTIMONIAL:
            name = _one_line(ledger.name_of(e.person_id))
            found.append((e, f"testimonial from {name}, whom they trust — worth mentioning: "
                             f"{_one_line(e.text)}"))
    found.sort(key=lambda pair: (pair[0].at, pair[0].id), reverse=True)
    out += [f"- {fmt.when(e.at, zone, now)} · {line}" for e, line in found]
    vouched = {e.person_id for e, _ in found if e.person_id != person.id}
    for pid in trusted:
        if pid not in vouched:
            out.append(f"- _Nothing yet from {_one_line(ledger.name_of(pid))}, whom they trust: "
                       "worth asking for a word._")
    if len(out) == 2:
        out.append("_None in the last 90 days._")
    return out


def _leader_name(person: Person) -> str:
    name = person.leader.split(",")[0].strip()
    return _one_line(name) if name else "your leader"


def _questions_section(
    person: Person,
    promises: list[Promise],
    commitments: list[Commitment],
    last_checkin: datetime | None,
    now: datetime,
    zone: ZoneInfo,
) -> list[str]:
    leader = _leader_name(person)
    out = ["## Questions to ask", "", f"- What is {leader} asking of you right now?",
           f"- {EASIER_WEEK}"]
    kept = [p for p in promises if p.status is Status.KEPT and (p.closed_at or now) <= now]
    if kept:
        recent = max(kept, key=lambda p: (p.closed_at or now, p.id))
        out.append(f"- How did “{_one_line(recent.text)}” land? Anything you would want done "
                   "differently?")
    else:
        out.append("- Is there one recent thing of mine you would want done differently?")
    since = last_checkin or now - NO_CHECKIN_LOOKBACK
    for m in _reached(person, commitments, since, now, zone):
        ask = f"ask {leader}" if person.leader else "ask their leader"
        out.append(f"- “{_one_line(m.name)}” is done: may I {ask} for feedback on it?")
    return out


def last_checkin_at(ledger: Ledger, person_id: int, now: datetime) -> datetime | None:
    found = [e.at for e in ledger.entries_for(person_id)
             if e.kind is EntryKind.CHECK_IN and e.at <= now]
    return max(found) if found else None


def compose_brief(ledger: Ledger, person_id: int, now: datetime, zone: ZoneInfo) -> str:
    """Markdown for the ten-minute check-in with one person."""
    person = ledger.person(person_id)
    today = now.astimezone(zone).date()
    promises = [p for p in ledger.promises_to(person_id) if p.made_at <= now]
    commitments = sorted(ledger.commitments_for(person_id), key=lambda c: c.id)
    active = [c for c in commitments if c.status is CommitmentStatus.ACTIVE]
    last_checkin = last_checkin_at(ledger, person_id, now)

    about = [part for part in (
        _one_line(person.role),
        f"their leader: {_one_line(person.leader)}" if person.leader else "",
        f"stance: {person.stance.value}",
        f"prefers {person.prefers.value} updates",
    ) if part]
    sections = [
        [f"# Check-in with {_one_line(person.name)} — {day_label(today, today)} {today.year}", "",
         " · ".join(about)],
        _goals_section(person, active, today),
        _open_section(promises, now, zone),
        _kept_section(person, promises, commitments, last_checkin, now, zone),
        _feedback_section(ledger, person, now, zone),
        _questions_section(person, promises, commitments, last_checkin, now, zone),
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"
