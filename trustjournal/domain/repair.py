"""Facing a breach head-on (practice 3): name it, find its cause, and do the steps that mend it.

The steps are ticked by the journal, not by hand: an *acknowledgement* entry for the person after
the breach ticks "acknowledged", an *apology* ticks "apologised", and so on. The checklist is
therefore an honest mirror of what was actually done.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from trustjournal.domain.entry import Entry, EntryKind
from trustjournal.domain.errors import InvalidInput


class Cause(StrEnum):
    COMMUNICATION = "communication breakdown"
    EXPECTATIONS = "unmet expectations"
    CULTURE = "cultural gap"
    PERSONALITY = "personality clash"
    COMPETENCE = "competence"
    JUDGEMENT = "judgement"

    @classmethod
    def parse(cls, text: str) -> Cause:
        key = " ".join(text.lower().split())
        matches = [c for c in cls if key and (c.value.startswith(key)
                                              or any(w.startswith(key) for w in c.value.split()))]
        if len(matches) == 1:
            return matches[0]
        known = ", ".join(c.value for c in cls)
        raise InvalidInput(f'"{text}" is not a cause; use one of: {known}')


class RepairStep(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    APOLOGISED = "apologised"
    ROOT_CAUSE = "root cause found"
    PLAN_SHARED = "plan shared"
    FEEDBACK_ASKED = "feedback asked after"


_TICKED_BY = {
    EntryKind.ACKNOWLEDGEMENT: RepairStep.ACKNOWLEDGED,
    EntryKind.APOLOGY: RepairStep.APOLOGISED,
    EntryKind.PLAN_SHARED: RepairStep.PLAN_SHARED,
    EntryKind.FEEDBACK_ASKED: RepairStep.FEEDBACK_ASKED,
}


@dataclass(frozen=True, slots=True)
class Repair:
    id: int
    person_id: int
    breach: str
    at: datetime
    """When the breach happened (or was first noted): steps count from here."""
    cause: Cause | None = None
    promise_id: int | None = None
    uid: str = ""
    extra: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def checklist(self, entries: Iterable[Entry]) -> list[tuple[RepairStep, datetime | None]]:
        """Each step with when it was done, or None while it is still to do."""
        done: dict[RepairStep, datetime] = {}
        if self.cause is not None:
            done[RepairStep.ROOT_CAUSE] = self.at
        for entry in sorted(entries, key=lambda e: e.at):
            step = _TICKED_BY.get(entry.kind)
            if entry.person_id != self.person_id or step is None or entry.at < self.at:
                continue
            if step is RepairStep.FEEDBACK_ASKED and RepairStep.PLAN_SHARED not in done:
                continue  # feedback *after* the plan is what shows the plan is working
            done.setdefault(step, entry.at)
        return [(step, done.get(step)) for step in RepairStep]

    def is_complete(self, entries: Iterable[Entry]) -> bool:
        return all(at is not None for _, at in self.checklist(entries))
