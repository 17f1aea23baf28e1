"""What each command does. Every change goes through one journal transaction.

Rendering, cadences, entries and commitments are imported inside the commands that use them:
a capture or `due` needs none of them, and start-up time is most of a capture's time.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO
from zoneinfo import ZoneInfo

from trustjournal.cli import manual, people, series, settings
from trustjournal.cli.care import COMMANDS as care_commands
from trustjournal.cli.parser import UsageError
from trustjournal.domain import format as fmt
from trustjournal.domain.dates import parse_when
from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.person import Person, UpdatePreference, clean_name
from trustjournal.domain.promise import Promise
from trustjournal.domain.stance import Stance, StanceChange
from trustjournal.storage.codec import dump_time
from trustjournal.storage.journal import Journal
from trustjournal.storage.locations import resolve_journal_path

if TYPE_CHECKING:
    from trustjournal.domain.ledger import Ledger
    from trustjournal.domain.settings import Settings
    from trustjournal.storage.config import Loaded


def load_settings() -> Loaded:
    from trustjournal.storage.config import load

    return load()

@dataclass
class Context:
    """One command's run: its arguments, clock, zone, streams and settings, and the journal
    once it is opened."""

    args: argparse.Namespace
    now: datetime
    zone: ZoneInfo
    out: TextIO
    err: TextIO
    config: Loaded = field(default_factory=lambda: load_settings())
    warning: str = ""
    followups: list[str] = field(default_factory=list)
    """Lines said after a change's own line: the next occurrence a kept one made."""
    _journal: Journal | None = None

    @property
    def settings(self) -> Settings:
        return self.config.settings

    def journal(self) -> Journal:
        """One Journal per command, so a second look at it reuses the parsed file."""
        if self._journal is not None:
            return self._journal
        journal = self._journal = Journal(resolve_journal_path(self.settings.journal),
                                          remember_checks=True)
        mode = journal.loose_mode()
        if mode is not None:
            # Said after the command's own output, and only when it succeeded: an error keeps
            # its one line.
            self.warning = (
                f"trustjournal: warning: {journal.path} can be read by other users (mode "
                f"{mode:o}) and holds private notes; chmod 600 it, or run trustjournal doctor "
                "--fix"
            )
        return journal

    def journal_now(self) -> Journal:
        """The journal with its series brought up to date: every command that shows promises
        reads it through this, so the next occurrence of a series is there to see
        (storage/recurring.py says why it happens here)."""
        journal = self.journal()
        from trustjournal.storage.recurring import advance_journal

        advance_journal(journal, self.now)
        return journal

    def pinned_clock(self) -> Callable[[], datetime] | None:
        """The app keeps the CLI's pinned time when TRUSTJOURNAL_NOW is set; else real time."""
        import os

        from trustjournal.cli import NOW_ENV

        if not os.environ.get(NOW_ENV, "").strip():
            return None
        pinned = self.now
        return lambda: pinned

    # Every byte the command line prints goes through these: text from a journal is shown with
    # its control characters made visible (ESC, BEL, backspace, CR, DEL, C1, bidi), never obeyed.

    def say(self, line: str = "") -> None:
        """One line, or a composed block of them (newlines and tabs are kept)."""
        if not line.isprintable():  # a newline, a tab or a control character: look closer
            from trustjournal.domain.text import terminal_text

            line = terminal_text(line)
        self.out.write(line + "\n")

    def say_err(self, line: str) -> None:
        """One line to stderr: a note beside the output, not part of it."""
        if not line.isprintable():
            from trustjournal.domain.text import terminal_text

            line = terminal_text(line)
        self.err.write(line + "\n")

    def write(self, document: str) -> None:
        """A whole document as it is (Markdown, CSV, iCalendar): CRLF line ends are kept."""
        from trustjournal.domain.text import terminal_text

        self.out.write(terminal_text(document, crlf=True))

    def write_json(self, document: str) -> None:
        """JSON text; DEL, C1 and bidi controls become \\u escapes, so it parses the same."""
        from trustjournal.domain.text import json_text

        self.out.write(json_text(document))

    def print_json(self, value: Any) -> None:
        self.write_json(json.dumps(value, ensure_ascii=False, indent=2) + "\n")

    def when(
        self, words: list[str] | str, *, prefer: str = "future", now: datetime | None = None
    ) -> datetime:
        text = words if isinstance(words, str) else " ".join(words)
        try:
            return parse_when(text, now or self.now, self.zone, prefer=prefer,  # type: ignore[arg-type]
                              end_of_day=self.settings.end_of_day, week=self.settings.week)
        except ValueError as error:
            raise InvalidInput(str(error)) from None

    def show(self, moment: datetime) -> str:
        return fmt.when(moment, self.zone, self.now)


