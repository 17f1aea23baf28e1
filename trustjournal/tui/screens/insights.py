"""Looking at yourself (practice 11): what keeps breaking, across everyone."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from trustjournal.domain.insights import insights
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.record import percent, track_record
from trustjournal.tui import safe
from trustjournal.tui.commands import bindings
from trustjournal.tui.session import Session
from trustjournal.tui.widgets.keybar import KeyBar


class InsightsScreen(Screen[None]):
    SCOPE = "insights"
    BINDINGS = bindings("insights")

    def __init__(self, session: Session, ledger: Ledger) -> None:
        super().__init__()
        self.session = session
        self.ledger = ledger

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="insights") as page:
            page.border_title = "Insights — across everyone"
            for title, body in self.sections():
                yield Static(Content(title), classes="section-title")
                yield Static(safe.content(body), classes="section")
        yield KeyBar()

    def sections(self) -> list[tuple[str, Content]]:
        ledger = self.ledger
        now = self.session.now()
        found = insights(ledger, list(ledger.repairs.values()))
        record = track_record(list(ledger.promises.values()), now)
        overall = Content.assemble(
            f"Follow-through: last 30 days {percent(record.last_30)}, last 90 days "
            f"{percent(record.last_90)} · on-time streak {record.streak}\n",
            "Weekly, last 12 weeks: ", (record.spark.replace(" ", "·"), "bold $accent"))
        if found.causes:
            causes = Content("\n").join(
                Content(f"{count:>3} × {cause.value}") for cause, count in found.causes)
        else:
            causes = Content("No breach has a named cause yet. When one happens, record it "
                             "from the shell: trustjournal repair NAME \"what happened\" "
                             "--cause communication")
        if found.failing_kinds:
            kinds = Content("\n").join(
                Content(f"{k.failed:>3} of {k.closed:<3} “{k.kind}” promises broken or "
                        "kept more than a day late")
                for k in found.failing_kinds)
        else:
            kinds = Content("No kind of promise keeps failing. Keep it that way: start small.")
        if found.late_renegotiations:
            late = Content("\n").join(
                Content(f"{n:>3} × with {ledger.name_of(pid)}")
                for pid, n in found.late_renegotiations)
        else:
            late = Content("None: every renegotiation came before the due time.")
        return [
            ("Your record overall", overall),
            ("Causes of breaches", causes),
            ("Kinds of promise that keep failing", kinds),
            ("Renegotiated only after the due time (say it before, next time)", late),
        ]

    def action_back(self) -> None:
        self.app.pop_screen()
