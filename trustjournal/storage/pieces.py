"""Parse a big journal in pieces, so no single GIL hold is long (issue #14).

Why: the app loads the journal in a worker thread while the UI thread keeps drawing, and
`orjson.loads` holds the GIL for the whole parse in one C call: at 20,000 promises (8.5 MB) a
thread ticking every 1 ms waited 39 ms for it, at 100,000 (42 MB) 235 ms. In pieces of 128 KB
its longest wait was 7 ms at both sizes (9-10 ms at worst), no more than beside a pure-Python
busy loop (7-10 ms: its 1 ms sleep plus the 5 ms switch interval), and the whole parse was
15% faster, not slower (32 vs 39 ms, 199 vs 234 ms; median of 9, GC off), its peak memory at
100,000 96 MB lower. See tests/benchmarks/pieces_bench.py.

How: `loads_in_pieces(body)` (`parse_in_pieces` also says how many pieces) returns exactly
what `orjson.loads(body)` returns, but parses the journal (`{"<table>":{"<id>":{record},...},
...}`) in pieces of about `piece` bytes, with Python bytecode between them, where another
thread can take the GIL.

Cuts. The body is cut only at a comma that matches `},"<digits>":{`, the first found from each
target offset. Such a match is never inside a JSON string: there every `"` is escaped as `\\"`,
and this one follows a `,`; nor is it a closing quote, which is never followed by a digit. So
each cut lies between two members of some object, at some depth; at a record boundary it is at
depth 2.

Pieces, and why a parsed piece proves the whole. Write `P0, P1, ... Pn` for the bytes between
the cuts (the cut commas left out); each `Pi` after the first starts with `"<digits>":{`.

- `P0 + b"}}"` is parsed as it is. It parses only if a JSON parser that has read `P0` is
  inside exactly two objects, just after a member's value: the two braces must close exactly two
  objects and end the text. In the whole body the cut comma then comes in that same state.
- A piece inside one table is parsed as `b"[{" + Pi + b"}]"`, which must give a list of one
  dict. From the first `"` on, the parser is in the same state as in the body (inside a
  depth-2 object, reading a key); a list of one element proves that object was never closed
  inside `Pi`, and the closing `}]` proves `Pi` ends, as `P0` did, just after a member's value
  at depth 2. Its members are the continuing table's records: `dict.update` merges them exactly
  as orjson fills a dict (a repeated key keeps its first place and takes the last value). The
  wrapper has the same depth as the body (two levels), so orjson's depth limit (1024) cuts in
  at the same nesting.
- A piece where a table ends is parsed as `{"<table>":{ + Pi + }}` (no `}}` for the last
  piece), `<table>` being the last top-level key so far (orjson keeps order). A top-level key
  written twice would hide which table continues, so such a piece (and the first) is accepted
  only when `orjson.dumps` of its result gives back its exact bytes: canonical, so no key is
  repeated. The app writes the journal with `orjson.dumps`, so its own files pass; a
  hand-edited one is parsed in one call.

By induction every piece starts and ends in the state the body has at that cut, so the pieces
all parse only if the body does, and the merged result is the body's. On any doubt or failure
(a cut inside a record, a top-level key seen in two pieces, a piece that does not parse, odd
formatting) the body is parsed by one `orjson.loads(body)`, so results and errors are
orjson's own. A body of at most two pieces, or with no cut (pretty-printed JSON), is parsed in
one call too. A byte-order mark is the caller's to strip.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

PIECE = 1 << 17  # 128 KB: about 0.5 ms of parsing; smaller pieces gained nothing more
_CUT = re.compile(rb'\},"\d+":\{')
_WHITESPACE = b" \t\r\n"
_WINDOW = 1 << 16  # searched in one call: about 0.03 ms


def loads_in_pieces(body: bytes, piece: int = PIECE) -> Any:
    """What `orjson.loads(body)` returns, parsed in pieces of about `piece` bytes."""
    return parse_in_pieces(body, piece)[0]


def parse_in_pieces(body: bytes, piece: int = PIECE) -> tuple[Any, int]:
    """The parsed body and how many pieces it was parsed in (1: by one `orjson.loads`)."""
    if type(body) is not bytes or piece < 1 or len(body) <= 2 * piece:
        return orjson.loads(body), 1
    cuts = _cuts(body, piece)
    if cuts:
        try:
            merged = _merge(body, cuts)
        except Exception:  # any doubt: orjson says what the body is
            merged = None
        if merged is not None:
            return merged, len(cuts) + 1
    return orjson.loads(body), 1


def _cuts(body: bytes, piece: int) -> list[int]:
    """The offsets of the cut commas: the first match at or after each target, at most a window
    on (so no search scans far in one call); where there is none the target moves one window."""
    cuts: list[int] = []
    window = max(piece, _WINDOW)
    target = piece
    last = len(body) - piece  # the last piece is at least about one piece long
    while target < last:
        found = _CUT.search(body, target, target + window)
        if found is None:
            target += window
            continue
        cut = found.start() + 1
        cuts.append(cut)
        target = cut + piece
    return cuts


def _merge(body: bytes, cuts: list[int]) -> dict[str, Any] | None:
    with memoryview(body) as view:
        return _merge_view(body, view, cuts)


def _merge_view(body: bytes, view: memoryview, cuts: list[int]) -> dict[str, Any] | None:
    text = b"".join((view[: cuts[0]], b"}}"))
    result = orjson.loads(text)
    if type(result) is not dict or not result or orjson.dumps(result) != text:
        return None
    table: str = next(reversed(result))
    end = len(body.rstrip(_WHITESPACE))  # the same bytes, not a copy, when there is none
    bounds = [*zip(cuts, [*cuts[1:], end], strict=True)]
    for number, (cut, stop) in enumerate(bounds, start=1):
        records = result[table]
        if type(records) is not dict:
            return None
        last = number == len(bounds)
        inner = view[cut + 1 : stop - 2] if last else view[cut + 1 : stop]
        if not last or body[stop - 2 : stop] == b"}}":
            try:
                part = orjson.loads(b"".join((b"[{", inner, b"}]")))
            except orjson.JSONDecodeError:
                part = None  # a table ends in this piece (or the body is not JSON)
            if type(part) is list and len(part) == 1 and type(part[0]) is dict:
                records.update(part[0])
                continue
        head = b"".join((b"{", orjson.dumps(table), b":{"))
        text = b"".join((head, view[cut + 1 : stop], b"" if last else b"}}"))
        tables = orjson.loads(text)
        if type(tables) is not dict or orjson.dumps(tables) != text:
            return None
        names = iter(tables)
        if next(names) != table:
            return None
        records.update(tables[table])
        for name in names:
            if name in result:
                return None
            result[name] = tables[name]
            table = name
    return result
