"""The daily review, one item at a time, keyboard only. Quitting keeps what was done."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from trustjournal.domain import format as fmt
from trustjournal.domain.entry import EntryKind
from trustjournal.domain.errors import TrustJournalError
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.record import percent, track_record
from trustjournal.domain.review import (
    ONE_THING,
    Item,
    ReviewRecord,
    Step,
    plan_review,
    review_streak,
    series_summary,
    unfinished_today,
)
from trustjournal.domain.series import SYMBOL
from trustjournal.storage.journal import Transaction
from trustjournal.storage.records import ENTRIES, REVIEWS
from trustjournal.tui import safe
from trustjournal.tui.commands import FOLLOW_UP, bindings, review_choices
from trustjournal.tui.messages import LedgerChanged

ORDER = [step for step in Step]


class ReviewScreen(Screen[None]):
    SCOPE = "review"
    BINDINGS = bindings("review")

    def __init__(self, main: Any) -> None:
        super().__init__()
        self.main = main
        self.session = main.session
        self.items: list[Item] = []
        self.index = 0
        self.record: ReviewRecord | None = None
        self.finished_before: list[datetime] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="review"):
            yield Static(Content("Daily review"), id="review-progress")
            yield Static(Content("Getting today's review ready…"), id="review-card")
            yield Static("", id="review-choices")
        yield Footer()

    def on_mount(self) -> None:
        self.start()

    @work(thread=True, group="review")
    def start(self) -> None:
        now = self.session.now()
        zone = self.session.zone

        def begin(tx: Transaction) -> str:
            self.record = unfinished_today(tx.all(REVIEWS), now, zone) or tx.add(
                ReviewRecord(0, now, None, ()))
            return "review started"

        try:
            self.session.apply(begin, undoable=False)
            ledger = self.session.reload()
        except TrustJournalError as error:
            self.app.call_from_thread(safe.say, self, error, severity="error")
            return
        self.finished_before = [r.finished_at for r in ledger.reviews.values()
                                if r.finished_at is not None]
        since = max(self.finished_before, default=None)
        assert self.record is not None
        items = plan_review(ledger, now, zone, since=since,
                            handled=frozenset(self.record.handled),
                            skip=self.session.settings.review_skip)
        self.app.call_from_thread(self._ready, items)

    def _ready(self, items: list[Item]) -> None:
        self.items = items
        self.index = 0
        self.show()

    @property
    def item(self) -> Item | None:
        return self.items[self.index] if self.index < len(self.items) else None

    def choices(self) -> tuple[tuple[str, str], ...]:
        item = self.item
        if item is None:
            return ()
        if item.step is Step.ONE_THING and item.entry_id is not None:
            return review_choices(FOLLOW_UP)
        return review_choices(item.step.value)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            return parameters[0] in {key for key, _ in self.choices()}
        return True

    def why_not(self, action: str, parameters: tuple[object, ...]) -> str | None:
        """A key this step does not offer says which keys it does."""
        if action != "choose":
            return None
        offered = self.choices()
        if not offered:
            return "The review is getting ready; a moment."
        keys = ", ".join(f"{key} {label}" for key, label in offered)
        return f"Not on this step. Here: {keys}; esc pauses the review."

    # --- drawing --------------------------------------------------------------------------

    def show(self) -> None:
        item = self.item
        if item is None:
            return
        progress = []
        for step in ORDER:
            count = sum(1 for i in self.items if i.step is step)
            mark = "▶" if step is item.step else ("✓" if ORDER.index(step) <
                                                  ORDER.index(item.step) else "·")
            progress.append(f"{mark} {step.short}" + (f" ({count})" if count and
                                                         step is not Step.SUMMARY else ""))
        position = ORDER.index(item.step) + 1
        same = [i for i in self.items if i.step is item.step]
        header = (f"Daily review — step {position} of {len(ORDER)}: {item.step.heading}"
                  + (f", {same.index(item) + 1} of {len(same)}" if len(same) > 1 else ""))
        self.query_one("#review-progress", Static).update(
            Content.assemble((header, "bold"), "\n", "   ".join(progress)))
        card = self.query_one("#review-card", Static)
        if item.step is Step.SUMMARY:
            card.update(safe.content(self.summary()))
        else:
            card.update(safe.content(Content.assemble((item.title, "bold"), "\n", item.detail)))
        self.query_one("#review-choices", Static).update(Content.assemble(*[
            part for key, label in self.choices()
            for part in ((f" {key} ", "bold reverse"), f" {label}    ")
        ]))
        self.refresh_bindings()

    def summary(self) -> Content:
        ledger: Ledger = self.session.ledger
        now = self.session.now()
        zone = self.session.zone
        record = track_record(list(ledger.promises.values()), now)
        overdue = ledger.overdue(now)
        streak = review_streak([*self.finished_before, now], now, zone)
        lines: list[Content | str | tuple[str, str]] = [
            ("Follow-through", "bold"), f"  last 30 days {percent(record.last_30)}",
            f" ({record.closed_30} closed) · last 90 days {percent(record.last_90)}\n",
            ("Weekly, last 12 weeks", "bold"), f"  {record.spark}\n",
            ("On-time streak", "bold"), f"  {record.streak} kept on time in a row\n",
            ("Reviews", "bold"), f"  {streak} day{'s' if streak != 1 else ''} in a row, "
            "counting today\n",
            ("Still overdue", "bold"),
        ]
        if overdue:
            for p in overdue:
                lines.append(("\n  ! ", "bold $text-error"))
                lines.append(f"{p.text} — to {ledger.name_of(p.person_id)}, "
                             f"{fmt.span(now - p.due)} late")
        else:
            lines.append("  nothing. Every promise is on time or closed.")
        repeating = series_summary(ledger, now)
        if repeating:
            lines.append(("\n\nRecurring promises", "bold"))
            for line in repeating:
                lines.append(f"\n  {SYMBOL} {line}")
        lines.append("\n\nCredit: on time 1, a day late ¾, a week late ½, later ¼, broken 0; "
                     "released promises don't count.")
        return Content.assemble(*lines)

    # --- choosing ---------------------------------------------------------------------------

    def action_choose(self, key: str) -> None:
        item = self.item
        if item is None or key not in {k for k, _ in self.choices()}:
            return
        main = self.main
        ledger: Ledger = self.session.ledger
        if item.step is Step.SUMMARY:
            self._finish()
            return
        if key == "s" or (key == "enter" and item.step is Step.STANCE):
            self.advance(item)
            return
        promise = ledger.promises.get(item.promise_id) if item.promise_id else None
        person = ledger.people.get(item.person_id) if item.person_id else None

        def then(saved: bool) -> None:
            if saved:
                self.advance(item)

        if promise is not None and key == "k":
            main.mark_kept(promise)
            self.advance(item)
        elif promise is not None and key == "r":
            main.ask_renegotiate(promise, then)
        elif promise is not None and key == "b":
            main.ask_broken(promise, then)
        elif promise is not None and key == "x":
            main.ask_released(promise, then)
        elif person is not None and key == "l":
            kind = EntryKind.CHECK_IN if item.step is Step.CHECKINS else EntryKind.UPDATE_SENT
            main.ask_entry(person, kind, label="A short note of what you said", then=then)
        elif person is not None and key == "r" and item.step is Step.CHECKINS:
            main.ask_reschedule(person, then)
        elif person is not None and key == "c":
            main.ask_stance(person, then)
        elif person is not None and key == "w":
            main.ask_entry(person, EntryKind.EMPATHY,
                           label=f"One small thing that makes {person.name.split()[0]}'s "
                           "day easier", extra={ONE_THING: "open"}, then=then)
        elif key in ("y", "n") and item.entry_id is not None:
            self._follow_up(item, "done" if key == "y" else "not done")

    def _follow_up(self, item: Item, outcome: str) -> None:
        entry_id = item.entry_id
        assert entry_id is not None

        def change(tx: Transaction) -> str:
            entry = tx.get(ENTRIES, entry_id)
            tx.save(replace(entry, extra={**entry.extra, ONE_THING: outcome}))
            return "Noted." if outcome == "done" else "Noted. Tomorrow is another chance."

        self.main.save("one thing", change)
        self.advance(item)

    def advance(self, item: Item) -> None:
        self._mark(item.key)
        self.index = min(self.index + 1, len(self.items) - 1)
        self.show()

    @work(thread=True, group="review")
    def _mark(self, key: str) -> None:
        if self.record is None:
            return
        record_id = self.record.id

        def change(tx: Transaction) -> str:
            tx.save(tx.get(REVIEWS, record_id).handling(key))
            return ""

        try:
            self.session.apply(change, undoable=False)
        except TrustJournalError as error:
            self.app.call_from_thread(safe.say, self, f"Review progress not saved: {error}",
                                      severity="warning")

    @work(thread=True, group="review")
    def _finish(self) -> None:
        if self.record is not None:
            record_id = self.record.id
            now = self.session.now()

            def change(tx: Transaction) -> str:
                tx.save(tx.get(REVIEWS, record_id).finished(now))
                return "Review done."

            try:
                self.session.apply(change, undoable=False)
            except TrustJournalError as error:
                self.app.call_from_thread(safe.say, self, error, severity="error")
                return
            self.record = replace(self.record, finished_at=now)
        self.main.post_message(LedgerChanged(self.session.ledger))
        self.app.call_from_thread(self.app.pop_screen)
        self.app.call_from_thread(self.notify, "Review done. See you tomorrow.")

    def action_leave(self) -> None:
        self.app.pop_screen()
        self.notify("Review paused; d resumes where you stopped.")
