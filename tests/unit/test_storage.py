from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trustjournal.domain.errors import UnknownRecord
from trustjournal.domain.person import Person
from trustjournal.domain.promise import Promise
from trustjournal.storage import atomic
from trustjournal.storage.errors import (
    CorruptJournal,
    JournalBusy,
    JournalWriteError,
    NewerJournal,
)
from trustjournal.storage.journal import Journal
from trustjournal.storage.lock import JournalLock
from trustjournal.storage.records import PROMISES

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def seed(journal: Journal, promises: int = 1) -> None:
    with journal.transaction(T0) as tx:
        dana = tx.add(Person(id=0, name="Dana Whitfield", created_at=T0))
        for i in range(promises):
            tx.add(
                Promise.make(
                    text=f"promise {i}",
                    person_id=dana.id,
                    made_at=T0,
                    due=T0 + timedelta(days=1),
                    zone="UTC",
                )
            )


def test_round_trip_through_a_fresh_journal(journal_path: Path) -> None:
    seed(Journal(journal_path), promises=3)
    ledger = Journal(journal_path).load()
    assert [p.text for p in ledger.promises.values()] == ["promise 0", "promise 1", "promise 2"]
    assert ledger.find_person("dana").name == "Dana Whitfield"


def test_new_journal_is_private(journal_path: Path) -> None:
    seed(Journal(journal_path))
    assert stat.S_IMODE(journal_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(journal_path.parent.stat().st_mode) == 0o700


def test_existing_mode_is_kept(journal_path: Path) -> None:
    seed(Journal(journal_path))
    journal_path.chmod(0o640)
    seed_more = Journal(journal_path)
    with seed_more.transaction(T0) as tx:
        tx.add(Person(id=0, name="Marcus", created_at=T0))
    assert stat.S_IMODE(journal_path.stat().st_mode) == 0o640


def test_symlinked_journal_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "sync" / "real.json"
    link = tmp_path / "link.json"
    seed(Journal(real))
    link.symlink_to(real)
    with Journal(link).transaction(T0) as tx:
        tx.add(Person(id=0, name="Marcus", created_at=T0))
    assert link.is_symlink()
    assert len(Journal(real).load().people) == 2


def test_no_temp_file_is_left_and_stale_ones_are_cleaned(journal_path: Path) -> None:
    seed(Journal(journal_path))
    stale = journal_path.parent / f".{journal_path.name}{atomic.TEMP_MARK}999-dead"
    stale.write_text("half a journal")
    seed_again = Journal(journal_path)
    with seed_again.transaction(T0) as tx:
        tx.add(Person(id=0, name="Marcus", created_at=T0))
    assert sorted(p.name for p in journal_path.parent.iterdir()) == [
        "backups", "journal.json", "journal.json.lock"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "should hold a JSON object"),
        (b'{"_default": {}}', "not a trustjournal journal"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b'{"meta": {"1": {"schema": 1}}, "promises": {"1": {"text": NaN}}}', "NaN"),
        (b'{"meta": {"1": {"schema": 1}}, "promises": []}', '"promises" table'),
        (b'{"meta": {"1": {"schema": 1}}, "promises": {"x": {}}}', "malformed record"),
        (b"[" * 100000 + b"]" * 100000, "nested too deeply"),
    ],
)
def test_bad_files_are_named_errors_and_left_untouched(
    journal_path: Path, content: bytes, problem: str
) -> None:
    journal_path.parent.mkdir(parents=True)
    journal_path.write_bytes(content)
    journal = Journal(journal_path)
    with pytest.raises(CorruptJournal, match=problem) as caught:
        journal.load()
    assert str(journal_path) in str(caught.value)
    with pytest.raises(CorruptJournal), journal.transaction(T0) as tx:
        tx.add(Person(id=0, name="Marcus", created_at=T0))
    assert journal_path.read_bytes() == content


def test_a_record_with_wrong_types_is_named(journal_path: Path) -> None:
    seed(Journal(journal_path))
    data = json.loads(journal_path.read_text())
    data["promises"]["1"]["events"][0]["due"] = 12
    journal_path.write_text(json.dumps(data))
    before = journal_path.read_bytes()
    with pytest.raises(CorruptJournal, match="promises record 1"):
        Journal(journal_path).load()
    assert journal_path.read_bytes() == before


def test_byte_order_mark_is_tolerated(journal_path: Path) -> None:
    seed(Journal(journal_path))
    journal_path.write_bytes(b"\xef\xbb\xbf" + journal_path.read_bytes())
    assert len(Journal(journal_path).load().promises) == 1


def test_newer_schema_is_readable_but_not_writable(journal_path: Path) -> None:
    seed(Journal(journal_path))
    data = json.loads(journal_path.read_text())
    data["meta"]["1"]["schema"] = 99
    journal_path.write_text(json.dumps(data))
    before = journal_path.read_bytes()
    journal = Journal(journal_path)
    assert len(journal.load().promises) == 1
    with pytest.raises(NewerJournal, match="newer trustjournal"), journal.transaction(T0):
        pass
    assert journal_path.read_bytes() == before


def test_unknown_fields_survive_a_save(journal_path: Path) -> None:
    seed(Journal(journal_path))
    data = json.loads(journal_path.read_text())
    data["promises"]["1"]["mood"] = "hopeful"
    data["future_table"] = {"1": {"x": 1}}
    journal_path.write_text(json.dumps(data))
    journal = Journal(journal_path)
    with journal.transaction(T0) as tx:
        tx.save(tx.get(PROMISES, 1).kept(T0 + timedelta(hours=1)))
    data = json.loads(journal_path.read_text())
    assert data["promises"]["1"]["mood"] == "hopeful"
    assert data["future_table"] == {"1": {"x": 1}}


