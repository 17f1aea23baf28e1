"""The three panes of the main screen. Each draws rows the screen hands it."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from datetime import datetime
from operator import attrgetter
from zoneinfo import ZoneInfo

from textual.binding import Binding

from trustjournal.domain import format as fmt
from trustjournal.domain.commitment import CommitmentStatus
from trustjournal.domain.promise import Outcome
from trustjournal.domain.series import SYMBOL
from trustjournal.domain.text import visible
from trustjournal.tui.rows import CommitmentRow, PersonRow, PromiseRow
from trustjournal.tui.widgets.rowlist import Cell, RowList, fit

_MARKS = {
    Outcome.KEPT: ("✓ kept", "good"),
    Outcome.KEPT_LATE: ("✓ late", "dim"),
    Outcome.RELEASED: ("○ released", "dim"),
    Outcome.BROKEN: ("✗ broken", "alert"),
}


_PROMISE_ID = attrgetter("promise.id")


class PeopleList(RowList[PersonRow]):
    BINDINGS = [Binding("enter", "select", "Open person", show=False)]

    def key_of(self, item: PersonRow) -> object:
        return item.person.id if item.person else None

    def cells(self, item: PersonRow, width: int) -> list[Cell]:
        flag = "!" if item.overdue else ("◷" if item.checkin_due else " ")
        flag_class = "alert" if item.overdue else ("warn" if item.checkin_due else "")
        rate = "" if item.follow_through is None else f"{item.follow_through:4.0%}"
        if item.person is None:
            name, stance = "Everyone", ""
        else:
            name, stance = visible(item.person.name), item.person.stance.value
        stance_w = 9 if width >= 32 else 0
        rate_w = 4 if width >= 18 else 0
        name_w = max(
            width - 3 - (stance_w + 1 if stance_w else 0) - (rate_w + 1 if rate_w else 0), 4
        )
        cells: list[Cell] = [
            (f" {flag} ", flag_class),
            (fit(name, name_w), "strong" if item.person is None else ""),
        ]
        if stance_w:
            cells.append((" " + fit(stance, stance_w), "dim"))
        if rate_w:
            cells.append((" " + rate.rjust(rate_w), ""))
        return cells


class PromiseLedger(RowList[PromiseRow]):
    """The promise ledger: overdue first and unmistakable, even without colour."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.now: datetime | None = None
        self.zone: ZoneInfo | None = None
        self.empty_message = "No open promises here. Press p to log one."
        self.show_to = True
        self.widest_id = 0
        """The largest promise id in the journal (rows.widest_id): the id column fits it, so
        the column stays put while the filter narrows the rows (and a key need not look at
        every row shown for it: 5 ms a key at 100,000 promises)."""

    @property
    def id_w(self) -> int:
        """The id column: "#" and the widest id, and a space (five-digit ids fit in 6)."""
        return max(6, len(str(self.widest_id)) + 2)

    def key_of(self, item: PromiseRow) -> object:
        return item.promise.id

    def index_of(self, items: Sequence[PromiseRow], key: object, default: int) -> int:
        # In C: a filter key at 100,000 rows looked for the selected one with a Python call a row.
        try:
            return operator.indexOf(map(_PROMISE_ID, items), key)
        except ValueError:
            return default

    def empty_text(self) -> str:
        return self.empty_message

    def cells(self, item: PromiseRow, width: int) -> list[Cell]:
        assert self.now is not None and self.zone is not None
        p = item.promise
        wide = width >= 80
        if item.overdue:
            late = fmt.span(self.now - p.due)
            mark, klass = (f"! OVERDUE {late}" if wide else "! OVERDUE"), "alert"
        elif item.today:
            mark, klass = "• due today", "warn"
        elif p.is_open:
            mark, klass = ("→ moved" if p.renegotiations else ""), "dim"
        else:
            mark, klass = _MARKS[p.outcome(self.now)]
        local = p.due.astimezone(self.zone)
        if wide:
            due_text, due_w = fmt.when(p.due, self.zone, self.now), 18
        else:
            due_text, due_w = f"{local:%a} {local.day} {local:%b}", 11
        mark_w = 17 if wide else 12
        cells: list[Cell] = [(" " + fit(mark, mark_w - 1) + " ", klass)]
        used = 1 + mark_w + due_w
        if wide:
            cells.append((fit(f"#{p.id}", self.id_w - 1) + " ", "dim"))
            used += self.id_w
        cells.append((fit(due_text, due_w), "alert" if item.overdue else ""))
        if self.show_to:
            to_w = 17 if wide else 10
            name = visible(item.to if wide else (item.to.split() or [""])[0])
            cells.append((fit(name, to_w - 1) + " ", ""))  # a long name never runs into the text
            used += to_w
        text_class = "dim" if not p.is_open else ("strong" if item.overdue else "")
        text_w = max(width - used, 8)
        if not item.repeats:
            cells.append((fit(visible(p.text), text_w), text_class))
            return cells
        # An occurrence of a series: its mark, then the rule in words, cut before the text is.
        text = f"{SYMBOL} {visible(p.text)}"
        rule = f" · {item.repeats}"
        if len(text) + len(rule) > text_w:
            rule = f" · {item.repeats.removeprefix('every ')}"  # ↻ already says "every"
        if len(text) + len(rule) > text_w:
            # Too narrow for both: the words of the promise win; its page shows the rule.
            cells.append((fit(text, text_w), text_class))
            return cells
        cells.append((text, text_class))
        cells.append((fit(rule, text_w - len(text)), "dim"))
        return cells


class CommitmentList(RowList[CommitmentRow]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.show_to = True

    def key_of(self, item: CommitmentRow) -> object:
        return item.commitment.id

    def empty_text(self) -> str:
        return "None yet. c adds what you will do for their goals."

    def cells(self, item: CommitmentRow, width: int) -> list[Cell]:
        c = item.commitment
        status_w = 8
        next_w = 26 if width >= 90 else 0
        to_w = (17 if width >= 90 else 10) if self.show_to else 0
        text_w = max(width - status_w - next_w - to_w - 3, 8)
        nxt = ""
        if item.next_milestone is not None:
            m = item.next_milestone
            nxt = visible(f"next: {m.name}" + (f" {m.due.day} {m.due:%b}" if m.due else ""))
        text = visible(c.text + (f" · {c.goal}" if c.goal else ""))
        klass = "" if c.status is CommitmentStatus.ACTIVE else "dim"
        cells: list[Cell] = [
            (
                " " + fit(c.status.value, status_w),
                "good" if c.status is CommitmentStatus.DONE else "dim",
            ),
            (fit(visible(item.to), to_w - 1) + " " if to_w else "", ""),
            (fit(text, text_w), klass),
        ]
        if next_w:
            cells.append((" " + fit(nxt, next_w - 1), "dim"))
        return cells
