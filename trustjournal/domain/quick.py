"""The one-line capture typed in the middle of a meeting: "Dana: send the risk list by fri 5pm".

The due time is read after the last "by", or, without "by", from the last words of the line
when they are plainly a date: "Sam: review the deploy runbook tomorrow", "Dana: canary plan fri
5pm". The longest ending of up to four words that reads as a date wins, and only when nothing
else could be meant; when the end could be part of what was promised ("notes from mon",
"chapter 5 dec 5", "the game night", "recap yesterday") the line is refused with a message
asking for "by" (`AmbiguousDue`). `QuickPromise.due_words` says which words became the date.

A word "+2" or "+foo" names the commitment the promise serves (its number, or a word of one
open commitment of that person), when the caller passes the commitments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from trustjournal.domain.dates import (
    DEFAULT_END_OF_DAY,
    DEFAULT_WEEK,
    DateParseError,
    Week,
    parse_when,
    words,
)
from trustjournal.domain.errors import AmbiguousPerson, InvalidInput, UnknownPerson
from trustjournal.domain.ledger import find_person
from trustjournal.domain.person import Person

if TYPE_CHECKING:
    from trustjournal.domain.commitment import Commitment
    from trustjournal.domain.promise import Promise
    from trustjournal.domain.series import Rule

EXAMPLE = "Dana: send the Foo risk list by fri 5pm"
EXAMPLE_EVERY = "Dana: status note every mon 10am"
EXAMPLE_PLAIN = "Dana: send the Foo risk list tomorrow"
"""The same without "by": the end of the line is plainly a date."""
_BY = re.compile(r"\s+by\s+", re.IGNORECASE)
_EVERY = re.compile(r"\s+every\s+", re.IGNORECASE)
_TAG = re.compile(r"(?<!\S)\+(\S+)")
_PLAIN_MAX_WORDS = 4

_LINKING = frozenset({
    "from", "since", "of", "for", "about", "after", "before", "until", "till", "than", "re",
    "per", "every", "each", "during", "between", "last", "next", "this", "to", "and", "or",
    "the", "a", "an", "my", "your", "our", "their", "his", "her", "its",
})
"""A word before a date that makes the date part of what was promised ("the notes from mon",
"the plan for tomorrow", "the sun"): the line then needs "by"."""
_EVENTS = frozenset({
    "call", "meeting", "sync", "1:1", "standup", "stand-up", "chat", "talk", "lunch",
    "dinner", "interview", "offsite", "workshop", "presentation", "retro", "kickoff",
    "kick-off", "session", "party", "trip", "flight", "appointment", "class",
})
"""A meeting just before a date is most often the meeting's day ("notes from the call mon"),
not when the promise is due: the line then needs "by"."""
_LONE_CLOCK_WORDS = frozenset({"noon", "midday", "midnight", "morning", "afternoon", "evening",
                               "night"})
"""Times of day that are words of a promise as often ("the game night"): not read alone."""
_SMALL_NUMBER = re.compile(r"[0-9]{1,2}", re.ASCII)


class UnknownName(UnknownPerson):
    """The line is for someone not in the journal; `name` is the name as typed (spaces tidied),
    so the app can offer to add them. The message is find_person's."""

    def __init__(self, message: str, name: str) -> None:
        super().__init__(message)
        self.name = name


class AmbiguousDue(InvalidInput):
    """The last words read as a date but could be part of what was promised; the message asks
    for "by", with an example. `words` are the words that read as a date."""

    def __init__(self, message: str, words: str) -> None:
        super().__init__(message)
        self.words = words


