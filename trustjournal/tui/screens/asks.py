"""The small forms behind each daily moment, shared by the main screen, a person's page and
the review: each asks, then saves through the main screen's one transaction path.

`Asks` is mixed into MainScreen, which provides `session`, `ledger`, `save` and the app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from trustjournal.domain import format as fmt
from trustjournal.domain.commitment import Commitment
from trustjournal.domain.dates import DateParseError
from trustjournal.domain.entry import Entry, EntryKind
from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.person import Person
from trustjournal.domain.promise import Promise
from trustjournal.domain.series import SYMBOL
from trustjournal.domain.stance import Stance, StanceChange
from trustjournal.storage.journal import Transaction
from trustjournal.storage.records import COMMITMENTS, PEOPLE, PROMISES, SERIES
from trustjournal.tui import safe
from trustjournal.tui.fields import commitment_fields, need_text, person_fields
from trustjournal.tui.screens.form import Field, FormScreen

if TYPE_CHECKING:
    from textual.app import App

    from trustjournal.domain.ledger import Ledger
    from trustjournal.domain.series import Rule, Series
    from trustjournal.tui.session import Session

Change = Callable[[Transaction], str]
Done = Callable[[bool], None]
"""Told whether a form was saved (True) or cancelled, so the review can move on."""


class Asks:
    """Forms for follow-through, entries, people, commitments, breaches and updates."""

    if TYPE_CHECKING:  # what the screen this is mixed into provides
        session: Session
        ledger: Ledger | None
        app: App[object]

        def save(self, description: str, change: Change,
                 preview: Ledger | None = None) -> None: ...

    def _promise_change(
        self, promise: Promise, what: str, step: Callable[[Promise], Promise]
    ) -> None:
        """Apply a follow-through mark to the latest saved version of the promise."""
        try:
            shown = step(promise)
        except InvalidInput as error:
            safe.say(self, safe.for_app(error), severity="error")
            return

        def change(tx: Transaction) -> str:
            fresh = tx.get(PROMISES, promise.id)
            updated = step(fresh)
            tx.save(updated)
            note = "" if fresh == promise else " (it had changed elsewhere; applied to the latest)"
            return f"#{promise.id} {what}{note}" + self._next_occurrence(tx, updated)

        assert self.ledger is not None
        preview = replace(self.ledger, promises={**self.ledger.promises, promise.id: shown})
        self.save(f"#{promise.id} {what}", change, preview)

    def _next_occurrence(self, tx: Transaction, updated: Promise) -> str:
        """An occurrence of a series just closed: its next one is made in the same transaction,
        so one undo takes both back. Returns what to add to the message."""
        if updated.series_id is None or updated.is_open:
            return ""
        from trustjournal.domain.errors import UnknownRecord
        from trustjournal.storage.recurring import advance_one

        try:
            made = advance_one(tx, tx.get(SERIES, updated.series_id), self.session.now())
        except UnknownRecord:
            return ""
        if not made:
            return ""
        nxt = made[-1]
        return f"; next: #{nxt.id} due {fmt.when(nxt.due, self.session.zone, self.session.now())}"

    def mark_kept(self, promise: Promise) -> None:
        if not promise.is_open:
            return
        now = self.session.now()
        late = now > promise.due
        what = "kept" + (f", {fmt.span(now - promise.due)} late" if late else " on time")
        self._promise_change(promise, what, lambda p: p.kept(now))

    def _note(self, title: str, label: str, example: str) -> Field:
        def parse(text: str) -> str:
            cleaned = " ".join(text.split())
            if not cleaned:
                raise InvalidInput(f"a few words of why, e.g. {example}")
            return cleaned

        return Field("note", label, placeholder=example, parse=parse)

    def ask_broken(self, promise: Promise, then: Done | None = None) -> None:
        if not promise.is_open:
            return
        from trustjournal.domain.repair import Cause, Repair

        def cause(text: str) -> Cause | None:
            return Cause.parse(text) if text.strip() else None

        fields = [
            self._note("broken", "What happened? Plainly, no excuses.",
                       "ran out of time and didn't say so"),
            Field("cause", "Root cause, if you know it: it starts a repair record (optional)",
                  placeholder="e.g. communication (→ completes the suggestion)",
                  parse=cause, preview=lambda c: c.value if c else "",
                  suggestions=[c.value for c in Cause]),
        ]

        def done(values: dict[str, Any] | None) -> None:
            if values:
                now = self.session.now()
                self._promise_change(promise, "marked broken",
                                     lambda p: p.broken(now, values["note"]))
                if values["cause"] is not None:
                    def face(tx: Transaction) -> str:
                        record = Repair(0, promise.person_id, f"broke: {promise.text}", now,
                                        values["cause"], promise.id)
                        tx.add(record)
                        return "Repair started: acknowledge it to them, then apologise (n)"

                    self.save("repair", face)
            if then:
                then(bool(values))

        self.app.push_screen(FormScreen(f"Broken: {promise.text}", fields), done)

    def ask_released(self, promise: Promise, then: Done | None = None) -> None:
        if not promise.is_open:
            return
        field = self._note("released", "Why did they release you?", "they no longer need it")

        def done(values: dict[str, Any] | None) -> None:
            if values:
                now = self.session.now()
                self._promise_change(promise, "released",
                                     lambda p: p.released(now, values["note"]))
            if then:
                then(bool(values))

        self.app.push_screen(FormScreen(f"Released: {promise.text}", [field]), done)

    def ask_renegotiate(self, promise: Promise, then: Done | None = None) -> None:
        if not promise.is_open:
            return
        zone = self.session.zone

        def parse_due(text: str) -> datetime:
            now = self.session.now()
            try:
                due = self.session.when(text, now)
            except DateParseError as error:
                raise InvalidInput(str(error)) from None
            if due <= now:
                raise InvalidInput('the new due time has to be ahead, e.g. "next tue 5pm"')
            return due

        def preview(due: datetime) -> str:
            now = self.session.now()
            timing = ("before it is due: that is communication, not a breach"
                      if now <= promise.due else "after it was due")
            return f"{fmt.when(due, zone, now)} ({fmt.relative(due, now)}) — renegotiated {timing}"

        fields = [
            Field("due", f"New due time (now {fmt.when(promise.due, zone, self.session.now())})",
                  placeholder="next tue 5pm", parse=parse_due, preview=preview),
            self._note("renegotiate", "What did you agree, and why?",
                       "asked Dana; the data export slipped"),
        ]

        def done(values: dict[str, Any] | None) -> None:
            if values:
                now = self.session.now()
                self._promise_change(promise, f"now due {fmt.when(values['due'], zone, now)}",
                                     lambda p: p.renegotiated(now, values["due"], values["note"]))
            if then:
                then(bool(values))

        self.app.push_screen(FormScreen(f"Renegotiate: {promise.text}", fields), done)

    def ask_entry(self, person: Person, kind: EntryKind | None = None, *,
                  label: str = "What happened?", extra: dict[str, object] | None = None,
                  then: Done | None = None) -> None:
        """A journal entry; with `kind` given only the words are asked for."""
        fields = []
        if kind is None:
            fields.append(Field("kind", "Kind", default="check-in", parse=EntryKind.parse,
                                preview=lambda k: k.label,
                                suggestions=[k.value for k in EntryKind]))
        fields.append(Field("text", label, placeholder="weekly 1:1; she wants the numbers first",
                            parse=need_text("a few words, e.g. weekly 1:1; asked about risks")))

        def done(values: dict[str, Any] | None) -> None:
            if values:
                now = self.session.now()
                chosen: EntryKind = kind or values["kind"]

                def change(tx: Transaction) -> str:
                    tx.add(Entry(0, person.id, chosen, values["text"], now,
                                       extra=dict(extra or {})))
                    return f"Logged {chosen.label} for {person.name}"

                self.save("journal entry", change)
            if then:
                then(bool(values))

        title = f"{kind.label.capitalize() if kind else 'Journal entry'} — {person.name}"
        self.app.push_screen(FormScreen(title, fields), done)

    def ask_edit_person(self, person: Person) -> None:
        self.app.push_screen(FormScreen(f"Edit {person.name}", person_fields(person)),
                             self._person_done(person))

    def _person_done(self, person: Person | None) -> Callable[[dict[str, Any] | None], None]:
        def done(values: dict[str, Any] | None) -> None:
            if not values:
                return
            now = self.session.now()

            def change(tx: Transaction) -> str:
                if person is None:
                    added = tx.add(
                        Person(
                            id=0,
                            name=values["name"],
                            created_at=now,
                            role=values["role"],
                            leader=values["leader"],
                            prefers=values["prefers"],
                            checkin=values["checkin"],
                            stance_history=(StanceChange(values["stance"], now, "first noted"),),
                        )
                    )
                    return f"Added {added.name}"
                fresh = tx.get(PEOPLE, person.id)
                if values["name"].casefold() != fresh.name.casefold() and any(
                    p.name.casefold() == values["name"].casefold() for p in tx.people()
                ):
                    raise InvalidInput(f'"{values["name"]}" is already in the journal')
                updated = replace(
                    fresh,
                    name=values["name"],
                    role=values["role"],
                    leader=values["leader"],
                    prefers=values["prefers"],
                    checkin=values["checkin"],
                )
                if values["stance"] is not fresh.stance:
                    updated = updated.with_stance(
                        values["stance"], now, values.get("reason") or "changed in the app"
                    )
                tx.save(updated)
                return f"Saved {updated.name}"

            self.save("person", change)

        return done

    def ask_commitment(self, person: Person) -> None:
        self.app.push_screen(
            FormScreen(f"Commitment to {person.name}", commitment_fields(person, None)),
            self._commitment_done(person, None),
        )

    def _commitment_done(
        self, person: Person, commitment: Commitment | None
    ) -> Callable[[dict[str, Any] | None], None]:
        def done(values: dict[str, Any] | None) -> None:
            if not values:
                return
            now = self.session.now()

            def change(tx: Transaction) -> str:
                if commitment is None:
                    added = tx.add(
                        Commitment(
                            0,
                            person.id,
                            values["text"],
                            now,
                            goal=values["goal"],
                            measure=values["measure"],
                        )
                    )
                    return f"Commitment #{added.id} to {person.name}"
                fresh = tx.get(COMMITMENTS, commitment.id)
                tx.save(
                    replace(
                        fresh,
                        text=values["text"],
                        goal=values["goal"],
                        measure=values["measure"],
                        status=values["status"],
                    )
                )
                return f"Saved commitment #{commitment.id}"

            self.save("commitment", change)

        return done

    def show_update(self, person: Person) -> None:
        """The fifteen-second update: copy it, and mark it sent to reset the check-in clock."""
        from trustjournal.domain.update import compose_update
        from trustjournal.tui.screens.update import UpdateScreen

        assert self.ledger is not None
        draft = compose_update(self.ledger, person.id, self.session.now(), self.session.zone,
                               budget=self.session.settings.update_words)

        def done(sent: bool | None) -> None:
            if sent:
                now = self.session.now()

                def change(tx: Transaction) -> str:
                    tx.add(Entry(0, person.id, EntryKind.UPDATE_SENT, draft.text, now))
                    return f"Update to {person.name} logged as sent"

                self.save("update sent", change)

        self.app.push_screen(UpdateScreen(person.name, draft), done)

    def ask_breach(self, person: Person) -> None:
        """Face a breach head-on (practice 3): name it and, if you can, its cause."""
        from trustjournal.domain.repair import Cause, Repair

        def cause(text: str) -> Cause | None:
            return Cause.parse(text) if text.strip() else None

        def promise_id(text: str) -> int | None:
            value = text.strip().lstrip("#")
            if not value:
                return None
            if not value.isdigit() or self.ledger is None or int(value) not in self.ledger.promises:
                raise InvalidInput("a promise number from the ledger, e.g. 12, or leave it empty")
            if self.ledger.promises[int(value)].person_id != person.id:
                raise InvalidInput(f"#{value} was made to someone else")
            return int(value)

        fields = [
            Field("breach", "What happened? Plainly, in your words.",
                  placeholder="dropped the hand-off for the ledger export",
                  parse=need_text("what happened, e.g. dropped the hand-off")),
            Field("cause", "Its root cause, if you know it (you can add it later)",
                  placeholder="e.g. communication (→ completes the suggestion)", parse=cause,
                  preview=lambda c: c.value if c else "",
                  suggestions=[c.value for c in Cause]),
            Field("promise", "The promise it broke, if any (its number)", placeholder="12",
                  parse=promise_id),
        ]

        def done(values: dict[str, Any] | None) -> None:
            if not values:
                return
            now = self.session.now()

            def change(tx: Transaction) -> str:
                record = Repair(0, person.id, values["breach"], now, values["cause"],
                                values["promise"])
                tx.add(record)
                return ("Named. Next: acknowledge it to them, apologise without excuses, "
                        "share the plan (n logs each)")

            self.save("repair", change)

        self.app.push_screen(FormScreen(f"Face a breach — {person.name}", fields), done)

    def ask_reschedule(self, person: Person, then: Done | None = None) -> None:
        """Move a due check-in to a day that works for both of you."""
        zone = self.session.zone

        def parse(text: str) -> datetime:
            now = self.session.now()
            try:
                moment = self.session.when(text, now)
            except DateParseError as error:
                raise InvalidInput(str(error)) from None
            if moment <= now:
                raise InvalidInput('pick a time ahead, e.g. "mon 10am"')
            return moment

        field = Field("when", f"When will you check in with {person.name}?",
                      placeholder="mon 10am", parse=parse,
                      preview=lambda m: fmt.when(m, zone, self.session.now()))

        def done(values: dict[str, Any] | None) -> None:
            if values:
                def change(tx: Transaction) -> str:
                    fresh = tx.get(PEOPLE, person.id)
                    tx.save(replace(fresh, checkin_moved_to=values["when"]))
                    return f"Check-in with {person.name} moved to " + fmt.when(
                        values["when"], zone, self.session.now())

                self.save("check-in moved", change)
            if then:
                then(bool(values))

        self.app.push_screen(FormScreen(f"Reschedule the check-in — {person.name}", [field]),
                             done)

    def ask_stance(self, person: Person, then: Done | None = None) -> None:
        fields = [
            Field("stance", f"Where does {person.name} stand now? (was {person.stance.value})",
                  value=person.stance.value, parse=Stance.parse, preview=lambda s: s.value,
                  suggestions=[s.value for s in Stance]),
            Field("reason", "What moved it?", placeholder="backed my plan in the staff meeting",
                  parse=need_text("what moved it, e.g. backed my plan in staff")),
        ]

        def done(values: dict[str, Any] | None) -> None:
            if values:
                now = self.session.now()

                def change(tx: Transaction) -> str:
                    fresh = tx.get(PEOPLE, person.id)
                    tx.save(fresh.with_stance(values["stance"], now, values["reason"]))
                    return f"{person.name}: {fresh.stance.value} → {values['stance'].value}"

                self.save("stance", change)
            if then:
                then(bool(values))

        self.app.push_screen(FormScreen(f"Stance — {person.name}", fields), done)

    # --- recurring promises: the series behind an occurrence -----------------------------------

    def ask_stop_series(self, series: Series) -> None:
        """Stop a series (its history stays); the upcoming occurrence is released with it."""
        field = self._note("stop", f"Why stop it? ({series.describe()}; its history stays)",
                           "Dana reads the dashboard now")

        def done(values: dict[str, Any] | None) -> None:
            if not values:
                return
            now = self.session.now()

            def change(tx: Transaction) -> str:
                from trustjournal.storage.recurring import stop_series

                stopped, released = stop_series(tx, series.id, now, values["note"])
                also = f"; #{released.id} released with it" if released else ""
                return f"Stopped {SYMBOL} {stopped.text} ({stopped.describe()}){also}"

            self.save(f"stop series #{series.id}", change)

        self.app.push_screen(FormScreen(f"Stop the series: {series.text}", [field]), done)

    def ask_change_series(self, series: Series) -> None:
        """Change a series from now on: its day, time, end or text. Occurrences already due or
        closed stay as they were; the upcoming one follows."""
        from trustjournal.domain.series import parse_rule

        zone = self.session.zone

        def rule(text: str) -> Rule:
            said = " ".join(text.split())
            if not said:
                raise InvalidInput("say when it repeats, e.g. every mon 10am")
            settings = self.session.settings
            return parse_rule(said, self.session.now(), zone, end_of_day=settings.end_of_day,
                              week=settings.week)

        def preview(new: Rule) -> str:
            if new == series.rule:
                return f"{new.describe()} (as now)"
            _, first = new.first_slot(zone, self.session.now())
            return f"{new.describe()}; next due {fmt.when(first, zone, self.session.now())}"

        fields = [
            Field("rule", f"When does it repeat? (now {series.describe()})",
                  value=series.describe(), placeholder="every mon 10am", parse=rule,
                  preview=preview),
            Field("text", "What you promise each time", value=series.text,
                  parse=need_text("what you promise, e.g. status note")),
        ]

        def done(values: dict[str, Any] | None) -> None:
            if not values:
                return
            new_rule = values["rule"] if values["rule"] != series.rule else None
            new_text = values["text"] if values["text"] != series.text else None
            if new_rule is None and new_text is None:
                safe.say(self, "Nothing changed: the series is already that.")
                return
            now = self.session.now()

            def change(tx: Transaction) -> str:
                from trustjournal.storage.recurring import change_series

                changed, moved = change_series(tx, series.id, now, rule=new_rule, text=new_text)
                also = (f"; #{moved.id} now due {fmt.when(moved.due, zone, now)}"
                        if moved is not None else "")
                return f"Changed {SYMBOL} {changed.text}: {changed.describe()}{also}"

            self.save(f"change series #{series.id}", change)

        self.app.push_screen(FormScreen(f"Change the series: {series.text}", fields), done)
