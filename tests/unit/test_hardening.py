"""Storage under attack (issue 13): FIFOs and devices at the journal's path, planted links and
files beside it, leftover temp files in backups/, folders made under `umask 000`, a fair lock.

Journals are made through the command line, so these tests hold whatever the journal's own
API looks like.
"""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import BERLIN, FROZEN_NOW
from trustjournal.cli import run
from trustjournal.storage import backup
from trustjournal.storage.atomic import ensure_directory
from trustjournal.storage.errors import JournalBusy, JournalError
from trustjournal.storage.files import NotAFile, open_regular
from trustjournal.storage.journal import Journal, read_bytes
from trustjournal.storage.lock import JournalLock, lock_path_for

ROOT = os.getuid() == 0
OTHER_UID = 54321
TODAY = FROZEN_NOW.astimezone().date()


def tj(path: Path, *argv: str, at: datetime = FROZEN_NOW) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(path), *argv], now=at, zone=BERLIN, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def seed(path: Path) -> None:
    code, _, err = tj(path, "person", "add", "Dana Whitfield")
    assert code == 0, err


def finishes(work: Callable[[], object], seconds: float = 10.0) -> tuple[bool, list[object]]:
    """Run `work` in a thread; whether it ended in time, and what it returned or raised."""
    outcome: list[object] = []

    def target() -> None:
        try:
            outcome.append(work())
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            outcome.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    return not thread.is_alive(), outcome


