"""The command line's grammar. Kept apart so --help and errors stay consistent."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from trustjournal import __version__
from trustjournal.cli import care, manual, people, series, settings


class UsageError(Exception):
    """Wrong words on the command line: one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # argparse takes only "-5" or "-1.5" for a positional; anything else after a dash is
        # an unknown option. Words like "-2+3" or "-10% on the bill" are text: no option of
        # ours starts with a dash and a digit, so every such word is a positional.
        self._negative_number_matcher = re.compile(r"^-\d")

    def error(self, message: str) -> NoReturn:
        # argparse prints a usage block then the error; a person needs one line and a pointer.
        raise UsageError(f"{self.prog}: {message} (see `{self.prog} --help`)")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        raise SystemExit(status)


def _common(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS keeps a subcommand's missing --db from hiding one given before it.
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="journal file (default: $TRUSTJOURNAL_DB, else the user data folder)",
    )


def command_in(argv: list[str]) -> str | None:
    """The command argv names, when that is certain without parsing; None to build them all.

    Only `--db PATH` may come before the command; anything else there (help, --version, a typo,
    an abbreviated option) gets the full parser, so every message stays what argparse says.
    """
    if "-h" in argv or "--help" in argv:
        return None
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--db":
            skip = True
        elif arg.startswith("--db="):
            continue
        elif arg.startswith("-") or arg not in _BUILDERS:
            return None
        else:
            return arg
    return None


def build_parser(only: str | None = None) -> Parser:
    """The whole grammar, or (`only`) the root and one command: building all eleven commands'
    parsers is a third of a capture's own start-up time, so the command line builds just the
    one it is about to run (see `command_in`)."""
    root = Parser(
        prog="trustjournal",
        description="A private journal for rebuilding trust at work. "
        "With no command, opens the full-screen app.",
    )
    root.add_argument(
        "--db",
        metavar="PATH",
        default=None,
        help="journal file (default: $TRUSTJOURNAL_DB, else the user data folder)",
    )
    root.add_argument("--version", action="version", version=f"trustjournal {__version__}")
    sub = root.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    def command(name: str, help_text: str, **kwargs: object) -> Parser:
        parser: Parser = sub.add_parser(name, help=help_text, description=help_text, **kwargs)  # type: ignore[arg-type]
        _common(parser)
        return parser

    for name, add_command in _BUILDERS.items():
        if only is None or only == name:
            add_command(command)
    manual.add_examples(root)
    return root


Command = Callable[..., Parser]


# people ---------------------------------------------------------------------------------------


def _person(command: Command) -> None:
    person = command("person", "add, list and show the people you are rebuilding trust with")
    person_sub = person.add_subparsers(
        dest="person_command", metavar="ACTION", parser_class=Parser, required=True
    )

    def person_command(name: str, help_text: str) -> Parser:
        parser: Parser = person_sub.add_parser(name, help=help_text, description=help_text)
        _common(parser)
        return parser

    add = person_command("add", "add a person")
    add.add_argument("name", metavar="NAME", help='their full name, e.g. "Dana Whitfield"')
    add.add_argument("--role", default="", help='their role, e.g. "Director of Platform"')
    add.add_argument("--leader", default="", help="who they answer to")
    add.add_argument(
        "--stance",
        default="neutral",
        help="detractor, skeptic, neutral, supporter or promoter (default: neutral)",
    )
    add.add_argument(
        "--checkin",
        default="",
        metavar="CADENCE",
        help='how often they should hear from you, e.g. "weekly", "every 2 weeks on mon"',
    )
    add.add_argument(
        "--prefers",
        default="meeting",
        choices=("meeting", "written"),
        help="how they like to be kept up to date",
    )
    add.add_argument("--notes", default="", help="your notes about them (may span lines)")
    listing = person_command("list", "list people, with where they stand and what is open")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    show = person_command("show", "everything about one person")
    show.add_argument("name", metavar="NAME", help="who (a name prefix will do)")
    show.add_argument("--json", action="store_true", help="print a JSON object")
    stance = person_command("stance", "record that someone's stance changed, and why")
    stance.add_argument("name", metavar="NAME", help="who (a name prefix will do)")
    stance.add_argument("stance", metavar="STANCE",
                        help="detractor, skeptic, neutral, supporter or promoter")
    stance.add_argument("--reason", nargs="+", required=True, help="what moved it")
    goal = person_command("goal", "add one of their goals, with milestones (= goal add)")
    people.goal_arguments(goal)
    people.person_edit_arguments(person_command("edit", "change what you know about someone"))
    people.trusts_arguments(person_command("trusts", "note whom someone trusts (or --remove)"))


# commitments ----------------------------------------------------------------------------------


def _commitment(command: Command) -> None:
    commitment = command("commitment", "what you do to serve someone's goals")
    commitment_sub = commitment.add_subparsers(
        dest="commitment_command", metavar="ACTION", parser_class=Parser, required=True
    )
    c_add: Parser = commitment_sub.add_parser("add", help="add a commitment")
    _common(c_add)
    c_add.add_argument("name", metavar="NAME", help="whom it serves")
    c_add.add_argument("text", nargs="+", metavar="TEXT", help="what you commit to")
    c_add.add_argument("--goal", default="", help="which of their goals it serves")
    c_add.add_argument("--measure", default="", help="how progress is measured")
    c_add.add_argument("--milestone", action="append", default=[], metavar="NAME@WHEN",
                       help='a milestone and its date, e.g. "first review@dec 4" (repeatable)')
    c_list: Parser = commitment_sub.add_parser("list", help="list commitments")
    _common(c_list)
    c_list.add_argument("--to", metavar="NAME", help="only commitments to this person")
    c_list.add_argument("--json", action="store_true", help="print a JSON array")
    for name, help_text, add_arguments in people.COMMITMENT_ACTIONS:
        action: Parser = commitment_sub.add_parser(name, help=help_text, description=help_text)
        _common(action)
        add_arguments(action)


