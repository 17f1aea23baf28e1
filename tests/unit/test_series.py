"""Recurring promises: rules in words, slots across DST and month ends, occurrences, changes."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.person import Person
from trustjournal.domain.quick import parse_quick
from trustjournal.domain.review import series_summary
from trustjournal.domain.series import (
    LAST_DAY,
    Freq,
    Rule,
    RuleError,
    Series,
    parse_rule,
    record_line,
    track_record,
)
from trustjournal.storage.journal import Journal
from trustjournal.storage.records import PROMISES, SERIES
from trustjournal.storage.recurring import (
    advance,
    advance_journal,
    change_series,
    pending,
    start_series,
    stop_series,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
APIA = ZoneInfo("Pacific/Apia")
ZONES = [BERLIN, NEW_YORK, LORD_HOWE, APIA]
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=BERLIN)  # a Wednesday


# --- reading rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "words", "first"),
    [
        ("mon 10am", "every Mon 10:00", datetime(2026, 11, 30, 10, 0)),
        ("every mon 10am", "every Mon 10:00", datetime(2026, 11, 30, 10, 0)),
        ("every weekday", "every weekday 17:00", datetime(2026, 11, 25, 17, 0)),
        ("weekday 9am", "every weekday 09:00", datetime(2026, 11, 26, 9, 0)),
        ("every 2 weeks on fri 5pm", "every 2 weeks on Fri 17:00", datetime(2026, 11, 27, 17)),
        ("monthly on the last day", "every month on the last day 17:00",
         datetime(2026, 11, 30, 17, 0)),
        ("every month on the 1st 9am", "every month on the 1st 09:00", datetime(2026, 12, 1, 9)),
        ("every mon and thu 9:30", "every Mon and Thu 09:30", datetime(2026, 11, 26, 9, 30)),
        ("daily 8am", "every day 08:00", datetime(2026, 11, 26, 8, 0)),
        ("every 3 days noon", "every 3 days 12:00", datetime(2026, 11, 25, 12, 0)),
        ("biweekly", "every 2 weeks on Wed 17:00", datetime(2026, 11, 25, 17, 0)),
        ("every month on the 31st", "every month on the 31st (or the last day) 17:00",
         datetime(2026, 11, 30, 17, 0)),
        ("mon 10am 6 times", "every Mon 10:00, 6 times", datetime(2026, 11, 30, 10, 0)),
        ("mon 10am until dec 31", "every Mon 10:00, until Thu 31 Dec 2026",
         datetime(2026, 11, 30, 10, 0)),
    ],
)
def test_every_phrase_reads_and_says_itself(phrase: str, words: str, first: datetime) -> None:
    rule = parse_rule(phrase, NOW, BERLIN)
    assert rule.describe() == words
    _, slot = rule.first_slot(BERLIN, NOW)
    assert slot.astimezone(BERLIN).replace(tzinfo=None) == first


@pytest.mark.parametrize(
    ("phrase", "says"),
    [
        ("every blue moon", 'could not read "every blue moon" as a repeat'),
        ("every 0 weeks", "1 to 99"),
        ("every month on the 32nd", "day of the month"),
        ("", "no repeat given"),
        ("mon 10am until yesterday", "already past"),
        ("every funday", "as a repeat"),
        ("every 2 weekdays", "weekdays repeat every week"),
        ("mon 10am until fri 6 times", "not both"),
    ],
)
def test_bad_phrases_get_one_line_with_examples(phrase: str, says: str) -> None:
    with pytest.raises(RuleError) as error:
        parse_rule(phrase, NOW, BERLIN)
    message = str(error.value)
    assert says in message and "\n" not in message
    assert "try: every mon 10am" in message


def test_a_rule_is_an_rrule_a_calendar_reads() -> None:
    rule = parse_rule("every 2 weeks on fri 5pm", NOW, BERLIN)
    assert rule.rrule_text() == "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;BYHOUR=17;BYMINUTE=0"
    last = parse_rule("month on the 30th 9am", NOW, BERLIN)
    assert last.ical()["bymonthday"] == [28, 29, 30] and last.ical()["bysetpos"] == [-1]


# --- slots across DST and month ends -----------------------------------------------------------


def _series(rule: Rule, zone: ZoneInfo, made: datetime) -> Series:
    return replace(Series.make(text="status note", person_id=1, rule=rule, made_at=made,
                               zone=zone), id=1)


def _slots(series: Series, n: int) -> list[datetime]:
    found = []
    for _ in range(n):
        slot = series.next_slot()
        if slot is None:
            break
        found.append(slot)
        series = replace(series, slot=slot, issued=series.issued + 1)
    return found


@pytest.mark.parametrize("zone", ZONES, ids=lambda z: z.key)
def test_a_weekly_wall_time_stays_across_a_year_of_dst(zone: ZoneInfo) -> None:
    made = datetime(2026, 1, 5, 8, 0, tzinfo=zone)
    slots = _slots(_series(parse_rule("mon 10am", made, zone), zone, made), 60)
    assert len(slots) == 60
    for slot in slots:
        local = slot.astimezone(zone)
        assert (local.weekday(), local.hour, local.minute) == (0, 10, 0)
    assert len({s.utcoffset() for s in slots}) >= 1
    assert all(b - a >= timedelta(days=6) for a, b in zip(slots, slots[1:], strict=False))


def test_berlin_keeps_10_00_when_the_clocks_change() -> None:
    made = datetime(2026, 3, 20, 12, 0, tzinfo=BERLIN)
    slots = _slots(_series(parse_rule("mon 10am", made, BERLIN), BERLIN, made), 3)
    assert [s.astimezone(UTC).hour for s in slots] == [9, 8, 8]  # 29 March: CET -> CEST
    assert {s.astimezone(BERLIN).hour for s in slots} == {10}


def test_a_time_the_clocks_skip_moves_forward_by_the_gap() -> None:
    made = datetime(2026, 3, 27, 12, 0, tzinfo=BERLIN)
    slots = _slots(_series(parse_rule("daily 2:30am", made, BERLIN), BERLIN, made), 3)
    assert [s.astimezone(BERLIN).strftime("%d %H:%M") for s in slots] == \
        ["28 02:30", "29 03:30", "30 02:30"]


def test_month_ends_and_the_last_day() -> None:
    made = datetime(2027, 1, 10, 9, 0, tzinfo=BERLIN)
    last = _slots(_series(parse_rule("monthly on the last day", made, BERLIN), BERLIN, made), 4)
    assert [s.astimezone(BERLIN).date() for s in last] == [
        date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    thirty = _slots(_series(parse_rule("month on the 30th", made, BERLIN), BERLIN, made), 3)
    assert [s.astimezone(BERLIN).day for s in thirty] == [30, 28, 30]


@settings(max_examples=150, deadline=None)
@given(zone=st.sampled_from(ZONES),
       start=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)),
       phrase=st.sampled_from(["mon 10am", "weekday 9am", "2 weeks on fri 5pm",
                               "month on the last day", "month on the 1st 9am", "daily 2:30am",
                               "month on the 31st 8am", "3 days 1:30am"]))
def test_slots_are_wall_times_of_the_rule_in_order(zone: ZoneInfo, start: datetime,
                                                   phrase: str) -> None:
    made = start.replace(tzinfo=zone)
    rule = parse_rule(phrase, made, zone)
    slots = _slots(_series(rule, zone, made), 14)
    assert slots and slots[0] > made
    assert all(a < b for a, b in zip(slots, slots[1:], strict=False))
    for slot in slots:
        local = slot.astimezone(zone)
        assert slot == local.astimezone(UTC)  # survives the round trip
        naive = local.replace(tzinfo=None)
        wall = datetime.combine(local.date(), rule.at)
        # the rule's own wall time, or (a skipped time) later by no more than the gap
        assert timedelta(0) <= naive - wall <= timedelta(hours=1) or local.date() != wall.date() \
            or zone is APIA
        if rule.freq is Freq.WEEKLY and naive == wall:
            assert local.weekday() in rule.days
        if rule.freq is Freq.MONTHLY and rule.monthday == LAST_DAY and naive == wall:
            assert (local + timedelta(days=1)).month != local.month


# --- occurrences in a journal ------------------------------------------------------------------


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    journal = Journal(tmp_path / "journal.json")
    with journal.transaction(NOW) as tx:
        tx.add(Person(id=0, name="Dana Whitfield", created_at=NOW))
    return journal


def _start(journal: Journal, phrase: str = "mon 10am", at: datetime = NOW) -> int:
    with journal.transaction(at) as tx:
        series, first = start_series(tx, Series.make(
            text="status note", person_id=1, rule=parse_rule(phrase, at, BERLIN), made_at=at,
            zone=BERLIN), at)
    assert first.series_id == series.id and series.current == first.id
    return series.id


def test_only_the_next_occurrence_exists_and_keeping_it_makes_the_following(
        journal: Journal) -> None:
    sid = _start(journal)
    assert advance_journal(journal, NOW + timedelta(days=2)) == []  # nothing new before it's due
    ledger = journal.load()
    assert [p.id for p in ledger.occurrences(sid)] == [2 - 1]
    first = ledger.promises[1]
    with journal.transaction(NOW) as tx:
        tx.save(first.kept(NOW + timedelta(days=4)))
        made = advance(tx, NOW + timedelta(days=4))
    assert [p.due.astimezone(BERLIN).date() for p in made] == [date(2026, 12, 7)]
    assert len(journal.load().occurrences(sid)) == 2


def test_missing_one_does_not_stop_the_series(journal: Journal) -> None:
    sid = _start(journal)
    later = datetime(2026, 12, 16, 12, 0, tzinfo=BERLIN)  # three Mondays passed unseen
    made = advance_journal(journal, later)
    ledger = journal.load()
    dues = [p.due.astimezone(BERLIN).date() for p in ledger.occurrences(sid)]
    assert dues == [date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14),
                    date(2026, 12, 21)]
    assert len(made) == 3 and [p.is_overdue(later) for p in ledger.occurrences(sid)] == \
        [True, True, True, False]
    assert all(p.made_at <= p.due for p in ledger.occurrences(sid))
    assert advance_journal(journal, later) == []  # idempotent


def test_pending_sees_what_advance_would_do_without_decoding(journal: Journal) -> None:
    _start(journal)
    data = json.loads(journal.path.read_text())
    assert not pending(data, NOW)
    assert pending(data, datetime(2026, 11, 30, 10, 0, tzinfo=BERLIN))


def test_renegotiating_one_moves_that_one_only(journal: Journal) -> None:
    sid = _start(journal)
    with journal.transaction(NOW) as tx:
        first = tx.get(PROMISES, 1)
        tx.save(first.renegotiated(NOW, first.due + timedelta(days=1), "Dana is out Monday"))
    series = journal.load().series[sid]
    assert series.slot == datetime(2026, 11, 30, 10, 0, tzinfo=BERLIN)  # the rule is as it was
    with journal.transaction(NOW) as tx:
        tx.save(tx.get(PROMISES, 1).kept(datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)))
        made = advance(tx, datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN))
    assert made[0].due == datetime(2026, 12, 7, 10, 0, tzinfo=BERLIN)


def test_changing_the_series_moves_the_upcoming_one_and_keeps_history(journal: Journal) -> None:
    sid = _start(journal)
    with journal.transaction(NOW) as tx:
        changed, moved = change_series(tx, sid, NOW, rule=parse_rule("tue 9am", NOW, BERLIN),
                                       text="the status note")
    assert moved is not None and moved.due == datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)
    assert moved.text == "the status note" and moved.renegotiations[0].early
    assert changed.describe() == "every Tue 09:00"
    assert "was every Mon 10:00" in changed.events[-1].note
    with journal.transaction(NOW) as tx:
        tx.save(tx.get(PROMISES, moved.id).kept(NOW))
        made = advance(tx, NOW)
    assert made[0].due == datetime(2026, 12, 8, 9, 0, tzinfo=BERLIN)


def test_stopping_keeps_history_and_releases_the_upcoming_one(journal: Journal) -> None:
    sid = _start(journal)
    with journal.transaction(NOW) as tx:
        tx.save(tx.get(PROMISES, 1).kept(NOW))
        advance(tx, NOW)
        stopped, released = stop_series(tx, sid, NOW, "Dana reads the dashboard now")
    assert released is not None and released.status.value == "released"
    ledger = journal.load()
    assert ledger.series[sid].status.value == "stopped" and len(ledger.occurrences(sid)) == 2
    assert advance_journal(journal, NOW + timedelta(days=60)) == []
    with pytest.raises(InvalidInput, match="already stopped"), journal.transaction(NOW) as tx:
        stop_series(tx, sid, NOW, "again")


def test_a_counted_series_ends(journal: Journal) -> None:
    sid = _start(journal, "weekday 9am 3 times")
    advance_journal(journal, NOW + timedelta(days=30))
    ledger = journal.load()
    assert len(ledger.occurrences(sid)) == 3 and ledger.series[sid].status.value == "ended"


# --- the track record per series ---------------------------------------------------------------


def test_track_record_per_series_says_n_of_the_last_seven(journal: Journal) -> None:
    sid = _start(journal, "daily 10am")
    at = NOW
    for day in range(8):
        with journal.transaction(at) as tx:
            current = tx.get(PROMISES, tx.get(SERIES, sid).current)
            late = timedelta(hours=3) if day == 2 else timedelta(minutes=-5)
            tx.save(current.kept(current.due + late))
            at = current.due + late
            advance(tx, at)
    ledger = journal.load()
    record = track_record(ledger.occurrences(sid), at)
    assert (record.on_time, record.counted) == (6, 7)
    line = record_line(ledger.series[sid], ledger.occurrences(sid), at, "Dana Whitfield")
    assert line == "status note to Dana: 6 of the last 7 on time"
    assert series_summary(ledger, at) == [line]


# --- the quick line ----------------------------------------------------------------------------


def test_the_quick_line_reads_a_trailing_every() -> None:
    dana = Person(id=1, name="Dana Whitfield", created_at=NOW)
    quick = parse_quick("Dana: status note every mon 10am", [dana], NOW, BERLIN)
    assert quick.text == "status note" and quick.rule is not None
    assert quick.rule.describe() == "every Mon 10:00"
    assert quick.due == datetime(2026, 11, 30, 10, 0, tzinfo=BERLIN)
    plain = parse_quick("Dana: check every line by fri", [dana], NOW, BERLIN)
    assert plain.rule is None and plain.text == "check every line"
    with pytest.raises(InvalidInput, match="as a repeat.*e.g. \"Dana: status note every"):
        parse_quick("Dana: status note every blue moon", [dana], NOW, BERLIN)


def test_rules_round_trip_through_the_codec() -> None:
    from trustjournal.storage.codec import dump_series, load_series

    rule = replace(parse_rule("2 weeks on fri 5pm", NOW, BERLIN),
                   until=datetime(2027, 3, 1, tzinfo=UTC))
    series = _series(rule, BERLIN, NOW)
    assert load_series(1, dump_series(series)) == series
    assert time(17, 0) == load_series(1, dump_series(series)).rule.at
