from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import BERLIN, FROZEN_NOW
from trustjournal.demo import write_demo
from trustjournal.domain.brief import compose_brief
from trustjournal.domain.commitment import Commitment
from trustjournal.domain.entry import Entry, EntryKind
from trustjournal.domain.errors import UnknownRecord
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.person import Goal, Milestone, Person
from trustjournal.domain.promise import Promise
from trustjournal.storage.journal import Journal

NOW = FROZEN_NOW
SECTIONS = [
    "## Their goals and milestones",
    "## Open promises",
    "## Kept since last check-in",
    "## Feedback and testimonials",
    "## Questions to ask",
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    journal = Journal(Path(tmp_path_factory.mktemp("demo")) / "journal.json")
    write_demo(journal, NOW, BERLIN)
    return journal.load()


def section(brief: str, title: str) -> list[str]:
    lines = brief.splitlines()
    start = lines.index(title)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
               len(lines))
    return [line for line in lines[start + 1:end] if line]


def test_dana_brief_has_every_section_in_order(demo: Ledger) -> None:
    brief = compose_brief(demo, 1, NOW, BERLIN)
    assert brief.splitlines()[0] == "# Check-in with Dana Whitfield — Wed 25 Nov 2026"
    positions = [brief.index(title) for title in SECTIONS]
    assert positions == sorted(positions)
    assert brief.endswith("\n")


def test_dana_goals_tick_reached_milestones(demo: Ledger) -> None:
    goals = section(compose_brief(demo, 1, NOW, BERLIN), "## Their goals and milestones")
    assert goals[0] == "- **Platform reliability to 99.9% this quarter**"
    assert "  - [x] incident runbooks reviewed — reached Sat 14 Nov" in goals
    assert "  - [ ] on-call load halved — Mon 7 Dec" in goals
    assert "  - [ ] canary checks on every deploy — Mon 30 Nov" in goals  # my commitment


def test_dana_kept_since_check_in_and_trusted_testimonial(demo: Ledger) -> None:
    brief = compose_brief(demo, 1, NOW, BERLIN)
    kept = section(brief, "## Kept since last check-in")
    assert kept[0] == "_Last check-in: Wed 18 Nov 16:30._"
    assert kept[1:] == ["- #17 Monday status note — kept Mon 23 Nov 09:05"]
    feedback = section(brief, "## Feedback and testimonials")
    assert "testimonial from Helen Brandt, whom they trust — worth mentioning" in feedback[0]
    assert "feedback received: Shorter. Lead with what is at risk." in feedback[1]
    assert "feedback asked" in feedback[2]  # newest first
    questions = section(brief, "## Questions to ask")
    assert questions[0] == "- What is Priya Raman asking of you right now?"
    assert "- What would make your week easier?" in questions
    assert any("Monday status note" in q for q in questions)


def test_marcus_overdue_promise_is_flagged_first(demo: Ledger) -> None:
    brief = compose_brief(demo, 2, NOW, BERLIN)
    promises = section(brief, "## Open promises")
    assert promises[0].startswith("- **OVERDUE** #15 replay last month's data through the harness")
    assert promises[1].startswith("- #19 walk Marcus through the beta replay results")
    assert section(brief, "## Kept since last check-in")[-1] == "_Nothing closed since then._"


def test_a_person_with_nothing_yet_still_gets_every_section() -> None:
    ledger = Ledger(people={1: Person(1, "Ada Quinn", NOW - timedelta(days=3))})
    brief = compose_brief(ledger, 1, NOW, BERLIN)
    for title in SECTIONS:
        assert title in brief
    assert "_No goals noted yet: ask what their leader is asking of them._" in brief
    assert "_Nothing open._" in brief
    assert "_No check-in logged yet; this covers the last 30 days._" in brief
    assert "_None in the last 90 days._" in brief
    assert "- What is your leader asking of you right now?" in brief


def test_unknown_person_is_refused() -> None:
    with pytest.raises(UnknownRecord):
        compose_brief(Ledger(), 1, NOW, BERLIN)


def test_feedback_window_trust_and_milestone_prompt() -> None:
    start = NOW - timedelta(days=200)
    ada = Person(1, "Ada Quinn", start, leader="Priya Raman, VP", trusts=(2, 3),
                 goals=(Goal("Ship Foo", (Milestone("beta", date(2026, 11, 20),
                                                    date(2026, 11, 24)),)),))
    people = {1: ada, 2: Person(2, "Helen Brandt", start), 3: Person(3, "Omar Said", start)}
    entries = [
        Entry(1, 1, EntryKind.FEEDBACK_RECEIVED, "too old to mention", NOW - timedelta(days=120)),
        Entry(2, 1, EntryKind.CHECK_IN, "1:1", NOW - timedelta(days=7)),
        Entry(3, 2, EntryKind.TESTIMONIAL, "Helen vouched\nfor the fix", NOW - timedelta(days=2)),
        Entry(4, 1, EntryKind.FEEDBACK_ASKED, "asked about the note", NOW - timedelta(days=1)),
        Entry(5, 1, EntryKind.NOTE, "not feedback", NOW - timedelta(days=1)),
    ]
    kept = Promise.make(text="send the plan", person_id=1, made_at=NOW - timedelta(days=5),
                        due=NOW - timedelta(days=3), zone="UTC", id=1)
    kept = kept.kept(NOW - timedelta(days=2))
    commitment = Commitment(1, 1, "Own the suite", start, goal="Ship Foo")
    ledger = Ledger(people=people, promises={1: kept}, entries={e.id: e for e in entries},
                    commitments={1: commitment})
    brief = compose_brief(ledger, 1, NOW, BERLIN)

    feedback = section(brief, "## Feedback and testimonials")
    assert "feedback asked: asked about the note" in feedback[0]
    assert "testimonial from Helen Brandt, whom they trust" in feedback[1]
    assert "Helen vouched for the fix" in feedback[1]  # one line, whatever was typed
    assert "Omar Said, whom they trust: worth asking" in feedback[2]
    assert "too old" not in brief and "not feedback" not in brief

    kept_lines = section(brief, "## Kept since last check-in")
    assert "- #1 send the plan — kept Mon 23 Nov 10:00" in kept_lines[1]
    assert "- milestone reached: beta — Tue 24 Nov" in kept_lines
    questions = section(brief, "## Questions to ask")
    assert "- “beta” is done: may I ask Priya Raman for feedback on it?" in questions
    assert "- How did “send the plan” land? Anything you would want done differently?" in questions
    assert "- Own the suite (for: Ship Foo)" in brief
