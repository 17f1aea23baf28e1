"""Part c: the disk says no. Every failing system call must leave the old journal, byte for byte.

In-process, `os.open/write/fsync/close/replace` as the atomic write sees them fail with ENOSPC or
EIO at the N-th call, for every N until the write gets through. Then the real thing where this
machine allows it: a read-only folder, a read-only mount and a full tmpfs.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.torture.common import NOW, ZONE, HookedOs, Report, run_cli, temp_files
from trustjournal.domain.person import Person
from trustjournal.domain.promise import Promise
from trustjournal.storage import atomic
from trustjournal.storage.errors import JournalError, JournalWriteError
from trustjournal.storage.journal import Journal

TARGETS = ("open", "write", "fsync", "close", "replace")
ERRNOS = (errno.ENOSPC, errno.EIO)


def define_figures(report: Report) -> None:
    report.define("fault_cases", "faults: injected failures run")
    report.define("fault_swallowed", "faults: failures the write ignored (dir fsync)")
    report.define("fault_real", "faults: real-filesystem checks run")
    report.define("fault_skipped", "faults: real-filesystem checks skipped")
    report.define("fault_failures", "faults: wrong outcome", 0)
    report.define("fault_stray", "faults: stray temp files after a failed write", 0)


@contextmanager
def _hooked(hook: Callable[[str, Any, tuple[Any, ...]], Any]) -> Iterator[None]:
    real = atomic.os
    atomic.os = HookedOs(hook)  # type: ignore[assignment]
    try:
        yield
    finally:
        atomic.os = real


def _seed(path: Path, promises: int) -> None:
    with Journal(path).transaction(NOW) as tx:
        ana = tx.add(Person(id=0, name="Ana Lopez", created_at=NOW))
        for i in range(promises):
            tx.add(_promise(f"seeded {i}", ana.id))


def _promise(text: str, person: int) -> Promise:
    return Promise.make(
        text=text, person_id=person, made_at=NOW, due=NOW + timedelta(days=2), zone=ZONE
    )


def _add(journal: Journal, text: str) -> int:
    with journal.transaction(NOW) as tx:
        return tx.add(_promise(text, 1)).id


class _FailAt:
    """Fails the n-th call to one function, the way the kernel would have."""

    def __init__(self, target: str, n: int, code: int) -> None:
        self.target, self.n, self.code = target, n, code
        self.calls = 0

    def __call__(self, name: str, real: Any, args: tuple[Any, ...]) -> Any:
        if name != self.target:
            return real(*args)
        self.calls += 1
        if self.calls != self.n:
            return real(*args)
        if name == "close":
            real(*args)  # NFS reports a lost write at close, after the descriptor is gone
        raise OSError(self.code, os.strerror(self.code))


def _injected(report: Report, folder: Path) -> None:
    path = folder / "journal.json"
    _seed(path, 40)
    baseline = path.read_bytes()
    # One long-lived Journal, as the app holds: its parsed copy must not outlive a failed write.
    journal = Journal(path)
    journal.load()
    for target in TARGETS:
        for code in ERRNOS:
            n = 0
            while True:
                n += 1
                if n > 50:
                    report.fail("fault_failures", f"{target}: the write never got through")
                    break
                where = f"{target} #{n} failing with {errno.errorcode[code]}"
                _restore(path, baseline)
                fault = _FailAt(target, n, code)
                error: Exception | None = None
                try:
                    with _hooked(fault):
                        _add(journal, f"under {where}")
                except Exception as caught:  # whatever it is, it is judged below
                    error = caught
                if fault.calls < n and error is None:
                    break  # the write got through before the n-th call: every N was tried
                report.add("fault_cases")
                if error is None:
                    report.add("fault_swallowed")
                    report.note(f"{where}: ignored, the write was acknowledged")
                    _check_after(report, journal, path, where, applied=True)
                    continue
                _check_refusal(report, error, path, baseline, code, where)
                _check_after(report, journal, path, where, applied=False)
    _short_writes(report, folder)


def _restore(path: Path, content: bytes) -> None:
    scratch = path.with_name("restore.tmp")
    scratch.write_bytes(content)
    os.replace(scratch, path)


def _check_refusal(
    report: Report, error: Exception, path: Path, baseline: bytes, code: int, where: str
) -> None:
    if not isinstance(error, JournalWriteError):
        report.fail("fault_failures", f"{where}: raised {type(error).__name__}: {error}")
    elif str(path) not in str(error) or os.strerror(code) not in str(error):
        report.fail("fault_failures", f"{where}: unclear message {error}")
    if path.read_bytes() != baseline:
        report.fail("fault_failures", f"{where}: the journal's bytes changed")
    left = temp_files(path)
    if left:
        report.fail("fault_stray", f"{where}: left {left}")


def _check_after(report: Report, journal: Journal, path: Path, where: str, applied: bool) -> None:
    """The failed change is not seen (even through the cache), and the next one works."""
    try:
        texts = {p.text for p in journal.load().promises.values()}
        if applied and f"under {where}" not in texts:
            report.fail("fault_failures", f"{where}: acknowledged, yet the change is missing")
        if not applied and f"under {where}" in texts:
            report.fail("fault_failures", f"{where}: refused, yet the change is in the journal")
        record = _add(journal, f"after {where}")
        if Journal(path).load().promises[record].text != f"after {where}":
            report.fail("fault_failures", f"{where}: the next transaction was lost")
    except (JournalError, KeyError) as error:
        report.fail("fault_failures", f"{where}: the next transaction failed: {error!r}")
    left = temp_files(path)
    if left:
        report.fail("fault_stray", f"{where}: left {left} after the next transaction")


def _short_writes(report: Report, folder: Path) -> None:
    """A disk that takes 1000 bytes per write() must still get the whole journal."""
    path = folder / "short.json"
    _seed(path, 40)

    def short(name: str, real: Any, args: tuple[Any, ...]) -> Any:
        if name == "write":
            return real(args[0], args[1][:1000])
        return real(*args)

    journal = Journal(path)
    with _hooked(short):
        record = _add(journal, "written in pieces")
    report.add("fault_cases")
    try:
        if Journal(path).load().promises[record].text != "written in pieces":
            report.fail("fault_failures", "short writes: the change is not in the journal")
    except (JournalError, KeyError) as error:
        report.fail("fault_failures", f"short writes: the journal is damaged: {error!r}")


# --- real filesystems -----------------------------------------------------------------------


def _expect_refused(report: Report, path: Path, what: str, reason: str) -> None:
    """`promise` must be refused in one line naming the file; `list` must still work."""
    before = path.read_bytes()
    done = run_cli(path, "promise", "x", "--to", "ana", "--due", "fri")
    lines = done.stderr.splitlines()
    if done.returncode != 1 or len(lines) != 1 or "Traceback" in done.stderr:
        shown = lines[-1] if lines else ""
        report.fail(
            "fault_failures",
            f"{what}: promise exited {done.returncode} with {len(lines)} stderr lines "
            f"(last: {shown!r}); wanted 1 and one line",
        )
    elif str(path) not in lines[0] or reason not in lines[0]:
        report.fail("fault_failures", f"{what}: message does not say {reason!r}: {lines[0]}")
    if path.read_bytes() != before:
        report.fail("fault_failures", f"{what}: the journal's bytes changed")
    if temp_files(path):
        report.fail("fault_stray", f"{what}: left {temp_files(path)}")
    listed = run_cli(path, "list")
    if listed.returncode != 0:
        report.fail("fault_failures", f"{what}: list failed: {listed.stderr.strip()}")
    report.add("fault_real")


def _mount(*argv: str) -> str | None:
    """Run mount/umount; the reason it failed, or None."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    return None if done.returncode == 0 else (done.stderr.strip() or f"exit {done.returncode}")


