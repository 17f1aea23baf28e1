"""loads_in_pieces gives exactly what orjson.loads gives (values, key order, errors), while
really parsing a journal in pieces."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import BERLIN, FROZEN_NOW
from trustjournal.demo import write_demo
from trustjournal.storage import pieces
from trustjournal.storage.journal import Journal
from trustjournal.storage.pieces import loads_in_pieces, parse_in_pieces

HOSTILE = [
    '},"12":{',
    '}},"people":{',
    '}},"promises":{"1":{',
    '"',
    '\\"',
    '\\\\"',
    "\\",
    '"}},"12":{"',
    'x\\"},"7":{\\"',
    "Zoë, Łódź, 東京, Ελλάδα",
    "🙂🤝🏽👩‍👩‍👧 \U0010ffff",
    "\u2028\u2029\t\n\r\x00\x1f\x7f",
    '{"1":{}}',
    "",
]


def same_shape(got: Any, want: Any) -> None:
    """== and, at every level, the same key order and the same types (a loop, not recursion:
    some of these are nested 1,000 deep)."""
    stack = [(got, want)]
    while stack:
        a, b = stack.pop()
        assert type(a) is type(b)
        if isinstance(b, dict):
            assert list(a) == list(b)
            stack.extend((a[key], b[key]) for key in b)
        elif isinstance(b, list):
            assert len(a) == len(b)
            stack.extend(zip(a, b, strict=True))
        else:
            assert a == b


def outcome(parse: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "ok", parse()
    except Exception as error:  # noqa: BLE001 - compared, not hidden
        return type(error).__name__, (str(error), getattr(error, "pos", None))


def check(body: Any, piece: int) -> int:
    """Assert loads_in_pieces(body, piece) is orjson.loads(body); the number of pieces."""
    want = outcome(lambda: orjson.loads(body))
    got = outcome(lambda: parse_in_pieces(body, piece))
    assert got[0] == want[0], (got, want)
    if want[0] != "ok":
        assert got[1] == want[1]
        with pytest.raises(orjson.JSONDecodeError):
            loads_in_pieces(body, piece)
        return 1
    result, count = got[1]
    same_shape(result, want[1])
    return int(count)


def journal(tables: dict[str, Any]) -> dict[str, Any]:
    return {"meta": {"1": {"schema": 4, "write": "x", "next_id": {"people": 2}}}, **tables}


def records(
    count: int, make: Callable[[int], Any] = lambda i: {"text": f"promise {i}"}
) -> dict[str, Any]:
    return {str(i): make(i) for i in range(1, count + 1)}


def members(pairs: list[tuple[str, bytes]]) -> bytes:
    """An object written by hand (so keys can repeat): each value is already JSON."""
    return b"{" + b",".join(orjson.dumps(key) + b":" + value for key, value in pairs) + b"}"


# --- the demo journal, cut everywhere ------------------------------------------------------


@pytest.fixture(scope="module")
def demo_body(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = Path(tmp_path_factory.mktemp("pieces")) / "journal.json"
    write_demo(Journal(path), FROZEN_NOW, BERLIN, promises=3000)
    return path.read_bytes()


@pytest.mark.parametrize("piece", [1, 200, 1000, 4096, 65536, 300_000])
def test_demo_journal_in_many_pieces(demo_body: bytes, piece: int) -> None:
    count = check(demo_body, piece)
    assert count > 1
    if piece <= 4096:
        assert count > len(demo_body) // (piece + 2000)


def test_demo_journal_at_every_offset_kind(demo_body: bytes) -> None:
    rng = random.Random(14)
    for _ in range(40):
        assert check(demo_body, rng.randrange(50, 40_000)) > 1


def test_the_pieces_really_are_parsed_separately(
    demo_body: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    real = orjson.loads

    def counting(text: Any) -> Any:
        seen.append(len(text))
        return real(text)

    monkeypatch.setattr(orjson, "loads", counting)  # the module pieces.py calls
    result, count = parse_in_pieces(demo_body, 8192)
    monkeypatch.undo()
    assert result == orjson.loads(demo_body)
    same_shape(result, orjson.loads(demo_body))
    assert count == len(pieces._cuts(demo_body, 8192)) + 1 > 100
    # One parse a piece, plus one more for each piece where a table ends (tried as one table
    # first); never the whole body, and no piece much bigger than asked for.
    assert count <= len(seen) <= count + 8
    assert max(seen) < 8192 + 5000 < len(demo_body)
    assert sum(seen) >= len(demo_body)


def test_small_or_uncut_bodies_are_one_parse(demo_body: bytes) -> None:
    assert check(demo_body, len(demo_body) // 2) == 1
    pretty = orjson.dumps(orjson.loads(demo_body), option=orjson.OPT_INDENT_2)
    assert check(pretty, 1000) == 1
    assert check(b'{"meta":{}}', 1) == 1
    assert check(b"", 1) == 1


def test_not_bytes_is_one_parse(demo_body: bytes) -> None:
    assert check(demo_body.decode(), 1000) == 1
    assert check(bytearray(demo_body), 1000) == 1
    assert check(memoryview(demo_body), 1000) == 1


# --- hostile text --------------------------------------------------------------------------


def test_hostile_text_in_records_and_keys() -> None:
    def make(i: int) -> dict[str, Any]:
        text = HOSTILE[i % len(HOSTILE)]
        return {"text": text * (1 + i % 3), text: i, "tags": [text, {"12": text}], "n": -i / 7}

    data = journal(
        {
            "people": records(50, make),
            "promises": records(400, make),
            '},"9":{': records(30, make),
            "entries": records(300, make),
            "🙂": records(20, make),
        }
    )
    body = orjson.dumps(data)
    for piece in (1, 64, 500, 3000, 20_000):
        assert check(body, piece) > 1


def test_a_cut_inside_a_record_falls_back() -> None:
    def nested(i: int) -> dict[str, Any]:
        return {"by_day": {str(d): {"n": d} for d in range(1, 2 + i % 40)}, "after": {"1": {}}}

    body = orjson.dumps(journal({"promises": records(300, nested), "entries": records(5)}))
    counts = {check(body, piece) for piece in range(20, 20_000, 397)}
    assert 1 in counts  # a cut inside a record: the whole body in one parse, same result
    # A record that is one big object of digit keys: every cut falls inside it.
    big = {"by_id": {str(i): {"x": i} for i in range(3000)}}
    body = orjson.dumps(journal({"promises": {"1": big, "2": {"x": 1}}}))
    assert check(body, 1000) == 1


def test_duplicate_record_keys_last_wins_first_place_kept() -> None:
    pairs = [(str(i), orjson.dumps({"i": i, "pad": "p" * 50})) for i in range(1, 400)]
    pairs += [("5", b'{"again":1}'), ("399", b'{"again":2}'), ("200", b"{}")]
    pairs += [(str(i), orjson.dumps({"late": i})) for i in range(400, 500)]
    pairs += [("1", b'{"third":3}'), ("450", b'{"again":450}')]
    body = members([("meta", b'{"1":{}}'), ("promises", members(pairs)), ("x", b"{}")])
    for piece in (1, 100, 700, 5000):
        check(body, piece)
    assert check(body, 100) > 1


def test_duplicate_top_level_keys() -> None:
    table = members([(str(i), orjson.dumps({"t": "r" * 40})) for i in range(1, 300)])
    other = members([(str(i), b'{"other":1}') for i in range(1, 300)])
    small = members([(str(i), b'{"small":1}') for i in range(1, 4)])
    layouts = [
        [("meta", b'{"1":{}}'), ("people", table), ("promises", table), ("people", other)],
        [("meta", b'{"1":{}}'), ("people", table), ("people", other)],
        [("meta", b'{"1":{}}'), ("people", table), ("people", b"{}"), ("people", other)],
        [("meta", b'{"1":{}}'), ("people", table), ("x", b"{}"), ("y", b"1"), ("x", other)],
        [("meta", b'{"1":{}}'), ("a", table), ("b", b"{}"), ("a", b'{"1":{}}'), ("c", other)],
        [("meta", b'{"1":{}}'), ("meta", b'{"2":{}}'), ("people", table)],
        [("people", table), ("meta", b'{"1":{}}'), ("people", b"[1]"), ("people", other)],
        # The first piece ends inside the second "a": "b" is its last key, but not the table
        # that goes on.
        [("meta", b'{"1":{}}'), ("a", small), ("b", b"{}"), ("a", table), ("c", other)],
        [("meta", b'{"1":{}}'), ("a", small), ("a", table), ("c", other)],
        [("meta", b'{"1":{}}'), ("a", table), ("c", small), ("a", other), ("d", small)],
    ]
    for layout in layouts:
        body = members(layout)
        for piece in (1, 50, 333, 2000, 9000):
            check(body, piece)


def test_a_table_closed_early_is_not_json() -> None:
    """`[{` + piece + `}]` parses where the piece closes the table and opens another object:
    a list of two, which the whole body is not."""
    body = orjson.dumps(journal({"promises": records(400), "entries": records(100)}))
    for at in (b',"200":{', b',"399":{', b',"5":{', b',"50":{'):
        for into in (b"},{", b"}],[{", b"},{},{"):
            text = body.replace(at, into + at[1:], 1)
            for piece in (1, 100, 1000, 3000):
                check(text, piece)


def test_one_parse_a_piece_within_a_table(monkeypatch: pytest.MonkeyPatch) -> None:
    body = orjson.dumps(journal({"promises": records(2000)})) + b"\n"
    calls: list[int] = []
    real = orjson.loads

    def counting(text: Any) -> Any:
        calls.append(len(text))
        return real(text)

    monkeypatch.setattr(orjson, "loads", counting)
    result, count = parse_in_pieces(body, 1000)
    monkeypatch.undo()
    same_shape(result, orjson.loads(body))
    assert len(calls) == count > 20  # the last piece too: it is parsed as one table


def test_empty_tables_anywhere() -> None:
    data = journal(
        {
            "empty_first": {},
            "people": records(100),
            "a": {},
            "b": {},
            "promises": records(500),
            "repairs": {},
            "entries": records(100),
            "reviews": {},
            "series": {},
        }
    )
    body = orjson.dumps(data)
    for piece in (1, 100, 1000, 4000):
        assert check(body, piece) > 1
    assert check(orjson.dumps({"t": {}, "u": {}, "v": {}}), 1) == 1


def test_other_top_level_values() -> None:
    rows = records(300)
    for data in (
        journal({"promises": rows, "n": 5, "list": [rows], "s": '},"1":{', "entries": rows}),
        journal({"promises": rows, "z": None}),
        [rows, rows],
        [journal({"promises": rows})],
        {"a": [{"x": rows}], "b": {"c": rows}},
    ):
        body = orjson.dumps(data)
        for piece in (1, 200, 3000):
            check(body, piece)


def test_whitespace_at_the_ends_and_between() -> None:
    body = orjson.dumps(journal({"promises": records(500), "entries": records(200)}))
    for text in (
        body + b"\n",
        body + b" \t\r\n ",
        b"\n " + body,
        body.replace(b',"text"', b', "text"'),
        body.replace(b'},"', b'} ,"', 1),
        body.replace(b'":', b'" : '),
        body[:-2] + b"}\n}",
        body[:-2] + b"}\f}",
    ):
        for piece in (1, 300, 5000):
            check(text, piece)
    assert check(body + b"\n", 300) > 1


def test_deep_nesting_at_orjsons_limit() -> None:
    def deep(levels: int) -> bytes:
        return b'{"d":' * levels + b"1" + b"}" * levels

    rows = [(str(i), orjson.dumps({"x": i})) for i in range(1, 200)]
    for levels in (1, 200, 1000, 1020, 1021, 1022, 1023, 1024, 1100):
        for at in (3, 100, 198):
            row = rows[:at] + [(str(at + 1), deep(levels))] + rows[at + 1 :]
            body = members([("meta", b'{"1":{}}'), ("promises", members(row)), ("e", b"{}")])
            for piece in (1, 250, 2000):
                check(body, piece)
    arrays = b'{"promises":{"1":{},"2":' + b"[" * 1030 + b"]" * 1030 + b',"3":{}}}'
    check(arrays, 1)


def test_nan_and_other_constants() -> None:
    body = orjson.dumps(journal({"promises": records(400), "entries": records(50)}))
    for constant in (b"NaN", b"Infinity", b"-Infinity", b"nan", b"1e999", b"-0.0", b"1E+2"):
        for at in (b'"promise 3"', b'"promise 200"', b'"promise 399"', b'"promise 40"'):
            text = body.replace(at, constant, 1)
            for piece in (1, 500, 5000):
                check(text, piece)


def test_invalid_json_anywhere() -> None:
    base = {"text": "t", "tags": ["a", {"1": "b"}], "due": None, "ok": True, "n": 1.5}
    body = orjson.dumps(journal({"people": records(30), "promises": records(400, lambda i: base)}))
    rng = random.Random(1414)
    edits: list[Callable[[bytes, int], bytes]] = [
        lambda b, at: b[:at] + b[at + 1 :],
        lambda b, at: b[:at] + b"x" + b[at:],
        lambda b, at: b[:at] + b"}" + b[at:],
        lambda b, at: b[:at] + b"]" + b[at:],
        lambda b, at: b[:at] + b"," + b[at:],
        lambda b, at: b[:at] + b'"' + b[at:],
        lambda b, at: b[:at] + b"\xff" + b[at:],
        lambda b, at: b[:at] + b"\xe2\x82" + b[at:],
        lambda b, at: b[:at] + b"\x01" + b[at:],
        lambda b, at: b[:at] + b"\\ud800" + b[at:],
        lambda b, at: b[:at],
        lambda b, at: b[:at] + b"}" + b[at + 1 :] if b[at : at + 1] == b"]" else b[:at] + b"{",
        lambda b, at: b[:at] + b'},"1":{' + b[at:],
        lambda b, at: b[:at] + b'}},"people":{' + b[at:],
        lambda b, at: b[:at] + b'}}},"x":{"1":{' + b[at:],
    ]
    failures = 0
    for _ in range(1500):
        edit = rng.choice(edits)
        text = edit(body, rng.randrange(len(body)))
        if check(text, rng.choice((1, 37, 400, 3000))) == 1:
            failures += 1
    assert failures > 500  # most edits break the body; each raised exactly what orjson raised
    check(body + b"x", 500)
    check(body + b"{}", 500)
    check(body[:-1], 500)
    check(b"\xef\xbb\xbf" + body, 500)  # a byte-order mark is the caller's to strip


def test_random_journals() -> None:
    rng = random.Random(2026)

    def value(depth: int) -> Any:
        kind = rng.randrange(9 if depth < 4 else 5)
        if kind == 0:
            return rng.choice(HOSTILE) + str(rng.random())
        if kind == 1:
            return rng.randrange(-(2**63), 2**64)
        if kind == 2:
            return rng.choice([None, True, False, 0.1, -1e300, 5e-324])
        if kind in (3, 4):
            return rng.choice(HOSTILE)
        if kind in (5, 6):
            return {
                rng.choice([*HOSTILE, str(rng.randrange(30))]): value(depth + 1)
                for _ in range(rng.randrange(5))
            }
        return [value(depth + 1) for _ in range(rng.randrange(4))]

    for _ in range(40):
        tables = {
            rng.choice(["people", "promises", "entries", "x", "1", "🙂", '},"3":{']): {
                str(rng.randrange(1, 10 ** rng.randrange(1, 6))): {
                    str(k): value(0) for k in range(rng.randrange(4))
                }
                for _ in range(rng.randrange(0, 300))
            }
            for _ in range(rng.randrange(1, 6))
        }
        body = orjson.dumps(journal(tables))
        for piece in (1, rng.randrange(10, 3000), rng.randrange(3000, 30_000)):
            check(body, piece)