def _text(words: list[str] | str, what: str, example: str) -> str:
    text = " ".join(words.split() if isinstance(words, str) else " ".join(words).split())
    if not text:
        raise InvalidInput(f"{what} cannot be empty, e.g. {example}")
    return text


# --- people ----------------------------------------------------------------------------------


def person_add(ctx: Context) -> int:
    from trustjournal.domain.cadence import parse_cadence

    a = ctx.args
    name = clean_name(a.name)
    stance = Stance.parse(a.stance)
    if a.checkin:
        parse_cadence(a.checkin)
    person = Person(
        id=0,
        name=name,
        created_at=ctx.now,
        role=a.role.strip(),
        stance_history=(StanceChange(stance, ctx.now, "first noted"),),
        prefers=UpdatePreference.parse(a.prefers),
        checkin=" ".join(a.checkin.split()),
        notes=a.notes.strip(),
    )
    with ctx.journal().transaction(ctx.now) as tx:
        if a.leader.strip():
            person = people.with_leader(tx, person, a.leader)
        added = tx.add(person)
    ctx.say(f"Added {added.name} ({stance.value}).")
    return 0


def person_list(ctx: Context) -> int:
    from trustjournal.cli import render

    ledger = ctx.journal_now().load()
    people = sorted(ledger.people.values(), key=lambda p: p.name.casefold())
    if ctx.args.json:
        ctx.print_json([render.person_json(p, ledger, ctx.now) for p in people])
        return 0
    if not people:
        ctx.say('No people yet. Add the first: trustjournal person add "Dana Whitfield"')
        return 0
    rows = []
    for p in people:
        data = render.person_json(p, ledger, ctx.now)
        status = f"{data['open_promises']} open"
        if data["overdue_promises"]:
            status += f", {data['overdue_promises']} OVERDUE"
        rows.append((p.name, p.stance.value, p.role or "-", status))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        ctx.say("  ".join(c.ljust(widths[i]) for i, c in enumerate(row[:3])) + "  " + row[3])
    return 0


