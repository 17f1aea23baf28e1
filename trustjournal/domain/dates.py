"""Read due dates written the way people write them in promises: "fri 5pm", "in 3 days", "eow".

Only the standard library and dateutil are imported here, never the UI toolkit, so the domain
layer stays testable and usable without a terminal.

Every phrase is read on the user's *local* calendar: "tomorrow 09:00" means 09:00 on the wall
clock even when a DST change falls in between, because that is what the person promised.
"""

from __future__ import annotations

import os
import re
import struct
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from io import BytesIO
from pathlib import Path
from typing import Final, Literal
from zoneinfo import ZoneInfo

__all__ = [
    "DEFAULT_END_OF_DAY",
    "DateParseError",
    "Week",
    "local_zone",
    "parse_clock",
    "parse_when",
    "resolve_local",
    "weekday_number",
    "words",
]

DEFAULT_END_OF_DAY = time(17, 0)


@dataclass(frozen=True, slots=True)
class Week:
    """Where the user's week starts and their working week ends (0 = Monday … 6 = Sunday):
    "this fri" and "next fri" count from the start, "eow" is the end."""

    starts: int = 0
    ends: int = 4


DEFAULT_WEEK: Final = Week()

_EXAMPLES: Final = "today, tomorrow, fri 5pm, next mon, in 3 days, eow, dec 5, 2026-12-05 14:00"
# Long input would drown the hint the message exists to give.
_SHOWN_MAX: Final = 40

# Bounds well inside what datetime can hold, so arithmetic near them cannot overflow, and wide
# enough for any real promise.
_YEAR_MIN: Final = 1970
_YEAR_MAX: Final = 9000
_OUT_OF_RANGE: Final = f"years must be {_YEAR_MIN}..{_YEAR_MAX}"
_TOO_FAR: Final = "too far away"


class DateParseError(ValueError):
    """A phrase that could not be read as a date.

    str(err) is a single line naming what was not understood and listing phrases that work,
    e.g. 'could not read "fridya" as a date; try: today, tomorrow, fri 5pm, ...', so a UI can
    show it as-is in a status bar.
    """

    def __init__(self, text: str, reason: str | None = None) -> None:
        self.text = text
        self.reason = reason
        super().__init__(_error_message(text, reason))

    def __reduce__(self) -> tuple[type[DateParseError], tuple[str, str | None]]:
        # The default would call cls(message) and wrap the message a second time.
        return (type(self), (self.text, self.reason))


def _error_message(text: str, reason: str | None) -> str:
    shown = _one_line(text)
    head = f'could not read "{shown}" as a date' if shown else "no date given"
    if reason:
        head += f" ({reason})"
    return f"{head}; try: {_EXAMPLES}"


def _one_line(text: str) -> str:
    # Echoed input must not smuggle line breaks or terminal control codes into the message.
    cleaned = "".join(
        ch if ch.isprintable() else (" " if ch.isspace() else "\N{REPLACEMENT CHARACTER}")
        for ch in text
    )
    shown = " ".join(cleaned.split())
    if len(shown) > _SHOWN_MAX:
        shown = shown[: _SHOWN_MAX - 1] + "\N{HORIZONTAL ELLIPSIS}"
    return shown


# --------------------------------------------------------------------------- vocabulary

