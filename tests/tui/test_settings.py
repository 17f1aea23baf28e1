"""Settings reach the app (end of day in every date, the theme saved where the config lives),
and the app's own files and words: screenshots in the data folder 0600, an honest clipboard,
the method in the help."""

from __future__ import annotations

import json
import stat
from datetime import datetime, time
from pathlib import Path

from textual.widgets import Static

from tests.conftest import BERLIN
from tests.tui.conftest import settle, shown
from trustjournal.domain.settings import Settings
from trustjournal.storage import config
from trustjournal.storage.config import Loaded
from trustjournal.tui.screens.help import PRACTICE_KEYS, HelpScreen
from trustjournal.tui.widgets.panes import PromiseLedger

SIZE = (140, 40)


def loaded(tmp_path: Path, **settings: object) -> Loaded:
    return Loaded(Settings(**settings), {}, tmp_path / "config" / "config.toml")  # type: ignore[arg-type]


def newest_promise(path: Path) -> dict:
    promises = json.loads(path.read_text())["promises"]
    return promises[max(promises, key=int)]


def due_of(doc: dict) -> datetime:
    due = [e["due"] for e in doc["events"] if e.get("due")][-1]
    return datetime.fromisoformat(due.replace("Z", "+00:00")).astimezone(BERLIN)


def messages(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def test_end_of_day_from_the_settings_in_the_quick_line(demo_path, make_app,
                                                              tmp_path) -> None:
    app = make_app(demo_path, config=loaded(tmp_path, end_of_day=time(18, 0)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p", *"Dana: send the deck by fri", "enter")
        await settle(pilot)
        assert due_of(newest_promise(demo_path)) == datetime(2026, 11, 27, 18, 0, tzinfo=BERLIN)
        await pilot.press("p", *"Dana: the numbers every fri")
        await pilot.pause()
        assert "every Fri 18:00" in shown(pilot)


async def test_end_of_day_from_the_settings_in_a_form(demo_path, make_app, tmp_path) -> None:
    app = make_app(demo_path, config=loaded(tmp_path, end_of_day=time(18, 0)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = app.main.query_one("#ledger", PromiseLedger)
        promise_id = pane.current.promise.id
        await pilot.press("r", *"fri", "enter", *"asked; the export slipped", "enter")
        await settle(pilot)
        doc = json.loads(demo_path.read_text())["promises"][str(promise_id)]
        assert due_of(doc) == datetime(2026, 11, 27, 18, 0, tzinfo=BERLIN)


async def test_theme_from_the_settings_and_the_one_picked_is_saved(demo_path, make_app,
                                                                   tmp_path) -> None:
    settings = loaded(tmp_path, theme="nord")
    app = make_app(demo_path, config=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        assert not settings.path.exists()  # applying the saved theme writes nothing
        app.theme = "gruvbox"  # what the palette's theme picker does
        await settle(pilot)
        await settle(pilot)
        text = settings.path.read_text()
        assert 'theme = "gruvbox"' in text
        assert config.load(path=settings.path, environ={}).settings.theme == "gruvbox"


async def test_screenshot_goes_to_the_data_folder_readable_by_you_alone(demo_path, make_app,
                                                                        ) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        folder = demo_path.parent / "screenshots"
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert str(folder) in commands["Screenshot"]
        app.action_screenshot()
        await settle(pilot)
        (svg,) = folder.glob("*.svg")
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(svg.stat().st_mode) == 0o600
        assert svg.read_text().lstrip().startswith("<svg")
        assert f"Screenshot saved to {svg}" in messages(app)


async def test_copy_says_it_may_not_have_worked_and_how_to_copy_from_the_shell(
        demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.copy_to_clipboard = lambda text: None  # a terminal that ignores OSC 52
        await pilot.press("shift+tab")
        people = app.main.query_one("#people")
        while people.current.person is None or people.current.person.name != "Dana Whitfield":
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        said = messages(app)
        assert "Copied — if your terminal allows it" in said
        assert "Copied." not in said
        for fallback in ("trustjournal update dana | pbcopy", "| wl-copy",
                         "| xclip -selection clipboard"):
            assert fallback in said


async def test_update_keeps_the_word_budget_of_the_settings(demo_path, make_app,
                                                            tmp_path) -> None:
    app = make_app(demo_path, config=loaded(tmp_path, update_words=12))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("shift+tab")
        people = app.main.query_one("#people")
        while people.current.person is None or people.current.person.name != "Dana Whitfield":
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = shown(pilot)
        assert "12-word budget" in screen or "budget (12)" in screen


async def test_review_leaves_out_the_steps_the_settings_skip(demo_path, make_app,
                                                             tmp_path) -> None:
    app = make_app(demo_path, config=loaded(tmp_path, review_skip=frozenset({"overdue"})))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        steps = {item.step.value for item in app.screen.items}
        assert "overdue" not in steps and "summary" in steps


async def test_help_explains_the_method_with_the_keys_for_each_practice(demo_path,
                                                                        make_app) -> None:
    from trustjournal.cli.manual import METHOD

    app = make_app(demo_path)
    async with app.run_test(size=(140, 120)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        # Every line of the help, scrolled into view or not.
        screen = "\n".join(str(w.content) for w in app.screen.query(Static))
        assert "The method" in screen and "Keys" in shown(pilot)
        for title in ("Know the person", "Face it head-on", "Keep every promise",
                      "Look at yourself"):
            assert title in METHOD and title in screen
        assert "log each one as it is made" in screen
        assert screen.count("here:") == len(PRACTICE_KEYS) == 11
