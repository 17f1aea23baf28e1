"""Each act is one transaction and one undo step, applied to the latest saved records; tested
on a journal alone, without Textual."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest

from tests.conftest import BERLIN, FROZEN_NOW
from trustjournal.demo import write_demo
from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.repair import Cause
from trustjournal.domain.stance import Stance
from trustjournal.storage.journal import Journal
from trustjournal.tui import acts
from trustjournal.tui.session import Result, Session


@pytest.fixture
def session(journal_path) -> Session:
    write_demo(Journal(journal_path), FROZEN_NOW, BERLIN)
    made = Session(Journal(journal_path), lambda: FROZEN_NOW, BERLIN)
    made.reload()
    return made


def drain(session: Session) -> list[Result]:
    results: list[Result] = []
    session.drain(lambda outcome: results.append(outcome.result))
    return results


def test_acts_import_no_textual() -> None:
    code = ("import sys, trustjournal.tui.acts; "
            "assert not [m for m in sys.modules if m.startswith('textual')], 'Textual imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_broken_with_a_cause_is_one_change_and_one_undo(session: Session) -> None:
    promise = next(p for p in session.ledger.promises.values() if p.is_open)
    repairs_before = set(session.ledger.repairs)
    session.act(acts.Break(promise=promise, at=FROZEN_NOW, note="ran out of time",
                           cause=Cause.parse("communication")))
    assert drain(session) == [Result.SAVED]
    ledger = session.journal.load()
    assert ledger.promises[promise.id].outcome(FROZEN_NOW).value == "broken"
    (new,) = set(ledger.repairs) - repairs_before
    assert ledger.repairs[new].promise_id == promise.id
    undo = session.submit_undo()
    assert not isinstance(undo, str)
    assert drain(session) == [Result.SAVED]
    ledger = session.journal.load()
    assert ledger.promises[promise.id].is_open and set(ledger.repairs) == repairs_before
    assert session.submit_undo() == "Nothing to undo in this session."


def test_a_stance_change_to_the_same_stance_is_refused(session: Session) -> None:
    person = next(iter(session.ledger.people.values()))
    before = session.journal.path.read_bytes()
    session.act(acts.ChangeStance(person=person, stance=person.stance, reason="no change",
                                  at=FROZEN_NOW))
    assert drain(session) == [Result.REFUSED]
    assert session.journal.path.read_bytes() == before


def test_a_promise_act_applies_to_the_latest_saved_version(session: Session) -> None:
    promise = next(p for p in session.ledger.promises.values() if p.is_open)
    later = FROZEN_NOW + timedelta(hours=1)
    session.act(acts.Reword(promise=promise, at=FROZEN_NOW, text="send the whole list"))
    session.act(acts.Keep(promise=promise, at=later))  # made from the promise as shown before
    assert drain(session) == [Result.SAVED, Result.SAVED]
    kept = session.journal.load().promises[promise.id]
    assert kept.text == "send the whole list" and not kept.is_open


def test_keep_says_when_the_promise_is_closed_already(session: Session) -> None:
    closed = next(p for p in session.ledger.promises.values() if not p.is_open)
    with pytest.raises(InvalidInput):
        acts.Keep(promise=closed, at=FROZEN_NOW).check()
    assert acts.Keep(promise=closed, at=FROZEN_NOW).preview(session.ledger) is None


def test_a_new_person_and_their_promise_are_one_undo_step(session: Session) -> None:
    people_before = dict(session.ledger.people)
    promises_before = set(session.ledger.promises)
    stand_in = next(iter(people_before.values()))
    made = acts.MakePromise(person=stand_in, text="send the notes",
                            due=FROZEN_NOW + timedelta(days=2), at=FROZEN_NOW)
    session.act(acts.AddPersonAndPromise(name="Zed Arkin", then=made, at=FROZEN_NOW))
    assert drain(session) == [Result.SAVED]
    ledger = session.journal.load()
    zed = ledger.find_person("Zed Arkin")
    (new,) = set(ledger.promises) - promises_before
    assert ledger.promises[new].person_id == zed.id and zed.stance is Stance.NEUTRAL
    session.submit_undo()
    drain(session)
    ledger = session.journal.load()
    assert set(ledger.people) == set(people_before) and set(ledger.promises) == promises_before


def test_editing_a_person_links_their_leader_and_keeps_what_they_need(session: Session) -> None:
    people = list(session.ledger.people.values())
    dana, leader = people[0], people[1]
    details = acts.PersonDetails(name=dana.name, role=dana.role, leader_id=leader.id,
                                 stance=dana.stance, checkin=dana.checkin, prefers=dana.prefers,
                                 needs="early warning on slips", notes="numbers first\nthen story")
    session.act(acts.EditPerson(person=dana, details=details, at=FROZEN_NOW))
    assert drain(session) == [Result.SAVED]
    saved = session.journal.load().people[dana.id]
    assert saved.leader_id == leader.id and saved.needs == "early warning on slips"
    assert saved.notes == "numbers first\nthen story"
    assert saved.stance_history == dana.stance_history  # the stance did not change
