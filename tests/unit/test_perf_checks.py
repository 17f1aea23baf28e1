"""The pre-write check, remembered across processes (Journal(remember_checks=True), what the
command line uses): a journal trustjournal itself wrote is not checked record by record again,
and anything else (a hand edit, a restored copy) still is, and is still refused when broken."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import trustjournal.storage.journal as journal_module
from trustjournal.domain.person import Person
from trustjournal.domain.promise import Promise
from trustjournal.storage.errors import CorruptJournal
from trustjournal.storage.journal import Journal
from trustjournal.storage.records import PROMISES

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _seed(path: Path) -> None:
    with Journal(path, remember_checks=True).transaction(T0) as tx:
        dana = tx.add(Person(id=0, name="Dana Whitfield", created_at=T0))
        for i in range(3):
            tx.add(Promise.make(text=f"promise {i}", person_id=dana.id, made_at=T0,
                                due=T0 + timedelta(days=1), zone="UTC"))


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = journal_module.check_records
    monkeypatch.setattr(journal_module, "check_records",
                        lambda data, path: calls.append(1) or real(data, path))
    return calls


def _capture(path: Path, hour: int) -> None:
    """What one command does: a new Journal (a new process's view), one transaction."""
    with Journal(path, remember_checks=True).transaction(T0 + timedelta(hours=hour)) as tx:
        tx.save(tx.get(PROMISES, 1).renegotiated(T0 + timedelta(hours=hour),
                                                 T0 + timedelta(days=2, hours=hour), "later"))


def test_a_journal_trustjournal_wrote_is_not_checked_again_by_the_next_process(
    journal_path: Path, checks: list[int]
) -> None:
    _seed(journal_path)
    checks.clear()  # a new journal is checked (empty) as it is made
    for hour in range(1, 4):
        _capture(journal_path, hour)
    assert checks == []
    assert len(Journal(journal_path).load().promises[1].events) == 4


def test_a_hand_edit_is_checked_and_a_broken_record_refused(
    journal_path: Path, checks: list[int]
) -> None:
    _seed(journal_path)
    checks.clear()  # a new journal is checked (empty) as it is made
    data = json.loads(journal_path.read_text())
    data["promises"]["2"]["to"] = "Dana"  # a link that is not an id
    edited = journal_path.with_name("edited.json")
    edited.write_text(json.dumps(data))
    os.replace(edited, journal_path)  # as an editor saves: a new file at the name
    before = journal_path.read_bytes()
    with pytest.raises(CorruptJournal, match="promises record 2"):
        _capture(journal_path, 1)
    assert checks == [1] and journal_path.read_bytes() == before


def test_a_fixed_hand_edit_is_checked_once_then_remembered(
    journal_path: Path, checks: list[int]
) -> None:
    _seed(journal_path)
    checks.clear()  # a new journal is checked (empty) as it is made
    data = json.loads(journal_path.read_text())
    data["promises"]["2"]["text"] = "edited by hand"
    journal_path.write_text(json.dumps(data))  # in place, another size
    _capture(journal_path, 1)
    _capture(journal_path, 2)
    assert checks == [1]


def test_without_remember_checks_every_new_view_checks_its_first_parse(
    journal_path: Path, checks: list[int]
) -> None:
    _seed(journal_path)
    checks.clear()  # a new journal is checked (empty) as it is made
    for hour in range(1, 3):
        with Journal(journal_path).transaction(T0 + timedelta(hours=hour)) as tx:
            tx.save(tx.get(PROMISES, hour).kept(T0 + timedelta(hours=hour)))
    assert checks == [1, 1]


def test_loads_pause_the_collector_and_put_it_back(journal_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    _seed(journal_path)
    seen: list[bool] = []
    real = journal_module.records.load_ledger
    monkeypatch.setattr(journal_module.records, "load_ledger",
                        lambda data: seen.append(gc.isenabled()) or real(data))
    assert gc.isenabled()
    Journal(journal_path).load()
    assert seen == [False] and gc.isenabled()
    gc.disable()  # as the command line runs: a load leaves it off
    try:
        Journal(journal_path).load()
        assert not gc.isenabled()
    finally:
        gc.enable()
    with journal_module.collector_paused():  # nested: on again only after the outer one
        Journal(journal_path).load()
        assert not gc.isenabled()
    assert gc.isenabled()
