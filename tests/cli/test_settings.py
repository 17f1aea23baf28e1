"""Settings: the config file, its precedence (default < file < environment < flag), bad values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from trustjournal.storage import config


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "xdg-config" / "trustjournal" / "config.toml"


def _show(cli: Cli) -> dict:
    return json.loads(cli("config", "show", "--json").out)["settings"]


def test_init_writes_a_commented_file_that_changes_nothing(cli: Cli, settings_file: Path
                                                           ) -> None:
    before = _show(cli)
    assert before.pop("journal")["from"] == "flag"  # the cli fixture passes --db
    assert all(v["from"] == "default" for v in before.values())
    made = cli("config", "init")
    assert made.code == 0 and settings_file.exists()
    assert oct(settings_file.stat().st_mode & 0o777) == "0o600"
    text = settings_file.read_text()
    assert all(f"# {key.name} = " in text for key in config.KEYS)
    after = _show(cli)
    after.pop("journal")
    assert after == before
    again = cli("config", "init")
    assert again.code == 1 and "already exists" in again.err


def test_precedence_default_file_environment_flag(cli: Cli, settings_file: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text(f'end_of_day = "18:00"\nupdate_words = 40\n'
                             f'journal = "{tmp_path / "from-file.json"}"\n')
    shown = _show(cli)
    assert shown["end_of_day"] == {"value": "18:00", "from": "file"}
    assert shown["update_words"]["from"] == "file"
    monkeypatch.setenv("TRUSTJOURNAL_END_OF_DAY", "19:30")
    monkeypatch.setenv("TRUSTJOURNAL_DB", str(tmp_path / "from-env.json"))
    shown = _show(cli)
    assert shown["end_of_day"] == {"value": "19:30",
                                   "from": "environment (TRUSTJOURNAL_END_OF_DAY)"}
    # the cli fixture passes --db: the flag wins over the environment and the file
    assert shown["journal"]["from"] == "flag"
    assert shown["update_words"] == {"value": "40", "from": "file"}


def test_end_of_day_and_week_reach_every_date(cli: Cli, settings_file: Path) -> None:
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text('end_of_day = "18:00"\nend_of_week = "thu"\n')
    assert cli("person", "add", "Dana").code == 0
    assert cli("promise", "x", "--to", "dana", "--due", "fri").out.endswith(
        "due Fri 27 Nov 18:00\n")
    assert cli("promise", "y", "--to", "dana", "--due", "eow").out.endswith(
        "due Thu 26 Nov 18:00\n")
    today = cli("promise", "z", "--to", "dana", "--due", "today")
    assert today.code == 0 and "18:00" in today.out


def test_first_day_of_week_moves_this_and_next(cli: Cli, settings_file: Path) -> None:
    settings_file.parent.mkdir(parents=True)
    assert cli("person", "add", "Dana").code == 0
    # Wednesday 25 Nov: with weeks from Monday, "this tue" is yesterday's week: 24 Nov.
    plain = cli("promise", "a", "--to", "dana", "--due", "next tue")
    settings_file.write_text('first_day_of_week = "wed"\n')
    moved = cli("promise", "b", "--to", "dana", "--due", "next tue")
    assert "Tue 1 Dec" in plain.out and "Tue 8 Dec" in moved.out


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('end_of_day = "late"', 'end_of_day is not a time of day, e.g. end_of_day = "18:00"'),
        ('end_of_week = "someday"', 'end_of_week is not a weekday, e.g. end_of_week = "fri"'),
        ('first_day_of_week = 3', "first_day_of_week is not a weekday"),
        ('time_zone = "Mars/Olympus"', "time_zone is not a time zone"),
        ("update_words = 5", "update_words should be a number of words from 10 to 500"),
        ('review_skip = ["summary"]', 'review_skip names "summary"'),
        ('reminder = "soon"', "reminder is not a lead time"),
        ("theme = 3", "theme should be text"),
        ("colour = 1", "unknown key 'colour'"),
        ("end_of_day = ", "is not valid TOML"),
    ],
)
def test_a_bad_value_is_one_line_naming_file_and_key(cli: Cli, settings_file: Path,
                                                     journal_path: Path, line: str,
                                                     says: str) -> None:
    assert cli("person", "add", "Dana").code == 0
    before = journal_path.read_bytes()
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text(line + "\n")
    result = cli("promise", "x", "--to", "dana", "--due", "fri")
    assert result.code == 1 and result.err.count("\n") == 1, result.err
    assert str(settings_file) in result.err and says in result.err
    assert journal_path.read_bytes() == before


def test_a_bad_environment_value_names_the_variable(cli: Cli, monkeypatch: pytest.MonkeyPatch
                                                    ) -> None:
    monkeypatch.setenv("TRUSTJOURNAL_UPDATE_WORDS", "many")
    result = cli("config", "show")
    assert result.code == 1 and "TRUSTJOURNAL_UPDATE_WORDS" in result.err


def test_the_update_budget_and_the_theme(cli: Cli, settings_file: Path) -> None:
    assert cli("demo").code == 0
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text("# mine\nupdate_words = 20\n")
    draft = json.loads(cli("update", "marcus", "--json").out)
    assert draft["budget"] == 20 and draft["fits"] is (draft["words"] <= 20)
    config.save_theme(settings_file, "gruvbox")
    text = settings_file.read_text()
    assert text.startswith("# mine\n") and 'theme = "gruvbox"' in text
    config.save_theme(settings_file, "nord")
    assert text.count("theme") == 1 and settings_file.read_text().count('theme = "nord"') == 1
    assert _show(cli)["theme"] == {"value": "nord", "from": "file"}


def test_a_repeat_said_without_a_time_falls_at_the_set_end_of_day(cli: Cli,
                                                                   settings_file: Path) -> None:
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text('end_of_day = "18:00"\n')
    assert cli("person", "add", "Dana").code == 0
    made = cli("promise", "status", "note", "--to", "dana", "--every", "fri")
    assert made.code == 0 and "Fri 27 Nov 18:00" in made.out, made.out


def test_the_quick_line_reads_with_the_settings() -> None:
    from datetime import time

    from tests.conftest import BERLIN, FROZEN_NOW
    from trustjournal.domain.dates import Week
    from trustjournal.domain.person import Person
    from trustjournal.domain.quick import parse_quick

    dana = [Person(1, "Dana", FROZEN_NOW)]
    plain = parse_quick("Dana: x by eow", dana, FROZEN_NOW, BERLIN)
    mine = parse_quick("Dana: x by eow", dana, FROZEN_NOW, BERLIN, end_of_day=time(18),
                       week=Week(ends=3))
    assert (plain.due.day, plain.due.hour) == (27, 17) and (mine.due.day, mine.due.hour) == (26, 18)
    every = parse_quick("Dana: note every fri", dana, FROZEN_NOW, BERLIN, end_of_day=time(18))
    assert every.rule is not None and every.due.astimezone(BERLIN).hour == 18
