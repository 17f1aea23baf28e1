"""The manual inside the product: `trustjournal help [TOPIC]` and `trustjournal completion SHELL`.

Topics that list words the journal understands (kinds, causes, stances) are written from the
domain's own enums, and the credit rules from the track record's docstring, so the manual
cannot drift from what the code accepts. Completion scripts are generated from the parser.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from trustjournal.domain.errors import InvalidInput

if TYPE_CHECKING:
    from trustjournal.cli.commands import Context
    from trustjournal.cli.parser import Command


DATES = """\
Dates in plain words, anywhere a time is asked for (--due, --at, --made, --until, ...):

  today, tonight, eod            today, at the end of the working day (17:00)
  tomorrow, tomorrow 9:30am      the next day
  mon ... sun, fri 5pm           the next one; on that day itself, today until its time passed
  next fri, this fri             Friday of next week; Friday of this week
  in 3 days, in 2 weeks, in 4 hours
  eow, eom                       end of the week (Friday), end of the month
  dec 5, 5 dec 2027, 2026-12-05, 2026-12-05 14:00
  5pm, 17:00, noon, midnight     midnight is 23:59, the end of that day

A date without a time means the end of the working day, 17:00. Times are in your local zone
(TRUSTJOURNAL_TZ, else TZ, else the system's); the journal stores the UTC instant and the zone
name. A wall time skipped by a daylight-saving change moves forward by the gap (02:30 -> 03:30);
one that happens twice means the first.

  trustjournal promise send the Q3 numbers --to dana --due fri 5pm
"""

CADENCES = """\
How often someone should hear from you (person add/edit --checkin):

  daily, weekly, biweekly, monthly, quarterly
  every N days, every N weeks, every N months
  ... each optionally "on mon" ... "on sun": weekly on mon, every 2 weeks on thu

A check-in is due a cadence after your last contact with them (a check-in or an update sent);
`due` and the daily review flag it when it is due or missed.

  trustjournal person edit dana --checkin "weekly on mon"
"""

FILES = """\
Where things live:

  the journal     ~/.local/share/trustjournal/journal.json on Linux (the user data folder);
                  --db PATH or TRUSTJOURNAL_DB points at another file. Folder 0700, file 0600.
  the lock        journal.json.lock beside it: the app and any number of shell commands can
                  write at once, each change re-reads the file inside the lock.
  backups         backups/ beside it: the journal as it was before each day's first change,
                  the last seven days. trustjournal restore lists and restores them.
  exports         trustjournal export --format json|csv|md|ics [-o FILE]; a JSON export is
                  read back by trustjournal import FILE (into an empty journal) or restore FILE.

Every change is atomic and durable: a crash or a full disk leaves the previous journal. A file
that is not a journal is reported by name and never written over. trustjournal doctor checks
the journal and --fix mends it after a backup, never deleting anything.
"""

METHOD = """\
The method trustjournal supports: earning back trust at work, one practice at a time.

  1  Know the person       what their leader asks of them, their goals and milestones,
                           what they need from you.           person add/edit, goal, milestone
  2  Know where you stand  detractor -> skeptic -> neutral -> supporter -> promoter, with
                           when and why it moved.              person stance
  3  Face it head-on       name the breach, own it, apologise without excuses, find the root
                           cause, share the plan.             repair; log ... acknowledgement,
                                                               apology, plan-shared
  4  Align to their goals  commit to what serves what they must deliver, with milestones and
                           a measure.                          commitment add, milestone
  5  Keep every promise    log each one as it is made; if you can't keep it, say so before it
                           is due.                             promise, kept, renegotiate
  6  No surprises          a regular check-in, or an update they can read in fifteen seconds.
                                                               --checkin, update, brief
  7  Ask for feedback      ask, take it seriously, show what changed.
                                                               log ... feedback-asked|received
  8  Borrow trust          note whom they trust; collect testimonials; meet their leader after
                           a milestone.                        person trusts, log ... testimonial
  9  Go first, empathy     the first candid remark; one small thing for them each day.
                                                               log ... going-first|empathy
  10 Give it time          a new track record comes only from consistent action.
                                                               insights, the daily review
  11 Look at yourself      which causes and kinds of promise keep failing, across everyone.
                                                               insights

Three daily moments: log a promise the moment it is made; mark follow-through with one key;
a short daily review (trustjournal review, or d in the app). Overdue is shown clearly, never
hidden. Everything stays in one file on your machine.
"""


def _kinds() -> str:
    from trustjournal.domain.entry import EntryKind

    lines = [f"  {kind.value}" for kind in EntryKind]
    return ("Kinds of journal entry (trustjournal log NAME KIND TEXT; a unique start will do):\n"
            + "\n".join(lines)
            + "\n\n  trustjournal log dana apology \"for going silent on the export\"\n")


def _causes() -> str:
    from trustjournal.domain.repair import Cause, RepairStep

    causes = "\n".join(f"  {cause.value}" for cause in Cause)
    steps = "\n".join(f"  {step.value}" for step in RepairStep)
    return (f"Root causes of a breach (repair ... --cause; a word of one will do):\n{causes}\n\n"
            f"The steps of a repair, ticked by the journal entries you log:\n{steps}\n\n"
            "  trustjournal repair marcus \"dropped the hand-off\" --cause communication\n")


def _credit() -> str:
    from trustjournal.domain import record
    from trustjournal.domain.stance import Stance

    stances = " -> ".join(stance.value for stance in Stance)
    return (f"{(record.__doc__ or '').strip()}\n\nStances, one step at a time: {stances}\n")


TOPICS: dict[str, Callable[[], str]] = {
    "dates": lambda: DATES,
    "cadences": lambda: CADENCES,
    "kinds": _kinds,
    "causes": _causes,
    "credit": _credit,
    "files": lambda: FILES,
    "method": lambda: METHOD,
}


def _help(command: Command) -> None:
    helper = command("help", "the manual: trustjournal help dates|cadences|kinds|causes|credit|"
                     "files|method")
    helper.add_argument("topic", nargs="?", metavar="TOPIC",
                        help=f"one of: {', '.join(TOPICS)} (none: the list)")


def _completion(command: Command) -> None:
    completion = command("completion", "print a shell completion script, e.g. "
                         "trustjournal completion bash >> ~/.bashrc")
    completion.add_argument("shell", choices=SHELLS, help="bash, zsh or fish")


BUILDERS: dict[str, Callable[[Command], None]] = {"help": _help, "completion": _completion}


def show_help(ctx: Context) -> int:
    topic = ctx.args.topic
    if topic is None:
        ctx.say("trustjournal help TOPIC, where TOPIC is one of:")
        for name in TOPICS:
            ctx.say(f"  {name}")
        ctx.say("Every command has its own --help, e.g. trustjournal promise --help")
        return 0
    key = topic.strip().lower()
    matches = [name for name in TOPICS if name.startswith(key)] if key else []
    if len(matches) != 1:
        raise InvalidInput(f'"{topic}" is not a help topic; use one of: {", ".join(TOPICS)}')
    ctx.say(TOPICS[matches[0]]().rstrip("\n"))
    return 0


# --- examples in every command's --help -----------------------------------------------------

EXAMPLES: dict[str, str] = {
    "person add": 'trustjournal person add "Dana Whitfield" --role "Director of Platform" '
                  '--stance skeptic --checkin "weekly on mon"',
    "person list": "trustjournal person list --json",
    "person show": "trustjournal person show dana",
    "person stance": 'trustjournal person stance dana supporter --reason "backed my plan"',
    "person goal": 'trustjournal person goal dana "Project Foo ships in May" '
                   '--milestone "beta@jan 15"',
    "person edit": 'trustjournal person edit dana --leader priya --needs "no surprises"',
    "person trusts": "trustjournal person trusts dana helen",
    "commitment add": 'trustjournal commitment add dana "weekly risk review" --goal foo '
                      '--measure "risks closed per week"',
    "commitment list": "trustjournal commitment list --to dana",
    "commitment done": "trustjournal commitment done 2",
    "commitment drop": 'trustjournal commitment drop 2 --why "they moved the launch"',
    "commitment reopen": "trustjournal commitment reopen 2",
    "commitment edit": 'trustjournal commitment edit 2 --measure "p95 under 200 ms"',
    "commitment progress": 'trustjournal commitment progress 2 "nightly run green 3 days in a row"',
    "promise": 'trustjournal promise send the Q3 numbers --to dana --due "fri 5pm"',
    "list": "trustjournal list --overdue",
    "due": "trustjournal due --check",
    "kept": "trustjournal kept 12",
    "renegotiate": 'trustjournal renegotiate 12 --due next tue --note "the export slipped; '
                   'told her Thursday"',
    "released": 'trustjournal released 12 --note "they no longer need it"',
    "broken": 'trustjournal broken 12 --note "I ran out of time and did not say so"',
    "log": 'trustjournal log dana apology "for going silent on the export"',
    "demo": "trustjournal --db /tmp/demo.json demo --open",
    "goal add": 'trustjournal goal add dana "Project Foo ships" --due "may 30"',
    "goal edit": 'trustjournal goal edit dana foo --due "jun 30"',
    "goal remove": "trustjournal goal remove dana foo",
    "milestone add": 'trustjournal milestone add dana foo beta --due "jan 15"',
    "milestone edit": 'trustjournal milestone edit dana foo beta --to "public beta"',
    "milestone reached": "trustjournal milestone reached dana foo beta",
    "milestone unreach": "trustjournal milestone unreach dana foo beta",
    "milestone remove": "trustjournal milestone remove --commitment 2 beta",
    "series list": "trustjournal series list --to dana",
    "series show": "trustjournal series show 1",
    "series edit": 'trustjournal series edit 1 --every "tue 9am"',
    "series stop": 'trustjournal series stop 1 --note "she reads the dashboard now"',
    "update": "trustjournal update dana --sent",
    "brief": "trustjournal brief dana > check-in.md",
    "export": "trustjournal export --format ics -o ~/trust.ics",
    "repair": 'trustjournal repair marcus "dropped the hand-off" --cause communication',
    "insights": "trustjournal insights --json",
    "doctor": "trustjournal doctor --fix",
    "import": "trustjournal --db ~/new.json import ~/trust-export.json",
    "restore": "trustjournal restore 2026-11-24",
    "review": "trustjournal review",
    "help": "trustjournal help dates",
    "completion": "trustjournal completion bash >> ~/.bashrc",
    "config init": "trustjournal config init",
    "config show": "trustjournal config show --json",
}


def add_examples(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> None:
    """Give every command's --help its example from EXAMPLES (one place, tested to cover
    every command)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                add_examples(child, (*path, name))
    example = EXAMPLES.get(" ".join(path))
    if example is not None:
        parser.epilog = f"example: {example}"


