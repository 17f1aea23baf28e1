"""Problems with the journal file itself. Each names the file and leaves it untouched."""

from __future__ import annotations

from pathlib import Path

from trustjournal.domain.errors import TrustJournalError


class JournalError(TrustJournalError):
    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"journal {self.path}: {problem}")


class CorruptJournal(JournalError):
    """The file is not a journal we can read; it is never treated as empty or overwritten."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(path, f"{problem}; it was left untouched (fix or move it, then retry)")


class NewerJournal(JournalError):
    """Written by a newer trustjournal: readable maybe, but writing could drop what it added."""


class JournalBusy(JournalError):
    """Another process held the lock for too long."""


class JournalWriteError(JournalError):
    """The disk refused the write; the journal on disk is as it was before."""