def test_ids_are_never_reused(journal_path: Path) -> None:
    journal = Journal(journal_path)
    seed(journal, promises=2)
    with journal.transaction(T0) as tx:
        tx.remove(PROMISES, 2)
    with journal.transaction(T0) as tx:
        again = tx.add(
            Promise.make(
                text="new", person_id=1, made_at=T0, due=T0 + timedelta(days=1), zone="UTC"
            )
        )
    assert again.id == 3


def test_failed_transaction_changes_nothing(journal_path: Path) -> None:
    journal = Journal(journal_path)
    seed(journal)
    before = journal_path.read_bytes()
    with pytest.raises(UnknownRecord), journal.transaction(T0) as tx:
        tx.add(Person(id=0, name="Marcus", created_at=T0))
        tx.get(PROMISES, 42)
    assert journal_path.read_bytes() == before
    assert len(journal.load().people) == 1  # the in-process cache was dropped too


def test_write_failure_leaves_journal_and_no_temp(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal(journal_path)
    seed(journal)
    before = journal_path.read_bytes()

    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(JournalWriteError, match="No space left"), journal.transaction(T0) as tx:
        tx.add(Person(id=0, name="Marcus", created_at=T0))
    monkeypatch.undo()
    assert journal_path.read_bytes() == before
    assert sorted(p.name for p in journal_path.parent.iterdir()) == [
        "backups", "journal.json", "journal.json.lock"]
    assert len(journal.load().people) == 1


def test_cache_sees_a_change_made_by_another_process(journal_path: Path) -> None:
    journal = Journal(journal_path)
    seed(journal)
    assert len(journal.load().promises) == 1
    other = Journal(journal_path)
    with other.transaction(T0) as tx:
        tx.add(
            Promise.make(
                text="from the shell",
                person_id=1,
                made_at=T0,
                due=T0 + timedelta(days=1),
                zone="UTC",
            )
        )
    assert len(journal.load().promises) == 2
    with journal.transaction(T0) as tx:  # re-read inside the lock, so nothing is clobbered
        tx.add(
            Promise.make(
                text="from the app", person_id=1, made_at=T0, due=T0 + timedelta(days=1), zone="UTC"
            )
        )
    assert sorted(p.text for p in Journal(journal_path).load().promises.values()) == [
        "from the app",
        "from the shell",
        "promise 0",
    ]


HOLD_LOCK = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from trustjournal.storage.lock import JournalLock
    with JournalLock(Path(sys.argv[1])):
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def test_lock_waits_for_another_process(journal_path: Path) -> None:
    seed(Journal(journal_path))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(journal_path), "0.6"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with pytest.raises(JournalBusy, match="another trustjournal"):
        JournalLock(journal_path, timeout=0.1).acquire()
    with JournalLock(journal_path, timeout=5):
        pass
    holder.wait(5)


def test_lock_of_a_killed_holder_is_released(journal_path: Path) -> None:
    seed(Journal(journal_path))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(journal_path), "60"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait(5)
    with JournalLock(journal_path, timeout=1):
        pass


WRITER = textwrap.dedent("""
    import sys
    from datetime import UTC, datetime, timedelta
    from trustjournal.domain.promise import Promise
    from trustjournal.storage.journal import Journal
    journal = Journal(sys.argv[1])
    t0 = datetime(2026, 11, 23, 9, tzinfo=UTC)
    for i in range(int(sys.argv[3])):
        with journal.transaction(t0) as tx:
            tx.add(Promise.make(text=f"{sys.argv[2]}-{i}", person_id=1, made_at=t0,
                                        due=t0 + timedelta(days=1), zone="UTC"))
""")


def test_concurrent_writers_lose_nothing(journal_path: Path) -> None:
    seed(Journal(journal_path), promises=0)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(journal_path), f"w{n}", "40"])
        for n in range(3)
    ]
    for w in writers:
        assert w.wait(60) == 0
    promises = Journal(journal_path).load().promises
    texts = sorted(p.text for p in promises.values())
    assert texts == sorted(f"w{n}-{i}" for n in range(3) for i in range(40))
    assert len(set(promises)) == 120


def test_journal_folder_is_created_private(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "journal.json"
    seed(Journal(path))
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o700
    assert os.path.exists(path)


def test_the_full_check_runs_once_per_parse_not_on_every_save(journal_path: Path,
                                                                monkeypatch) -> None:
    import trustjournal.storage.journal as journal_module

    seed(Journal(journal_path), promises=3)
    calls: list[int] = []
    real = journal_module.check_records
    monkeypatch.setattr(journal_module, "check_records",
                        lambda data, path: calls.append(1) or real(data, path))
    journal = Journal(journal_path)
    for hour in range(3):
        with journal.transaction(T0 + timedelta(hours=hour)) as tx:
            tx.save(tx.get(PROMISES, hour + 1).kept(T0 + timedelta(hours=hour)))
    assert calls == [1]  # the first parse; then our own writes, checked change by change
    other = Journal(journal_path)  # another process's view: it parses, so it checks
    with other.transaction(T0 + timedelta(hours=4)) as tx:
        tx.add(Person(id=0, name="Someone", created_at=T0))
    with journal.transaction(T0 + timedelta(hours=5)) as tx:  # the file moved on: parse again
        tx.add(Person(id=0, name="Someone Else", created_at=T0))
    assert calls == [1, 1, 1]
