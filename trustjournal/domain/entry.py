"""Journal entries: the small acts the method asks for, dated and attached to a person."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from trustjournal.domain.errors import InvalidInput


class EntryKind(StrEnum):
    CHECK_IN = "check-in"
    UPDATE_SENT = "update-sent"
    FEEDBACK_ASKED = "feedback-asked"
    FEEDBACK_RECEIVED = "feedback-received"
    FEEDBACK_ACTED_ON = "feedback-acted-on"
    """What changed because of their feedback (practice 7); answers the feedback entry."""
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
        """Contact resets the check-in clock: the entry records talking with them."""
        return self in CONTACT_KINDS

    @property
    def is_feedback(self) -> bool:
        """Feedback asked of them or received from them: what an acted-on entry answers."""
        return self in FEEDBACK_KINDS

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
        if matches:
            raise InvalidInput(
                f'"{text}" could be {" or ".join(k.value for k in matches)}: say which, '
                f'e.g. "{matches[0].value}"'
            )
        raise InvalidInput(
            f'"{text}" is not a kind of entry; use one of: {", ".join(k.value for k in cls)}'
        )


CONTACT_KINDS = frozenset({
    EntryKind.CHECK_IN, EntryKind.UPDATE_SENT, EntryKind.ACKNOWLEDGEMENT, EntryKind.APOLOGY,
    EntryKind.PLAN_SHARED, EntryKind.FEEDBACK_ASKED, EntryKind.FEEDBACK_RECEIVED,
    EntryKind.FEEDBACK_ACTED_ON, EntryKind.GOING_FIRST,
})
"""The one contact rule: an entry that records talking with them resets the check-in clock
(domain/record.py `last_contacts`, storage/records.py `last_contacts` for `due`, the update's
"last heard"). A note, empathy, a testimonial or a contribution is something done or heard
about them, not a word with them, and leaves the clock as it is."""

FEEDBACK_KINDS = frozenset({EntryKind.FEEDBACK_ASKED, EntryKind.FEEDBACK_RECEIVED})

_ALIASES = {
    "checkin": EntryKind.CHECK_IN,
    "update": EntryKind.UPDATE_SENT,
    "ack": EntryKind.ACKNOWLEDGEMENT,
    "sorry": EntryKind.APOLOGY,
    "plan": EntryKind.PLAN_SHARED,
    "feedback": EntryKind.FEEDBACK_RECEIVED,
    "acted": EntryKind.FEEDBACK_ACTED_ON,
    "acted-on": EntryKind.FEEDBACK_ACTED_ON,
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
    answers: int | None = None
    """On a feedback-acted-on entry: the feedback entry (asked or received, same person) it
    answers. `check_answer` says whether the link is right; storage checks the entry exists."""


def check_answer(entry: Entry, entries: Mapping[int, Entry]) -> None:
    """Raise InvalidInput, in one line, unless `entry`'s link to the feedback it answers is
    right: a feedback-acted-on entry answers an earlier feedback-asked or feedback-received
    entry of the same person, and no other kind of entry answers anything."""
    if entry.kind is not EntryKind.FEEDBACK_ACTED_ON:
        if entry.answers is not None:
            raise InvalidInput(f"only a feedback-acted-on entry answers feedback "
                               f"(this one is {entry.kind.label})")
        return
    if entry.answers is None:
        raise InvalidInput("say which feedback this answers: a feedback asked or feedback "
                           "received entry of theirs")
    answered = entries.get(entry.answers)
    if answered is None or answered.id == entry.id:
        raise InvalidInput(f"there is no entry #{entry.answers} to answer")
    if not answered.kind.is_feedback:
        raise InvalidInput(f"entry #{answered.id} is {answered.kind.label}, not feedback; "
                           "answer a feedback asked or feedback received entry")
    if answered.person_id != entry.person_id:
        raise InvalidInput(f"entry #{answered.id} is feedback with someone else; answer "
                           "feedback of the same person")
    if answered.at > entry.at:
        raise InvalidInput(f"entry #{answered.id} was logged after this one; what changed "
                           "comes after the feedback")


def feedback_to_answer(entries: Iterable[Entry], person_id: int) -> list[Entry]:
    """The feedback a feedback-acted-on entry for this person could answer, newest first,
    with feedback nothing answers yet before feedback already acted on."""
    everything = list(entries)
    answered = {e.answers for e in everything if e.answers is not None}
    found = [e for e in everything if e.person_id == person_id and e.kind.is_feedback]
    return sorted(found, key=lambda e: (e.id in answered, -e.at.timestamp(), -e.id))


def answered_by(entries: Iterable[Entry], entry_id: int) -> list[Entry]:
    """The entries that answer this one (what changed because of that feedback), oldest first;
    deleting the feedback leaves their links dangling, which `doctor` unlinks."""
    return sorted((e for e in entries if e.answers == entry_id), key=lambda e: (e.at, e.id))
