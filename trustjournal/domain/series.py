"""Recurring promises (practice 5, the steadiest kind): "every Monday at 10, a status note".

A `Series` says what repeats, to whom, and by which `Rule`; each occurrence is a `Promise` of
its own, tied to the series by `Promise.series_id`, kept, renegotiated, released or broken on
its own, and counted by the track record like any promise. Only the next occurrence exists: the
series makes it as soon as the previous one is due or closed (`Series.needs_next`,
`Series.next_occurrence`), so the ledger always shows the next one and never a pile of future
ones. Missing one does not stop the series: the next comes all the same, and one missed while
nothing ran is made late, overdue, because it was promised.

Wall times stay wall times: a rule is expanded on the local calendar of the zone it was said in
and each slot is settled with `resolve_local`, so "every mon 10am" is 10:00 in Berlin in
January and in July. dateutil.rrule is imported only when slots are computed: a capture without
`--every` never pays for it.

The grammar of `parse_rule` (the words after `--every`, or after "every" in the quick line):

    [every] mon 10am | mon and thu 9:30 | weekday 9am | day 8am | 3 days
    [every] week [on fri] | 2 weeks on fri 5pm | other week | biweekly | fortnightly
    [every] month on the 1st 9am | monthly on the last day | 2 months on the 15th
    ... until WHEN | ... N times

A time left out means 17:00, as everywhere else. A day of the month past the 28th falls on the
month's last day in shorter months.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo

from trustjournal.domain.dates import (
    DEFAULT_END_OF_DAY,
    DEFAULT_WEEK,
    DateParseError,
    Week,
    parse_clock,
    parse_when,
    resolve_local,
    weekday_number,
    words,
)
from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.promise import Promise

if TYPE_CHECKING:
    from dateutil.rrule import rrule

SYMBOL: Final = "↻"
"""What marks a recurring promise in every listing."""

EXAMPLES: Final = ("every mon 10am, every weekday 9am, every 2 weeks on fri 5pm, "
                   "monthly on the last day, every month on the 1st 9am")
LAST_DAY: Final = -1
"""`Rule.monthday` for the last day of each month."""
CATCH_UP_LIMIT: Final = 400
"""The most occurrences one advance makes for one series (a daily series left for a year)."""
RECENT: Final = 7
"""How many of the latest closed occurrences the track record of a series looks at."""

_DAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_ICAL_DAYS: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WORKDAYS: Final = (0, 1, 2, 3, 4)
_COUNTS: Final = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "other": 2}


class Freq(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class RuleError(InvalidInput):
    """A repeat phrase that could not be read; one line with phrases that work."""

    def __init__(self, text: str, reason: str = "") -> None:
        shown = " ".join(text.split())[:40]
        head = f'could not read "{shown}" as a repeat' if shown else "no repeat given"
        super().__init__(f"{head}{f' ({reason})' if reason else ''}; try: {EXAMPLES}")


@dataclass(frozen=True, slots=True)
class Rule:
    """When a series falls due, on the local calendar of its zone."""

    freq: Freq
    at: time = DEFAULT_END_OF_DAY
    interval: int = 1
    days: tuple[int, ...] = ()
    """Weekdays (Monday 0) of a weekly rule."""
    monthday: int | None = None
    """Day of the month of a monthly rule, 1..31, or LAST_DAY."""
    until: datetime | None = None
    """No occurrence after this instant."""
    count: int | None = None
    """How many occurrences in all."""

    def describe(self) -> str:
        """The rule in words: "every Mon 10:00", "every 2 weeks on Fri 17:00"."""
        clock = f"{self.at:%H:%M}"
        n = self.interval
        if self.freq is Freq.DAILY:
            text = f"every day {clock}" if n == 1 else f"every {n} days {clock}"
        elif self.freq is Freq.WEEKLY:
            days = ("weekday" if self.days == _WORKDAYS and n == 1
                    else _and(_DAY_NAMES[d] for d in self.days))
            text = f"every {days} {clock}" if n == 1 else f"every {n} weeks on {days} {clock}"
        else:
            day = _monthday_words(self.monthday or 1)
            every = "every month" if n == 1 else f"every {n} months"
            text = f"{every} on {day} {clock}"
        if self.until is not None:
            text += f", until {self.until:%a %-d %b %Y}"
        if self.count is not None:
            text += f", {self.count} time{'s' if self.count != 1 else ''}"
        return text

    def ical(self, remaining: int | None = None) -> dict[str, object]:
        """The RRULE's parts for icalendar's vRecur; `remaining` replaces the count (a calendar
        starts the rule at the next occurrence, not the first)."""
        parts: dict[str, object] = {"freq": self.freq.value.upper()}
        if self.interval != 1:
            parts["interval"] = self.interval
        if self.freq is Freq.WEEKLY:
            parts["byday"] = [_ICAL_DAYS[d] for d in self.days]
        if self.freq is Freq.MONTHLY:
            parts.update(_monthday_parts(self.monthday or 1))
        if self.until is not None:
            parts["until"] = self.until
        if self.count is not None:
            parts["count"] = self.count if remaining is None else remaining
        return parts

    def rrule_text(self) -> str:
        """The rule as an RFC 5545 RRULE value, e.g. "FREQ=WEEKLY;BYDAY=MO;BYHOUR=10;..."."""
        parts = {**self.ical(), "byhour": self.at.hour, "byminute": self.at.minute}
        out = []
        for key, value in parts.items():
            if isinstance(value, datetime):
                value = value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
            elif isinstance(value, list):
                value = ",".join(str(v) for v in value)
            out.append(f"{key.upper()}={value}")
        return ";".join(out)

    def recurrence(self, start: date) -> rrule:
        """The dateutil rule of wall times from `start` (naive: the rule's own calendar)."""
        from dateutil import rrule as rr

        freq = {Freq.DAILY: rr.DAILY, Freq.WEEKLY: rr.WEEKLY, Freq.MONTHLY: rr.MONTHLY}
        monthday = _monthday_parts(self.monthday or 1) if self.freq is Freq.MONTHLY else {}
        return rr.rrule(
            freq[self.freq],
            dtstart=datetime.combine(start, self.at.replace(second=0, microsecond=0)),
            interval=self.interval,
            byweekday=self.days if self.freq is Freq.WEEKLY else None,
            bymonthday=monthday.get("bymonthday"),
            bysetpos=monthday.get("bysetpos"),
            byhour=self.at.hour,
            byminute=self.at.minute,
            bysecond=0,
            cache=False,
        )

    def slots(self, start: date, zone: ZoneInfo, after: datetime) -> Iterator[datetime]:
        """Every slot (an instant, in UTC) strictly after `after`, in order."""
        for _, moment in self._settled(start, zone, after):
            yield moment

    def first_slot(self, zone: ZoneInfo, now: datetime) -> tuple[date, datetime]:
        """Where a rule said at `now` starts: the local date its first slot falls on, and that
        slot. "every 2 weeks on fri" starts on the coming Friday, not on one two weeks out."""
        today = now.astimezone(zone).date()
        for wall, moment in replace(self, interval=1)._settled(today, zone, now):
            return wall.date(), moment
        raise RuleError(self.describe(), "it never falls due")

    def _settled(self, start: date, zone: ZoneInfo, after: datetime
                 ) -> Iterator[tuple[datetime, datetime]]:
        """Each wall time of the rule with the instant it settles on, for instants after
        `after`. A wall time in a spring-forward gap moves on by the gap, a repeated one means
        the first (`resolve_local`); two that settle on one instant (a skipped calendar day)
        give one slot."""
        local = after.astimezone(zone).replace(tzinfo=None)
        last = after
        for wall in self.recurrence(start).xafter(local - timedelta(days=2), inc=False):
            if wall.year > 9000:
                return
            # In UTC: an aware time in the zone that the clocks repeat never equals itself in
            # another zone (PEP 495), which would make a stored slot differ from a computed one.
            moment = resolve_local(wall, zone).astimezone(UTC)
            if moment > last:
                last = moment
                yield wall, moment


def _and(names: Iterable[str]) -> str:
    items = list(names)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _monthday_words(day: int) -> str:
    if day == LAST_DAY:
        return "the last day"
    if day > 28:
        return f"the {_ordinal(day)} (or the last day)"
    return f"the {_ordinal(day)}"


def _monthday_parts(day: int) -> dict[str, object]:
    """RFC 5545 skips a month without the day; "the 31st" means the last day in short months:
    the last of the 28th..31st that the month has."""
    if day == LAST_DAY:
        return {"bymonthday": [-1]}
    if day > 28:
        return {"bymonthday": list(range(28, day + 1)), "bysetpos": [-1]}
    return {"bymonthday": [day]}


# --- reading a rule ----------------------------------------------------------------------------


def parse_rule(text: str, now: datetime, zone: ZoneInfo, *,
               end_of_day: time = DEFAULT_END_OF_DAY, week: Week = DEFAULT_WEEK) -> Rule:
    """Read a repeat phrase (see the module's docstring); raises RuleError, one line. A repeat
    said without a time of day falls due at `end_of_day` (the settings'), as every date does."""
    tokens = [t for t in words(text.replace("-", " ")) if t not in ("and", "the", "of", "&")]
    if tokens[:1] in (["every"], ["each"]):
        tokens = tokens[1:]
    until: datetime | None = None
    count: int | None = None
    if len(tokens) >= 2 and tokens[-1] in ("times", "time", "occurrences"):
        count = _number(tokens[-2])
        if count is None or count < 1:
            raise RuleError(text, "say how many times with a number, e.g. 6 times")
        tokens = tokens[:-2]
        if tokens[-1:] == ["for"]:
            tokens = tokens[:-1]
    if "until" in tokens:
        cut = tokens.index("until")
        phrase = " ".join(tokens[cut + 1:])
        try:
            until = parse_when(phrase, now, zone, end_of_day=end_of_day, week=week)
        except DateParseError:
            raise RuleError(text, f'"until {phrase}" is not a date') from None
        if until <= now:
            raise RuleError(text, "its end is already past")
        tokens = tokens[:cut]
    at = end_of_day
    if tokens and (clock := parse_clock(tokens[-1])) is not None:
        at, tokens = clock, tokens[:-1]
    if tokens and (clock := parse_clock(tokens[0])) is not None and len(tokens) > 1:
        at, tokens = clock, tokens[1:]
    rule = _read_schedule(tokens, text, now.astimezone(zone))
    if until is not None and count is not None:
        raise RuleError(text, "give an end date or a number of times, not both")
    return replace(rule, at=at, until=until, count=count)


def _number(token: str) -> int | None:
    if token.isascii() and token.isdigit() and len(token) <= 4:
        return int(token)
    return _COUNTS.get(token)


def _read_schedule(tokens: list[str], text: str, local: datetime) -> Rule:
    if not tokens:
        raise RuleError(text, "say which days, e.g. mon, weekday, 2 weeks on fri")
    head, rest = tokens[0], tokens[1:]
    interval = 1
    if (n := _number(head)) is not None and rest:
        if not 1 <= n <= 99:
            raise RuleError(text, "repeat every 1 to 99 days, weeks or months")
        interval, head, rest = n, rest[0], rest[1:]
    aliases = {"biweekly": ("week", 2), "fortnightly": ("week", 2), "fortnight": ("week", 2),
               "daily": ("day", 1), "weekly": ("week", 1), "monthly": ("month", 1),
               "days": ("day", 1), "weeks": ("week", 1), "months": ("month", 1)}
    if head in aliases:
        head, times = aliases[head]
        interval *= times
    if head in ("day", "workday", "weekday", "weekdays", "workdays") and not rest:
        if head == "day":
            return Rule(Freq.DAILY, interval=interval)
        if interval != 1:
            raise RuleError(text, "weekdays repeat every week")
        return Rule(Freq.WEEKLY, days=_WORKDAYS)
    if head == "working" and rest == ["day"]:
        return Rule(Freq.WEEKLY, days=_WORKDAYS)
    if weekday_number(head) is not None:
        head, rest = "week", [head, *rest]
    if head == "week":
        days = tuple(sorted({_weekday(t, text) for t in rest})) or (local.weekday(),)
        return Rule(Freq.WEEKLY, interval=interval, days=days)
    if head == "month":
        return Rule(Freq.MONTHLY, interval=interval, monthday=_monthday(rest, text, local))
    raise RuleError(text)


def _weekday(token: str, text: str) -> int:
    day = weekday_number(token.removesuffix("s")) if token not in ("tues", "thurs") else None
    day = weekday_number(token) if day is None else day
    if day is None:
        raise RuleError(text, f'"{token}" is not a weekday')
    return day


def _monthday(tokens: list[str], text: str, local: datetime) -> int:
    if not tokens:
        return local.day
    if tokens in (["last"], ["last", "day"], ["last", "day", "month"], ["eom"]):
        return LAST_DAY
    if tokens in (["first"], ["first", "day"]):
        return 1
    if tokens[0] == "day":
        tokens = tokens[1:]
    word = tokens[0] if len(tokens) == 1 else ""
    digits = word.removesuffix("st").removesuffix("nd").removesuffix("rd").removesuffix("th")
    if digits.isascii() and digits.isdigit() and 1 <= int(digits) <= 31:
        return int(digits)
    raise RuleError(text, "name a day of the month, e.g. on the 1st, on the 15th, on the last day")


# --- the series --------------------------------------------------------------------------------


class SeriesEventKind(StrEnum):
    STARTED = "started"
    CHANGED = "changed"
    STOPPED = "stopped"
    ENDED = "ended"
    """Its rule has no more occurrences (an end date or a number of times was reached)."""


class SeriesStatus(StrEnum):
    ACTIVE = "active"
    STOPPED = "stopped"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class SeriesEvent:
    """One step in a series' history: started, changed, stopped or ended."""

    kind: SeriesEventKind
    at: datetime
    note: str = ""


@dataclass(frozen=True, slots=True)
class Occurrence:
    """The next occurrence to store, and the slot the rule gave it."""

    promise: Promise
    slot: datetime


@dataclass(frozen=True, slots=True)
class Series:
    """A recurring promise: what repeats, to whom, by which rule, and its history."""

    id: int
    text: str
    person_id: int
    rule: Rule
    start: date
    """The local date the rule counts from: its first slot since it was last set."""
    events: tuple[SeriesEvent, ...]
    zone: str = "UTC"
    commitment_id: int | None = None
    current: int | None = None
    """The latest occurrence (a promise id); None before the first is made."""
    slot: datetime | None = None
    """When the rule scheduled the latest occurrence (its due time may have moved since)."""
    issued: int = 0
    """How many occurrences have been made."""
    uid: str = ""
    extra: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def make(cls, *, text: str, person_id: int, rule: Rule, made_at: datetime, zone: ZoneInfo,
             commitment_id: int | None = None) -> Series:
        text = " ".join(text.split())
        if not text:
            raise InvalidInput('a promise needs words, e.g. "status note"')
        start, _ = rule.first_slot(zone, made_at)
        return cls(id=0, text=text, person_id=person_id, rule=rule, start=start,
                   events=(SeriesEvent(SeriesEventKind.STARTED, made_at, rule.describe()),),
                   zone=zone.key, commitment_id=commitment_id)

    # what it is ------------------------------------------------------------------------------

    @property
    def made_at(self) -> datetime:
        return self.events[0].at

    @property
    def status(self) -> SeriesStatus:
        last = self.events[-1].kind
        if last is SeriesEventKind.STOPPED:
            return SeriesStatus.STOPPED
        return SeriesStatus.ENDED if last is SeriesEventKind.ENDED else SeriesStatus.ACTIVE

    @property
    def is_active(self) -> bool:
        return self.status is SeriesStatus.ACTIVE

    @property
    def stopped_at(self) -> datetime | None:
        return None if self.is_active else self.events[-1].at

    def describe(self) -> str:
        """The rule in words, e.g. "every Mon 10:00"."""
        return self.rule.describe()

    @property
    def tz(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.zone)
        except (ValueError, KeyError, OSError):
            return ZoneInfo("UTC")

    # making the next one ---------------------------------------------------------------------

    def needs_next(self, current: Promise | None, now: datetime) -> bool:
        """The next occurrence is due to exist: the latest one is due or closed (or there is
        none yet)."""
        if not self.is_active:
            return False
        return current is None or not current.is_open or current.due <= now

    def next_slot(self) -> datetime | None:
        """When the rule schedules the next occurrence; None once it has no more."""
        if self.rule.count is not None and self.issued >= self.rule.count:
            return None
        zone = self.tz
        after = self.slot or resolve_local(datetime.combine(self.start, time()), zone)
        slot = next(self.rule.slots(self.start, zone, after - timedelta(seconds=1)
                                    if self.slot is None else after), None)
        if slot is None or (self.rule.until is not None and slot > self.rule.until):
            return None
        return slot

    def next_occurrence(self, now: datetime) -> Occurrence | None:
        """The next occurrence as a promise to add (id 0), or None when the rule is done.

        It counts as made when the previous one fell due, or now if that is later; one the
        journal missed while nothing ran is made as it would have been, and is overdue.
        """
        slot = self.next_slot()
        if slot is None:
            return None
        made = min(now, self.slot) if self.slot is not None else min(now, self.made_at)
        promise = Promise.make(text=self.text, person_id=self.person_id, made_at=min(made, slot),
                               due=slot, zone=self.zone, commitment_id=self.commitment_id,
                               series_id=self.id)
        return Occurrence(promise, slot)

    def issued_as(self, promise: Promise, slot: datetime) -> Series:
        """The series once `promise` (stored, with its id) is its latest occurrence."""
        return replace(self, current=promise.id, slot=slot, issued=self.issued + 1)

    # changing it -----------------------------------------------------------------------------

    def _event(self, kind: SeriesEventKind, at: datetime, note: str) -> Series:
        if not self.is_active:
            raise InvalidInput(f"series #{self.id} is already {self.status.value}; nothing "
                               "changed")
        if at < self.made_at:
            raise InvalidInput(f"series #{self.id} started later than that")
        return replace(self, events=(*self.events, SeriesEvent(kind, at, note)))

    def ended(self, at: datetime) -> Series:
        return self._event(SeriesEventKind.ENDED, at, "its last occurrence is made")

    def stopped(self, at: datetime, note: str) -> Series:
        note = " ".join(note.split())
        if not note:
            raise InvalidInput('say why in a few words, e.g. --note "Dana reads the dashboard '
                               'now"')
        return self._event(SeriesEventKind.STOPPED, at, note)

    def changed(self, at: datetime, *, rule: Rule | None = None, text: str | None = None
                ) -> Series:
        """The series from `at` on with a new rule and/or text; what it was is kept in its
        history. A new time or new days restart the rule's count from the next slot."""
        said = []
        new = self
        if text is not None:
            text = " ".join(text.split())
            if not text:
                raise InvalidInput('a promise needs words, e.g. --text "status note"')
            if text != self.text:
                said.append(f'text "{text}" (was "{self.text}")')
                new = replace(new, text=text)
        if rule is not None and rule != self.rule:
            said.append(f"{rule.describe()} (was {self.rule.describe()})")
            start = self.start
            if replace(rule, until=None, count=None) != replace(self.rule, until=None,
                                                                count=None):
                start, _ = rule.first_slot(self.tz, at)
            new = replace(new, rule=rule, start=start)
        if not said:
            raise InvalidInput(f"series #{self.id} is already that; nothing changed")
        return new._event(SeriesEventKind.CHANGED, at, "; ".join(said))


# --- the track record of one series ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeriesRecord:
    """How the latest closed occurrences went: "6 of the last 7 on time"."""

    on_time: int
    counted: int
    overdue: int

    def words(self) -> str:
        if not self.counted:
            return "none closed yet"
        text = (f"{self.on_time} of the last {self.counted} on time" if self.counted > 1
                else "the last one on time" if self.on_time else "the last one not on time")
        return text + (f", {self.overdue} overdue" if self.overdue else "")


def track_record(occurrences: Iterable[Promise], now: datetime, last: int = RECENT
                 ) -> SeriesRecord:
    """The latest `last` occurrences that count (released ones don't), by when they were due."""
    from trustjournal.domain.record import credit

    promises = list(occurrences)
    closed = sorted((p for p in promises if credit(p) is not None), key=lambda p: (p.due, p.id))
    recent = closed[-last:]
    return SeriesRecord(on_time=sum(1 for p in recent if credit(p) == 1.0), counted=len(recent),
                        overdue=sum(1 for p in promises if p.is_overdue(now)))


def record_line(series: Series, occurrences: Iterable[Promise], now: datetime, to_name: str
                ) -> str:
    """"status note to Dana: 6 of the last 7 on time" — for the review's summary."""
    first = to_name.split()[0] if to_name.split() else to_name
    return f"{series.text} to {first}: {track_record(occurrences, now).words()}"
