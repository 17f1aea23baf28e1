"""The config file: settings set once, in TOML, in the platform's config folder.

Each setting comes from the first of: a flag (`--db`), the environment (`TRUSTJOURNAL_<KEY>`,
and the older `TRUSTJOURNAL_DB` for the journal), the file, the default. `trustjournal config
show` says which for each. A file that cannot be read, a key this version does not know and a
bad value each get one line naming the file, the key and an example of a right value.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import time, timedelta
from pathlib import Path
from typing import Any

from trustjournal.domain import settings as s
from trustjournal.domain.dates import Week
from trustjournal.domain.errors import InvalidInput, TrustJournalError

CONFIG_ENV = "TRUSTJOURNAL_CONFIG"
DB_ENV = "TRUSTJOURNAL_DB"
ZONE_ENV = "TRUSTJOURNAL_TZ"


class ConfigError(TrustJournalError):
    """The config file, or a setting in the environment, is not what trustjournal reads."""


@dataclass(frozen=True, slots=True)
class Key:
    """One setting: how its value is read, applied and shown, with an example and what it
    is for (the template's comment)."""

    name: str
    parse: Callable[[Any], Any]
    apply: Callable[[s.Settings, Any], s.Settings]
    shown: Callable[[s.Settings], str]
    example: str
    comment: str


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("should be text in quotes")
    return value.strip()


def _zone(value: Any) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    text = _text(value)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput('is not a time zone, e.g. time_zone = "Europe/Berlin"') from None
    return text


def _clock(t: time) -> str:
    return t.strftime("%H:%M")


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _lead(t: timedelta) -> str:
    seconds = int(t.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return "0"


KEYS: tuple[Key, ...] = (
    Key("journal", _text, lambda c, v: replace(c, journal=v),
        lambda c: c.journal or "(the user data folder)", '"~/Documents/trust/journal.json"',
        "The journal file."),
    Key("time_zone", _zone, lambda c, v: replace(c, time_zone=v),
        lambda c: c.time_zone or "(the system's)", '"Europe/Berlin"',
        "Your time zone (an IANA name); TZ and the system's zone come after it."),
    Key("end_of_day", s.parse_end_of_day, lambda c, v: replace(c, end_of_day=v),
        lambda c: _clock(c.end_of_day), '"17:00"',
        'The end of your working day: what "today", "eod" and "fri" without a time mean.'),
    Key("end_of_week", lambda v: s.parse_weekday(v, "end_of_week"),
        lambda c, v: replace(c, week=Week(c.week.starts, v)),
        lambda c: _DAYS[c.week.ends], '"fri"', 'The last day of your working week ("eow").'),
    Key("first_day_of_week", lambda v: s.parse_weekday(v, "first_day_of_week"),
        lambda c, v: replace(c, week=Week(v, c.week.ends)),
        lambda c: _DAYS[c.week.starts], '"mon"',
        'Where your week starts: "this fri" and "next fri" count from it.'),
    Key("theme", _text, lambda c, v: replace(c, theme=v), lambda c: c.theme or "(Textual's)",
        '"textual-dark"', "The app's theme; the app saves the one you pick (ctrl+p, Theme)."),
    Key("review_skip", s.parse_review_skip, lambda c, v: replace(c, review_skip=v),
        lambda c: "[" + ", ".join(f'"{v}"' for v in sorted(c.review_skip)) + "]", "[]",
        'Daily review steps to leave out: "overdue", "today", "checkins", "silent", "stance",'
        ' "one-thing".'),
    Key("update_words", s.parse_update_words, lambda c, v: replace(c, update_words=v),
        lambda c: str(c.update_words), "60", "The fifteen-second update's budget of words."),
    Key("reminder", s.parse_reminder, lambda c, v: replace(c, reminder=v),
        lambda c: _lead(c.reminder), '"1h"',
        'How long before a promise is due your calendar reminds you ("0" for no reminder).'),
)
BY_NAME = {key.name: key for key in KEYS}


@dataclass(frozen=True, slots=True)
class Loaded:
    """The settings in force, where each came from, and the config file looked at."""

    settings: s.Settings
    sources: Mapping[str, str]
    """For each key: "default", "file", "environment (VARIABLE)" or "flag"."""
    path: Path


def config_path() -> Path:
    override = os.environ.get(CONFIG_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path("trustjournal", appauthor=False) / "config.toml"


def _read_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ConfigError(f"{path} cannot be read ({error.strerror or error})") from None
    import tomllib

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML ({error}); "
                          "trustjournal config init writes one to start from") from None


def load(flags: Mapping[str, str | None] | None = None,
         environ: Mapping[str, str] | None = None, path: Path | None = None) -> Loaded:
    """The settings from every source, each key from the strongest that sets it."""
    environ = os.environ if environ is None else environ
    path = path or config_path()
    settings = s.Settings()
    sources = dict.fromkeys(BY_NAME, "default")
    for name, stored in _read_file(path).items():
        key = BY_NAME.get(name)
        if key is None:
            raise ConfigError(f"{path}: unknown key {name!r}; the keys are "
                              f"{', '.join(BY_NAME)} (trustjournal config show)")
        settings = _set(settings, key, stored, f"{path}: {name}")
        sources[name] = "file"
    if environ.get(ZONE_ENV, "").strip():
        # Read (and, when it names no zone, warned about once) by domain.dates.local_zone,
        # which puts it before the file's time_zone.
        sources["time_zone"] = f"environment ({ZONE_ENV})"
    for key in KEYS:
        variable = f"TRUSTJOURNAL_{key.name.upper()}"
        if key.name == "journal" and environ.get(DB_ENV, "").strip():
            variable = DB_ENV
        raw = environ.get(variable)
        if raw is not None and raw.strip():
            value: Any = raw.strip()
            if key.name == "update_words" and value.isdigit():
                value = int(value)
            elif key.name == "review_skip":
                value = [v for v in re.split(r"[,\s]+", value) if v]
            settings = _set(settings, key, value, variable)
            sources[key.name] = f"environment ({variable})"
    for name, given in (flags or {}).items():
        if given:
            settings = _set(settings, BY_NAME[name], given, "--db" if name == "journal"
                            else f"--{name}")
            sources[name] = "flag"
    return Loaded(settings, sources, path)


def _set(settings: s.Settings, key: Key, value: Any, where: str) -> s.Settings:
    try:
        return key.apply(settings, key.parse(value))
    except InvalidInput as error:
        said = str(error)
        example = "" if "e.g." in said else f" (e.g. {key.name} = {key.example})"
        raise ConfigError(f"{where} {said}{example}") from None


def template() -> str:
    lines = ["# trustjournal settings. Uncomment a line to change it; `trustjournal config show`",
             "# says where each value comes from (default, this file, TRUSTJOURNAL_<KEY>, a flag).",
             ""]
    for key in KEYS:
        lines += [f"# {key.comment}", f"# {key.name} = {key.example}", ""]
    return "\n".join(lines)


def init(path: Path) -> None:
    """Write the commented template; never over a file that is there."""
    from trustjournal.storage.atomic import atomic_write

    if path.exists():
        raise ConfigError(f"{path} already exists; edit it, or see trustjournal config show")
    atomic_write(path, template().encode())


def save_theme(path: Path, theme: str) -> None:
    """Set `theme` in the file, keeping every other line (and comment) as it was."""
    from trustjournal.storage.atomic import atomic_write

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = template()
    line = f'theme = "{theme}"'
    pattern = re.compile(r"^\s*#?\s*theme\s*=.*$", re.M)
    text = pattern.sub(line, text, count=1) if pattern.search(text) else text + line + "\n"
    atomic_write(path, text.encode())
