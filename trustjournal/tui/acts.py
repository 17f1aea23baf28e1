"""Everything a person can do in the app, each as one act: a value that says what they decided
and when, applied to the journal in one transaction, so one undo takes all of it back.

An act is made once its questions are answered (a form returns it, typed) and is applied by the
session's queue, off the UI thread, to the latest saved version of each record it touches. No
Textual here: acts are tested on a journal alone.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from trustjournal.domain import format as fmt
from trustjournal.domain.commitment import Commitment, CommitmentStatus
from trustjournal.domain.entry import Entry, EntryKind
from trustjournal.domain.errors import InvalidInput, UnknownRecord
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.person import (
    Goal,
    Milestone,
    Milestones,
    Person,
    UpdatePreference,
    decline_leader_meeting,
    leader_meeting_done,
    plan_leader_meeting,
)
from trustjournal.domain.promise import Promise
from trustjournal.domain.repair import Cause, Repair
from trustjournal.domain.series import SYMBOL, Rule, Series
from trustjournal.domain.stance import Stance, StanceChange
from trustjournal.storage.journal import Transaction
from trustjournal.storage.records import COMMITMENTS, ENTRIES, PEOPLE, PROMISES, REPAIRS, SERIES


@dataclass(frozen=True, kw_only=True)
class Act(ABC):
    """One decision, made at `at`."""

    at: datetime

    @property
    @abstractmethod
    def description(self) -> str:
        """A few words for the save queue and undo ("#12 kept", "new promise")."""

    @abstractmethod
    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        """Make the change in `tx`; returns what to tell the person. Raises InvalidInput (or
        another TrustJournalError) when it cannot be made: nothing is then written."""

    def preview(self, ledger: Ledger) -> Ledger | None:
        """The ledger as it will be once saved, to show at once; None to wait for the save."""
        return None


# --- follow-through: one promise, changed on its latest saved version --------------------------


@dataclass(frozen=True, kw_only=True)
class _PromiseAct(Act):
    promise: Promise

    @abstractmethod
    def step(self, promise: Promise) -> Promise:
        """The promise after this act (raises InvalidInput when it cannot take it)."""

    @abstractmethod
    def what(self, zone: ZoneInfo) -> str: ...

    verb: ClassVar[str]

    @property
    def description(self) -> str:
        return f"#{self.promise.id} {self.verb}"

    def check(self) -> None:
        """Raise InvalidInput now when the promise as shown cannot take this act."""
        self.step(self.promise)

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        fresh = tx.get(PROMISES, self.promise.id)
        updated = self.step(fresh)
        tx.save(updated)
        also = self.also(tx, updated)
        note = "" if fresh == self.promise else " (it had changed elsewhere; applied to the latest)"
        return (f"#{self.promise.id} {self.what(zone)}{note}{also}"
                + _next_occurrence(tx, updated, self.at, zone))

    def also(self, tx: Transaction, updated: Promise) -> str:
        """Anything else this act writes in the same transaction; returns words to add."""
        return ""

    def preview(self, ledger: Ledger) -> Ledger | None:
        try:
            shown = self.step(self.promise)
        except InvalidInput:
            return None
        return replace(ledger, promises={**ledger.promises, self.promise.id: shown})


def _next_occurrence(tx: Transaction, updated: Promise, now: datetime, zone: ZoneInfo) -> str:
    """An occurrence of a series just closed: its next one is made in the same transaction, so
    one undo takes both back. Returns what to add to the message."""
    if updated.series_id is None or updated.is_open:
        return ""
    from trustjournal.storage.recurring import advance_one

    try:
        made = advance_one(tx, tx.get(SERIES, updated.series_id), now)
    except UnknownRecord:
        return ""
    if not made:
        return ""
    nxt = made[-1]
    return f"; next: #{nxt.id} due {fmt.when(nxt.due, zone, now)}"


@dataclass(frozen=True, kw_only=True)
class Keep(_PromiseAct):
    verb = "kept"
    def step(self, promise: Promise) -> Promise:
        return promise.kept(self.at)

    def what(self, zone: ZoneInfo) -> str:
        late = self.at - self.promise.due
        return "kept" + (f", {fmt.span(late)} late" if late.total_seconds() > 0 else " on time")


@dataclass(frozen=True, kw_only=True)
class Break(_PromiseAct):
    """Marked broken; with a root cause it also starts the repair, in the same transaction."""

    verb = "marked broken"
    note: str
    cause: Cause | None = None

    def step(self, promise: Promise) -> Promise:
        return promise.broken(self.at, self.note)

    def what(self, zone: ZoneInfo) -> str:
        return "marked broken"

    def also(self, tx: Transaction, updated: Promise) -> str:
        if self.cause is None:
            return ""
        tx.add(Repair(0, updated.person_id, f"broke: {updated.text}", self.at, self.cause,
                      updated.id))
        return "; repair started: acknowledge it to them, then apologise (n)"


@dataclass(frozen=True, kw_only=True)
class Release(_PromiseAct):
    verb = "released"
    note: str

    def step(self, promise: Promise) -> Promise:
        return promise.released(self.at, self.note)

    def what(self, zone: ZoneInfo) -> str:
        return "released"


@dataclass(frozen=True, kw_only=True)
class Renegotiate(_PromiseAct):
    verb = "renegotiated"
    due: datetime
    note: str

    def step(self, promise: Promise) -> Promise:
        return promise.renegotiated(self.at, self.due, self.note)

    def what(self, zone: ZoneInfo) -> str:
        return f"now due {fmt.when(self.due, zone, self.at)}"


@dataclass(frozen=True, kw_only=True)
class Reword(_PromiseAct):
    verb = "reworded"
    text: str

    def step(self, promise: Promise) -> Promise:
        if not self.text:
            raise InvalidInput("a promise needs words, e.g. send the Q3 numbers")
        return replace(promise, text=self.text)

    def what(self, zone: ZoneInfo) -> str:
        return "reworded"


# --- new promises -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MakePromise(Act):
    person: Person
    text: str
    due: datetime
    commitment_id: int | None = None

    @property
    def description(self) -> str:
        return "new promise"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        made = tx.add(Promise.make(text=self.text, person_id=self.person.id, made_at=self.at,
                                   due=self.due, zone=zone.key,
                                   commitment_id=self.commitment_id))
        serves = f" (serves commitment #{self.commitment_id})" if self.commitment_id else ""
        return (f"#{made.id} to {self.person.name}, due {fmt.when(self.due, zone, self.at)}"
                + serves)


@dataclass(frozen=True, kw_only=True)
class StartSeries(Act):
    """A promise that repeats: the series and its first occurrence, in one change."""

    person: Person
    text: str
    rule: Rule
    commitment_id: int | None = None

    @property
    def description(self) -> str:
        return "new recurring promise"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        from trustjournal.storage.recurring import start_series

        series, first = start_series(tx, Series.make(
            text=self.text, person_id=self.person.id, rule=self.rule, made_at=self.at,
            zone=zone, commitment_id=self.commitment_id), self.at)
        return (f"{SYMBOL} #{first.id} to {self.person.name}, {series.describe()}; "
                f"first due {fmt.when(first.due, zone, self.at)}")


@dataclass(frozen=True, kw_only=True)
class AddPersonAndPromise(Act):
    """A promise to someone not in the journal yet: both, in one undo step."""

    name: str
    then: MakePromise | StartSeries

    @property
    def description(self) -> str:
        return f"add {self.name} and a promise"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        person = tx.add(Person(0, self.name, self.at, stance_history=(
            StanceChange(Stance.NEUTRAL, self.at, "first noted"),)))
        said = replace(self.then, person=person).apply(tx, zone)
        return f"Added {person.name}; {said}"


# --- people -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonDetails:
    """What the add and edit forms ask about a person."""

    name: str
    role: str = ""
    leader: str = ""
    leader_id: int | None = None
    stance: Stance = Stance.NEUTRAL
    checkin: str = ""
    prefers: UpdatePreference = UpdatePreference.MEETING
    needs: str = ""
    notes: str = ""
    reason: str = ""
    """What moved the stance, when it changed."""


@dataclass(frozen=True, kw_only=True)
class AddPerson(Act):
    details: PersonDetails

    @property
    def description(self) -> str:
        return "person"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        d = self.details
        added = tx.add(Person(
            id=0, name=d.name, created_at=self.at, role=d.role, leader=d.leader,
            leader_id=d.leader_id, prefers=d.prefers, checkin=d.checkin, needs=d.needs,
            notes=d.notes, stance_history=(StanceChange(d.stance, self.at, "first noted"),)))
        return f"Added {added.name}"


@dataclass(frozen=True, kw_only=True)
class EditPerson(Act):
    person: Person
    details: PersonDetails

    @property
    def description(self) -> str:
        return "person"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        d = self.details
        fresh = tx.get(PEOPLE, self.person.id)
        updated = replace(fresh, name=d.name, role=d.role, leader=d.leader,
                          leader_id=d.leader_id, prefers=d.prefers, checkin=d.checkin,
                          needs=d.needs, notes=d.notes)
        if d.stance is not fresh.stance:
            updated = updated.with_stance(d.stance, self.at, d.reason or "changed in the app")
        if updated == fresh:
            return f"Nothing changed for {fresh.name}"
        tx.save(updated)
        return f"Saved {updated.name}"


@dataclass(frozen=True, kw_only=True)
class ChangeStance(Act):
    person: Person
    stance: Stance
    reason: str

    @property
    def description(self) -> str:
        return "stance"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        fresh = tx.get(PEOPLE, self.person.id)
        if fresh.stance is self.stance:
            raise InvalidInput(f"{fresh.name} is {self.stance.value} already; nothing "
                               "recorded")
        tx.save(fresh.with_stance(self.stance, self.at, self.reason))
        return f"{fresh.name}: {fresh.stance.value} → {self.stance.value}"

    def preview(self, ledger: Ledger) -> Ledger | None:
        shown = ledger.people.get(self.person.id)
        if shown is None or shown.stance is self.stance:
            return None
        moved = shown.with_stance(self.stance, self.at, self.reason)
        return replace(ledger, people={**ledger.people, moved.id: moved})


@dataclass(frozen=True, kw_only=True)
class MoveCheckin(Act):
    person: Person
    when: datetime

    @property
    def description(self) -> str:
        return "check-in moved"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        fresh = tx.get(PEOPLE, self.person.id)
        tx.save(replace(fresh, checkin_moved_to=self.when))
        return f"Check-in with {fresh.name} moved to {fmt.when(self.when, zone, self.at)}"


# --- the journal ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class LogEntry(Act):
    person: Person
    kind: EntryKind
    text: str
    extra: dict[str, object] = field(default_factory=dict)
    answers: int | None = None
    """For feedback acted on: the feedback entry it answers (practice 7)."""

    @property
    def description(self) -> str:
        return "update sent" if self.kind is EntryKind.UPDATE_SENT else "journal entry"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        from trustjournal.domain.entry import check_answer

        entry = Entry(0, self.person.id, self.kind, self.text, self.at,
                      extra=dict(self.extra), answers=self.answers)
        if self.answers is not None or self.kind is EntryKind.FEEDBACK_ACTED_ON:
            check_answer(entry, {e.id: e for e in tx.all(ENTRIES)})
        tx.add(entry)
        if self.kind is EntryKind.UPDATE_SENT:
            return f"Update to {self.person.name} logged as sent"
        return f"Logged {self.kind.label} for {self.person.name}"


@dataclass(frozen=True, kw_only=True)
class AnswerOneThing(Act):
    """The review's follow-up on yesterday's one thing: done or not."""

    entry_id: int
    outcome: str

    @property
    def description(self) -> str:
        return "one thing"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        from trustjournal.domain.review import ONE_THING

        entry = tx.get(ENTRIES, self.entry_id)
        tx.save(replace(entry, extra={**entry.extra, ONE_THING: self.outcome}))
        return "Noted." if self.outcome == "done" else "Noted. Tomorrow is another chance."


@dataclass(frozen=True, kw_only=True)
class FaceBreach(Act):
    """Name a breach (practice 3) and, if known, its cause and the promise it broke."""

    person: Person
    breach: str
    cause: Cause | None = None
    promise_id: int | None = None

    @property
    def description(self) -> str:
        return "repair"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        tx.add(Repair(0, self.person.id, self.breach, self.at, self.cause, self.promise_id))
        return ("Named. Next: acknowledge it to them, apologise without excuses, share the "
                "plan (n logs each)")


# --- commitments ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AddCommitment(Act):
    person: Person
    text: str
    goal: str = ""
    measure: str = ""

    @property
    def description(self) -> str:
        return "commitment"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        added = tx.add(Commitment(0, self.person.id, self.text, self.at, goal=self.goal,
                                  measure=self.measure))
        return f"Commitment #{added.id} to {self.person.name}"


@dataclass(frozen=True, kw_only=True)
class EditCommitment(Act):
    commitment: Commitment
    text: str
    goal: str
    measure: str
    status: CommitmentStatus

    @property
    def description(self) -> str:
        return "commitment"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        fresh = tx.get(COMMITMENTS, self.commitment.id)
        updated = replace(fresh, text=self.text, goal=self.goal, measure=self.measure)
        if self.status is not fresh.status:
            updated = _with_status(updated, self.status, self.at, "dropped in the app")
        tx.save(updated)
        return f"Saved commitment #{fresh.id}"


# --- recurring promises -----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class StopSeries(Act):
    """Stop a series (its history stays); the upcoming occurrence is released with it."""

    series: Series
    note: str

    @property
    def description(self) -> str:
        return f"stop series #{self.series.id}"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        from trustjournal.storage.recurring import stop_series

        stopped, released = stop_series(tx, self.series.id, self.at, self.note)
        also = f"; #{released.id} released with it" if released else ""
        return f"Stopped {SYMBOL} {stopped.text} ({stopped.describe()}){also}"


@dataclass(frozen=True, kw_only=True)
class ChangeSeries(Act):
    """Change a series from now on; occurrences already due or closed stay as they were."""

    series: Series
    rule: Rule | None
    text: str | None

    @property
    def description(self) -> str:
        return f"change series #{self.series.id}"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        from trustjournal.storage.recurring import change_series

        changed, moved = change_series(tx, self.series.id, self.at, rule=self.rule,
                                       text=self.text)
        also = (f"; #{moved.id} now due {fmt.when(moved.due, zone, self.at)}"
                if moved is not None else "")
        return f"Changed {SYMBOL} {changed.text}: {changed.describe()}{also}"


# --- a person's goals, milestones and trusts (practices 1, 4, 8) ----------------------------


@dataclass(frozen=True, kw_only=True)
class AddGoal(Act):
    person: Person
    name: str
    due: date | None = None

    @property
    def description(self) -> str:
        return "goal"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        fresh = tx.get(PEOPLE, self.person.id)
        tx.save(fresh.with_goal(Goal(self.name, due=self.due)))
        return f"Goal for {fresh.name}: {self.name}"


@dataclass(frozen=True, kw_only=True)
class EditGoal(Act):
    person: Person
    goal: str
    name: str
    due: date | None

    @property
    def description(self) -> str:
        return "goal"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        fresh = tx.get(PEOPLE, self.person.id)
        updated, goal = fresh.with_goal_changed(self.goal, name=self.name, due=self.due)
        tx.save(updated)
        return f"Saved {fresh.name}'s goal {goal.name}"


@dataclass(frozen=True, kw_only=True)
class RemoveGoal(Act):
    person: Person
    goal: str

    @property
    def description(self) -> str:
        return "goal removed"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        fresh = tx.get(PEOPLE, self.person.id)
        updated, goal = fresh.without_goal(self.goal)
        serving = [c for c in tx.all(COMMITMENTS) if c.person_id == fresh.id
                   and c.goal.casefold() == goal.name.casefold()]
        if serving:
            raise InvalidInput(f"commitment #{serving[0].id} serves {goal.name}: e on it "
                               "changes what it serves first (the goal stays)")
        tx.save(updated)
        return f"Removed {fresh.name}'s goal {goal.name} (ctrl+z undoes)"


@dataclass(frozen=True, slots=True)
class MilestoneOf:
    """Where a milestone lives: one of a person's goals, or a commitment to them."""

    person: Person
    goal: str = ""
    commitment_id: int | None = None

    def read(self, tx: Transaction) -> tuple[Person | Commitment, tuple[Milestone, ...], str]:
        """The owner as saved now, its milestones, and its name for messages."""
        if self.commitment_id is not None:
            commitment = tx.get(COMMITMENTS, self.commitment_id)
            return commitment, commitment.milestones, f"commitment #{commitment.id}"
        person = tx.get(PEOPLE, self.person.id)
        goal = person.goals[person.goal_index(self.goal)]
        return person, goal.milestones, f"{person.name}'s goal {goal.name}"

    def write(self, tx: Transaction, owner: Person | Commitment,
              milestones: tuple[Milestone, ...]) -> None:
        if isinstance(owner, Commitment):
            tx.save(replace(owner, milestones=milestones))
        else:
            tx.save(owner.with_goal_milestones(self.goal, milestones))


