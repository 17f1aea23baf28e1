"""Issue 13, item 6 (and 9 for the app): text from the journal is text on screen.

A name with markup must not crash the app, style itself, or become a clickable action; a
journal edited by hand with ESC, BEL and friends is shown with them visible, never emitted raw.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import FROZEN_NOW
from tests.tui.conftest import settle, shown
from trustjournal.domain.person import Person
from trustjournal.domain.promise import Promise
from trustjournal.storage.journal import Journal
from trustjournal.tui.screens.main import MainScreen
from trustjournal.tui.screens.person import PersonScreen
from trustjournal.tui.widgets.panes import PeopleList

SIZE = (120, 36)
MARKUP_NAMES = ["Bob [/]", "[bold red]Red[/] Rita", "[@click=app.quit]Quinn[/]"]


def stored(path: Path) -> dict:
    return json.loads(path.read_text())


def add_people(path: Path, names: list[str]) -> dict[str, int]:
    ids = {}
    with Journal(path).transaction(FROZEN_NOW) as tx:
        for name in names:
            ids[name] = tx.add(Person(id=0, name=name, created_at=FROZEN_NOW)).id
            tx.add(Promise.make(text=f"a promise to {name}", person_id=ids[name],
                                made_at=FROZEN_NOW, due=FROZEN_NOW + timedelta(days=2),
                                zone="Europe/Berlin"))
    return ids


async def highlight(pilot, app, name: str) -> None:
    await pilot.press("shift+tab")
    people = app.main.query_one("#people", PeopleList)
    for _ in range(len(people.items) + 1):
        if people.current.person is not None and people.current.person.name == name:
            return
        await pilot.press("down")
    raise AssertionError(f"{name} is not in the people pane")


@pytest.mark.parametrize("name", MARKUP_NAMES)
async def test_a_name_with_markup_is_shown_as_typed_everywhere(demo_path, make_app, name):
    add_people(demo_path, [name])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await highlight(pilot, app, name)
        await settle(pilot)
        screen = shown(pilot)
        # The ledger's and the commitments' border titles hold the name, as typed.
        assert f"Promise ledger — {name}, open" in screen
        assert f"Commitments — {name}" in screen
        # A promise to them: the form, the preview and the success notice show the name.
        await pilot.press("p")
        await settle(pilot)
        await pilot.press(*"call them by fri", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        notices = [n for n in app._notifications if "call them" not in n.message]
        assert any(f"to {name}, due" in n.message and not n.markup for n in notices), notices
        # Their page: the border title and the heading.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        assert name in shown(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.return_code is None  # [@click=app.quit] never became an action
    texts = [p["text"] for p in stored(demo_path)["promises"].values()]
    assert "call them" in texts


PLANTED = "Eve \x1b]0;pwned\x07\x1b[2J\x08\x7f\u202eX"


def plant(path: Path) -> None:
    """Control characters in a journal edited by hand (the app itself refuses them as input)."""
    data = stored(path)
    dana = next(key for key, p in data["people"].items() if p["name"] == "Dana Whitfield")
    data["people"][dana]["name"] = PLANTED
    data["people"][dana]["role"] = "Director \x1b[31mred"
    for promise in data["promises"].values():
        if promise["to"] == int(dana):
            promise["text"] = "send \x1b]52;c;ZWNobyBwd25lZA==\x07 the list"
    path.write_text(json.dumps(data, ensure_ascii=False))


async def test_control_characters_in_the_journal_are_shown_not_obeyed(demo_path, make_app):
    plant(demo_path)
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await highlight(pilot, app, PLANTED)
        await settle(pilot)
        screen = shown(pilot)
        for raw in ("\x1b", "\x07", "\x08", "\x7f", "\u202e"):
            assert raw not in screen
        assert "Eve ␛]0;pwned␇" in screen and "send ␛]52;c;" in screen
        await pilot.press("enter")  # their page
        await settle(pilot)
        page = shown(pilot)
        assert isinstance(app.screen, PersonScreen)
        for raw in ("\x1b", "\x07", "\x08", "\x7f", "\u202e"):
            assert raw not in page
        assert "Director ␛[31mred" in page
        await pilot.press("u")  # the fifteen-second update names them too
        await settle(pilot)
        update = shown(pilot)
        assert "\x1b" not in update and "\x07" not in update
        assert "Eve ␛]0;pwned" in update


async def test_long_names_and_five_digit_ids_never_run_into_the_next_column(make_app,
                                                                           journal_path) -> None:
    from trustjournal.storage.records import PROMISES

    journal = Journal(journal_path)
    with journal.transaction(FROZEN_NOW) as tx:
        who = tx.add(Person(0, "Maximiliana Oyelaran-Whitfield", FROZEN_NOW))
        first = tx.add(Promise.make(text="send the plan", person_id=who.id, made_at=FROZEN_NOW,
                                    due=FROZEN_NOW + timedelta(days=2), zone="Europe/Berlin"))
    # A journal ten years on: promise numbers with five digits.
    data = json.loads(journal_path.read_text())
    data[PROMISES.table.value]["12345"] = data[PROMISES.table.value].pop(str(first.id))
    data["meta"]["1"]["next_id"]["promises"] = 12346
    journal_path.write_text(json.dumps(data))
    app = make_app(journal_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        row = next(line for line in shown(pilot).splitlines() if "send the plan" in line)
        assert "#12345 " in row and "… send the plan" in row, row
