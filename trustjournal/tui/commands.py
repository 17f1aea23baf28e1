"""Every action the app offers, declared once: its key, its id, what the footer, the help, the
palette and the welcome text say about it, and where it applies. Each screen's `BINDINGS`, the
command palette's `ScreenCommands` provider, the `?` help, the welcome text of an empty journal
and the daily review's key strip are all made from `TABLE`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Literal

from textual.actions import parse as parse_action
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

Scope = Literal["app", "main", "person", "review", "insights", "update", "brief", "quit",
                "help"]

SCOPES: dict[Scope, str] = {
    "main": "The main screen",
    "person": "A person's page (enter on a person)",
    "review": "The daily review (d)",
    "insights": "Insights (i)",
    "update": "The fifteen-second update (u on a person's page)",
    "brief": "The brief for a check-in (i on a person's page)",
    "quit": "Quitting with changes not saved",
    "help": "This help",
    "app": "Everywhere",
}
"""Where a command applies, as the help heads it, in the order the help shows them."""


@dataclass(frozen=True, slots=True)
class Command:
    scope: Scope
    key: str
    """Textual's key names, comma-separated: "p", "escape,backspace", "question_mark"."""
    action: str
    """The action run, with its arguments: "promise", "choose('k')"; empty for a key that a
    widget handles (the arrows, tab), listed in the help only."""
    short: str
    """The footer's word."""
    long: str
    """What the help and the palette say it does."""
    title: str = ""
    """The palette's name for it (the short word when empty)."""
    section: str = ""
    """The heading it sits under in the help, within its screen."""
    needs: str = ""
    """What must be selected for it to act: "a person", "an open promise", "an occurrence of
    a series"; the help and the palette say so."""
    show: bool = True
    """Shown in the footer."""
    palette: bool = True
    """Offered in the command palette."""
    steps: tuple[tuple[str, str], ...] = ()
    """In the review: the steps it is offered in, each with its label in the key strip."""
    welcome: str = ""
    """What the empty journal's welcome says of it (nothing when empty)."""
    bind: bool = True
    """Bound on its screen; False when a widget has the key (enter on a person) and the
    action is here for the palette and the help."""

    @property
    def binds(self) -> bool:
        return bool(self.action) and self.bind

    @property
    def name(self) -> str:
        """The action's name, without arguments: what `check_action` is asked about."""
        return parse_action(self.action)[1]

    @property
    def params(self) -> tuple[object, ...]:
        return tuple(parse_action(self.action)[2])

    @property
    def id(self) -> str:
        arguments = "-".join(str(p) for p in self.params)
        return f"{self.scope}.{self.name}" + (f"-{arguments}" if arguments else "")

    @property
    def keys(self) -> str:
        """The keys as a person types them: "esc / backspace", "?"."""
        return " / ".join(KEY_NAMES.get(k, k) for k in self.key.split(","))

    @property
    def label(self) -> str:
        return self.title or self.short

    @property
    def help(self) -> str:
        """The palette's line under the name: the keys, what it does, what it needs."""
        needs = f" (needs {self.needs} selected)" if self.needs else ""
        return f"{self.keys} — {self.long}{needs}"


KEY_NAMES = {"question_mark": "?", "slash": "/", "escape": "esc", "ctrl+s": "ctrl+s"}

_MAIN_LOG = "Log a promise"
_MAIN_FOLLOW = "Follow through (on the selected promise)"
_MAIN_PEOPLE = "People, commitments, journal"
_MAIN_AROUND = "Moving around"
_PERSON_ROW = "On the row you are on"
_PERSON_THEM = "For them"
_PERSON_AROUND = "Moving around the page"

_OVERDUE, _TODAY, _CHECKINS, _SILENT = "overdue", "today", "checkins", "silent"
_STANCE, _ONE_THING, _SUMMARY, FOLLOW_UP = "stance", "one-thing", "summary", "follow-up"
_FEEDBACK, _LEADER_ASK, _LEADER_DUE = "feedback", "leader-ask", "leader-due"
"""The review's steps by their `Step` value, and what an item offers when not its step's keys
(domain.review OFFER_*): FOLLOW_UP asks whether yesterday's one thing was done, _FEEDBACK is a
silent-step nudge to ask for feedback, the _LEADER ones ask about meeting a leader after a
milestone (not answered yet; planned for a day that has come)."""

