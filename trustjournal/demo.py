"""A sample journal that tells a believable story from the method, for trying the app.

`promises=N` grows it to N promises among up to ~200 people, for the benchmark and for seeing
how the app feels after years of use. Generation is seeded, so the same `now` gives the same file.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from trustjournal.domain.commitment import Commitment
from trustjournal.domain.dates import resolve_local
from trustjournal.domain.entry import Entry, EntryKind
from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.person import Goal, Milestone, Person, UpdatePreference
from trustjournal.domain.promise import EventKind, Promise, PromiseEvent
from trustjournal.domain.series import Freq, Rule, Series, SeriesEvent, SeriesEventKind
from trustjournal.domain.stance import Stance, StanceChange
from trustjournal.storage.journal import Journal
from trustjournal.storage.recurring import advance


class _Story:
    def __init__(self, now: datetime, zone: ZoneInfo) -> None:
        self.now = now
        self.zone = zone
        self.today = now.astimezone(zone).date()

    def at(self, days: int, hour: int = 17, minute: int = 0) -> datetime:
        """A local wall time `days` from today (negative: in the past)."""
        day = self.today + timedelta(days=days)
        return resolve_local(datetime.combine(day, time(hour, minute)), self.zone)

    def day(self, days: int) -> date:
        return self.today + timedelta(days=days)


def _person(
    pid: int,
    name: str,
    role: str,
    leader: str,
    history: list[StanceChange],
    created: datetime,
    **kwargs: Any,
) -> Person:
    person = Person(id=pid, name=name, role=role, leader=leader, created_at=created,
                    stance_history=tuple(history))
    return replace(person, **kwargs)


def story_people(s: _Story) -> list[Person]:
    start = s.at(-42, 9)
    return [
        _person(
            1,
            "Dana Whitfield",
            "Director of Platform",
            "Priya Raman, VP Engineering",
            [
                StanceChange(Stance.SKEPTIC, start, "after the outage post-mortem I skipped"),
                StanceChange(Stance.NEUTRAL, s.at(-9, 11), "said the new status notes help"),
            ],
            start,
            prefers=UpdatePreference.WRITTEN,
            checkin="weekly on mon",
            trusts=(3,),
            goals=(
                Goal(
                    "Platform reliability to 99.9% this quarter",
                    (
                        Milestone("incident runbooks reviewed", s.day(-10), s.day(-11)),
                        Milestone("on-call load halved", s.day(12)),
                        Milestone("quarterly review with Priya", s.day(33)),
                    ),
                ),
            ),
            notes="Wants bad news early and in writing. Hates surprises in staff meeting.",
        ),
        _person(
            2,
            "Marcus Oyelaran",
            "Staff Engineer, Payments",
            "",
            [
                StanceChange(
                    Stance.DETRACTOR, start, "I dropped the hand-off for the ledger export"
                ),
                StanceChange(
                    Stance.SKEPTIC, s.at(-4, 15), "thanked me for the test harness, guarded"
                ),
            ],
            start,
            prefers=UpdatePreference.WRITTEN,
            checkin="every 2 weeks on thu",
            leader_id=1,
            needs="A hand-off he never has to chase, with the numbers attached.",
            trusts=(3,),
            goals=(
                Goal(
                    "Project Foo: payments migration ships in May",
                    (
                        Milestone("design review signed off", s.day(-20), s.day(-20)),
                        Milestone("reconciliation beta", s.day(16)),
                        Milestone("cut-over weekend", s.day(150)),
                    ),
                ),
            ),
            notes="Carries Foo for Dana's boss. Reads email, not Slack. Wants numbers.",
        ),
        _person(
            3,
            "Helen Brandt",
            "Principal Engineer",
            "Priya Raman, VP Engineering",
            [
                StanceChange(Stance.PROMOTER, start, "mentor for two years"),
            ],
            start,
            checkin="monthly",
            notes="Dana and Marcus both listen to her.",
        ),
        _person(
            4,
            "Sam Iqbal",
            "Product Manager, Payments",
            "Ines Duarte",
            [
                StanceChange(Stance.NEUTRAL, start, "new to the team"),
            ],
            start,
            checkin="every 2 weeks",
        ),
        _person(
            5,
            "Lena Kowalski",
            "QA Lead",
            "Dana Whitfield",
            [
                StanceChange(Stance.NEUTRAL, start, "first noted"),
                StanceChange(Stance.SUPPORTER, s.at(-15, 16), "backed my flaky-test plan in retro"),
            ],
            start,
            checkin="weekly",
        ),
        _person(
            6,
            "Tom Reyes",
            "Site Reliability Engineer",
            "Dana Whitfield",
            [
                StanceChange(Stance.SKEPTIC, start, "paged twice for my deploys"),
            ],
            start,
            checkin="every 2 weeks on tue",
        ),
    ]


def story_commitments(s: _Story) -> list[Commitment]:
    return [
        Commitment(
            1,
            2,
            "Own the reconciliation test suite for Foo",
            s.at(-30, 10),
            goal="Project Foo: payments migration ships in May",
            measure="nightly reconciliation run green 5 days in a row",
            milestones=(
                Milestone("harness merged", s.day(-12), s.day(-13)),
                Milestone("beta data replayed", s.day(14)),
            ),
        ),
        Commitment(
            2,
            1,
            "Cut my deploy-caused pages to zero",
            s.at(-28, 10),
            goal="Platform reliability to 99.9% this quarter",
            measure="pages caused by my changes, per week",
            milestones=(Milestone("canary checks on every deploy", s.day(5)),),
        ),
        Commitment(
            3,
            1,
            "A Monday status note Dana can read in 15 seconds",
            s.at(-21, 10),
            measure="sent by 10:00 every Monday",
        ),
    ]


def _promise(
    pid: int,
    to: int,
    text: str,
    made: datetime,
    due: datetime,
    zone: str,
    *later: PromiseEvent,
    commitment: int | None = None,
) -> Promise:
    events = (PromiseEvent(EventKind.MADE, made, due=due), *later)
    return Promise(pid, text, to, events, zone, commitment)


def story_promises(s: _Story) -> list[Promise]:
    z = s.zone.key
    K, R, X, B = EventKind.KEPT, EventKind.RENEGOTIATED, EventKind.RELEASED, EventKind.BROKEN
    ev = PromiseEvent
    return [
        _promise(
            1,
            2,
            "send Marcus the ledger export hand-off notes",
            s.at(-40, 10),
            s.at(-38),
            z,
            ev(B, s.at(-36, 9), note="forgot it in the outage week; never told him"),
        ),
        _promise(
            2,
            2,
            "write up what went wrong with the hand-off",
            s.at(-35, 10),
            s.at(-34),
            z,
            ev(K, s.at(-34, 15)),
        ),
        _promise(
            3,
            1,
            "post-mortem draft for the checkout outage",
            s.at(-35, 11),
            s.at(-31),
            z,
            ev(K, s.at(-30, 11)),
        ),
        _promise(
            5,
            2,
            "reconciliation harness PR up for review",
            s.at(-27, 14),
            s.at(-20),
            z,
            ev(R, s.at(-22, 10), due=s.at(-17), note="asked early: fixtures were wrong"),
            ev(K, s.at(-17, 16)),
            commitment=1,
        ),
        _promise(
            6,
            4,
            "review the Foo launch checklist",
            s.at(-26, 15),
            s.at(-24),
            z,
            ev(K, s.at(-24, 12)),
        ),
        _promise(
            7,
            6,
            "add canary checks to the payments deploy",
            s.at(-25, 10),
            s.at(-18),
            z,
            ev(R, s.at(-17, 9), due=s.at(-11), note="renegotiated a day late, my fault"),
            ev(K, s.at(-11, 14)),
            commitment=2,
        ),
        _promise(
            9,
            5,
            "pair on the flaky checkout test",
            s.at(-20, 11),
            s.at(-16),
            z,
            ev(K, s.at(-16, 15)),
        ),
        _promise(
            10,
            3,
            "send Helen my draft of the on-call proposal",
            s.at(-19, 9),
            s.at(-15),
            z,
            ev(X, s.at(-15, 10), note="she suggested I take it to Dana directly"),
        ),
        _promise(
            11,
            2,
            "answer Marcus's questions on rounding rules",
            s.at(-16, 10),
            s.at(-16),
            z,
            ev(K, s.at(-16, 16)),
        ),
        _promise(
            12,
            4,
            "estimate for the refunds API change",
            s.at(-15, 14),
            s.at(-13),
            z,
            ev(K, s.at(-12, 10)),
        ),
        _promise(
            14,
            6,
            "on-call handover doc for the holidays",
            s.at(-12, 16),
            s.at(-5),
            z,
            ev(K, s.at(-5, 13)),
        ),
        _promise(
            15,
            2,
            "replay last month's data through the harness",
            s.at(-10, 10),
            s.at(-3),
            z,
            commitment=1,
        ),
        _promise(16, 5, "review Lena's test-plan template", s.at(-6, 10), s.at(-1), z),
        _promise(18, 4, "send Sam the Foo risk list", s.at(-2, 15), s.at(0), z),
        _promise(
            19,
            2,
            "walk Marcus through the beta replay results",
            s.at(-3, 11),
            s.at(2, 11),
            z,
            commitment=1,
        ),
        _promise(
            20, 1, "canary checks live on every deploy", s.at(-9, 10), s.at(5), z, commitment=2
        ),
        _promise(21, 6, "pair with Tom on the deploy dashboard", s.at(-1, 16), s.at(3), z),
        _promise(22, 3, "bring Helen two questions for our monthly", s.at(-4, 12), s.at(8), z),
    ]


STATUS_NOTE = 1
"""The demo's one series: the Monday status note to Dana (commitment 3)."""
NOTE_PLACES = (3, 7, 12, 16)
"""Where its occurrences sit among the story's promises (so they are #4, #8, #13, #17)."""