_WEEKDAYS: Final[dict[str, int]] = {
    "mon": 0, "monday": 0,
    "tue": 1, "tues": 1, "tuesday": 1,
    "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}  # fmt: skip

_MONTHS: Final[dict[str, int]] = {
    "jan": 1, "january": 1,
    "feb": 2, "february": 2,
    "mar": 3, "march": 3,
    "apr": 4, "april": 4,
    "may": 5,
    "jun": 6, "june": 6,
    "jul": 7, "july": 7,
    "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10,
    "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip

# Days relative to today; the optional time is what the word itself implies.
_DAY_WORDS: Final[dict[str, tuple[int, time | None]]] = {
    "today": (0, None),
    "eod": (0, None),
    "tonight": (0, time(20, 0)),
    "tomorrow": (1, None),
    "tmrw": (1, None),
    "tmr": (1, None),
    "yesterday": (-1, None),
}

_CLOCK_WORDS: Final[dict[str, time]] = {
    "noon": time(12, 0),
    "midday": time(12, 0),
    # "Due by midnight" means before the day ends, so midnight belongs to the day it is
    # written with; 00:00 of the next day would silently move the promise to another date.
    "midnight": time(23, 59),
    "morning": time(9, 0),
    "afternoon": time(14, 0),
    "evening": time(19, 0),
    "night": time(20, 0),
}

# Only these read naturally after "this" ("this morning"); "this noon" is not English.
_PARTS_OF_DAY: Final = frozenset({"morning", "afternoon", "evening"})

_UNITS: Final[dict[str, str]] = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "minutes"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "hours"),
    **dict.fromkeys(("d", "day", "days"), "days"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "weeks"),
    **dict.fromkeys(("mo", "mos", "month", "months"), "months"),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), "years"),
}
# Minutes and hours are spans of elapsed time; longer units move along the calendar.
_CLOCK_UNITS: Final = frozenset({"minutes", "hours"})

_NUMBER_WORDS: Final[dict[str, int]] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

# Words that make a phrase read naturally ("by fri at 5pm") but carry no meaning.
_FILLERS: Final = frozenset({"at", "by", "on"})

# (?a), ASCII, everywhere: int() would happily accept Arabic-Indic or full-width digits. Kept
# as text and compiled (then cached by re) when a phrase is first read: most commands read
# none, and compiling all of them was ~0.7 ms of every start-up.
_END_OF = r"(?a)\bend of (?:the )?(day|week|month|year)\b"
_MERIDIEM = r"(?a)([0-9]) ?([ap])\.?m\.?(?![a-z0-9])"
_CLOCK_12 = r"(?a)([0-9]{1,2})(?::([0-9]{2}))?([ap])m"
_CLOCK_24 = r"(?a)([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?"
_BARE_HOUR = r"(?a)[0-9]{1,2}"
_NUMBER = r"(?a)[0-9]+"
_COMPACT_SPAN = r"(?a)([0-9]+)([a-z]+)"
_DAY_OF_MONTH = r"(?a)([0-9]{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?a)[0-9]{4}"
_ISO_DATE = r"(?a)([0-9]{4})-([0-9]{2})-([0-9]{2})"
_ISO_FULL = (
    r"(?a)([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[ t]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?"
    r" ?(z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)


# --------------------------------------------------------------------------- public API


def parse_when(
    text: str,
    now: datetime,
    zone: ZoneInfo,
    *,
    end_of_day: time = DEFAULT_END_OF_DAY,
    prefer: Literal["future", "past"] = "future",
    week: Week = DEFAULT_WEEK,
) -> datetime:
    """Read `text` as a moment in `zone`, relative to `now`.

    `now` must be aware (any zone); it is converted to `zone` first. The result is aware with
    tzinfo `zone`. `prefer` decides which of several possible dates an open phrase such as
    "fri" or "dec 5" means: the first one not before `now`, or the last one not after it.
    Raises DateParseError, and nothing else, for any text that cannot be read.
    """
    # These are caller bugs rather than bad user input, so they are not DateParseError.
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("parse_when() needs an aware `now`")
    if prefer not in ("future", "past"):
        raise ValueError(f"prefer must be 'future' or 'past', not {prefer!r}")
    ctx = _Context(text, now.astimezone(zone), zone, end_of_day, prefer, week)
    try:
        result = _parse(ctx)
    except DateParseError:
        raise
    except (ArithmeticError, ValueError) as exc:
        # A safety net: the promise is that bad text only ever yields DateParseError.
        raise DateParseError(text) from exc
    if not _YEAR_MIN <= result.year <= _YEAR_MAX:
        raise DateParseError(text, _OUT_OF_RANGE)
    return result


def parse_clock(text: str) -> time | None:
    """A time of day on its own ("10am", "5 pm", "17:00", "noon", "9:30am"); None when the text
    is not one. A bare number is not a time here: "every 2 weeks" must not read as 02:00."""
    tokens = _tokenize(text)
    if len(tokens) != 1:
        return None
    ctx = _Context(text, datetime(2000, 1, 1, tzinfo=UTC), _utc(), DEFAULT_END_OF_DAY, "future")
    try:
        return _read_clock(tokens[0], ctx, bare_hour=False)
    except DateParseError:
        return None


def words(text: str) -> list[str]:
    """A phrase's words as the date reader sees them: lower case, commas dropped, "5 pm" glued
    to "5pm", "end of month" as "eom", and the fillers "at", "by" and "on" left out."""
    return _tokenize(text)


def weekday_number(word: str) -> int | None:
    """Monday 0 .. Sunday 6 for a weekday's name or its usual short form; else None."""
    return _WEEKDAYS.get(word.strip().lower())


def resolve_local(naive: datetime, zone: ZoneInfo) -> datetime:
    """Attach `zone` to a naive wall time, settling DST oddities explicitly.

    A wall time inside a spring-forward gap moves forward by the length of the gap (02:30 ->
    03:30 on a one-hour gap, 02:15 -> 02:45 on Lord Howe's half-hour gap, a whole day on
    Samoa's skipped 2011-12-30). A wall time that happens twice takes its first occurrence.
    The result always survives a round trip through UTC unchanged.
    """
    if naive.tzinfo is not None:
        raise ValueError("resolve_local() needs a naive datetime")
    # PEP 495 with fold=0 reads a repeated wall time as its first occurrence, and a missing one
    # with the offset in force before the jump. Passing through UTC then turns the missing time
    # into the real instant one gap-length later, labelled with the wall time it really has.
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC).astimezone(zone)


