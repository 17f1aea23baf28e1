"""Entry kinds: which ones reset the check-in clock, and feedback acted on (practices 6, 7)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trustjournal.domain.entry import (
    CONTACT_KINDS,
    Entry,
    EntryKind,
    answered_by,
    check_answer,
    feedback_to_answer,
)
from trustjournal.domain.errors import InvalidInput, UnknownRecord
from trustjournal.domain.person import Person
from trustjournal.domain.record import checkin_due_at, last_contacts
from trustjournal.storage import records
from trustjournal.storage.doctor import diagnose, mend
from trustjournal.storage.journal import Journal
from trustjournal.storage.records import ENTRIES

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)
TALKING = {EntryKind.CHECK_IN, EntryKind.UPDATE_SENT, EntryKind.ACKNOWLEDGEMENT,
           EntryKind.APOLOGY, EntryKind.PLAN_SHARED, EntryKind.FEEDBACK_ASKED,
           EntryKind.FEEDBACK_RECEIVED, EntryKind.GOING_FIRST, EntryKind.FEEDBACK_ACTED_ON}
NOT_TALKING = {EntryKind.NOTE, EntryKind.EMPATHY, EntryKind.TESTIMONIAL, EntryKind.CONTRIBUTION}


def test_every_kind_is_either_talking_with_them_or_not() -> None:
    assert set(EntryKind) == TALKING | NOT_TALKING
    assert CONTACT_KINDS == TALKING
    assert all(kind.is_contact for kind in TALKING)
    assert not any(kind.is_contact for kind in NOT_TALKING)


@pytest.mark.parametrize("kind", sorted(EntryKind))
def test_talking_with_them_resets_the_check_in_clock_and_nothing_else_does(kind) -> None:
    dana = Person(1, "Dana", NOW - timedelta(days=30), checkin="weekly")
    entry = Entry(1, dana.id, kind, "x", NOW - timedelta(days=1))
    contact = last_contacts([entry]).get(dana.id)
    due = checkin_due_at(dana, contact)
    assert due is not None
    if kind in TALKING:
        assert contact == entry.at and due == entry.at + timedelta(weeks=1)
    else:
        assert contact is None and due < NOW  # still overdue: an apology in the 1:1 would not be


def test_due_reads_the_same_rule_from_the_stored_file(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.json")
    with journal.transaction(NOW) as tx:
        dana = tx.add(Person(0, "Dana", NOW - timedelta(days=30), checkin="weekly"))
        sam = tx.add(Person(0, "Sam", NOW - timedelta(days=30), checkin="weekly"))
        tx.add(Entry(0, dana.id, EntryKind.APOLOGY, "for the silence", NOW - timedelta(days=2)))
        tx.add(Entry(0, sam.id, EntryKind.TESTIMONIAL, "Helen vouched", NOW - timedelta(days=1)))
    stored = journal.last_contacts()
    decoded = last_contacts(journal.load().entries.values())
    assert stored == decoded == {dana.id: NOW - timedelta(days=2)}


def test_kind_words_read_the_new_kind() -> None:
    assert EntryKind.parse("feedback acted on") is EntryKind.FEEDBACK_ACTED_ON
    assert EntryKind.parse("acted") is EntryKind.FEEDBACK_ACTED_ON
    assert EntryKind.parse("feedback") is EntryKind.FEEDBACK_RECEIVED
    assert EntryKind.FEEDBACK_ACTED_ON.label == "feedback acted on"


def test_a_kind_word_that_could_be_two_kinds_says_which_two() -> None:
    with pytest.raises(InvalidInput) as error:
        EntryKind.parse("feedback-a")
    assert str(error.value) == ('"feedback-a" could be feedback-asked or feedback-acted-on: '
                                'say which, e.g. "feedback-asked"')


# --- feedback acted on -------------------------------------------------------------------


def _entries() -> dict[int, Entry]:
    day = timedelta(days=1)
    return {e.id: e for e in (
        Entry(1, 1, EntryKind.FEEDBACK_RECEIVED, "too long", NOW - 5 * day),
        Entry(2, 1, EntryKind.FEEDBACK_ASKED, "how was the demo?", NOW - 3 * day),
        Entry(3, 2, EntryKind.FEEDBACK_RECEIVED, "Sam: more detail", NOW - 4 * day),
        Entry(4, 1, EntryKind.NOTE, "a note", NOW - 4 * day),
    )}


def test_acted_on_answers_earlier_feedback_of_the_same_person() -> None:
    entries = _entries()
    check_answer(Entry(9, 1, EntryKind.FEEDBACK_ACTED_ON, "shorter now", NOW, answers=1),
                 entries)
    check_answer(Entry(9, 1, EntryKind.FEEDBACK_ACTED_ON, "demo script", NOW, answers=2),
                 entries)
    check_answer(Entry(9, 1, EntryKind.NOTE, "no link, no question", NOW), entries)


@pytest.mark.parametrize(("entry", "says"), [
    (Entry(9, 1, EntryKind.FEEDBACK_ACTED_ON, "x", NOW), "say which feedback this answers"),
    (Entry(9, 1, EntryKind.FEEDBACK_ACTED_ON, "x", NOW, answers=77), "no entry #77"),
    (Entry(9, 1, EntryKind.FEEDBACK_ACTED_ON, "x", NOW, answers=4), "#4 is note, not feedback"),
    (Entry(9, 1, EntryKind.FEEDBACK_ACTED_ON, "x", NOW, answers=3), "someone else"),
    (Entry(9, 1, EntryKind.FEEDBACK_ACTED_ON, "x", NOW - timedelta(days=6), answers=1),
     "logged after this one"),
    (Entry(9, 1, EntryKind.NOTE, "x", NOW, answers=1), "only a feedback-acted-on entry"),
])
def test_a_wrong_answer_link_is_one_clear_line(entry: Entry, says: str) -> None:
    with pytest.raises(InvalidInput, match=says) as error:
        check_answer(entry, _entries())
    assert "\n" not in str(error.value)


def test_feedback_to_answer_puts_unanswered_newest_first() -> None:
    entries = _entries()
    assert [e.id for e in feedback_to_answer(entries.values(), 1)] == [2, 1]
    acted = Entry(9, 1, EntryKind.FEEDBACK_ACTED_ON, "demo script", NOW, answers=2)
    everything = [*entries.values(), acted]
    assert [e.id for e in feedback_to_answer(everything, 1)] == [1, 2]
    assert answered_by(everything, 2) == [acted] and answered_by(everything, 1) == []


def test_the_link_is_stored_checked_and_mended(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.json")
    with journal.transaction(NOW) as tx:
        dana = tx.add(Person(0, "Dana", NOW - timedelta(days=30)))
        heard = tx.add(Entry(0, dana.id, EntryKind.FEEDBACK_RECEIVED, "too long",
                             NOW - timedelta(days=1)))
        acted = tx.add(Entry(0, dana.id, EntryKind.FEEDBACK_ACTED_ON, "shorter", NOW,
                             answers=heard.id))
        plain = tx.add(Entry(0, dana.id, EntryKind.NOTE, "n", NOW))
    assert journal.load().entries[acted.id].answers == heard.id
    data = json.loads(journal.path.read_text())
    assert data["entries"][str(acted.id)]["answers"] == heard.id
    assert "answers" not in data["entries"][str(plain.id)]  # stored as it was before
    with pytest.raises(UnknownRecord, match="no entry #99"), journal.transaction(NOW) as tx:
        tx.add(Entry(0, dana.id, EntryKind.FEEDBACK_ACTED_ON, "x", NOW, answers=99))
    # A deleted feedback entry leaves the answer dangling: doctor unlinks it, keeping the id.
    del data["entries"][str(heard.id)]
    assert any('"answers" names entry' in p.what for p in diagnose(data))
    fixed, _ = mend(data)
    assert fixed["entries"][str(acted.id)]["lost_answers"] == heard.id
    loaded = records.load_record(ENTRIES, acted.id, fixed["entries"][str(acted.id)])
    assert loaded.answers is None and loaded.extra["lost_answers"] == heard.id