def story_series(s: _Story) -> tuple[Series, list[Promise]]:
    """The Monday status note as a series started four Mondays ago, and its occurrences so far:
    three kept (one late), and this week's kept before ten, or (early on a Monday) moved to
    noon with Dana's ok. The next one is made by the series itself (`advance`)."""
    monday = -s.today.weekday()  # the latest Monday, today when today is one
    K, R = EventKind.KEPT, EventKind.RENEGOTIATED
    z = s.zone.key
    rule = Rule(Freq.WEEKLY, at=time(10, 0), days=(0,))
    series = Series(STATUS_NOTE, "Monday status note", 1, rule, s.day(monday - 21),
                    (SeriesEvent(SeriesEventKind.STARTED, s.at(monday - 28, 10),
                                 rule.describe()),), z, commitment_id=3)
    closes = [
        PromiseEvent(K, s.at(monday - 21, 9, 40)),
        PromiseEvent(K, s.at(monday - 14, 11, 30)),
        PromiseEvent(K, s.at(monday - 7, 9, 15)),
        PromiseEvent(K, s.at(monday, 9, 5)) if s.now >= s.at(monday, 9, 5)
        else PromiseEvent(R, s.at(monday - 1, 9), due=s.at(monday, 12),
                          note="moved to noon with Dana's ok"),
    ]
    occurrences = [
        replace(_promise(0, 1, series.text, s.at(monday - 28 + 7 * i, 10),
                         s.at(monday - 21 + 7 * i, 10), z, close, commitment=3),
                series_id=STATUS_NOTE)
        for i, close in enumerate(closes)
    ]
    return series, occurrences


