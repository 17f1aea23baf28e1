"""A person's page, where the method happens: who they are, their goals, what you committed to,
your promises and record with them, whom they trust, your repairs and your journal, each a
section you move between (Tab) and act in, with the same keys as everywhere.

The page follows the app's ledger: any change (here, in the review, from the shell) redraws
each section in place, the row you were on kept where it still is.
"""

from __future__ import annotations

from collections.abc import Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from trustjournal.domain import format as fmt
from trustjournal.domain.commitment import Commitment, CommitmentStatus
from trustjournal.domain.entry import Entry
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.person import Goal, Milestone, Person
from trustjournal.domain.promise import Outcome, Promise
from trustjournal.domain.record import (
    checkin_due_at,
    last_contacts,
    percent,
    rate,
    track_record,
)
from trustjournal.domain.repair import Repair
from trustjournal.domain.series import SYMBOL, Series
from trustjournal.tui import safe
from trustjournal.tui.acts import MilestoneOf
from trustjournal.tui.commands import bindings
from trustjournal.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from trustjournal.tui.flows import Flows

_OUTCOME_MARK = {
    Outcome.OVERDUE: ("! OVERDUE", "bold $text-error"),
    Outcome.OPEN: ("  open", ""),
    Outcome.KEPT: ("✓ kept", "$text-success"),
    Outcome.KEPT_LATE: ("✓ late", "$text-muted"),
    Outcome.RELEASED: ("○ released", "$text-muted"),
    Outcome.BROKEN: ("✗ broken", "bold $text-error"),
}

Part = Content | str | tuple[str, str]


@dataclass(frozen=True, slots=True)
class Row:
    """What a row of a section is about: its kind and the record (or part of one) it shows."""

    kind: str
    """"leader", "goal", "milestone", "commitment", "promise", "trusts", "trusted-by",
    "repair", "entry", "profile"."""
    goal: Goal | None = None
    milestone: Milestone | None = None
    commitment: Commitment | None = None
    promise: Promise | None = None
    other: Person | None = None
    entry: Entry | None = None
    repair: Repair | None = None


class Section(OptionList):
    """One section of the page: a list of rows you can move along and act on."""

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(id=id, classes="person-section", compact=True)
        self.border_title = title
        self.rows: list[Row] = []

    def show(self, rows: list[tuple[Row, Content]], empty: str) -> None:
        """Replace the rows, keeping the highlight on the same record when it is still here."""
        keep = self.highlighted_option.id if self.highlighted_option is not None else None
        self.rows = [row for row, _ in rows]
        options = [Option(safe.content(prompt), id=str(n)) for n, (_, prompt) in
                   enumerate(rows)]
        if not options:
            options = [Option(Content.styled(empty, "$text-muted"), disabled=True)]
        old_keys = getattr(self, "_keys", [])
        self._keys = [_key(row) for row in self.rows]
        self.set_options(options)
        if keep is not None and keep.isdigit() and int(keep) < len(old_keys):
            wanted = old_keys[int(keep)]
            if wanted in self._keys:
                self.highlighted = self._keys.index(wanted)
                return
        self.highlighted = 0 if self.rows else None

    # Down from a section's last row goes on to the next section, up from its first back to
    # the one before: the page reads as one list (an OptionList alone wraps around to its
    # own first row).

    def action_cursor_down(self) -> None:
        if self.highlighted is None or self.highlighted >= len(self.rows) - 1:
            self._step_section(1)
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.highlighted is None or self.highlighted <= 0:
            self._step_section(-1)
        else:
            super().action_cursor_up()

    def _step_section(self, step: int) -> None:
        sections = list(self.screen.query(Section))
        index = sections.index(self) + step
        if not 0 <= index < len(sections):
            return  # the page's first or last row: stay
        section = sections[index]
        section.focus()
        if section.rows:
            section.highlighted = 0 if step > 0 else len(section.rows) - 1

    @property
    def row(self) -> Row | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.rows):
            return None
        return self.rows[index]


