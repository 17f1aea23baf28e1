"""Tests for trustjournal.domain.dates: plain-words due dates, DST handling, local zone."""

from __future__ import annotations

import ast
import os
import pickle
import sys
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import trustjournal.domain.dates as dates
from trustjournal.domain.dates import (
    DEFAULT_END_OF_DAY,
    DateParseError,
    local_zone,
    parse_when,
    resolve_local,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
APIA = ZoneInfo("Pacific/Apia")
ZONES = [BERLIN, NEW_YORK, LORD_HOWE, APIA]

# Wednesday 2026-11-25, 10:00 in Berlin (UTC+01:00).
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=BERLIN)


def berlin(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=BERLIN)


def parse(text: str, now: datetime = NOW, **kwargs: object) -> datetime:
    return parse_when(text, now, BERLIN, **kwargs)  # type: ignore[arg-type]


def same_wall_and_offset(got: datetime, expected: datetime) -> bool:
    """Equal instant is not enough: the wall time and the zone must match too."""
    return (
        got == expected
        and got.replace(tzinfo=None) == expected.replace(tzinfo=None)
        and got.utcoffset() == expected.utcoffset()
        and got.tzinfo is expected.tzinfo
    )


def check(text: str, expected: datetime, now: datetime = NOW, **kwargs: object) -> None:
    got = parse(text, now, **kwargs)
    assert same_wall_and_offset(got, expected), f"{text!r}: got {got}, expected {expected}"


# --------------------------------------------------------------------------- day words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", berlin(2026, 11, 25, 17)),
        ("eod", berlin(2026, 11, 25, 17)),
        ("end of day", berlin(2026, 11, 25, 17)),
        ("End Of The Day", berlin(2026, 11, 25, 17)),
        ("tonight", berlin(2026, 11, 25, 20)),
        ("tomorrow", berlin(2026, 11, 26, 17)),
        ("tmrw", berlin(2026, 11, 26, 17)),
        ("tmr", berlin(2026, 11, 26, 17)),
        ("  TOMORROW  ", berlin(2026, 11, 26, 17)),
        ("yesterday", berlin(2026, 11, 24, 17)),
        ("by tomorrow", berlin(2026, 11, 26, 17)),
        ("this morning", berlin(2026, 11, 25, 9)),
        ("this afternoon", berlin(2026, 11, 25, 14)),
        ("this evening", berlin(2026, 11, 25, 19)),
    ],
)
def test_day_words(text: str, expected: datetime) -> None:
    check(text, expected)


def test_day_words_ignore_prefer() -> None:
    check("today", berlin(2026, 11, 25, 17), prefer="past")
    check("tomorrow", berlin(2026, 11, 26, 17), prefer="past")
    check("yesterday", berlin(2026, 11, 24, 17), prefer="future")


def test_eod_is_today_even_when_past() -> None:
    check("eod", berlin(2026, 11, 25, 17), now=berlin(2026, 11, 25, 18))


def test_now_is_converted_to_zone_first() -> None:
    # 23:30 UTC on the 25th is already the 26th in Berlin.
    late_utc = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
    check("today", berlin(2026, 11, 26, 17), now=late_utc)
    check("tomorrow", berlin(2026, 11, 27, 17), now=late_utc)


# --------------------------------------------------------------------------- weekdays


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fri", berlin(2026, 11, 27, 17)),
        ("friday", berlin(2026, 11, 27, 17)),
        ("FRIDAY", berlin(2026, 11, 27, 17)),
        ("tues", berlin(2026, 12, 1, 17)),
        ("tue", berlin(2026, 12, 1, 17)),
        ("thur", berlin(2026, 11, 26, 17)),
        ("thurs", berlin(2026, 11, 26, 17)),
        ("thursday", berlin(2026, 11, 26, 17)),
        ("mon", berlin(2026, 11, 30, 17)),
        ("sun", berlin(2026, 11, 29, 17)),
        # Today's Wednesday 17:00 is still ahead at 10:00.
        ("wed", berlin(2026, 11, 25, 17)),
        # Today's Wednesday 09:00 is gone, so the next one.
        ("wed 9am", berlin(2026, 12, 2, 9)),
    ],
)
def test_weekday_future(text: str, expected: datetime) -> None:
    check(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fri", berlin(2026, 11, 20, 17)),
        ("mon", berlin(2026, 11, 23, 17)),
        ("wed", berlin(2026, 11, 18, 17)),
        ("wed 9am", berlin(2026, 11, 25, 9)),
        ("tue 8:15", berlin(2026, 11, 24, 8, 15)),
    ],
)
def test_weekday_past(text: str, expected: datetime) -> None:
    check(text, expected, prefer="past")


