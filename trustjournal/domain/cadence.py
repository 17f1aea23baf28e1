"""How often someone should hear from you (practice 6): "weekly", "every 2 weeks on mon"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from trustjournal.domain.errors import InvalidInput

_UNITS = {"day": "days", "week": "weeks", "month": "months"}
_NAMED = {
    "daily": (1, "days"),
    "weekly": (1, "weeks"),
    "biweekly": (2, "weeks"),
    "fortnightly": (2, "weeks"),
    "monthly": (1, "months"),
    "quarterly": (3, "months"),
}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EVERY = re.compile(r"^every\s+(\d{1,3})\s+(day|week|month)s?$")
_EXAMPLES = 'e.g. "weekly", "every 2 weeks on mon", "monthly", "every 10 days"'


@dataclass(frozen=True, slots=True)
class Cadence:
    interval: int
    unit: str  # "days" | "weeks" | "months"
    weekday: int | None = None  # 0 = Monday

    @property
    def step(self) -> relativedelta:
        return relativedelta(**{self.unit: self.interval})

    @property
    def approximate(self) -> timedelta:
        days = {"days": 1, "weeks": 7, "months": 30}[self.unit] * self.interval
        return timedelta(days=days)

    def next_after(self, last_contact: datetime) -> datetime:
        """When the next check-in is due, counted from the last time they heard from you."""
        due: datetime = last_contact + self.step
        if self.weekday is not None:
            due += timedelta(days=(self.weekday - due.weekday()) % 7)
        return due


def parse_cadence(text: str) -> Cadence:
    words = " ".join(text.lower().split())
    weekday: int | None = None
    if " on " in words:
        words, _, day = words.partition(" on ")
        key = day.strip()[:3]
        if key not in _WEEKDAYS:
            raise InvalidInput(f'"{day}" is not a weekday; {_EXAMPLES}')
        weekday = _WEEKDAYS.index(key)
    if words in _NAMED:
        interval, unit = _NAMED[words]
        return Cadence(interval, unit, weekday)
    match = _EVERY.match(words)
    if match and int(match.group(1)) > 0:
        return Cadence(int(match.group(1)), _UNITS[match.group(2)], weekday)
    raise InvalidInput(f'could not read the check-in cadence "{text}"; {_EXAMPLES}')
