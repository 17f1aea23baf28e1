"""Knowing the person and aligning to their goals, from the shell (practices 1, 4 and 8).

`person edit`, `person trusts`, `goal add|edit|remove`, `milestone add|edit|reached|unreach|
remove` (of a goal, or of a commitment with --commitment), and `commitment done|drop|reopen|
edit`. Each change is one transaction and prints what it did in one line.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.person import KEEP, Goal, Keep, Milestone, Milestones, Person

if TYPE_CHECKING:
    from trustjournal.cli.commands import Context
    from trustjournal.cli.parser import Command, Parser
    from trustjournal.domain.commitment import Commitment
    from trustjournal.storage.journal import Transaction

NONE_WORDS = frozenset({"", "none", "-"})


# --- the grammar -----------------------------------------------------------------------------


def goal_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="whose goal (a name prefix will do)")
    parser.add_argument("goal", metavar="GOAL", help='e.g. "Project Foo ships in May"')
    parser.add_argument("--due", nargs="+", metavar="WHEN", help='when it is due, e.g. "may 30"')
    parser.add_argument("--milestone", action="append", default=[], metavar="NAME@WHEN",
                        help='a milestone and its date, e.g. "beta@jan 15" (repeatable)')


def person_edit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("person", metavar="NAME", help="who (a name prefix will do)")
    parser.add_argument("--name", help="their name as it should be")
    parser.add_argument("--role", help='their role, e.g. "Director of Platform"')
    parser.add_argument("--leader", metavar="LEADER",
                        help="who they answer to: a person in the journal (matched like --to) "
                        'or words; "none" clears it')
    parser.add_argument("--checkin", metavar="CADENCE",
                        help='how often they hear from you, e.g. "weekly on mon"; "none" clears')
    parser.add_argument("--prefers", choices=("meeting", "written"),
                        help="how they like to be kept up to date")
    parser.add_argument("--needs", metavar="TEXT", help="what they need from you")
    parser.add_argument("--notes", metavar="TEXT", help="your notes (replaces them)")


def trusts_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("person", metavar="NAME", help="the person who trusts")
    parser.add_argument("other", metavar="OTHER", help="the person they trust")
    parser.add_argument("--remove", action="store_true", help="they no longer trust them")


def _goal(command: Command) -> None:
    goal = command("goal", "their goals: add, rename, re-date, remove")
    sub = goal.add_subparsers(dest="goal_command", metavar="ACTION", required=True,
                              parser_class=type(goal))
    add: Parser = sub.add_parser("add", help="add one of their goals")
    goal_arguments(add)
    edit: Parser = sub.add_parser("edit", help="rename or re-date a goal")
    edit.add_argument("name", metavar="NAME", help="whose goal (a name prefix will do)")
    edit.add_argument("goal", metavar="GOAL", help="the goal as it is now (a prefix will do)")
    edit.add_argument("--to", dest="new_name", metavar="NEW", help="its new name")
    edit.add_argument("--due", nargs="+", metavar="WHEN", help='its new date; "none" clears')
    remove: Parser = sub.add_parser("remove", help="remove a goal and its milestones")
    remove.add_argument("name", metavar="NAME", help="whose goal (a name prefix will do)")
    remove.add_argument("goal", metavar="GOAL", help="the goal (a word of it will do)")
    for parser in (add, edit, remove):
        _common_db(parser)


def _milestone(command: Command) -> None:
    milestone = command("milestone", "milestones of a goal (or of a commitment)")
    sub = milestone.add_subparsers(dest="milestone_command", metavar="ACTION", required=True,
                                   parser_class=type(milestone))
    actions = {
        "add": "add a milestone",
        "edit": "rename or re-date a milestone",
        "reached": "mark a milestone reached",
        "unreach": "mark a milestone not reached after all",
        "remove": "remove a milestone",
    }
    for name, help_text in actions.items():
        parser: Parser = sub.add_parser(
            name, help=help_text, description=f"{help_text}: NAME GOAL MILESTONE, or "
            "--commitment ID MILESTONE")
        _common_db(parser)
        parser.add_argument("where", nargs="+", metavar="NAME GOAL MILESTONE",
                            help='e.g. dana "project foo" beta')
        parser.add_argument("--commitment", type=int, metavar="ID",
                            help="a milestone of this commitment instead of a goal")
        if name in ("add", "edit"):
            parser.add_argument("--due", nargs="+", metavar="WHEN",
                                help='its date, e.g. "jan 15"; "none" clears')
        if name == "edit":
            parser.add_argument("--to", dest="new_name", metavar="NEW", help="its new name")
        if name == "reached":
            parser.add_argument("--at", nargs="+", metavar="WHEN",
                                help="when it was reached (default: today)")


def _common_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="journal file (default: $TRUSTJOURNAL_DB, else the user data folder)")


def _commitment_id(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", type=int, metavar="ID", help="the commitment's number")


def _done_arguments(parser: argparse.ArgumentParser) -> None:
    _commitment_id(parser)
    parser.add_argument("--at", nargs="+", metavar="WHEN", help="when (default: now)")


def _drop_arguments(parser: argparse.ArgumentParser) -> None:
    _commitment_id(parser)
    parser.add_argument("--why", nargs="+", required=True, metavar="TEXT",
                        help="why it was dropped, in a few words")


def _progress_arguments(parser: argparse.ArgumentParser) -> None:
    _commitment_id(parser)
    parser.add_argument("text", nargs="+", metavar="TEXT",
                        help="what moved, against its measure, in a few words")


def _edit_arguments(parser: argparse.ArgumentParser) -> None:
    _commitment_id(parser)
    parser.add_argument("--text", nargs="+", metavar="TEXT", help="what you commit to")
    parser.add_argument("--goal", metavar="GOAL", help='which of their goals it serves; "none"')
    parser.add_argument("--measure", metavar="TEXT", help="how progress is measured")


COMMITMENT_ACTIONS: tuple[tuple[str, str, Callable[[argparse.ArgumentParser], None]], ...] = (
    ("done", "mark a commitment done", _done_arguments),
    ("drop", "drop a commitment, saying why", _drop_arguments),
    ("reopen", "make a done or dropped commitment active again", _commitment_id),
    ("edit", "change a commitment's text, goal or measure", _edit_arguments),
    ("progress", "note progress against a commitment's measure", _progress_arguments),
)

BUILDERS: dict[str, Callable[[Command], None]] = {"goal": _goal, "milestone": _milestone}


# --- helpers ---------------------------------------------------------------------------------


def _day(ctx: Context, words: list[str] | None, *, prefer: str = "future") -> date | None | Keep:
    """A calendar date from plain words; KEEP when not given, None for "none"."""
    if words is None:
        return KEEP
    text = " ".join(words).strip()
    if text.casefold() in NONE_WORDS:
        return None
    return ctx.when(text, prefer=prefer).astimezone(ctx.zone).date()


def _shown_day(day: date | None) -> str:
    return day.isoformat() if day else "no date"


def milestone_state(m: Milestone) -> str:
    if m.reached:
        return f"reached {m.reached.isoformat()}"
    return m.due.isoformat() if m.due else "no date"


# --- people ----------------------------------------------------------------------------------


def person_edit(ctx: Context) -> int:
    from trustjournal.domain.cadence import parse_cadence
    from trustjournal.domain.person import UpdatePreference, clean_name

    a = ctx.args
    changed: list[str] = []
    with ctx.journal().transaction(ctx.now) as tx:
        person = tx.find_person(a.person)
        updated = person
        if a.name is not None:
            updated = replace(updated, name=clean_name(a.name))
            changed.append("name")
        for field in ("role", "needs", "notes"):
            value = getattr(a, field)
            if value is not None:
                updated = replace(updated, **{field: value.strip()})
                changed.append(field)
        if a.leader is not None:
            updated = with_leader(tx, updated, a.leader)
            changed.append("leader")
        if a.checkin is not None:
            cadence = " ".join(a.checkin.split())
            if cadence.casefold() in NONE_WORDS:
                cadence = ""
            elif cadence:
                parse_cadence(cadence)
            updated = replace(updated, checkin=cadence, checkin_moved_to=None)
            changed.append("check-in")
        if a.prefers is not None:
            updated = replace(updated, prefers=UpdatePreference.parse(a.prefers))
            changed.append("updates by")
        if not changed:
            raise InvalidInput("say what to change, e.g. trustjournal person edit dana --role "
                               '"VP Platform"')
        tx.save(updated)
    ctx.say(f"Updated {updated.name}: {', '.join(changed)}.")
    return 0


def with_leader(tx: Transaction, person: Person, words: str) -> Person:
    """A leader who is in the journal becomes a link; anyone else stays as words."""
    from trustjournal.domain.errors import UnknownPerson

    text = " ".join(words.split())
    if text.casefold() in NONE_WORDS:
        return replace(person, leader="", leader_id=None)
    try:
        leader = tx.find_person(text)
    except UnknownPerson:
        return replace(person, leader=text, leader_id=None)
    if leader.id == person.id:
        raise InvalidInput(f"{person.name} cannot be their own leader")
    return replace(person, leader="", leader_id=leader.id)


def person_trusts(ctx: Context) -> int:
    with ctx.journal().transaction(ctx.now) as tx:
        person = tx.find_person(ctx.args.person)
        other = tx.find_person(ctx.args.other)
        if ctx.args.remove:
            tx.save(person.not_trusting(other.id))
        else:
            tx.save(person.trusting(other.id))
    verb = "no longer trusts" if ctx.args.remove else "trusts"
    ctx.say(f"{person.name} {verb} {other.name}.")
    return 0


# --- goals -------------------------------------------------------------------------------------


def milestones_from(ctx: Context, specs: list[str]) -> tuple[Milestone, ...]:
    """`--milestone NAME@WHEN` values as milestones."""
    milestones = []
    for spec in specs:
        name, sep, when = spec.rpartition("@")
        if not sep or not name.strip() or not when.strip():
            raise InvalidInput(f'milestone "{spec}" needs a name and a date, e.g. "beta@jan 15"')
        milestones.append(
            Milestone(" ".join(name.split()), ctx.when(when).astimezone(ctx.zone).date())
        )
    return tuple(milestones)


def goal_add(ctx: Context) -> int:
    name = " ".join(ctx.args.goal.split())
    if not name:
        raise InvalidInput('a goal needs words, e.g. "Project Foo ships in May"')
    milestones = milestones_from(ctx, ctx.args.milestone)
    due = _day(ctx, ctx.args.due)
    with ctx.journal().transaction(ctx.now) as tx:
        person = tx.find_person(ctx.args.name)
        goal = Goal(name, milestones, None if isinstance(due, Keep) else due)
        tx.save(person.with_goal(goal))
    ctx.say(
        f'Added goal "{name}" for {person.name}'
        + (f" with {len(milestones)} milestone(s)." if milestones else ".")
    )
    return 0


def goal_edit(ctx: Context) -> int:
    a = ctx.args
    due = _day(ctx, a.due)
    if a.new_name is None and isinstance(due, Keep):
        raise InvalidInput('say what to change, e.g. trustjournal goal edit dana foo --due '
                           '"jun 30"')
    with ctx.journal().transaction(ctx.now) as tx:
        person = tx.find_person(a.name)
        old = person.goals[person.goal_index(a.goal)]
        updated, goal = person.with_goal_changed(a.goal, name=a.new_name, due=due)
        tx.save(updated)
    said = []
    if goal.name != old.name:
        said.append(f'renamed "{goal.name}"')
    if not isinstance(due, Keep):
        said.append(f"due {_shown_day(goal.due)}")
    ctx.say(f'Goal "{old.name}" of {person.name}: {", ".join(said) or "unchanged"}.')
    return 0


def goal_remove(ctx: Context) -> int:
    with ctx.journal().transaction(ctx.now) as tx:
        person = tx.find_person(ctx.args.name)
        updated, goal = person.without_goal(ctx.args.goal)
        tx.save(updated)
    ctx.say(f'Removed goal "{goal.name}" ({len(goal.milestones)} milestone(s)) from '
            f"{person.name}.")
    return 0


# --- milestones ----------------------------------------------------------------------------------


def milestone(ctx: Context) -> int:
    a = ctx.args
    action = a.milestone_command
    where = [" ".join(w.split()) for w in a.where]
    wanted = 1 if a.commitment is not None else 3
    if len(where) != wanted:
        shape = ("--commitment ID MILESTONE" if a.commitment is not None
                 else "NAME GOAL MILESTONE")
        raise InvalidInput(f"milestone {action} takes {shape}, e.g. trustjournal milestone "
                           f'{action} dana "project foo" beta')
    query = where[-1]
    with ctx.journal().transaction(ctx.now) as tx:
        if a.commitment is not None:
            from trustjournal.storage.records import COMMITMENTS

            commitment = tx.get(COMMITMENTS, a.commitment)
            owner = f"commitment #{commitment.id}"
            items, changed = _milestone_change(ctx, commitment.milestones, query, owner)
            tx.save(replace(commitment, milestones=items))
        else:
            person = tx.find_person(where[0])
            goal = person.goals[person.goal_index(where[1])]
            owner = f'the goal "{goal.name}"'
            items, changed = _milestone_change(ctx, goal.milestones, query, owner)
            tx.save(person.with_goal_milestones(goal.name, items))
    verbs = {"add": "added", "edit": "changed", "reached": "reached", "unreach": "not reached",
             "remove": "removed"}
    detail = ""
    if action == "reached":
        detail = f" on {_shown_day(changed.reached)}"
    elif action in ("add", "edit"):
        detail = f" (due {_shown_day(changed.due)})"
    ctx.say(f'Milestone "{changed.name}" of {owner}: {verbs[action]}{detail}.')
    return 0


def _milestone_change(ctx: Context, items: tuple[Milestone, ...], query: str, owner: str
                      ) -> tuple[tuple[Milestone, ...], Milestone]:
    a = ctx.args
    action = a.milestone_command
    if action == "add":
        due = _day(ctx, a.due)
        added = Milestone(query, None if isinstance(due, Keep) else due)
        items = Milestones.added(items, added, owner)
        return items, items[-1]
    if action == "remove":
        return Milestones.removed(items, query, owner)
    if action == "reached":
        at = _day(ctx, a.at, prefer="past")
        day = ctx.now.astimezone(ctx.zone).date() if isinstance(at, Keep) or at is None else at
        if day > ctx.now.astimezone(ctx.zone).date():
            raise InvalidInput("--at is in the future; it says when the milestone was reached")
        return Milestones.changed(items, query, owner, reached=day)
    if action == "unreach":
        return Milestones.changed(items, query, owner, reached=None)
    return Milestones.changed(items, query, owner, name=a.new_name, due=_day(ctx, a.due))


# --- commitments ---------------------------------------------------------------------------------


def _commitment_change(ctx: Context, change: Callable[[Commitment], Commitment]) -> Commitment:
    from trustjournal.storage.records import COMMITMENTS

    with ctx.journal().transaction(ctx.now) as tx:
        commitment = change(tx.get(COMMITMENTS, ctx.args.id))
        tx.save(commitment)
    return commitment


def commitment_done(ctx: Context) -> int:
    at = ctx.when(ctx.args.at, prefer="past") if ctx.args.at else ctx.now
    if at > ctx.now:
        raise InvalidInput("--at is in the future; it says when the commitment was done")
    done = _commitment_change(ctx, lambda c: c.done(at))
    ctx.say(f"Commitment #{done.id} done: {done.text}")
    return 0


def commitment_drop(ctx: Context) -> int:
    why = " ".join(ctx.args.why)
    dropped = _commitment_change(ctx, lambda c: c.dropped(ctx.now, why))
    ctx.say(f"Commitment #{dropped.id} dropped ({dropped.why}): {dropped.text}")
    return 0


def commitment_reopen(ctx: Context) -> int:
    reopened = _commitment_change(ctx, lambda c: c.reopened())
    ctx.say(f"Commitment #{reopened.id} is active again: {reopened.text}")
    return 0


def commitment_progress(ctx: Context) -> int:
    text = " ".join(ctx.args.text)
    noted = _commitment_change(ctx, lambda c: c.with_progress(ctx.now, text))
    against = f" (measured by {noted.measure})" if noted.measure else ""
    ctx.say(f"Progress on commitment #{noted.id}{against}: {noted.progress[-1].text}")
    return 0


def commitment_edit(ctx: Context) -> int:
    from trustjournal.storage.records import COMMITMENTS

    a = ctx.args
    changed: list[str] = []
    with ctx.journal().transaction(ctx.now) as tx:
        commitment = tx.get(COMMITMENTS, a.id)
        if a.text is not None:
            text = " ".join(" ".join(a.text).split())
            if not text:
                raise InvalidInput('a commitment needs words, e.g. --text "weekly risk review"')
            commitment = replace(commitment, text=text)
            changed.append("text")
        if a.goal is not None:
            goal = ""
            if a.goal.strip().casefold() not in NONE_WORDS:
                from trustjournal.storage.records import PEOPLE

                person = tx.get(PEOPLE, commitment.person_id)
                goal = person.goals[person.goal_index(a.goal)].name
            commitment = replace(commitment, goal=goal)
            changed.append("goal")
        if a.measure is not None:
            commitment = replace(commitment, measure=" ".join(a.measure.split()))
            changed.append("measure")
        if not changed:
            raise InvalidInput('say what to change, e.g. trustjournal commitment edit 2 --measure '
                               '"p95 latency under 200 ms"')
        tx.save(commitment)
    ctx.say(f"Commitment #{commitment.id} updated: {', '.join(changed)}.")
    return 0


COMMANDS: dict[str, Callable[[Context], int]] = {
    "person edit": person_edit,
    "person trusts": person_trusts,
    "goal add": goal_add,
    "goal edit": goal_edit,
    "goal remove": goal_remove,
    **{f"milestone {action}": milestone
       for action in ("add", "edit", "reached", "unreach", "remove")},
    "commitment done": commitment_done,
    "commitment drop": commitment_drop,
    "commitment reopen": commitment_reopen,
    "commitment edit": commitment_edit,
    "commitment progress": commitment_progress,
}