def test_weekday_on_that_day() -> None:
    friday_morning = berlin(2026, 11, 27, 9)
    friday_evening = berlin(2026, 11, 27, 18)
    check("fri", berlin(2026, 11, 27, 17), now=friday_morning)
    check("fri", berlin(2026, 12, 4, 17), now=friday_evening)
    check("fri 9pm", berlin(2026, 11, 27, 21), now=friday_evening)
    check("fri", berlin(2026, 11, 27, 17), now=friday_evening, prefer="past")
    check("fri", berlin(2026, 11, 20, 17), now=friday_morning, prefer="past")


def test_weekday_exactly_now_counts_as_not_before() -> None:
    check("fri", berlin(2026, 11, 27, 17), now=berlin(2026, 11, 27, 17))
    check("fri", berlin(2026, 11, 27, 17), now=berlin(2026, 11, 27, 17), prefer="past")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next fri", berlin(2026, 12, 4, 17)),
        ("next mon", berlin(2026, 11, 30, 17)),
        ("next wed", berlin(2026, 12, 2, 17)),
        ("next sunday", berlin(2026, 12, 6, 17)),
        ("this fri", berlin(2026, 11, 27, 17)),
        ("this mon", berlin(2026, 11, 23, 17)),
        ("this sun", berlin(2026, 11, 29, 17)),
        ("last fri", berlin(2026, 11, 20, 17)),
        ("last wed", berlin(2026, 11, 18, 17)),
        ("last tue", berlin(2026, 11, 24, 17)),
        ("last thu", berlin(2026, 11, 19, 17)),
        ("next fri 9am", berlin(2026, 12, 4, 9)),
        ("by next fri at 5pm", berlin(2026, 12, 4, 17)),
    ],
)
def test_relative_weekday(text: str, expected: datetime) -> None:
    check(text, expected)
    # These name one fixed date, so prefer has nothing to choose.
    check(text, expected, prefer="past")


def test_next_fri_from_sunday_is_the_following_week() -> None:
    sunday = berlin(2026, 11, 29, 12)
    check("next fri", berlin(2026, 12, 4, 17), now=sunday)
    check("this fri", berlin(2026, 11, 27, 17), now=sunday)
    check("last sun", berlin(2026, 11, 22, 17), now=sunday)


# --------------------------------------------------------------------------- times


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fri 5pm", berlin(2026, 11, 27, 17)),
        ("fri 5 pm", berlin(2026, 11, 27, 17)),
        ("fri 5 p.m.", berlin(2026, 11, 27, 17)),
        ("fri at 17:00", berlin(2026, 11, 27, 17)),
        ("by fri at 5pm", berlin(2026, 11, 27, 17)),
        ("fri, 5:30pm", berlin(2026, 11, 27, 17, 30)),
        ("tomorrow 9am", berlin(2026, 11, 26, 9)),
        ("tomorrow 9:30am", berlin(2026, 11, 26, 9, 30)),
        ("tomorrow 12am", berlin(2026, 11, 26, 0)),
        ("tomorrow 12pm", berlin(2026, 11, 26, 12)),
        ("tomorrow 00:00", berlin(2026, 11, 26, 0)),
        ("tomorrow 23:59:30", berlin(2026, 11, 26, 23, 59, 30)),
        ("today noon", berlin(2026, 11, 25, 12)),
        ("today 9am", berlin(2026, 11, 25, 9)),  # explicit day: no rolling forward
        ("mon 10", berlin(2026, 11, 30, 10)),
        ("mon 17", berlin(2026, 11, 30, 17)),
        ("tomorrow midday", berlin(2026, 11, 26, 12)),
        ("tomorrow midnight", berlin(2026, 11, 26, 23, 59)),
        ("tomorrow morning", berlin(2026, 11, 26, 9)),
        ("tomorrow afternoon", berlin(2026, 11, 26, 14)),
        ("tomorrow evening", berlin(2026, 11, 26, 19)),
        ("tomorrow night", berlin(2026, 11, 26, 20)),
        ("tonight 9pm", berlin(2026, 11, 25, 21)),
        ("fri eod", berlin(2026, 11, 27, 17)),
        ("5pm fri", berlin(2026, 11, 27, 17)),
        ("at 5pm on fri", berlin(2026, 11, 27, 17)),
        ("noon tomorrow", berlin(2026, 11, 26, 12)),
        ("eod tomorrow", berlin(2026, 11, 26, 17)),
        ("3pm dec 5", berlin(2026, 12, 5, 15)),
    ],
)
def test_date_with_time(text: str, expected: datetime) -> None:
    check(text, expected)


