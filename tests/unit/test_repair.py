from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trustjournal.domain.entry import Entry, EntryKind
from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.insights import insights, kind_of
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.promise import Promise
from trustjournal.domain.repair import Cause, Repair, RepairStep

T = datetime(2026, 11, 20, 9, tzinfo=UTC)


def entry(kind: EntryKind, days: float, person: int = 1) -> Entry:
    return Entry(0, person, kind, "x", T + timedelta(days=days))


def test_cause_parsing() -> None:
    assert Cause.parse("comm") is Cause.COMMUNICATION
    assert Cause.parse("Expectations") is Cause.EXPECTATIONS
    with pytest.raises(InvalidInput, match="communication breakdown"):
        Cause.parse("bad luck")


def test_checklist_is_ticked_by_the_journal() -> None:
    repair = Repair(1, 1, "dropped the hand-off", T, cause=Cause.COMMUNICATION)
    entries = [
        entry(EntryKind.APOLOGY, -2),           # before the breach: doesn't count
        entry(EntryKind.ACKNOWLEDGEMENT, 0.1),
        entry(EntryKind.APOLOGY, 0.2),
        entry(EntryKind.FEEDBACK_ASKED, 0.3),   # before the plan: not yet "after"
        entry(EntryKind.PLAN_SHARED, 1, person=2),  # someone else
    ]
    ticks = dict(repair.checklist(entries))
    assert ticks[RepairStep.ACKNOWLEDGED] == T + timedelta(days=0.1)
    assert ticks[RepairStep.APOLOGISED] == T + timedelta(days=0.2)
    assert ticks[RepairStep.ROOT_CAUSE] == T
    assert ticks[RepairStep.PLAN_SHARED] is None and ticks[RepairStep.FEEDBACK_ASKED] is None
    entries += [entry(EntryKind.PLAN_SHARED, 2), entry(EntryKind.FEEDBACK_ASKED, 9)]
    assert repair.is_complete(entries)
    assert not Repair(2, 1, "x", T).is_complete(entries)  # no root cause named


def test_insights_name_what_keeps_failing() -> None:
    def promise(pid: int, text: str, *, broken: bool = False, late_reneg: bool = False) -> Promise:
        p = Promise.make(text=text, person_id=1 + pid % 2, made_at=T, due=T + timedelta(days=1),
                         zone="UTC", id=pid)
        if late_reneg:
            p = p.renegotiated(T + timedelta(days=2), T + timedelta(days=3), "late")
        return p.broken(T + timedelta(days=4), "x") if broken else p.kept(p.due)

    promises = [promise(1, "send the Q3 numbers", broken=True),
                promise(2, "Send the deck", broken=True),
                promise(3, "review the doc"),
                promise(4, "send notes", late_reneg=True)]
    repairs = [Repair(1, 1, "a", T, Cause.COMMUNICATION), Repair(2, 2, "b", T, Cause.COMMUNICATION),
               Repair(3, 1, "c", T, Cause.JUDGEMENT)]
    found = insights(Ledger(promises={p.id: p for p in promises}), repairs)
    assert found.causes[0] == (Cause.COMMUNICATION, 2)
    assert found.failing_kinds[0].kind == "send" and found.failing_kinds[0].failed == 2
    assert found.late_renegotiations == ((1, 1),)
    assert kind_of("the big send") == "big"
    empty = insights(Ledger(), [])
    assert empty.causes == () and empty.failing_kinds == ()