def _skip(report: Report, message: str) -> None:
    report.add("fault_skipped")
    report.note(f"SKIPPED {message}")


def _read_only_folder(report: Report, folder: Path) -> None:
    path = folder / "ro-chmod" / "journal.json"
    path.parent.mkdir()
    _seed(path, 3)
    if os.geteuid() == 0:
        _skip(report, "read-only folder (chmod 0o500): running as root, which ignores it")
        return
    path.parent.chmod(0o500)
    try:
        _expect_refused(report, path, "read-only folder", "Permission denied")
    finally:
        path.parent.chmod(0o700)


def _read_only_mount(report: Report, folder: Path) -> None:
    """Root cannot write through a read-only mount, so this is the real check when root."""
    path = folder / "ro-mount" / "journal.json"
    path.parent.mkdir()
    _seed(path, 3)
    mount = str(path.parent)
    failed = _mount("mount", "--bind", mount, mount)
    if failed:
        _skip(report, f"read-only mount: mount --bind is not permitted here ({failed})")
        return
    try:
        failed = _mount("mount", "-o", "remount,ro,bind", mount)
        if failed:
            _skip(report, f"read-only mount: remount read-only failed ({failed})")
            return
        _expect_refused(report, path, "read-only mount", "Read-only file system")
    finally:
        _mount("umount", mount)


def _full_disk(report: Report, folder: Path) -> None:
    mount = folder / "tmpfs"
    mount.mkdir()
    failed = _mount("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount))
    if failed:
        _skip(report, f"full disk: mounting a 64k tmpfs is not permitted here ({failed})")
        return
    try:
        path = mount / "journal.json"
        _seed(path, 12)
        filler = mount / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError as error:
            if error.errno != errno.ENOSPC:
                raise
        finally:
            os.close(fd)
        _expect_refused(report, path, "full disk", "No space left on device")
        journal = Journal(path)
        try:
            _add(journal, "on a full disk")
            report.fail("fault_failures", "full disk: a write on a full disk was acknowledged")
        except JournalWriteError:
            pass
        filler.unlink()
        _add(journal, "after space was freed")
        if temp_files(path):
            report.fail("fault_stray", f"full disk: left {temp_files(path)}")
    except (JournalError, OSError) as error:
        report.fail("fault_failures", f"full disk: {error!r}")
    finally:
        failed = _mount("umount", str(mount))
        if failed:
            report.fail("fault_failures", f"full disk: could not unmount {mount}: {failed}")


def run(report: Report, *, workdir: Path) -> None:
    define_figures(report)
    folder = workdir / "faults"
    folder.mkdir()
    _injected(report, folder)
    _read_only_folder(report, folder)
    _read_only_mount(report, folder)
    _full_disk(report, folder)
    shutil.rmtree(folder, ignore_errors=True)