@pytest.mark.parametrize(
    ("text", "future", "past"),
    [
        ("5pm", berlin(2026, 11, 25, 17), berlin(2026, 11, 24, 17)),
        ("5 pm", berlin(2026, 11, 25, 17), berlin(2026, 11, 24, 17)),
        ("17:00", berlin(2026, 11, 25, 17), berlin(2026, 11, 24, 17)),
        ("9am", berlin(2026, 11, 26, 9), berlin(2026, 11, 25, 9)),
        ("at 9:45", berlin(2026, 11, 26, 9, 45), berlin(2026, 11, 25, 9, 45)),
        ("noon", berlin(2026, 11, 25, 12), berlin(2026, 11, 24, 12)),
        ("midnight", berlin(2026, 11, 25, 23, 59), berlin(2026, 11, 24, 23, 59)),
        ("morning", berlin(2026, 11, 26, 9), berlin(2026, 11, 25, 9)),
        ("afternoon", berlin(2026, 11, 25, 14), berlin(2026, 11, 24, 14)),
        ("evening", berlin(2026, 11, 25, 19), berlin(2026, 11, 24, 19)),
        ("10:00", berlin(2026, 11, 25, 10), berlin(2026, 11, 25, 10)),  # exactly now
    ],
)
def test_bare_time(text: str, future: datetime, past: datetime) -> None:
    check(text, future, prefer="future")
    check(text, past, prefer="past")


def test_midnight_is_the_last_minute_of_its_day() -> None:
    check("fri midnight", berlin(2026, 11, 27, 23, 59))


# --------------------------------------------------------------------------- spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 3 days", berlin(2026, 11, 28, 17)),
        ("in 3d", berlin(2026, 11, 28, 17)),
        ("in 0 days", berlin(2026, 11, 25, 17)),
        ("in 2 weeks", berlin(2026, 12, 9, 17)),
        ("in a week", berlin(2026, 12, 2, 17)),
        ("in two weeks", berlin(2026, 12, 9, 17)),
        ("in 1 month", berlin(2026, 12, 25, 17)),
        ("in 2 months", berlin(2027, 1, 25, 17)),
        ("in a year", berlin(2027, 11, 25, 17)),
        ("in 3 days at 9am", berlin(2026, 11, 28, 9)),
        ("in 4 hours", berlin(2026, 11, 25, 14)),
        ("in an hour", berlin(2026, 11, 25, 11)),
        ("in 30 minutes", berlin(2026, 11, 25, 10, 30)),
        ("in 30 min", berlin(2026, 11, 25, 10, 30)),
        ("in 1h", berlin(2026, 11, 25, 11)),
        ("in 90m", berlin(2026, 11, 25, 11, 30)),
        ("3 days ago", berlin(2026, 11, 22, 17)),
        ("a week ago", berlin(2026, 11, 18, 17)),
        ("2 months ago", berlin(2026, 9, 25, 17)),
        ("2 hours ago", berlin(2026, 11, 25, 8)),
        ("45 min ago", berlin(2026, 11, 25, 9, 15)),
    ],
)
def test_spans(text: str, expected: datetime) -> None:
    check(text, expected)


def test_month_span_clips_to_month_end() -> None:
    check("in 1 month", berlin(2027, 2, 28, 17), now=berlin(2027, 1, 31, 10))
    check("in 1 month", berlin(2028, 2, 29, 17), now=berlin(2028, 1, 31, 10))


def test_hour_span_keeps_seconds_of_now() -> None:
    check("in 1 hour", berlin(2026, 11, 25, 11, 0, 42), now=berlin(2026, 11, 25, 10, 0, 42))


# --------------------------------------------------------------------------- end of period


def test_end_of_week() -> None:
    check("eow", berlin(2026, 11, 27, 17))
    check("end of week", berlin(2026, 11, 27, 17))
    check("end of the week", berlin(2026, 11, 27, 17))
    check("eow", berlin(2026, 11, 27, 17), now=berlin(2026, 11, 27, 16))
    # Friday evening and the weekend: this week's Friday is gone.
    check("eow", berlin(2026, 12, 4, 17), now=berlin(2026, 11, 27, 18))
    check("eow", berlin(2026, 12, 4, 17), now=berlin(2026, 11, 28, 9))
    check("eow", berlin(2026, 12, 4, 17), now=berlin(2026, 11, 29, 9))
    check("eow", berlin(2026, 11, 20, 17), prefer="past")
    check("eow", berlin(2026, 11, 27, 17), now=berlin(2026, 11, 28, 9), prefer="past")
    check("eow noon", berlin(2026, 11, 27, 12))


def test_end_of_month_and_year() -> None:
    check("eom", berlin(2026, 11, 30, 17))
    check("end of month", berlin(2026, 11, 30, 17))
    check("eom", berlin(2026, 12, 31, 17), now=berlin(2026, 11, 30, 18))
    check("eom", berlin(2027, 2, 28, 17), now=berlin(2027, 2, 3, 9))
    check("eom", berlin(2026, 10, 31, 17), prefer="past")
    check("eoy", berlin(2026, 12, 31, 17))
    check("end of the year", berlin(2026, 12, 31, 17))
    check("eoy", berlin(2027, 12, 31, 17), now=berlin(2026, 12, 31, 18))
    check("eoy", berlin(2025, 12, 31, 17), prefer="past")


