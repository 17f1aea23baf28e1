"""Issue 13, items 1-5 and 14: the app never loses, misapplies or hides a change.

Each test drives the app as a person would, then checks both the journal file and the screen.
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import time
from datetime import timedelta
from pathlib import Path

from textual import events

from tests.conftest import BERLIN, FROZEN_NOW
from tests.tui.conftest import settle, shown, until
from trustjournal.demo import write_demo
from trustjournal.domain.promise import Promise
from trustjournal.storage import journal as journal_module
from trustjournal.storage.journal import Journal
from trustjournal.tui.screens.form import FormScreen
from trustjournal.tui.screens.main import MainScreen
from trustjournal.tui.screens.quit import QuitScreen
from trustjournal.tui.widgets.panes import PromiseLedger

SIZE = (120, 36)


def stored(path: Path) -> dict:
    return json.loads(path.read_text())


def promise_texts(path: Path) -> list[str]:
    promises = stored(path)["promises"]
    return [promises[key]["text"] for key in sorted(promises, key=int)]


def full_disk(monkeypatch) -> None:
    """Every journal write fails as on a full disk, until monkeypatch.undo()."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(journal_module, "atomic_write", refuse)


async def burst(app, keys: list[str]) -> None:
    """Keys sent all at once, as a fast typist's terminal delivers them: each handed over as
    the terminal's driver does (from its own thread), with no waiting in between (Pilot.press
    waits for the app after every key, which hides type-ahead). Returns once every key has
    reached the app, so `settle` afterwards waits for all of them to be taken."""
    names = {" ": "space", ":": "colon", "'": "apostrophe", ",": "comma", ".": "full_stop"}
    loop = asyncio.get_running_loop()
    sent = []
    for key in keys:
        if key == "enter":
            event = events.Key("enter", "\r")
        else:
            event = events.Key(names.get(key, key), key if len(key) == 1 else None)
        event.set_sender(app)
        sent.append(asyncio.run_coroutine_threadsafe(app._post_message(event), loop))
    await asyncio.gather(*(asyncio.wrap_future(done) for done in sent))


def ledger_ids(app) -> list[int]:
    pane = app.main.query_one("#ledger", PromiseLedger)
    return [row.promise.id for row in pane.items]


# --- 1. two failed saves with the same description ----------------------------------------------


async def test_two_failed_saves_alike_are_both_kept_and_retried_in_order(
        demo_path, make_app, monkeypatch) -> None:
    app = make_app(demo_path)
    before = demo_path.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        full_disk(monkeypatch)
        await pilot.press("p", *"Dana: first thing by fri", "enter")
        await settle(pilot)
        await pilot.press("p", *"Dana: second thing by fri", "enter")
        await settle(pilot)
        screen = shown(pilot)
        assert "NOT SAVED: 2 changes (new promise, new promise)" in screen
        assert demo_path.read_bytes() == before
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "NOT SAVED" not in shown(pilot)
        assert not app.session.unsaved
    assert promise_texts(demo_path)[-2:] == ["first thing", "second thing"]


async def test_a_change_after_a_refused_one_waits_behind_it(demo_path, make_app,
                                                           monkeypatch) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = ledger_ids(app)[0]
        full_disk(monkeypatch)
        await pilot.press("k")
        await settle(pilot)
        monkeypatch.undo()  # the disk has room again, but nothing was retried yet
        await pilot.press("p", *"Dana: after the kept by fri", "enter")
        await settle(pilot)
        assert "NOT SAVED: 2 changes" in shown(pilot)
        assert "after the kept" not in promise_texts(demo_path)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "NOT SAVED" not in shown(pilot)
    data = stored(demo_path)
    assert data["promises"][str(first)]["events"][-1]["kind"] == "kept"
    assert promise_texts(demo_path)[-1] == "after the kept"


# --- 2. quitting with queued changes asks ---------------------------------------------------------


async def test_q_with_an_unsaved_change_asks_and_retry_saves_then_quits(
        demo_path, make_app, monkeypatch) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        full_disk(monkeypatch)
        await pilot.press("p", *"Dana: keep me by fri", "enter")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, QuitScreen)
        assert app.return_code is None
        assert "new promise" in shown(pilot) and "not saved" in shown(pilot)
        await pilot.press("escape")  # stay
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.return_code is None
        await pilot.press("q")
        await settle(pilot)
        monkeypatch.undo()
        await pilot.press("r")
        for _ in range(50):
            await settle(pilot)
            if app.return_code is not None:
                break
            await pilot.pause(0.1)
        assert app.return_code == 0
    assert promise_texts(demo_path)[-1] == "keep me"


