"""Per-person totals kept up to date from one ledger to the next, instead of recounted.

The summary board (the people pane and the top line) needs, for each person, the mean credit
of their closed promises and their open promises. Recounting walks every promise (and every
entry, for check-ins) on each change and each minute's redraw: 100 ms and more at 100,000
promises. A ledger is a read-only value whose unchanged records are the very same objects in
the next ledger (a change replaces one promise), so `Totals.follow` finds what changed by
identity and adjusts only that.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from trustjournal.domain.promise import EventKind

if TYPE_CHECKING:
    from trustjournal.domain.entry import Entry
    from trustjournal.domain.ledger import Ledger
    from trustjournal.domain.promise import Promise


def _is_open(promise: Promise) -> bool:
    last = promise.events[-1].kind
    return last is EventKind.MADE or last is EventKind.RENEGOTIATED


@dataclass(slots=True)
class Totals:
    """What the board needs from a ledger that does not depend on the clock.

    `earned[person][promise]` is the credit of each closed promise that earns one, in the
    ledger's order on a fresh count (so a fresh count's means are the ones a recount gives);
    `open` holds every open promise.
    """

    promises: Mapping[int, Promise] = field(default_factory=dict)
    entries: Mapping[int, Entry] = field(default_factory=dict)
    earned: dict[int, dict[int, float]] = field(default_factory=dict)
    open: dict[int, Promise] = field(default_factory=dict)
    contacts: dict[int, datetime] = field(default_factory=dict)
    """When each person last heard from you (domain.record.last_contacts)."""

    @classmethod
    def count(cls, ledger: Ledger) -> Totals:
        totals = cls()
        totals._add_all(ledger.promises)
        totals._count_contacts(ledger.entries)
        return totals

    def follow(self, ledger: Ledger) -> Totals:
        """These totals brought to `ledger` (in place; returns self). Costs a walk of the
        promise ids when the promises changed (identity, in C-speed comprehensions), plus
        the work for the promises that did; nothing when they are the same mapping."""
        new = ledger.promises
        old = self.promises
        if new is not old:
            if len(new) < len(old) // 2 or not old:
                # Mostly another journal: counting afresh is cheaper than a diff.
                return self._reset(ledger)
            changed = [key for key, promise in new.items() if old.get(key) is not promise]
            added = sum(1 for key in changed if key not in old)
            if len(new) - added != len(old):  # some promise went
                for key in old.keys() - new.keys():
                    self._drop(key, old[key])
            for key in changed:
                was = old.get(key)
                if was is not None:
                    self._drop(key, was)
                self._add(key, new[key])
            self.promises = new
        if ledger.entries is not self.entries:
            self._follow_entries(ledger.entries)
        return self

    def _reset(self, ledger: Ledger) -> Totals:
        self.promises, self.earned, self.open = {}, {}, {}
        self._add_all(ledger.promises)
        self._count_contacts(ledger.entries)
        return self

    def _add_all(self, promises: Mapping[int, Promise]) -> None:
        for key, promise in promises.items():
            self._add(key, promise)
        self.promises = promises

    def _add(self, key: int, promise: Promise) -> None:
        from trustjournal.domain.record import credit

        if _is_open(promise):
            self.open[key] = promise
            return
        score = credit(promise)
        if score is not None:
            self.earned.setdefault(promise.person_id, {})[key] = score

    def _drop(self, key: int, promise: Promise) -> None:
        self.open.pop(key, None)
        scores = self.earned.get(promise.person_id)
        if scores is not None and scores.pop(key, None) is not None and not scores:
            del self.earned[promise.person_id]

    def _count_contacts(self, entries: Mapping[int, Entry]) -> None:
        from trustjournal.domain.record import last_contacts

        self.contacts = last_contacts(entries.values())
        self.entries = entries

    def _follow_entries(self, entries: Mapping[int, Entry]) -> None:
        old = self.entries
        if len(entries) < len(old) or not old:
            self._count_contacts(entries)
            return
        changed = [key for key, entry in entries.items() if old.get(key) is not entry]
        if len(entries) - len(old) != len(changed) or any(key in old for key in changed):
            self._count_contacts(entries)  # an entry changed or went: its contact may be gone
            return
        latest = self.contacts
        for entry in map(entries.__getitem__, changed):
            if entry.kind.is_contact and (entry.person_id not in latest
                                          or entry.at > latest[entry.person_id]):
                latest[entry.person_id] = entry.at
        self.entries = entries

    def mean(self, person_id: int, overdue: Sequence[float] = ()) -> float | None:
        """Their follow-through: the closed promises' credits, with `overdue` the credits the
        open overdue ones would earn if kept now (record.credit with now; the clock's part,
        so the caller's)."""
        scores = [*self.earned.get(person_id, {}).values(), *overdue]
        return sum(scores) / len(scores) if scores else None

    def mean_of_all(self, overdue: Sequence[float] = ()) -> float | None:
        everything = [score for scores in self.earned.values() for score in scores.values()]
        everything.extend(overdue)
        return sum(everything) / len(everything) if everything else None
