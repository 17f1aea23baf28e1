"""`trustjournal doctor`: find what is wrong inside a readable journal, and mend it only when asked.

Every rule walks the registry (storage/records.py): each table's records must load, each link
must name a record that is there, each record needs a uid no other record has, and each
table's id counter must be past its highest id. Mending never deletes: a record that cannot be
read is moved to a `quarantine` table with its original table and id, a record whose person is
missing gets a placeholder person, and a broken optional link is kept in the record under
`lost_<field>`. A backup is written before anything changes.
"""

from __future__ import annotations

import copy
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from trustjournal.domain.person import Person
from trustjournal.storage import codec, records
from trustjournal.storage.records import META, RECORDS, Link, Table, new_uid

QUARANTINE = "quarantine"


@dataclass(frozen=True, slots=True)
class Problem:
    where: str
    what: str
    fix: str
    """What --fix does about it; empty when it has to be mended by hand."""


def _unreadable(data: dict[str, Any]) -> dict[tuple[Table, str], str]:
    found = {}
    for table, kind in RECORDS.items():
        for key, doc in data.get(table, {}).items():
            try:
                records.load_record(kind, int(key), doc)
            except codec.RecordError as error:
                found[(table, key)] = str(error)
    return found


def _fix_for(link: Link) -> str:
    if link.required:
        return "add a placeholder person with that id"
    if link.many:
        return f"drop those links (kept as lost_{link.field})"
    return f"unlink it (the old id is kept as lost_{link.field})"


def _dangling(data: dict[str, Any], link: Link, doc: dict[str, Any]) -> list[Any]:
    targets = data.get(link.target, {})
    return [i for i in link.ids(doc) if str(i) not in targets]


def diagnose(data: dict[str, Any], path: Path | None = None) -> list[Problem]:
    unreadable = _unreadable(data)
    problems = [Problem(f"{table} #{key}", what, "move it to the quarantine table, untouched")
                for (table, key), what in unreadable.items()]
    uids: dict[str, str] = {}
    for table, kind in RECORDS.items():
        for key, doc in data.get(table, {}).items():
            if (table, key) in unreadable:
                continue
            where = f"{table} #{key}"
            for link in kind.links:
                missing = _dangling(data, link, doc)
                if missing:
                    target = RECORDS[link.target].noun
                    ids = ", ".join(f"#{i}" for i in missing)
                    problems.append(Problem(where, f'its "{link.field}" names {target} {ids}, '
                                            "which is not in the journal", _fix_for(link)))
            uid = doc.get("uid")
            if not uid:
                problems.append(Problem(where, "has no uid", "give it a new uid"))
            elif uid in uids:
                problems.append(Problem(where, f"has the same uid as {uids[uid]}",
                                        "give it a new uid"))
            else:
                uids[uid] = where
    names: dict[str, list[str]] = {}
    for key, doc in data.get(Table.PEOPLE, {}).items():
        if isinstance(doc.get("name"), str):
            names.setdefault(doc["name"].casefold(), []).append(key)
    for keys in names.values():
        if len(keys) > 1:
            shown = ", ".join("#" + k for k in keys)
            problems.append(Problem(Table.PEOPLE.value, f"records {shown} have the same name",
                                    ""))
    counters = data.get(META, {}).get("1", {}).get("next_id", {})
    for table in RECORDS:
        highest = max((int(k) for k in data.get(table, {})), default=0)
        if highest and int(counters.get(table.value, 0)) <= highest:
            problems.append(Problem("meta", f"the next {table} id "
                                    f"({counters.get(table.value, 'unset')}) would reuse "
                                    f"#{highest}", "raise it past the highest id"))
    if path is not None:
        problems += _stray_files(path)
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            mode = 0
        if mode & 0o077:
            problems.append(Problem("file", f"other users can read it (mode {mode:o}); it holds "
                                    "private notes", "make it readable by you only (600)"))
    return problems


def _stray_files(path: Path) -> list[Problem]:
    """Files beside the journal or in backups/ that are not what trustjournal keeps there."""
    from trustjournal.storage.atomic import stale_temps
    from trustjournal.storage.backup import stray_files

    temps = set(stale_temps(path))
    return [
        Problem("file", f"{stray} is a temp file left by an interrupted write",
                "remove it (the journal never needed it)")
        if stray in temps else
        Problem("file", f"{stray} is named like a backup but was not written by trustjournal "
                "(a link, a special file, or another user's); it is never read or restored",
                "")
        for stray in stray_files(path)
    ]


def _placeholder(person_id: int) -> dict[str, Any]:
    return codec.dump_person(Person(
        id=person_id, name=f"Unknown person #{person_id}",
        created_at=datetime(1970, 1, 1, tzinfo=UTC),
        notes="added by trustjournal doctor: records named this id",
        uid=new_uid(),
    ))


def mend(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A mended copy of the journal and what was done, in plain words."""
    fixed = copy.deepcopy(data)
    done: list[str] = []
    quarantine = fixed.setdefault(QUARANTINE, {})
    for (table, key), what in _unreadable(fixed).items():
        quarantine[f"{table}/{key}"] = {"table": table.value, "id": int(key),
                                        "record": fixed[table].pop(key), "problem": what}
        done.append(f"moved {table} #{key} to quarantine")
    if not quarantine:
        del fixed[QUARANTINE]
    people = fixed.setdefault(Table.PEOPLE.value, {})
    for table, kind in RECORDS.items():
        for key, doc in fixed.get(table, {}).items():
            for link in kind.links:
                missing = _dangling(fixed, link, doc)
                if not missing:
                    continue
                if link.required:
                    for person_id in missing:
                        people[str(person_id)] = _placeholder(person_id)
                        done.append(f"added placeholder person #{person_id}")
                elif link.many:
                    doc[f"lost_{link.field}"] = missing
                    doc[link.field] = [i for i in doc[link.field] if i not in missing]
                    done.append(f"dropped links to missing records from {table} #{key}")
                else:
                    doc[f"lost_{link.field}"] = doc[link.field]
                    doc[link.field] = None
                    target = RECORDS[link.target].noun
                    done.append(f"unlinked {table} #{key} from missing {target} "
                                f"#{missing[0]}")
    seen: set[str] = set()
    for table in RECORDS:
        for key, doc in fixed.get(table, {}).items():
            uid = doc.get("uid")
            if not uid or uid in seen:
                doc["uid"] = new_uid()
                done.append(f"gave {table} #{key} a new uid")
            seen.add(doc["uid"])
    counters = fixed.setdefault(META, {}).setdefault("1", {}).setdefault("next_id", {})
    for table in RECORDS:
        highest = max((int(k) for k in fixed.get(table, {})), default=0)
        if highest and int(counters.get(table.value, 0)) <= highest:
            counters[table.value] = highest + 1
            done.append(f"raised the next {table} id to {highest + 1}")
    return fixed, done
