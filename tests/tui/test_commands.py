"""The command table: every key any screen binds is in `?` and in the palette, and a key that
cannot act says why."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Static

from tests.tui.conftest import settle, shown
from trustjournal.tui.app import TrustJournalApp
from trustjournal.tui.commands import TABLE, commands, help_sections, palette_commands
from trustjournal.tui.screens.help import HelpScreen
from trustjournal.tui.screens.insights import InsightsScreen
from trustjournal.tui.screens.main import MainScreen
from trustjournal.tui.screens.person import PersonScreen
from trustjournal.tui.screens.quit import QuitScreen
from trustjournal.tui.screens.review import ReviewScreen
from trustjournal.tui.screens.update import UpdateScreen
from trustjournal.tui.widgets.panes import PeopleList

SIZE = (140, 40)
SCREENS = (TrustJournalApp, MainScreen, PersonScreen, ReviewScreen, InsightsScreen,
           UpdateScreen, QuitScreen, HelpScreen)


def _scope(owner: type) -> str:
    return "app" if owner is TrustJournalApp else owner.SCOPE  # type: ignore[attr-defined]


class _Everything:
    """A screen that can do anything: the palette's whole list for a scope."""

    def __init__(self, scope: str) -> None:
        self.SCOPE = scope

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool:
        return True


def _help_rows() -> dict[str, set[tuple[str, str]]]:
    rows: dict[str, set[tuple[str, str]]] = {}
    for heading, keys in help_sections():
        rows.setdefault(heading.split(" — ")[0], set()).update(keys)
    return rows


@pytest.mark.parametrize("owner", SCREENS, ids=lambda s: s.__name__)
def test_every_binding_is_in_the_table_the_help_and_the_palette(owner: type) -> None:
    scope = _scope(owner)
    declared = {(c.key, c.action) for c in commands(scope) if c.binds}  # type: ignore[arg-type]
    bound = {(b.key, b.action) for b in owner.BINDINGS}
    assert bound == declared, f"{owner.__name__} binds keys the table does not declare"
    help_text = "\n".join(f"{key} {what}" for rows in _help_rows().values() for key, what in rows)
    offered = {c.action for c in palette_commands(_Everything(scope))}
    for command in commands(scope):  # type: ignore[arg-type]
        if not command.binds:
            continue
        assert command.keys in help_text, f"{command.id} is not in ?"
        assert command.long in help_text, f"{command.id} is not in ?"
        if command.palette:
            assert command.action in offered, f"{command.id} is not in the palette"
        else:
            pytest.fail(f"{command.id} is bound but not in the palette")


def test_ids_are_unique_and_keys_do_not_clash_within_a_screen() -> None:
    ids = [c.id for c in TABLE if c.action]
    assert len(ids) == len(set(ids))
    for scope in {c.scope for c in TABLE}:
        keys = [k for c in commands(scope) if c.binds for k in c.key.split(",")]
        assert len(keys) == len(set(keys)), scope


async def test_n_with_everyone_selected_says_why(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("shift+tab")
        people = app.screen.query_one("#people", PeopleList)
        await pilot.press("home")
        assert people.current.person is None  # Everyone
        for key in ("n", "c", "e"):
            app.clear_notifications()
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            said = "\n".join(str(n.message) for n in app._notifications)
            assert "Pick a person first: ↑↓ in People" in said, key


async def test_the_palette_on_a_persons_page_offers_and_runs_its_commands(
        demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("shift+tab", "down", "enter")
        await settle(pilot)
        page = app.screen
        assert isinstance(page, PersonScreen)
        offered = {c.label for c in palette_commands(page)}
        # What the page can do on the row it opened on (an open promise) is offered; what
        # needs another row (a milestone to mark reached) is not, until you are on one.
        can = {c.label for c in commands("person") if c.action and page.check_action(c.name,
                                                                                  c.params)}
        assert {"Kept", "Log a promise to them", "Add a goal", "Add whom they trust"} <= can
        assert can <= offered and "Reached / done" not in offered
        assert "Mark kept" not in offered  # the main screen's, not this page's
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Change the stance")
        await pilot.pause(0.3)
        assert "Change the stance" in shown(pilot)
        await pilot.press("enter")
        await settle(pilot)
        # The stance form opened over the person's page, as s opens it there.
        assert "stance" in shown(pilot).lower()
        assert app.screen is not page and app.screen_stack[-2] is page


async def test_help_lists_every_key_including_d_i_ctrl_s_and_the_persons_page(
        demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(s.render()) for s in app.screen.query(Static))
        for command in commands("main"):
            assert command.long in text, command.id
        assert "the daily review" in text and "insights: which causes" in text
        assert "ctrl+s" in text
        assert "A person's page" in text
        for command in commands("person"):
            assert f"{command.keys:>22}  {command.long}" in text, command.id