@dataclass(frozen=True, kw_only=True)
class AddMilestone(Act):
    where: MilestoneOf
    name: str
    due: date | None = None

    @property
    def description(self) -> str:
        return "milestone"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        owner, items, called = self.where.read(tx)
        self.where.write(tx, owner, Milestones.added(items, Milestone(self.name, self.due),
                                                     called))
        return f"Milestone for {called}: {self.name}"


@dataclass(frozen=True, kw_only=True)
class EditMilestone(Act):
    where: MilestoneOf
    milestone: str
    name: str
    due: date | None

    @property
    def description(self) -> str:
        return "milestone"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        owner, items, called = self.where.read(tx)
        changed, now = Milestones.changed(items, self.milestone, called, name=self.name,
                                          due=self.due)
        self.where.write(tx, owner, changed)
        return f"Saved milestone {now.name} of {called}"


@dataclass(frozen=True, kw_only=True)
class RemoveMilestone(Act):
    where: MilestoneOf
    milestone: str

    @property
    def description(self) -> str:
        return "milestone removed"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        owner, items, called = self.where.read(tx)
        left, gone = Milestones.removed(items, self.milestone, called)
        self.where.write(tx, owner, left)
        return f"Removed milestone {gone.name} of {called} (ctrl+z undoes)"