# Module attributes rather than literals so tests can point them at temporary files.
_LOCALTIME = Path("/etc/localtime")
_TIMEZONE_FILE = Path("/etc/timezone")


def local_zone(warn: Callable[[str], None] | None = None, configured: str | None = None
               ) -> ZoneInfo:
    """The user's IANA zone, from the first source that names a real one.

    Looks at $TRUSTJOURNAL_TZ, then `configured` (the config file's time_zone, already
    checked), then $TZ (a leading ':' is allowed), then where the /etc/localtime symlink
    points, then /etc/timezone, and falls back to UTC. Never raises,
    because a journal that cannot start over a clock setting is worse than one in UTC. When
    a variable the user set names no zone, `warn` (if given) is called once, with one line
    saying so and which zone is used instead.
    """
    ignored: list[str] = []
    found: ZoneInfo | None = None
    for variable, key in zip(_ZONE_SOURCES, _zone_keys(), strict=False):
        found = _zone_or_none(key)
        if found is not None:
            break
        if variable == "TRUSTJOURNAL_TZ" and configured:
            found = _zone_or_none(configured)
            if found is not None:
                break
        raw = os.environ.get(variable, "").strip() if variable else ""
        if raw.removeprefix(":") and warn is not None:
            ignored.append(f"{variable}={raw!r}")
    zone = found or _utc()
    if ignored and warn is not None:
        warn(
            f"trustjournal: warning: {' and '.join(ignored)} "
            f"{'is not a time zone' if len(ignored) == 1 else 'are not time zones'} "
            f"(use an IANA name, e.g. Europe/Berlin); using {zone.key} instead"
        )
    return zone


# --------------------------------------------------------------------------- parsing


# The parser's own two values are plain classes: a dataclass is ~0.5 ms to create at import,
# paid by every command, and nothing compares or prints these.
class _Context:
    """One phrase being read, and what it is read against."""

    __slots__ = ("text", "now", "zone", "end_of_day", "prefer", "week")

    def __init__(self, text: str, now: datetime, zone: ZoneInfo, end_of_day: time,
                 prefer: Literal["future", "past"], week: Week = DEFAULT_WEEK) -> None:
        self.text = text
        self.now = now  # already in `zone`
        self.zone = zone
        self.end_of_day = end_of_day
        self.prefer = prefer
        self.week = week

    @property
    def today(self) -> date:
        return self.now.date()

    def fail(self, reason: str | None = None) -> DateParseError:
        return DateParseError(self.text, reason)


