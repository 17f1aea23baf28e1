"""The screen a person opens every morning: people, the promise ledger, commitments."""

from __future__ import annotations

from collections.abc import Coroutine
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, Static

from trustjournal.domain import format as fmt
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.person import Person
from trustjournal.domain.promise import Promise
from trustjournal.domain.series import SYMBOL, Series
from trustjournal.tui import safe
from trustjournal.tui.commands import bindings, welcome
from trustjournal.tui.rows import (
    Board,
    build_board,
    commitment_rows,
    promise_rows,
    widest_id,
)
from trustjournal.tui.screens.help import HelpScreen
from trustjournal.tui.widgets.filter_input import FilterInput
from trustjournal.tui.widgets.keybar import KeyBar
from trustjournal.tui.widgets.panes import CommitmentList, PeopleList, PromiseLedger
from trustjournal.tui.widgets.rowlist import RowList

if TYPE_CHECKING:
    from trustjournal.tui.app import TrustJournalApp
    from trustjournal.tui.flows import Flows
    from trustjournal.tui.session import Session


_NEED_HISTORY = frozenset({"review", "insights", "open_person", "entry", "add_commitment",
                           "edit", "toggle_closed", "undo"})
"""What needs every record, not only the first frame's people and open promises."""


class MainScreen(Screen[None]):
    SCOPE = "main"
    BINDINGS = bindings("main")

    def __init__(self, session: Session, *, start_review: bool = False) -> None:
        super().__init__()
        self.start_review = start_review
        self.session = session
        self.ledger: Ledger | None = None
        """The app's ledger as last drawn (or shown ahead of a save)."""
        self.board: Board | None = None
        self.person_id: int | None = None
        self.show_closed = False
        self.query_text = ""
        self._rows_shown = 0

    # --- layout

    def compose(self) -> ComposeResult:
        yield Static(Content("Opening the journal…"), id="summary")
        with ContentSwitcher(initial="board", id="switcher"):
            yield Static(welcome(), id="welcome")
            with Horizontal(id="board"):
                people = PeopleList(id="people")
                people.border_title = "People"
                yield people
                with Vertical(id="right"):
                    ledger = PromiseLedger(id="ledger")
                    ledger.border_title = "Promise ledger"
                    yield ledger
                    filter_input = FilterInput(
                        placeholder="filter the ledger: words in the promise "
                        "or the name (esc clears)",
                        id="filter",
                    )
                    filter_input.cursor_blink = False
                    yield filter_input
                    commitments = CommitmentList(id="commitments")
                    commitments.border_title = "Commitments"
                    yield commitments
        yield KeyBar()

    def on_resize(self) -> None:
        narrow = self.size.width < 100
        if narrow == self.has_class("-narrow"):
            return  # restyling the whole screen costs a frame; only do it when it changes
        self.set_class(narrow, "-narrow")

    @property
    def app_(self) -> TrustJournalApp:
        return cast("TrustJournalApp", self.app)

    @property
    def flows(self) -> Flows:
        return self.app_.flows

    def on_mount(self) -> None:
        self.query_one("#filter").display = False
        self.query_one("#ledger", PromiseLedger).focus()
        app = self.app_
        self.watch(app, "ledger", self._ledger_changed)
        self.watch(app, "now", self._minute, init=False)
        self.watch(app, "load_error", self._load_failed, init=False)

    # --- the journal, as the app holds it

    def _ledger_changed(self, ledger: Ledger | None) -> None:
        if ledger is None:
            return
        first = self.ledger is None
        self.ledger = ledger
        self.redraw()
        if first and ledger.people:
            self.query_one("#ledger", PromiseLedger).focus()
            if self.start_review:
                self.start_review = False
                self.action_review()

    def _minute(self, now: datetime) -> None:
        self.redraw()

    def _load_failed(self, error: str | None) -> None:
        if error is None:
            self.query_one("#summary").set_class(False, "-error")
            return
        self.query_one("#summary", Static).update(
            Content.assemble(("✗ ", "bold"), safe.line(error)))
        self.query_one("#summary").set_class(True, "-error")
        welcome = self.query_one("#welcome", Static)
        welcome.update(
            Content.assemble(
                ("The journal could not be opened.\n\n", "bold"),
                safe.lines(error),
                "\n\nNothing was changed. Press q to quit.",
            )
        )
        self.query_one("#switcher", ContentSwitcher).current = "welcome"

    # --- drawing

    def redraw(self) -> None:
        if self.ledger is None:
            return
        now = self.session.now()
        self.board = build_board(self.ledger, now, self.session.zone)
        switcher = self.query_one("#switcher", ContentSwitcher)
        switcher.current = "board" if self.ledger.people else "welcome"
        people = self.query_one("#people", PeopleList)
        people.set_items(self.board.people, keep=self.person_id)
        self._redraw_right()
        self._redraw_summary()
        self.refresh_bindings()  # what the keys can act on may have changed with the journal

    def _redraw_right(self) -> None:
        assert self.ledger is not None
        now = self.session.now()
        ledger_pane = self.query_one("#ledger", PromiseLedger)
        ledger_pane.now, ledger_pane.zone = now, self.session.zone
        ledger_pane.widest_id = widest_id(self.ledger)
        current = ledger_pane.current
        rows = promise_rows(
            self.ledger,
            now,
            self.session.zone,
            person_id=self.person_id,
            show_closed=self.show_closed,
            query=self.query_text,
        )
        ledger_pane.show_to = self.person_id is None
        ledger_pane.empty_message = (
            "Nothing matches the filter."
            if self.query_text
            else "No open promises here. Press p to log one."
        )
        ledger_pane.set_items(rows, keep=current.promise.id if current else None)
        who = self.ledger.name_of(self.person_id) if self.person_id is not None else "everyone"
        scope = "open and closed" if self.show_closed else "open"
        ledger_pane.border_title = safe.title(f"Promise ledger — {who}, {scope}")
        self._rows_shown = len(rows)
        self._ledger_subtitle()
        commitments = self.query_one("#commitments", CommitmentList)
        commitments.show_to = self.person_id is None
        commitments.set_items(commitment_rows(self.ledger, self.person_id))
        commitments.border_title = safe.title(f"Commitments — {who}")

    def _redraw_summary(self) -> None:
        assert self.ledger is not None and self.board is not None
        now = self.session.now()
        overdue = self.board.summary.overdue
        today = self.board.summary.due_today
        checkins = self.board.summary.checkins_due
        parts: list[Content | str | tuple[str, str]] = [
            (f" {fmt.when(now, self.session.zone)} ", "bold"),
            "  ",
        ]
        parts.append((f"! {overdue} overdue", "bold $text-error") if overdue else "0 overdue")
        parts.append("   ")
        parts.append((f"• {today} due today", "bold $text-warning") if today else "0 due today")
        parts.append("   ")
        if not self.session.complete:
            parts.append(("reading the history…", "$text-muted"))
        else:
            parts.append((f"◷ {checkins} check-ins due", "$text-warning") if checkins
                         else "no check-ins due")
        unsaved = self.session.unsaved
        if unsaved and self.session.stalled:
            what = ", ".join(safe.line(p.description) for p in unsaved[:3])
            if len(unsaved) > 3:
                what += f" and {len(unsaved) - 3} more"
            count = "1 change" if len(unsaved) == 1 else f"{len(unsaved)} changes"
            parts.append("   ")
            parts.append((f"NOT SAVED: {count} ({what}) — ctrl+s retries",
                          "bold reverse $text-error"))
        notice = self.session.notice
        if notice:
            parts.append("\n")
            parts.append((f"✗ {safe.line(notice)}", "bold $text-error"))
        summary = self.query_one("#summary", Static)
        summary.update(Content.assemble(*parts))
        summary.set_class(bool(notice), "-error")

    # --- selection

    def _ledger_subtitle(self) -> None:
        """How many rows, and the series keys while an occurrence of a series is selected."""
        series = self._selected_series()
        keys = (f"{SYMBOL} R changes · X stops the series · " if series is not None
                and series.is_active else "")
        self.query_one("#ledger", PromiseLedger).border_subtitle = (
            f"{keys}{self._rows_shown} shown · t: {'hide' if self.show_closed else 'show'} closed"
        )

    @on(RowList.Highlighted, "#ledger")
    def _promise_highlighted(self, message: RowList.Highlighted) -> None:
        self._ledger_subtitle()
        self.refresh_bindings()  # k r b x act on an open promise only

    @on(RowList.Highlighted, "#people")
    def _person_highlighted(self, message: RowList.Highlighted) -> None:
        if self.board is None or not self.board.people:
            return
        row = self.board.people[message.index] if message.index < len(self.board.people) else None
        person_id = row.person.id if row and row.person else None
        if person_id != self.person_id:
            self.person_id = person_id
            self._redraw_right()
            self.refresh_bindings()  # an entry or a commitment needs a person

    @on(RowList.Selected, "#people")
    def _person_selected(self, message: RowList.Selected) -> None:
        self.action_open_person()

    def action_open_person(self) -> None:
        if not self.session.complete:
            safe.say(self, "Still reading the journal's history; a moment.", severity="warning")
            return
        person = self._selected_person()
        if person is None or self.ledger is None:
            safe.say(self, "Pick a person first: ↑↓ in People (Everyone is selected).",
                     severity="warning")
            return
        from trustjournal.tui.screens.person import PersonScreen

        self.app.push_screen(PersonScreen(self.flows, person.id))

    def _selected_person(self) -> Person | None:
        if self.ledger is None or self.person_id is None:
            return None
        return self.ledger.people.get(self.person_id)

    def _selected_promise(self) -> Promise | None:
        row = self.query_one("#ledger", PromiseLedger).current
        return row.promise if row else None

    def _selected_series(self) -> Series | None:
        promise = self._selected_promise()
        if promise is None or self.ledger is None:
            return None
        return self.ledger.series_of(promise)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """False hides a key from the footer, None dims it; either way, pressing it says why
        (`why_not`, through the app's `run_action`)."""
        if action in ("kept", "renegotiate", "broken", "released"):
            promise = self._selected_promise()
            return True if promise is not None and promise.is_open else None
        if action in _NEED_HISTORY and not self.session.complete:
            return None  # the first frame holds only people and open promises
        if action in ("change_series", "stop_series"):
            # Only on an occurrence of a series still running; hidden otherwise.
            series = self._selected_series()
            return series is not None and series.is_active
        if action == "review":
            return self.ledger is not None and bool(self.ledger.people)
        if action in ("entry", "add_commitment", "open_person"):
            return True if self._selected_person() is not None else None
        if action == "retry":
            return bool(self.session.unsaved)
        if action in ("promise", "insights"):
            return True if self.ledger is not None else None
        return True

    def why_not(self, action: str, parameters: tuple[object, ...]) -> str | None:
        """Why a key the footer dims or hides cannot act now, in a line to show."""
        if self.ledger is None:
            return "The journal is still opening; try again in a moment."
        if action in ("kept", "renegotiate", "broken", "released"):
            promise = self._selected_promise()
            if promise is None:
                return "Pick a promise first: tab to the Promise ledger, then ↑↓."
            return f"#{promise.id} is closed already; only an open promise can change."
        if action in _NEED_HISTORY and not self.session.complete:
            return "Still reading the journal's history; a moment."
        if action in ("change_series", "stop_series"):
            return "Select an occurrence of a recurring promise (↻) first."
        if action == "review":
            return "Add a person first: press a."
        if action in ("entry", "add_commitment", "open_person"):
            return "Pick a person first: ↑↓ in People (Everyone is selected)."
        if action == "retry":
            return "Nothing waits to be saved."
        return None

    # --- the daily moments: each starts a flow (flows.py) that ends in one act

    def _ask(self, flow: Coroutine[Any, Any, bool]) -> None:
        self.app_.ask(flow)

    def action_promise(self) -> None:
        if self.ledger is None:
            return
        self._ask(self.flows.promise(self._selected_person()))

    def action_kept(self) -> None:
        promise = self._selected_promise()
        if promise is not None:
            self._ask(self.flows.keep(promise))

    def action_broken(self) -> None:
        promise = self._selected_promise()
        if promise is not None:
            self._ask(self.flows.broken(promise))

    def action_released(self) -> None:
        promise = self._selected_promise()
        if promise is not None:
            self._ask(self.flows.released(promise))

    def action_renegotiate(self) -> None:
        promise = self._selected_promise()
        if promise is not None:
            self._ask(self.flows.renegotiate(promise))

    def action_change_series(self) -> None:
        series = self._selected_series()
        if series is not None and series.is_active:
            self._ask(self.flows.change_series(series))

    def action_stop_series(self) -> None:
        series = self._selected_series()
        if series is not None and series.is_active:
            self._ask(self.flows.stop_series(series))

    def action_entry(self) -> None:
        person = self._selected_person()
        if person is not None:
            self._ask(self.flows.entry(person))

    def action_add_person(self) -> None:
        self._ask(self.flows.add_person())

    def action_add_commitment(self) -> None:
        person = self._selected_person()
        if person is not None:
            self._ask(self.flows.add_commitment(person))

    def action_edit(self) -> None:
        focused = self.focused
        if isinstance(focused, PeopleList):
            person = self._selected_person()
            if person is None:
                safe.say(self, "Pick a person first: ↑↓ in People (Everyone is selected).",
                         severity="warning")
                return
            self._ask(self.flows.edit_person(person))
            return
        if isinstance(focused, CommitmentList):
            row = focused.current
            if row is not None and self.ledger is not None:
                owner = self.ledger.people.get(row.commitment.person_id)
                if owner is not None:
                    self._ask(self.flows.edit_commitment(owner, row.commitment))
                    return
            safe.say(self, "No commitment here to edit: c adds one for the selected person.",
                     severity="warning")
            return
        promise = self._selected_promise()
        if promise is None:
            safe.say(self, "Nothing selected to edit: pick a person in People, a promise in "
                     "the ledger or a commitment.", severity="warning")
            return
        self._ask(self.flows.reword(promise))

    # --- looking around

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        if self.ledger is not None:
            self._redraw_right()

    def action_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        filter_input.display = True
        filter_input.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if self.ledger is not None:
            self._redraw_right()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.query_one("#ledger", PromiseLedger).focus()

    def key_escape(self) -> None:
        filter_input = self.query_one("#filter", Input)
        if filter_input.display:
            filter_input.value = ""
            filter_input.display = False
            self.query_one("#ledger", PromiseLedger).focus()

    def action_undo(self) -> None:
        self.app_.action_undo()

    def action_retry(self) -> None:
        self.app_.action_retry()

    def action_insights(self) -> None:
        if self.ledger is None:
            return
        from trustjournal.tui.screens.insights import InsightsScreen

        self.app.push_screen(InsightsScreen(self.session, self.ledger))

    def action_review(self) -> None:
        if self.ledger is None:
            return
        from trustjournal.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.flows))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())