TABLE: tuple[Command, ...] = (
    # --- the main screen
    Command("main", "p", "promise", "Promise", 'log a promise in one line: "Dana: send the risk '
            'list by fri 5pm"; "… every mon 10am" repeats it (↻ in the ledger)',
            title="Log a promise", section=_MAIN_LOG,
            welcome="log a promise the moment you make it, in one line:"),
    Command("main", "k", "kept", "Kept", "kept (on time or late is worked out)",
            title="Mark kept", section=_MAIN_FOLLOW, needs="an open promise"),
    Command("main", "r", "renegotiate", "Reneg.", "renegotiate: a new due time and a note, "
            "ideally before it is due", title="Renegotiate", section=_MAIN_FOLLOW,
            needs="an open promise"),
    Command("main", "b", "broken", "Broken", "broken: say what happened, honestly",
            title="Mark broken", section=_MAIN_FOLLOW, needs="an open promise"),
    Command("main", "x", "released", "Released", "released by them: a note",
            title="Released", section=_MAIN_FOLLOW, needs="an open promise"),
    # Shown on the ledger's lower border when an occurrence of a series is selected.
    Command("main", "R", "change_series", "Change ↻", "↻ change the series behind it: day, "
            "time or text, from now on", title="Change the series", section=_MAIN_FOLLOW,
            needs="an occurrence of a recurring promise", show=False),
    Command("main", "X", "stop_series", "Stop ↻", "↻ stop the series behind it (the next one "
            "is released; history stays)", title="Stop the series", section=_MAIN_FOLLOW,
            needs="an occurrence of a recurring promise", show=False),
    Command("main", "enter", "open_person", "Open", "open the selected person's page",
            title="Open the selected person", section=_MAIN_PEOPLE, needs="a person",
            show=False, bind=False),
    Command("main", "n", "entry", "Entry", "journal entry for the selected person (check-in, "
            "apology, feedback …)", title="Journal entry", section=_MAIN_PEOPLE,
            needs="a person"),
    Command("main", "a", "add_person", "Person", "add a person", title="Add a person",
            section=_MAIN_PEOPLE, show=False,
            welcome="add the first person you are rebuilding trust with"),
    Command("main", "c", "add_commitment", "Commitment", "add a commitment to the selected "
            "person's goals", title="Add a commitment", section=_MAIN_PEOPLE,
            needs="a person", show=False),
    Command("main", "e", "edit", "Edit", "edit the selection: the person, the promise or "
            "the commitment under the cursor", title="Edit the selection",
            section=_MAIN_PEOPLE, show=False),
    Command("main", "d", "review", "Review", "the daily review, one item at a time; "
            "esc pauses it, d resumes", title="Daily review", section=_MAIN_PEOPLE),
    Command("main", "i", "insights", "Insights", "insights: which causes and kinds of "
            "promise keep failing, across everyone", title="Insights",
            section=_MAIN_PEOPLE, show=False),
    Command("main", "tab,shift+tab", "", "", "next / previous pane", section=_MAIN_AROUND),
    Command("main", "up,down,pageup,pagedown,home,end", "", "", "move within a pane",
            section=_MAIN_AROUND),
    Command("main", "slash", "filter", "Filter", "filter the ledger by words; esc clears",
            title="Filter the ledger", section=_MAIN_AROUND, show=False),
    Command("main", "t", "toggle_closed", "Closed", "show or hide closed promises",
            title="Show or hide closed promises", section=_MAIN_AROUND, show=False),
    Command("main", "u,ctrl+z", "undo", "Undo", "undo the last change made in this session",
            title="Undo", section=_MAIN_AROUND, show=False),
    Command("main", "ctrl+s", "retry", "Retry save", "save again, in order, what the disk "
            "refused (the top line says NOT SAVED)", title="Retry saving",
            section=_MAIN_AROUND),
    Command("main", "question_mark", "help", "Help", "every key, and the method",
            title="Help: every key", section=_MAIN_AROUND, welcome="every key"),
    # --- a person's page
    Command("person", "escape,backspace", "back", "Back", "back to the screen before",
            title="Back", section=_PERSON_AROUND, show=False),
    Command("person", "tab,shift+tab", "", "", "next / previous section (profile, goals, "
            "commitments, promises, trust, repairs, journal)", section=_PERSON_AROUND),
    Command("person", "up,down", "", "", "move within a section", section=_PERSON_AROUND),
    Command("person", "enter", "", "", "on their leader or someone in their trust: open "
            "that person's page", section=_PERSON_AROUND),
    Command("person", "k", "kept", "Kept", "kept (on time or late is worked out)",
            title="Kept", section=_PERSON_ROW, needs="an open promise"),
    Command("person", "r", "renegotiate", "Reneg.", "renegotiate: a new due time and a note",
            title="Renegotiate", section=_PERSON_ROW, needs="an open promise"),
    Command("person", "b", "broken", "Broken", "broken: say what happened, honestly",
            title="Broken", section=_PERSON_ROW, needs="an open promise"),
    Command("person", "x", "released", "Released/drop", "released by them (a promise), or "
            "drop a commitment, saying why", title="Released / drop the commitment",
            section=_PERSON_ROW, needs="an open promise or an active commitment"),
    Command("person", "R", "change_series", "Change ↻", "↻ change the series behind the "
            "promise: day, time, end or words", title="Change the series",
            section=_PERSON_ROW, needs="an occurrence of a series", show=False),
    Command("person", "X", "stop_series", "Stop ↻", "↻ stop the series behind the promise",
            title="Stop the series", section=_PERSON_ROW, needs="an occurrence of a series",
            show=False),
    Command("person", "y", "reached", "Reached/done", "a milestone reached (then: meet their "
            "leader?), a commitment done; again takes it back (a commitment after asking)",
            title="Reached / done", section=_PERSON_ROW, needs="a milestone or a commitment"),
    Command("person", "e", "edit", "Edit", "edit what you are on: goal, milestone, "
            "commitment, promise, entry; elsewhere them (role, leader, needs, notes, check-in)",
            title="Edit", section=_PERSON_ROW),
    Command("person", "delete", "remove", "Remove", "remove the goal, milestone, trust or "
            "journal entry you are on (a goal with milestones at a second press; ctrl+z "
            "undoes)", title="Remove", section=_PERSON_ROW,
            needs="a goal, milestone, trust or entry", show=False),
    Command("person", "m", "milestone", "Milestone", "add a milestone to the goal or the "
            "commitment you are on", title="Add a milestone", section=_PERSON_ROW,
            needs="a goal or a commitment", show=False),
    Command("person", "p", "promise", "Promise", "log a promise to them in one line",
            title="Log a promise to them", section=_PERSON_THEM),
    Command("person", "n", "entry", "Entry", "journal entry for them (check-in, apology, "
            "feedback …); on an active commitment, progress against its measure",
            title="Journal entry for them (or progress)", section=_PERSON_THEM),
    Command("person", "g", "goal", "Goal", "add a goal they must deliver (what their leader "
            "asks of them)", title="Add a goal", section=_PERSON_THEM, show=False),
    Command("person", "c", "commitment", "Commitment", "add a commitment to their goals",
            title="Add a commitment for them", section=_PERSON_THEM, show=False),
    Command("person", "t", "trust", "Trust", "note someone they trust (whose word carries "
            "weight with them)", title="Add whom they trust", section=_PERSON_THEM,
            show=False),
    Command("person", "s", "stance", "Stance", "change where you stand with them, with why",
            title="Change the stance", section=_PERSON_THEM, show=False),
    Command("person", "u", "update", "15-sec", "draft the fifteen-second update; "
            "copy it, mark it sent", title="Fifteen-second update", section=_PERSON_THEM),
    Command("person", "i", "brief", "Brief", "the brief for your next check-in: their "
            "milestones, your promises, feedback and testimonials from people they trust",
            title="Brief for a check-in", section=_PERSON_THEM, show=False),
    Command("person", "f", "breach", "Breach", "name a breach and its cause; n then "
            "logs the apology and the plan", title="Face a breach", section=_PERSON_THEM,
            show=False),
    Command("person", "ctrl+z", "undo", "Undo", "undo the last change made in this session",
            title="Undo", section=_PERSON_THEM, show=False),
    Command("person", "question_mark", "help", "Help", "every key, and the method",
            title="Help: every key", section=_PERSON_AROUND, show=False),
    # --- the daily review: the strip shows the keys the step offers, in this order
    Command("review", "enter", "choose('enter')", "Next", "keep the stance; finish the review",
            title="Next", steps=((_STANCE, "keep the stance"), (_SUMMARY, "finish the review"))),
    Command("review", "l", "choose('l')", "Log", "log the check-in, a word sent to them, or "
            "feedback asked", title="Log it", steps=((_CHECKINS, "log the check-in now"),
                                                     (_SILENT, "log a word sent to them"),
                                                     (_FEEDBACK, "log feedback asked"))),
    Command("review", "p", "choose('p')", "Plan", "plan meeting their leader: a day",
            title="Plan the leader meeting", steps=((_LEADER_ASK, "plan it: a day"),
                                                    (_LEADER_DUE, "move it: another day"))),
    Command("review", "k", "choose('k')", "Kept", "the promise was kept", title="Kept",
            steps=((_OVERDUE, "kept (late)"), (_TODAY, "kept"))),
    Command("review", "r", "choose('r')", "Renegotiate", "renegotiate the promise; reschedule "
            "the check-in", title="Renegotiate or reschedule",
            steps=((_OVERDUE, "renegotiate"), (_TODAY, "renegotiate"),
                   (_CHECKINS, "reschedule"))),
    Command("review", "b", "choose('b')", "Broken", "the promise was broken",
            title="Broken", steps=((_OVERDUE, "broken"), (_TODAY, "broken"))),
    Command("review", "x", "choose('x')", "Released", "they released you from it",
            title="Released", steps=((_OVERDUE, "released"), (_TODAY, "released"))),
    Command("review", "c", "choose('c')", "Change", "change the stance, with a reason",
            title="Change the stance", steps=((_STANCE, "change it, with a reason"),)),
    Command("review", "w", "choose('w')", "Write", "write down one thing for today",
            title="One thing for today", steps=((_ONE_THING, "write down one thing for today"),)),
    Command("review", "y", "choose('y')", "Yes", "yes, yesterday's one thing was done",
            title="Yes, I did it", steps=((FOLLOW_UP, "yes, I did it"),
                                          (_LEADER_DUE, "we met"))),
    Command("review", "n", "choose('n')", "No", "no, not this time", title="Not this time",
            steps=((FOLLOW_UP, "not this time"), (_LEADER_ASK, "not this time"),
                   (_LEADER_DUE, "not this time"))),
    Command("review", "s", "choose('s')", "Skip", "skip this item; or it is still on track",
            title="Skip", steps=((_OVERDUE, "skip"), (_TODAY, "still on track"),
                                 (_CHECKINS, "skip"), (_SILENT, "skip"), (_ONE_THING, "skip"),
                                 (_FEEDBACK, "skip"), (_LEADER_ASK, "ask me next time"),
                                 (_LEADER_DUE, "skip"))),
    Command("review", "escape", "leave", "Pause review", "pause; d resumes where you stopped",
            title="Pause the review"),
    # --- insights, the update, quitting, help
    Command("insights", "escape,backspace,i", "back", "Back", "back to the main screen",
            title="Back"),
    Command("update", "c", "copy", "Copy", "copy the update (if your terminal allows it)",
            title="Copy the update"),
    Command("update", "s", "sent", "Mark sent", "mark it sent: their check-in clock resets",
            title="Mark the update sent"),
    Command("update", "escape", "close", "Close", "close it", title="Close"),
    Command("brief", "c", "copy", "Copy", "copy the brief as Markdown (if your terminal "
            "allows it)", title="Copy the brief"),
    Command("brief", "escape,i", "close", "Close", "close it", title="Close"),
    Command("quit", "r,ctrl+s", "retry", "Retry saving, then quit", "save what waits, then "
            "quit", title="Retry saving, then quit"),
    Command("quit", "d", "discard", "Discard (press twice)", "throw away what was not saved "
            "and quit (press d twice)", title="Discard and quit"),
    Command("quit", "escape,s", "stay", "Stay", "stay in the app", title="Stay"),
    Command("help", "escape,q,question_mark", "close", "Close", "close this help",
            title="Close the help"),
    Command("app", "q", "quit", "Quit", "quit; with changes not saved it asks: retry, "
            "discard (d twice) or stay", title="Quit"),
    Command("app", "ctrl+p", "", "", "command palette: what this screen can do, by name"),
)