@dataclass(frozen=True, kw_only=True)
class ReachMilestone(Act):
    """Mark a milestone reached (or not reached after all); on a goal of someone with a
    leader, the answer about meeting that leader is saved with it, in the same change."""

    where: MilestoneOf
    milestone: str
    reached: date | None
    meet_on: date | None = None
    """Yes: plan to meet their leader that day."""
    declined: bool = False
    """No: not this time (the answer is logged all the same)."""

    @property
    def description(self) -> str:
        return "milestone reached" if self.reached else "milestone not reached"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        owner, items, called = self.where.read(tx)
        changed, now = Milestones.changed(items, self.milestone, called, reached=self.reached)
        self.where.write(tx, owner, changed)
        said = (f"{now.name} reached" if self.reached else f"{now.name} not reached yet") \
            + f" ({called})"
        if self.where.commitment_id is not None or not (self.meet_on or self.declined):
            return said
        person = tx.get(PEOPLE, self.where.person.id)
        if self.meet_on is not None:
            tx.save(plan_leader_meeting(person, self.where.goal, now.name, self.meet_on,
                                        self.at))
            day = fmt.day(self.meet_on, self.at.astimezone(zone).date())
            return f"{said}; meeting their leader planned for {day}"
        tx.save(decline_leader_meeting(person, self.where.goal, now.name, self.at))
        return f"{said}; no leader meeting this time (noted)"


