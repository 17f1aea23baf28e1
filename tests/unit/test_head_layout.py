"""The head layout (storage/layout.py): what the first frame needs is first in the file, and a
reader that needs only that parses only that; every whole read gives what it gave before.

Each reading test says which way the file was read: `_reads` counts the parses of the whole
file (decode_journal), so a test of the head fails when the head is not used, and a test of
a bad hint fails when the bad hint is believed.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import BERLIN
from tests.full import build_full_journal
from trustjournal.cli import run
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.promise import Promise
from trustjournal.storage import journal as journal_module
from trustjournal.storage import layout, records
from trustjournal.storage.journal import (
    Journal,
    decode_journal,
    encode_journal,
    new_journal_data,
)
from trustjournal.storage.records import PEOPLE, PROMISES, is_closed

Data = dict[str, Any]
HEAD_TABLES = ("meta", "people", "series", "commitments", "promises")


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every parse of a whole journal file, by path."""
    seen: list[Path] = []
    real = journal_module.decode_journal
    monkeypatch.setattr(journal_module, "decode_journal",
                        lambda raw, path: seen.append(path) or real(raw, path))
    return seen


@pytest.fixture
def full(journal_path: Path, now: datetime) -> Journal:
    return build_full_journal(journal_path, now)


def _whole(path: Path) -> Data:
    """The file parsed as plain JSON, nothing taken out or put in order."""
    return json.loads(path.read_bytes().decode("utf-8-sig"))  # type: ignore[no-any-return]


def _hint(raw: bytes) -> Data:
    return orjson.loads(raw)["meta"]["1"]["head"]  # type: ignore[no-any-return]


def _head(raw: bytes) -> Data:
    """What the hint says the head is, parsed alone."""
    hint = _hint(raw)
    return orjson.loads(raw[:hint["bytes"]] + hint["end"].encode())  # type: ignore[no-any-return]


def _open_subset(data: Data) -> Data:
    """What the head should hold, from a whole parse."""
    subset = {name: data[name] for name in HEAD_TABLES if name in data}
    subset["meta"] = {"1": {k: v for k, v in data["meta"]["1"].items() if k != "head"}}
    if "promises" in data:
        subset["promises"] = {k: v for k, v in data["promises"].items() if not is_closed(v)}
    return subset


def _in_id_order(data: Data) -> Data:
    """`data` as the writer before the head layout wrote it: promises in id order, no hint."""
    plain = json.loads(json.dumps(data))
    plain["meta"]["1"].pop("head", None)
    if "promises" in plain:
        plain["promises"] = dict(sorted(plain["promises"].items(), key=lambda kv: int(kv[0])))
    return plain  # type: ignore[no-any-return]


def _same(a: Any, b: Any) -> None:
    """Equal, and in the same order inside every table (orjson keeps dict order)."""
    assert a == b
    for name in a:
        assert orjson.dumps(a[name]) == orjson.dumps(b[name]), name


def _open_ledger(path: Path) -> Ledger:
    """load_open as the whole parse gives it: the answer every read must give."""
    return records.load_open_ledger(decode_journal(path.read_bytes(), path))


def _keys(ledger: Ledger) -> dict[str, list[int]]:
    return {name: list(getattr(ledger, name)) for name in records.Table}


def _rewrite_hint(raw: bytes, **changes: Any) -> bytes:
    """The same file with the hint changed in place (same length, so the size still holds)."""
    old = orjson.dumps(_hint(raw))
    new = orjson.dumps({**_hint(raw), **changes})
    assert len(new) == len(old), "a test change must keep the file's size"
    assert raw.count(old) == 1
    return raw.replace(old, new)


# --- the file as written ---------------------------------------------------------------------


