"""The quick line (p) read with the person's settings: "fri" is Friday at *their* end of day.

`domain.quick.parse_quick` reads dates with the defaults (17:00, a Monday-to-Friday week). When
the settings differ, the one-off's "by …" is read again here with them, and a repeat said
without a time falls due at the set end of day, as everywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from trustjournal.domain.dates import (
    DEFAULT_END_OF_DAY,
    DEFAULT_WEEK,
    DateParseError,
    parse_clock,
    parse_when,
    words,
)
from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.ledger import find_person
from trustjournal.domain.person import Person
from trustjournal.domain.quick import EXAMPLE, QuickPromise, parse_quick
from trustjournal.domain.settings import Settings

_BY = re.compile(r"\s+by\s+", re.IGNORECASE)
_EVERY = re.compile(r"\s+every\s+", re.IGNORECASE)


def read_quick(line: str, people: Iterable[Person], now: datetime, zone: ZoneInfo,
               settings: Settings) -> QuickPromise:
    """`parse_quick`, with the settings' end of day and week."""
    people = list(people)
    if settings.end_of_day == DEFAULT_END_OF_DAY and settings.week == DEFAULT_WEEK:
        return parse_quick(line, people, now, zone)
    refused: InvalidInput | None = None
    try:
        found: QuickPromise | None = parse_quick(line, people, now, zone)
    except InvalidInput as error:
        found, refused = None, error
    if found is not None and found.rule is not None:
        return _at_end_of_day(found, line, now, zone, settings)
    who, _, rest = line.partition(":")
    splits = list(_BY.finditer(rest))
    if not splits or not who.strip():
        if refused is not None:
            raise refused
        assert found is not None
        return found
    last = splits[-1]
    text = " ".join(rest[: last.start()].split())
    when = rest[last.end():].strip()
    if not text or not when:
        if refused is not None:
            raise refused
        raise InvalidInput(f'say what and when, e.g. "{EXAMPLE}"')
    try:
        due = parse_when(when, now, zone, end_of_day=settings.end_of_day, week=settings.week)
    except DateParseError as error:
        raise InvalidInput(str(error)) from None
    if due < now:
        raise InvalidInput(f'"{when}" is already past; a promise is due ahead, e.g. "by fri 5pm"')
    person = found.person if found is not None else find_person(people, who)
    return QuickPromise(person, text, due)


def _at_end_of_day(found: QuickPromise, line: str, now: datetime, zone: ZoneInfo,
                   settings: Settings) -> QuickPromise:
    """A repeat said without a time of day falls due at the settings' end of day."""
    rule = found.rule
    assert rule is not None
    phrase = _EVERY.split(line)[-1]
    if rule.at != DEFAULT_END_OF_DAY or any(parse_clock(w) for w in words(phrase)):
        return found
    rule = replace(rule, at=settings.end_of_day)
    _, due = rule.first_slot(zone, now)
    return replace(found, rule=rule, due=due)