@dataclass(frozen=True, slots=True)
class QuickPromise:
    person: Person
    text: str
    due: datetime
    """For a recurring one: its first occurrence's due time."""
    rule: Rule | None = None
    """Set when the line ends with "every …": the promise repeats (start it as a Series)."""
    due_words: str = ""
    """The words of the line read as when it is due, as typed: "fri 5pm" (after "by" or not),
    "every mon 10am" for a repeat. What the preview shows as the date it read."""
    commitment_id: int | None = None
    """The commitment it serves, named with "+2" or "+word" in the line."""

    def promise(self, made_at: datetime, zone: ZoneInfo) -> Promise:
        """The one-off promise this line makes (the commitment linked); not for a repeat,
        which starts a Series (pass it `commitment_id`)."""
        from trustjournal.domain.promise import Promise

        if self.rule is not None:
            raise InvalidInput("this line repeats: start it as a series")
        return Promise.make(text=self.text, person_id=self.person.id, made_at=made_at,
                            due=self.due, zone=zone.key, commitment_id=self.commitment_id)


def names_someone(line: str, people: Iterable[Person]) -> bool:
    """Whether a quick line starts with who it is for ("Dana: …"), when it may as well be for
    the person already chosen: what comes before its first colon is someone in the journal,
    or reads as a new name (one to three words, each capitalised: "Maya", "Maya Chen"). So
    "send notes: v2 by fri" is the text of a promise, not a promise to "send notes"."""
    who, colon, _ = line.partition(":")
    if not colon or not who.strip():
        return False
    try:
        find_person(people, who)
    except AmbiguousPerson:
        return True  # more than one person matches: it names someone (parse_quick says who)
    except UnknownPerson:
        words = who.split()
        return 1 <= len(words) <= 3 and all(word[0].isupper() for word in words)
    return True


def parse_quick(line: str, people: Iterable[Person], now: datetime, zone: ZoneInfo, *,
                end_of_day: time = DEFAULT_END_OF_DAY, week: Week = DEFAULT_WEEK,
                commitments: Iterable[Commitment] | None = None) -> QuickPromise:
    """Read "Dana: send the risk list by fri 5pm" (or "… fri 5pm" when plainly a date), or
    "Dana: status note every mon 10am" for a promise that repeats (then `rule` is set and `due`
    is its first occurrence). Dates are read with the settings' `end_of_day` and `week`, as
    everywhere. With `commitments`, "+2" or "+word" names the commitment it serves.

    Raises InvalidInput, one line: UnknownName (with `.name`) for a name not in the journal,
    AmbiguousDue when the end could be part of the text, others with an example."""
    who, colon, rest = line.partition(":")
    if not colon or not who.strip():
        raise InvalidInput(f'start with who it is for and a colon, e.g. "{EXAMPLE}"')
    try:
        person = find_person(people, who)
    except UnknownPerson as error:
        if isinstance(error, UnknownName):
            raise
        raise UnknownName(str(error), " ".join(who.split())) from None
    commitment_id = None
    if commitments is not None:
        rest, commitment_id = _commitment(rest, person, commitments)
    reading = _reading(" ".join(who.split()), person, rest, now, zone, end_of_day, week)
    return reading if commitment_id is None else _with_commitment(reading, commitment_id)


def _with_commitment(reading: QuickPromise, commitment_id: int) -> QuickPromise:
    from dataclasses import replace

    return replace(reading, commitment_id=commitment_id)


def _reading(who: str, person: Person, rest: str, now: datetime, zone: ZoneInfo,
             end_of_day: time, week: Week) -> QuickPromise:
    recurring = _recurring(person, rest, now, zone, end_of_day, week)
    if recurring is not None:
        return recurring
    splits = list(_BY.finditer(rest))
    if not splits:
        plain = _plain(who, person, rest, now, zone, end_of_day, week)
        if plain is None:
            raise InvalidInput(f'end with when it is due after "by", e.g. "{EXAMPLE}"')
        return plain
    last = splits[-1]
    text = " ".join(rest[: last.start()].split())
    when = " ".join(rest[last.end():].split())
    if not text:
        raise InvalidInput(f'say what you promised before "by", e.g. "{EXAMPLE}"')
    if not when:
        raise InvalidInput(f'say when after "by", e.g. "{EXAMPLE}"')
    try:
        due = parse_when(when, now, zone, end_of_day=end_of_day, week=week)
    except DateParseError as error:
        # "stand by the plan tomorrow": the "by" was a word of the promise.
        plain = _plain(who, person, rest, now, zone, end_of_day, week)
        if plain is not None:
            return plain
        raise InvalidInput(str(error)) from None
    if due < now:
        raise InvalidInput(f'"{when}" is already past; a promise is due ahead, e.g. "by fri 5pm"')
    return QuickPromise(person, text, due, due_words=when)