def test_the_head_alone_parses_and_holds_exactly_the_open_promises(full: Journal) -> None:
    raw = full.path.read_bytes()
    data = _whole(full.path)
    opened = [k for k, v in data["promises"].items() if not is_closed(v)]
    assert 0 < len(opened) < len(data["promises"])
    assert raw.index(b'"end":') < layout.HEAD  # the hint is in the head read beside the token
    hint = _hint(raw)
    assert hint == {"bytes": hint["bytes"], "write": data["meta"]["1"]["write"],
                    "size": len(raw), "open": len(opened), "end": "}}"}
    head = _head(raw)
    assert list(head) == list(HEAD_TABLES)
    assert list(head["promises"]) == sorted(opened, key=int)
    assert head["meta"]["1"].pop("head") == hint
    _same(head, _open_subset(data))
    # In the file: the open promises first (by id), then the closed ones (by id).
    closed = [k for k in data["promises"] if k not in opened]
    assert list(data["promises"]) == sorted(opened, key=int) + sorted(closed, key=int)
    assert raw[hint["bytes"]:hint["bytes"] + 1] == b","


def test_a_whole_read_is_what_it_was_before_the_layout(full: Journal, tmp_path: Path,
                                                      now: datetime) -> None:
    """Every table and field (tests/full.py): the same dicts in the same order as the file
    the writer before the head layout wrote (promises in id order, no hint)."""
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(_in_id_order(_whole(full.path))))
    fresh, before = Journal(full.path).read_data(), Journal(plain).read_data()
    assert fresh is not None and before is not None
    assert "head" not in fresh["meta"]["1"]
    _same(fresh, before)
    assert list(fresh["promises"]) == sorted(fresh["promises"], key=int)
    ledger, was = Journal(full.path).load(), Journal(plain).load()
    assert ledger == was and _keys(ledger) == _keys(was)
    assert Journal(full.path).export_document(now) == Journal(plain).export_document(now)


def test_what_a_writer_keeps_is_a_fresh_parse_of_its_file(full: Journal, now: datetime) -> None:
    """The cache after a write (read_data) equals a new reader's parse, order and all: after
    closing an open promise, opening a new one, and undoing the removal of an old one."""
    with full.transaction(now) as tx:
        removed = tx.get(PROMISES, 1)
        tx.remove(PROMISES, 1)
        undo = tuple(tx.changes)
    with full.transaction(now) as tx:
        tx.undo(undo)  # promise 1 goes back: at the end of the table, then in id order
        opened = [p for p in tx.all(PROMISES) if p.is_open]
        tx.save(opened[0].kept(now))
        tx.add(Promise.make(text="new one", person_id=opened[0].person_id, made_at=now,
                            due=now + timedelta(days=1), zone="Europe/Berlin"))
    kept = full.read_data()
    assert orjson.dumps(kept) == orjson.dumps(Journal(full.path).read_data())
    assert Journal(full.path).load().promises[1] == removed
    assert list(Journal(full.path).load().promises) == sorted(map(int, kept["promises"]))


def test_a_restored_backup_is_kept_as_its_file_reads(full: Journal, tmp_path: Path,
                                                     now: datetime) -> None:
    backup = tmp_path / "backup.json"
    backup.write_bytes(full.path.read_bytes())
    with full.transaction(now) as tx:
        tx.remove(PROMISES, 2)
    full.restore_from(backup, backup.read_bytes(), now, BERLIN)
    assert orjson.dumps(full.read_data()) == orjson.dumps(Journal(full.path).read_data())
    restored, kept = Journal(full.path).read_data(), Journal(backup).read_data()
    assert restored is not None and kept is not None
    restored["meta"]["1"].pop("write")
    kept["meta"]["1"].pop("write")
    _same(restored, kept)


# --- reading the head ------------------------------------------------------------------------