# --------------------------------------------------------------------------- month and day


@pytest.mark.parametrize(
    "text",
    [
        "dec 5",
        "5 dec",
        "december 5",
        "December 5",
        "dec 5th",
        "5th december",
        "5th of december",
        "on dec 5",
        "by Dec 5",
        "2026-12-05",
    ],
)
def test_month_day_spellings(text: str) -> None:
    check(text, berlin(2026, 12, 5, 17))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dec 5 3pm", berlin(2026, 12, 5, 15)),
        ("dec 5 at 15:30", berlin(2026, 12, 5, 15, 30)),
        ("dec 5 2027", berlin(2027, 12, 5, 17)),
        ("dec 5, 2027", berlin(2027, 12, 5, 17)),
        ("5 dec 2027 9am", berlin(2027, 12, 5, 9)),
        ("sept 1", berlin(2027, 9, 1, 17)),
        ("may 1st", berlin(2027, 5, 1, 17)),
        ("nov 20", berlin(2027, 11, 20, 17)),  # already gone this year
        ("nov 25", berlin(2026, 11, 25, 17)),  # today, still ahead
        ("nov 25 9am", berlin(2027, 11, 25, 9)),  # today, but gone
        ("feb 29", berlin(2028, 2, 29, 17)),  # next leap year
        ("feb 29 2028", berlin(2028, 2, 29, 17)),
    ],
)
def test_month_day_future(text: str, expected: datetime) -> None:
    check(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dec 5", berlin(2025, 12, 5, 17)),
        ("nov 20", berlin(2026, 11, 20, 17)),
        ("nov 25", berlin(2025, 11, 25, 17)),
        ("nov 25 9am", berlin(2026, 11, 25, 9)),
        ("feb 29", berlin(2024, 2, 29, 17)),
        ("dec 5 2027", berlin(2027, 12, 5, 17)),  # an explicit year wins
    ],
)
def test_month_day_past(text: str, expected: datetime) -> None:
    check(text, expected, prefer="past")


# --------------------------------------------------------------------------- ISO 8601


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-05", berlin(2026, 12, 5, 17)),
        ("2026-12-05 14:00", berlin(2026, 12, 5, 14)),
        ("2026-12-05T14:00", berlin(2026, 12, 5, 14)),
        ("2026-12-05t14:00:30", berlin(2026, 12, 5, 14, 0, 30)),
        ("2026-12-05T14:00:00.250", berlin(2026, 12, 5, 14, 0, 0, 250000)),
        ("2026-12-05T14:00:00+01:00", berlin(2026, 12, 5, 14)),
        ("2026-12-05T14:00:00+00:00", berlin(2026, 12, 5, 15)),
        ("2026-12-05T14:00Z", berlin(2026, 12, 5, 15)),
        ("2026-12-05T14:00-0500", berlin(2026, 12, 5, 20)),
        ("2026-12-05 14:00 +09", berlin(2026, 12, 5, 6)),
        ("2026-12-05 5pm", berlin(2026, 12, 5, 17)),
        ("on 2026-12-05 at 2pm", berlin(2026, 12, 5, 14)),
        ("2020-01-01", berlin(2020, 1, 1, 17)),  # explicit dates may be in the past
    ],
)
def test_iso(text: str, expected: datetime) -> None:
    check(text, expected)


def test_iso_offset_lands_in_target_zone() -> None:
    got = parse_when("2026-07-01T12:00:00+00:00", NOW, NEW_YORK)
    assert got.tzinfo is NEW_YORK
    assert got.replace(tzinfo=None) == datetime(2026, 7, 1, 8)


# --------------------------------------------------------------------------- end_of_day


def test_end_of_day_override() -> None:
    late = time(18, 30)
    check("today", berlin(2026, 11, 25, 18, 30), end_of_day=late)
    check("tomorrow", berlin(2026, 11, 26, 18, 30), end_of_day=late)
    check("fri", berlin(2026, 11, 27, 18, 30), end_of_day=late)
    check("in 3 days", berlin(2026, 11, 28, 18, 30), end_of_day=late)
    check("eow", berlin(2026, 11, 27, 18, 30), end_of_day=late)
    check("dec 5", berlin(2026, 12, 5, 18, 30), end_of_day=late)
    check("2026-12-05", berlin(2026, 12, 5, 18, 30), end_of_day=late)
    check("fri eod", berlin(2026, 11, 27, 18, 30), end_of_day=late)
    # An explicit time still wins.
    check("fri 9am", berlin(2026, 11, 27, 9), end_of_day=late)


def test_early_end_of_day_moves_open_weekday_forward() -> None:
    # Wednesday 09:00 is already past at 10:00, so "wed" means next week.
    check("wed", berlin(2026, 12, 2, 9), end_of_day=time(9, 0))