def story_entries(s: _Story) -> list[Entry]:
    E = EntryKind
    rows = [
        (
            2,
            E.ACKNOWLEDGEMENT,
            -35,
            "Told Marcus plainly that I dropped the hand-off and it cost him a week.",
        ),
        (2, E.APOLOGY, -35, "Apologised without excuses; asked what it broke for him."),
        (
            2,
            E.PLAN_SHARED,
            -33,
            "Shared the plan: written hand-offs, a checklist, and a ping 2 days ahead.",
        ),
        (
            1,
            E.CHECK_IN,
            -28,
            "First weekly 1:1 in months. Asked what Priya is asking of her: reliability.",
        ),
        (1, E.FEEDBACK_ASKED, -21, "Asked whether the Monday note is the right length."),
        (1, E.FEEDBACK_RECEIVED, -20, "Shorter. Lead with what is at risk."),
        (3, E.CHECK_IN, -19, "Monthly with Helen; she offered to review the on-call proposal."),
        (2, E.FEEDBACK_ASKED, -18, "Asked Marcus if the new hand-off checklist works for him."),
        (5, E.GOING_FIRST, -16, "Said first that my flaky test caused half the retro pain."),
        (
            3,
            E.TESTIMONIAL,
            -14,
            "Helen told Dana the canary work was 'the right fix, done quietly'.",
        ),
        (
            1,
            E.UPDATE_SENT,
            -14,
            "Status: canary checks 60% done, Foo harness merged, no new risks.",
        ),
        (6, E.EMPATHY, -12, "Took Tom's Thursday pager slot so he could get to the school play."),
        (2, E.CHECK_IN, -11, "Foo sync: he wants replay results before the beta go/no-go."),
        (4, E.CONTRIBUTION, -9, "Wrote the refunds edge cases into Sam's spec."),
        (1, E.CHECK_IN, -7, "1:1: Dana noticed the status notes; asked for the same for Priya."),
        (
            2,
            E.FEEDBACK_RECEIVED,
            -4,
            "Marcus: 'the harness is good; the late renegotiation on Tom's canary was not'.",
        ),
        (1, E.NOTE, -2, "Priya's review is in five weeks; Dana needs the on-call numbers by then."),
    ]
    return [
        Entry(i + 1, pid, kind, text, s.at(day, 16, 30))
        for i, (pid, kind, day, text) in enumerate(rows)
    ]


