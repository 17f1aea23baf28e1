"""The fields of the app's forms: each parses what is typed and says what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from trustjournal.domain.cadence import parse_cadence
from trustjournal.domain.commitment import Commitment, CommitmentStatus
from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.person import Person, UpdatePreference, clean_name
from trustjournal.domain.stance import Stance
from trustjournal.tui.screens.form import Field

if TYPE_CHECKING:
    from trustjournal.tui.screens.form import FormScreen


def need_text(example: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        cleaned = " ".join(text.split())
        if not cleaned:
            raise InvalidInput(f"this cannot be empty; {example}")
        return cleaned

    return parse


def _optional(text: str) -> str:
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


def name_free(person: Person | None) -> Callable[[str, FormScreen], None]:
    """The check that keeps a second "Dana Whitfield" out, while the form is still open."""

    def check(name: str, form: FormScreen) -> None:
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


def person_fields(person: Person | None) -> list[Field]:
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
            parse=_optional,
        ),
        Field(
            "leader",
            "Their leader (who asks things of them)",
            value=person.leader if person else "",
            placeholder="Priya Raman, VP Engineering",
            parse=_optional,
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
                parse=_optional,
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
    ]
    return fields


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
            "How will progress be measured?",
            value=commitment.measure if commitment else "",
            placeholder="nightly run green 5 days in a row",
            parse=_optional,
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
