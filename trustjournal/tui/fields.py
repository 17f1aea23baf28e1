"""The fields of the app's forms: each parses what is typed and says what is wrong."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trustjournal.domain.cadence import parse_cadence
from trustjournal.domain.commitment import Commitment, CommitmentStatus
from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.person import Person, UpdatePreference, clean_name
from trustjournal.domain.stance import Stance
from trustjournal.tui.acts import PersonDetails
from trustjournal.tui.screens.form import Answers, Field

if TYPE_CHECKING:
    from trustjournal.tui.screens.form import FormScreen


def need_text(example: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        cleaned = " ".join(text.split())
        if not cleaned:
            raise InvalidInput(f"this cannot be empty; {example}")
        return cleaned

    return parse


def need_lines(example: str) -> Callable[[str], str]:
    """Free text that may span lines: each line tidied, the lines kept."""

    def parse(text: str) -> str:
        kept = "\n".join(" ".join(line.split()) for line in text.strip().splitlines())
        if not kept.strip():
            raise InvalidInput(f"this cannot be empty; {example}")
        return kept

    return parse


def optional_text(text: str) -> str:
    return " ".join(text.split())


def _cadence(text: str) -> str:
    cleaned = " ".join(text.split())
    if cleaned:
        parse_cadence(cleaned)
    return cleaned


def _name(text: str) -> str:
    try:
        return clean_name(text)
    except InvalidInput:
        if text.strip():
            raise
        raise InvalidInput("a person needs a name, e.g. Dana Whitfield") from None


def name_free(person: Person | None) -> Callable[[str, FormScreen[Any]], None]:
    """The check that keeps a second "Dana Whitfield" out, while the form is still open."""

    def check(name: str, form: FormScreen[Any]) -> None:
        from trustjournal.tui.session import Session

        session = getattr(form.app, "session", None)
        if not isinstance(session, Session):
            return
        key = name.casefold()
        for other in session.ledger.people.values():
            if other.name.casefold() == key and (person is None or other.id != person.id):
                raise InvalidInput(f'"{other.name}" is already in the journal; '
                                   "add a surname or a team to tell them apart")

    return check


@dataclass(frozen=True, slots=True)
class Leader:
    """Their leader as typed: a person in the journal when the name is one, else words."""

    words: str
    person: Person | None = None


def _leader(person: Person | None, people: Sequence[Person]) -> Callable[[str], Leader]:
    others = [p for p in people if person is None or p.id != person.id]

    def parse(text: str) -> Leader:
        words = " ".join(text.split())
        if not words:
            return Leader("")
        key = words.casefold()
        # Only a whole name links: "Priya" alone links when one person is called that.
        named = [p for p in others if p.name.casefold() == key]
        if not named:
            named = [p for p in others if key in p.name.casefold().split()]
        return Leader("", named[0]) if len(named) == 1 else Leader(words)

    return parse


def _leader_preview(leader: Leader) -> str:
    if leader.person is not None:
        return f"{leader.person.name}, linked: their page opens from this one"
    return (f"{leader.words}, as words (a person in the journal by that name would be linked)"
            if leader.words else "")


def person_fields(person: Person | None, people: Sequence[Person] = ()) -> list[Field]:
    leader_now = ""
    if person is not None:
        linked = next((p for p in people if p.id == person.leader_id), None)
        leader_now = linked.name if linked is not None else person.leader
    fields = [
        Field(
            "name",
            "Name",
            value=person.name if person else "",
            placeholder="Dana Whitfield",
            parse=_name,
            check=name_free(person),
        ),
        Field(
            "role",
            "Role",
            value=person.role if person else "",
            placeholder="Director of Platform",
            parse=optional_text,
        ),
        Field(
            "leader",
            "Their leader: the name of a person in the journal links them",
            value=leader_now,
            placeholder="Priya Raman, VP Engineering",
            parse=_leader(person, people),
            preview=_leader_preview,
            suggestions=[p.name for p in people if person is None or p.id != person.id],
        ),
        Field(
            "stance",
            "Where they stand: detractor, skeptic, neutral, supporter, promoter",
            value=person.stance.value if person else "",
            default="" if person else "neutral",
            parse=Stance.parse,
            preview=lambda s: s.value,
            suggestions=[s.value for s in Stance],
        ),
    ]
    if person is not None:
        fields.append(
            Field(
                "reason",
                "If the stance changed: what moved it?",
                placeholder="backed my plan in the staff meeting",
                parse=optional_text,
            )
        )
    fields += [
        Field(
            "checkin",
            "Check-in cadence (optional)",
            value=person.checkin if person else "",
            placeholder="weekly on mon · every 2 weeks · monthly",
            parse=_cadence,
        ),
        Field(
            "prefers",
            "Updates by: meeting or written",
            value=person.prefers.value if person else "",
            default="" if person else "meeting",
            parse=UpdatePreference.parse,
            preview=lambda p: p.value,
            suggestions=["meeting", "written"],
        ),
        Field(
            "needs",
            "What they need from you, in their words (optional)",
            value=person.needs if person else "",
            placeholder="early warning when the dates slip",
            parse=optional_text,
        ),
        Field(
            "notes",
            "Notes (optional)",
            value=person.notes if person else "",
            placeholder="prefers numbers before the story; mornings",
            parse=_notes,
            multiline=True,
        ),
    ]
    return fields


def _notes(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.strip().splitlines())


def person_details(values: Answers, person: Person | None,
                   people: Sequence[Person]) -> PersonDetails:
    """What the person form's fields parsed to, as the add and edit acts take it."""
    leader: Leader = values["leader"]
    stance: Stance = values["stance"]
    return PersonDetails(
        name=values["name"], role=values["role"], leader=leader.words,
        leader_id=leader.person.id if leader.person is not None else None,
        stance=stance, checkin=values["checkin"], prefers=values["prefers"],
        needs=values["needs"], notes=values["notes"], reason=values.get("reason") or "")


def commitment_fields(person: Person, commitment: Commitment | None) -> list[Field]:
    def goal(text: str) -> str:
        cleaned = text.strip()
        if not cleaned:
            return ""
        found = person.goal(cleaned)
        if found is None:
            known = ", ".join(g.name for g in person.goals) or "none recorded yet"
            raise InvalidInput(f"{person.name} has no goal like that (their goals: {known})")
        return found.name

    fields = [
        Field(
            "text",
            "What will you do?",
            value=commitment.text if commitment else "",
            placeholder="own the reconciliation tests for Foo",
            parse=need_text("e.g. own the reconciliation tests for Foo"),
        ),
        Field(
            "goal",
            "Which of their goals does it serve? (optional)",
            value=commitment.goal if commitment else "",
            placeholder=person.goals[0].name if person.goals else "",
            parse=goal,
            suggestions=[g.name for g in person.goals],
        ),
        Field(
            "measure",
            "How will progress be measured? (optional)",
            value=commitment.measure if commitment else "",
            placeholder="nightly run green 5 days in a row",
            parse=optional_text,
        ),
    ]
    if commitment is not None:

        def status(text: str) -> CommitmentStatus:
            try:
                return CommitmentStatus(text.strip().lower())
            except ValueError:
                raise InvalidInput("status is active, done or dropped") from None

        fields.append(
            Field(
                "status",
                "Status: active, done or dropped",
                value=commitment.status.value,
                parse=status,
                suggestions=[s.value for s in CommitmentStatus],
            )
        )
    return fields