def _plain(who: str, person: Person, rest: str, now: datetime, zone: ZoneInfo,
           end_of_day: time, week: Week) -> QuickPromise | None:
    """The line's last words as its due time, without "by": the longest ending of up to four
    words that reads as a date, with words left before it. None when no ending reads as a
    date; AmbiguousDue when the one that does could be part of what was promised."""
    said = rest.split()
    for n in range(min(_PLAIN_MAX_WORDS, len(said) - 1), 0, -1):
        phrase = " ".join(said[-n:])
        try:
            due = parse_when(phrase, now, zone, end_of_day=end_of_day, week=week)
        except DateParseError:
            continue
        before = said[:-n]
        text = " ".join(before)
        doubt = _doubt(before, phrase, due, now, zone, end_of_day, week)
        if doubt is not None:
            raise AmbiguousDue(f'"{phrase}" {doubt[0]}; put "by" before when it is due, e.g. '
                               f'"{who}: {doubt[1] or f"{text} {phrase} by fri"}"', phrase)
        if len(before) > 1 and before[-1].casefold() == "due":  # "the report due fri"
            before, phrase = before[:-1], f"{before[-1]} {phrase}"
        text = " ".join(before).rstrip(",;:-–—").rstrip()
        if not text:
            raise InvalidInput(f'say what you promised before when it is due, e.g. '
                               f'"{EXAMPLE_PLAIN}"')
        return QuickPromise(person, text, due, due_words=phrase)
    return None


def _doubt(before: list[str], phrase: str, due: datetime, now: datetime, zone: ZoneInfo,
           end_of_day: time, week: Week) -> tuple[str, str] | None:
    """Why the date at the end could be part of what was promised, and a better line (empty:
    the line with "by fri" added); None when it is plainly the due time."""
    tokens = words(phrase)
    text = " ".join(before)
    if due < now:
        return "is already past, so it may be part of what you promised", ""
    if before[-1].casefold().strip(",.;") in _LINKING:
        return f'reads as part of what you promised ("{before[-1]} {phrase}")', ""
    if before[-1].casefold().strip(",.;") in _EVENTS:
        return f'could be the day of the {before[-1].strip(",.;")}, not when it is due', ""
    if len(tokens) == 1 and tokens[0] in _LONE_CLOCK_WORDS:
        return "could be part of what you promised", ""
    said = phrase.split()
    if _SMALL_NUMBER.fullmatch(tokens[0]):
        shorter = " ".join(said[1:])
        better = f"{text} {said[0]} by {shorter}" if shorter and _reads(
            shorter, now, zone, end_of_day, week) else f"{text} by {phrase}"
        return f'could start with a number of what you promised ("{said[0]}")', better
    if len(tokens) > 1 and _SMALL_NUMBER.fullmatch(tokens[-1]) and _reads(
            " ".join(said[:-1]), now, zone, end_of_day, week):
        return (f'ends with a bare "{said[-1]}": an hour, or part of what you promised? (write '
                f'the hour as {said[-1]}am, {said[-1]}pm or {said[-1]}:00)'), f"{text} by {phrase}"
    return None


def _reads(phrase: str, now: datetime, zone: ZoneInfo, end_of_day: time, week: Week) -> bool:
    try:
        parse_when(phrase, now, zone, end_of_day=end_of_day, week=week)
    except DateParseError:
        return False
    return True


