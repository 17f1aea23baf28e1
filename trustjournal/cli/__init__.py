"""The command line. It never imports Textual: capturing a promise has to start instantly.

A command runs with the cyclic garbage collector off: one command allocates a bounded amount
and ends, the journal holds no cycles, and the collector walking a big parsed journal again and
again was a third of a `due` at 100,000 promises. It is switched back on when `run` returns,
and never switched off for the app, which runs for hours.

From the shell (`fast_exit`, what `python -m trustjournal` and the console script pass), a
command that ran leaves with os._exit once its output is flushed: the interpreter's clean-up
would free the parsed journal object by object first, which the person waits for and nothing
needs (57 ms of a capture at 100,000 promises). Every write is finished and fsynced before a
command returns, and the kernel lets go of the lock. The app exits the ordinary way: its save
worker must finish.
"""

from __future__ import annotations

import gc
import os
import sys
from datetime import UTC, datetime
from typing import NoReturn, TextIO
from zoneinfo import ZoneInfo

from trustjournal.cli.parser import UsageError, build_parser, command_in
from trustjournal.domain.errors import TrustJournalError

NOW_ENV = "TRUSTJOURNAL_NOW"
# A pinned clock far from today leaves no room for "in 3 years", a week's window or a
# zone's offset before datetime's years 1..9999 run out (OverflowError); the date parser
# itself keeps to a similar range.
NOW_YEARS = (1900, 9000)


def clock_now() -> datetime:
    """The current instant; TRUSTJOURNAL_NOW pins it (ISO 8601) for tests and demos."""
    pinned = os.environ.get(NOW_ENV, "").strip()
    if pinned:
        try:
            moment = datetime.fromisoformat(pinned)
        except ValueError:
            raise UsageError(
                f"{NOW_ENV}={pinned!r} is not an ISO time, e.g. 2026-11-25T10:00:00+01:00"
            ) from None
        if moment.tzinfo is None:
            raise UsageError(f"{NOW_ENV} needs a UTC offset, e.g. 2026-11-25T10:00:00+01:00")
        first, last = NOW_YEARS
        if not first <= moment.year <= last:
            raise UsageError(
                f"{NOW_ENV}={pinned!r} is out of range: pin a time in the years {first} to "
                f"{last}, e.g. 2026-11-25T10:00:00+01:00"
            )
        return moment
    return datetime.now(UTC)


def run(
    argv: list[str],
    *,
    now: datetime | None = None,
    zone: ZoneInfo | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    fast_exit: bool = False,
) -> int:
    """Run one command; returns the exit status (0 ok, 1 refused, 2 wrong usage).

    With `fast_exit`, a command (not the app) ends the process itself (see the module's note).
    """
    collecting = gc.isenabled()
    ran: list[str] = []
    try:
        status = _run(argv, now=now, zone=zone, stdout=stdout, stderr=stderr, ran=ran)
    finally:
        if collecting:
            gc.enable()
    if fast_exit and ran:
        _exit_now(status)
    return status


def _exit_now(status: int) -> NoReturn:
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (BrokenPipeError, ValueError):
            pass  # `list | head` closed early, as _run allows; or a stream already closed
    os._exit(status)


def _run(
    argv: list[str],
    *,
    now: datetime | None,
    zone: ZoneInfo | None,
    stdout: TextIO | None,
    stderr: TextIO | None,
    ran: list[str],
) -> int:
    """`ran` gets the command's name once one (not the app) is about to run."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    # Warnings are said after the command's own output, and only when it succeeded: an error
    # keeps its one line.
    warnings: list[str] = []
    try:
        args = build_parser(command_in(argv)).parse_args(argv)
        if args.command is not None:
            ran.append(args.command)
            gc.disable()
        from trustjournal.cli import commands
        from trustjournal.domain.dates import local_zone
        from trustjournal.storage import config

        loaded = config.load(flags={"journal": getattr(args, "db", None)})
        context = commands.Context(
            args=args,
            now=now or clock_now(),
            zone=zone or local_zone(warn=warnings.append, configured=loaded.settings.time_zone),
            out=out,
            err=err,
            config=loaded,
        )
        status = commands.dispatch(context)
        if status == 0:
            warnings.extend(_journal_warnings(context))
            for line in warnings:
                err.write(_shown(line) + "\n")
        return status
    except UsageError as error:
        err.write(f"{_shown(str(error))}\n")
        return 2
    except TrustJournalError as error:
        err.write(f"trustjournal: {_shown(str(error))}\n")
        return 1
    except OverflowError as error:
        # A date pushed past datetime's years 1..9999 somewhere in a command: one line, not a
        # traceback. Any change in flight was inside a transaction, which wrote nothing.
        err.write(f"trustjournal: a date or time is out of the range trustjournal can handle "
                  f"({error}); use dates between the years 1900 and 9000\n")
        return 1
    except KeyboardInterrupt:
        err.write("trustjournal: interrupted; the journal is as it was before this command\n")
        return 130
    except BrokenPipeError:
        # `trustjournal list | head` closed early: not an error worth a traceback.
        sys.stdout = None
        return 0


def _shown(line: str) -> str:
    """An error or a warning can quote the journal (names, texts): what a terminal would obey
    in it is shown as a symbol, and it stays one line."""
    from trustjournal.domain.text import visible

    return visible(line)


def _journal_warnings(context: object) -> list[str]:
    """The warnings about where the journal lives, for a command that opened one."""
    from trustjournal.storage.journal import Journal
    from trustjournal.storage.locations import folder_warning

    journal = getattr(context, "_journal", None)
    if not isinstance(journal, Journal):
        return []
    found = folder_warning(journal.path)
    return [found] if found else []
