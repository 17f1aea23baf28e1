"""Journal entries: the small acts the method asks for, dated and attached to a person."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from trustjournal.domain.errors import InvalidInput


class EntryKind(StrEnum):
    CHECK_IN = "check-in"
    UPDATE_SENT = "update-sent"
    FEEDBACK_ASKED = "feedback-asked"
    FEEDBACK_RECEIVED = "feedback-received"
    ACKNOWLEDGEMENT = "acknowledgement"
    APOLOGY = "apology"
    PLAN_SHARED = "plan-shared"
    TESTIMONIAL = "testimonial"
    GOING_FIRST = "going-first"
    EMPATHY = "empathy"
    CONTRIBUTION = "contribution"
    NOTE = "note"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")

    @property
    def is_contact(self) -> bool:
        """Contact resets the check-in clock: the person heard from you."""
        return self in CONTACT_KINDS

    @classmethod
    def parse(cls, text: str) -> EntryKind:
        key = text.strip().lower().replace("_", "-").replace(" ", "-")
        if key in _ALIASES:
            return _ALIASES[key]
        for kind in cls:
            if kind.value == key or kind.value.replace("-", "") == key.replace("-", ""):
                return kind
        matches = [kind for kind in cls if key and kind.value.startswith(key)]
        if len(matches) == 1:
            return matches[0]
        raise InvalidInput(
            f'"{text}" is not a kind of entry; use one of: {", ".join(k.value for k in cls)}'
        )


CONTACT_KINDS = frozenset({EntryKind.CHECK_IN, EntryKind.UPDATE_SENT})

_ALIASES = {
    "checkin": EntryKind.CHECK_IN,
    "update": EntryKind.UPDATE_SENT,
    "ack": EntryKind.ACKNOWLEDGEMENT,
    "sorry": EntryKind.APOLOGY,
    "plan": EntryKind.PLAN_SHARED,
    "feedback": EntryKind.FEEDBACK_RECEIVED,
}


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    person_id: int
    kind: EntryKind
    text: str
    at: datetime
    uid: str = ""
    extra: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
