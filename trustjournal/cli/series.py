"""Recurring promises from the shell: `promise TEXT --to NAME --every RULE` starts a series;
`series list|show|edit|stop` look at one and change it as its own act.

Renegotiating, keeping or breaking one occurrence is the ordinary `renegotiate`, `kept` and
`broken` on its number: that moves or closes that one only. Keeping one makes the next in the
same write. The domain and storage modules are imported inside the commands: dateutil.rrule is
paid for only where a series is involved.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from trustjournal.domain.errors import InvalidInput

if TYPE_CHECKING:
    from trustjournal.cli.commands import Context
    from trustjournal.cli.parser import Command, Parser
    from trustjournal.domain.ledger import Ledger
    from trustjournal.domain.promise import Promise
    from trustjournal.domain.series import Rule, Series
    from trustjournal.storage.journal import Transaction

NONE_WORDS = frozenset({"none", "-", "never"})


# --- the grammar -------------------------------------------------------------------------------


def _series_id(text: str) -> int:
    value = text.strip().lstrip("#")
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a series id; use the number, e.g. 3")
    return int(value)


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="journal file (default: $TRUSTJOURNAL_DB, else the user data folder)")


def _series(command: Command) -> None:
    series = command("series", "recurring promises: list, show, change or stop a series")
    sub = series.add_subparsers(dest="series_command", metavar="ACTION", required=True,
                                parser_class=type(series))
    listing: Parser = sub.add_parser("list", help="the series, active ones first")
    listing.add_argument("--all", action="store_true", help="stopped and ended ones too")
    listing.add_argument("--to", metavar="NAME", help="only series to this person")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    show: Parser = sub.add_parser("show", help="one series: its rule, history and occurrences")
    show.add_argument("id", type=_series_id, metavar="ID", help="the series' number, e.g. 1")
    show.add_argument("--json", action="store_true", help="print a JSON object")
    edit: Parser = sub.add_parser(
        "edit", help="change the series from now on (one occurrence: renegotiate it instead)")
    edit.add_argument("id", type=_series_id, metavar="ID", help="the series' number, e.g. 1")
    edit.add_argument("--every", nargs="+", metavar="RULE", help='its new rule, e.g. "tue 9am"')
    edit.add_argument("--text", nargs="+", metavar="TEXT", help="what you promise each time")
    edit.add_argument("--until", nargs="+", metavar="WHEN", help='its end; "none" clears it')
    edit.add_argument("--times", metavar="N", help='occurrences in all; "none" clears it')
    stop: Parser = sub.add_parser("stop", help="stop a series (its history stays)")
    stop.add_argument("id", type=_series_id, metavar="ID", help="the series' number, e.g. 1")
    stop.add_argument("--note", required=True, nargs="+", metavar="TEXT", help="why it stops")
    for parser in (listing, show, edit, stop):
        _db(parser)


BUILDERS: dict[str, Callable[[Command], None]] = {"series": _series}


# --- starting one --------------------------------------------------------------------------------


def _rule(ctx: Context, words: list[str], until: list[str] | None, times: int | None) -> Rule:
    from dataclasses import replace

    from trustjournal.domain.series import parse_rule

    rule = parse_rule(" ".join(words), ctx.now, ctx.zone, end_of_day=ctx.settings.end_of_day,
                      week=ctx.settings.week)
    if until and times:
        raise InvalidInput("give --until or --times, not both")
    if until:
        end = ctx.when(until)
        if end <= ctx.now:
            raise InvalidInput(f"--until {ctx.show(end)} is already past; a series ends ahead")
        rule = replace(rule, until=end, count=None)
    if times:
        rule = replace(rule, count=times, until=None)
    return rule


def promise_every(ctx: Context) -> int:
    """`promise TEXT --to NAME --every RULE`: a series and its first occurrence."""
    from trustjournal.domain.series import SYMBOL, Series
    from trustjournal.storage.recurring import start_series

    a = ctx.args
    if a.due:
        raise InvalidInput("give --due for one promise or --every for one that repeats, not both")
    if a.made:
        raise InvalidInput("--made back-fills one promise; a series starts now")
    text = " ".join(" ".join(a.text).split())
    if not text:
        raise InvalidInput('the promise cannot be empty, e.g. trustjournal promise "status note" '
                           '--to Dana --every "mon 10am"')
    rule = _rule(ctx, a.every, a.until, a.times)
    with ctx.journal().transaction(ctx.now) as tx:
        person = tx.find_person(a.to)
        series, first = start_series(tx, Series.make(
            text=text, person_id=person.id, rule=rule, made_at=ctx.now, zone=ctx.zone,
            commitment_id=a.commitment), ctx.now)
    ctx.say(f"{SYMBOL} series #{series.id} to {person.name}, {series.describe()}; "
            f"first: #{first.id} due {ctx.show(first.due)}")
    return 0


def after_close(ctx: Context, tx: Transaction, promise: Promise) -> None:
    """Make the next occurrence once `promise` (of a series) is closed; say which it is."""
    from trustjournal.storage.records import SERIES
    from trustjournal.storage.recurring import advance_one

    assert promise.series_id is not None
    try:
        series = tx.get(SERIES, promise.series_id)
    except InvalidInput:
        return
    for made in advance_one(tx, series, ctx.now):
        ctx.followups.append(f"Next in the series: #{made.id} due {ctx.show(made.due)}.")


# --- looking at them -----------------------------------------------------------------------------


def series_json(series: Series, ledger: Ledger, now: object) -> dict[str, object]:
    """A series as export writes it (records.encode), plus what is derived from it now."""
    from datetime import datetime

    from trustjournal.domain.series import track_record
    from trustjournal.storage.codec import dump_time
    from trustjournal.storage.records import SERIES, encode

    assert isinstance(now, datetime)
    occurrences = ledger.occurrences(series.id)
    record = track_record(occurrences, now)
    nxt = ledger.promises.get(series.current) if series.current is not None else None
    return {
        **encode(SERIES, series),
        "to_name": ledger.name_of(series.person_id),
        "status": series.status.value,
        "rule_words": series.describe(),
        "next": series.current if nxt is not None and nxt.is_open else None,
        "next_due": dump_time(nxt.due) if nxt is not None and nxt.is_open else None,
        "occurrences": [p.id for p in occurrences],
        "on_time": record.on_time,
        "counted": record.counted,
    }


def _line(series: Series, ledger: Ledger, ctx: Context) -> str:
    from trustjournal.domain.series import SYMBOL, track_record
    from trustjournal.domain.text import visible

    state = "" if series.is_active else f" [{series.status.value}]"
    nxt = ledger.promises.get(series.current) if series.current is not None else None
    upcoming = (f"; next #{nxt.id} {ctx.show(nxt.due)}"
                if nxt is not None and nxt.is_open and series.is_active else "")
    record = track_record(ledger.occurrences(series.id), ctx.now).words()
    return (f"{SYMBOL} #{series.id}  {visible(ledger.name_of(series.person_id))}  "
            f"{visible(series.text)} — {series.describe()}{state}{upcoming}; {record}")


def series_list(ctx: Context) -> int:
    ledger = ctx.journal_now().load()
    items = sorted(ledger.series.values(), key=lambda s: (not s.is_active, s.id))
    if not ctx.args.all:
        items = [s for s in items if s.is_active]
    if ctx.args.to:
        person = ledger.find_person(ctx.args.to)
        items = [s for s in items if s.person_id == person.id]
    if ctx.args.json:
        ctx.print_json([series_json(s, ledger, ctx.now) for s in items])
        return 0
    if not items:
        ctx.say("No series yet. Start one: trustjournal promise \"status note\" --to Dana "
                "--every \"mon 10am\"" if not ledger.series else "No active series (--all "
                "shows stopped ones).")
    for s in items:
        ctx.say(_line(s, ledger, ctx))
    return 0


def series_show(ctx: Context) -> int:
    from trustjournal.cli import render
    from trustjournal.domain.text import visible

    ledger = ctx.journal_now().load()
    series = ledger.one_series(ctx.args.id)
    if ctx.args.json:
        ctx.print_json(series_json(series, ledger, ctx.now))
        return 0
    ctx.say(_line(series, ledger, ctx))
    for event in series.events:
        note = f" — {visible(event.note)}" if event.note else ""
        ctx.say(f"  {ctx.show(event.at)}  {event.kind.value}{note}")
    occurrences = ledger.occurrences(series.id)
    ctx.say("Occurrences:" if occurrences else "Occurrences: none")
    for line in render.promise_lines(occurrences, ledger, ctx.now, ctx.zone):
        ctx.say(f"  {line}")
    return 0


# --- changing them -------------------------------------------------------------------------------


def series_edit(ctx: Context) -> int:
    from dataclasses import replace

    from trustjournal.storage.records import PEOPLE, SERIES
    from trustjournal.storage.recurring import change_series

    a = ctx.args
    if not (a.every or a.text or a.until or a.times):
        raise InvalidInput("say what changes: --every RULE, --text TEXT, --until WHEN or "
                           "--times N; to move one occurrence only: trustjournal renegotiate ID")
    if a.until and a.times:
        raise InvalidInput("give --until or --times, not both")
    with ctx.journal().transaction(ctx.now) as tx:
        series = tx.get(SERIES, a.id)
        rule = series.rule
        if a.every:
            new = _rule(ctx, a.every, None, None)
            ends = new.until is not None or new.count is not None
            rule = new if ends else replace(new, until=rule.until, count=rule.count)
        if a.until:
            said = " ".join(a.until).strip().lower()
            end = None if said in NONE_WORDS else ctx.when(a.until)
            if end is not None and end <= ctx.now:
                raise InvalidInput(f"--until {ctx.show(end)} is already past; a series ends "
                                   "ahead")
            rule = replace(rule, until=end, count=None)
        if a.times:
            count = None if a.times.strip().lower() in NONE_WORDS else _count(a.times)
            rule = replace(rule, count=count, until=None)
        text = " ".join(a.text) if a.text else None
        changed, moved = change_series(tx, a.id, ctx.now, rule=rule, text=text)
        name = tx.get(PEOPLE, changed.person_id).name
    ctx.say(f"Series #{changed.id} to {name}: {changed.describe()}"
            + (f" — {changed.text}" if text else "") + ".")
    if moved is not None:
        ctx.say(f"The upcoming #{moved.id} follows it: due {ctx.show(moved.due)}.")
    for line in ctx.followups:
        ctx.say(line)
    return 0


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise InvalidInput(f'--times {text!r} is not a positive number, e.g. --times 6, or "none"')
    return int(text)


def series_stop(ctx: Context) -> int:
    from trustjournal.storage.records import PEOPLE
    from trustjournal.storage.recurring import stop_series

    note = " ".join(" ".join(ctx.args.note).split())
    with ctx.journal().transaction(ctx.now) as tx:
        stopped, released = stop_series(tx, ctx.args.id, ctx.now, note)
        name = tx.get(PEOPLE, stopped.person_id).name
    kept = f"{stopped.issued} occurrence{'' if stopped.issued == 1 else 's'}"
    ctx.say(f"Series #{stopped.id} to {name} stopped; its history ({kept}) stays in the "
            "ledger.")
    if released is not None:
        ctx.say(f"The upcoming #{released.id} ({ctx.show(released.due)}) is released.")
    return 0


COMMANDS: dict[str, Callable[[Context], int]] = {
    "series list": series_list,
    "series show": series_show,
    "series edit": series_edit,
    "series stop": series_stop,
}
