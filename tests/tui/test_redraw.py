"""A change of the journal is drawn once, not once for the journal and again for the minute."""

from __future__ import annotations

from tests.tui.conftest import settle
from trustjournal.tui.app import TrustJournalApp
from trustjournal.tui.messages import LedgerChanged


async def test_a_ledger_change_redraws_the_main_screen_once(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        main = app.main
        drawn = []
        original = main.redraw
        main.redraw = lambda: (drawn.append(1), original())[1]  # type: ignore[method-assign]
        app.post_message(LedgerChanged(app.session.ledger))
        await settle(pilot)
        assert len(drawn) == 1, f"drawn {len(drawn)} times for one change"


async def test_the_history_is_read_once_the_first_frame_is_drawn(demo_path, make_app,
                                                                  monkeypatch) -> None:
    app = make_app(demo_path)
    complete_when_drawn = []
    original = TrustJournalApp.on_ledger_changed

    def drawn(self: TrustJournalApp, message: LedgerChanged) -> None:
        complete_when_drawn.append(self.session.complete)
        original(self, message)

    monkeypatch.setattr(TrustJournalApp, "on_ledger_changed", drawn)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        # First the people and open promises alone, and only after that frame the history
        # (read meanwhile, it competed with the first frame for the interpreter).
        assert complete_when_drawn[:2] == [False, True], complete_when_drawn
        assert app.session.complete
