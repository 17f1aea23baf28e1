from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from tests.conftest import FROZEN_NOW


def test_the_done_when_story(dana: Cli) -> None:
    logged = dana("promise", "send the Q3 numbers", "--to", "dana", "--due", "fri 5pm")
    assert logged.code == 0
    assert logged.out == "#1 to Dana Whitfield, due Fri 27 Nov 17:00\n"
    assert "Nothing overdue" in dana("due").out
    later = FROZEN_NOW + timedelta(days=3)
    overdue = dana("due", "--check", at=later)
    assert overdue.code == 1
    assert "OVERDUE" in overdue.out and "send the Q3 numbers" in overdue.out
    kept = dana("kept", "1", at=later)
    assert kept.code == 0 and "kept 17 h late" in kept.out
    assert dana("due", "--check", at=later).code == 0


def test_unquoted_words_are_joined(dana: Cli) -> None:
    logged = dana("promise", "send", "the", "deck", "--to", "Dana", "--due", "tomorrow", "noon")
    assert logged.out == "#1 to Dana Whitfield, due Thu 26 Nov 12:00\n"


def test_list_filters_and_json_shape(dana: Cli) -> None:
    dana("person", "add", "Marcus Oyelaran")
    dana("promise", "a", "--to", "dana", "--due", "tomorrow")
    dana("promise", "b", "--to", "marcus", "--due", "fri")
    dana("kept", "1")
    assert "b" in dana("list").out and "  a" not in dana("list").out
    everything = json.loads(dana("list", "--all", "--json").out)
    assert [p["id"] for p in everything] == [1, 2]
    first = everything[0]
    assert {"id", "text", "to", "made_at", "due", "status", "overdue"} <= set(first)
    assert first["status"] == "kept" and first["to_name"] == "Dana Whitfield"
    assert first["due"] == "2026-11-26T16:00:00Z"
    only_marcus = json.loads(dana("list", "--all", "--to", "marc", "--json").out)
    assert [p["text"] for p in only_marcus] == ["b"]
    overdue = json.loads(dana("list", "--overdue", "--json", at=FROZEN_NOW + timedelta(days=5)).out)
    assert [(p["text"], p["overdue"]) for p in overdue] == [("b", True)]


def test_due_lists_overdue_then_today(dana: Cli) -> None:
    dana("promise", "today thing", "--to", "dana", "--due", "eod")
    dana("promise", "old thing", "--to", "dana", "--due", "mon", "--made", "last fri")
    dana("person", "edit", "dana", "--checkin", "weekly")
    result = json.loads(dana("due", "--json", at=FROZEN_NOW + timedelta(hours=1)).out)
    assert [p["text"] for p in result["overdue"]] == ["old thing"]
    assert [p["text"] for p in result["due_today"]] == ["today thing"]
    assert result["checkins"] == []
    later = json.loads(dana("due", "--json", at=FROZEN_NOW + timedelta(days=8)).out)
    assert later["checkins"] == [{"person": 1, "name": "Dana Whitfield", "cadence": "weekly",
                                  "due_since": "2026-12-02T09:00:00Z", "last_contact": None}]


def test_backfilled_promise_needs_made(dana: Cli) -> None:
    refused = dana("promise", "late report", "--to", "dana", "--due", "yesterday")
    assert refused.code == 1 and "--made" in refused.err
    ok = dana("promise", "late report", "--to", "dana", "--due", "tue", "--made", "mon 10am")
    assert ok.code == 0 and "Tue 24 Nov 17:00" in ok.out