@dataclass(frozen=True, kw_only=True)
class AnswerLeaderMeeting(Act):
    """The review's answer about meeting a leader: planned for a day, declined, or done."""

    person: Person
    goal: str
    milestone: str
    meet_on: date | None = None
    done: bool = False

    @property
    def description(self) -> str:
        return "leader meeting"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        fresh = tx.get(PEOPLE, self.person.id)
        if self.done:
            tx.save(leader_meeting_done(fresh, self.goal, self.milestone, self.at))
            return "Leader meeting done: note what you heard (n)"
        if self.meet_on is not None:
            tx.save(plan_leader_meeting(fresh, self.goal, self.milestone, self.meet_on,
                                        self.at))
            return ("Leader meeting planned for "
                    f"{fmt.day(self.meet_on, self.at.astimezone(zone).date())}")
        tx.save(decline_leader_meeting(fresh, self.goal, self.milestone, self.at))
        return "No leader meeting this time (noted)"


@dataclass(frozen=True, kw_only=True)
class Trust(Act):
    """`person` trusts `other` (practice 8), or no longer does."""

    person: Person
    other: Person
    trusts: bool = True

    @property
    def description(self) -> str:
        return "trust"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        fresh = tx.get(PEOPLE, self.person.id)
        other = tx.get(PEOPLE, self.other.id)
        if self.trusts:
            tx.save(fresh.trusting(other.id))
            return f"{fresh.name} trusts {other.name}"
        tx.save(fresh.not_trusting(other.id))
        return f"{fresh.name} no longer noted as trusting {other.name} (ctrl+z undoes)"


