"""The screen a person opens every morning: people, the promise ledger, commitments."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Input, Static

from trustjournal.domain import format as fmt
from trustjournal.domain.errors import TrustJournalError
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.person import Person
from trustjournal.domain.promise import Promise
from trustjournal.domain.quick import EXAMPLE, QuickPromise, parse_quick
from trustjournal.domain.series import SYMBOL, Series
from trustjournal.storage.journal import Transaction
from trustjournal.tui import safe
from trustjournal.tui.commands import bindings, welcome
from trustjournal.tui.fields import commitment_fields, need_text, person_fields
from trustjournal.tui.messages import LedgerChanged, LoadFailed, SaveReport, SeriesNotAdvanced
from trustjournal.tui.rows import Board, build_board, commitment_rows, promise_rows
from trustjournal.tui.screens.asks import Asks, Change
from trustjournal.tui.screens.form import Field, FormScreen
from trustjournal.tui.screens.help import HelpScreen
from trustjournal.tui.session import Result, Session
from trustjournal.tui.widgets.panes import CommitmentList, PeopleList, PromiseLedger
from trustjournal.tui.widgets.rowlist import RowList


class MainScreen(Asks, Screen[None]):
    SCOPE = "main"
    BINDINGS = bindings("main")

    def __init__(self, session: Session, poll_seconds: float = 1.0, *,
                 start_review: bool = False) -> None:
        super().__init__()
        self.start_review = start_review
        self.session = session
        self.poll_seconds = poll_seconds
        self.ledger: Ledger | None = None
        self.board: Board | None = None
        self.person_id: int | None = None
        self.show_closed = False
        self.query_text = ""
        self._reloading = False
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
                    filter_input = Input(
                        placeholder="filter the ledger: words in the promise "
                        "or the name (esc clears)",
                        id="filter",
                    )
                    filter_input.cursor_blink = False
                    yield filter_input
                    commitments = CommitmentList(id="commitments")
                    commitments.border_title = "Commitments"
                    yield commitments
        yield Footer()

    def on_resize(self) -> None:
        narrow = self.size.width < 100
        if narrow == self.has_class("-narrow"):
            return  # restyling the whole screen costs a frame; only do it when it changes
        self.set_class(narrow, "-narrow")
        footer = self.query_one(Footer)
        footer.compact = narrow
        footer.show_command_palette = not narrow

    def on_mount(self) -> None:
        self.query_one("#filter").display = False
        self.query_one("#ledger", PromiseLedger).focus()
        self.load()
        self.set_interval(self.poll_seconds, self._poll)
        # Overdue is a matter of the clock as much as of the file; so is a series' next one.
        self.set_interval(60, self.redraw)
        self.set_interval(60, self.advance_series)

    # --- loading and live reload

    @work(thread=True, group="load")
    def load(self, external: bool = False) -> None:
        try:
            ledger = self.session.reload()
        except TrustJournalError as error:
            self.post_message(LoadFailed(str(error)))
            self._reloading = False
            return
        try:
            if self.session.advance():
                ledger = self.session.ledger
        except TrustJournalError as error:
            self.post_message(SeriesNotAdvanced(str(error)))
        finally:
            self._reloading = False
        self.post_message(LedgerChanged(ledger, external=external))

    @work(thread=True, exclusive=True, group="advance")
    def advance_series(self) -> None:
        """Once a minute: the next occurrence of a series that fell due since is made."""
        if self.ledger is None or not self.ledger.series:
            return
        try:
            made = self.session.advance()
        except TrustJournalError as error:
            self.post_message(SeriesNotAdvanced(str(error)))
            return
        if made:
            self.post_message(LedgerChanged(self.session.ledger))

    def on_series_not_advanced(self, message: SeriesNotAdvanced) -> None:
        safe.say(self, f"The next occurrence of a recurring promise was not made: "
                 f"{message.error}", severity="warning", timeout=8)

    def _poll(self) -> None:
        if self.ledger is None or self._reloading or self.session.busy:
            return
        if not self.session.is_current():
            self._reloading = True
            self.load(external=True)

    def on_ledger_changed(self, message: LedgerChanged) -> None:
        first = self.ledger is None
        self.ledger = message.ledger
        self.redraw()
        # A screen on top (a person's page) shows the same journal: let it redraw too.
        on_top = getattr(self.app.screen, "ledger_changed", None)
        if on_top is not None and self.app.screen is not self:
            on_top(message.ledger)
        if first and self.ledger.people:
            self.query_one("#ledger", PromiseLedger).focus()
            if self.start_review:
                self.start_review = False
                self.action_review()

    def on_load_failed(self, message: LoadFailed) -> None:
        self.query_one("#summary", Static).update(
            Content.assemble(("✗ ", "bold"), safe.line(message.error)))
        self.query_one("#summary").set_class(True, "-error")
        welcome = self.query_one("#welcome", Static)
        welcome.update(
            Content.assemble(
                ("The journal could not be opened.\n\n", "bold"),
                safe.lines(message.error),
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

    def _redraw_right(self) -> None:
        assert self.ledger is not None
        now = self.session.now()
        ledger_pane = self.query_one("#ledger", PromiseLedger)
        ledger_pane.now, ledger_pane.zone = now, self.session.zone
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
        parts.append(
            (f"◷ {checkins} check-ins due", "$text-warning") if checkins else "no check-ins due"
        )
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

    @on(RowList.Highlighted, "#people")
    def _person_highlighted(self, message: RowList.Highlighted) -> None:
        if self.board is None or not self.board.people:
            return
        row = self.board.people[message.index] if message.index < len(self.board.people) else None
        person_id = row.person.id if row and row.person else None
        if person_id != self.person_id:
            self.person_id = person_id
            self._redraw_right()

    @on(RowList.Selected, "#people")
    def _person_selected(self, message: RowList.Selected) -> None:
        self.action_open_person()

    def action_open_person(self) -> None:
        person = self._selected_person()
        if person is None or self.ledger is None:
            safe.say(self, "Pick a person first: ↑↓ in People (Everyone is selected).",
                     severity="warning")
            return
        from trustjournal.tui.screens.person import PersonScreen

        self.app.push_screen(PersonScreen(self.session, self.ledger, person.id, self))

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
        if action in ("change_series", "stop_series"):
            return "Select an occurrence of a recurring promise (↻) first."
        if action == "review":
            return "Add a person first: press a."
        if action in ("entry", "add_commitment", "open_person"):
            return "Pick a person first: ↑↓ in People (Everyone is selected)."
        if action == "retry":
            return "Nothing waits to be saved."
        return None

    # --- saving

    def save(self, description: str, change: Change, preview: Ledger | None = None) -> None:
        """Show the change at once and queue it: saved off the UI thread, in order, and kept
        in the queue (and on the top line) if the disk says no."""
        if self.session.read_only:
            safe.say(self, self.session.notice or "This journal is read-only.", severity="error")
            return
        if preview is not None:
            self.ledger = preview
            self.redraw()
        self.session.submit(description, change)
        if self.session.stalled:
            safe.say(self, f"Not saved yet: {description} waits behind the change the disk "
                     "refused; ctrl+s saves them all, in order.", severity="warning")
            self._redraw_summary_if_loaded()
            self.refresh_bindings()
        self._drain()

    @work(thread=True, group="save")
    def _drain(self) -> None:
        self.session.drain(lambda outcome: self.post_message(SaveReport(outcome)))

    def on_save_report(self, message: SaveReport) -> None:
        outcome = message.outcome
        self.post_message(LedgerChanged(self.session.ledger, external=outcome.reloaded))
        if outcome.result is Result.SAVED:
            if outcome.message:
                safe.say(self, outcome.message, timeout=4)
        elif outcome.result is Result.FAILED:
            safe.say(self, f"Not saved: {outcome.message}", severity="error", timeout=10)
        elif outcome.result is Result.REFUSED:
            safe.say(self, outcome.message, severity="error", timeout=8)
        else:
            safe.say(self, self.session.notice or outcome.message, severity="error", timeout=15)
        self.refresh_bindings()

    def _redraw_summary_if_loaded(self) -> None:
        if self.ledger is not None and self.board is not None:
            self._redraw_summary()

    def action_retry(self) -> None:
        self.session.retry()
        self._drain()
        self.refresh_bindings()

    # --- the daily moments

    def action_promise(self, for_person: Person | None = None) -> None:
        if self.ledger is None:
            return
        if not self.ledger.people:
            safe.say(self, "Add a person first: press a.", severity="warning")
            return
        ledger, zone = self.ledger, self.session.zone
        person = for_person or self._selected_person()

        def parse(line: str) -> QuickPromise:
            settings = self.session.settings
            if person is not None and ":" not in line:  # no "Name:": for the selected person
                line = f"{person.name}: {line}"
            return parse_quick(line, ledger.people.values(), self.session.now(), zone,
                               end_of_day=settings.end_of_day, week=settings.week)

        def preview(quick: QuickPromise) -> str:
            now = self.session.now()
            due = f"{fmt.when(quick.due, zone, now)} ({fmt.relative(quick.due, now)})"
            if quick.rule is not None:
                return (f"{SYMBOL} {quick.text} — to {quick.person.name}, "
                        f"{quick.rule.describe()}; first due {due}")
            return f"{quick.text} — to {quick.person.name}, due {due}"

        field = Field(
            "line",
            "What did you promise, to whom, by when (or every when)?",
            placeholder=(f"for {person.name}: send the risk list by fri 5pm (or Sam: … by …)"
                         if person else EXAMPLE),
            parse=parse,
            preview=preview,
        )
        self.app.push_screen(
            FormScreen("Log a promise", [field], hint="Enter saves · Esc cancels · "
                       '"… every mon 10am" repeats it'),
            self._promise_entered,
        )

    def _promise_entered(self, values: dict[str, Any] | None) -> None:
        if not values:
            return
        quick: QuickPromise = values["line"]
        now = self.session.now()
        zone = self.session.zone
        if quick.rule is not None:
            self._series_entered(quick, now)
            return

        def change(tx: Transaction) -> str:
            made = tx.add(
                Promise.make(
                    text=quick.text,
                    person_id=quick.person.id,
                    made_at=now,
                    due=quick.due,
                    zone=zone.key,
                )
            )
            return f"#{made.id} to {quick.person.name}, due {fmt.when(quick.due, zone, now)}"

        self.save("new promise", change)

    def _series_entered(self, quick: QuickPromise, now: datetime) -> None:
        """A promise that repeats: the series, and its first occurrence, in one change."""
        from trustjournal.domain.series import Series
        from trustjournal.storage.recurring import start_series

        rule, zone = quick.rule, self.session.zone
        assert rule is not None

        def change(tx: Transaction) -> str:
            series, first = start_series(tx, Series.make(
                text=quick.text, person_id=quick.person.id, rule=rule, made_at=now,
                zone=zone), now)
            return (f"{SYMBOL} #{first.id} to {quick.person.name}, {series.describe()}; "
                    f"first due {fmt.when(first.due, zone, now)}")

        self.save("new recurring promise", change)

    def action_kept(self) -> None:
        promise = self._selected_promise()
        if promise is not None:
            self.mark_kept(promise)

    def action_broken(self) -> None:
        promise = self._selected_promise()
        if promise is not None:
            self.ask_broken(promise)

    def action_released(self) -> None:
        promise = self._selected_promise()
        if promise is not None:
            self.ask_released(promise)

    def action_renegotiate(self) -> None:
        promise = self._selected_promise()
        if promise is not None:
            self.ask_renegotiate(promise)

    def action_change_series(self) -> None:
        series = self._selected_series()
        if series is None or not series.is_active:
            safe.say(self, "Select an occurrence of a recurring promise (↻) first.",
                     severity="warning")
            return
        self.ask_change_series(series)

    def action_stop_series(self) -> None:
        series = self._selected_series()
        if series is None or not series.is_active:
            safe.say(self, "Select an occurrence of a recurring promise (↻) first.",
                     severity="warning")
            return
        self.ask_stop_series(series)

    def action_entry(self) -> None:
        person = self._selected_person()
        if person is None:
            safe.say(self, "Pick a person first: ↑↓ in People (Everyone is selected).",
                     severity="warning")
            return
        self.ask_entry(person)

    def action_add_person(self) -> None:
        self.app.push_screen(
            FormScreen("Add a person", person_fields(None)), self._person_done(None)
        )

    def action_add_commitment(self) -> None:
        person = self._selected_person()
        if person is None:
            safe.say(self, "Pick a person first: ↑↓ in People (a commitment serves someone).",
                     severity="warning")
            return
        self.ask_commitment(person)

    def action_edit(self) -> None:
        focused = self.focused
        if isinstance(focused, PeopleList):
            person = self._selected_person()
            if person is None:
                safe.say(self, "Pick a person first: ↑↓ in People (Everyone is selected).",
                         severity="warning")
                return
            self.app.push_screen(
                FormScreen(f"Edit {safe.line(person.name)}", person_fields(person)),
                self._person_done(person),
            )
            return
        if isinstance(focused, CommitmentList):
            row = focused.current
            if row is not None and self.ledger is not None:
                owner = self.ledger.people.get(row.commitment.person_id)
                if owner is not None:
                    self.app.push_screen(
                        FormScreen(
                            f"Edit commitment #{row.commitment.id}",
                            commitment_fields(owner, row.commitment),
                        ),
                        self._commitment_done(owner, row.commitment),
                    )
                    return
            safe.say(self, "No commitment here to edit: c adds one for the selected person.",
                     severity="warning")
            return
        promise = self._selected_promise()
        if promise is None:
            safe.say(self, "Nothing selected to edit: pick a person in People, a promise in "
                     "the ledger or a commitment.", severity="warning")
            return
        field = Field(
            "text",
            "What you promised",
            value=promise.text,
            parse=need_text("what you promised, e.g. send the Q3 numbers"),
        )

        def done(values: dict[str, Any] | None) -> None:
            if values and values["text"] != promise.text:
                self._promise_change(promise, "reworded", lambda p: replace(p, text=values["text"]))

        self.app.push_screen(
            FormScreen(
                f"Edit promise #{promise.id}",
                [field],
                hint="Enter saves · Esc cancels · r changes the due time",
            ),
            done,
        )

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
        """Undo exactly the last change made: queued behind every change made before it."""
        queued = self.session.submit_undo()
        if isinstance(queued, str):
            safe.say(self, queued)
            self.post_message(LedgerChanged(self.session.ledger))
            self.refresh_bindings()
            return
        self._drain()

    def action_insights(self) -> None:
        if self.ledger is None:
            return
        from trustjournal.tui.screens.insights import InsightsScreen

        self.app.push_screen(InsightsScreen(self.session, self.ledger))

    def action_review(self) -> None:
        if self.ledger is None:
            return
        from trustjournal.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())
