"""The daily review, one item at a time, keyboard only. Quitting keeps what was done."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from trustjournal.domain import format as fmt
from trustjournal.domain.entry import EntryKind
from trustjournal.domain.errors import TrustJournalError
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.person import Person
from trustjournal.domain.record import percent, track_record
from trustjournal.domain.review import (
    OFFER_FEEDBACK,
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
from trustjournal.storage.records import REVIEWS
from trustjournal.tui import safe
from trustjournal.tui.acts import AnswerLeaderMeeting, AnswerOneThing
from trustjournal.tui.commands import bindings, review_choices
from trustjournal.tui.messages import LedgerChanged
from trustjournal.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from trustjournal.tui.flows import Flows

ORDER = [step for step in Step]


class ReviewScreen(Screen[None]):
    SCOPE = "review"
    BINDINGS = bindings("review")

    def __init__(self, flows: Flows) -> None:
        super().__init__()
        self.flows = flows
        self.session = flows.session
        self.items: list[Item] = []
        self.index = 0
        self.record: ReviewRecord | None = None
        self.handled: set[str] = set()
        """The keys of the items dealt with, this review (saved with it as it goes)."""
        self.since: datetime | None = None
        self.finished_before: list[datetime] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="review"):
            yield Static(Content("Daily review"), id="review-progress")
            yield Static(Content("Getting today's review ready…"), id="review-card")
            yield Static("", id="review-choices")
        yield KeyBar()

    def on_mount(self) -> None:
        self.start()
        self.watch(self.flows.app, "ledger", self._ledger_changed, init=False)

    def _ledger_changed(self, ledger: Ledger | None) -> None:
        """What the review shows follows the journal: after a stance change, the steps still to
        come are planned again from the changed journal (the item in view stays in view)."""
        if ledger is None or not self.items or self.record is None:
            return
        current = self.item
        items = self._plan(ledger)
        if not items:
            return
        keys = [i.key for i in items]
        if current is not None and current.key in keys:
            index = keys.index(current.key)
        else:
            # The item in view was dealt with: the next one still to do, in step order.
            step = ORDER.index(current.step) if current is not None else 0
            index = next((n for n, i in enumerate(items) if ORDER.index(i.step) >= step),
                         len(items) - 1)
        self.items, self.index = items, index
        self.show()

    def _plan(self, ledger: Ledger) -> list[Item]:
        return plan_review(ledger, self.session.now(), self.session.zone, since=self.since,
                           handled=frozenset(self.handled),
                           skip=self.session.settings.review_skip)

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
        self.since = max(self.finished_before, default=None)
        assert self.record is not None
        self.handled = set(self.record.handled)
        items = self._plan(ledger)
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
        return review_choices(item.offers)

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
        heading = item.step.heading
        header = (f"Daily review — step {position} of {len(ORDER)}: {heading}"
                  + (f"{' —' if heading.endswith('?') else ','} {same.index(item) + 1} of "
                     f"{len(same)}" if len(same) > 1 else ""))
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
        weigh = (f" · {record.overdue} overdue weigh on it (as if kept now)"
                 if record.overdue else "")

        def label(text: str) -> tuple[str, str]:
            # A column of its own: the value never runs into the label.
            return (f"{text:<24}", "bold")

        lines: list[Content | str | tuple[str, str]] = [
            label("Follow-through"), f"last 30 days {percent(record.last_30)}",
            f" ({record.closed_30} closed) · last 90 days {percent(record.last_90)}{weigh}\n",
            label("Weekly, last 12 weeks"), (record.spark.replace(" ", "·"), "bold $accent"),
            ("  (· = nothing closed that week)\n", "$text-muted"),
            label("On-time streak"), f"{record.streak} kept on time in a row\n",
            label("Reviews"), f"{streak} day{'s' if streak != 1 else ''} in a row, "
            "counting today\n",
            label("Still overdue"),
        ]
        if overdue:
            for p in overdue:
                lines.append(("\n  ! ", "bold $text-error"))
                lines.append(f"{p.text} — to {ledger.name_of(p.person_id)}, "
                             f"{fmt.span(now - p.due)} late")
        else:
            lines.append("nothing. Every promise is on time or closed.")
        repeating = series_summary(ledger, now)
        if repeating:
            lines.append(("\n\nRecurring promises", "bold"))
            for line in repeating:
                lines.append(f"\n  {SYMBOL} {line}")
        lines.append("\n\nCredit: on time 1, a day late ¾, a week late ½, later ¼, broken 0; "
                     "released promises don't count; an overdue one counts at what it would "
                     "earn if kept now.")
        return Content.assemble(*lines)

    # --- choosing ---------------------------------------------------------------------------

    def action_choose(self, key: str) -> None:
        item = self.item
        if item is None or key not in {k for k, _ in self.choices()}:
            return
        if item.step is Step.SUMMARY:
            self._finish()
            return
        if key == "s" or (key == "enter" and item.step is Step.STANCE):
            self.advance(item)
            return
        self.flows.app.ask(self._choose(item, key))

    async def _choose(self, item: Item, key: str) -> bool:
        """Ask what this key asks; the review moves on once it is done (not when cancelled)."""
        flows = self.flows
        ledger = flows.ledger
        promise = ledger.promises.get(item.promise_id) if item.promise_id else None
        person = ledger.people.get(item.person_id) if item.person_id else None
        done = False
        if promise is not None and key == "k":
            done = await flows.keep(promise)
        elif promise is not None and key == "r":
            done = await flows.renegotiate(promise)
        elif promise is not None and key == "b":
            done = await flows.broken(promise)
        elif promise is not None and key == "x":
            done = await flows.released(promise)
        elif person is not None and key == "l":
            kind = (EntryKind.FEEDBACK_ASKED if item.offer == OFFER_FEEDBACK
                    else EntryKind.CHECK_IN if item.step is Step.CHECKINS
                    else EntryKind.UPDATE_SENT)
            done = await flows.entry(person, kind, label="A short note of what you said")
        elif person is not None and item.step is Step.LEADER and key in "pyn":
            done = await self._leader(item, person, key)
        elif person is not None and key == "r" and item.step is Step.CHECKINS:
            done = await flows.reschedule(person)
        elif person is not None and key == "c":
            done = await flows.stance(person)
        elif person is not None and key == "w":
            done = await flows.entry(
                person, EntryKind.EMPATHY, label=f"One small thing that makes "
                f"{person.name.split()[0]}'s day easier", extra={ONE_THING: "open"})
        elif key in ("y", "n") and item.entry_id is not None:
            done = flows.app.perform(AnswerOneThing(
                entry_id=item.entry_id, outcome="done" if key == "y" else "not done",
                at=self.session.now()))
        if done:
            self.advance(item)
        return done

    async def _leader(self, item: Item, person: Person, key: str) -> bool:
        """Meeting their leader after a milestone: plan it (or move it), met, or not now."""
        flows, now = self.flows, self.session.now()
        if key == "p":
            return await flows.leader_meeting(person, item.goal, item.milestone)
        return flows.app.perform(AnswerLeaderMeeting(
            person=person, goal=item.goal, milestone=item.milestone, done=key == "y", at=now))

    def advance(self, item: Item) -> None:
        self._mark(item.key)
        self.handled.add(item.key)
        if self.item is not None and self.item.key == item.key:
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
        self.app.post_message(LedgerChanged(self.session.ledger))
        self.app.call_from_thread(self.app.pop_screen)
        self.app.call_from_thread(self.notify, "Review done. See you tomorrow.")

    def action_leave(self) -> None:
        self.app.pop_screen()
        self.notify("Review paused; d resumes where you stopped.")
