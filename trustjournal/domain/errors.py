"""Errors a user can cause and fix. Each message is one line meant for a person."""


class TrustJournalError(Exception):
    """Base of every error trustjournal reports to the user instead of a traceback."""


class InvalidInput(TrustJournalError):
    """Something typed was wrong; the message says what and shows an example of right."""


class UnknownPerson(InvalidInput):
    pass


class AmbiguousPerson(InvalidInput):
    pass


class DuplicatePerson(InvalidInput):
    pass


class UnknownRecord(InvalidInput):
    """An id that names nothing in the journal."""


class PromiseClosed(InvalidInput):
    """The promise already has its outcome; closing it twice would rewrite history."""