@pytest.fixture
def fifo(journal_path: Path) -> Iterator[Path]:
    journal_path.parent.mkdir(parents=True)
    os.mkfifo(journal_path)
    yield journal_path
    # If a reader is stuck in open() (the bug), a writer coming and going frees it.
    try:
        fd = os.open(journal_path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return
    os.close(fd)


# --- 7. a FIFO or a device at the journal's path ---------------------------------------------


def test_read_bytes_refuses_a_fifo_without_opening_it(fifo: Path) -> None:
    done, outcome = finishes(lambda: read_bytes(fifo), 5)
    assert done, "reading a FIFO at the journal's path hung"
    assert isinstance(outcome[0], JournalError)
    assert "named pipe (FIFO), not a journal file" in str(outcome[0])


def test_journal_load_and_poll_on_a_fifo_never_hang(fifo: Path) -> None:
    journal = Journal(fifo)
    done, outcome = finishes(journal.is_current, 5)
    assert done and outcome == [False]
    done, outcome = finishes(journal.load, 5)
    assert done and isinstance(outcome[0], JournalError)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_link_to_a_char_device_is_refused(journal_path: Path) -> None:
    journal_path.parent.mkdir(parents=True)
    os.symlink("/dev/null", journal_path)  # /dev/zero would never end; /dev/null is the same kind
    with pytest.raises(JournalError, match="is a character device, not a journal file"):
        Journal(journal_path).load()
    code, _, err = tj(journal_path, "promise", "x", "--to", "dana", "--due", "fri")
    assert code == 1 and err.count("\n") == 1 and "character device" in err


def test_open_regular_checks_before_opening(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(NotAFile):
        open_regular(tmp_path / "pipe")
    (tmp_path / "file").write_bytes(b"x")
    os.symlink(tmp_path / "file", tmp_path / "link")
    os.close(open_regular(tmp_path / "link"))
    with pytest.raises(NotAFile, match="a link"):
        open_regular(tmp_path / "link", follow_links=False)


# --- 11. links and files planted beside the journal ------------------------------------------


def test_a_link_at_the_lock_is_never_followed(journal_path: Path, tmp_path: Path) -> None:
    seed(journal_path)
    target = tmp_path / "elsewhere" / "chosen-by-them"
    target.parent.mkdir()
    lock = lock_path_for(journal_path)
    lock.unlink()
    os.symlink(target, lock)
    code, _, err = tj(journal_path, "promise", "x", "--to", "dana", "--due", "fri")
    assert code == 1 and err.count("\n") == 1
    assert "lock file" in err and "is a link" in err
    assert not target.exists()


@pytest.mark.skipif(not ROOT, reason="making another user's file needs root")
def test_a_lock_owned_by_another_user_is_refused(journal_path: Path) -> None:
    seed(journal_path)
    os.chown(lock_path_for(journal_path), OTHER_UID, OTHER_UID)
    with pytest.raises(JournalError, match="belongs to another user"):
        JournalLock(journal_path, timeout=1).acquire()


def _plant_today(journal_path: Path, tmp_path: Path, *, dangling: bool) -> tuple[Path, Path]:
    victim = tmp_path / "victim.txt"
    if not dangling:
        victim.write_text("not yours to overwrite\n")
    folder = journal_path.parent / "backups"
    folder.mkdir(mode=0o700)
    planted = folder / f"journal.{TODAY.isoformat()}.json"
    os.symlink(victim, planted)
    return victim, planted


@pytest.mark.parametrize("dangling", [False, True], ids=["to a file", "dangling"])
def test_the_daily_backup_never_writes_through_a_planted_link(
    journal_path: Path, tmp_path: Path, dangling: bool
) -> None:
    seed(journal_path)  # the first change of the day: no backup yet (nothing to back up)
    victim, planted = _plant_today(journal_path, tmp_path, dangling=dangling)
    code, _, err = tj(journal_path, "promise", "x", "--to", "dana", "--due", "fri")
    assert code == 0, err
    if dangling:
        assert not victim.exists()
    else:
        assert victim.read_text() == "not yours to overwrite\n"
    info = os.lstat(planted)
    assert stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o600
    assert b"Dana Whitfield" in planted.read_bytes()


def test_a_backups_folder_that_is_a_link_is_refused(journal_path: Path, tmp_path: Path) -> None:
    seed(journal_path)
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    os.symlink(theirs, journal_path.parent / "backups")
    before = journal_path.read_bytes()
    code, _, err = tj(journal_path, "promise", "x", "--to", "dana", "--due", "fri")
    assert code == 1 and err.count("\n") == 1 and "backups folder" in err and "a link" in err
    assert os.listdir(theirs) == []
    assert journal_path.read_bytes() == before


def test_planted_backups_are_not_listed_but_reported(journal_path: Path, tmp_path: Path) -> None:
    seed(journal_path)
    tj(journal_path, "promise", "x", "--to", "dana", "--due", "fri")  # today's real backup
    folder = journal_path.parent / "backups"
    bait = tmp_path / "bait.json"
    bait.write_bytes((folder / f"journal.{TODAY.isoformat()}.json").read_bytes())
    os.symlink(bait, folder / "journal.2026-11-20.json")
    os.mkfifo(folder / "journal.2026-11-19.json")
    assert [b.label for b in backup.list_backups(journal_path)] == [TODAY.isoformat()]
    assert sorted(p.name for p in backup.stray_files(journal_path)) == [
        "journal.2026-11-19.json", "journal.2026-11-20.json"]
    code, _, err = tj(journal_path, "restore", "2026-11-20")
    assert code == 1 and "no backup" in err


@pytest.mark.skipif(not ROOT, reason="making another user's file needs root")
def test_a_backup_planted_by_another_user_is_never_restored(journal_path: Path) -> None:
    seed(journal_path)
    tj(journal_path, "promise", "x", "--to", "dana", "--due", "fri")
    folder = journal_path.parent / "backups"
    planted = folder / "journal.2026-11-20.json"
    planted.write_bytes((folder / f"journal.{TODAY.isoformat()}.json").read_bytes())
    os.chown(planted, OTHER_UID, OTHER_UID)
    assert [b.label for b in backup.list_backups(journal_path)] == [TODAY.isoformat()]
    assert planted in backup.stray_files(journal_path)
    code, _, err = tj(journal_path, "restore", "2026-11-20")
    assert code == 1 and "no backup" in err
    with pytest.raises(JournalError, match="owned by another user"):
        backup.read_backup(planted)


def test_read_backup_refuses_links_and_fifos(tmp_path: Path) -> None:
    (tmp_path / "real.json").write_bytes(b"{}")
    os.symlink(tmp_path / "real.json", tmp_path / "link.json")
    os.mkfifo(tmp_path / "pipe.json")
    assert backup.read_backup(tmp_path / "real.json") == b"{}"
    with pytest.raises(JournalError, match="is a link"):
        backup.read_backup(tmp_path / "link.json")
    done, outcome = finishes(lambda: backup.read_backup(tmp_path / "pipe.json"), 5)
    assert done and isinstance(outcome[0], JournalError)


def test_folders_made_under_umask_000_are_private(tmp_path: Path) -> None:
    journal = tmp_path / "a" / "b" / "c" / "journal.json"
    old = os.umask(0)
    try:
        seed(journal)
        tj(journal, "promise", "x", "--to", "dana", "--due", "fri", at=FROZEN_NOW + timedelta(1))
    finally:
        os.umask(old)
    made = (tmp_path / "a", tmp_path / "a" / "b", journal.parent, journal.parent / "backups")
    for folder in made:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600


def test_ensure_directory_leaves_existing_folders_alone(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir(mode=0o755)
    ensure_directory(tmp_path / "shared" / "mine")
    assert stat.S_IMODE((tmp_path / "shared").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "shared" / "mine").stat().st_mode) == 0o700


# --- 12. temp files left in backups/ ---------------------------------------------------------


def test_temp_files_left_in_backups_are_reported_then_removed(journal_path: Path) -> None:
    seed(journal_path)
    tj(journal_path, "promise", "x", "--to", "dana", "--due", "fri")
    folder = journal_path.parent / "backups"
    left = [folder / f".journal.{TODAY.isoformat()}.json.tmp-{n}-deadbeef" for n in (11, 12)]
    left.append(folder / ".journal.2026-11-24-before-fix.json.tmp-13-cafe")
    for path in left:
        path.write_bytes(b"x" * 1000)
    unrelated = folder / ".other.2026-11-24.json.tmp-14-beef"
    unrelated.write_bytes(b"not ours")
    assert sorted(backup.stray_files(journal_path)) == sorted(left)
    # Any change cleans them, under the lock, as the journal's own folder is cleaned.
    code, _, err = tj(journal_path, "promise", "y", "--to", "dana", "--due", "fri")
    assert code == 0, err
    assert not any(p.exists() for p in left)
    assert unrelated.exists()
    assert backup.stray_files(journal_path) == []


# --- 14. a backup dated in the future --------------------------------------------------------


def test_a_backup_dated_in_the_future_does_not_keep_a_slot(journal_path: Path) -> None:
    seed(journal_path)
    folder = journal_path.parent / "backups"
    folder.mkdir(mode=0o700)
    days = [TODAY - timedelta(days=n) for n in range(1, 8)]
    for day in [*days, date(2099, 1, 1)]:
        (folder / f"journal.{day.isoformat()}.json").write_bytes(journal_path.read_bytes())
    code, _, err = tj(journal_path, "promise", "x", "--to", "dana", "--due", "fri")
    assert code == 0, err
    kept = [b.day for b in backup.list_backups(journal_path)]
    assert kept == [TODAY, *days[:6]]


# --- 13. the lock: waiting writers are served; the message says what happened ----------------

HOLD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from trustjournal.storage.lock import JournalLock
    with JournalLock(Path(sys.argv[1]), timeout=30):
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def _holder(journal: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(journal), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_busy_lock_says_how_long_it_waited(journal_path: Path) -> None:
    seed(journal_path)
    holder = _holder(journal_path, 3)
    try:
        with pytest.raises(JournalBusy) as refused:
            JournalLock(journal_path, timeout=0.3).acquire()
        message = str(refused.value)
        assert "busy for the whole 0.3 s" in message and "nothing was changed" in message
        assert "has held it for" not in message
    finally:
        holder.kill()
        holder.wait()


def test_a_waiter_gets_the_lock_as_soon_as_it_is_released(journal_path: Path) -> None:
    seed(journal_path)
    holder = _holder(journal_path, 0.5)
    began = time.monotonic()
    with JournalLock(journal_path, timeout=30) as lock:
        waited = time.monotonic() - began
    holder.wait()
    assert 0.2 < waited < 5 and lock.waited > 0.2


def test_a_waiter_that_gave_up_does_not_keep_the_lock(journal_path: Path) -> None:
    seed(journal_path)
    holder = _holder(journal_path, 0.6)
    with pytest.raises(JournalBusy):
        JournalLock(journal_path, timeout=0.1).acquire()
    holder.wait()
    # The abandoned helper thread got the lock when the holder let go, and let it go at once.
    with JournalLock(journal_path, timeout=5):
        pass


FAIR_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from trustjournal.storage.errors import JournalBusy
    from trustjournal.storage.lock import JournalLock
    path, rounds = Path(sys.argv[1]), int(sys.argv[2])
    hold, timeout = float(sys.argv[3]), float(sys.argv[4])
    print("ready", flush=True)
    sys.stdin.readline()
    refused = 0
    for _ in range(rounds):
        try:
            with JournalLock(path, timeout=timeout):
                time.sleep(hold)
        except JournalBusy:
            refused += 1
    print(refused, flush=True)
""")


def test_eight_lock_writers_in_a_tight_loop_are_all_served(journal_path: Path) -> None:
    """Each writer takes the lock again the moment it lets go, the worst case for a waiter.

    Fair turns make the longest wait about 7 holds (0.14 s); a LOCK_NB retry loop lost the
    lock to the writer that had just released it for seconds at a time.
    """
    seed(journal_path)
    writers = [
        subprocess.Popen([sys.executable, "-c", FAIR_WRITER, str(journal_path), "20", "0.02",
                          "1.5"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(8)
    ]
    for writer in writers:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    refused = [int(writer.communicate(timeout=120)[0].strip()) for writer in writers]
    assert refused == [0] * 8
