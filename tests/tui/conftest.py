from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from time import monotonic
from types import MethodType

import pytest
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from tests.conftest import BERLIN, FROZEN_NOW
from trustjournal.demo import write_demo
from trustjournal.storage.journal import Journal
from trustjournal.tui.app import TrustJournalApp

QUIET_TIMEOUT = 30.0
"""How long the app may stay busy with one key (or settle) before the test fails: far more
than any key takes, even on a loaded 2-core machine."""


class Clock:
    """A frozen 'now' that a test can move forward."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(FROZEN_NOW)


@pytest.fixture
def demo_path(journal_path: Path) -> Path:
    write_demo(Journal(journal_path), FROZEN_NOW, BERLIN)
    return journal_path


AppFactory = Callable[..., TrustJournalApp]


@pytest.fixture
def make_app(clock: Clock) -> AppFactory:
    """The app on a journal, at the frozen clock; its pilot.press sends each key once the app
    has taken the one before (`_press_keys_in_turn`)."""

    def make(path: Path, **kwargs: object) -> TrustJournalApp:
        app = TrustJournalApp(Journal(path), clock=clock, zone=BERLIN, **kwargs)
        app._press_keys = MethodType(_press_keys_in_turn, app)  # type: ignore[method-assign]
        return app

    return make


def _key(key: str) -> events.Key:
    """The key event `pilot.press(key)` sends (textual.app.App._press_keys)."""
    import unicodedata

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    char: str | None
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def _press_keys_in_turn(app: TrustJournalApp, keys: Iterable[str]) -> None:
    """`pilot.press` for this app: each key is sent once the app has done with the one before
    (see `quiet`), where Textual's own waits twice for the process to look idle (two sleeps
    of 20 ms or more a key, most of a test's time). After the last key, what they changed
    is drawn (`drawn`)."""
    for key in keys:
        if key.startswith("wait:"):
            await TrustJournalApp._press_keys(app, [key])
            continue
        event = _key(key)
        event.set_sender(app)
        app.post_message(event)
        await quiet(app)
    await drawn(app)


def _pending(app: TrustJournalApp) -> bool:
    """A message still waits in the app's queue or one of a screen's widgets'."""
    nodes = [app, *(node for screen in app.screen_stack
                    for node in screen.walk_children(with_self=True))]
    return any(not node._message_queue.empty() for node in nodes)


async def quiet(app: TrustJournalApp) -> None:
    """Until the app takes the next key: every message handled, on every screen, and no key
    held (the app holds keys while a form opens or closes, see TrustJournalApp.hold_keys)."""
    pilot = Pilot(app)
    deadline = monotonic() + QUIET_TIMEOUT
    while True:
        await pilot._wait_for_screen()
        await app.animator.wait_until_complete()
        if app._exit:  # quitting: nothing more will be taken
            return
        held = bool(app._holds or app._held)
        if not held and not _pending(app):
            return
        if monotonic() > deadline:
            raise AssertionError(f"the app was still busy after {QUIET_TIMEOUT:.0f} s "
                                 f"(keys held: {held})")
        if held:  # released after the next refresh: poll for it
            await asyncio.sleep(0.001)


async def drawn(app: TrustJournalApp) -> None:
    """Once the app is `quiet`, what changed is laid out and painted now, as `pilot.pause`
    does after its wait (so `shown` reads what a person would see)."""
    await quiet(app)
    if not app._exit:
        app.screen._on_timer_update()


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the journal workers (load, save, undo) and the redraw they cause; not for a
    question waiting on its answer (the "ask" workers). Each round lets the messages a
    finished worker sent be handled, which may start another worker; then the redraw."""
    app = pilot.app
    assert isinstance(app, TrustJournalApp)
    while True:
        await quiet(app)
        workers = [w for w in app.workers if not w.is_finished and w.group != "ask"]
        if not workers:
            break
        for worker in workers:
            # Cancelled is done too: a screen's workers are cancelled when it closes, the
            # review's last one by the very pop_screen it asks for once its work is saved.
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()
    await drawn(app)


async def until(pilot: Pilot[None], condition: Callable[[], bool],
                timeout: float = QUIET_TIMEOUT) -> None:
    """Settle until `condition()` holds, for what the app does on a timer (it looks at the
    file every `poll_seconds`); after `timeout` seconds the test's own assert says what is
    missing."""
    deadline = monotonic() + timeout
    await settle(pilot)
    while not condition() and monotonic() < deadline:
        await pilot.pause(0.05)
        await settle(pilot)


def shown(pilot: Pilot[None]) -> str:
    """The text on screen, as a person reads it (colour aside)."""
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)
