"""The manual inside the product: help topics and shell completion."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from trustjournal.cli.manual import TOPICS
from trustjournal.domain.entry import EntryKind
from trustjournal.domain.repair import Cause


@pytest.mark.parametrize("topic", list(TOPICS))
def test_every_topic_prints_something_plain(cli: Cli, topic: str, journal_path: Path) -> None:
    result = cli("help", topic)
    assert result.code == 0 and len(result.out.splitlines()) > 3
    assert "\x1b" not in result.out and not journal_path.exists()


def test_topics_come_from_what_the_code_accepts(cli: Cli) -> None:
    kinds = cli("help", "kinds").out
    assert all(kind.value in kinds for kind in EntryKind)
    causes = cli("help", "causes").out
    assert all(cause.value in causes for cause in Cause)
    assert "kept late, by up to a day" in cli("help", "credit").out
    assert "fri 5pm" in cli("help", "dates").out
    method = cli("help", "method").out
    assert all(f"{n} " in method for n in range(1, 12))


def test_help_lists_topics_and_refuses_an_unknown_one(cli: Cli) -> None:
    listed = cli("help")
    assert listed.code == 0 and all(topic in listed.out for topic in TOPICS)
    assert cli("help", "da").out == cli("help", "dates").out
    bad = cli("help", "mars")
    assert bad.code == 1 and "not a help topic" in bad.err and bad.err.count("\n") == 1


def _bash_complete(script: Path, *words: str) -> list[str]:
    line = " ".join(words)
    program = (f"source {script}; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; "
               '_trustjournal; printf "%s\\n" "${COMPREPLY[@]}"')
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_bash_completion_loads_and_completes(cli: Cli, tmp_path: Path) -> None:
    script = tmp_path / "trustjournal.bash"
    script.write_text(cli("completion", "bash").out)
    assert subprocess.run(["bash", "-n", str(script)], timeout=60).returncode == 0
    assert _bash_complete(script, "trustjournal", "ren") == ["renegotiate"]
    assert _bash_complete(script, "trustjournal", "--db", "x", "person", "ed") == ["edit"]
    assert "--commitment" in _bash_complete(script, "trustjournal", "milestone", "reached", "--")
    assert _bash_complete(script, "trustjournal", "help", "x") == []


@pytest.mark.parametrize(("shell", "check"), [("zsh", ["zsh", "-n"]), ("fish", ["fish", "-n"])])
def test_zsh_and_fish_scripts_parse(cli: Cli, tmp_path: Path, shell: str,
                                    check: list[str]) -> None:
    text = cli("completion", shell).out
    assert "renegotiate" in text
    if shutil.which(check[0]) is None:
        pytest.skip(f"{shell} is not installed here")
    script = tmp_path / f"trustjournal.{shell}"
    script.write_text(text)
    assert subprocess.run([*check, str(script)], timeout=60).returncode == 0


def test_fish_completes_subcommands(cli: Cli, tmp_path: Path) -> None:
    if shutil.which("fish") is None:
        pytest.skip("fish is not installed here")
    script = tmp_path / "trustjournal.fish"
    script.write_text(cli("completion", "fish").out)
    done = subprocess.run(["fish", "-c", f"source {script}; complete -C 'trustjournal ren'"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith("renegotiate\t")


def _commands(parser, path=()):
    import argparse

    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for action in subs:
        for name, child in action.choices.items():
            yield from _commands(child, (*path, name))
    if not subs:
        yield path, parser


def test_every_command_and_option_has_help_and_an_example(capsys) -> None:
    from trustjournal.cli.manual import EXAMPLES
    from trustjournal.cli.parser import build_parser

    commands = list(_commands(build_parser()))
    assert len(commands) > 40
    for path, parser in commands:
        name = " ".join(path)
        assert parser.epilog and parser.epilog.startswith("example: trustjournal"), name
        assert EXAMPLES[name].split()[0] == "trustjournal"
        for action in parser._actions:
            assert action.help, f"{name}: {action.option_strings or action.dest} has no help"
    assert set(EXAMPLES) == {" ".join(path) for path, _ in commands}