def person_show(ctx: Context) -> int:
    from trustjournal.cli import render

    ledger = ctx.journal_now().load()
    person = ledger.find_person(ctx.args.name)
    if ctx.args.json:
        ctx.print_json(render.person_json(person, ledger, ctx.now))
        return 0
    ctx.say(f"{person.name}" + (f" — {person.role}" if person.role else ""))
    leader = ledger.leader_of(person)
    if leader:
        ctx.say(f"Their leader: {leader}")
    if person.needs:
        ctx.say(f"Needs from you: {person.needs}")
    ctx.say(f"Stance: {person.stance.value}")
    for change in person.stance_history:
        reason = f" — {change.reason}" if change.reason else ""
        ctx.say(f"  {ctx.show(change.at)}  {change.stance.value}{reason}")
    ctx.say(
        f"Prefers updates by: {person.prefers.value}"
        + (f"; check-in {person.checkin}" if person.checkin else "")
    )
    if person.trusts:
        ctx.say("Trusts: " + ", ".join(ledger.name_of(i) for i in person.trusts))
    trusted_by = ledger.trusted_by(person.id)
    if trusted_by:
        ctx.say("Trusted by: " + ", ".join(p.name for p in trusted_by))
    if person.notes:
        ctx.say(f"Notes: {person.notes}")
    if person.goals:
        ctx.say("Goals:")
        for goal in person.goals:
            ctx.say(f"  {goal.name}" + (f" (due {goal.due.isoformat()})" if goal.due else ""))
            for m in goal.milestones:
                ctx.say(f"    - {m.name} ({people.milestone_state(m)})")
    commitments = ledger.commitments_for(person.id)
    if commitments:
        ctx.say("Commitments:")
        for c in commitments:
            ctx.say(
                f"  #{c.id} {c.text} [{c.status.value}]" + (f" — serves {c.goal}" if c.goal else "")
            )
            for m in c.milestones:
                ctx.say(f"    - {m.name} ({people.milestone_state(m)})")
    promises = ledger.promises_to(person.id)
    ctx.say("Promises:" if promises else "Promises: none yet")
    for line in render.promise_lines(promises, ledger, ctx.now, ctx.zone):
        ctx.say(f"  {line}")
    history = ledger.entries_for(person.id)
    for repair in ledger.repairs_for(person.id):
        cause = repair.cause.value if repair.cause else "cause not named yet"
        ctx.say(f"Repair #{repair.id}: {repair.breach} ({ctx.show(repair.at)}; {cause})")
        for step, done_at in repair.checklist(history):
            ctx.say(f"  [{'x' if done_at else ' '}] {step.value}"
                    + (f" — {ctx.show(done_at)}" if done_at else ""))
    entries = history[-10:]
    if entries:
        ctx.say("Recent journal:")
        for e in entries:
            ctx.say(f"  {ctx.show(e.at)}  {e.kind.label}: {e.text}")
    return 0


def person_stance(ctx: Context) -> int:
    stance = Stance.parse(ctx.args.stance)
    reason = _text(ctx.args.reason, "the reason", '--reason "backed my plan in the staff meeting"')
    with ctx.journal().transaction(ctx.now) as tx:
        person = tx.find_person(ctx.args.name)
        old = person.stance
        if stance is old:
            raise InvalidInput(f"{person.name} is already a {old.value}; nothing changed")
        tx.save(person.with_stance(stance, ctx.now, reason))
    ctx.say(f"{person.name}: {old.value} → {stance.value}.")
    return 0


# --- commitments -------------------------------------------------------------------------------


def commitment_add(ctx: Context) -> int:
    from trustjournal.domain.commitment import Commitment

    a = ctx.args
    text = _text(a.text, "a commitment", '"weekly risk review for Project Foo"')
    milestones = people.milestones_from(ctx, a.milestone)
    with ctx.journal().transaction(ctx.now) as tx:
        person = tx.find_person(a.name)
        goal = person.goals[person.goal_index(a.goal)].name if a.goal else ""
        added = tx.add(
            Commitment(
                id=0,
                person_id=person.id,
                text=text,
                created_at=ctx.now,
                goal=goal,
                measure=a.measure.strip(),
                milestones=milestones,
            )
        )
    ctx.say(f"Commitment #{added.id} to {person.name}: {text}")
    return 0


def commitment_list(ctx: Context) -> int:
    ledger = ctx.journal().load()
    items = list(ledger.commitments.values())
    if ctx.args.to:
        person = ledger.find_person(ctx.args.to)
        items = [c for c in items if c.person_id == person.id]
    if ctx.args.json:
        from trustjournal.storage.records import COMMITMENTS, encode

        ctx.print_json([encode(COMMITMENTS, c) for c in items])
        return 0
    if not items:
        ctx.say("No commitments yet.")
    for c in items:
        nxt = c.next_milestone()
        tail = (
            f" — next: {nxt.name} {nxt.due.isoformat() if nxt.due else ''}".rstrip() if nxt else ""
        )
        ctx.say(f"#{c.id}  {ledger.name_of(c.person_id)}  [{c.status.value}]  {c.text}{tail}")
    return 0