def _commitment(rest: str, person: Person, commitments: Iterable[Commitment]
                ) -> tuple[str, int | None]:
    """Take "+2" or "+word" out of the line: the open commitment to this person it names."""
    tags = list(_TAG.finditer(rest))
    if not tags:
        return rest, None
    if len(tags) > 1:
        names = ", ".join(f'"+{t[1]}"' for t in tags)
        raise InvalidInput(f"a promise serves one commitment; the line names {names}")
    tag = tags[0]
    rest = rest[: tag.start()] + rest[tag.end():]
    return rest, _pick_commitment(tag[1].rstrip(",.;:!?"), person, commitments).id


def _pick_commitment(key: str, person: Person, commitments: Iterable[Commitment]
                     ) -> Commitment:
    from trustjournal.domain.commitment import CommitmentStatus

    everything = list(commitments)
    theirs = [c for c in everything if c.person_id == person.id]
    open_ = sorted((c for c in theirs if c.status is CommitmentStatus.ACTIVE),
                   key=lambda c: c.id)
    listed = ", ".join(f'+{c.id} "{c.text}"' for c in open_) or "none open"
    if key.isdigit():
        wanted = int(key)
        found = next((c for c in everything if c.id == wanted), None)
        if found is None:
            raise InvalidInput(f"there is no commitment +{key}; {person.name}'s: {listed}")
        if found.person_id != person.id:
            raise InvalidInput(f"commitment +{key} is to someone else; {person.name}'s: {listed}")
        if found.status is not CommitmentStatus.ACTIVE:
            raise InvalidInput(f"commitment +{key} is {found.status.value}; {person.name}'s "
                               f"open ones: {listed}")
        return found
    word = key.casefold()
    for rule in (lambda text: text == word,
                 lambda text: any(w == word for w in text.split()),
                 lambda text: any(w.startswith(word) for w in text.split())):
        matches = [c for c in open_ if rule(c.text.casefold())]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(f'+{c.id} "{c.text}"' for c in matches)
            raise InvalidInput(f'"+{key}" could be {names}; use the number, e.g. '
                               f"+{matches[0].id}")
    raise InvalidInput(f'{person.name} has no open commitment "+{key}" ({listed})')


def _recurring(person: Person, rest: str, now: datetime, zone: ZoneInfo, end_of_day: time,
               week: Week) -> QuickPromise | None:
    """A line whose last "every …" reads as a repeat; None when it has none, or when "every"
    is part of the text of a promise due "by" something ("check every line by fri")."""
    splits = list(_EVERY.finditer(rest))
    if not splits:
        return None
    last = splits[-1]
    text = " ".join(rest[: last.start()].split())
    phrase = rest[last.end():].strip()
    from trustjournal.domain.series import RuleError, parse_rule

    try:
        rule = parse_rule(phrase, now, zone, end_of_day=end_of_day, week=week)
    except RuleError as error:
        if _BY.search(rest[last.end():]) or _reads_plain(rest[last.end():], now, zone,
                                                         end_of_day, week):
            return None
        raise InvalidInput(f'{error} (e.g. "{EXAMPLE_EVERY}")') from None
    if not text:
        raise InvalidInput(f'say what you promise before "every", e.g. "{EXAMPLE_EVERY}"')
    _, due = rule.first_slot(zone, now)
    return QuickPromise(person, text, due, rule, due_words=f"every {' '.join(phrase.split())}")


def _reads_plain(after_every: str, now: datetime, zone: ZoneInfo, end_of_day: time,
                 week: Week) -> bool:
    """ "check every line tomorrow": the words after "every" end with a date, so "every" is
    a word of the promise (the plain reading then decides)."""
    said = after_every.split()
    return any(_reads(" ".join(said[-n:]), now, zone, end_of_day, week)
               for n in range(1, min(_PLAIN_MAX_WORDS, len(said) - 1) + 1))