def test_load_open_reads_only_the_head(full: Journal, parses: list[Path]) -> None:
    expected = _open_ledger(full.path)
    parses.clear()
    journal = Journal(full.path)
    opened = journal.read_open()
    assert not opened.whole and opened.data is not None
    assert list(opened.data["promises"]) == [str(i) for i in expected.promises]
    ledger = journal.load_open()
    assert ledger == expected and _keys(ledger) == _keys(expected)
    assert ledger.commitments and ledger.commitments == Journal(full.path).load().commitments
    stamp, same = journal.load_open_stamped()
    assert same == expected
    assert stamp == journal.stamp() == records.stamp_of(Journal(full.path).read_data())
    parses.clear()
    # Nothing partial was kept for read_data: the whole file is parsed once, then reused.
    assert journal.load() == Journal(full.path).load()
    assert len(parses) == 2
    journal.load()
    journal.load_open()
    assert len(parses) == 2


def _check_falls_back(path: Path, raw: bytes, parses: list[Path]) -> None:
    """`raw` at `path` is read whole by load_open and gives the right answer."""
    path.write_bytes(raw)
    expected = _open_ledger(path)
    parses.clear()
    journal = Journal(path)
    ledger = journal.load_open()
    assert parses == [path], "the hint was believed"
    assert ledger == expected and _keys(ledger) == _keys(expected)
    assert journal.stamp() == records.stamp_of(journal.read_data())
    assert journal.read_open().whole


def test_the_head_is_used_on_the_file_as_written(full: Journal, parses: list[Path]) -> None:
    parses.clear()
    assert Journal(full.path).load_open() == _open_ledger(full.path)
    assert parses == []


def test_a_stale_hint_is_ignored(full: Journal, parses: list[Path]) -> None:
    """Another writer changes the write token and keeps the hint it does not know about."""
    raw = full.path.read_bytes()
    hint = _hint(raw)
    other = "f" * 16 if hint["write"] != "f" * 16 else "e" * 16
    _check_falls_back(full.path, _rewrite_hint(raw, write=other), parses)


def test_a_hint_of_another_size_is_ignored(full: Journal, parses: list[Path]) -> None:
    raw = full.path.read_bytes()
    _check_falls_back(full.path, raw.replace(b'"uid":"', b'"uid": "', 1), parses)


@pytest.mark.parametrize("shift", [-1, 1, -7, 40])
def test_a_wrong_length_is_ignored(full: Journal, parses: list[Path], shift: int) -> None:
    raw = full.path.read_bytes()
    length = _hint(raw)["bytes"] + shift
    _check_falls_back(full.path, _rewrite_hint(raw, bytes=length), parses)


def test_a_length_ending_at_a_closed_record_is_ignored(full: Journal, parses: list[Path]
                                                       ) -> None:
    """Cut after the first closed promise the head parses, but holds one promise too many."""
    raw = full.path.read_bytes()
    hint = _hint(raw)
    closed = [k for k, v in _whole(full.path)["promises"].items() if is_closed(v)]
    after = raw.index(b',"' + closed[1].encode() + b'":{', hint["bytes"])
    assert orjson.loads(raw[:after] + b"}}")  # a valid document, not the head
    _check_falls_back(full.path, _rewrite_hint(raw, bytes=after), parses)


def test_a_length_inside_a_string_is_ignored(full: Journal, parses: list[Path]) -> None:
    raw = full.path.read_bytes()
    inside = raw.index(b"Wants bad news early") + 5
    assert len(str(inside)) == len(str(_hint(raw)["bytes"]))
    _check_falls_back(full.path, _rewrite_hint(raw, bytes=inside), parses)


def test_a_wrong_open_count_is_ignored(full: Journal, parses: list[Path]) -> None:
    raw = full.path.read_bytes()
    opened = _hint(raw)["open"]
    _check_falls_back(full.path, _rewrite_hint(raw, open=opened - 1 if opened > 9 else 9),
                      parses)