class _DateSpec:
    """The date half of a phrase, before the time of day is known."""

    __slots__ = ("dates", "choose", "clock")

    def __init__(self, dates: tuple[date, ...], *, choose: bool = False,
                 clock: time | None = None) -> None:
        self.dates = dates
        # Open phrases like "fri" name several dates in order; `prefer` picks one once the
        # time of day is known, since "fri" on a Friday evening means a different Friday than
        # "fri 9pm".
        self.choose = choose
        # "tonight" and "this morning" bring their own hour when none is typed.
        self.clock = clock


_Taken = tuple[_DateSpec, int]
_DateReader = Callable[[Sequence[str], _Context], _Taken | None]


def _parse(ctx: _Context) -> datetime:
    tokens = _tokenize(ctx.text)
    if not tokens:
        raise ctx.fail()
    iso = re.fullmatch(_ISO_FULL, " ".join(tokens))
    if iso is not None:
        return _from_iso(iso, ctx)
    span = _read_offset(tokens, ctx)
    if span is not None and span[1] in _CLOCK_UNITS:
        amount, unit, used = span
        if used == len(tokens):
            return _after_elapsed(amount, unit, ctx)
        raise ctx.fail()
    result = _date_and_time(tokens, ctx)
    if result is None:
        raise ctx.fail()
    return result


def _tokenize(text: str) -> list[str]:
    s = " ".join(text.lower().replace(",", " ").split())
    s = re.sub(_END_OF, lambda m: "eo" + m[1][0], s)
    # Glue "5 pm" / "5 p.m." into one token so a time is always exactly one token.
    s = re.sub(_MERIDIEM, r"\1\2m", s)
    return [token for token in s.split() if token not in _FILLERS]


def _date_and_time(tokens: Sequence[str], ctx: _Context) -> datetime | None:
    """Date then optional time ("fri 5pm"), or time then date ("5pm fri"), or a lone time."""
    taken = _take_date(tokens, ctx)
    if taken is not None:
        spec, used = taken
        rest = tokens[used:]
        if not rest:
            return _settle(spec, spec.clock or ctx.end_of_day, ctx)
        # After a date a plain number can only be an hour ("mon 10").
        clock = _read_clock(rest[0], ctx, bare_hour=True) if len(rest) == 1 else None
        if clock is not None:
            return _settle(spec, clock, ctx)
    clock = _read_clock(tokens[0], ctx, bare_hour=False)
    if clock is None:
        return None
    if len(tokens) == 1:
        around_today = (ctx.today - timedelta(days=1), ctx.today, ctx.today + timedelta(days=1))
        return _settle(_DateSpec(around_today, choose=True), clock, ctx)
    taken = _take_date(tokens[1:], ctx)
    if taken is None or taken[1] != len(tokens) - 1:
        return None
    return _settle(taken[0], clock, ctx)


def _settle(spec: _DateSpec, clock: time, ctx: _Context) -> datetime:
    instants = [
        resolve_local(_wall(day, clock), ctx.zone)
        for day in spec.dates
        if _YEAR_MIN <= day.year <= _YEAR_MAX
    ]
    if not instants:
        raise ctx.fail(_OUT_OF_RANGE)
    if not spec.choose:
        return instants[0]
    if ctx.prefer == "future":
        chosen = next((i for i in instants if i >= ctx.now), None)
    else:
        chosen = next((i for i in reversed(instants) if i <= ctx.now), None)
    if chosen is None:
        raise ctx.fail(_OUT_OF_RANGE)
    return chosen


def _wall(day: date, clock: time) -> datetime:
    # Built field by field so a tz-aware `end_of_day` cannot sneak a second zone in.
    return datetime(
        day.year, day.month, day.day, clock.hour, clock.minute, clock.second, clock.microsecond
    )


# ----------------------------------------------------------------- times of day


def _read_clock(token: str, ctx: _Context, *, bare_hour: bool) -> time | None:
    if token == "eod":
        return ctx.end_of_day
    if token in _CLOCK_WORDS:
        return _CLOCK_WORDS[token]
    if m := re.fullmatch(_CLOCK_12, token):
        hour = int(m[1])
        if not 1 <= hour <= 12:
            raise ctx.fail(f"no such time {token}")
        return _clock(hour % 12 + (12 if m[3] == "p" else 0), int(m[2] or 0), 0, token, ctx)
    if m := re.fullmatch(_CLOCK_24, token):
        return _clock(int(m[1]), int(m[2]), int(m[3] or 0), token, ctx)
    if bare_hour and re.fullmatch(_BARE_HOUR, token):
        # Taken literally on the 24-hour clock: guessing "5" means 17:00 would be a surprise
        # the user only discovers when the promise shows up at the wrong hour.
        return _clock(int(token), 0, 0, token, ctx)
    return None


