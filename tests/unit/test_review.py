from __future__ import annotations

from datetime import datetime, timedelta

from tests.conftest import BERLIN, FROZEN_NOW
from trustjournal.demo import write_demo
from trustjournal.domain.review import Step, plan_review, review_streak
from trustjournal.storage.journal import Journal


def test_plan_follows_the_method_order(journal_path) -> None:
    write_demo(Journal(journal_path), FROZEN_NOW, BERLIN)
    ledger = Journal(journal_path).load()
    items = plan_review(ledger, FROZEN_NOW, BERLIN, since=None)
    order = [item.step for item in items]
    assert order == sorted(order, key=list(Step).index)
    overdue = [i for i in items if i.step is Step.OVERDUE]
    assert [ledger.promises[i.promise_id].due for i in overdue] == sorted(
        ledger.promises[i.promise_id].due for i in overdue)
    assert {i.person_id for i in items if i.step is Step.ONE_THING} == {
        p.id for p in ledger.people.values() if p.stance.rank <= 0}
    handled = frozenset(i.key for i in overdue)
    resumed = plan_review(ledger, FROZEN_NOW, BERLIN, since=None, handled=handled)
    assert not any(i.step is Step.OVERDUE for i in resumed) and resumed[-1].step is Step.SUMMARY


def test_empty_journal_review_is_just_the_summary() -> None:
    from trustjournal.domain.ledger import Ledger

    assert [i.step for i in plan_review(Ledger(), FROZEN_NOW, BERLIN, since=None)] == [
        Step.SUMMARY]


def test_review_streak_counts_days_in_a_row() -> None:
    day = timedelta(days=1)
    now = FROZEN_NOW
    assert review_streak([], now, BERLIN) == 0
    assert review_streak([now - 2 * day, now - day, now], now, BERLIN) == 3
    assert review_streak([now - 2 * day, now - day], now, BERLIN) == 2  # today not done yet
    assert review_streak([now - 3 * day, now - day], now, BERLIN) == 1
    late_evening = datetime(2026, 11, 24, 23, 30, tzinfo=BERLIN)
    assert review_streak([late_evening], now, BERLIN) == 1