def test_default_end_of_day() -> None:
    assert (DEFAULT_END_OF_DAY.hour, DEFAULT_END_OF_DAY.minute) == (17, 0)


# --------------------------------------------------------------------------- DST


def test_resolve_local_spring_gap_berlin() -> None:
    got = resolve_local(datetime(2027, 3, 28, 2, 30), BERLIN)
    assert got.replace(tzinfo=None) == datetime(2027, 3, 28, 3, 30)
    assert got.utcoffset() == timedelta(hours=2)
    assert got.tzinfo is BERLIN


def test_resolve_local_fall_back_berlin_takes_first() -> None:
    got = resolve_local(datetime(2026, 10, 25, 2, 30), BERLIN)
    assert got.replace(tzinfo=None) == datetime(2026, 10, 25, 2, 30)
    assert got.utcoffset() == timedelta(hours=2)
    assert got.fold == 0
    assert got.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_resolve_local_lord_howe_half_hour_gap() -> None:
    got = resolve_local(datetime(2026, 10, 4, 2, 15), LORD_HOWE)
    assert got.replace(tzinfo=None) == datetime(2026, 10, 4, 2, 45)
    assert got.utcoffset() == timedelta(hours=11)


def test_resolve_local_apia_skipped_day() -> None:
    got = resolve_local(datetime(2011, 12, 30, 12, 0), APIA)
    assert got.replace(tzinfo=None) == datetime(2011, 12, 31, 12, 0)
    assert got.utcoffset() == timedelta(hours=14)
    assert got.astimezone(UTC).astimezone(APIA).replace(tzinfo=None) == datetime(2011, 12, 31, 12)


def test_resolve_local_rejects_aware() -> None:
    with pytest.raises(ValueError):
        resolve_local(NOW, BERLIN)


def test_parse_spring_gap_and_fall_back() -> None:
    got = parse("2027-03-28 02:30")
    assert got.replace(tzinfo=None) == datetime(2027, 3, 28, 3, 30)
    got = parse("tomorrow 2:30am", now=berlin(2027, 3, 27, 12))
    assert got.replace(tzinfo=None) == datetime(2027, 3, 28, 3, 30)
    got = parse("2026-10-25 02:30")
    assert got.utcoffset() == timedelta(hours=2)


def test_tomorrow_across_new_york_fall_back_keeps_wall_time() -> None:
    saturday = datetime(2026, 10, 31, 10, 0, tzinfo=NEW_YORK)
    got = parse_when("tomorrow 09:00", saturday, NEW_YORK)
    assert got.replace(tzinfo=None) == datetime(2026, 11, 1, 9, 0)
    assert got.utcoffset() == timedelta(hours=-5)
    assert saturday.utcoffset() == timedelta(hours=-4)
    # 24 wall-clock hours minus one, yet still "09:00 tomorrow" to the user.
    assert got.astimezone(UTC) - saturday.astimezone(UTC) == timedelta(hours=24)


def test_hour_span_across_dst_is_elapsed_time() -> None:
    before = datetime(2026, 10, 25, 1, 30, tzinfo=BERLIN)  # CEST, +02:00
    got = parse("in 2 hours", now=before)
    assert got.astimezone(UTC) - before.astimezone(UTC) == timedelta(hours=2)
    assert got.replace(tzinfo=None) == datetime(2026, 10, 25, 2, 30)
    assert got.utcoffset() == timedelta(hours=1)  # the second 02:30


def test_day_span_across_dst_keeps_wall_time() -> None:
    got = parse("in 3 days 9am", now=berlin(2027, 3, 26, 10))
    assert got.replace(tzinfo=None) == datetime(2027, 3, 29, 9)
    assert got.utcoffset() == timedelta(hours=2)


# --------------------------------------------------------------------------- errors