def commands(scope: Scope) -> tuple[Command, ...]:
    return tuple(c for c in TABLE if c.scope == scope)


def bindings(scope: Scope) -> list[BindingType]:
    """A screen's `BINDINGS`, from the table."""
    return [Binding(c.key, c.action, c.short, show=c.show, id=c.id)
            for c in commands(scope) if c.binds]


def review_choices(step: str) -> tuple[tuple[str, str], ...]:
    """The keys a review step offers, with the strip's label for each, in table order."""
    return tuple((KEY_NAMES.get(c.key, c.key), label) for c in commands("review")
                 for where, label in c.steps if where == step)


def welcome() -> Content:
    """The welcome of an empty journal: the first keys to press."""
    lines: list[Content | str | tuple[str, str]] = []
    # The first person before the first promise.
    for c in sorted(commands("main"), key=lambda c: c.action != "add_person"):
        if c.welcome:
            lines.append(Content.assemble("  ", (f"{c.keys:<3}", "bold"), " ", c.welcome, "\n"))
            if c.action == "promise":
                lines.append(Content.assemble("        ",
                                              ("Dana: send the Q3 numbers by fri 5pm", "italic"),
                                              "\n"))
    quit_key = commands("app")[0]
    lines.append(Content.assemble("  ", (f"{quit_key.keys:<3}", "bold"), " quits\n"))
    return Content.assemble(
        ("Your journal is empty.", "bold"), "\n\n",
        "Trust comes back one kept promise at a time. Start with one person.\n\n",
        *lines,
        "\nFrom the shell, the same in two commands:\n",
        # No-break spaces: plain leading spaces are dropped where the text wraps.
        ("\u00a0\u00a0trustjournal person add \"Dana Whitfield\" --role \"Director\" "
         "--stance skeptic\n", "italic"),
        ("\u00a0\u00a0trustjournal promise send the Q3 numbers --to dana --due fri 5pm\n",
         "italic"),
        "\n",
        "Want to look around first? Quit and run:  trustjournal --db /tmp/demo.json demo "
        "--open\n",
    )