def _clock(hour: int, minute: int, second: int, token: str, ctx: _Context) -> time:
    try:
        return time(hour, minute, second)
    except ValueError:
        raise ctx.fail(f"no such time {token}") from None


# ----------------------------------------------------------------- dates


def _take_date(tokens: Sequence[str], ctx: _Context) -> _Taken | None:
    if not tokens:
        return None
    for reader in _DATE_READERS:
        taken = reader(tokens, ctx)
        if taken is not None:
            return taken
    return None


def _take_day_word(tokens: Sequence[str], ctx: _Context) -> _Taken | None:
    if tokens[0] not in _DAY_WORDS:
        return None
    offset, clock = _DAY_WORDS[tokens[0]]
    return _DateSpec((ctx.today + timedelta(days=offset),), clock=clock), 1


def _take_part_of_today(tokens: Sequence[str], ctx: _Context) -> _Taken | None:
    if len(tokens) < 2 or tokens[0] != "this" or tokens[1] not in _PARTS_OF_DAY:
        return None
    return _DateSpec((ctx.today,), clock=_CLOCK_WORDS[tokens[1]]), 2


def _take_relative_weekday(tokens: Sequence[str], ctx: _Context) -> _Taken | None:
    if len(tokens) < 2 or tokens[1] not in _WEEKDAYS:
        return None
    weekday = _WEEKDAYS[tokens[1]]
    starts = ctx.week.starts
    first = ctx.today - timedelta(days=(ctx.today.weekday() - starts) % 7)
    if tokens[0] == "this":
        day = first + timedelta(days=(weekday - starts) % 7)
    elif tokens[0] == "next":
        # The weekday of next calendar week, even when this week's is still ahead: people say
        # "next fri" on a Wednesday precisely to skip the coming Friday.
        day = first + timedelta(days=7 + (weekday - starts) % 7)
    elif tokens[0] == "last":
        day = ctx.today - timedelta(days=(ctx.today.weekday() - weekday - 1) % 7 + 1)
    else:
        return None
    return _DateSpec((day,)), 2


def _take_weekday(tokens: Sequence[str], ctx: _Context) -> _Taken | None:
    if tokens[0] not in _WEEKDAYS:
        return None
    weekday = _WEEKDAYS[tokens[0]]
    days = tuple(
        day
        for day in (ctx.today + timedelta(days=n) for n in range(-7, 8))
        if day.weekday() == weekday
    )
    return _DateSpec(days, choose=True), 1


def _take_period_end(tokens: Sequence[str], ctx: _Context) -> _Taken | None:
    today = ctx.today
    if tokens[0] == "eow":
        # The working week ends on Friday unless set otherwise; the neighbours cover "already
        # past" either way.
        ends = today + timedelta(days=ctx.week.ends - today.weekday())
        days = tuple(ends + timedelta(days=7 * n) for n in (-1, 0, 1))
    elif tokens[0] == "eom":
        from dateutil.relativedelta import relativedelta  # month arithmetic only (~1 ms to import)

        firsts = (date(today.year, today.month, 1) + relativedelta(months=n) for n in (-1, 0, 1))
        days = tuple(first + relativedelta(day=31) for first in firsts)
    elif tokens[0] == "eoy":
        days = tuple(date(today.year + n, 12, 31) for n in (-1, 0, 1))
    else:
        return None
    return _DateSpec(days, choose=True), 1


def _take_calendar_offset(tokens: Sequence[str], ctx: _Context) -> _Taken | None:
    span = _read_offset(tokens, ctx)
    if span is None or span[1] in _CLOCK_UNITS:
        return None
    amount, unit, used = span
    try:
        if unit in ("days", "weeks"):
            day: date = ctx.today + timedelta(**{unit: amount})
        else:
            from dateutil.relativedelta import relativedelta  # months, years (~1 ms to import)

            day = ctx.today + relativedelta(**{unit: amount})
    except (ArithmeticError, ValueError):
        raise ctx.fail(_TOO_FAR) from None
    return _DateSpec((day,)), used


