"""The app's questions, in order, each ending in one act.

A flow asks its questions with `await app.push_screen_wait(...)` (so it runs in a worker: start
it with `app.ask(flows.broken(promise))`), each question a form typed by its result, and hands
the act it ends in to `app.perform`: one transaction, one undo step. A flow returns whether the
person went through with it, so the review can move on when they did.

Any screen can start a flow: the person page, the main screen and the review share these, and
none of them knows another.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from trustjournal.domain import format as fmt
from trustjournal.domain.commitment import Commitment, CommitmentStatus
from trustjournal.domain.dates import DateParseError
from trustjournal.domain.entry import Entry, EntryKind
from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.person import Goal, Milestone, Person, clean_name
from trustjournal.domain.promise import Promise
from trustjournal.domain.quick import (
    EXAMPLE,
    QuickPromise,
    UnknownName,
    names_someone,
    parse_quick,
)
from trustjournal.domain.repair import Cause, Repair
from trustjournal.domain.series import SYMBOL, Rule, Series
from trustjournal.domain.stance import Stance
from trustjournal.tui import acts, safe
from trustjournal.tui.fields import (
    commitment_fields,
    need_lines,
    need_text,
    optional_text,
    person_details,
    person_fields,
)
from trustjournal.tui.screens.form import Answers, Field, FormScreen

if TYPE_CHECKING:
    from textual.screen import Screen

    from trustjournal.domain.ledger import Ledger
    from trustjournal.tui.app import TrustJournalApp
    from trustjournal.tui.session import Session

T = TypeVar("T")


def _note(label: str, example: str, *, multiline: bool = False) -> Field:
    read = need_lines if multiline else need_text
    return Field("note", label, placeholder=example,
                 parse=read(f"a few words of why, e.g. {example}"), multiline=multiline)


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
            safe.say(self.app, safe.for_app(error), severity="error")
            return False
        return self.app.perform(act)

    async def broken(self, promise: Promise) -> bool:
        fields = [
            _note("What happened? Plainly, no excuses.", "ran out of time and didn't say so",
                  multiline=True),
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
            hint="Enter saves · Esc cancels · (r on the ledger changes the due time)"))

    # --- new promises -------------------------------------------------------------------------

    async def promise(self, person: Person | None = None) -> bool:
        """The quick line: "Dana: send the risk list by fri 5pm" (the selected person's name
        is the placeholder: typing "Sam: …" makes it Sam's)."""
        ledger, zone = self.ledger, self.session.zone
        if not ledger.people:
            safe.say(self.app, "Add a person first: press a.", severity="warning")
            return False

        def parse(line: str) -> QuickPromise | _Newcomer:
            settings = self.session.settings
            if person is not None and not names_someone(line, ledger.people.values()):
                line = f"{person.name}: {line}"  # no "Name:": for the selected person
            commitments = ledger.commitments.values()
            try:
                return parse_quick(line, ledger.people.values(), self.now(), zone,
                                   end_of_day=settings.end_of_day, week=settings.week,
                                   commitments=commitments)
            except UnknownName as unknown:
                # Someone new: read the rest of the line as if they were here already.
                name = clean_name(unknown.name)
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
                if quick.due_words:
                    said += f' (read "{quick.due_words}" as the date)'
            if quick.commitment_id is not None:
                served = ledger.commitments.get(quick.commitment_id)
                said += f" · serves #{quick.commitment_id}" + (
                    f" {served.text}" if served is not None else "")
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
                                        commitment_id=quick.commitment_id, at=now)
            else:
                made = acts.MakePromise(person=quick.person, text=quick.text, due=quick.due,
                                        commitment_id=quick.commitment_id, at=now)
            if isinstance(read, _Newcomer):
                return acts.AddPersonAndPromise(name=read.name, then=made, at=now)
            return made

        field = Field(
            "line", "What did you promise, to whom, by when (or every when)?",
            placeholder=(f"for {person.name}: send the risk list fri 5pm (or Sam: … tomorrow)"
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
                raise InvalidInput(f"{person.name} is {stance.value} already; pick where "
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
        fields.append(Field("text", label, placeholder="weekly 1:1; asked what worries them most",
                            parse=need_lines("a few words, e.g. weekly 1:1; asked about risks"),
                            multiline=True))
        title = f"{kind.label.capitalize() if kind else 'Journal entry'} — {person.name}"

        def answer(v: Answers) -> acts.Act:
            chosen: EntryKind = kind or v["kind"]
            answers = None
            if chosen is EntryKind.FEEDBACK_ACTED_ON:
                # It answers their latest feedback nothing answers yet (practice 7).
                from trustjournal.domain.entry import feedback_to_answer

                found = feedback_to_answer(self.ledger.entries.values(), person.id)
                if not found:
                    raise InvalidInput(f"no feedback from {person.name} to act on yet: log "
                                       "it first (kind feedback-received)")
                answers = found[0].id
            return acts.LogEntry(person=person, kind=chosen, text=v["text"],
                                 extra=dict(extra or {}), answers=answers, at=self.now())

        return await self._act(FormScreen(title, fields, answer))

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
            _cause_field("Its root cause, if you know it (e on the repair names it later)"),
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


    # --- a person's page: goals, milestones (reaching one asks about meeting their leader),
    # trust, editing the journal, finishing or dropping a commitment

    def _day(self, text: str, *, needed: bool = False, past: bool = False) -> date | None:
        """A day as typed ("dec 20", "next fri", "2027-03-01"); empty is no day. With `past`,
        a day that has come ("yesterday", "mon" is the last Monday, "nov 20" this year's)."""
        said = " ".join(text.split())
        if not said:
            if needed:
                raise InvalidInput('say which day, e.g. "next thu" or "dec 20"')
            return None
        try:
            moment = self.session.when(said, self.now())
        except DateParseError as error:
            raise InvalidInput(str(error)) from None
        day = moment.astimezone(self.session.zone).date()
        today = self._today()
        if past and day > today:
            # The parser reads ahead ("mon" is next Monday): the last one is meant here.
            if day - today <= timedelta(days=7):
                day -= timedelta(days=7)
            elif str(day.year) not in said:
                day = day.replace(year=day.year - 1)
            if day > today:
                raise InvalidInput('a day that has come, e.g. "today", "yesterday" or "nov 20"')
        return day

    def _today(self) -> date:
        return self.now().astimezone(self.session.zone).date()

    def _day_field(self, key: str, label: str, value: date | None = None, *,
                   placeholder: str = "dec 20 · next fri · empty for no date",
                   default: str = "", needed: bool = False, past: bool = False) -> Field:
        today = self._today()
        return Field(key, label, value=value.isoformat() if value else "",
                     placeholder="" if default else placeholder, default=default,
                     parse=lambda t: self._day(t, needed=needed, past=past),
                     preview=lambda d: fmt.day(d, today) if d else "no date")

    async def add_goal(self, person: Person) -> bool:
        fields = [
            Field("name", f"A goal {person.name} must deliver (what their leader asks of them)",
                  placeholder="Project Foo ships by June",
                  parse=need_text("the goal in their words, e.g. Project Foo ships by June")),
            self._day_field("due", "By when? (optional)"),
        ]
        return await self._act(FormScreen(
            f"Goal — {person.name}", fields,
            lambda v: acts.AddGoal(person=person, name=v["name"], due=v["due"], at=self.now())))

    async def edit_goal(self, person: Person, goal: Goal) -> bool:
        fields = [
            Field("name", "The goal", value=goal.name,
                  parse=need_text("the goal in their words, e.g. Project Foo ships by June")),
            self._day_field("due", "By when? (empty: no date)", goal.due),
        ]
        return await self._act(FormScreen(
            f"Edit goal — {person.name}", fields,
            lambda v: acts.EditGoal(person=person, goal=goal.name, name=v["name"], due=v["due"],
                                    at=self.now())))

    async def add_milestone(self, where: acts.MilestoneOf) -> bool:
        owner = f"commitment #{where.commitment_id}" if where.commitment_id else where.goal
        fields = [
            Field("name", f"A milestone on the way to {owner}", placeholder="beta on staging",
                  parse=need_text("a milestone, e.g. beta on staging")),
            self._day_field("due", "Due (optional)"),
        ]
        return await self._act(FormScreen(
            f"Milestone — {owner}", fields,
            lambda v: acts.AddMilestone(where=where, name=v["name"], due=v["due"],
                                        at=self.now())))

    async def edit_milestone(self, where: acts.MilestoneOf, milestone: Milestone) -> bool:
        fields = [
            Field("name", "The milestone", value=milestone.name,
                  parse=need_text("a milestone, e.g. beta on staging")),
            self._day_field("due", "Due (empty: no date)", milestone.due),
        ]
        return await self._act(FormScreen(
            f"Edit milestone — {milestone.name}", fields,
            lambda v: acts.EditMilestone(where=where, milestone=milestone.name, name=v["name"],
                                         due=v["due"], at=self.now())))

    async def reach_milestone(self, where: acts.MilestoneOf, milestone: Milestone) -> bool:
        """y on a milestone: reached (when, and for a goal of someone with a leader, whether
        to plan meeting that leader, in the same form: practice 8); y on a reached one takes
        it back."""
        if milestone.reached is not None:
            return self.app.perform(acts.ReachMilestone(
                where=where, milestone=milestone.name, reached=None, at=self.now()))
        fields = [self._day_field("reached", "Reached on (today, yesterday, mon, nov 20…)",
                                  default="today", needed=True, past=True)]
        person = self.ledger.people.get(where.person.id, where.person)
        if where.commitment_id is None and person.has_leader:
            fields.append(self._meeting_field(person))

        def answer(v: Answers) -> acts.Act:
            meet: date | None = v.get("meet")
            return acts.ReachMilestone(
                where=where, milestone=milestone.name, reached=v["reached"], meet_on=meet,
                declined="meet" in v and meet is None, at=self.now())

        return await self._act(FormScreen(f"Reached: {milestone.name}", fields, answer))

    def _meeting_field(self, person: Person) -> Field:
        """Whether to meet their leader after a milestone (practice 8): a day, or no (None)."""
        from trustjournal.domain.review import leader_name

        leader = leader_name(self.ledger, person)

        def meeting(text: str) -> date | None:
            said = text.strip().lower()
            if said in ("no", "n", "not now", "not this time"):
                return None
            if not said:
                raise InvalidInput('a day to meet them (e.g. "next thu"), or "no"')
            return self._day(said, needed=True)

        return Field("meet", f"Meet {leader} to share how you work and ask for feedback? "
                     "A day, or no", placeholder="next thu · no", parse=meeting,
                     preview=lambda d: f"meet {leader} on {fmt.day(d, self._today())}"
                     if d else "not this time (noted)")

    async def leader_meeting(self, person: Person, goal: str, milestone: str) -> bool:
        """The review's question: plan meeting their leader after a milestone, or not."""
        field = self._meeting_field(person)
        return await self._act(FormScreen(
            f"After {milestone} — {person.name}", [field],
            lambda v: acts.AnswerLeaderMeeting(person=person, goal=goal, milestone=milestone,
                                               meet_on=v["meet"], at=self.now())))

    async def add_trust(self, person: Person) -> bool:
        others = [p for p in self.ledger.people.values() if p.id != person.id]
        if not others:
            safe.say(self.app, "Add the people they trust first (a on the main screen).",
                     severity="warning")
            return False

        def pick(text: str) -> Person:
            from trustjournal.domain.ledger import find_person

            if " ".join(text.split()).casefold() == person.name.casefold():
                raise InvalidInput(f"this is {person.name}'s page: name someone whose word "
                                   "carries weight with them, e.g. " + others[0].name)
            other = find_person(others, text)
            if other.id in person.trusts:
                raise InvalidInput(f"{person.name} trusts {other.name} already (noted)")
            return other

        field = Field("other", f"Whom does {person.name} trust? (their word carries weight)",
                      placeholder=others[0].name, parse=pick, preview=lambda p: p.name,
                      suggestions=[p.name for p in others])
        return await self._act(FormScreen(
            f"Trust — {person.name}", [field],
            lambda v: acts.Trust(person=person, other=v["other"], at=self.now())))

    async def edit_entry(self, entry: Entry) -> bool:
        field = Field("text", f"The {entry.kind.label}", value=entry.text,
                      parse=need_text("a few words, e.g. weekly 1:1; asked about risks"))
        return await self._act(FormScreen(
            f"Edit {entry.kind.label}", [field],
            lambda v: acts.EditEntry(entry=entry, text=v["text"], at=self.now())))

    async def name_cause(self, repair: Repair) -> bool:
        field = _cause_field(f"The root cause of: {repair.breach}"
                             + (f" (now {repair.cause.value})" if repair.cause else ""))

        def answer(v: Answers) -> acts.Act:
            cause: Cause | None = v["cause"]
            if cause is None:
                raise InvalidInput("name the cause, e.g. communication (→ completes it)")
            return acts.NameCause(repair=repair, cause=cause, at=self.now())

        return await self._act(FormScreen(f"Root cause — {repair.breach}", [field], answer))

    async def progress(self, commitment: Commitment) -> bool:
        against = commitment.measure or "what you said you would do"
        field = Field("text", f"Progress against: {against}",
                      placeholder="nightly run green 3 days in a row",
                      parse=need_text("what moved, e.g. nightly run green 3 days in a row"))
        return await self._act(FormScreen(
            f"Progress — #{commitment.id} {commitment.text}", [field],
            lambda v: acts.NoteProgress(commitment=commitment, text=v["text"], at=self.now())))

    async def finish_commitment(self, commitment: Commitment) -> bool:
        """y on a commitment: done; on one done or dropped, active again once you say so."""
        if commitment.status is CommitmentStatus.ACTIVE:
            return self.app.perform(acts.CloseCommitment(
                commitment=commitment, status=CommitmentStatus.DONE, at=self.now()))
        was = commitment.status.value
        zone = self.session.zone
        today = self.now().astimezone(zone).date()
        closed = commitment.closed_at
        since = f" since {fmt.day(closed.astimezone(zone).date(), today)}" if closed else ""
        why = f": {commitment.why}" if commitment.why else ""
        field = Field("why", "What changed? (optional: kept as a progress note)",
                      placeholder="e.g. the migration is back on", parse=optional_text)
        return await self._act(FormScreen(
            f"Take up #{commitment.id} again: {commitment.text}", [field],
            lambda v: acts.CloseCommitment(commitment=commitment,
                                           status=CommitmentStatus.ACTIVE, why=v["why"],
                                           at=self.now()),
            hint=f"It is {was}{since}{why}. Enter takes it up again; esc leaves it {was}."))

    async def drop_commitment(self, commitment: Commitment) -> bool:
        field = _note("Why drop it? Say so to them, rather than let it fade",
                      "the migration was cancelled")
        return await self._act(FormScreen(
            f"Drop commitment #{commitment.id}: {commitment.text}", [field],
            lambda v: acts.CloseCommitment(commitment=commitment,
                                           status=CommitmentStatus.DROPPED, why=v["note"],
                                           at=self.now())))


class _Newcomer:
    """A quick line to someone not in the journal yet: Enter adds them with the promise."""

    __slots__ = ("name", "quick")

    def __init__(self, name: str, quick: QuickPromise) -> None:
        self.name = name
        self.quick = quick