def test_a_head_holding_a_closed_promise_is_not_believed(full: Journal, now: datetime,
                                                         parses: list[Path],
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """A writer that got the open ones wrong: the reader sees the closed one and reads all."""
    real = layout._open_of
    monkeypatch.setattr(layout, "_open_of", lambda promises, known: ["1", *real(promises,
                                                                                  known)])
    assert is_closed(_whole(full.path)["promises"]["1"])
    with full.transaction(now) as tx:
        tx.save(replace(tx.get(PEOPLE, 1), notes="rewritten"))
    monkeypatch.setattr(layout, "_open_of", real)
    assert "1" in _head(full.path.read_bytes())["promises"]
    _check_falls_back(full.path, full.path.read_bytes(), parses)


@pytest.mark.parametrize("rewrite", [
    pytest.param(lambda d: json.dumps(_in_id_order(d)), id="json.dumps in id order"),
    pytest.param(lambda d: json.dumps(d), id="json.dumps keeping the hint"),
    pytest.param(lambda d: json.dumps(d, indent=2, ensure_ascii=False), id="pretty-printed"),
    pytest.param(lambda d: json.dumps(dict(d, promises=dict(sorted(
        d["promises"].items(), key=lambda kv: int(kv[0])))), separators=(",", ":"),
        ensure_ascii=False), id="compact, same size, promises in id order"),
])
def test_a_file_another_tool_wrote_is_read_whole(full: Journal, parses: list[Path],
                                                 rewrite: Callable[[Data], str]) -> None:
    _check_falls_back(full.path, rewrite(_whole(full.path)).encode(), parses)


def test_a_byte_for_byte_rewrite_is_the_same_file(full: Journal, parses: list[Path]) -> None:
    """A tool that writes what orjson writes, in the same order, keeps the hint true."""
    raw = full.path.read_bytes()
    again = json.dumps(_whole(full.path), separators=(",", ":"), ensure_ascii=False).encode()
    assert again == raw
    full.path.write_bytes(again)
    parses.clear()
    assert Journal(full.path).load_open() == _open_ledger(full.path)
    assert parses == []


def test_a_byte_order_mark_is_read_whole(full: Journal, parses: list[Path]) -> None:
    raw = full.path.read_bytes()
    _check_falls_back(full.path, "\ufeff".encode() + raw, parses)
    _same(Journal(full.path).read_data(), decode_journal(raw, full.path))


def test_text_that_looks_like_the_layout_confuses_nothing(full: Journal, now: datetime,
                                                          parses: list[Path]) -> None:
    hint = _hint(full.path.read_bytes())
    trick = (f'}}}},"head":{{"bytes":12,"write":"{hint["write"]}","size":9,"open":0,'
             f'"end":"}}"}}}}' + ' "write":"0123456789abcdef" }},"promises":{')
    with full.transaction(now) as tx:
        dana = tx.get(PEOPLE, 2)
        tx.add(Promise.make(text=trick, person_id=dana.id, made_at=now,
                            due=now + timedelta(days=1), zone="Europe/Berlin"))
        closed = tx.add(Promise.make(text=trick, person_id=dana.id, made_at=now,
                                     due=now + timedelta(days=1), zone="Europe/Berlin"))
        tx.save(closed.kept(now))
    raw = full.path.read_bytes()
    expected = _open_ledger(full.path)
    assert any(p.text == trick for p in expected.promises.values())
    assert _head(raw)["promises"] == _open_subset(_whole(full.path))["promises"]
    parses.clear()
    assert Journal(full.path).load_open() == expected
    assert parses == []
    assert Journal(full.path).load().promises[closed.id].text == trick


def test_due_and_list_say_the_same_on_either_file(tmp_path: Path, now: datetime) -> None:
    """`due` and `list` from the head, and from a file the writer before the layout wrote."""

    def cli(path: Path, *argv: str) -> tuple[int, str]:
        out, err = io.StringIO(), io.StringIO()
        code = run(["--db", str(path), *argv], now=now, zone=BERLIN, stdout=out, stderr=err)
        return code, out.getvalue() + err.getvalue()

    laid = tmp_path / "laid.json"
    assert cli(laid, "demo")[0] == 0
    assert "head" in _whole(laid)["meta"]["1"]
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(_in_id_order(_whole(laid))))
    plain.chmod(0o600)
    for argv in (("due",), ("due", "--json"), ("list",), ("list", "--json"),
                 ("list", "--overdue")):
        assert cli(laid, *argv) == cli(plain, *argv), argv