_FIRST = [
    "Alex",
    "Ana",
    "Ben",
    "Chen",
    "Dara",
    "Eli",
    "Femi",
    "Gus",
    "Hana",
    "Ivo",
    "Jun",
    "Kai",
    "Lea",
    "Mia",
    "Noa",
    "Oli",
    "Pia",
    "Raj",
    "Sol",
    "Tia",
    "Uma",
    "Vik",
    "Wen",
    "Yan",
    "Zoe",
    "Ari",
    "Bo",
    "Cy",
    "Di",
    "Ed",
]
_LAST = [
    "Abbott",
    "Baker",
    "Costa",
    "Dubois",
    "Eng",
    "Flores",
    "Grant",
    "Haas",
    "Ito",
    "Jensen",
    "Khan",
    "Lund",
    "Mora",
    "Nagy",
    "Okafor",
    "Park",
    "Quinn",
    "Rossi",
    "Sato",
    "Tran",
    "Varga",
    "Weber",
    "Young",
    "Zhou",
]
_WORK = (
    "send the {} numbers",
    "review the {} design doc",
    "fix the {} flaky test",
    "write up the {} incident",
    "update the {} runbook",
    "demo the {} prototype",
    "share notes from the {} meeting",
    "answer questions about {}",
    "pair on {}",
    "draft the {} proposal",
)
_TOPICS = (
    "Q3",
    "billing",
    "search",
    "Foo",
    "onboarding",
    "auth",
    "export",
    "latency",
    "pricing",
    "mobile",
    "audit",
    "roadmap",
)


