"""`trustjournal doctor`: find what is wrong inside a readable journal, and mend it only when asked.

Mending never deletes: a record that cannot be read is moved to a `quarantine` table with its
original table and id, a promise whose person is missing gets a placeholder person, and a broken
link is kept in the record under `lost_<field>`. A backup is written before anything changes.
"""

from __future__ import annotations

import copy
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trustjournal.storage import codec
from trustjournal.storage.journal import META, TABLES

QUARANTINE = "quarantine"


@dataclass(frozen=True, slots=True)
class Problem:
    where: str
    what: str
    fix: str
    """What --fix does about it; empty when it has to be mended by hand."""


def diagnose(data: dict[str, Any], path: Path | None = None) -> list[Problem]:
    problems: list[Problem] = []
    unreadable: set[tuple[str, str]] = set()
    for name in TABLES:
        for key, doc in data.get(name, {}).items():
            try:
                codec.load_record(name, int(key), doc)
            except codec.RecordError as error:
                unreadable.add((name, key))
                problems.append(Problem(f"{name} #{key}", str(error),
                                        "move it to the quarantine table, untouched"))
    people = set(data.get("people", {}))
    commitments = set(data.get("commitments", {}))

    def refers(name: str, field: str, targets: set[str], what: str, fix: str) -> None:
        for key, doc in data.get(name, {}).items():
            if (name, key) in unreadable:
                continue
            value = doc.get(field)
            if value is not None and str(value) not in targets:
                problems.append(Problem(f"{name} #{key}", f"names {what} #{value}, which is "
                                        "not in the journal", fix))

    refers("promises", "to", people, "person", "add a placeholder person with that id")
    refers("entries", "person", people, "person", "add a placeholder person with that id")
    refers("commitments", "person", people, "person", "add a placeholder person with that id")
    refers("promises", "commitment", commitments, "commitment",
           "unlink it (the old id is kept as lost_commitment)")
    for key, doc in data.get("people", {}).items():
        missing = [i for i in doc.get("trusts", []) if str(i) not in people]
        if missing and ("people", key) not in unreadable:
            problems.append(Problem(f"people #{key}", f"trusts people {missing} who are not in "
                                    "the journal", "drop those links"))
    names: dict[str, list[str]] = {}
    for key, doc in data.get("people", {}).items():
        if isinstance(doc.get("name"), str):
            names.setdefault(doc["name"].casefold(), []).append(key)
    for keys in names.values():
        if len(keys) > 1:
            problems.append(Problem("people", f"records {', '.join('#' + k for k in keys)} have "
                                    "the same name", ""))
    counters = data.get(META, {}).get("1", {}).get("next_id", {})
    for name in TABLES:
        highest = max((int(k) for k in data.get(name, {})), default=0)
        if highest and int(counters.get(name, 0)) <= highest:
            problems.append(Problem("meta", f"the next {name} id ({counters.get(name, 'unset')})"
                                    f" would reuse #{highest}", "raise it past the highest id"))
    if path is not None:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            mode = 0
        if mode & 0o077:
            problems.append(Problem("file", f"other users can read it (mode {mode:o}); it holds "
                                    "private notes", "make it readable by you only (600)"))
    return problems


def mend(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A mended copy of the journal and what was done, in plain words."""
    fixed = copy.deepcopy(data)
    done: list[str] = []
    quarantine = fixed.setdefault(QUARANTINE, {})
    for name in TABLES:
        table = fixed.get(name, {})
        for key in list(table):
            try:
                codec.load_record(name, int(key), table[key])
            except codec.RecordError as error:
                quarantine[f"{name}/{key}"] = {"table": name, "id": int(key),
                                               "record": table.pop(key), "problem": str(error)}
                done.append(f"moved {name} #{key} to quarantine")
    if not quarantine:
        del fixed[QUARANTINE]
    people = fixed.setdefault("people", {})
    for name, field in (("promises", "to"), ("entries", "person"), ("commitments", "person")):
        for doc in fixed.get(name, {}).values():
            person = doc.get(field)
            if isinstance(person, int) and str(person) not in people:
                people[str(person)] = {
                    "name": f"Unknown person #{person}", "created_at": "1970-01-01T00:00:00Z",
                    "notes": "added by trustjournal doctor: records named this id",
                }
                done.append(f"added placeholder person #{person}")
    commitments = fixed.get("commitments", {})
    for key, doc in fixed.get("promises", {}).items():
        link = doc.get("commitment")
        if link is not None and str(link) not in commitments:
            doc["lost_commitment"] = link
            doc["commitment"] = None
            done.append(f"unlinked promises #{key} from missing commitment #{link}")
    for key, doc in people.items():
        trusts = doc.get("trusts", [])
        kept = [i for i in trusts if str(i) in people]
        if kept != trusts:
            doc["trusts"] = kept
            done.append(f"dropped links to missing people from people #{key}")
    counters = fixed.setdefault(META, {}).setdefault("1", {}).setdefault("next_id", {})
    for name in TABLES:
        highest = max((int(k) for k in fixed.get(name, {})), default=0)
        if highest and int(counters.get(name, 0)) <= highest:
            counters[name] = highest + 1
            done.append(f"raised the next {name} id to {highest + 1}")
    return fixed, done