# promises -------------------------------------------------------------------------------------


def _promise(command: Command) -> None:
    promise = command("promise", "log a promise the moment it is made")
    promise.add_argument("text", nargs="+", metavar="TEXT", help="what you promised")
    promise.add_argument(
        "--to", required=True, metavar="NAME", help="to whom (a name prefix will do)"
    )
    promise.add_argument(
        "--due",
        nargs="+",
        metavar="WHEN",
        help='by when, in plain words: "fri 5pm", "tomorrow", "eod", "in 3 days"',
    )
    promise.add_argument(
        "--every",
        nargs="+",
        metavar="RULE",
        help='a promise that repeats, instead of --due: "mon 10am", "weekday 9am", '
        '"2 weeks on fri 5pm", "month on the last day"',
    )
    promise.add_argument("--until", nargs="+", metavar="WHEN",
                         help="with --every: no occurrence after this")
    promise.add_argument("--times", type=_positive, metavar="N",
                         help="with --every: how many occurrences in all")
    promise.add_argument(
        "--made", nargs="+", metavar="WHEN", help="when it was made, to back-fill one made earlier"
    )
    promise.add_argument("--commitment", type=int, metavar="ID", help="the commitment it serves")


def _list(command: Command) -> None:
    lister = command("list", "the promise ledger (open promises by default)")
    which = lister.add_mutually_exclusive_group()
    which.add_argument("--open", dest="which", action="store_const", const="open",
                       help="open promises (the default)")
    which.add_argument("--overdue", dest="which", action="store_const", const="overdue",
                       help="only open promises past their due time")
    which.add_argument("--all", dest="which", action="store_const", const="all",
                       help="every promise, kept, renegotiated, released and broken too")
    lister.add_argument("--to", metavar="NAME", help="only promises to this person")
    lister.add_argument("--json", action="store_true", help="print a JSON array")


def _due(command: Command) -> None:
    due = command("due", "what is overdue, then what is due today")
    due.add_argument("--json", action="store_true",
                     help="print a JSON object: overdue, due_today, checkins")
    due.add_argument(
        "--check", action="store_true", help="exit with status 1 if anything is overdue"
    )


def _kept(command: Command) -> None:
    kept = command("kept", "mark a promise kept (on time or late is worked out)")
    kept.add_argument("id", type=_promise_id, metavar="ID", help="the promise's number, e.g. 12")
    kept.add_argument("--at", nargs="+", metavar="WHEN", help="when it was kept (default: now)")


def _renegotiate(command: Command) -> None:
    renegotiate = command("renegotiate", "agree a new due time, ideally before it is due")
    renegotiate.add_argument("id", type=_promise_id, metavar="ID",
                             help="the promise's number, e.g. 12")
    renegotiate.add_argument("--due", required=True, nargs="+", metavar="WHEN",
                             help='the new due time, e.g. "next tue"')
    renegotiate.add_argument("--note", required=True, nargs="+", metavar="TEXT",
                             help="what you agreed, and why")


def _closing(name: str, help_text: str) -> Callable[[Command], None]:
    def add(command: Command) -> None:
        closing = command(name, help_text)
        closing.add_argument("id", type=_promise_id, metavar="ID",
                             help="the promise's number, e.g. 12")
        closing.add_argument("--note", required=True, nargs="+", metavar="TEXT",
                             help="what happened, in a few words")

    return add


def _log(command: Command) -> None:
    log = command("log", "a journal entry: check-in, apology, feedback, ...")
    log.add_argument("name", metavar="NAME", help="who it is about (a name prefix will do)")
    log.add_argument(
        "kind",
        metavar="KIND",
        help="check-in, update-sent, feedback-asked, feedback-received, feedback-acted-on, "
        "acknowledgement, apology, plan-shared, testimonial, going-first, "
        "empathy, contribution or note",
    )
    log.add_argument("text", nargs="+", metavar="TEXT", help="what happened, in your words")
    log.add_argument("--answers", type=int, metavar="ENTRY",
                     help="for feedback-acted-on: the feedback entry it answers (default: "
                     "their latest feedback nothing answers yet)")


def _demo(command: Command) -> None:
    demo = command("demo", "write a realistic sample journal (never over a journal of yours; "
                   "a sample that is there already is kept)")
    demo.add_argument("--open", action="store_true",
                      help="then open it in the app (a sample already there is opened as it is)")
    demo.add_argument(
        "--promises",
        type=_positive,
        default=None,
        metavar="N",
        help="how many promises (default: a small story, six people and a few weeks of promises)",
    )


# In the order `trustjournal --help` lists them.
_BUILDERS: dict[str, Callable[[Command], None]] = {
    "person": _person,
    "commitment": _commitment,
    "promise": _promise,
    "list": _list,
    "due": _due,
    "kept": _kept,
    "renegotiate": _renegotiate,
    "released": _closing("released", "they released you from a promise"),
    "broken": _closing("broken", "a promise you did not keep: say so honestly"),
    "log": _log,
    "demo": _demo,
    **people.BUILDERS,
    **series.BUILDERS,
    **care.BUILDERS,
    **manual.BUILDERS,
    **settings.BUILDERS,
}


def _promise_id(text: str) -> int:
    value = text.strip().lstrip("#")
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a promise id; use the number, e.g. 12")
    return int(value)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number, e.g. 500")
    return int(text)
