"""Regenerate the SVGs in screenshots/ from the demo journal at a frozen date.

    python screenshots/make.py

Each picture is the real app, driven by keys, in a headless terminal of the given size.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from trustjournal.demo import write_demo
from trustjournal.storage.journal import Journal
from trustjournal.tui.app import TrustJournalApp

ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZONE)
HERE = Path(__file__).parent

SHOTS: Sequence[tuple[str, tuple[int, int], Sequence[str], bool, str]] = (
    # name, size, keys, empty journal, theme
    ("main", (140, 40), (), False, "textual-dark"),
    ("main-light", (140, 40), (), False, "textual-light"),
    ("main-80x24", (80, 24), (), False, "textual-dark"),
    ("quick-promise", (140, 40), ("p", *"Dana: send the Foo risk list by fri 5pm"), False,
     "textual-dark"),
    ("renegotiate", (140, 40), ("down", "down", "r", *"next tue"), False, "textual-dark"),
    ("person", (140, 40), ("shift+tab", "down", "down", "enter"), False, "textual-dark"),
    ("first-run", (140, 40), (), True, "textual-dark"),
    ("help", (140, 40), ("question_mark",), False, "textual-dark"),
    ("review", (140, 40), ("d",), False, "textual-dark"),
    ("review-summary", (140, 40), ("d", *["s"] * 12, *["enter"] * 6, *["s"] * 4), False,
     "textual-dark"),
    ("update", (140, 40), ("shift+tab", "down", "down", "enter", "u"), False, "textual-dark"),
    ("insights", (140, 40), ("i",), False, "textual-dark"),
)


async def shoot(name: str, size: tuple[int, int], keys: Sequence[str], empty: bool,
                theme: str, folder: Path) -> Path:
    path = folder / f"{name}.json"
    if not empty:
        write_demo(Journal(path), NOW, ZONE)
    app = TrustJournalApp(Journal(path), clock=lambda: NOW, zone=ZONE)
    async with app.run_test(size=size) as pilot:
        app.theme = theme
        await pilot.pause(0.3)
        for worker in list(app.workers):
            await worker.wait()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            # Not a question waiting on its answer (an "ask" worker): only load and save.
            for worker in [w for w in app.workers if w.group != "ask"]:
                await worker.wait()
        await pilot.pause(0.2)
        return Path(app.save_screenshot(f"{name}.svg", path=str(HERE)))


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, size, keys, empty, theme in SHOTS:
            print(await shoot(name, size, keys, empty, theme, Path(folder)))


if __name__ == "__main__":
    asyncio.run(main())