# --- the writer's edge cases -----------------------------------------------------------------


def _promise(kind: str) -> Data:
    events = [{"kind": "made", "at": "2026-11-20T10:00:00Z", "due": "2026-11-30T10:00:00Z"}]
    if kind != "made":
        events.append({"kind": kind, "at": "2026-11-21T10:00:00Z"})
    return {"text": "t", "to": 1, "events": events}


def _journal(now: datetime, promises: dict[str, Data] | None, **tables: Any) -> Data:
    data = new_journal_data(now)
    data["meta"]["1"]["write"] = "0123456789abcdef"
    if promises is None:
        del data["promises"]
    else:
        data["promises"] = promises
    data.update(tables)
    return data


@pytest.mark.parametrize("promises", [
    pytest.param(None, id="no promises table"),
    pytest.param({}, id="no promises"),
    pytest.param({"1": _promise("kept"), "2": _promise("broken")}, id="none open"),
    pytest.param({"1": _promise("made"), "2": _promise("made")}, id="none closed"),
    pytest.param({"1": _promise("kept"), "2": _promise("made"), "10": _promise("released"),
                  "11": _promise("made")}, id="both"),
    pytest.param({"1": _promise("kept"), "2": _promise("made"), "3": {"events": "odd"}},
                 id="a malformed one"),
    pytest.param({str(i): _promise("made" if i in (95, 97, 100) else "kept")
                  for i in range(1, 101)}, id="many, the open ones newest"),
    pytest.param({str(i): _promise("made" if i in (3, 97) else "kept")
                  for i in range(1, 101)}, id="many, one open as old as the journal"),
])
def test_every_shape_of_journal_reads_back(tmp_path: Path, now: datetime,
                                           promises: dict[str, Data] | None) -> None:
    for tables in ({}, {"zz_newer": {"1": {"x": 1}}, "people": {}},
                   {"series": {}, "commitments": {}, "people": {"1": {"name": "n"}}}):
        data = _journal(now, promises, **tables)
        if not tables:
            for name in ("people", "series", "commitments"):
                del data[name]
        path = tmp_path / "j.json"
        path.write_bytes(encode_journal(data))
        raw = path.read_bytes()
        assert raw.index(b'"end":') < layout.HEAD
        read = decode_journal(raw, path)
        assert read == data and list(read.get("promises", ())) == list(promises or ())
        opened = Journal(path).read_open()
        assert not opened.whole, "the head was not used"
        assert opened.data == _open_subset(data)
        assert list(opened.data) == [n for n in HEAD_TABLES if n in data]


def test_the_head_is_in_place_whatever_order_the_meta_record_came_in(tmp_path: Path,
                                                                     now: datetime) -> None:
    """An import builds the meta record with its own fields first and the token last."""
    data = _journal(now, {"1": _promise("made"), "2": _promise("kept")})
    record = data["meta"]["1"]
    data["meta"]["1"] = {"next_id": {"promises": 3, "people": 1}, "created_at": "x" * 120,
                         **{k: v for k, v in record.items() if k != "next_id"}}
    path = tmp_path / "j.json"
    path.write_bytes(encode_journal(data))
    assert not Journal(path).read_open().whole
    assert decode_journal(path.read_bytes(), path) == data


def test_a_hint_left_in_the_data_is_replaced(tmp_path: Path, now: datetime) -> None:
    data = _journal(now, {"1": _promise("made")})
    data["meta"]["1"]["head"] = {"bytes": 3, "write": "0123456789abcdef", "size": 5,
                                 "open": 0, "end": "}"}
    path = tmp_path / "j.json"
    path.write_bytes(encode_journal(data))
    assert not Journal(path).read_open().whole
    assert _hint(path.read_bytes())["size"] == len(path.read_bytes())


