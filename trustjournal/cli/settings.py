"""`trustjournal config init|show`: the settings file, written with comments, and each value
with where it came from."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trustjournal.cli.commands import Context
    from trustjournal.cli.parser import Command, Parser


def _config(command: Command) -> None:
    config = command("config", "your settings: end of day, week, zone, theme, journal, ...")
    sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True,
                                parser_class=type(config))
    init: Parser = sub.add_parser("init", help="write a commented settings file to edit")
    show: Parser = sub.add_parser("show", help="every setting, its value and where it came from")
    show.add_argument("--json", action="store_true", help="print a JSON object")
    for parser in (init, show):
        parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                            help="journal file (default: $TRUSTJOURNAL_DB, else the settings)")


BUILDERS: dict[str, Callable[[Command], None]] = {"config": _config}


def config_init(ctx: Context) -> int:
    from trustjournal.storage import config

    path = ctx.config.path
    config.init(path)
    ctx.say(f"Wrote {path}; every setting is commented out until you change it.")
    return 0


def config_show(ctx: Context) -> int:
    from trustjournal.storage.config import KEYS

    loaded = ctx.config
    values = {key.name: key.shown(loaded.settings) for key in KEYS}
    if ctx.args.json:
        ctx.print_json({"file": str(loaded.path), "exists": loaded.path.exists(),
                        "settings": {name: {"value": values[name],
                                            "from": loaded.sources[name]}
                                     for name in values}})
        return 0
    state = "" if loaded.path.exists() else " (not there yet: trustjournal config init)"
    ctx.say(f"Settings file: {loaded.path}{state}")
    width = max(len(name) for name in values)
    shown = max(len(value) for value in values.values())
    for name, value in values.items():
        ctx.say(f"  {name:<{width}}  {value:<{shown}}  {loaded.sources[name]}")
    return 0


COMMANDS: dict[str, Callable[[Context], int]] = {"config init": config_init,
                                                 "config show": config_show}