def _scaled(
    s: _Story,
    rng: random.Random,
    people_count: int,
    promises: int,
    first_person: int,
    first_promise: int,
    first_entry: int,
) -> tuple[list[Person], list[Promise], list[Entry]]:
    """Years of ordinary use: most promises closed, a few open, one in twelve broken or late."""
    span_days = max(60, promises // 6)
    people = []
    for i in range(people_count):
        name = f"{_FIRST[i % len(_FIRST)]} {_LAST[(i // len(_FIRST)) % len(_LAST)]}"
        if i >= len(_FIRST) * len(_LAST):
            name += f" {i}"
        stance = rng.choice(list(Stance))
        people.append(
            _person(
                first_person + i,
                name,
                rng.choice(("Engineer", "Designer", "PM", "Manager")),
                "",
                [StanceChange(stance, s.at(-span_days, 9), "first noted")],
                s.at(-span_days, 9),
                checkin=rng.choice(("", "weekly", "monthly")),
            )
        )
    ids = [p.id for p in people]
    made_promises = []
    z = s.zone.key
    for i in range(promises):
        made_day = -span_days + int(i * span_days / promises)
        made = s.at(made_day, rng.randint(9, 16), rng.choice((0, 15, 30, 45)))
        due = s.at(made_day + rng.randint(1, 10), rng.choice((10, 12, 17)))
        text = rng.choice(_WORK).format(rng.choice(_TOPICS))
        later: list[PromiseEvent] = []
        if due < s.now - timedelta(days=2) or rng.random() < 0.3:
            roll = rng.random()
            close = min(due + timedelta(hours=rng.randint(-30, -1)), s.now)
            if roll < 0.06:
                later.append(
                    PromiseEvent(
                        EventKind.RENEGOTIATED,
                        max(made, due - timedelta(days=1)),
                        due=due + timedelta(days=3),
                        note="asked for more time",
                    )
                )
                close = min(due + timedelta(days=2), s.now)
            if roll < 0.04:
                later.append(PromiseEvent(EventKind.BROKEN, max(close, made), note="did not do it"))
            elif roll < 0.07:
                later.append(
                    PromiseEvent(EventKind.RELEASED, max(close, made), note="no longer needed")
                )
            elif roll < 0.13:
                late = min(due + timedelta(hours=rng.randint(2, 60)), s.now)
                later.append(PromiseEvent(EventKind.KEPT, max(late, made)))
            else:
                later.append(PromiseEvent(EventKind.KEPT, max(close, made)))
        made_promises.append(
            _promise(first_promise + i, rng.choice(ids), text, made, due, z, *later)
        )
    kinds = list(EntryKind)
    entries = [
        Entry(
            first_entry + i,
            rng.choice(ids),
            rng.choice(kinds),
            f"{rng.choice(_WORK).format(rng.choice(_TOPICS))} — noted",
            s.at(-span_days + int(i * span_days / max(promises, 1)), 16),
        )
        for i in range(promises)
    ]
    return people, made_promises, entries


def write_demo(journal: Journal, now: datetime, zone: ZoneInfo, promises: int | None = None) -> int:
    """Write the sample journal; refuses when any journal is already at that path (the command
    line tells a sample journal that is there already from one of yours)."""
    if journal.exists():
        raise InvalidInput(
            f"{journal.path} already exists and is not a sample journal; demo never overwrites "
            f"a journal. Pick a file that is not there yet, e.g. trustjournal --db "
            f"{journal.path.with_name('trustjournal-demo.json')} demo"
        )
    s = _Story(now, zone)
    people = story_people(s)
    series, notes = story_series(s)
    told = story_promises(s)
    for index, note in zip(NOTE_PLACES, notes, strict=True):
        told.insert(index, note)  # where the story told them when they were logged by hand
    story = [replace(p, id=i + 1) for i, p in enumerate(p for p in told if p.made_at <= now)]
    commitments = story_commitments(s)
    entries = story_entries(s)
    # The series makes its next occurrence itself (after the story is stored), when this
    # week's is already kept: it counts among the promises asked for.
    written = [p for p in notes if p.made_at <= now]
    coming = int(bool(written) and series.needs_next(written[-1], now))
    all_promises = story
    if promises is not None and promises != len(story) + coming:
        promises = max(1, promises - coming)
        if promises < len(story):
            all_promises = story[-promises:]
        else:
            rng = random.Random(20261121)
            more_people, more, more_entries = _scaled(
                s,
                rng,
                min(200, max(10, promises // 100)),
                promises - len(story),
                len(people) + 1,
                len(story) + 1,
                len(entries) + 1,
            )
            people += more_people
            all_promises = more + [replace(p, id=p.id + len(more)) for p in story]
            entries += more_entries
            # Renumber so ids run in order of when promises were made, as in real use.
            all_promises = [replace(p, id=i + 1) for i, p in enumerate(all_promises)]
    with journal.transaction(now) as tx:
        if tx.record_count():
            raise InvalidInput(f"{journal.path} already holds a journal; demo never overwrites one")
        # In the order records link to each other: people, then what names them; the series
        # then learns which occurrence is its latest, and makes the next one when it is due.
        occurrences = [p for p in all_promises if p.series_id == STATUS_NOTE]
        if occurrences:
            latest = max(occurrences, key=lambda p: p.events[0].due or p.due)
            series = replace(series, current=latest.id, slot=latest.events[0].due,
                             issued=len(occurrences))
        tx.add_many([*people, *commitments, series, *all_promises, *entries])
        made = advance(tx, now)
        tx.mark_sample()
    return len(all_promises) + len(made)