def test_an_old_schema_head_is_read_as_this_version_reads_it(full: Journal) -> None:
    """A journal the app first shows is migrated for reading from its head alone."""
    data = _whole(full.path)
    data["meta"]["1"]["schema"] = 3
    data.pop("series")
    for doc in data["promises"].values():
        doc.pop("series", None)
    data["meta"]["1"].pop("head")
    full.path.write_bytes(encode_journal(data))
    journal = Journal(full.path)
    assert not journal.read_open().whole
    assert journal.load_open() == records.load_open_ledger(
        journal_module.current(decode_journal(full.path.read_bytes(), full.path)))


def test_a_series_whose_latest_is_not_in_the_head_is_looked_at_whole(full: Journal,
                                                                     now: datetime) -> None:
    from trustjournal.storage.recurring import is_pending, pending

    data = decode_journal(full.path.read_bytes(), full.path)
    head = Journal(full.path).read_open().data
    assert head is not None and head["series"]
    # Every active series' latest occurrence is open: the head answers as the whole does.
    assert not pending(head, now, whole=False) and not pending(data, now)
    assert not is_pending(Journal(full.path), now)
    # One whose latest is not in the head (closed, or removed): the whole journal decides.
    assert pending({**head, "promises": {}}, now, whole=False)
    assert not pending({**data, "promises": {}}, now)


def test_the_open_promises_a_writer_remembers_are_the_open_ones(
        full: Journal, now: datetime, monkeypatch: pytest.MonkeyPatch) -> None:
    """The journal knows which promises are open from the head it read and the changes it
    made, so a write need not look at every promise; after every kind of change the head it
    wrote holds exactly the open ones (and it did not look)."""
    import random

    looked: list[int] = []
    real = layout.open_keys
    monkeypatch.setattr(layout, "open_keys", lambda p: looked.append(len(p)) or real(p))
    rng = random.Random(7)
    journal = Journal(full.path)
    undo: tuple[journal_module.Change, ...] = ()
    for step in range(40):
        with journal.transaction(now + timedelta(minutes=step)) as tx:
            promises = tx.all(PROMISES)
            pick = rng.choice(promises)
            choice = rng.randrange(6)
            if choice == 0:
                tx.add(Promise.make(text=f"new {step}", person_id=pick.person_id, made_at=now,
                                    due=now + timedelta(days=1), zone="Europe/Berlin"))
            elif choice == 1 and pick.is_open:
                tx.save(pick.kept(now))
            elif choice == 2 and pick.series_id is None:
                tx.remove(PROMISES, pick.id)
            elif choice == 3 and undo:
                tx.undo(undo)
            elif choice == 4 and pick.is_open:
                tx.save(pick.renegotiated(now, now + timedelta(days=3), "later"))
            else:
                tx.save(replace(pick, text=f"{pick.text} {step}"))
            undo = tuple(tx.changes)
        data = _whole(full.path)
        assert _head(full.path.read_bytes())["promises"] == _open_subset(data)["promises"]
    assert looked == [], "a write looked at every promise"
    # A new reader, whose first write knows them from the head it read.
    with Journal(full.path).transaction(now) as tx:
        tx.save(replace(tx.get(PROMISES, 3), text="once more"))
    assert looked == []
    assert _head(full.path.read_bytes())["promises"] == _open_subset(
        _whole(full.path))["promises"]
    # A restore, or a journal read without a hint, is looked at once.
    raw = full.path.read_bytes()
    full.path.write_bytes(_rewrite_hint(raw, write="e" * 16))
    with Journal(full.path).transaction(now) as tx:
        tx.save(replace(tx.get(PROMISES, 3), text="and again"))
    assert len(looked) == 1
