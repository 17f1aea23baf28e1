"""What a person can set once and have everywhere: the settings and their allowed values.

Pure values and their parsing; where they are read from (the config file, the environment,
flags) is storage/config.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta

from trustjournal.domain.dates import DEFAULT_END_OF_DAY, Week, parse_clock, weekday_number
from trustjournal.domain.errors import InvalidInput

DEFAULT_UPDATE_WORDS = 60
"""About fifteen seconds of reading."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting, each at its default until a source sets it (storage/config.py)."""

    journal: str | None = None
    """The journal file; None for the user data folder."""
    time_zone: str | None = None
    """An IANA zone; None for the system's."""
    end_of_day: time = DEFAULT_END_OF_DAY
    """What "today", "eod" and a date without a time mean."""
    week: Week = field(default_factory=Week)
    theme: str | None = None
    """The app's theme, saved when you pick one in the app."""
    review_skip: frozenset[str] = frozenset()
    """Steps of the daily review to leave out (values of domain.review.Step)."""
    update_words: int = DEFAULT_UPDATE_WORDS
    reminder: timedelta = timedelta(hours=1)
    """How long before a promise is due a calendar reminds you (the ICS export's VALARM)."""


def parse_end_of_day(value: object) -> time:
    found = parse_clock(value) if isinstance(value, str) else None
    if found is None:
        raise InvalidInput('is not a time of day, e.g. end_of_day = "18:00"')
    return found


def parse_weekday(value: object, key: str) -> int:
    found = weekday_number(value) if isinstance(value, str) else None
    if found is None:
        raise InvalidInput(f'is not a weekday, e.g. {key} = "fri"')
    return found


def parse_review_skip(value: object) -> frozenset[str]:
    from trustjournal.domain.review import Step

    skippable = [step.value for step in Step if step is not Step.SUMMARY]
    names = ", ".join(f'"{name}"' for name in skippable)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f'should be a list of review steps, e.g. review_skip = ["stance"] '
                           f"(steps: {names})")
    steps = {word.strip().lower() for word in value}
    for step in steps:
        if step not in skippable:
            raise InvalidInput(f'names "{step}", which is not a step that can be skipped '
                               f"(steps: {names})")
    return frozenset(steps)


def parse_update_words(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 10 <= value <= 500:
        raise InvalidInput("should be a number of words from 10 to 500, e.g. update_words = 60")
    return value


def parse_reminder(value: object) -> timedelta:
    """A lead time: "1h", "30m", "2d", or "0" for no reminder."""
    text = value.strip().lower() if isinstance(value, str) else ""
    units = {"m": 60, "h": 3600, "d": 86400}
    if text == "0":
        return timedelta(0)
    if len(text) >= 2 and text[-1] in units and text[:-1].isdigit():
        return timedelta(seconds=int(text[:-1]) * units[text[-1]])
    raise InvalidInput('is not a lead time, e.g. reminder = "1h" (or "30m", "2d", "0" for none)')
