"""The forms as a person types into them: what is typed is what is saved, nothing pre-filled
gets in the way, a wrong value is said under its field and the form stays open."""

from __future__ import annotations

from textual.widgets import Input, Static

from tests.tui.conftest import settle, shown
from tests.tui.test_app import SIZE, open_person, select_person, stored
from trustjournal.tui.screens.form import FormScreen
from trustjournal.tui.screens.main import MainScreen


def _message(app, key: str) -> str:
    return str(app.screen.query_one(f"#m-{key}", Static).render())


async def test_quick_line_goes_to_the_person_typed_not_the_one_selected(demo_path,
                                                                        make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_person(pilot, app, "Dana Whitfield")
        await pilot.press("p")
        await pilot.pause()
        line = app.screen.query_one("#f-line", Input)
        assert line.value == "" and "Dana Whitfield" in line.placeholder
        await pilot.press(*"Sam: review the canary plan by tomorrow")
        await pilot.pause()
        assert "to Sam Iqbal" in _message(app, "line")
        await pilot.press("enter")
        await settle(pilot)
    promises = stored(demo_path)["promises"]
    newest = promises[max(promises, key=int)]
    people = stored(demo_path)["people"]
    assert people[str(newest["to"])]["name"] == "Sam Iqbal"
    assert newest["text"] == "review the canary plan"


async def test_quick_line_without_a_name_is_for_the_selected_person(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_person(pilot, app, "Dana Whitfield")
        await pilot.press("p", *"review the canary plan by tomorrow")
        await pilot.pause()
        assert "to Dana Whitfield" in _message(app, "line")
        await pilot.press("enter")
        await settle(pilot)
    promises = stored(demo_path)["promises"]
    newest = promises[max(promises, key=int)]
    assert newest["to"] == 1 and newest["text"] == "review the canary plan"


async def test_the_quick_line_reads_a_date_without_by_and_names_a_commitment(demo_path,
                                                                            make_app) -> None:
    commitments = stored(demo_path)["commitments"]
    marcus_id = next(int(k) for k, p in stored(demo_path)["people"].items()
                     if p["name"] == "Marcus Oyelaran")
    served = next(int(k) for k, c in commitments.items() if c["person"] == marcus_id)
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p", *f"Marcus: walk through the replay tomorrow +{served}")
        await pilot.pause()
        said = _message(app, "line")
        assert 'read "tomorrow" as the date' in said and f"serves #{served}" in said
        await pilot.press("enter")
        await settle(pilot)
    promises = stored(demo_path)["promises"]
    newest = promises[max(promises, key=int)]
    assert newest["to"] == marcus_id and newest["text"] == "walk through the replay"
    assert newest["commitment"] == served
    assert newest["events"][0]["due"].startswith("2026-11-26")


async def test_typing_over_the_usual_stance_gives_what_was_typed(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", *"Priya Raman", "enter", "enter", "enter")
        stance = app.screen.query_one("#f-stance", Input)
        assert stance.value == "" and "neutral" in stance.placeholder
        await pilot.press(*"detractor", "enter", "enter")
        prefers = app.screen.query_one("#f-prefers", Input)
        assert prefers.value == "" and "meeting" in prefers.placeholder
        await pilot.press(*"written", "enter", "enter", "enter")
        await settle(pilot)
    priya = next(p for p in stored(demo_path)["people"].values() if p["name"] == "Priya Raman")
    assert priya["stance_history"][0]["stance"] == "detractor"
    assert priya["prefers"] == "written"


async def test_the_usual_choices_are_kept_by_enter(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", *"Priya Raman", *["enter"] * 8)
        await settle(pilot)
    priya = next(p for p in stored(demo_path)["people"].values() if p["name"] == "Priya Raman")
    assert priya["stance_history"][0]["stance"] == "neutral" and priya["prefers"] == "meeting"


async def test_editing_a_stance_replaces_the_current_one_as_typed(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Dana Whitfield")
        await pilot.press("s")  # stance, on a person's page
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"supporter", "enter", *"backed my plan", "enter")
        await settle(pilot)
    dana = stored(demo_path)["people"]["1"]
    assert dana["stance_history"][-1]["stance"] == "supporter"


async def test_a_duplicate_name_keeps_the_form_open_with_the_error_under_name(demo_path,
                                                                             make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", *"dana whitfield", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "already in the journal" in _message(app, "name")
        assert app.screen.focused is app.screen.query_one("#f-name", Input)
        await pilot.press(*["enter"] * 6)  # Enter keeps asking; nothing typed is lost
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#f-name", Input).value == "dana whitfield"
        await pilot.press(*" K.", *["enter"] * 8)
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    names = [p["name"] for p in stored(demo_path)["people"].values()]
    assert names.count("Dana Whitfield") == 1 and "dana whitfield K." in names


async def test_an_unknown_name_in_the_quick_line_adds_them_in_one_undo_step(demo_path,
                                                                            make_app) -> None:
    before = stored(demo_path)
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p", *"Zed Arkin: send the notes by fri")
        await pilot.pause()
        said = _message(app, "line")
        assert "to Zed Arkin" in said and "Zed Arkin is new: Enter adds them too" in said
        assert "trustjournal" not in said
        await pilot.press("enter")
        await settle(pilot)
        after = stored(demo_path)
        zed = next(int(k) for k, p in after["people"].items() if p["name"] == "Zed Arkin")
        made = [p for p in after["promises"].values() if p["to"] == zed]
        assert [p["text"] for p in made] == ["send the notes"]
        await pilot.press("u")
        await settle(pilot)
    assert stored(demo_path)["people"] == before["people"]
    assert stored(demo_path)["promises"] == before["promises"]


async def test_an_empty_name_says_what_to_type_not_a_command(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", "enter")
        await pilot.pause()
        said = _message(app, "name")
        assert "e.g. Dana Whitfield" in said and "trustjournal" not in said


async def test_qa_typed_at_once_raises_nothing(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q", "a")
        await settle(pilot)
    assert app.return_code in (0, None)


async def test_q_and_a_form_key_on_a_persons_page_raise_nothing(demo_path, make_app) -> None:
    for key in "nes":
        app = make_app(demo_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await open_person(pilot, app, "Dana Whitfield")
            await pilot.press("q", key)
            await settle(pilot)
        assert app.return_code in (0, None)


def test_a_form_not_composed_checks_without_raising() -> None:
    """The `qa` traceback: a form mounted while the app closes has no fields to query."""
    from trustjournal.tui.fields import person_fields

    form = FormScreen("Add a person", person_fields(None), dict)
    assert form._check(form.fields[3], "neutral") == (True, form._check(form.fields[3],
                                                                         "neutral")[1])
    form.action_save()
    form._changed(Input.Changed(Input(id="f-kind"), "x"))


async def test_a_long_form_keeps_the_focused_field_and_the_hint_in_view(demo_path,
                                                                       make_app) -> None:
    """Too short a terminal for every field at once: Tab scrolls the focused one into view,
    its label with it, and the hint stays docked below."""
    app = make_app(demo_path)
    async with app.run_test(size=(80, 14)) as pilot:
        await settle(pilot)
        await select_person(pilot, app, "Dana Whitfield")
        await pilot.press("e")
        await pilot.pause()
        scroll = app.screen.query_one("#form-fields")
        assert scroll.max_scroll_y > 0  # the form does not fit: it has to scroll
        for _ in range(6):
            await pilot.press("tab")
            await pilot.pause()
            focused = app.screen.focused
            assert isinstance(focused, Input)
            box = focused.parent
            assert box is not None
            assert scroll.region.contains_region(box.region)
            assert "Enter: next / save" in shown(pilot)
        assert focused.id == "f-prefers" and scroll.scroll_y > 0


async def test_an_error_under_the_last_field_scrolls_into_view(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(80, 14)) as pilot:
        await settle(pilot)
        await pilot.press("a", *"Priya Raman", *["enter"] * 5, *"by pigeon", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        message = app.screen.query_one("#m-prefers", Static)
        assert "meeting" in str(message.render())
        scroll = app.screen.query_one("#form-fields")
        assert scroll.region.contains_region(message.region)
        assert "Enter: next / save" in shown(pilot)


async def test_keys_held_while_others_queue_keep_the_order_they_were_typed(demo_path,
                                                                          make_app) -> None:
    """The walkthrough's "Srunbook tomorrowam: review the deploy": keys held while a form
    opened were handed back behind keys typed meanwhile. Now they keep their order."""
    from textual import events

    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        line = app.screen.query_one("#f-line", Input)
        token = app.hold_keys()
        for ch in "Sam":
            app.post_message(events.Key(ch, ch))
        await pilot.pause()
        assert line.value == ""  # held
        for ch in ": review":  # typed while the held ones wait: already in the queue
            app.post_message(events.Key("space" if ch == " " else ch, ch))
        app._drop_hold(token)
        await settle(pilot)  # until every held key is handed back and taken
        assert line.value == "Sam: review"


async def test_long_text_gets_lines_of_its_own(demo_path, make_app) -> None:
    """An entry's words in a TextArea: ctrl+j starts a new line, Enter saves as everywhere."""
    from textual.widgets import TextArea

    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Sam Iqbal")
        await pilot.press("n", "enter")
        await pilot.pause()
        assert isinstance(app.screen.focused, TextArea)
        assert "ctrl+j: new line" in shown(pilot)
        await pilot.press(*"asked what worries him", "ctrl+j", *"he said the pager", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
    texts = [e["text"] for e in stored(demo_path)["entries"].values()]
    assert "asked what worries him\nhe said the pager" in texts