# --- completion --------------------------------------------------------------------------------


def _walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
          ) -> Iterator[tuple[tuple[str, ...], list[tuple[str, str]], list[str]]]:
    """Each command path with its subcommands (name, help) and its options."""
    subs: list[tuple[str, str]] = []
    options: list[str] = []
    children: list[tuple[str, argparse.ArgumentParser]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, child in action.choices.items():
                subs.append((name, helps.get(name, "")))
                children.append((name, child))
        else:
            options.extend(o for o in action.option_strings if o.startswith("--"))
    yield path, subs, options
    for name, child in children:
        yield from _walk(child, (*path, name))


def _tree() -> list[tuple[tuple[str, ...], list[tuple[str, str]], list[str]]]:
    from trustjournal.cli.parser import build_parser

    return list(_walk(build_parser()))


def bash_script() -> str:
    cases = []
    for path, subs, options in _tree():
        words = " ".join([name for name, _ in subs] + options)
        cases.append(f'        "{" ".join(path)}") words="{words}" ;;')
    body = "\n".join(cases)
    return f"""\
# trustjournal completion for bash: trustjournal completion bash >> ~/.bashrc
_trustjournal() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" path="" word i words=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${{COMP_WORDS[i]}}"
        if [[ "$word" == --db ]]; then ((i++)); continue; fi
        [[ "$word" == -* ]] && continue
        case " $(_trustjournal_words "$path") " in
            *" $word "*) path="${{path:+$path }}$word" ;;
        esac
    done
    words="$(_trustjournal_words "$path")"
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
}}
_trustjournal_words() {{
    local words=""
    case "$1" in
{body}
    esac
    printf '%s' "$words"
}}
complete -o default -F _trustjournal trustjournal
"""


def zsh_script() -> str:
    return ("# trustjournal completion for zsh: trustjournal completion zsh >> ~/.zshrc\n"
            "autoload -U +X compinit && compinit\n"
            "autoload -U +X bashcompinit && bashcompinit\n" + bash_script())


def fish_script() -> str:
    lines = ["# trustjournal completion for fish:",
             "#   trustjournal completion fish > ~/.config/fish/completions/trustjournal.fish",
             "complete -c trustjournal -f"]
    for path, subs, options in _tree():
        if not path:
            condition = "__fish_use_subcommand"
        else:
            seen = "; and ".join(f"__fish_seen_subcommand_from {word}" for word in path)
            later = " ".join(name for name, _ in subs)
            condition = seen + (f"; and not __fish_seen_subcommand_from {later}" if later else "")
        for name, help_text in subs:
            lines.append(f"complete -c trustjournal -n {_quote(condition)} -a {name} "
                         f"-d {_quote(help_text)}")
        for option in options:
            lines.append(f"complete -c trustjournal -n {_quote(condition)} -l {option[2:]}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


SHELLS: dict[str, Callable[[], str]] = {"bash": bash_script, "zsh": zsh_script,
                                        "fish": fish_script}


def completion(ctx: Context) -> int:
    ctx.out.write(SHELLS[ctx.args.shell]())
    return 0


COMMANDS: dict[str, Callable[[Context], int]] = {"help": show_help, "completion": completion}