# --- promises ------------------------------------------------------------------------------------


def promise_add(ctx: Context) -> int:
    a = ctx.args
    if a.every:
        return series.promise_every(ctx)
    if a.until or a.times:
        raise InvalidInput("--until and --times go with --every, e.g. --every 'mon 10am' "
                           "--times 6")
    if not a.due:
        raise UsageError("trustjournal promise: say when it is due with --due WHEN, or how it "
                         "repeats with --every RULE (see `trustjournal promise --help`)")
    text = _text(
        a.text,
        "the promise",
        'trustjournal promise "send the Q3 numbers" --to Dana --due "fri 5pm"',
    )
    made = ctx.now
    if a.made:
        made = ctx.when(a.made, prefer="past")
        if made > ctx.now:
            raise InvalidInput("--made is in the future; it says when the promise was already made")
    due = ctx.when(a.due, now=made)
    if due < ctx.now and not a.made:
        raise InvalidInput(
            f"due {ctx.show(due)} is already past; if you made it earlier, say when with "
            f'--made, e.g. --made "mon 10am"'
        )
    with ctx.journal().transaction(ctx.now) as tx:
        person = tx.find_person(a.to)
        promise = tx.add(
            Promise.make(
                text=text,
                person_id=person.id,
                made_at=made,
                due=due,
                zone=ctx.zone.key,
                commitment_id=a.commitment,
            )
        )
    ctx.say(f"#{promise.id} to {person.name}, due {ctx.show(due)}")
    return 0


def promise_list(ctx: Context) -> int:
    from trustjournal.cli import render

    which = ctx.args.which or "open"
    journal = ctx.journal_now()
    # Open or overdue promises need only the open ones decoded (most are closed, at scale).
    ledger = journal.load() if which == "all" else journal.load_open()
    promises = sorted(ledger.promises.values(), key=lambda p: (p.due, p.id))
    if which == "open":
        promises = [p for p in promises if p.is_open]
    elif which == "overdue":
        promises = [p for p in promises if p.is_overdue(ctx.now)]
    if ctx.args.to:
        person = ledger.find_person(ctx.args.to)
        promises = [p for p in promises if p.person_id == person.id]
    if ctx.args.json:
        ctx.print_json([render.promise_json(p, ledger, ctx.now) for p in promises])
        return 0
    if not promises:
        ctx.say(
            {"open": "No open promises.", "overdue": "Nothing overdue.", "all": "No promises yet."}[
                which
            ]
        )
    for line in render.promise_lines(promises, ledger, ctx.now, ctx.zone):
        ctx.say(line)
    return 0


def due(ctx: Context) -> int:
    from trustjournal.cli import render

    ledger = ctx.journal_now().load_open()  # due shows open promises only: the rest stays undecoded
    overdue = ledger.overdue(ctx.now)
    today = ledger.due_today(ctx.now, ctx.zone)
    checkins = _checkins(ctx, ledger)
    if ctx.args.json:
        ctx.print_json({
            "overdue": [render.promise_json(p, ledger, ctx.now) for p in overdue],
            "due_today": [render.promise_json(p, ledger, ctx.now) for p in today],
            "checkins": [
                {"person": person.id, "name": person.name, "cadence": person.checkin,
                 "due_since": dump_time(since), "last_contact": dump_time(last) if last else None}
                for person, since, last in checkins
            ],
        })
        return 1 if ctx.args.check and overdue else 0
    if overdue:
        ctx.say(f"Overdue ({len(overdue)}):")
        for line in render.promise_lines(overdue, ledger, ctx.now, ctx.zone):
            ctx.say(f"  {line}")
    if today:
        ctx.say(f"Due today ({len(today)}):")
        for line in render.promise_lines(today, ledger, ctx.now, ctx.zone):
            ctx.say(f"  {line}")
    if not overdue and not today:
        ctx.say("Nothing overdue and nothing due today.")
    if checkins:
        ctx.say(f"Check-ins due ({len(checkins)}):")
    for person, since, last in checkins:
        ctx.say(f"  {person.name} — {person.checkin}, due since {ctx.show(since)}; last contact "
                + (ctx.show(last) if last else "never logged"))
    return 1 if ctx.args.check and overdue else 0