def test_error_message_format() -> None:
    with pytest.raises(DateParseError) as info:
        parse("fridya")
    assert str(info.value) == (
        'could not read "fridya" as a date; try: today, tomorrow, fri 5pm, next mon, '
        "in 3 days, eow, dec 5, 2026-12-05 14:00"
    )
    assert isinstance(info.value, ValueError)
    assert info.value.text == "fridya"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\t\n",
        "fridya",
        "12/05",
        "5",
        "17",
        "2026",
        "dec",
        "5th",
        "feb 30",
        "feb 29 2027",
        "apr 31",
        "dec 0",
        "dec 32",
        "2026-13-01",
        "2026-02-30",
        "2026-12-05T25:00",
        "2026-12-05T14:00+24:00",
        "25:00",
        "12:60",
        "13pm",
        "0am",
        "mon 25",
        "in 99999999999 days",
        "in 999999999 days",
        "in 999999999 hours",
        "in 999999999 months",
        "in 9999999 years",
        "9999999 days ago",
        "in " + "9" * 5000 + " days",
        "dec 5 1969",
        "1969-12-31",
        "9001-01-01",
        "0000-01-01",
        "in 2 hours fri",
        "in 3 days ago",
        "fri fri",
        "tomorrow today",
        "5pm 6pm",
        "next",
        "last",
        "this noon",
        "in",
        "ago",
        "at",
        "by on at",
        "in 3",
        "next 5pm",
        "\x00fri",
        "fri\x00",
        "fri\nday",
        "١٢:٠٠",  # Arabic-Indic digits
        "ｆｒｉ",  # full-width letters
        "tomorrow at 5pm or so",
        "x" * 10_000,
    ],
)
def test_rejected(text: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse(text)
    message = str(info.value)
    assert len(message.splitlines()) == 1
    assert "try: " in message


def test_empty_message() -> None:
    with pytest.raises(DateParseError, match=r"^no date given; try: "):
        parse("  ")


def test_reasons_are_named() -> None:
    with pytest.raises(DateParseError, match=r"feb has no day 30"):
        parse("feb 30")
    with pytest.raises(DateParseError, match=r"no such time 25:00"):
        parse("25:00")
    with pytest.raises(DateParseError, match=r"too far away"):
        parse("in 99999999999 days")
    with pytest.raises(DateParseError, match=r"1970\.\.9000"):
        parse("dec 5 1969")


def test_message_never_echoes_control_characters_or_long_input() -> None:
    with pytest.raises(DateParseError) as info:
        parse("fri\r\n\x1b[31mday\u2028" + "x" * 200)
    message = str(info.value)
    assert "\x1b" not in message
    assert len(message.splitlines()) == 1
    assert len(message) < 200


def test_error_pickles() -> None:
    err = DateParseError("fridya", "some reason")
    copy = pickle.loads(pickle.dumps(err))
    assert str(copy) == str(err)
    assert copy.text == "fridya"
    assert copy.reason == "some reason"


def test_caller_bugs_are_not_parse_errors() -> None:
    with pytest.raises(ValueError) as info:
        parse_when("fri", datetime(2026, 11, 25, 10), BERLIN)
    assert not isinstance(info.value, DateParseError)
    with pytest.raises(ValueError):
        parse_when("fri", NOW, BERLIN, prefer="sideways")  # type: ignore[arg-type]


def test_result_years_outside_range_are_rejected() -> None:
    with pytest.raises(DateParseError):
        parse("yesterday", now=datetime(1970, 1, 1, 12, tzinfo=BERLIN))
    with pytest.raises(DateParseError):
        parse("in 1 year", now=datetime(9000, 6, 1, 12, tzinfo=BERLIN))


# --------------------------------------------------------------------------- local_zone


@pytest.fixture
def clean_zone_sources(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("TRUSTJOURNAL_TZ", raising=False)
    monkeypatch.delenv("TZ", raising=False)
    monkeypatch.setattr(dates, "_LOCALTIME", tmp_path / "localtime")
    monkeypatch.setattr(dates, "_TIMEZONE_FILE", tmp_path / "timezone")
    return tmp_path


def test_local_zone_prefers_trustjournal_tz(
    clean_zone_sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUSTJOURNAL_TZ", "Asia/Tokyo")
    monkeypatch.setenv("TZ", "America/New_York")
    assert local_zone().key == "Asia/Tokyo"


def test_local_zone_tz_with_colon(
    clean_zone_sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", ":America/New_York")
    assert local_zone().key == "America/New_York"


def test_local_zone_tz_as_zoneinfo_path(
    clean_zone_sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", ":/usr/share/zoneinfo/Europe/Berlin")
    assert local_zone().key == "Europe/Berlin"


def test_local_zone_invalid_env_falls_through(
    clean_zone_sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUSTJOURNAL_TZ", "Not/AZone")
    monkeypatch.setenv("TZ", "Europe/Berlin")
    assert local_zone().key == "Europe/Berlin"


@pytest.mark.parametrize(
    "bad",
    ["CET-1CEST,M3.5.0,M10.5.0/3", "../../etc/passwd", "/etc/passwd", ":", "Europe", " ", "ü"],
)
def test_local_zone_ignores_garbage_tz(
    clean_zone_sources: Path, monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:
    monkeypatch.setenv("TRUSTJOURNAL_TZ", bad)
    monkeypatch.setenv("TZ", bad)
    assert local_zone().key == "UTC"


def test_local_zone_from_symlink(clean_zone_sources: Path) -> None:
    # The target need not exist: only its name matters.
    os.symlink("/usr/share/zoneinfo/Australia/Lord_Howe", clean_zone_sources / "localtime")
    assert local_zone().key == "Australia/Lord_Howe"


def test_local_zone_from_posix_symlink(clean_zone_sources: Path) -> None:
    os.symlink("../usr/share/zoneinfo/posix/Europe/Berlin", clean_zone_sources / "localtime")
    assert local_zone().key == "Europe/Berlin"


def test_local_zone_bad_symlink_falls_to_timezone_file(clean_zone_sources: Path) -> None:
    os.symlink("/nowhere/at/all", clean_zone_sources / "localtime")
    (clean_zone_sources / "timezone").write_text("Pacific/Apia\n", encoding="utf-8")
    assert local_zone().key == "Pacific/Apia"


def test_local_zone_regular_localtime_file_is_skipped(clean_zone_sources: Path) -> None:
    (clean_zone_sources / "localtime").write_bytes(b"TZif")
    (clean_zone_sources / "timezone").write_text("America/New_York\n", encoding="utf-8")
    assert local_zone().key == "America/New_York"


def test_local_zone_garbage_timezone_file(clean_zone_sources: Path) -> None:
    (clean_zone_sources / "timezone").write_bytes(b"\xff\xfe\x00garbage")
    assert local_zone().key == "UTC"


def test_local_zone_defaults_to_utc(clean_zone_sources: Path) -> None:
    assert local_zone().key == "UTC"


def test_builtin_utc_without_tz_database() -> None:
    zone = ZoneInfo.from_file(BytesIO(dates._UTC_TZIF), key="UTC")
    moment = datetime(2026, 6, 1, 12, tzinfo=zone)
    assert moment.utcoffset() == timedelta(0)
    assert moment.tzname() == "UTC"


# --------------------------------------------------------------------------- module hygiene


def test_module_imports_only_stdlib_and_dateutil() -> None:
    tree = ast.parse(Path(dates.__file__).read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    assert roots - set(sys.stdlib_module_names) - {"__future__"} == {"dateutil"}


# --------------------------------------------------------------------------- properties

PROPERTY_SETTINGS = settings(max_examples=300, deadline=None)

NOWS = st.sampled_from(
    [
        NOW,
        berlin(2026, 11, 27, 18),  # Friday evening
        berlin(2026, 12, 31, 23, 59),
        datetime(2026, 10, 31, 10, tzinfo=NEW_YORK),
        datetime(2026, 2, 28, 23, 30, tzinfo=UTC),
        datetime(2026, 10, 3, 12, tzinfo=LORD_HOWE),
    ]
)


@PROPERTY_SETTINGS
@given(text=st.text(), now=NOWS, zone=st.sampled_from(ZONES), past=st.booleans())
def test_any_text_parses_or_raises_date_parse_error(
    text: str, now: datetime, zone: ZoneInfo, past: bool
) -> None:
    try:
        got = parse_when(text, now, zone, prefer="past" if past else "future")
    except DateParseError as err:
        message = str(err)
        assert len(message.splitlines()) == 1
        assert "try:" in message
    else:
        assert got.tzinfo is zone


WORDY_TEXT = st.lists(
    st.sampled_from(
        [
            "in",
            "ago",
            "next",
            "last",
            "this",
            "at",
            "by",
            "on",
            "of",
            "fri",
            "dec",
            "5",
            "5th",
            "3",
            "days",
            "hours",
            "h",
            "m",
            "pm",
            "am",
            "p.m.",
            "noon",
            "eow",
            "2027",
            "17:00",
            "99:99",
            "9999999999",
            "tomorrow",
            "end",
            "the",
            "week",
            ",",
            "-",
            "T",
            "+01:00",
            "2026-12-05",
            "Z",
            "a",
            "feb",
            "29",
            "30",
            "0",
        ]  # fmt: skip
    ),
    max_size=6,
).map(" ".join)


@PROPERTY_SETTINGS
@given(text=WORDY_TEXT, now=NOWS, past=st.booleans())
def test_near_miss_phrases_parse_or_raise_date_parse_error(
    text: str, now: datetime, past: bool
) -> None:
    # Random text rarely looks like a date; these word salads hit the grammar's edges.
    try:
        got = parse_when(text, now, BERLIN, prefer="past" if past else "future")
    except DateParseError as err:
        assert len(str(err).splitlines()) == 1
    else:
        assert got.tzinfo is BERLIN


WEEKDAY_NAMES = ["mon", "monday", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat"]
MONTH_NAMES = ["jan", "february", "mar", "apr", "may", "june", "jul", "aug", "sept", "oct", "dec"]


@st.composite
def date_phrases(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["word", "weekday", "relative", "month_day", "span", "iso"]))
    if kind == "word":
        return draw(st.sampled_from(["today", "tomorrow", "tmrw", "yesterday", "eow", "eom"]))
    if kind == "weekday":
        return draw(st.sampled_from(WEEKDAY_NAMES))
    if kind == "relative":
        prefix = draw(st.sampled_from(["this", "next", "last"]))
        return f"{prefix} {draw(st.sampled_from(WEEKDAY_NAMES))}"
    if kind == "month_day":
        month = draw(st.sampled_from(MONTH_NAMES))
        day = draw(st.integers(1, 28))
        suffix = draw(st.sampled_from(["", "th"])) if day > 3 else ""
        year = draw(st.sampled_from(["", " 2027", " 2030"]))
        if draw(st.booleans()):
            return f"{month} {day}{suffix}{year}"
        return f"{day}{suffix} {month}{year}"
    if kind == "span":
        count = draw(st.integers(0, 500))
        unit = draw(st.sampled_from(["days", "weeks", "months", "d", "w"]))
        return draw(st.sampled_from([f"in {count} {unit}", f"{count} {unit} ago"]))
    iso = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
    return iso.isoformat()


@st.composite
def clock_phrases(draw: st.DrawFn) -> tuple[str, time | None]:
    """A written time and the wall time it means (None: depends on end_of_day)."""
    kind = draw(st.sampled_from(["12h", "24h", "word"]))
    # Hours from 4 on keep clear of every DST gap in the sampled zones.
    hour = draw(st.integers(4, 23))
    minute = draw(st.integers(0, 59))
    if kind == "12h":
        suffix = "pm" if hour >= 12 else "am"
        shown = hour - 12 if hour > 12 else hour
        space = draw(st.sampled_from(["", " "]))
        if minute == 0 and draw(st.booleans()):
            return f"{shown}{space}{suffix}", time(hour)
        return f"{shown}:{minute:02d}{space}{suffix}", time(hour, minute)
    if kind == "24h":
        return f"{hour:02d}:{minute:02d}", time(hour, minute)
    word = draw(st.sampled_from(["noon", "midnight", "morning", "evening", "eod"]))
    clocks = {"noon": time(12), "midnight": time(23, 59), "morning": time(9), "evening": time(19)}
    return word, clocks.get(word)


def vary_case_and_spacing(draw: st.DrawFn, text: str) -> str:
    cased = draw(st.sampled_from([text, text.upper(), text.title()]))
    pad = draw(st.sampled_from(["", " ", "  "]))
    return pad + cased.replace(" ", draw(st.sampled_from([" ", "  "]))) + pad


@st.composite
def valid_phrases(draw: st.DrawFn) -> tuple[str, time | None]:
    day = draw(date_phrases())
    if draw(st.booleans()):
        return vary_case_and_spacing(draw, day), None
    clock, wall = draw(clock_phrases())
    first, second = (day, clock) if draw(st.booleans()) else (clock, day)
    # "by fri at 5pm" / "at 5pm on fri": the filler words follow which half comes first.
    lead, glue = draw(
        st.sampled_from([("", ""), ("by ", "at ") if first == day else ("at ", "on ")])
    )
    phrase = f"{lead}{first} {glue}{second}"
    return vary_case_and_spacing(draw, phrase), wall


@PROPERTY_SETTINGS
@given(
    phrase=valid_phrases(),
    now=NOWS,
    zone=st.sampled_from([BERLIN, NEW_YORK, LORD_HOWE]),
    past=st.booleans(),
)
def test_built_phrases_always_parse(
    phrase: tuple[str, time | None], now: datetime, zone: ZoneInfo, past: bool
) -> None:
    text, wall = phrase
    got = parse_when(text, now, zone, prefer="past" if past else "future")
    assert got.tzinfo is zone
    if wall is not None:
        assert got.time() == wall, text


@PROPERTY_SETTINGS
@given(
    clock=clock_phrases(),
    now=NOWS,
    zone=st.sampled_from([BERLIN, NEW_YORK, LORD_HOWE]),
    past=st.booleans(),
)
def test_bare_time_is_within_a_day_of_now_on_the_preferred_side(
    clock: tuple[str, time | None], now: datetime, zone: ZoneInfo, past: bool
) -> None:
    text, _ = clock
    if text == "eod":
        return  # "eod" alone means today, whichever side of now it falls
    got = parse_when(text, now, zone, prefer="past" if past else "future")
    if past:
        assert timedelta(0) <= now - got < timedelta(hours=25)
    else:
        assert timedelta(0) <= got - now < timedelta(hours=25)


@PROPERTY_SETTINGS
@given(
    naive=st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1)),
    zone=st.sampled_from(ZONES),
)
def test_resolve_local_round_trips(naive: datetime, zone: ZoneInfo) -> None:
    got = resolve_local(naive, zone)
    assert got.tzinfo is zone
    back = got.astimezone(UTC).astimezone(zone)
    assert back.replace(tzinfo=None) == got.replace(tzinfo=None)
    assert back.utcoffset() == got.utcoffset()

    first = naive.replace(tzinfo=zone, fold=0).utcoffset()
    second = naive.replace(tzinfo=zone, fold=1).utcoffset()
    assert first is not None and second is not None
    wall = got.replace(tzinfo=None)
    if second > first:
        # In a gap: moved forward by exactly the gap.
        assert wall - naive == second - first
    else:
        # Exists (once or twice): unchanged, and the first occurrence.
        assert wall == naive
        assert got.utcoffset() == first