def _key(row: Row) -> tuple[object, ...]:
    return (row.kind, row.goal.name if row.goal else None,
            row.milestone.name if row.milestone else None,
            row.commitment.id if row.commitment else None,
            row.promise.id if row.promise else None, row.other.id if row.other else None,
            row.entry.id if row.entry else None, row.repair.id if row.repair else None)


class PersonScreen(Screen[None]):
    """Their page, with the keys that act on them and on the row you are on."""

    SCOPE = "person"
    BINDINGS = bindings("person")

    def __init__(self, flows: Flows, person_id: int) -> None:
        super().__init__()
        self.flows = flows
        self.session = flows.session
        self.ledger = flows.ledger
        self.person_id = person_id
        self._armed: str | None = None
        """The goal whose milestones a first delete warned would go with it: a second
        delete, on the same row and before the highlight moves, removes it."""

    # --- layout

    def compose(self) -> ComposeResult:
        # Who they are and where you stand stay in view while the sections scroll.
        yield Static(id="person-head")
        with VerticalScroll(id="person-page", can_focus=False) as page:
            page.border_title = safe.title(self.person.name)
            yield Section("Profile — e edits · enter on their leader opens their page",
                          id="s-profile")
            yield Static(id="person-record", classes="person-block")
            yield Static(id="person-stance", classes="person-block")
            yield Section("Their goals and milestones — g goal · m milestone · y reached",
                          id="s-goals")
            yield Section("Commitments — c adds · n progress · m milestone · y done · x drops",
                          id="s-commitments")
            yield Section("Promises — k kept · r renegotiate · b broken · x released",
                          id="s-promises")
            yield Section("Trust — t: whom they trust · enter opens · delete removes",
                          id="s-trusts")
            yield Section("Repairs — f faces a breach · n logs the steps · e names the cause",
                          id="s-repairs")
            yield Section("Journal, newest first — n adds · e edits · delete removes",
                          id="s-journal")
        yield KeyBar()

    def on_mount(self) -> None:
        self.draw()
        self.query_one("#s-promises", Section).focus()
        self.watch(self.flows.app, "ledger", self.ledger_changed, init=False)
        self.watch(self.flows.app, "now", self._minute, init=False)

    def _minute(self) -> None:
        self.draw()

    def ledger_changed(self, ledger: Ledger | None) -> None:
        if ledger is not None and self.person_id in ledger.people:
            self.ledger = ledger
            self.draw()

    @property
    def person(self) -> Person:
        return self.ledger.people[self.person_id]

    # --- drawing

    def draw(self) -> None:
        ledger, now, zone = self.ledger, self.session.now(), self.session.zone
        person = self.person
        self.query_one("#person-page").border_title = safe.title(person.name)
        promises = ledger.promises_to(person.id)
        entries = ledger.entries_for(person.id)
        self.query_one("#person-head", Static).update(safe.content(self._head(person, now)))
        record = track_record(promises, now)
        self.query_one("#person-record", Static).update(safe.content(Content.assemble(
            ("Track record with them  ", "bold $accent"),
            f"last 30 days {percent(record.last_30)}, last 90 days {percent(record.last_90)}"
            f" · on-time streak {record.streak} · weekly ",
            (record.spark.replace(" ", "·"), "bold $accent"),
            ("  (· = nothing closed that week)", "$text-muted"))))
        history = [Content.assemble(f"{fmt.when(h.at, zone, now)}  ",
                                    (f"{h.stance.value:<10}", "bold"), f" {h.reason}")
                   for h in person.stance_history]
        self.query_one("#person-stance", Static).update(safe.content(Content.assemble(
            ("Where you stand, over time\n", "bold $accent"),
            Content("\n").join(history) if history else "No history.")))

        self._section("s-profile", self._profile(person), "")
        self._section("s-goals", self._goals(person),
                      "None noted yet. g adds one: ask them what their leader asks of them.")
        self._section("s-commitments", self._commitments(person),
                      "None yet. c adds what you will do to serve their goals.")
        self._section("s-promises", self._promises(promises),
                      "None yet. p logs a promise to them.")
        self._section("s-trusts", self._trusts(person),
                      "Nobody noted. t adds someone whose word carries weight with them.")
        self._section("s-repairs", self._repairs(person, entries),
                      "No breaches named. f faces one when it happens.")
        self._section("s-journal", self._journal(entries),
                      "Nothing yet. n adds a check-in, feedback, an apology…")
        self.refresh_bindings()

    def _section(self, id: str, rows: list[tuple[Row, Content]], empty: str) -> None:
        self.query_one(f"#{id}", Section).show(rows, empty)

    def _head(self, person: Person, now: Any) -> Content:
        ledger, zone = self.ledger, self.session.zone
        promises = ledger.promises_to(person.id)
        figure = rate(promises, now)
        contact = last_contacts(ledger.entries_for(person.id)).get(person.id)
        next_checkin = checkin_due_at(person, contact)
        parts: list[Part] = [
            (person.name, "bold"), f" · {person.role}" if person.role else "", "   Stance: ",
            (person.stance.value, "bold"), "\nFollow-through: ",
            "no promises counted yet" if figure.value is None else f"{figure.value:.0%}",
        ]
        if figure.overdue:
            weigh = "weighs" if figure.overdue == 1 else "weigh"
            parts.append((f" ({figure.overdue} overdue {weigh} on it, at what "
                          f"{'it' if figure.overdue == 1 else 'they'} would earn if kept now)",
                          "bold $text-error"))
        parts.append(f" · {sum(p.is_open for p in promises)} open · Check-in: ")
        if not person.checkin:
            parts.append("no cadence set (e to edit)")
        else:
            parts.append(f"{person.checkin}; last contact "
                         + (fmt.when(contact, zone, now) if contact else "none logged"))
            if next_checkin is not None:
                due = next_checkin <= now
                parts.append(("  ◷ due now" if due else
                              f"; next {fmt.when(next_checkin, zone, now)}",
                              "bold $text-warning" if due else ""))
        return Content.assemble(*parts)

    def _profile(self, person: Person) -> list[tuple[Row, Content]]:
        ledger = self.ledger
        leader = ledger.people.get(person.leader_id) if person.leader_id is not None else None
        rows: list[tuple[Row, Content]] = [
            (Row("leader", other=leader), Content.assemble(
                (f"{'Their leader':<16}", "bold"),
                (f"{leader.name} →", "underline") if leader else (person.leader or
                                                                  "not noted (e adds)"))),
            (Row("profile"), Content.assemble((f"{'Needs from you':<16}", "bold"),
                                              person.needs or "not noted (e adds)")),
            (Row("profile"), Content.assemble((f"{'Updates by':<16}", "bold"),
                                              person.prefers.value)),
        ]
        notes = person.notes.strip()
        rows.append((Row("profile"), Content.assemble(
            (f"{'Notes':<16}", "bold"), notes.replace("\n", "\n" + " " * 16)
            if notes else "none (e adds)")))
        return rows

    def _goals(self, person: Person) -> list[tuple[Row, Content]]:
        rows: list[tuple[Row, Content]] = []
        for goal in person.goals:
            due = f" — by {fmt.day(goal.due)}" if goal.due else ""
            rows.append((Row("goal", goal=goal), Content.assemble((goal.name, "bold"), due)))
            for m in goal.milestones:
                rows.append((Row("milestone", goal=goal, milestone=m), _milestone(m)))
        return rows

    def _commitments(self, person: Person) -> list[tuple[Row, Content]]:
        rows: list[tuple[Row, Content]] = []
        for c in self.ledger.commitments_for(person.id):
            status = ("", "") if c.status is CommitmentStatus.ACTIVE else (
                f" [{c.status.value}]", "$text-muted")
            rows.append((Row("commitment", commitment=c), Content.assemble(
                (f"#{c.id} {c.text}", "bold"), status,
                (f" — serves {c.goal}" if c.goal else "", ""),
                (f"\n    measured by {c.measure}" if c.measure else "", "$text-muted"),
                *[part for note in c.progress[-3:] for part in (
                    "\n    ", ("↗ ", "$text-success"),
                    f"{fmt.when(note.at, self.session.zone, self.session.now())}  {note.text}")],
            )))
            for m in c.milestones:
                rows.append((Row("milestone", commitment=c, milestone=m), _milestone(m)))
        return rows

    def _promises(self, promises: list[Promise]) -> list[tuple[Row, Content]]:
        now, zone = self.session.now(), self.session.zone
        rows: list[tuple[Row, Content]] = []
        width = max((len(str(p.id)) for p in promises), default=1) + 1
        for p in sorted(promises, key=lambda p: (not p.is_open, p.due)):
            mark, style = _OUTCOME_MARK[p.outcome(now)]
            series = self.ledger.series_of(p)
            rows.append((Row("promise", promise=p), Content.assemble(
                (f"{mark:<10}", style), f" {'#' + str(p.id):<{width}} ",
                f"{fmt.when(p.due, zone, now):<18} ",
                f"{SYMBOL} {p.text}" if series else p.text,
                (f" · {series.describe()}", "$text-muted") if series else "")))
        return rows

    def _trusts(self, person: Person) -> list[tuple[Row, Content]]:
        ledger = self.ledger
        rows: list[tuple[Row, Content]] = []
        for other_id in person.trusts:
            other = ledger.people.get(other_id)
            if other is not None:
                rows.append((Row("trusts", other=other), Content.assemble(
                    ("Trusts      ", "bold"), other.name,
                    (f" · {other.stance.value}", "$text-muted"))))
        for other in ledger.trusted_by(person.id):
            rows.append((Row("trusted-by", other=other), Content.assemble(
                ("Trusted by  ", "bold"), other.name,
                (f" · {other.stance.value}", "$text-muted"))))
        return rows

    def _repairs(self, person: Person, entries: list[Entry]) -> list[tuple[Row, Content]]:
        now, zone = self.session.now(), self.session.zone
        rows: list[tuple[Row, Content]] = []
        for repair in sorted(self.ledger.repairs_for(person.id), key=lambda r: r.at,
                             reverse=True):
            parts: list[Part] = [
                (repair.breach, "bold"),
                f" — {fmt.when(repair.at, zone, now)} · cause: "
                + (repair.cause.value if repair.cause else "not named yet"),
            ]
            for step, done_at in repair.checklist(entries):
                parts.append("\n  ")
                parts.append(("✓ ", "$text-success") if done_at else ("☐ ", "bold $text-warning"))
                parts.append(step.value + (f" ({fmt.when(done_at, zone, now)})" if done_at
                                           else ""))
            rows.append((Row("repair", repair=repair), Content.assemble(*parts)))
        return rows

    def _journal(self, entries: list[Entry]) -> list[tuple[Row, Content]]:
        now, zone = self.session.now(), self.session.zone
        return [(Row("entry", entry=e), Content.assemble(
            f"{fmt.when(e.at, zone, now):<18} ", (f"{e.kind.label:<18}", "bold"), f" {e.text}"))
            for e in entries[::-1][:200]]

    # --- what is selected

    def _row(self) -> Row | None:
        focused = self.focused
        return focused.row if isinstance(focused, Section) else None

    def _promise(self) -> Promise | None:
        row = self._row()
        return row.promise if row is not None else None

    def _series(self) -> Series | None:
        promise = self._promise()
        return self.ledger.series_of(promise) if promise is not None else None

    def action_change_series(self) -> None:
        series = self._series()
        if series is not None and series.is_active:
            self._ask(self.flows.change_series(series))

    def action_stop_series(self) -> None:
        series = self._series()
        if series is not None and series.is_active:
            self._ask(self.flows.stop_series(series))

    def _commitment(self) -> Commitment | None:
        row = self._row()
        return row.commitment if row is not None and row.kind == "commitment" else None

    def _milestone_of(self) -> tuple[MilestoneOf, Milestone | None] | None:
        """The goal or commitment a milestone key acts on, and the milestone when on one."""
        row = self._row()
        person = self.person
        if row is None:
            if len(person.goals) == 1:
                return MilestoneOf(person, goal=person.goals[0].name), None
            return None
        if row.goal is not None:
            return MilestoneOf(person, goal=row.goal.name), row.milestone
        if row.commitment is not None:
            return MilestoneOf(person, commitment_id=row.commitment.id), row.milestone
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("kept", "renegotiate", "broken"):
            promise = self._promise()
            return True if promise is not None and promise.is_open else None
        if action == "released":
            promise, commitment = self._promise(), self._commitment()
            if commitment is not None:
                return True if commitment.status is CommitmentStatus.ACTIVE else None
            return True if promise is not None and promise.is_open else None
        if action in ("change_series", "stop_series"):
            series = self._series()
            return True if series is not None and series.is_active else None
        if action == "reached":
            row = self._row()
            return True if row is not None and (row.milestone is not None or row.kind ==
                                                "commitment") else None
        if action == "milestone":
            return True if self._milestone_of() is not None else None
        if action == "remove":
            row = self._row()
            return True if row is not None and row.kind in (
                "goal", "milestone", "trusts", "trusted-by", "entry") else None
        return True

    def why_not(self, action: str, parameters: tuple[object, ...]) -> str | None:
        if action in ("kept", "renegotiate", "broken", "released"):
            promise = self._promise()
            if promise is not None:
                return f"#{promise.id} is closed already; only an open promise can change."
            commitment = self._commitment()
            if action == "released" and commitment is not None:
                return f"Commitment #{commitment.id} is {commitment.status.value} already."
            return ("Pick an open promise first: tab to Promises, then ↑↓"
                    + (" (or a commitment, to drop it)." if action == "released" else "."))
        if action in ("change_series", "stop_series"):
            return "Pick an occurrence of a recurring promise (↻) in Promises first."
        if action == "reached":
            return "Pick a milestone (in goals or commitments) or a commitment first: tab, ↑↓."
        if action == "milestone":
            return "Pick the goal or the commitment it belongs to first: tab to it, ↑↓."
        if action == "remove":
            return "Pick a goal, a milestone, a trust or a journal entry to remove."
        return None

    # --- acting

    def _ask(self, flow: Coroutine[Any, Any, bool]) -> None:
        self.flows.app.ask(flow)

    def action_promise(self) -> None:
        self._ask(self.flows.promise(self.person))

    def action_entry(self) -> None:
        """n: a journal entry; on a commitment, a progress note against its measure."""
        commitment = self._commitment()
        if commitment is not None and commitment.status is CommitmentStatus.ACTIVE:
            self._ask(self.flows.progress(commitment))
            return
        self._ask(self.flows.entry(self.person))

    def action_stance(self) -> None:
        self._ask(self.flows.stance(self.person))

    def action_commitment(self) -> None:
        self._ask(self.flows.add_commitment(self.person))

    def action_update(self) -> None:
        self._ask(self.flows.update(self.person))

    def action_brief(self) -> None:
        from trustjournal.domain.brief import compose_brief
        from trustjournal.tui.screens.brief import BriefScreen

        person = self.person
        markdown = compose_brief(self.ledger, person.id, self.session.now(), self.session.zone)
        self.app.push_screen(BriefScreen(person.name, markdown))

    def action_breach(self) -> None:
        self._ask(self.flows.breach(self.person))

    def action_goal(self) -> None:
        self._ask(self.flows.add_goal(self.person))

    def action_trust(self) -> None:
        self._ask(self.flows.add_trust(self.person))

    def action_kept(self) -> None:
        promise = self._promise()
        if promise is not None:
            self._ask(self.flows.keep(promise))

    def action_renegotiate(self) -> None:
        promise = self._promise()
        if promise is not None:
            self._ask(self.flows.renegotiate(promise))

    def action_broken(self) -> None:
        promise = self._promise()
        if promise is not None:
            self._ask(self.flows.broken(promise))

    def action_released(self) -> None:
        """x: a promise they released you from, or a commitment you drop (saying why)."""
        commitment = self._commitment()
        if commitment is not None:
            self._ask(self.flows.drop_commitment(commitment))
            return
        promise = self._promise()
        if promise is not None:
            self._ask(self.flows.released(promise))

    def action_reached(self) -> None:
        """y: a milestone reached (or, on a reached one, not after all); a commitment done."""
        row = self._row()
        if row is None:
            return
        if row.kind == "commitment" and row.commitment is not None:
            self._ask(self.flows.finish_commitment(row.commitment))
            return
        found = self._milestone_of()
        if found is not None and found[1] is not None:
            self._ask(self.flows.reach_milestone(found[0], found[1]))

    def action_milestone(self) -> None:
        found = self._milestone_of()
        if found is not None:
            self._ask(self.flows.add_milestone(found[0]))

    def action_edit(self) -> None:
        """e edits what you are on: a goal, a milestone, a commitment, a promise, an entry;
        anywhere else, the person."""
        row = self._row()
        person = self.person
        if row is not None and row.repair is not None:
            self._ask(self.flows.name_cause(row.repair))
        elif row is None or row.kind in ("leader", "profile", "trusts", "trusted-by"):
            self._ask(self.flows.edit_person(person))
        elif row.milestone is not None:
            found = self._milestone_of()
            if found is not None:
                self._ask(self.flows.edit_milestone(found[0], row.milestone))
        elif row.goal is not None:
            self._ask(self.flows.edit_goal(person, row.goal))
        elif row.commitment is not None:
            self._ask(self.flows.edit_commitment(person, row.commitment))
        elif row.promise is not None:
            self._ask(self.flows.reword(row.promise))
        elif row.entry is not None:
            self._ask(self.flows.edit_entry(row.entry))

    def action_remove(self) -> None:
        row = self._row()
        if row is None:
            return
        app, person = self.flows.app, self.person
        from trustjournal.tui import acts

        now = self.session.now()
        if row.milestone is not None:
            found = self._milestone_of()
            if found is not None:
                app.perform(acts.RemoveMilestone(where=found[0], milestone=row.milestone.name,
                                                 at=now))
        elif row.goal is not None:
            count = len(row.goal.milestones)
            if count and self._armed != row.goal.name:
                self._armed = row.goal.name
                safe.say(self, f"{row.goal.name} has {count} milestone"
                         f"{'s' if count != 1 else ''}: they go with it. Delete again removes "
                         "the goal and them (ctrl+z brings them back).", severity="warning")
                return
            self._armed = None
            app.perform(acts.RemoveGoal(person=person, goal=row.goal.name, at=now))
        elif row.kind == "trusts" and row.other is not None:
            app.perform(acts.Trust(person=person, other=row.other, trusts=False, at=now))
        elif row.kind == "trusted-by" and row.other is not None:
            app.perform(acts.Trust(person=row.other, other=person, trusts=False, at=now))
        elif row.entry is not None:
            app.perform(acts.RemoveEntry(entry=row.entry, at=now))

    def action_undo(self) -> None:
        self.flows.app.action_undo()

    @on(OptionList.OptionSelected)
    def _enter(self, event: OptionList.OptionSelected) -> None:
        """Enter on their leader, or on someone in their trust, opens that person's page."""
        section = event.option_list
        if not isinstance(section, Section):
            return
        row = section.row
        if row is not None and row.other is not None:
            self.app.push_screen(PersonScreen(self.flows, row.other.id))
        elif row is not None and row.kind == "leader":
            words = " ".join(self.person.leader.split(",")[0].split()).casefold()
            named = [p for p in self.ledger.people.values() if p.name.casefold() == words]
            if len(named) == 1:  # written as words, but a person in the journal: open them
                self.app.push_screen(PersonScreen(self.flows, named[0].id))
                return
            safe.say(self, "Their leader is not a person in the journal: add them (a on the "
                     "main screen), then e here links them.", severity="warning")

    @on(OptionList.OptionHighlighted)
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        self._armed = None
        self.refresh_bindings()

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_help(self) -> None:
        from trustjournal.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_back(self) -> None:
        self.app.pop_screen()


def _milestone(m: Milestone) -> Content:
    due = f" — due {fmt.day(m.due)}" if m.due else " — no date"
    if m.reached:
        meeting = ""
        if m.leader_meeting is not None:
            meeting = f" · leader meeting {m.leader_meeting.answer.value}" + (
                f" for {fmt.day(m.leader_meeting.on)}" if m.leader_meeting.on else "")
        return Content.assemble("  ", ("✓ ", "$text-success"), m.name,
                                (f" — reached {fmt.day(m.reached)}{meeting}", "$text-muted"))
    return Content.assemble("  · ", m.name, due)
