"""Take the journal elsewhere: `export(ledger, fmt, now, zone)` for fmt in csv, md, ics.

Every format is text, built from the ledger alone; writing it anywhere is the caller's job.

json — the whole journal, every table and the meta record, losslessly: written by
``trustjournal.storage.exchange`` (its docstring and the README show the shape), because it is
read back by ``trustjournal import`` and ``restore``.

csv — the promise ledger, one row per promise, with a header row
----------------------------------------------------------------

``id, to, text, made_at, due, status, outcome, closed_at, renegotiations, commitment``;
instants as in json, empty when there is none. Control characters in text are shown as
symbols (``␛`` for ESC; newlines and tabs stay, quoted), and a cell that a spreadsheet would
run as a formula (one starting ``=``, ``+``, ``-``, ``@`` or tab) starts with a single quote.

md — a report to read: per person, by name: stance, goals, commitments, open promises
(overdue first, flagged), closed promises with their outcome, recent journal entries. Text
from the journal is escaped (`md_text`): it reads as typed and never becomes a heading, a link
or HTML.

ics — an iCalendar file (RFC 5545) to import into a calendar: each open promise as a task
(VTODO) due when it is due, each active series of recurring promises as one task with its
RRULE (starting at its next occurrence, in the zone it was said in, so 10:00 stays 10:00 across
DST; an occurrence already overdue or moved stays a task of its own), each upcoming milestone
as an all-day event, and each person's next check-in as a 30-minute event (an overdue one as
an all-day event today that says so, never an event in the past). It stays true when imported
again: UIDs are stable; SEQUENCE counts an item's changes (a promise's renegotiations and its
outcome, a series' occurrences, a check-in's contacts, a milestone reached) and LAST-MODIFIED
is the last of them; a promise closed in the last 30 days comes back COMPLETED (kept, with
COMPLETED:) or CANCELLED (released or broken), and a milestone reached in that time comes
back marked reached; open promises carry a VALARM (settings: reminder, 1 hour by default).
Control characters in the journal's text are shown as symbols.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from trustjournal.domain.commitment import CommitmentStatus
from trustjournal.domain.format import span, when
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.person import Goal, Milestone, Person
from trustjournal.domain.promise import Promise, Status
from trustjournal.domain.record import checkin_due_at, last_contacts
from trustjournal.domain.series import Series
from trustjournal.domain.text import md_text, visible
from trustjournal.domain.update import day_label
from trustjournal.storage.codec import dump_time

FORMATS = ("csv", "md", "ics")
EXPORT_FORMAT = "trustjournal-export"
EXPORT_VERSION = 1
CHECKIN_LENGTH = timedelta(minutes=30)
DEFAULT_REMINDER = timedelta(hours=1)
CLOSED_WINDOW = timedelta(days=30)
"""Promises closed this recently come back as completed or cancelled, so a calendar that
imported them open marks them done on the next import."""
RECENT_ENTRIES = 10

CSV_COLUMNS = (
    "id", "to", "text", "made_at", "due", "status", "outcome", "closed_at", "renegotiations",
    "commitment",
)


def export(ledger: Ledger, fmt: str, now: datetime, zone: ZoneInfo, *,
           reminder: timedelta = DEFAULT_REMINDER) -> str:
    """The whole journal as text in one of `FORMATS`; `reminder` is the calendar's alarm lead
    (settings: reminder; zero for none)."""
    writers: dict[str, Callable[[Ledger, datetime, ZoneInfo], str]] = {
        "csv": to_csv, "md": to_markdown,
        "ics": lambda ledger, now, zone: to_ics(ledger, now, zone, reminder=reminder),
    }
    writer = writers.get(fmt.strip().lower())
    if writer is None:
        raise ValueError(f'cannot export as "{fmt}"; use one of: {", ".join(FORMATS)}')
    return writer(ledger, now, zone)


def _by_id(table: Any) -> list[Any]:
    return [table[key] for key in sorted(table)]


# --- csv ----------------------------------------------------------------------------------


_FORMULA_START = ("=", "+", "-", "@", "\t")  # a leading CR is already shown as ␍


def csv_cell(text: str) -> str:
    """Journal text as a CSV cell: controls visible, never run as a formula.

    Newlines and tabs stay (the cell is quoted); a cell a spreadsheet would read as a formula
    starts with a single quote, as spreadsheets expect.
    """
    shown = visible(text, multiline=True)
    return "'" + shown if shown.startswith(_FORMULA_START) else shown


def to_csv(ledger: Ledger, now: datetime, zone: ZoneInfo) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for p in _by_id(ledger.promises):
        writer.writerow([
            p.id,
            csv_cell(ledger.name_of(p.person_id)),
            csv_cell(p.text),
            dump_time(p.made_at),
            dump_time(p.due),
            p.status.value,
            p.outcome(now).value,
            dump_time(p.closed_at) if p.closed_at else "",
            len(p.renegotiations),
            "" if p.commitment_id is None else p.commitment_id,
        ])
    return out.getvalue()


# --- md -----------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    """Journal text as Markdown inline text: whitespace runs (newlines too) become one space."""
    return md_text(" ".join(text.split()))


def _milestone_md(m: Milestone, now: datetime, zone: ZoneInfo) -> str:
    today = now.astimezone(zone).date()
    if m.reached is not None:
        return f"  - [x] {_one_line(m.name)} — reached {day_label(m.reached, today)}"
    due = day_label(m.due, today) if m.due else "no date yet"
    past = " (past due)" if m.due is not None and m.due < today else ""
    return f"  - [ ] {_one_line(m.name)} — {due}{past}"


def _goal_md(goal: Goal, now: datetime, zone: ZoneInfo) -> list[str]:
    return [f"- {_one_line(goal.name)}", *(_milestone_md(m, now, zone) for m in goal.milestones)]


def _open_md(p: Promise, now: datetime, zone: ZoneInfo) -> str:
    due = when(p.due, zone, now)
    moved = f" (moved {len(p.renegotiations)}×)" if p.renegotiations else ""
    if p.is_overdue(now):
        return f"- **OVERDUE** #{p.id} {_one_line(p.text)} — due {due}, " \
               f"{span(now - p.due)} late{moved}"
    return f"- #{p.id} {_one_line(p.text)} — due {due}{moved}"


def _closed_md(p: Promise, now: datetime, zone: ZoneInfo) -> str:
    closing = p.closing
    assert closing is not None
    note = f" ({_one_line(closing.note)})" if closing.note else ""
    return (f"- #{p.id} {_one_line(p.text)} — {p.outcome(now).value}, "
            f"{when(closing.at, zone, now)}{note}")


def _section(title: str, lines: list[str]) -> list[str]:
    return [f"### {title}", "", *(lines or ["_None._"]), ""]


def _promises_md(promises: Iterable[Promise], now: datetime, zone: ZoneInfo) -> list[str]:
    promises = list(promises)
    open_ = sorted((p for p in promises if p.is_open),
                   key=lambda p: (not p.is_overdue(now), p.due, p.id))
    closed = sorted((p for p in promises if not p.is_open),
                    key=lambda p: (p.closed_at or now, p.id), reverse=True)
    return (_section("Open promises", [_open_md(p, now, zone) for p in open_])
            + _section("Closed promises", [_closed_md(p, now, zone) for p in closed]))


def _person_md(person: Person, ledger: Ledger, now: datetime, zone: ZoneInfo) -> list[str]:
    out = [f"## {_one_line(person.name)}", ""]
    about = [part for part in (
        _one_line(person.role), f"leader: {_one_line(person.leader)}" if person.leader else "",
        f"check-in: {_one_line(person.checkin)}" if person.checkin else "",
        f"prefers {person.prefers.value} updates",
    ) if part]
    out += [" · ".join(about), ""]
    stance = f"**Stance:** {person.stance.value}"
    if person.stance_history:
        steps = [
            f"{h.stance.value} ({when(h.at, zone, now)}"
            + (f": {_one_line(h.reason)})" if h.reason else ")")
            for h in person.stance_history
        ]
        stance += " · history: " + " → ".join(steps)
    out += [stance, ""]
    trusts = [_one_line(ledger.name_of(i)) for i in person.trusts]
    if trusts:
        out += [f"**Trusts:** {', '.join(trusts)}", ""]
    if person.notes:
        out += [f"**Notes:** {_one_line(person.notes)}", ""]
    out += _section("Goals", [line for g in person.goals for line in _goal_md(g, now, zone)])
    commitments = sorted(ledger.commitments_for(person.id), key=lambda c: c.id)
    lines = []
    for c in commitments:
        status = "" if c.status is CommitmentStatus.ACTIVE else f" ({c.status.value})"
        measure = f"; measure: {_one_line(c.measure)}" if c.measure else ""
        lines.append(f"- {_one_line(c.text)}{status}{measure}")
        lines += [_milestone_md(m, now, zone) for m in c.milestones]
    out += _section("Commitments", lines)
    out += _promises_md(ledger.promises_to(person.id), now, zone)
    entries = [e for e in ledger.entries_for(person.id) if e.at <= now][-RECENT_ENTRIES:]
    out += _section("Recent entries", [
        f"- {when(e.at, zone, now)} · {e.kind.label}: {_one_line(e.text)}"
        for e in reversed(entries)
    ])
    return out


def to_markdown(ledger: Ledger, now: datetime, zone: ZoneInfo) -> str:
    local = now.astimezone(zone)
    open_count = sum(1 for p in ledger.promises.values() if p.is_open)
    overdue = len(ledger.overdue(now))
    out = [
        f"# trustjournal — {day_label(local.date(), local.date())} {local.year}, "
        f"{local:%H:%M} {zone.key}",
        "",
        f"{len(ledger.people)} people · {len(ledger.promises)} promises · "
        f"{open_count} open · {overdue} overdue",
        "",
    ]
    for person in sorted(ledger.people.values(), key=lambda p: (p.name.casefold(), p.id)):
        out += _person_md(person, ledger, now, zone)
    orphans = [p for p in _by_id(ledger.promises) if p.person_id not in ledger.people]
    if orphans:
        out += ["## Promises to people no longer in the journal", ""]
        out += _promises_md(orphans, now, zone)
    return "\n".join(out).rstrip("\n") + "\n"


# --- ics ----------------------------------------------------------------------------------


def _ics_text(text: str) -> str:
    """A text property: controls shown as symbols; icalendar escapes commas and newlines."""
    return visible(text, multiline=True)


def _uid_part(*names: str) -> str:
    """A short, stable, character-safe stand-in for free text in a UID."""
    return hashlib.sha1("\x1f".join(n.casefold() for n in names).encode()).hexdigest()[:12]


def _promise_description(p: Promise, now: datetime, zone: ZoneInfo) -> str:
    lines = []
    if p.is_overdue(now):
        lines.append(f"OVERDUE by {span(now - p.due)} (due {when(p.due, zone, now)}).")
    for r in p.renegotiations:
        timing = "before" if r.early else "after"
        lines.append(
            f"Renegotiated {timing} it was due: {when(r.old_due, zone, now)} → "
            f"{when(r.new_due, zone, now)}"
            + (f" ({r.note})." if r.note else ".")
        )
    lines.append(f"Promised {when(p.made_at, zone, now)}; trustjournal #{p.id}.")
    return "\n".join(lines)


def _series_todo(series: Series, ledger: Ledger, stamp: datetime, now: datetime,
                 zone: ZoneInfo) -> tuple[Any, set[int]]:
    """An active series as one recurring VTODO, and the occurrence it stands for (which is
    then not written again): the upcoming one, when it is still where the rule put it."""
    from icalendar import Todo

    if not series.is_active:
        return None, set()
    latest = ledger.promises.get(series.current) if series.current is not None else None
    represented: set[int] = set()
    remaining: int | None = None
    first: datetime | None
    if (latest is not None and latest.is_open and not latest.is_overdue(now)
            and latest.due == series.slot):
        first = series.slot
        represented.add(latest.id)
        if series.rule.count is not None:
            remaining = series.rule.count - series.issued + 1
    else:
        first = series.next_slot()
        if series.rule.count is not None:
            remaining = series.rule.count - series.issued
    if first is None:
        return None, set()
    home = series.tz
    todo = Todo()
    todo.add("uid", f"series-{series.id}@trustjournal")
    todo.add("dtstamp", stamp)
    # Each occurrence issued and each change to the series moves what the calendar shows.
    todo.add("sequence", series.issued + len(series.events) - 1)
    changed = [series.events[-1].at] + ([latest.events[-1].at] if latest is not None else [])
    todo.add("last-modified", max(changed).astimezone(UTC))
    todo.add("summary", _ics_text(f"{series.text} (to {ledger.name_of(series.person_id)})"))
    todo.add("dtstart", first.astimezone(home))
    todo.add("due", first.astimezone(home))
    todo.add("rrule", series.rule.ical(remaining))
    todo.add("status", "NEEDS-ACTION")
    todo.add("description", _ics_text(
        f"Recurring: {series.describe()} ({series.zone}). trustjournal series #{series.id}."))
    return todo, represented


def _alarm(summary: str, lead: timedelta) -> Any:
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _ics_text(summary))
    alarm.add("trigger", -lead)
    return alarm


def _promise_todo(p: Promise, ledger: Ledger, stamp: datetime, now: datetime, zone: ZoneInfo,
                  reminder: timedelta) -> Any:
    """A promise as a VTODO that stays true: SEQUENCE counts its changes (each renegotiation or
    outcome is one), LAST-MODIFIED is the last of them, and a closed one says how it ended."""
    from icalendar import Todo

    summary = _ics_text(f"{p.text} (to {ledger.name_of(p.person_id)})")
    todo = Todo()
    todo.add("uid", f"promise-{p.id}@trustjournal")
    todo.add("dtstamp", stamp)
    todo.add("sequence", len(p.events) - 1)
    todo.add("last-modified", p.events[-1].at.astimezone(UTC))
    todo.add("summary", summary)
    todo.add("due", p.due.astimezone(UTC))
    todo.add("description", _ics_text(_promise_description(p, now, zone)))
    closed = p.closed_at
    if closed is None:
        todo.add("status", "NEEDS-ACTION")
        if reminder > timedelta(0):
            todo.add_component(_alarm(f"Due: {summary}", reminder))
    else:
        kept = p.status is Status.KEPT
        todo.add("status", "COMPLETED" if kept else "CANCELLED")
        if kept:
            todo.add("completed", closed.astimezone(UTC))
            todo.add("percent-complete", 100)
    return todo


def to_ics(ledger: Ledger, now: datetime, zone: ZoneInfo, *,
           reminder: timedelta = DEFAULT_REMINDER) -> str:
    from icalendar import Calendar, Event  # only this format pays for the import

    stamp = now.astimezone(UTC)
    today = now.astimezone(zone).date()
    cal = Calendar()
    cal.add("prodid", "-//trustjournal//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "trustjournal")

    in_series = set()
    for series in sorted(ledger.series.values(), key=lambda s: s.id):
        todo, represented = _series_todo(series, ledger, stamp, now, zone)
        if todo is not None:
            if reminder > timedelta(0):
                todo.add_component(_alarm(f"Due: {series.text}", reminder))
            cal.add_component(todo)
        in_series |= represented

    for p in sorted(ledger.promises.values(), key=lambda p: (p.due, p.id)):
        closed = p.closed_at
        if p.id in in_series or (closed is not None and closed < now - CLOSED_WINDOW):
            continue
        cal.add_component(_promise_todo(p, ledger, stamp, now, zone, reminder))

    def milestone_event(uid: str, m: Milestone, summary: str, description: str,
                        since: datetime) -> None:
        if m.due is None:
            return
        recent = m.reached is not None and m.reached >= today - CLOSED_WINDOW
        if (m.reached is not None and not recent) or (m.reached is None and m.due < today):
            return
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        # A milestone keeps no history: reaching it is the one change a calendar must see.
        event.add("sequence", 1 if m.reached else 0)
        modified = since if m.reached is None else datetime.combine(m.reached, time(), zone)
        event.add("last-modified", modified.astimezone(UTC))
        if m.reached is not None:
            summary = f"✓ {summary}, reached {m.reached.isoformat()}"
        event.add("summary", _ics_text(summary))
        event.add("dtstart", m.due)
        event.add("dtend", m.due + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("description", _ics_text(description))
        cal.add_component(event)

    people = sorted(ledger.people.values(), key=lambda p: p.id)
    for person in people:
        for goal in person.goals:
            for m in goal.milestones:
                milestone_event(
                    f"milestone-person-{person.id}-{_uid_part(goal.name, m.name)}@trustjournal",
                    m, f"{m.name} ({person.name}'s milestone)",
                    f"A milestone of {person.name}'s goal: {goal.name}.", person.created_at,
                )
    for c in sorted(ledger.commitments.values(), key=lambda c: c.id):
        if c.status is not CommitmentStatus.ACTIVE:
            continue
        for m in c.milestones:
            milestone_event(
                f"milestone-commitment-{c.id}-{_uid_part(m.name)}@trustjournal",
                m, f"{m.name} (my commitment to {ledger.name_of(c.person_id)})",
                f"A milestone of my commitment: {c.text}."
                + (f" Measure: {c.measure}." if c.measure else ""), c.created_at,
            )

    contacts = last_contacts(e for e in ledger.entries.values() if e.at <= now)
    for person in people:
        due = checkin_due_at(person, contacts.get(person.id))
        if due is None:
            continue
        last = contacts.get(person.id)
        heard = f"Last heard from you {when(last, zone, now)}." if last else \
            "No check-in or update logged yet."
        told = sum(1 for e in ledger.entries_for(person.id) if e.kind.is_contact)
        event = Event()
        event.add("uid", f"checkin-{person.id}@trustjournal")
        event.add("dtstamp", stamp)
        # Each contact logged moves the next check-in: that is the change a calendar follows.
        event.add("sequence", told + (1 if person.checkin_moved_to else 0))
        event.add("last-modified", (last or person.created_at).astimezone(UTC))
        if due > now:
            event.add("summary", _ics_text(f"Check-in with {person.name}"))
            event.add("dtstart", due.astimezone(UTC))
            event.add("dtend", (due + CHECKIN_LENGTH).astimezone(UTC))
            event.add("description", _ics_text(f"Cadence: {person.checkin}. {heard}"))
        else:
            # Overdue: not an event in the past nobody will see, but today, all day, saying so.
            event.add("summary", _ics_text(f"Check-in with {person.name} (overdue)"))
            event.add("dtstart", today)
            event.add("dtend", today + timedelta(days=1))
            event.add("description", _ics_text(
                f"Cadence: {person.checkin}. {heard} Due since {when(due, zone, now)}."))
        cal.add_component(event)

    if in_series or any(s.is_active for s in ledger.series.values()):
        cal.add_missing_timezones()  # a VTIMEZONE for each zone a series' times are in
    ical: bytes = cal.to_ical()
    return ical.decode("utf-8")