def help_sections() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """The help's key lists: each screen (and each section of the main screen), its keys."""
    for scope, heading in SCOPES.items():
        sections: dict[str, list[tuple[str, str]]] = {}
        for c in commands(scope):
            needs = f" (on {c.needs})" if c.needs and c.section != _MAIN_FOLLOW else ""
            sections.setdefault(c.section, []).append((c.keys, c.long + needs))
            if c.action == "promise" and scope == "main":
                sections[c.section].append(("", "one that repeats: \"Dana: status note every "
                                            "mon 10am\" (↻ in the ledger)"))
        for section, rows in sections.items():
            yield (f"{heading} — {section}" if section else heading), rows


def palette_commands(screen: object) -> list[Command]:
    """What the palette offers on `screen`: its scope's commands (and the app's) that it
    can act on now."""
    scope = getattr(screen, "SCOPE", None)
    check = getattr(screen, "check_action", None)
    offered = []
    for c in TABLE:
        if not (c.action and c.palette and c.scope in (scope, "app")):
            continue
        if c.scope != "app" and callable(check) and not check(c.name, c.params):
            continue
        offered.append(c)
    return offered


class ScreenCommands(Provider):
    """The command palette's commands: what the screen it was opened on can do, run there."""

    def _hits(self) -> list[tuple[Command, str]]:
        return [(c, c.label) for c in palette_commands(self.screen)]

    def _run(self, command: Command) -> Callable[[], Awaitable[object]]:
        """Runs it on the screen (or the app), as its key would: a command that cannot act
        says why."""
        target = self.app if command.scope == "app" else self.screen
        return partial(target.run_action, command.action)

    async def discover(self) -> Hits:
        for command, label in self._hits():
            yield DiscoveryHit(label, self._run(command), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command, label in self._hits():
            score = matcher.match(f"{label} {command.keys}")
            if score > 0:
                yield Hit(score, matcher.highlight(label), self._run(command),
                          text=label, help=command.help)