def _take_iso_date(tokens: Sequence[str], ctx: _Context) -> _Taken | None:
    m = re.fullmatch(_ISO_DATE, tokens[0])
    if m is None:
        return None
    return _DateSpec((_make_date(int(m[1]), int(m[2]), int(m[3]), ctx),)), 1


def _take_month_day(tokens: Sequence[str], ctx: _Context) -> _Taken | None:
    """Month and day in either order (dec 5, december 5th, 5th of dec), optional year."""
    if len(tokens) < 2:
        return None
    if tokens[0] in _MONTHS and (m := re.fullmatch(_DAY_OF_MONTH, tokens[1])):
        month, day, used = _MONTHS[tokens[0]], int(m[1]), 2
    elif m := re.fullmatch(_DAY_OF_MONTH, tokens[0]):
        used = 2 if tokens[1] == "of" else 1
        if used >= len(tokens) or tokens[used] not in _MONTHS:
            return None
        month, day, used = _MONTHS[tokens[used]], int(m[1]), used + 1
    else:
        return None
    import calendar  # for a month's days only: most phrases ("fri", "in 3 days") need none

    if not 1 <= day <= calendar.monthrange(2000, month)[1]:  # 2000 is a leap year
        raise ctx.fail(f"{calendar.month_abbr[month].lower()} has no day {day}")
    if used < len(tokens) and re.fullmatch(_YEAR, tokens[used]):
        return _DateSpec((_make_date(int(tokens[used]), month, day, ctx),)), used + 1
    # Wide enough that Feb 29 always has a leap year on both sides.
    years = range(ctx.today.year - 8, ctx.today.year + 9)
    days = tuple(date(y, month, day) for y in years if day <= calendar.monthrange(y, month)[1])
    return _DateSpec(days, choose=True), used


def _make_date(year: int, month: int, day: int, ctx: _Context) -> date:
    if not _YEAR_MIN <= year <= _YEAR_MAX:
        raise ctx.fail(_OUT_OF_RANGE)
    try:
        return date(year, month, day)
    except ValueError:
        raise ctx.fail(f"no such date {year:04d}-{month:02d}-{day:02d}") from None


# Order matters only where readers could overlap: "this"/"next"/"last" must be seen before a
# lone weekday, and numbers that start a span ("3 days ago") before a day of month ("3 dec").
_DATE_READERS: Final[tuple[_DateReader, ...]] = (
    _take_day_word,
    _take_part_of_today,
    _take_relative_weekday,
    _take_weekday,
    _take_period_end,
    _take_calendar_offset,
    _take_iso_date,
    _take_month_day,
)


# ----------------------------------------------------------------- spans ("in 3 days")


def _read_offset(tokens: Sequence[str], ctx: _Context) -> tuple[int, str, int] | None:
    """A signed span: "in 3 days" / "in 90m" forward, "2 hours ago" back; with tokens used."""
    if tokens[0] == "in":
        quantity = _read_quantity(tokens[1:], ctx)
        return None if quantity is None else (quantity[0], quantity[1], quantity[2] + 1)
    quantity = _read_quantity(tokens, ctx)
    if quantity is None or tokens[quantity[2] : quantity[2] + 1] != ["ago"]:
        return None
    return -quantity[0], quantity[1], quantity[2] + 1


def _read_quantity(tokens: Sequence[str], ctx: _Context) -> tuple[int, str, int] | None:
    if not tokens:
        return None
    compact = re.fullmatch(_COMPACT_SPAN, tokens[0])
    if compact is not None and compact[2] in _UNITS:
        return _amount(compact[1], ctx), _UNITS[compact[2]], 1
    if len(tokens) < 2 or tokens[1] not in _UNITS:
        return None
    if tokens[0] in _NUMBER_WORDS:
        return _NUMBER_WORDS[tokens[0]], _UNITS[tokens[1]], 2
    if re.fullmatch(_NUMBER, tokens[0]):
        return _amount(tokens[0], ctx), _UNITS[tokens[1]], 2
    return None


