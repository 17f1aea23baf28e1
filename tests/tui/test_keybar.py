"""The key bar at the foot of each screen: the keys that act now, dimmed when they cannot."""

from __future__ import annotations

from tests.tui.conftest import settle, shown
from trustjournal.tui.screens.help import HelpScreen
from trustjournal.tui.widgets.keybar import KeyBar


def dimmed(pilot) -> set[str]:
    """The words on the screen's bottom line painted fainter than "Promise" (Textual paints
    dim text in a blended colour)."""
    strip = pilot.app.screen._compositor.render_strips()[-1]
    colour = {segment.text.strip(): segment.style.color for segment in strip
              if segment.style and segment.text.strip()}
    return {word for word, painted in colour.items() if painted != colour["Promise"]
            and word in ("Promise", "Kept", "Reneg.", "Broken", "Released", "Entry", "Review",
                         "Help", "Quit")}


async def test_the_bar_follows_focus_dims_what_cannot_act_and_a_click_presses_a_key(
        demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        bottom = shown(pilot).splitlines()[-1]
        assert "p Promise" in bottom and "k Kept" in bottom and "q Quit" in bottom
        assert bottom.rstrip().endswith("^p palette"), bottom
        bar = app.screen.query_one(KeyBar)
        # "Everyone" is selected: an entry needs a person, so its key is dim.
        assert dimmed(pilot) == {"Entry"}

        await pilot.press("shift+tab", "down")  # the first person in the People pane
        await settle(pilot)
        assert "Entry" not in dimmed(pilot), "the bar did not follow the selection"

        # A click on "? Help" presses "?".
        start = next(start for start, _end, key in bar._spans if key.key == "question_mark")
        await pilot.click(KeyBar, offset=(start + 1, 0))
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_narrow_bar_is_compact_and_has_no_palette_key(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bottom = shown(pilot).splitlines()[-1]
        assert bottom.startswith("p Promise k Kept"), bottom
        assert "palette" not in bottom


async def test_keys_that_do_not_fit_end_in_the_key_that_lists_them(demo_path, make_app) -> None:
    from trustjournal.tui.screens.person import PersonScreen

    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        marcus = next(p for p in app.ledger.people.values() if p.name == "Marcus Oyelaran")
        app.push_screen(PersonScreen(app.flows, marcus.id))
        await settle(pilot)
        bottom = shown(pilot).splitlines()[-1].rstrip()
        assert bottom.startswith("k Kept r Reneg.") and bottom.endswith("… ? Help"), bottom
