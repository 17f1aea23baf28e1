"""The save queue itself, without Textual: identity, order, refusal, discard, undo."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from datetime import timedelta

import pytest

from tests.conftest import BERLIN, FROZEN_NOW
from trustjournal.demo import write_demo
from trustjournal.domain.promise import Promise
from trustjournal.storage import journal as journal_module
from trustjournal.storage.journal import Journal, Transaction
from trustjournal.storage.records import PROMISES
from trustjournal.tui.session import Outcome, Result, Session


@pytest.fixture
def session(journal_path) -> Session:
    write_demo(Journal(journal_path), FROZEN_NOW, BERLIN)
    made = Session(Journal(journal_path), lambda: FROZEN_NOW, BERLIN)
    made.reload()
    return made


def adding(text: str):
    def change(tx: Transaction) -> str:
        tx.add(Promise.make(text=text, person_id=1, made_at=FROZEN_NOW,
                            due=FROZEN_NOW + timedelta(days=1), zone="Europe/Berlin"))
        return f"added {text}"

    return change


def texts(session: Session) -> list[str]:
    return [p.text for p in sorted(session.journal.load().promises.values(), key=lambda p: p.id)]


def test_session_imports_no_textual() -> None:
    code = ("import sys, trustjournal.tui.session; "
            "assert not [m for m in sys.modules if m.startswith('textual')], 'Textual imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_changes_alike_keep_their_own_identity_and_order(session, monkeypatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(journal_module, "atomic_write", refuse)
    outcomes: list[Outcome] = []
    first = session.submit("new promise", adding("one"))
    second = session.submit("new promise", adding("two"))
    session.drain(outcomes.append)
    assert [o.result for o in outcomes] == [Result.FAILED]  # the second waits behind it
    assert session.unsaved == (first, second) and first != second
    assert session.stalled
    monkeypatch.undo()
    session.retry()
    session.drain(outcomes.append)
    assert [o.result for o in outcomes[1:]] == [Result.SAVED, Result.SAVED]
    assert session.unsaved == ()
    assert texts(session)[-2:] == ["one", "two"]


def test_undo_undoes_the_last_change_and_takes_a_waiting_one_out(session) -> None:
    outcomes: list[Outcome] = []
    session.submit("new promise", adding("one"))
    session.submit("new promise", adding("two"))
    session.drain(outcomes.append)
    session.submit("new promise", adding("three"))
    # Not saved yet: undoing it takes it out of the queue.
    assert session.submit_undo() == "Undone: new promise (it had not been saved)"
    undo = session.submit_undo()  # queued: it undoes "two", the change made before
    assert not isinstance(undo, str) and undo.target is not None
    session.drain(outcomes.append)
    assert [o.result for o in outcomes] == [Result.SAVED] * 3
    assert texts(session)[-1] == "one" and "three" not in texts(session)
    assert "two" not in [p.text for p in session.ledger.promises.values()]


def test_a_refused_undo_can_be_tried_again_later(session) -> None:
    outcomes: list[Outcome] = []
    session.submit("new promise", adding("one"))
    session.drain(outcomes.append)
    newest = max(session.ledger.promises)
    with Journal(session.journal.path).transaction(FROZEN_NOW) as tx:  # moved on in the shell
        tx.save(tx.get(PROMISES, newest).kept(FROZEN_NOW))
    undo = session.submit_undo()
    assert not isinstance(undo, str)
    session.drain(outcomes.append)
    assert outcomes[-1].result is Result.REFUSED and "changed elsewhere" in outcomes[-1].message
    assert outcomes[-1].reloaded is False
    assert not isinstance(session.submit_undo(), str)  # still there to undo


def test_discard_drops_only_what_is_not_saved(session, monkeypatch) -> None:
    monkeypatch.setattr(journal_module, "atomic_write",
                        lambda *a, **k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    before = session.journal.path.read_bytes()
    session.submit("new promise", adding("gone"))
    session.drain(lambda outcome: None)
    dropped = session.discard()
    assert [p.description for p in dropped] == ["new promise"]
    assert session.unsaved == () and not session.stalled
    assert session.submit_undo() == "Nothing to undo in this session."
    assert session.journal.path.read_bytes() == before


def test_an_app_that_crashed_exits_non_zero(journal_path, monkeypatch) -> None:
    from trustjournal.tui import launch
    from trustjournal.tui.app import TrustJournalApp

    def crash(self: TrustJournalApp) -> None:
        self._return_code = 1  # what Textual sets when the app stopped on an exception

    monkeypatch.setattr(TrustJournalApp, "run", crash)
    assert launch(Journal(journal_path), BERLIN) == 1
