"""The one-line capture typed in the middle of a meeting: "Dana: send the risk list by fri 5pm"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from trustjournal.domain.dates import DateParseError, parse_when
from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.ledger import find_person
from trustjournal.domain.person import Person

EXAMPLE = "Dana: send the Foo risk list by fri 5pm"
_BY = re.compile(r"\s+by\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class QuickPromise:
    person: Person
    text: str
    due: datetime


def parse_quick(line: str, people: Iterable[Person], now: datetime, zone: ZoneInfo) -> QuickPromise:
    who, colon, rest = line.partition(":")
    if not colon or not who.strip():
        raise InvalidInput(f'start with who it is for and a colon, e.g. "{EXAMPLE}"')
    person = find_person(people, who)
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
        due = parse_when(when, now, zone)
    except DateParseError as error:
        raise InvalidInput(str(error)) from None
    if due < now:
        raise InvalidInput(f'"{when}" is already past; a promise is due ahead, e.g. "by fri 5pm"')
    return QuickPromise(person, text, due)
