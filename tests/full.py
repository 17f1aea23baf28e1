"""A "full journal": every table, and every optional field of every record filled in.

Built through the public storage API (Journal.transaction and the domain values), so it is a
journal trustjournal itself could have written. Every command that reads or writes the whole
journal is tested on it (tests/unit/test_records.py, tests/cli/test_records_cli.py); a field or
table added later without a place here makes test_full_journal_fills_every_field fail.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from trustjournal.domain.commitment import Commitment
from trustjournal.domain.entry import Entry, EntryKind
from trustjournal.domain.person import (
    Goal,
    LeaderMeeting,
    MeetingAnswer,
    Milestone,
    Person,
    UpdatePreference,
)
from trustjournal.domain.promise import Promise
from trustjournal.domain.repair import Cause, Repair
from trustjournal.domain.review import ReviewRecord
from trustjournal.domain.series import Series, parse_rule
from trustjournal.domain.stance import Stance, StanceChange
from trustjournal.storage.journal import Journal
from trustjournal.storage.records import COMMITMENTS, PEOPLE, PROMISES, SERIES
from trustjournal.storage.recurring import advance, change_series, start_series, stop_series

NEWER = {"from_a_newer_version": {"kept": [1, "two"]}}
"""A field a newer trustjournal wrote: every version must carry it along untouched."""


def build_full_journal(path: Path, now: datetime) -> Journal:
    journal = Journal(path)
    start = now - timedelta(days=30)
    with journal.transaction(start) as tx:
        helen = tx.add(Person(
            id=0, name="Helen Brandt", created_at=start, role="Principal Engineer",
            leader="Priya Raman, VP Engineering", notes="Dana and Marcus both listen to her.",
            extra=NEWER,
        ))
        dana = tx.add(Person(
            id=0, name="Dana Whitfield", created_at=start, role="Director of Platform",
            leader_id=helen.id,
            stance_history=(StanceChange(Stance.DETRACTOR, start, "after the outage"),
                            StanceChange(Stance.NEUTRAL, now - timedelta(days=3),
                                         "liked the status notes")),
            goals=(Goal("Project Foo ships in May",
                        (Milestone("beta", date(2026, 12, 15)),
                         Milestone("design review", date(2026, 11, 2), date(2026, 11, 3),
                                   LeaderMeeting(MeetingAnswer.DONE, start, date(2026, 11, 9),
                                                 start + timedelta(days=7)))),
                        due=date(2027, 5, 31)),),
            prefers=UpdatePreference.WRITTEN, checkin="weekly on mon",
            checkin_moved_to=now + timedelta(days=2), trusts=(helen.id,),
            notes="Wants bad news early.\nIn writing.", needs="No surprises in staff meeting.",
        ))
        commitment = tx.add(Commitment(
            id=0, person_id=dana.id, text="weekly risk review for Foo", created_at=start,
            goal="Project Foo ships in May", measure="risks closed per week",
            milestones=(Milestone("first review", date(2026, 11, 20), date(2026, 11, 20)),),
            extra=NEWER,
        ))
        dropped = tx.add(Commitment(
            id=0, person_id=helen.id, text="pair on the runbooks", created_at=start,
        ).dropped(now - timedelta(days=1), "she moved teams"))
        tx.add(Commitment(
            id=0, person_id=dana.id, text="cut my pages", created_at=start,
        ).done(now - timedelta(days=2)))
        kept = tx.add(Promise.make(
            text="send the Q3 numbers", person_id=dana.id, made_at=start,
            due=start + timedelta(days=2), zone="Europe/Berlin", commitment_id=commitment.id,
        ))
        tx.save(kept.renegotiated(start + timedelta(days=1), start + timedelta(days=4),
                                  "they moved the review").kept(start + timedelta(days=5)))
        broken = tx.add(Promise.make(
            text="review the canary plan", person_id=helen.id, made_at=start,
            due=start + timedelta(days=3), zone="America/New_York",
        ))
        tx.save(broken.broken(start + timedelta(days=6), "ran out of time, said nothing"))
        tx.add(replace(Promise.make(text="open one", person_id=dana.id,
                                    made_at=now - timedelta(hours=1),
                                    due=now + timedelta(days=1), zone="UTC"), extra=NEWER))
        tx.save(tx.get(COMMITMENTS, commitment.id).with_progress(
            start + timedelta(days=2), "nightly run green 3 days in a row"))
        # Two entries, so the journal keeps its 28 records (tests/cli counts them): feedback,
        # and what changed because of it, linked to it.
        feedback = tx.add(Entry(0, dana.id, EntryKind.FEEDBACK_RECEIVED,
                                "the notes are too long\nand come late",
                                start + timedelta(days=7), extra={"one_thing": "done"}))
        tx.add(Entry(0, dana.id, EntryKind.FEEDBACK_ACTED_ON, "notes now fit on one screen",
                     start + timedelta(days=8), answers=feedback.id))
        tx.add(Repair(0, helen.id, "the canary review\nnever came", start + timedelta(days=6),
                      Cause.COMMUNICATION, broken.id, extra=NEWER))
        tx.add(ReviewRecord(0, now - timedelta(days=1), now - timedelta(days=1, minutes=-5),
                            ("overdue:1", "checkin:2"), extra=NEWER))
        tx.add(ReviewRecord(0, now - timedelta(hours=2), None, ("today:3",)))
        # A weekly series, its first occurrence kept (so the next exists), then changed; and a
        # second one, with an end, stopped.
        zone = ZoneInfo("Europe/Berlin")
        weekly, first = start_series(tx, replace(Series.make(
            text="status note", person_id=dana.id, rule=parse_rule("mon 10am", start, zone),
            made_at=start, zone=zone, commitment_id=commitment.id), extra=NEWER), start)
        tx.save(first.kept(first.due - timedelta(minutes=20)))
        advance(tx, first.due)
        change_series(tx, weekly.id, first.due + timedelta(hours=1),
                      rule=parse_rule("tue 9am", start, zone), text="the status note")
        monthly, _ = start_series(tx, Series.make(
            text="the numbers", person_id=helen.id,
            rule=replace(parse_rule("month on the last day", start, zone),
                         until=start + timedelta(days=90)), made_at=start, zone=zone), start)
        stop_series(tx, monthly.id, start + timedelta(days=1), "she reads the dashboard now")
        tx.add(Series.make(text="weekday check", person_id=helen.id,
                           rule=replace(parse_rule("weekday 9am", start, zone), count=5),
                           made_at=start, zone=zone))
        advance(tx, now)  # up to date at `now`: reading the journal then changes nothing
        assert tx.get(SERIES, weekly.id).issued >= 3
        assert tx.get(COMMITMENTS, dropped.id).why
        assert tx.get(PEOPLE, dana.id).leader_id == helen.id
        assert tx.get(PROMISES, kept.id).closed_at is not None
    return journal
