"""What is at a path, and opening it for reading without hanging.

Apart from atomic.py on purpose: the torture suite's fault injection stands in for `os` inside
atomic.py to fail the calls a write makes, and reading is not one of them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotAFile(OSError):
    """Something other than a regular file is at the path: reading it could hang or never end."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{path} is {kind}")
        self.kind = kind


def file_kind(mode: int) -> str | None:
    """None for a regular file, else what it is, in words."""
    if stat.S_ISREG(mode):
        return None
    for test, kind in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a link"),
    ):
        if test(mode):
            return kind
    return "not a regular file"


def open_regular(path: Path, *, follow_links: bool = True) -> int:
    """A read-only descriptor on a regular file (or a link to one, when following).

    Anything else is refused with NotAFile before it is opened, since opening a FIFO blocks
    until a writer comes and /dev/zero never ends; the opened file is checked again, non-
    blocking, in case it was swapped in between.
    """
    info = os.stat(path) if follow_links else os.lstat(path)
    kind = file_kind(info.st_mode)
    if kind is not None:
        raise NotAFile(path, kind)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | (0 if follow_links else os.O_NOFOLLOW)
    fd = os.open(path, flags)
    kind = file_kind(os.fstat(fd).st_mode)
    if kind is not None:
        os.close(fd)
        raise NotAFile(path, kind)
    return fd
