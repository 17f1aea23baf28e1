"""The app's questions, in order, each ending in one act.

A flow asks its questions with `await app.push_screen_wait(...)` (so it runs in a worker: start
it with `app.ask(flows.broken(promise))`), each question a form typed by its result, and hands
the act it ends in to `app.perform`: one transaction, one undo step. A flow returns whether the
person went through with it, so the review can move on when they did.

Any screen can start a flow: the person page, the main screen and the review share these, and
none of them knows another.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from trustjournal.domain import format as fmt
from trustjournal.domain.commitment import Commitment, CommitmentStatus
from trustjournal.domain.dates import DateParseError
from trustjournal.domain.entry import EntryKind
from trustjournal.domain.errors import InvalidInput, UnknownPerson
from trustjournal.domain.person import Person, clean_name
from trustjournal.domain.promise import Promise
from trustjournal.domain.quick import EXAMPLE, QuickPromise, parse_quick
from trustjournal.domain.repair import Cause
from trustjournal.domain.series import SYMBOL, Rule, Series
from trustjournal.domain.stance import Stance
from trustjournal.tui import acts, safe
from trustjournal.tui.fields import commitment_fields, need_text, person_details, person_fields
from trustjournal.tui.screens.form import Answers, Field, FormScreen

if TYPE_CHECKING:
    from textual.screen import Screen

    from trustjournal.domain.ledger import Ledger
    from trustjournal.tui.app import TrustJournalApp
    from trustjournal.tui.session import Session

T = TypeVar("T")


def _note(label: str, example: str) -> Field:
    def parse(text: str) -> str:
        cleaned = " ".join(text.split())
        if not cleaned:
            raise InvalidInput(f"a few words of why, e.g. {example}")
        return cleaned

    return Field("note", label, placeholder=example, parse=parse)


def _cause(text: str) -> Cause | None:
    return Cause.parse(text) if text.strip() else None


def _cause_field(label: str) -> Field:
    return Field("cause", label, placeholder="e.g. communication (→ completes the suggestion)",
                 parse=_cause, preview=lambda c: c.value if c else "",
                 suggestions=[c.value for c in Cause])


class Flows:
    """Every question the app asks, as a coroutine that ends in one act (or in nothing)."""

    def __init__(self, app: TrustJournalApp) -> None:
        self.app = app

    @property
    def session(self) -> Session:
        return self.app.session

    @property
    def ledger(self) -> Ledger:
        return self.app.ledger or self.session.ledger

    def now(self) -> datetime:
        return self.session.now()

    async def _ask(self, question: Screen[T]) -> T:
        # The question holds the keys typed from now on until it has the focus.
        self.app.release_ask_hold()
        return await self.app.push_screen_wait(question)

    async def _act(self, question: FormScreen[acts.Act]) -> bool:
        act = await self._ask(question)
        if act is None:
            return False
        return self.app.perform(act)

    def _when(self, text: str, example: str, ahead: str = "pick a time ahead") -> datetime:
        """A time ahead, read as the person set up their days."""
        now = self.now()
        try:
            moment = self.session.when(text, now)
        except DateParseError as error:
            raise InvalidInput(str(error)) from None
        if moment <= now:
            raise InvalidInput(f'{ahead}, e.g. "{example}"')
        return moment

    # --- follow-through -----------------------------------------------------------------------

    async def keep(self, promise: Promise) -> bool:
        act = acts.Keep(promise=promise, at=self.now())
        try:
            act.check()
        except InvalidInput as error:
            self.app.release_ask_hold()
            safe.say(self.app, safe.for_app(error), severity="error")
            return False
        self.app.release_ask_hold()
        return self.app.perform(act)

    async def broken(self, promise: Promise) -> bool:
        fields = [
            _note("What happened? Plainly, no excuses.", "ran out of time and didn't say so"),
            _cause_field("Root cause, if you know it: it starts a repair record (optional)"),
        ]
        return await self._act(FormScreen(
            f"Broken: {promise.text}", fields,
            lambda v: acts.Break(promise=promise, at=self.now(), note=v["note"],
                                 cause=v["cause"])))

    async def released(self, promise: Promise) -> bool:
        field = _note("Why did they release you?", "they no longer need it")
        return await self._act(FormScreen(
            f"Released: {promise.text}", [field],
            lambda v: acts.Release(promise=promise, at=self.now(), note=v["note"])))

    async def renegotiate(self, promise: Promise) -> bool:
        zone = self.session.zone

        def preview(due: datetime) -> str:
            now = self.now()
            timing = ("before it is due: that is communication, not a breach"
                      if now <= promise.due else "after it was due")
            return f"{fmt.when(due, zone, now)} ({fmt.relative(due, now)}) — renegotiated {timing}"

        fields = [
            Field("due", f"New due time (now {fmt.when(promise.due, zone, self.now())})",
                  placeholder="next tue 5pm", parse=lambda t: self._when(t, "next tue 5pm",
                                                           "the new due time has to be ahead"),
                  preview=preview),
            _note("What did you agree, and why?", "asked Dana; the data export slipped"),
        ]
        return await self._act(FormScreen(
            f"Renegotiate: {promise.text}", fields,
            lambda v: acts.Renegotiate(promise=promise, at=self.now(), due=v["due"],
                                       note=v["note"])))

    async def reword(self, promise: Promise) -> bool:
        field = Field("text", "What you promised", value=promise.text,
                      parse=need_text("what you promised, e.g. send the Q3 numbers"))

        def answer(values: Answers) -> acts.Act:
            if values["text"] == promise.text:
                raise InvalidInput("that is what it says already; change a word, or Esc")
            return acts.Reword(promise=promise, at=self.now(), text=values["text"])

        return await self._act(FormScreen(
            f"Edit promise #{promise.id}", [field], answer,
            hint="Enter saves · Esc cancels · r changes the due time"))

    # --- new promises -------------------------------------------------------------------------

    async def promise(self, person: Person | None = None) -> bool:
        """The quick line: "Dana: send the risk list by fri 5pm" (the selected person's name
        is the placeholder: typing "Sam: …" makes it Sam's)."""
        ledger, zone = self.ledger, self.session.zone
        if not ledger.people:
            self.app.release_ask_hold()
            safe.say(self.app, "Add a person first: press a.", severity="warning")
            return False

        def parse(line: str) -> QuickPromise | _Newcomer:
            settings = self.session.settings
            if person is not None and ":" not in line:  # no "Name:": for the selected person
                line = f"{person.name}: {line}"
            try:
                return parse_quick(line, ledger.people.values(), self.now(), zone,
                                   end_of_day=settings.end_of_day, week=settings.week)
            except UnknownPerson:
                name = clean_name(line.partition(":")[0])
                stand_in = Person(0, name, self.now())
                quick = parse_quick(line, [stand_in], self.now(), zone,
                                    end_of_day=settings.end_of_day, week=settings.week)
                return _Newcomer(name, quick)

        def preview(read: QuickPromise | _Newcomer) -> str:
            quick = read.quick if isinstance(read, _Newcomer) else read
            now = self.now()
            due = f"{fmt.when(quick.due, zone, now)} ({fmt.relative(quick.due, now)})"
            if quick.rule is not None:
                said = (f"{SYMBOL} {quick.text} — to {quick.person.name}, "
                        f"{quick.rule.describe()}; first due {due}")
            else:
                said = f"{quick.text} — to {quick.person.name}, due {due}"
            if isinstance(read, _Newcomer):
                return f"{said} · {read.name} is new: Enter adds them too"
            return said

        def answer(values: Answers) -> acts.Act:
            read: QuickPromise | _Newcomer = values["line"]
            now = self.now()
            quick = read.quick if isinstance(read, _Newcomer) else read
            made: acts.MakePromise | acts.StartSeries
            if quick.rule is not None:
                made = acts.StartSeries(person=quick.person, text=quick.text, rule=quick.rule,
                                        at=now)
            else:
                made = acts.MakePromise(person=quick.person, text=quick.text, due=quick.due,
                                        at=now)
            if isinstance(read, _Newcomer):
                return acts.AddPersonAndPromise(name=read.name, then=made, at=now)
            return made

        field = Field(
            "line", "What did you promise, to whom, by when (or every when)?",
            placeholder=(f"for {person.name}: send the risk list by fri 5pm (or Sam: … by …)"
                         if person else EXAMPLE),
            parse=parse, preview=preview)
        return await self._act(FormScreen(
            "Log a promise", [field], answer,
            hint='Enter saves · Esc cancels · "… every mon 10am" repeats it'))

    # --- people -------------------------------------------------------------------------------

    async def add_person(self) -> bool:
        people = list(self.ledger.people.values())
        return await self._act(FormScreen(
            "Add a person", person_fields(None, people),
            lambda v: acts.AddPerson(details=person_details(v, None, people), at=self.now())))

    async def edit_person(self, person: Person) -> bool:
        people = list(self.ledger.people.values())
        return await self._act(FormScreen(
            f"Edit {person.name}", person_fields(person, people),
            lambda v: acts.EditPerson(person=person, details=person_details(v, person, people),
                                      at=self.now())))

    async def stance(self, person: Person) -> bool:
        def parse(text: str) -> Stance:
            stance = Stance.parse(text)
            if stance is person.stance:
                raise InvalidInput(f"{person.name} is a {stance.value} already; pick where "
                                   "they stand now, e.g. supporter (Esc keeps it)")
            return stance

        fields = [
            Field("stance", f"Where does {person.name} stand now? (was {person.stance.value})",
                  placeholder="detractor, skeptic, neutral, supporter or promoter",
                  parse=parse, preview=lambda s: s.value,
                  suggestions=[s.value for s in Stance]),
            Field("reason", "What moved it?", placeholder="backed my plan in the staff meeting",
                  parse=need_text("what moved it, e.g. backed my plan in staff")),
        ]
        return await self._act(FormScreen(
            f"Stance — {person.name}", fields,
            lambda v: acts.ChangeStance(person=person, stance=v["stance"], reason=v["reason"],
                                        at=self.now())))

    async def reschedule(self, person: Person) -> bool:
        """Move a due check-in to a day that works for both of you."""
        zone = self.session.zone
        field = Field("when", f"When will you check in with {person.name}?",
                      placeholder="mon 10am", parse=lambda t: self._when(t, "mon 10am"),
                      preview=lambda m: fmt.when(m, zone, self.now()))
        return await self._act(FormScreen(
            f"Reschedule the check-in — {person.name}", [field],
            lambda v: acts.MoveCheckin(person=person, when=v["when"], at=self.now())))

    # --- the journal --------------------------------------------------------------------------

    async def entry(self, person: Person, kind: EntryKind | None = None, *,
                    label: str = "What happened?",
                    extra: dict[str, object] | None = None) -> bool:
        """A journal entry; with `kind` given only the words are asked for."""
        fields = []
        if kind is None:
            fields.append(Field("kind", "Kind", default="check-in", parse=EntryKind.parse,
                                preview=lambda k: k.label,
                                suggestions=[k.value for k in EntryKind]))
        fields.append(Field("text", label, placeholder="weekly 1:1; she wants the numbers first",
                            parse=need_text("a few words, e.g. weekly 1:1; asked about risks")))
        title = f"{kind.label.capitalize() if kind else 'Journal entry'} — {person.name}"
        return await self._act(FormScreen(
            title, fields,
            lambda v: acts.LogEntry(person=person, kind=kind or v["kind"], text=v["text"],
                                    extra=dict(extra or {}), at=self.now())))

    async def update(self, person: Person) -> bool:
        """The fifteen-second update: copy it, and mark it sent to reset the check-in clock."""
        from trustjournal.domain.update import compose_update
        from trustjournal.tui.screens.update import UpdateScreen

        draft = compose_update(self.ledger, person.id, self.now(), self.session.zone,
                               budget=self.session.settings.update_words)
        sent = await self._ask(UpdateScreen(person.name, draft))
        if not sent:
            return False
        return self.app.perform(acts.LogEntry(person=person, kind=EntryKind.UPDATE_SENT,
                                              text=draft.text, at=self.now()))

    async def breach(self, person: Person) -> bool:
        """Face a breach head-on (practice 3): name it and, if you can, its cause."""
        ledger = self.ledger

        def promise_id(text: str) -> int | None:
            value = text.strip().lstrip("#")
            if not value:
                return None
            if not value.isdigit() or int(value) not in ledger.promises:
                raise InvalidInput("a promise number from the ledger, e.g. 12, or leave it empty")
            if ledger.promises[int(value)].person_id != person.id:
                raise InvalidInput(f"#{value} was made to someone else")
            return int(value)

        fields = [
            Field("breach", "What happened? Plainly, in your words.",
                  placeholder="dropped the hand-off for the ledger export",
                  parse=need_text("what happened, e.g. dropped the hand-off")),
            _cause_field("Its root cause, if you know it (you can add it later)"),
            Field("promise", "The promise it broke, if any (its number)", placeholder="12",
                  parse=promise_id),
        ]
        return await self._act(FormScreen(
            f"Face a breach — {person.name}", fields,
            lambda v: acts.FaceBreach(person=person, breach=v["breach"], cause=v["cause"],
                                      promise_id=v["promise"], at=self.now())))

    # --- commitments --------------------------------------------------------------------------

    async def add_commitment(self, person: Person) -> bool:
        return await self._act(FormScreen(
            f"Commitment to {person.name}", commitment_fields(person, None),
            lambda v: acts.AddCommitment(person=person, text=v["text"], goal=v["goal"],
                                         measure=v["measure"], at=self.now())))

    async def edit_commitment(self, person: Person, commitment: Commitment) -> bool:
        def answer(v: Answers) -> acts.Act:
            status: CommitmentStatus = v["status"]
            return acts.EditCommitment(commitment=commitment, text=v["text"], goal=v["goal"],
                                       measure=v["measure"], status=status, at=self.now())

        return await self._act(FormScreen(
            f"Edit commitment #{commitment.id}", commitment_fields(person, commitment), answer))

    # --- recurring promises: the series behind an occurrence ----------------------------------

    async def stop_series(self, series: Series) -> bool:
        """Stop a series (its history stays); the upcoming occurrence is released with it."""
        field = _note(f"Why stop it? ({series.describe()}; its history stays)",
                      "Dana reads the dashboard now")
        return await self._act(FormScreen(
            f"Stop the series: {series.text}", [field],
            lambda v: acts.StopSeries(series=series, note=v["note"], at=self.now())))

    async def change_series(self, series: Series) -> bool:
        """Change a series from now on: its day, time, end or text. Occurrences already due or
        closed stay as they were; the upcoming one follows."""
        from trustjournal.domain.series import parse_rule

        zone = self.session.zone

        def rule(text: str) -> Rule:
            said = " ".join(text.split())
            if not said:
                raise InvalidInput("say when it repeats, e.g. every mon 10am")
            settings = self.session.settings
            return parse_rule(said, self.now(), zone, end_of_day=settings.end_of_day,
                              week=settings.week)

        def preview(new: Rule) -> str:
            if new == series.rule:
                return f"{new.describe()} (as now)"
            _, first = new.first_slot(zone, self.now())
            return f"{new.describe()}; next due {fmt.when(first, zone, self.now())}"

        def answer(v: Answers) -> acts.Act:
            new_rule = v["rule"] if v["rule"] != series.rule else None
            new_text = v["text"] if v["text"] != series.text else None
            if new_rule is None and new_text is None:
                raise InvalidInput("nothing changed: the series is already that (Esc leaves it)")
            return acts.ChangeSeries(series=series, rule=new_rule, text=new_text, at=self.now())

        fields = [
            Field("rule", f"When does it repeat? (now {series.describe()})",
                  value=series.describe(), placeholder="every mon 10am", parse=rule,
                  preview=preview),
            Field("text", "What you promise each time", value=series.text,
                  parse=need_text("what you promise, e.g. status note")),
        ]
        return await self._act(FormScreen(f"Change the series: {series.text}", fields, answer))


class _Newcomer:
    """A quick line to someone not in the journal yet: Enter adds them with the promise."""

    __slots__ = ("name", "quick")

    def __init__(self, name: str, quick: QuickPromise) -> None:
        self.name = name
        self.quick = quick
