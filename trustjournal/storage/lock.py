"""An advisory lock on a file beside the journal, held for every read-modify-write.

The kernel drops a flock when its holder dies, so a writer killed mid-transaction never blocks
the next one.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from trustjournal.storage.atomic import NEW_FILE_MODE, ensure_directory, target_of
from trustjournal.storage.errors import JournalBusy, JournalWriteError


def lock_path_for(journal: Path) -> Path:
    target = target_of(journal)
    return target.with_name(target.name + ".lock")


class JournalLock:
    def __init__(self, journal: Path, timeout: float = 10.0) -> None:
        self.journal = journal
        self.path = lock_path_for(journal)
        self.timeout = timeout
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            ensure_directory(self.path.parent)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, NEW_FILE_MODE)
        except OSError as error:
            # A read-only disk or folder: say so in one line instead of a traceback.
            raise JournalWriteError(
                self.journal, f"cannot be changed here ({error.strerror or error}); nothing "
                "was changed"
            ) from None
        deadline = time.monotonic() + self.timeout
        delay = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise JournalBusy(
                        self.journal,
                        f"another trustjournal has held it for {self.timeout:.0f} s; try again",
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.02)
        self._fd = fd

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