def test_renegotiate_release_break(dana: Cli) -> None:
    for text in ("a", "b", "c"):
        dana("promise", text, "--to", "dana", "--due", "fri")
    early = dana("renegotiate", "1", "--due", "next tue", "--note", "data", "is", "late")
    assert early.code == 0 and "before it was due" in early.out and "Tue 1 Dec" in early.out
    late = dana(
        "renegotiate",
        "#2",
        "--due",
        "next wed",
        "--note",
        "sorry",
        at=FROZEN_NOW + timedelta(days=3),
    )
    assert "after it was due" in late.out
    assert dana("released", "3", "--note", "not needed").code == 0
    shown = {p["id"]: p for p in json.loads(dana("list", "--all", "--json").out)}
    assert shown[3]["status"] == "released"
    assert shown[1]["renegotiations"] == 1 and shown[1]["due"] == "2026-12-01T16:00:00Z"
    broken = dana("broken", "1", "--note", "dropped it")
    assert broken.code == 0 and 'log "Dana Whitfield" acknowledgement' in broken.out
    shown = {p["id"]: p for p in json.loads(dana("list", "--all", "--json").out)}
    assert shown[1]["status"] == "broken"


def test_person_commands(dana: Cli) -> None:
    assert dana("person", "stance", "dana", "neutral", "--reason", "liked", "the", "note").code == 0
    assert (
        dana("person", "goal", "dana", "Reliability 99.9%", "--milestone", "runbooks@dec 5").code
        == 0
    )
    assert dana("commitment", "add", "dana", "cut", "my", "pages", "--goal", "reli").code == 0
    assert dana("log", "dana", "checkin", "weekly 1:1 went well").code == 0
    shown = dana("person", "show", "dana").out
    for fragment in (
        "Director of Platform",
        "skeptic",
        "neutral — liked the note",
        "Reliability 99.9%",
        "runbooks (2026-12-05)",
        "cut my pages",
        "check in: weekly 1:1 went well",
    ):
        assert fragment in shown.replace("check-in:", "check in:")
    people = json.loads(dana("person", "list", "--json").out)
    assert people[0]["name"] == "Dana Whitfield" and people[0]["stance"] == "neutral"
    assert people[0]["role"] == "Director of Platform"


BAD_INPUTS = [
    (("promise", "x", "--to", "dana", "--due", "fridya"), "could not read"),
    (("promise", "x", "--to", "zed", "--due", "fri"), "no one called"),
    (("promise", "   ", "--to", "dana", "--due", "fri"), "cannot be empty"),
    (("kept", "99"), "no promise #99"),
    (("person", "add", "dana whitfield"), "already in the journal"),
    (("kept", "1"), "already kept"),
    (("log", "dana", "gossip", "x"), "not a kind of entry"),
    (("person", "add", "X", "--checkin", "sometimes"), "cadence"),
    (("person", "add", "X", "--stance", "enemy"), "not a stance"),
    (("renegotiate", "2", "--due", "yesterday", "--note", "x"), "future"),
    (("commitment", "add", "dana", "x", "--goal", "nope"), "has no goal"),
    (("promise", "x", "--to", "dana w", "--due", "fri", "--commitment", "7"), "no commitment #7"),
]


@pytest.mark.parametrize(("argv", "message"), BAD_INPUTS)
def test_bad_input_is_one_line_exit_1_journal_unchanged(
    dana: Cli, journal_path: Path, argv: tuple[str, ...], message: str
) -> None:
    dana("person", "add", "Danielle Ko")
    dana("promise", "done already", "--to", "dana w", "--due", "fri")
    dana("promise", "open one", "--to", "dana w", "--due", "fri")
    dana("kept", "1")
    before = journal_path.read_bytes()
    result = dana(*argv)
    assert result.code == 1, result
    assert message in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert journal_path.read_bytes() == before


def test_ambiguous_person_lists_matches(dana: Cli, journal_path: Path) -> None:
    dana("person", "add", "Danielle Ko")
    before = journal_path.read_bytes()
    result = dana("promise", "x", "--to", "dan", "--due", "fri")
    assert result.code == 1 and "Dana Whitfield, Danielle Ko" in result.err
    assert journal_path.read_bytes() == before


@pytest.mark.parametrize(
    "argv",
    [
        ("promise", "x", "--due", "fri"),
        ("kept", "abc"),
        ("frobnicate",),
        ("list", "--open", "--all"),
    ],
)
def test_usage_errors_exit_2_with_one_line(cli: Cli, argv: tuple[str, ...]) -> None:
    result = cli(*argv)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "--help" in result.err


