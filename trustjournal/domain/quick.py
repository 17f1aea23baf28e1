"""The one-line capture typed in the middle of a meeting: "Dana: send the risk list by fri 5pm"."""

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
)
from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.ledger import find_person
from trustjournal.domain.person import Person

if TYPE_CHECKING:
    from trustjournal.domain.series import Rule

EXAMPLE = "Dana: send the Foo risk list by fri 5pm"
EXAMPLE_EVERY = "Dana: status note every mon 10am"
_BY = re.compile(r"\s+by\s+", re.IGNORECASE)
_EVERY = re.compile(r"\s+every\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class QuickPromise:
    person: Person
    text: str
    due: datetime
    """For a recurring one: its first occurrence's due time."""
    rule: Rule | None = None
    """Set when the line ends with "every …": the promise repeats (start it as a Series)."""


def parse_quick(line: str, people: Iterable[Person], now: datetime, zone: ZoneInfo, *,
                end_of_day: time = DEFAULT_END_OF_DAY, week: Week = DEFAULT_WEEK
                ) -> QuickPromise:
    """Read "Dana: send the risk list by fri 5pm", or "Dana: status note every mon 10am" for a
    promise that repeats (then `rule` is set and `due` is its first occurrence). Dates are read
    with the settings' `end_of_day` and `week`, as everywhere."""
    who, colon, rest = line.partition(":")
    if not colon or not who.strip():
        raise InvalidInput(f'start with who it is for and a colon, e.g. "{EXAMPLE}"')
    person = find_person(people, who)
    recurring = _recurring(person, rest, now, zone, end_of_day, week)
    if recurring is not None:
        return recurring
    splits = list(_BY.finditer(rest))
    if not splits:
        raise InvalidInput(f'end with when it is due after "by", e.g. "{EXAMPLE}"')
    last = splits[-1]
    text = " ".join(rest[: last.start()].split())
    when = rest[last.end() :].strip()
    if not text:
        raise InvalidInput(f'say what you promised before "by", e.g. "{EXAMPLE}"')
    if not when:
        raise InvalidInput(f'say when after "by", e.g. "{EXAMPLE}"')
    try:
        due = parse_when(when, now, zone, end_of_day=end_of_day, week=week)
    except DateParseError as error:
        raise InvalidInput(str(error)) from None
    if due < now:
        raise InvalidInput(f'"{when}" is already past; a promise is due ahead, e.g. "by fri 5pm"')
    return QuickPromise(person, text, due)


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
        if _BY.search(rest[last.end():]):
            return None
        raise InvalidInput(f'{error} (e.g. "{EXAMPLE_EVERY}")') from None
    if not text:
        raise InvalidInput(f'say what you promise before "every", e.g. "{EXAMPLE_EVERY}"')
    _, due = rule.first_slot(zone, now)
    return QuickPromise(person, text, due, rule)
