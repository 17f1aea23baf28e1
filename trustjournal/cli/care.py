"""Commands for keeping people in the loop and looking after the journal itself.

update, brief, export, repair, insights (practices 3, 6, 11), and doctor, restore (the journal's
own health). Kept apart from the daily-capture commands so that capture stays lean.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from trustjournal.domain.errors import InvalidInput

if TYPE_CHECKING:
    from trustjournal.cli.commands import Context
    from trustjournal.cli.parser import Command, Parser


def _json(parser: Parser, shape: str) -> None:
    parser.add_argument("--json", action="store_true", help=f"print JSON: {shape}")


def _update(command: Command) -> None:
    update = command("update", "draft the fifteen-second update for a person")
    update.add_argument("name", metavar="NAME", help="for whom (a name prefix will do)")
    update.add_argument("--since", nargs="+", metavar="WHEN",
                        help="what counts as new (default: since the last update or check-in)")
    update.add_argument("--sent", action="store_true",
                        help="also log that you sent it (resets their check-in clock)")
    _json(update, "an object: person, text, words, fits, sent")


def _brief(command: Command) -> None:
    brief = command("brief", "Markdown for the ten-minute check-in with a person")
    brief.add_argument("name", metavar="NAME", help="with whom (a name prefix will do)")
    _json(brief, "an object: person, name, markdown")


def _export(command: Command) -> None:
    export = command("export", "everything, or the ledger, as json, csv, md or ics")
    export.add_argument("--format", required=True, choices=("json", "csv", "md", "ics"),
                        help="json (everything, for import), csv (the ledger), md (a report) "
                        "or ics (a calendar)")
    export.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")


def _repair(command: Command) -> None:
    repair = command("repair", "face a breach: name it and its cause; entries tick the steps")
    repair.add_argument("name", metavar="NAME", help="with whom (a name prefix will do)")
    repair.add_argument("breach", nargs="+", metavar="TEXT", help="what happened, plainly")
    repair.add_argument("--cause", metavar="CAUSE",
                        help="communication, expectations, culture, personality, competence "
                        "or judgement")
    repair.add_argument("--promise", type=int, metavar="ID", help="the promise that was broken")
    repair.add_argument("--at", nargs="+", metavar="WHEN", help="when it happened (default: now)")


def _insights(command: Command) -> None:
    insights = command("insights", "what keeps breaking, across everyone")
    _json(insights, "an object: follow_through, causes, failing_kinds, late_renegotiations")


def _doctor(command: Command) -> None:
    doctor = command("doctor", "check the journal; --fix mends it after making a backup")
    doctor.add_argument("--fix", action="store_true", help="mend what it can, after a backup")
    _json(doctor, "an object: path, healthy, problems, fixed, backup")


def _import(command: Command) -> None:
    imported = command("import", "read a JSON export into a new or empty journal")
    imported.add_argument("file", metavar="FILE", help="a file written by export --format json")


def _restore(command: Command) -> None:
    restore = command("restore", "list backups, or restore one (the current file is kept)")
    restore.add_argument("backup", nargs="?", metavar="BACKUP",
                         help="a date from the list (e.g. 2026-11-24), a backup's path, or a "
                         "JSON export")
    _json(restore, "the backups as an array (or what was restored, as an object)")


def _review(command: Command) -> None:
    command("review", "open the app on the daily review")


BUILDERS: dict[str, Callable[[Command], None]] = {
    "update": _update,
    "brief": _brief,
    "export": _export,
    "repair": _repair,
    "insights": _insights,
    "doctor": _doctor,
    "import": _import,
    "restore": _restore,
    "review": _review,
}


def update(ctx: Context) -> int:
    from trustjournal.domain.entry import Entry, EntryKind
    from trustjournal.domain.update import compose_update

    ledger = ctx.journal_now().load()
    person = ledger.find_person(ctx.args.name)
    since = ctx.when(ctx.args.since, prefer="past") if ctx.args.since else None
    draft = compose_update(ledger, person.id, ctx.now, ctx.zone, since=since,
                           budget=ctx.settings.update_words)
    if ctx.args.sent:
        with ctx.journal().transaction(ctx.now) as tx:
            tx.add(Entry(0, person.id, EntryKind.UPDATE_SENT, draft.text, ctx.now))
    if ctx.args.json:
        ctx.print_json({"person": person.id, "name": person.name, "text": draft.text,
                        "words": draft.words, "budget": draft.budget, "fits": draft.fits,
                        "sent": bool(ctx.args.sent)})
        return 0
    ctx.say(draft.text)
    verdict = ("fits the fifteen-second budget" if draft.fits
               else f"over the {draft.budget}-word budget: cut it before sending")
    ctx.say_err(f"({draft.words} words; {verdict})")
    if ctx.args.sent:
        ctx.say_err(f"Logged the update as sent to {person.name}.")
    return 0


def brief(ctx: Context) -> int:
    from trustjournal.domain.brief import compose_brief

    ledger = ctx.journal_now().load()
    person = ledger.find_person(ctx.args.name)
    markdown = compose_brief(ledger, person.id, ctx.now, ctx.zone)
    if ctx.args.json:
        ctx.print_json({"person": person.id, "name": person.name, "markdown": markdown})
    else:
        ctx.write(markdown)
    return 0


def export(ctx: Context) -> int:
    from pathlib import Path

    from trustjournal.export import export as render
    from trustjournal.storage.atomic import atomic_write

    if ctx.args.format == "json":
        import json

        from trustjournal.domain.text import json_text

        document = ctx.journal_now().export_document(ctx.now)
        text = json_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        text = render(ctx.journal_now().load(), ctx.args.format, ctx.now, ctx.zone,
                      reminder=ctx.settings.reminder)
    if not ctx.args.output or ctx.args.output == "-":
        (ctx.write_json if ctx.args.format == "json" else ctx.write)(text)
        return 0
    target = Path(ctx.args.output).expanduser()
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder; name a file, e.g. -o ~/trust.{ctx.args.format}")
    try:
        atomic_write(target, text.encode())
    except OSError as error:
        raise InvalidInput(f"could not write {target}: {error.strerror or error}") from None
    ctx.say(f"Wrote {target}")
    return 0


def repair(ctx: Context) -> int:
    from trustjournal.domain.repair import Cause, Repair
    from trustjournal.storage.records import PROMISES

    text = " ".join(" ".join(ctx.args.breach).split())
    if not text:
        raise InvalidInput('say what happened, e.g. trustjournal repair Marcus "dropped the '
                           'hand-off" --cause communication')
    cause = Cause.parse(ctx.args.cause) if ctx.args.cause else None
    at = ctx.when(ctx.args.at, prefer="past") if ctx.args.at else ctx.now
    with ctx.journal().transaction(ctx.now) as tx:
        person = tx.find_person(ctx.args.name)
        if ctx.args.promise is not None:
            promise = tx.get(PROMISES, ctx.args.promise)
            if promise.person_id != person.id:
                raise InvalidInput(f"promise #{promise.id} was made to someone else")
        added = tx.add(Repair(0, person.id, text, at, cause, ctx.args.promise))
    ctx.say(f"Repair #{added.id} for {person.name}: {text}"
            + (f" (cause: {cause.value})" if cause else " (no cause named yet)"))
    ctx.say("Steps tick themselves as you log them: "
            f'trustjournal log "{person.name}" acknowledgement|apology|plan-shared|'
            'feedback-asked "..."')
    return 0


def insights(ctx: Context) -> int:
    from trustjournal.domain.insights import insights as find
    from trustjournal.domain.record import percent, track_record

    ledger = ctx.journal_now().load()
    found = find(ledger, list(ledger.repairs.values()))
    record = track_record(list(ledger.promises.values()), ctx.now)
    if ctx.args.json:
        ctx.print_json({
            "follow_through": {"last_30": record.last_30, "last_90": record.last_90,
                               "streak": record.streak, "weekly": record.spark},
            "causes": [{"cause": cause.value, "count": count} for cause, count in found.causes],
            "failing_kinds": [{"kind": k.kind, "closed": k.closed, "failed": k.failed}
                              for k in found.failing_kinds],
            "late_renegotiations": [{"person": person_id, "name": ledger.name_of(person_id),
                                     "count": count}
                                    for person_id, count in found.late_renegotiations],
        })
        return 0
    ctx.say(f"Follow-through: last 30 days {percent(record.last_30)}, last 90 days "
            f"{percent(record.last_90)}; on-time streak {record.streak}; "
            f"weekly |{record.spark}|")
    ctx.say("Causes of breaches:" if found.causes else "Causes of breaches: none named yet.")
    for cause, count in found.causes:
        ctx.say(f"  {count} × {cause.value}")
    ctx.say("Kinds of promise that keep failing:" if found.failing_kinds
            else "Kinds of promise that keep failing: none.")
    for kind in found.failing_kinds:
        ctx.say(f'  {kind.failed} of {kind.closed} "{kind.kind}" promises broken or late')
    ctx.say("Renegotiated after the due time:" if found.late_renegotiations
            else "Renegotiated after the due time: never.")
    for person_id, count in found.late_renegotiations:
        ctx.say(f"  {count} × with {ledger.name_of(person_id)}")
    return 0


def doctor(ctx: Context) -> int:
    import os

    from trustjournal.storage.doctor import diagnose

    journal = ctx.journal()
    data = journal.read_data()  # a file that can't be parsed raises its own named error here
    if data is None:
        if ctx.args.json:
            ctx.print_json({"path": str(journal.path), "exists": False, "healthy": True,
                            "problems": [], "fixed": [], "backup": None})
        else:
            ctx.say(f"No journal at {journal.path} yet; nothing to check.")
        return 0
    problems = diagnose(data, journal.path)
    done: list[str] = []
    backup = None
    left = problems
    if problems and ctx.args.fix:
        done, backup = journal.mend(ctx.now, ctx.zone)
        if any(p.where == "file" and "mode" in p.what for p in problems):
            os.chmod(journal.path, 0o600)
            done.append("made the file readable by you only")
            ctx.warning = ""  # mended: the loose-permissions warning no longer applies
        left = diagnose(journal.read_data() or {}, journal.path)
    if ctx.args.json:
        ctx.print_json({
            "path": str(journal.path), "exists": True, "healthy": not left,
            "records": journal.record_count(),
            "problems": [{"where": p.where, "what": p.what, "fix": p.fix or None}
                         for p in problems],
            "fixed": done, "backup": str(backup) if backup else None,
            "left": [{"where": p.where, "what": p.what} for p in left] if ctx.args.fix else None,
        })
        return 1 if left else 0
    if not problems:
        ctx.say(f"{journal.path}: healthy ({journal.record_count()} records checked).")
        return 0
    for problem in problems:
        ctx.say(f"- {problem.where}: {problem.what}"
                + (f" [--fix: {problem.fix}]" if problem.fix else " [mend by hand]"))
    if not ctx.args.fix:
        ctx.say(f"{len(problems)} problem(s). Nothing was changed; run with --fix to mend.")
        return 1
    for line in done:
        ctx.say(f"  fixed: {line}")
    if backup is not None:
        ctx.say(f"Backup of the journal before mending: {backup}")
    if left:
        ctx.say(f"{len(left)} problem(s) need mending by hand.")
        return 1
    return 0


def import_(ctx: Context) -> int:
    from pathlib import Path

    source = Path(ctx.args.file).expanduser()
    journal = ctx.journal()
    count = journal.import_export(source, ctx.now)
    ctx.say(f"Imported {count} records from {source} into {journal.path}")
    return 0


def restore(ctx: Context) -> int:
    import os
    from pathlib import Path

    from trustjournal.storage.backup import list_backups, read_backup

    journal = ctx.journal()
    backups = list_backups(journal.path)
    if not ctx.args.backup:
        if ctx.args.json:
            ctx.print_json([{"label": b.label, "day": b.day.isoformat(), "size": b.size,
                             "path": str(b.path)} for b in backups])
            return 0
        if not backups:
            ctx.say("No backups yet: one is made before the first change of each day.")
            return 0
        ctx.say(f"Backups of {journal.path}, newest first:")
        for b in backups:
            ctx.say(f"  {b.label:<24} {b.size:>10,} bytes  {b.path}")
        ctx.say("Restore one with: trustjournal restore DATE")
        return 0
    wanted = ctx.args.backup
    chosen = next((b for b in backups if b.label == wanted or str(b.path) == wanted), None)
    source = chosen.path if chosen else Path(wanted).expanduser()
    if not os.path.lexists(source):
        known = ", ".join(b.label for b in backups) or "none yet"
        raise InvalidInput(f'no backup "{wanted}" (backups: {known})')
    # Never through a link, never a FIFO, never another user's file: a planted "backup"
    # must not become your journal.
    raw = read_backup(source)
    kept = journal.restore_from(source, raw, ctx.now, ctx.zone)
    if ctx.args.json:
        ctx.print_json({"restored": str(journal.path), "from": str(source),
                        "kept": str(kept) if kept else None})
        return 0
    if kept is not None:
        ctx.say(f"Kept the current journal as {kept}")
    ctx.say(f"Restored {journal.path} from {source}")
    return 0


def review(ctx: Context) -> int:
    from trustjournal.cli.commands import need_terminal

    need_terminal(ctx, "the daily review")
    from trustjournal.tui import launch

    return launch(ctx.journal_now(), zone=ctx.zone, review=True, clock=ctx.pinned_clock(),
                  config=ctx.config)


COMMANDS = {
    "update": update,
    "brief": brief,
    "export": export,
    "repair": repair,
    "insights": insights,
    "doctor": doctor,
    "import": import_,
    "restore": restore,
    "review": review,
}