# --- the journal timeline and commitment status --------------------------------------------


@dataclass(frozen=True, kw_only=True)
class EditEntry(Act):
    entry: Entry
    text: str

    @property
    def description(self) -> str:
        return "entry edited"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        fresh = tx.get(ENTRIES, self.entry.id)
        tx.save(replace(fresh, text=self.text))
        return f"Saved the {fresh.kind.label} of {fmt.when(fresh.at, zone, self.at)}"


@dataclass(frozen=True, kw_only=True)
class RemoveEntry(Act):
    entry: Entry

    @property
    def description(self) -> str:
        return "entry removed"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        fresh = tx.get(ENTRIES, self.entry.id)
        tx.remove(ENTRIES, fresh.id)
        when = fmt.when(fresh.at, zone, self.at)
        return f"Removed the {fresh.kind.label} of {when} (ctrl+z undoes)"


@dataclass(frozen=True, kw_only=True)
class NoteProgress(Act):
    """Progress against a commitment's measure (practice 4)."""

    commitment: Commitment
    text: str

    @property
    def description(self) -> str:
        return "progress"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        fresh = tx.get(COMMITMENTS, self.commitment.id)
        tx.save(fresh.with_progress(self.at, self.text))
        return f"Progress on commitment #{fresh.id} noted"