def test_corrupt_journal_is_refused_and_untouched(cli: Cli, journal_path: Path) -> None:
    journal_path.parent.mkdir(parents=True)
    journal_path.write_bytes(b'{"meta": {"1": {"schema": 1}}, "people": {"1": ')
    for argv in (("list",), ("person", "add", "X"), ("due",)):
        result = cli(*argv)
        assert (
            result.code == 1 and "not valid JSON" in result.err and str(journal_path) in result.err
        )
    assert journal_path.read_bytes() == b'{"meta": {"1": {"schema": 1}}, "people": {"1": '


def test_demo_tells_a_story_and_never_overwrites(cli: Cli, journal_path: Path) -> None:
    result = cli("demo")
    assert result.code == 0, result.err
    people = json.loads(cli("person", "list", "--json").out)
    assert {"Dana Whitfield", "Marcus Oyelaran", "Helen Brandt"} <= {p["name"] for p in people}
    promises = json.loads(cli("list", "--all", "--json").out)
    outcomes = {p["outcome"] for p in promises}
    assert {"kept", "kept late", "broken", "released", "overdue", "open"} <= outcomes
    assert any(p["renegotiations"] for p in promises)
    before = journal_path.read_bytes()
    again = cli("demo")
    assert again.code == 0 and "already at" in again.out
    assert journal_path.read_bytes() == before


def test_demo_never_writes_over_a_journal_of_yours(cli: Cli, journal_path: Path) -> None:
    assert cli("person", "add", "Dana").code == 0
    before = journal_path.read_bytes()
    refused = cli("demo")
    assert refused.code == 1 and "never overwrites" in refused.err
    suggested = refused.err.split("--db ")[1].split()[0]
    assert suggested != str(journal_path) and not Path(suggested).exists()
    assert journal_path.read_bytes() == before


def test_demo_scales(cli: Cli) -> None:
    assert cli("demo", "--promises", "600").code == 0
    promises = json.loads(cli("list", "--all", "--json").out)
    assert len(promises) == 600
    assert sorted(p["id"] for p in promises) == list(range(1, 601))
    assert sum(p["status"] == "open" for p in promises) < 150


def test_db_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trustjournal.cli import run

    path = tmp_path / "env.json"
    monkeypatch.setenv("TRUSTJOURNAL_DB", str(path))
    assert run(["person", "add", "Dana"], now=FROZEN_NOW) == 0
    assert path.exists()


def test_due_flags_check_ins_too(cli: Cli) -> None:
    cli("person", "add", "Dana Whitfield", "--checkin", "weekly")
    assert "Check-ins due" not in cli("due").out
    later = FROZEN_NOW + timedelta(days=8)
    flagged = cli("due", at=later)
    assert "Check-ins due (1):" in flagged.out and "Dana Whitfield — weekly" in flagged.out
    assert flagged.code == 0 and cli("due", "--check", at=later).code == 0  # promises only
    cli("log", "dana", "check-in", "caught up on the numbers", at=later)
    assert "Check-ins due" not in cli("due", at=later + timedelta(hours=1)).out


@pytest.mark.parametrize("pinned", [True, False])
def test_the_app_keeps_a_pinned_clock(cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                      pinned: bool) -> None:
    import trustjournal.cli.commands
    import trustjournal.tui

    seen: dict[str, object] = {}

    def fake_launch(journal: object, zone: object, *, review: bool = False,
                    clock: object = None, config: object = None) -> int:
        seen.update(clock=clock, review=review)
        return 0

    monkeypatch.setattr(trustjournal.tui, "launch", fake_launch)
    # pytest's stdin is no terminal; the no-terminal refusal has its own test (test_process).
    monkeypatch.setattr(trustjournal.cli.commands, "need_terminal", lambda ctx, what: None)
    if pinned:
        monkeypatch.setenv("TRUSTJOURNAL_NOW", FROZEN_NOW.isoformat())
    assert cli().code == 0
    clock = seen["clock"]
    assert (clock() if callable(clock) else None) == (FROZEN_NOW if pinned else None)
    assert cli("review").code == 0 and seen["review"] is True
