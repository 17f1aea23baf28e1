"""The ledger's rows and the board, made fast, are what the plain walk and a fresh count give:
sorted once per ledger and filtered by a scan of search texts (tui/rows.py), per-person
totals followed from one ledger to the next (domain/totals.py)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from trustjournal.domain.ledger import Ledger, end_of_local_day
from trustjournal.domain.totals import Totals
from trustjournal.storage.journal import Journal
from trustjournal.tui import rows

from ..conftest import BERLIN, FROZEN_NOW


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    from trustjournal.cli import run

    path: Path = tmp_path_factory.mktemp("demo") / "journal.json"
    assert run(["--db", str(path), "demo", "--promises", "400"], now=FROZEN_NOW,
               zone=BERLIN) == 0
    return Journal(path).load()


def _walked(ledger: Ledger, now: datetime, **kw: object) -> list[rows.PromiseRow]:
    return rows._promise_rows_walked(ledger, now, end_of_local_day(now, BERLIN),
                                     kw.get("person_id"), bool(kw.get("show_closed")),  # type: ignore[arg-type]
                                     str(kw.get("query", "")).casefold().strip())


@pytest.mark.parametrize("query", ["", "r", "re", "review", "DANA", " the ", "zzz", "a\x00b"])
@pytest.mark.parametrize("show_closed", [False, True])
def test_rows_are_the_walks_rows(demo: Ledger, query: str, show_closed: bool) -> None:
    person = next(iter(demo.people))
    for now in (FROZEN_NOW, FROZEN_NOW + timedelta(hours=7), FROZEN_NOW + timedelta(days=9)):
        for person_id in (None, person):
            got = rows.promise_rows(demo, now, BERLIN, person_id=person_id,
                                    show_closed=show_closed, query=query)
            assert got == _walked(demo, now, person_id=person_id, show_closed=show_closed,
                                  query=query)


def test_a_new_ledger_is_sorted_again(demo: Ledger) -> None:
    first = rows.promise_rows(demo, FROZEN_NOW, BERLIN, person_id=None, show_closed=False)
    kept = first[0].promise.kept(FROZEN_NOW)
    changed = replace(demo, promises={**demo.promises, kept.id: kept})
    again = rows.promise_rows(changed, FROZEN_NOW, BERLIN, person_id=None, show_closed=True)
    assert again == _walked(changed, FROZEN_NOW, show_closed=True)
    assert kept.id not in {r.promise.id for r in again if r.promise.is_open}


def _fresh(ledger: Ledger) -> rows.Board:
    """The board recounted from every promise and entry, as before domain/totals.py (with
    overdue promises weighing on follow-through, issue 11)."""
    from trustjournal.domain.promise import EventKind
    from trustjournal.domain.record import checkins_due, credit, last_contacts

    now = FROZEN_NOW
    overdue: dict[int, int] = {}
    open_count: dict[int, int] = {}
    earned: dict[int, list[float]] = {}
    due_today = 0
    end_today = end_of_local_day(now, BERLIN)
    for p in ledger.promises.values():
        if p.events[-1].kind in (EventKind.MADE, EventKind.RENEGOTIATED):
            open_count[p.person_id] = open_count.get(p.person_id, 0) + 1
            if p.due < now:
                overdue[p.person_id] = overdue.get(p.person_id, 0) + 1
                # Overdue weighs on follow-through at what it would earn if kept now.
                weighs = credit(p, now)
                if weighs is not None:
                    earned.setdefault(p.person_id, []).append(weighs)
            elif p.due < end_today:
                due_today += 1
            continue
        score = credit(p)
        if score is not None:
            earned.setdefault(p.person_id, []).append(score)
    checkins = checkins_due(ledger.people.values(), last_contacts(ledger.entries.values()), now)

    def mean(scores: list[float]) -> float | None:
        return sum(scores) / len(scores) if scores else None

    people = [rows.PersonRow(person, overdue.get(person.id, 0), person.id in checkins,
                             mean(earned.get(person.id, [])), open_count.get(person.id, 0))
              for person in ledger.people.values()]
    people.sort(key=lambda r: (not (r.overdue or r.checkin_due), r.person.name.casefold()
                               if r.person else ""))
    everyone = rows.PersonRow(None, sum(overdue.values()), bool(checkins),
                              mean([s for scores in earned.values() for s in scores]),
                              sum(open_count.values()))
    return rows.Board((everyone, *people),
                      rows.Summary(sum(overdue.values()), due_today, len(checkins)))


def _same_board(a: rows.Board, b: rows.Board) -> None:
    assert a.summary == b.summary
    assert [(r.person, r.overdue, r.checkin_due, r.open_count) for r in a.people] == [
        (r.person, r.overdue, r.checkin_due, r.open_count) for r in b.people]
    for x, y in zip(a.people, b.people, strict=True):
        assert (x.follow_through is None) == (y.follow_through is None)
        if x.follow_through is not None:
            assert x.follow_through == pytest.approx(y.follow_through)


def test_totals_followed_through_changes_are_a_fresh_count(demo: Ledger) -> None:
    totals = Totals.count(demo)
    ledger = demo
    pick = random.Random(14)
    ids = sorted(ledger.promises)
    for step in range(40):
        promises = dict(ledger.promises)
        entries = dict(ledger.entries)
        key = pick.choice(ids)
        p = promises[key]
        if step % 5 == 4 and len(promises) > 1:
            del promises[key]
            ids.remove(key)
        elif p.is_open:
            promises[key] = p.kept(FROZEN_NOW) if step % 2 else p.broken(FROZEN_NOW, "no")
        elif entries and step % 3 == 0:
            entries.pop(next(iter(entries)))
        ledger = replace(ledger, promises=promises, entries=entries)
        _same_board(rows.build_board(ledger, FROZEN_NOW, BERLIN, totals), _fresh(ledger))
    assert totals.promises is ledger.promises


def test_a_fresh_count_is_the_recount_exactly(demo: Ledger) -> None:
    assert rows.build_board(demo, FROZEN_NOW, BERLIN, Totals.count(demo)) == _fresh(demo)
    assert any(r.follow_through is not None for r in _fresh(demo).people)
    assert _fresh(demo).summary.checkins_due or demo.entries


def test_the_board_without_totals_follows_each_ledger(demo: Ledger) -> None:
    _same_board(rows.build_board(demo, FROZEN_NOW, BERLIN), _fresh(demo))
    other = replace(demo, promises={k: v for k, v in list(demo.promises.items())[:10]})
    _same_board(rows.build_board(other, FROZEN_NOW, BERLIN), _fresh(other))
    _same_board(rows.build_board(demo, FROZEN_NOW, BERLIN), _fresh(demo))


def test_an_overdue_promise_weighs_on_the_people_pane(demo: Ledger) -> None:
    """Lena: every closed promise kept on time, one open two days overdue — not 100%."""
    board = rows.build_board(demo, FROZEN_NOW, BERLIN, Totals.count(demo))
    lena = next(r for r in board.people if r.person and r.person.name.startswith("Lena"))
    assert lena.overdue == 1
    assert Totals.count(demo).mean(lena.person.id) == 1.0
    assert lena.follow_through is not None and lena.follow_through < 1.0


def test_warm_in_another_thread_leaves_the_redraw_nothing_heavy_to_do(demo: Ledger) -> None:
    import threading

    fresh = Ledger(people=demo.people, promises=dict(demo.promises), series=demo.series,
                   commitments=demo.commitments, entries=demo.entries)
    worker = threading.Thread(target=rows.warm, args=(fresh, FROZEN_NOW, BERLIN))
    worker.start()
    worker.join(timeout=60)
    # The totals follow the warmed ledger and its open promises are sorted: the UI thread's
    # build_board and promise_rows for it walk nothing again.
    assert rows._BOARD_TOTALS[0].promises is fresh.promises
    sorted_once = rows._LEDGERED[0]
    assert sorted_once.ledger is fresh and sorted_once._open_rows is not None
    board = rows.build_board(fresh, FROZEN_NOW, BERLIN)
    assert rows._LEDGERED[0] is sorted_once
    assert board == rows.build_board(fresh, FROZEN_NOW, BERLIN,
                                     totals=Totals.count(fresh))


def test_a_search_typed_key_by_key_gives_the_walks_rows_at_each_key(demo: Ledger) -> None:
    """Each key of a growing search scans only the last key's matches: the rows must still
    be what a walk gives, also when the search shrinks, changes or the person changes."""
    person = next(iter(demo.people))
    steps = [(None, "r"), (None, "re"), (None, "rev"), (None, "re"), (None, "rea"),
             (person, "rea"), (person, "r"), (None, "r"), (None, "x"), (None, "re")]
    for person_id, query in steps:
        for show_closed in (False, True):
            got = rows.promise_rows(demo, FROZEN_NOW, BERLIN, person_id=person_id,
                                    show_closed=show_closed, query=query)
            want = _walked(demo, FROZEN_NOW, person_id=person_id, show_closed=show_closed,
                           query=query)
            assert [r.promise.id for r in got] == [r.promise.id for r in want], (person_id,
                                                                                 query)