@dataclass(frozen=True, kw_only=True)
class CloseCommitment(Act):
    """Done, dropped (with why: practice 4 says so rather than let it fade), or reopened."""

    commitment: Commitment
    status: CommitmentStatus
    why: str = ""
    """Why it was dropped; taken up again, what changed (kept as a progress note)."""

    @property
    def description(self) -> str:
        return f"commitment {self.status.value}"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        fresh = tx.get(COMMITMENTS, self.commitment.id)
        changed = _with_status(fresh, self.status, self.at, self.why)
        if self.status is CommitmentStatus.ACTIVE and self.why:
            changed = changed.with_progress(self.at, f"taken up again: {self.why}")
        tx.save(changed)
        said = {CommitmentStatus.DONE: "done",
                CommitmentStatus.DROPPED: "dropped: tell them, and why"}
        return f"Commitment #{fresh.id} {said.get(self.status, 'active again')}"


def _with_status(commitment: Commitment, status: CommitmentStatus, at: datetime,
                 why: str) -> Commitment:
    """The commitment done, dropped (saying why) or active again (the domain's rules)."""
    if status is CommitmentStatus.DONE:
        return commitment.done(at)
    if status is CommitmentStatus.DROPPED:
        return commitment.dropped(at, why)
    return commitment.reopened()


@dataclass(frozen=True, kw_only=True)
class NameCause(Act):
    """The root cause of a breach, once found (practice 3): it ticks the repair's step."""

    repair: Repair
    cause: Cause

    @property
    def description(self) -> str:
        return "root cause"

    def apply(self, tx: Transaction, zone: ZoneInfo) -> str:
        fresh = tx.get(REPAIRS, self.repair.id)
        tx.save(replace(fresh, cause=self.cause))
        return f"Root cause of {fresh.breach}: {self.cause.value}"