async def test_q_discards_only_with_a_second_key(demo_path, make_app, monkeypatch) -> None:
    app = make_app(demo_path)
    before = demo_path.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        full_disk(monkeypatch)
        await pilot.press("p", *"Dana: throw me away by fri", "enter")
        await settle(pilot)
        await pilot.press("q", "d")
        await settle(pilot)
        assert isinstance(app.screen, QuitScreen) and app.return_code is None
        assert "Press d again" in shown(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert app.return_code == 0
    assert demo_path.read_bytes() == before


# --- 3. undo during a save ----------------------------------------------------------------------


async def test_undo_during_slow_saves_undoes_exactly_the_last_change(
        demo_path, make_app, monkeypatch) -> None:
    real = journal_module.atomic_write

    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(0.3)  # a big journal on a busy disk
        return real(*args, **kwargs)

    monkeypatch.setattr(journal_module, "atomic_write", slow)
    app = make_app(demo_path, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first, second = ledger_ids(app)[:2]
        await burst(app, ["k", "k", "u"])  # the second k acts on the row that moved up
        await settle(pilot)
    events_of = {key: [e["kind"] for e in p["events"]]
                 for key, p in stored(demo_path)["promises"].items()}
    assert events_of[str(first)][-1] == "kept"
    assert events_of[str(second)][-1] != "kept"


async def test_undo_of_a_change_the_disk_refused_takes_it_out_of_the_queue(
        demo_path, make_app, monkeypatch) -> None:
    app = make_app(demo_path)
    before = demo_path.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        full_disk(monkeypatch)
        await pilot.press("p", *"Dana: never mind by fri", "enter")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert "NOT SAVED" not in shown(pilot)
        assert "never mind" not in shown(pilot)
        assert not app.session.unsaved
    assert demo_path.read_bytes() == before


# --- 4. reconcile with the file after every write -----------------------------------------------


async def test_a_shell_change_just_before_an_app_save_appears(demo_path, make_app) -> None:
    app = make_app(demo_path, poll_seconds=60)  # only the save may bring it in
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with Journal(demo_path).transaction(FROZEN_NOW) as tx:
            tx.add(Promise.make(text="logged from the shell", person_id=2, made_at=FROZEN_NOW,
                                due=FROZEN_NOW + timedelta(hours=3), zone="Europe/Berlin"))
        await pilot.press("k")
        await settle(pilot)
        assert "logged from the shell" in shown(pilot)
    assert "logged from the shell" in promise_texts(demo_path)


async def test_a_replaced_journal_is_shown_and_never_written_onto(
        demo_path, make_app, tmp_path) -> None:
    other = tmp_path / "elsewhere" / "journal.json"
    write_demo(Journal(other), FROZEN_NOW - timedelta(days=3), BERLIN)
    with Journal(other).transaction(FROZEN_NOW) as tx:
        tx.add(Promise.make(text="only in the other journal", person_id=1, made_at=FROZEN_NOW,
                            due=FROZEN_NOW + timedelta(days=1), zone="Europe/Berlin"))
    app = make_app(demo_path, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        os.replace(other, demo_path)  # a sync tool, cp, a restore
        replaced = demo_path.read_bytes()
        await pilot.press("k")
        await settle(pilot)
        assert demo_path.read_bytes() == replaced
        screen = shown(pilot)
        assert "replaced by another journal" in screen
        assert "only in the other journal" in screen
        assert not app.session.unsaved


# --- 5. type-ahead ------------------------------------------------------------------------------


async def test_type_ahead_after_p_and_enter_lands_in_each_form(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await burst(app, ["p", *"Dana: one by fri", "enter", "p", *"Dana: two by fri",
                          "enter", "p", *"Sam: three by mon", "enter"])
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "three" in shown(pilot)
    assert promise_texts(demo_path)[-3:] == ["one", "two", "three"]


async def test_a_hold_dropped_twice_hands_back_one_key_only(demo_path, make_app) -> None:
    """A key's hold is dropped by its watchdog or when the key is done, whichever comes
    first; the second must not hand back another key (several in flight came back
    reversed under load: "thr eeby")."""
    app = make_app(demo_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        token = app.hold_keys()
        app._held.extend([events.Key("a", "a"), events.Key("b", "b")])
        app._drop_hold(token)
        app._drop_hold(token)
        assert [key.key for key in app._held] == ["b"]
        app._held.clear()


async def test_type_ahead_after_enter_lands_in_the_next_field(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down")
        target = app.main.query_one("#ledger", PromiseLedger).current.promise.id
        await burst(app, ["r", *"next tue", "enter", *"asked dana", "enter"])
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
    last = stored(demo_path)["promises"][str(target)]["events"][-1]
    assert last["kind"] == "renegotiated" and last["note"] == "asked dana"


# --- issue 14: the file itself ------------------------------------------------------------------


async def test_a_journal_deleted_while_open_says_it_vanished(demo_path, make_app) -> None:
    app = make_app(demo_path, poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        demo_path.unlink()
        await until(pilot, lambda: "vanished" in shown(pilot))  # the next poll
        screen = shown(pilot)
        assert "vanished" in screen
        assert "Your journal is empty" not in screen
        assert "Dana Whitfield" in screen  # what was read is still shown
    assert not demo_path.exists()  # and nothing was written in its place


async def test_a_newer_schema_journal_opens_read_only(demo_path, make_app) -> None:
    data = stored(demo_path)
    data["meta"]["1"]["schema"] = 99
    demo_path.write_text(json.dumps(data))
    before = demo_path.read_bytes()
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Read-only" in shown(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert "Read-only" in shown(pilot)
    assert demo_path.read_bytes() == before


async def test_type_ahead_after_slash_lands_in_the_filter(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await burst(app, ["slash", *"canary"])
        await settle(pilot)
        assert app.main.query_one("#filter").value == "canary"
        assert isinstance(app.screen, MainScreen)
        assert "canary checks live" in shown(pilot)
        assert "replay last month" not in shown(pilot)