def _checkins(ctx: Context, ledger: Ledger) -> list[tuple[Person, datetime, datetime | None]]:
    """Whose check-in is due or missed, longest waiting first, with their last contact."""
    from trustjournal.domain.record import checkins_due

    contacts = ctx.journal().last_contacts()
    due = checkins_due(ledger.people.values(), contacts, ctx.now)
    return [(ledger.people[person_id], since, contacts.get(person_id))
            for person_id, since in sorted(due.items(), key=lambda item: item[1])]


def _close(ctx: Context, change: Callable[[Promise], Promise]) -> tuple[Promise, str]:
    """Apply one follow-through mark; returns the promise and whom it was made to.

    An occurrence of a series that this closes makes the series' next one in the same write.
    """
    from trustjournal.storage.records import PEOPLE, PROMISES

    with ctx.journal().transaction(ctx.now) as tx:
        promise = change(tx.get(PROMISES, ctx.args.id))
        tx.save(promise)
        if promise.series_id is not None:
            series.after_close(ctx, tx, promise)
        return promise, tx.get(PEOPLE, promise.person_id).name


def kept(ctx: Context) -> int:
    at = ctx.now
    if ctx.args.at:
        at = ctx.when(ctx.args.at, prefer="past")
        if at > ctx.now:
            raise InvalidInput("--at is in the future; it says when the promise was kept")
    promise, name = _close(ctx, lambda p: p.kept(at))
    late = promise.lateness
    verdict = f"kept {fmt.span(late)} late" if late else "kept on time"
    ctx.say(f"#{promise.id} to {name}: {verdict} (due {ctx.show(promise.due)}).")
    _followups(ctx)
    return 0


def _followups(ctx: Context) -> None:
    for line in ctx.followups:
        ctx.say(line)


def renegotiate(ctx: Context) -> int:
    new_due = ctx.when(ctx.args.due)
    note = _text(ctx.args.note, "the note", '--note "they moved the review to Monday"')
    promise, name = _close(ctx, lambda p: p.renegotiated(ctx.now, new_due, note))
    last = promise.renegotiations[-1]
    timing = (
        "before it was due"
        if last.early
        else f"{fmt.span(last.at - last.old_due)} after it was due"
    )
    ctx.say(
        f"#{promise.id} to {name}: now due {ctx.show(new_due)} "
        f"(was {ctx.show(last.old_due)}; renegotiated {timing})."
    )
    return 0


def released(ctx: Context) -> int:
    note = _text(ctx.args.note, "the note", '--note "they no longer need it"')
    promise, name = _close(ctx, lambda p: p.released(ctx.now, note))
    ctx.say(f"#{promise.id} to {name}: released.")
    _followups(ctx)
    return 0


def broken(ctx: Context) -> int:
    note = _text(ctx.args.note, "the note", '--note "I ran out of time and did not say so"')
    promise, name = _close(ctx, lambda p: p.broken(ctx.now, note))
    ctx.say(
        f"#{promise.id} to {name}: marked broken. If they don't know yet, tell them plainly, "
        f'then: trustjournal log "{name}" acknowledgement "..."'
    )
    _followups(ctx)
    return 0


# --- journal entries and the rest ----------------------------------------------------------------


