"""The quick line, forgiving: a plain date at the end, a new name, the commitment it serves."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import BERLIN, FROZEN_NOW
from trustjournal.domain.commitment import Commitment
from trustjournal.domain.dates import parse_when
from trustjournal.domain.errors import AmbiguousPerson, InvalidInput, UnknownPerson
from trustjournal.domain.person import Person
from trustjournal.domain.quick import AmbiguousDue, UnknownName, parse_quick

NOW = FROZEN_NOW  # Wed 25 Nov 2026, 10:00 in Berlin
SAM = Person(1, "Sam Iqbal", NOW - timedelta(days=9))
DANA = Person(2, "Dana Whitfield", NOW - timedelta(days=9))
PEOPLE = [SAM, DANA]


def read(line: str, **kwargs: object):
    return parse_quick(line, PEOPLE, NOW, BERLIN, **kwargs)  # type: ignore[arg-type]


def due(phrase: str) -> datetime:
    return parse_when(phrase, NOW, BERLIN)


@pytest.mark.parametrize(("line", "person", "text", "words"), [
    ("Sam: review the deploy runbook tomorrow", SAM, "review the deploy runbook", "tomorrow"),
    ("Dana: canary plan fri 5pm", DANA, "canary plan", "fri 5pm"),
    ("Dana: send the Foo risk list by fri 5pm", DANA, "send the Foo risk list", "fri 5pm"),
    ("Dana: send the list   by  next  mon", DANA, "send the list", "next mon"),
    ("Sam: slides dec 5", SAM, "slides", "dec 5"),
    ("Sam: demo on fri", SAM, "demo", "on fri"),
    ("Sam: send it in 3 days", SAM, "send it", "in 3 days"),
    ("Sam: the plan end of the month", SAM, "the plan", "end of the month"),
    ("Sam: the numbers 2026-12-05 14:00", SAM, "the numbers", "2026-12-05 14:00"),
    ("Sam: the report due fri", SAM, "the report", "due fri"),
    ("Sam: send the notes, fri", SAM, "send the notes", "fri"),
    ("Sam: stand by the plan tomorrow", SAM, "stand by the plan", "tomorrow"),
    ("Sam: check every line tomorrow", SAM, "check every line", "tomorrow"),
    ("Sam: check every line by fri", SAM, "check every line", "fri"),
])
def test_the_due_phrase_is_read_with_or_without_by(line, person, text, words) -> None:
    quick = read(line)
    assert (quick.person, quick.text, quick.due_words, quick.rule) == (person, text, words, None)
    assert quick.due == due(words.removeprefix("due "))


def test_the_recurring_form_still_works_and_says_its_words() -> None:
    quick = read("Dana: status note every mon 10am")
    assert quick.rule is not None and quick.text == "status note"
    assert quick.due_words == "every mon 10am"
    assert quick.due == datetime(2026, 11, 30, 10, 0, tzinfo=BERLIN)
    with pytest.raises(InvalidInput, match="as a repeat"):
        read("Dana: status note every blue moon")


@pytest.mark.parametrize(("line", "says", "example"), [
    ("Dana: review chapter 5 dec 5", '"5 dec 5" could start with a number',
     "Dana: review chapter 5 by dec 5"),
    ("Dana: slides 5 dec", '"5 dec" could start with a number', "Dana: slides by 5 dec"),
    ("Dana: ship it fri 2", 'bare "2"', "Dana: ship it by fri 2"),
    ("Sam: notes from the call mon", "the day of the call", "Sam: notes from the call mon by fri"),
    ("Sam: send the notes from mon", '("from mon")', "Sam: send the notes from mon by fri"),
    ("Sam: put the chairs in the sun", '("the sun")', "Sam: put the chairs in the sun by fri"),
    ("Sam: fix the game night", '"night" could be part', "Sam: fix the game night by fri"),
    ("Sam: recap yesterday", "already past", "Sam: recap yesterday by fri"),
])
def test_an_ending_that_could_be_part_of_the_text_asks_for_by(line, says, example) -> None:
    with pytest.raises(AmbiguousDue) as error:
        read(line)
    message = str(error.value)
    assert says in message and f'put "by" before when it is due, e.g. "{example}"' in message
    assert "\n" not in message and error.value.words in line


@pytest.mark.parametrize(("line", "says"), [
    ("Sam: send the may report", 'end with when it is due after "by"'),
    ("Dana: send the list", 'end with when it is due after "by"'),
    ("Dana: tomorrow", 'end with when it is due after "by"'),  # nothing left to promise
    ("Dana: , fri", "say what you promised"),
    ("Dana: send the list by fridya", 'could not read "fridya"'),
    ("Dana: send the list by yesterday", "already past"),
    ("send the list by fri", "start with who it is for"),
])
def test_lines_without_a_plain_date_keep_their_messages(line, says) -> None:
    with pytest.raises(InvalidInput, match=says.replace("(", r"\(")):
        read(line)


def test_an_unknown_name_carries_the_name_and_keeps_the_message() -> None:
    with pytest.raises(UnknownName) as error:
        read("  Zed   Brown : hello tomorrow")
    assert error.value.name == "Zed Brown"
    assert isinstance(error.value, UnknownPerson)  # callers catching UnknownPerson still do
    assert str(error.value) == ('no one called "  Zed   Brown " in the journal; add them first: '
                                'trustjournal person add "  Zed   Brown "')
    with pytest.raises(AmbiguousPerson):
        parse_quick("D: x by fri", [DANA, Person(3, "Dan Reyes", NOW)], NOW, BERLIN)


# --- the commitment it serves ----------------------------------------------------------------

FOO = Commitment(2, DANA.id, "weekly risk review for Foo", NOW - timedelta(days=9))
RUNBOOKS = Commitment(3, DANA.id, "runbooks for the risk register", NOW - timedelta(days=9))
OLD = Commitment(4, DANA.id, "cut my pages", NOW - timedelta(days=9)).done(NOW)
SAMS = Commitment(5, SAM.id, "pair on the canary", NOW - timedelta(days=9))
COMMITMENTS = [FOO, RUNBOOKS, OLD, SAMS]


@pytest.mark.parametrize("line", [
    "Dana: send the risk list +2 by fri 5pm",
    "Dana: +foo send the risk list fri 5pm",
    "Dana: send the risk list fri 5pm +Foo",
    "Dana: send the risk list by fri 5pm +wee",
])
def test_a_promise_names_the_commitment_it_serves(line: str) -> None:
    quick = read(line, commitments=COMMITMENTS)
    assert quick.commitment_id == FOO.id and quick.text == "send the risk list"
    assert quick.due_words == "fri 5pm"
    promise = quick.promise(NOW, BERLIN)
    assert promise.commitment_id == FOO.id and promise.person_id == DANA.id
    assert promise.due == quick.due and promise.zone == "Europe/Berlin"


@pytest.mark.parametrize(("tag", "says"), [
    ("+risk", '"+risk" could be +2 "weekly risk review for Foo", +3 "runbooks for the risk '
              'register"; use the number, e.g. +2'),
    ("+nope", 'Dana Whitfield has no open commitment "+nope" (+2 "weekly risk review for Foo", '
              '+3 "runbooks for the risk register")'),
    ("+9", "there is no commitment +9"),
    ("+5", "commitment +5 is to someone else"),
    ("+4", "commitment +4 is done"),
    ("+2 +3", "a promise serves one commitment"),
])
def test_a_commitment_that_is_not_one_open_one_of_theirs_says_so(tag: str, says: str) -> None:
    with pytest.raises(InvalidInput) as error:
        read(f"Dana: send it {tag} by fri", commitments=COMMITMENTS)
    assert says in str(error.value) and "\n" not in str(error.value)


def test_without_commitments_a_plus_word_is_text_as_before() -> None:
    quick = read("Dana: reply +1 to the RFC by fri")
    assert quick.text == "reply +1 to the RFC" and quick.commitment_id is None


def test_a_repeat_names_its_commitment_too() -> None:
    quick = read("Dana: status note +2 every mon 10am", commitments=COMMITMENTS)
    assert quick.rule is not None and quick.commitment_id == FOO.id
    with pytest.raises(InvalidInput, match="start it as a series"):
        quick.promise(NOW, BERLIN)


# --- properties --------------------------------------------------------------------------------

_PLAIN_WORDS = st.sampled_from(["send", "the", "risk", "list", "canary", "plan", "draft",
                                "deploy", "runbook", "numbers", "Q3", "notes", "review"])
_DATES = st.sampled_from(["tomorrow", "fri 5pm", "next mon", "in 3 days", "eow", "dec 5",
                          "tomorrow 9am", "2026-12-05 14:00", "5pm fri", "end of the month"])


@given(st.lists(_PLAIN_WORDS, min_size=1, max_size=6), _DATES, st.booleans())
def test_a_plain_date_reads_the_same_with_or_without_by(text: list[str], phrase: str,
                                                        by: bool) -> None:
    words = [*text]
    if words[-1] == "the":  # "… the tomorrow" is not English, and is refused
        words.append("list")
    line = f"Dana: {' '.join(words)} {'by ' if by else ''}{phrase}"
    quick = read(line)
    assert quick.text == " ".join(words) and quick.due_words == phrase
    assert quick.due == due(phrase)


@given(st.text(max_size=60))
def test_any_line_is_read_or_refused_with_one_line(line: str) -> None:
    try:
        read(f"Dana: {line}")
    except InvalidInput as error:
        assert str(error) and "\n" not in str(error)


@pytest.mark.parametrize(("line", "names"), [
    ("Sam: review the runbook by fri", True),       # someone in the journal
    ("sam: review the runbook by fri", True),       # their name as typed, any case
    ("Maya: intro call by fri", True),              # a new name
    ("Maya Chen: intro call by fri", True),
    ("send notes: v2 by fri", False),               # a colon in the text of the promise
    ("Re: the deploy plan by fri", True),            # capitalised: read as a new name, shown
    ("the notes for the team offsite: v2 by fri", False),
    ("review the runbook by fri", False),            # no colon at all
    (": by fri", False),
])
def test_a_line_names_someone_only_when_it_starts_with_a_name(line: str, names: bool) -> None:
    from trustjournal.domain.quick import names_someone

    assert names_someone(line, PEOPLE) is names


def test_a_name_that_could_be_two_people_names_someone() -> None:
    from trustjournal.domain.quick import names_someone

    sams = [SAM, Person(3, "Sam Okafor", NOW - timedelta(days=9))]
    assert names_someone("Sam: slides by fri", sams)