def _amount(digits: str, ctx: _Context) -> int:
    # Checked before int(): Python refuses to convert very long digit strings at all, and
    # nothing over a billion of any unit fits in the supported years anyway.
    significant = digits.lstrip("0")
    if len(significant) > 9:
        raise ctx.fail(_TOO_FAR)
    return int(significant or "0")


def _after_elapsed(amount: int, unit: str, ctx: _Context) -> datetime:
    # Elapsed time is counted in UTC: "in 2 hours" across a DST change is still 120 minutes.
    try:
        moment = ctx.now.astimezone(UTC) + timedelta(**{unit: amount})
    except OverflowError:
        raise ctx.fail(_TOO_FAR) from None
    if not _YEAR_MIN <= moment.year <= _YEAR_MAX:
        raise ctx.fail(_TOO_FAR)
    return moment.astimezone(ctx.zone)


# ----------------------------------------------------------------- ISO 8601


def _from_iso(m: re.Match[str], ctx: _Context) -> datetime:
    day = _make_date(int(m[1]), int(m[2]), int(m[3]), ctx)
    if m[4] is None:
        return _settle(_DateSpec((day,)), ctx.end_of_day, ctx)
    micro = int((m[7] or "").ljust(6, "0"))
    clock = _clock(int(m[4]), int(m[5]), int(m[6] or 0), m[0], ctx).replace(microsecond=micro)
    if m[8] is None:
        return resolve_local(_wall(day, clock), ctx.zone)
    moment = _wall(day, clock).replace(tzinfo=_offset(m[8], ctx))
    return moment.astimezone(ctx.zone)


def _offset(text: str, ctx: _Context) -> timezone:
    if text == "z":
        return UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ctx.fail(f"no such UTC offset {text}")
    sign = -1 if text[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


# --------------------------------------------------------------------------- local zone


# What each key `_zone_keys` yields came from; "" for the system's files.
_ZONE_SOURCES: Final = ("TRUSTJOURNAL_TZ", "TZ", "", "")


def _zone_keys() -> Iterator[str]:
    # A generator so the files are only read when the environment names no usable zone.
    for variable in _ZONE_SOURCES[:2]:
        yield _key_from_path(os.environ.get(variable, "").strip().removeprefix(":"))
    yield _symlink_key()
    yield _timezone_file_key()


def _symlink_key() -> str:
    try:
        return _key_from_path(os.readlink(_LOCALTIME))
    except (OSError, ValueError):
        return ""


def _timezone_file_key() -> str:
    try:
        text = _TIMEZONE_FILE.read_text(encoding="utf-8", errors="replace")
    except (OSError, ValueError):
        return ""
    lines = text.splitlines()
    return lines[0].strip() if lines else ""


def _key_from_path(value: str) -> str:
    """Turn /usr/share/zoneinfo/posix/Europe/Berlin into Europe/Berlin; keep a bare key."""
    _, found, key = value.rpartition("zoneinfo/")
    if not found:
        return value
    # Debian ships duplicate trees whose names are not IANA keys.
    for tree in ("posix/", "right/"):
        key = key.removeprefix(tree)
    return key


def _zone_or_none(key: str) -> ZoneInfo | None:
    if not key:
        return None
    try:
        return ZoneInfo(key)
    except Exception:
        # Not found, a directory, a path escaping the tz database, undecodable bytes...:
        # any of them just means "not this source".
        return None


def _utc() -> ZoneInfo:
    try:
        return ZoneInfo("UTC")
    except Exception:
        # Slim containers can lack both a system tz database and the tzdata package.
        return ZoneInfo.from_file(BytesIO(_UTC_TZIF), key="UTC")


# A minimal version-1 TZif file: one local time type, offset 0, abbreviation "UTC".
_UTC_TZIF: Final = (
    b"TZif" + b"\x00" * 16 + struct.pack(">6l", 0, 0, 0, 0, 1, 4) + struct.pack(">lbb", 0, 0, 0)
    + b"UTC\x00"
)  # fmt: skip