def log(ctx: Context) -> int:
    from trustjournal.domain.entry import Entry, EntryKind

    kind = EntryKind.parse(ctx.args.kind)
    text = _text(ctx.args.text, "the entry", 'trustjournal log Dana apology "for missing Friday"')
    with ctx.journal().transaction(ctx.now) as tx:
        from trustjournal.domain.entry import check_answer, feedback_to_answer
        from trustjournal.storage.records import ENTRIES

        person = tx.find_person(ctx.args.name)
        entries = {e.id: e for e in tx.all(ENTRIES)}
        answers = ctx.args.answers
        if answers is None and kind is EntryKind.FEEDBACK_ACTED_ON:
            # What changed because of feedback answers that feedback (practice 7).
            open_feedback = feedback_to_answer(entries.values(), person.id)
            if not open_feedback:
                raise InvalidInput(f"no feedback from {person.name} to act on yet; log it "
                                   f'first: trustjournal log {person.name.split()[0]} '
                                   'feedback-received "wants numbers first"')
            answers = open_feedback[0].id
        entry = Entry(id=0, person_id=person.id, kind=kind, text=text, at=ctx.now,
                      answers=answers)
        check_answer(entry, entries)
        tx.add(entry)
    said = f" (answers #{answers}: {entries[answers].text})" if answers is not None else ""
    ctx.say(f"Logged {kind.label} for {person.name}{said}.")
    return 0


def demo(ctx: Context) -> int:
    from trustjournal.demo import write_demo

    journal = ctx.journal()
    how = "trustjournal" + (f" --db {journal.path}" if ctx.args.db else "")
    if journal.exists() and journal.is_sample():
        # A second run of the set-up line: the sample is there, so open it (or say how).
        if ctx.args.open:
            return open_app(ctx)
        ctx.say(f"A sample journal is already at {journal.path}; open it with: {how}")
        return 0
    count = write_demo(journal, ctx.now, ctx.zone, promises=ctx.args.promises)
    ctx.say(f"Wrote a sample journal with {count} promises to {journal.path}")
    if ctx.args.open:
        return open_app(ctx)
    ctx.say(f"Open it with: {how}")
    return 0


def need_terminal(ctx: Context, what: str) -> None:
    """The full-screen app needs a terminal on both ends: from cron or a pipe it would write
    escape codes into a file and wait for keys that never come."""
    import sys

    if sys.stdin.isatty() and sys.stdout.isatty():
        return
    raise UsageError(
        f"trustjournal: no terminal here, so {what} was not opened (journal: "
        f"{ctx.journal().path}); the commands work anywhere, e.g. trustjournal due, "
        "trustjournal list --json, trustjournal --help"
    )


def open_app(ctx: Context) -> int:
    need_terminal(ctx, "the full-screen app")
    from trustjournal.tui import launch

    return launch(ctx.journal_now(), zone=ctx.zone, clock=ctx.pinned_clock(), config=ctx.config)


COMMANDS: dict[str, Callable[[Context], int]] = {
    "person add": person_add,
    "person list": person_list,
    "person show": person_show,
    "person stance": person_stance,
    "person goal": people.goal_add,
    "commitment add": commitment_add,
    "commitment list": commitment_list,
    "promise": promise_add,
    "list": promise_list,
    "due": due,
    "kept": kept,
    "renegotiate": renegotiate,
    "released": released,
    "broken": broken,
    "log": log,
    "demo": demo,
}


COMMANDS.update(people.COMMANDS)
COMMANDS.update(series.COMMANDS)
COMMANDS.update(manual.COMMANDS)
COMMANDS.update(settings.COMMANDS)
COMMANDS.update(care_commands)


def dispatch(ctx: Context) -> int:
    status = _dispatch(ctx)
    if ctx.warning and status == 0:
        ctx.err.write(ctx.warning + "\n")
    return status


def _dispatch(ctx: Context) -> int:
    a = ctx.args
    if a.command is None:
        return open_app(ctx)
    key = a.command
    sub = getattr(a, f"{a.command}_command", None)
    if sub:
        key = f"{key} {sub}"
    return COMMANDS[key](ctx)
