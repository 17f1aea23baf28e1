"""A person's page: who they are, what they carry, where you stand, and your record with them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from trustjournal.domain import format as fmt
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.person import Person
from trustjournal.domain.promise import Outcome
from trustjournal.domain.record import (
    checkin_due_at,
    follow_through,
    last_contacts,
    percent,
    track_record,
)
from trustjournal.domain.series import SYMBOL
from trustjournal.tui import safe
from trustjournal.tui.commands import bindings

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


class PersonScreen(Screen[None]):
    """Their page, with the keys that act on them; it redraws when the journal changes."""

    SCOPE = "person"
    BINDINGS = bindings("person")

    def __init__(self, flows: Flows, person_id: int) -> None:
        super().__init__()
        self.flows = flows
        self.session = flows.session
        self.ledger = flows.ledger
        self.person_id = person_id

    def on_mount(self) -> None:
        self.watch(self.flows.app, "ledger", self.ledger_changed, init=False)
        self.watch(self.flows.app, "now", self._minute, init=False)

    def _minute(self) -> None:
        self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        person = self.ledger.people[self.person_id]
        with VerticalScroll(id="person-page") as page:
            page.border_title = safe.title(person.name)
            for title, body in self.sections():
                if title:
                    yield Static(Content(title), classes="section-title")
                # Journal text is shown, never obeyed: control characters become visible.
                yield Static(safe.content(body), classes="section")
        yield Footer()

    def ledger_changed(self, ledger: Ledger | None) -> None:
        if ledger is not None and self.person_id in ledger.people:
            self.ledger = ledger
            self.refresh(recompose=True)

    @property
    def person(self) -> Person:
        return self.ledger.people[self.person_id]

    def action_promise(self) -> None:
        self.flows.app.ask(self.flows.promise(self.person))

    def action_entry(self) -> None:
        self.flows.app.ask(self.flows.entry(self.person))

    def action_stance(self) -> None:
        self.flows.app.ask(self.flows.stance(self.person))

    def action_commitment(self) -> None:
        self.flows.app.ask(self.flows.add_commitment(self.person))

    def action_edit(self) -> None:
        self.flows.app.ask(self.flows.edit_person(self.person))

    def action_update(self) -> None:
        self.flows.app.ask(self.flows.update(self.person))

    def action_breach(self) -> None:
        self.flows.app.ask(self.flows.breach(self.person))

    def action_help(self) -> None:
        from trustjournal.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def sections(self) -> list[tuple[str, Content]]:
        ledger, now, zone = self.ledger, self.session.now(), self.session.zone
        person = ledger.people[self.person_id]
        promises = ledger.promises_to(person.id)
        rate = follow_through(promises)
        contact = last_contacts(ledger.entries_for(person.id)).get(person.id)
        next_checkin = checkin_due_at(person, contact)

        head: list[Content | str | tuple[str, str]] = [
            (person.name, "bold"),
            f" · {person.role}" if person.role else "",
            "\n",
            f"Their leader: {ledger.leader_of(person) or 'not noted'}\n",
            f"Needs from you: {person.needs}\n" if person.needs else "",
            "Stance: ",
            (person.stance.value, "bold"),
            "\n",
            f"Follow-through: {'no closed promises yet' if rate is None else f'{rate:.0%}'}",
            f" · {sum(p.is_open for p in promises)} open",
            f" · prefers {person.prefers.value} updates\n",
            "Check-in: ",
        ]
        if not person.checkin:
            head.append("no cadence set (e to edit)")
        else:
            head.append(
                f"{person.checkin}; last contact "
                + (fmt.when(contact, zone, now) if contact else "none logged")
            )
            if next_checkin is not None:
                overdue = next_checkin <= now
                head.append(
                    (
                        "  ◷ due now" if overdue else f"; next {fmt.when(next_checkin, zone, now)}",
                        "bold $text-warning" if overdue else "",
                    )
                )
        if person.trusts:
            head.append("\nTrusts: " + ", ".join(ledger.name_of(i) for i in person.trusts))
        if person.notes:
            head.append(f"\nNotes: {person.notes}")
        sections: list[tuple[str, Content]] = [("", Content.assemble(*head))]

        record = track_record(promises, now)
        sections.append(("Track record with them", Content.assemble(
            f"Follow-through: last 30 days {percent(record.last_30)}, "
            f"last 90 days {percent(record.last_90)} · on-time streak {record.streak}\n",
            "Weekly, last 12 weeks: ", (record.spark.replace(" ", "·"), "bold $accent"),
            ("   (· = nothing closed that week)", "$text-muted"),
        )))

        mine = ledger.repairs_for(person.id)
        if mine:
            entries = ledger.entries_for(person.id)
            blocks = []
            for repair in sorted(mine, key=lambda r: r.at, reverse=True):
                parts: list[Content | str | tuple[str, str]] = [
                    (repair.breach, "bold"),
                    f" — {fmt.when(repair.at, zone, now)} · cause: "
                    + (repair.cause.value if repair.cause else "not named yet"),
                ]
                for step, done_at in repair.checklist(entries):
                    parts.append("\n  ")
                    step_mark = ("✓ ", "$text-success") if done_at else ("☐ ", "bold $text-warning")
                    parts.append(step_mark)
                    parts.append(step.value + (f" ({fmt.when(done_at, zone, now)})" if done_at
                                               else ""))
                blocks.append(Content.assemble(*parts))
            sections.append(("Repairs (f faces a new breach; entries tick the steps)",
                             Content("\n\n").join(blocks)))

        goals: list[Content | str | tuple[str, str]] = []
        for goal in person.goals:
            goals.append((goal.name, "bold"))
            for m in goal.milestones:
                due_text = m.due.strftime("%a %d %b %Y") if m.due else "no date"
                tick = "✓" if m.reached else "·"
                goals.append(f"\n  {tick} {m.name} — {due_text}")
            goals.append("\n")
        sections.append(
            (
                "Their goals and milestones",
                Content.assemble(*goals)
                if goals
                else Content(
                    "None noted yet. Ask them in your next 1:1 what their leader asks of them."
                ),
            )
        )

        history = [
            Content.assemble(
                f"{fmt.when(h.at, zone, now)}  ", (f"{h.stance.value:<10}", "bold"), f" {h.reason}"
            )
            for h in person.stance_history
        ]
        sections.append(
            (
                "Where you stand, over time",
                Content("\n").join(history) if history else Content("No history."),
            )
        )

        commitments = [
            Content(
                f"#{c.id} [{c.status.value}] {c.text}"
                + (f" — serves {c.goal}" if c.goal else "")
                + (f" — measured by {c.measure}" if c.measure else "")
            )
            for c in ledger.commitments_for(person.id)
        ]
        sections.append(
            (
                "Commitments",
                Content("\n").join(commitments) if commitments else Content("None yet."),
            )
        )

        ordered = sorted(promises, key=lambda p: (not p.is_open, p.due))
        rows = []
        for p in ordered:
            mark, style = _OUTCOME_MARK[p.outcome(now)]
            series = ledger.series_of(p)
            rows.append(
                Content.assemble(
                    (f"{mark:<10}", style), f" #{p.id:<5} {fmt.when(p.due, zone, now):<18} ",
                    f"{SYMBOL} {p.text}" if series else p.text,
                    (f" · {series.describe()}", "$text-muted") if series else "",
                )
            )
        sections.append(("Promises", Content("\n").join(rows) if rows else Content("None yet.")))

        entries = ledger.entries_for(person.id)[::-1][:50]
        timeline = [
            Content.assemble(
                f"{fmt.when(e.at, zone, now)}  ", (f"{e.kind.label:<18}", "bold"), f" {e.text}"
            )
            for e in entries
        ]
        sections.append(
            (
                "Journal, newest first",
                Content("\n").join(timeline)
                if timeline
                else Content("Nothing yet. On the main screen, n adds an entry."),
            )
        )
        return sections

    def action_back(self) -> None:
        self.app.pop_screen()
