"""An advisory lock on a file beside the journal, held for every read-modify-write.

The kernel drops a flock when its holder dies, so a writer killed mid-transaction never blocks
the next one.

Waiting is fair: a writer that finds the lock busy waits in a blocking flock (in a helper
thread, so the wait can end at a timeout from any thread, where SIGALRM could only serve the
main one). The kernel queues blocked flocks and hands the lock on as it is released, so eight
writers take turns. Retrying LOCK_NB with sleeps instead is a lottery that the writer which
just released the lock usually wins: with eight writers a waiter lost it for seconds at a time.

The lock file is opened without following a link and must be a regular file of yours: a link
planted at its name would otherwise make trustjournal create a file wherever it points.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import time
from pathlib import Path
from types import TracebackType

from trustjournal.storage.atomic import NEW_FILE_MODE, ensure_directory, target_of
from trustjournal.storage.errors import JournalBusy, JournalError, JournalWriteError


def lock_path_for(journal: Path) -> Path:
    target = target_of(journal)
    return target.with_name(target.name + ".lock")


class _Waiter:
    """A blocking flock in a daemon thread. Given up at a timeout, the thread owns the file:
    when the flock is finally granted it releases it at once and closes the file."""

    def __init__(self, fd: int) -> None:
        # Imported only when the lock is busy: an uncontended capture never starts a thread,
        # and threading is ~1 ms of its start-up.
        import threading

        self.fd = fd
        self.granted = threading.Event()
        self.error: OSError | None = None
        self._abandoned = False
        self._state = threading.Lock()
        threading.Thread(target=self._wait, name="trustjournal-lock", daemon=True).start()

    def _wait(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except OSError as error:
            self.error = error
        with self._state:
            if self._abandoned:
                if self.error is None:
                    fcntl.flock(self.fd, fcntl.LOCK_UN)
                os.close(self.fd)
                return
        self.granted.set()

    def wait(self, timeout: float) -> bool:
        """True when the lock is ours; False (and the file no longer ours) at the timeout."""
        if self.granted.wait(timeout):
            return True
        with self._state:
            if self.granted.is_set():  # granted between the timeout and here
                return True
            self._abandoned = True
        return False


class JournalLock:
    def __init__(self, journal: Path, timeout: float = 10.0) -> None:
        self.journal = journal
        self.path = lock_path_for(journal)
        self.timeout = timeout
        self._fd: int | None = None
        self.waited = 0.0
        """How long the last acquire waited for the lock, in seconds."""

    def _open(self) -> int:
        try:
            ensure_directory(self.path.parent)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK,
                         NEW_FILE_MODE)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise JournalError(
                    self.journal, f"its lock file {self.path} is a link, which trustjournal "
                    "never follows (someone may have planted it); remove it and retry; "
                    "nothing was changed"
                ) from None
            # A read-only disk or folder: say so in one line instead of a traceback.
            raise JournalWriteError(
                self.journal, f"cannot be changed here ({error.strerror or error}); nothing "
                "was changed"
            ) from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
            os.close(fd)
            what = ("is not a regular file" if not stat.S_ISREG(info.st_mode)
                    else f"belongs to another user (uid {info.st_uid})")
            raise JournalError(
                self.journal, f"its lock file {self.path} {what}, so it is not trusted; "
                "remove it and retry; nothing was changed"
            )
        return fd

    def acquire(self) -> None:
        fd = self._open()
        started = time.monotonic()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiter = _Waiter(fd)
            try:
                granted = waiter.wait(self.timeout)
            except BaseException:
                # Ctrl-C while waiting: the helper thread now owns the file and lets it go.
                if not waiter.wait(0):
                    raise
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
                raise
            self.waited = time.monotonic() - started
            if not granted:
                raise JournalBusy(
                    self.journal,
                    f"another trustjournal kept its lock busy for the whole {self.waited:.1f} s "
                    "this waited (the app or other commands saving in turn, or one stuck); "
                    "nothing was changed; try again",
                ) from None
            if waiter.error is not None:
                os.close(fd)
                raise JournalWriteError(
                    self.journal, f"could not be locked ({waiter.error.strerror or waiter.error});"
                    " nothing was changed"
                ) from None
        self._fd = fd

    # A note kept in the lock file, read and written only while the lock is held: the journal
    # writes there which file (device, inode, size, mtime, write token) last passed its
    # pre-write check, so the next process need not check every record again.
    _NOTE_MAX = 256

    def read_note(self) -> bytes:
        if self._fd is None:
            return b""
        try:
            return os.pread(self._fd, self._NOTE_MAX, 0)
        except OSError:
            return b""

    def write_note(self, note: bytes) -> None:
        """Best effort: a note that cannot be written only means a full check next time."""
        if self._fd is None or len(note) > self._NOTE_MAX:
            return
        try:
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, note, 0)
        except OSError:
            pass

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def __enter__(self) -> JournalLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
