"""The journal file's head layout: what an app's first frame needs is at the start of the file.

A journal at ten years holds ~100,000 promises, nearly all closed, in a 40 MB file whose parse
alone (250-480 ms) is more than the whole first frame may take. So the file is written in this
order: the meta record, then the people, the series and the commitments, then the promises
table with the open promises first (by id) and the closed ones after them (by id), then every
other table as it comes. The meta record carries a hint, in the first 256 bytes beside the
write token:

    {"meta":{"1":{"schema":4,"write":"T","head":{"bytes":N,"write":"T","size":S,"open":M,
     "end":"}}"},...}},"people":{...},"series":{...},"commitments":{...},"promises":{OPEN,CLOSED},...}

`raw[:N] + end` is then a complete JSON document holding exactly the meta record, people,
series, commitments and the M open promises ("end" is "}" when there is no promises table).
A reader that wants only that (`head_document`) reads N bytes and parses them; it trusts the
hint only when it is the very one this write made: its token is the meta record's own (any
other writer changes the token, and a writer that keeps the record keeps the old hint), the
file is S bytes long (a hand edit or a rewrite by another tool changes that), the head parses
to exactly those tables and its promises are M open ones. Anything else, and the reader parses
the whole file as before: a bad hint is never an error.

Whoever parses the whole file (`settle`) gets exactly what it got before this layout: the hint
is taken out of the meta record and the promises table is put back in id order (the open run
merged into the closed one: cheap when the open promises are the recent ones).

The bytes are built from separately encoded parts (`encode_parts`), so the offsets are known
without a scan, and written one part after another without being joined (joining 40 MB costs
more than encoding it here).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Mapping
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

from trustjournal.storage.records import _CLOSING_KINDS, META, Table, is_closed

Data = dict[str, Any]
Part = bytes | memoryview

HEAD = 256
"""How much of the file a reader looks at for the write token and the hint."""
HINT = "head"
"""The meta record's field holding the hint."""
FIRST = (Table.PEOPLE.value, Table.SERIES.value, Table.COMMITMENTS.value)
"""The tables before the promises, in this order, when the journal has them."""
PROMISES = Table.PROMISES.value
_HEAD_TABLES = frozenset({META, *FIRST, PROMISES})
_IN_FRONT = ("schema", "write")
_TOKEN = re.compile(r"[0-9a-f]{16}")
_START = b'{"meta":'
_HINTED = re.compile(
    rb'\{"meta":\{"1":\{"schema":\d{1,18},"write":"([0-9a-f]{16})","head":\{"bytes":(\d{1,18}),'
    rb'"write":"([0-9a-f]{16})","size":(\d{1,18}),"open":(\d{1,18}),"end":"(\}\}?)"\}'
)


# --- writing -----------------------------------------------------------------------------------


def encode_parts(data: Data) -> list[Part]:
    """The journal as the bytes to write, in parts (their concatenation is the file)."""
    return encode(data)[0]


def encode(data: Data, opened: Collection[str] | None = None
           ) -> tuple[list[Part], list[str] | None]:
    """The parts to write, and the keys of the open promises they hold first (None: no head
    layout, the journal as it comes). `opened`: those keys when the caller knows them (the
    journal keeps them from its last read and write); each is looked at, and when one is not
    an open promise of `data` they are all found again."""
    try:
        laid = _head_layout(data, opened)
    except ValueError:  # a key that is no number: no layout, the journal as it comes
        laid = None
    if laid is not None:
        return laid
    # orjson: compact UTF-8 in one pass, about six times faster than json.dumps. It writes a
    # non-finite float as null; none can be here (parsing refuses them and no record holds a
    # float it made itself). The meta record still goes first, for the write token.
    return [orjson.dumps({META: data[META], **{k: v for k, v in data.items() if k != META}})
            ], None


def open_keys(promises: Mapping[str, Any]) -> list[str]:
    """The keys of the open promises (records.is_closed false), in table order.

    One line without a call per record first (6-13 ms at 100,000 promises against 11-15 ms
    for is_closed on each); anything that line cannot read is looked at by is_closed itself.
    """
    try:
        return [key for key, doc in promises.items()
                if doc["events"][-1]["kind"] not in _CLOSING_KINDS]
    except (KeyError, IndexError, TypeError):
        return [key for key, doc in promises.items() if not is_closed(doc)]


def _open_of(promises: Mapping[str, Any], known: Collection[str] | None) -> list[str]:
    if known is not None and all(key in promises and not is_closed(promises[key])
                                 for key in known):
        return sorted(known, key=int)
    return sorted(open_keys(promises), key=int)


def _head_layout(data: Data, known: Collection[str] | None
                 ) -> tuple[list[Part], list[str]] | None:
    meta = data.get(META)
    if not isinstance(meta, dict) or not isinstance(record := meta.get("1"), dict):
        return None
    token, schema = record.get("write"), record.get("schema")
    if (not isinstance(token, str) or not _TOKEN.fullmatch(token) or type(schema) is not int
            or schema < 0):
        return None
    promises = data.get(PROMISES)
    if promises is not None and not isinstance(promises, dict):
        return None
    body: list[Part] = []
    for name in FIRST:
        if name in data:
            body += [b',"', name.encode(), b'":', orjson.dumps(data[name])]
    opened: list[str] = []
    if promises is None:
        end, head = "}", sum(map(len, body))
    else:
        opened = _open_of(promises, known)
        shown = orjson.dumps({key: promises[key] for key in opened})
        body += [b',"promises":', memoryview(shown)[:-1]]
        head = sum(map(len, body))
        end = "}}"
        if len(opened) < len(promises):
            body += [b"," if opened else b"", *_closed(promises, set(opened))]
        else:
            body.append(b"}")
    rest = {k: v for k, v in data.items() if k != META and k not in _HEAD_TABLES}
    body += [b",", memoryview(orjson.dumps(rest))[1:]] if rest else [b"}"]
    total = sum(map(len, body))
    others = {k: v for k, v in record.items() if k not in (*_IN_FRONT, HINT)}
    more = {k: v for k, v in meta.items() if k != "1"}
    # N and S count the meta record, which holds them: a few rounds until their digits settle.
    length = size = 0
    for _ in range(8):
        hint = {"bytes": length, "write": token, "size": size, "open": 0 if promises is None
                else len(opened), "end": end}
        encoded = orjson.dumps({"1": {"schema": schema, "write": token, HINT: hint, **others},
                                **more})
        start = len(_START) + len(encoded)
        if (length, size) == (start + head, start + total):
            break
        length, size = start + head, start + total
    else:
        return None
    first = _START + encoded[:HEAD]
    if _HINTED.match(first, 0, HEAD) is None:  # the hint must be where readers look
        return None
    return [_START, encoded, *body], opened


def _closed(promises: Data, opened: set[str]) -> list[Part]:
    """The closed promises' records in table order (the journal keeps it the id order), then
    the table's closing brace, without copying the table: the open ones are nearly always
    among the newest, so the table is encoded whole and cut where the newest records begin,
    which are encoded again without the open ones (a copy of the table without them cost
    2-5 ms at 100,000 promises, and more in page faults)."""
    newest: list[str] = []  # from the oldest open promise's place to the end
    seen, most = 0, len(promises) // 8
    for key in reversed(promises):
        if seen == len(opened) or len(newest) > most:
            break
        newest.append(key)
        seen += key in opened
    newest.reverse()
    if seen < len(opened):  # an open promise as old as the journal: a copy is cheaper
        closed = promises.copy()
        for key in opened:
            del closed[key]
        return [memoryview(orjson.dumps(closed))[1:]]
    whole = orjson.dumps(promises)
    if not newest:
        return [memoryview(whole)[1:]]
    # whole is "{" + older + "," + newest + "}"; encoded alone, newest is "{" + newest + "}".
    tail = orjson.dumps({key: promises[key] for key in newest})
    cut = len(whole) - len(tail)
    if whole[cut:cut + 1] != b"," or not whole.endswith(tail[1:]):
        raise ValueError("the table did not encode as its parts do")  # never seen: no layout
    later = {key: promises[key] for key in newest if key not in opened}
    return [memoryview(whole)[1:cut],
            *([b",", memoryview(orjson.dumps(later))[1:]] if later else [b"}"])]


def in_file_order(data: Data) -> None:
    """Put `data` in the order the file is written in (except the promises' open run), in
    place, so that what a writer keeps as the parsed journal equals a fresh parse of its file:
    meta first with its record "1" first and that record's schema and write token first, then
    the people, series, commitments and promises, then the rest as they come. No hint is kept
    in it (the writer makes a fresh one)."""
    meta = data.get(META)
    if isinstance(meta, dict):
        _to_front(meta, ("1",))
        record = meta.get("1")
        if isinstance(record, dict):
            record.pop(HINT, None)
            _to_front(record, _IN_FRONT)
    _to_front(data, (META, *FIRST, PROMISES))


def _to_front(mapping: dict[str, Any], names: tuple[str, ...]) -> None:
    present = [name for name in names if name in mapping]
    if list(islice(mapping, len(present))) == present:
        return
    for key in [*present, *(key for key in mapping if key not in present)]:
        mapping[key] = mapping.pop(key)


# --- reading -----------------------------------------------------------------------------------


class Hint:
    """The hint as read from a file's first bytes (not yet believed)."""

    __slots__ = ("length", "token", "size", "opened", "end")

    def __init__(self, length: int, token: str, size: int, opened: int, end: str) -> None:
        self.length = length
        self.token = token
        self.size = size
        self.opened = opened
        self.end = end

    def as_stored(self) -> dict[str, Any]:
        return {"bytes": self.length, "write": self.token, "size": self.size,
                "open": self.opened, "end": self.end}


def hint_in(first: bytes, size: int) -> Hint | None:
    """The hint at the very start of a file of `size` bytes, when it is this write's own."""
    match = _HINTED.match(first, 0, HEAD)
    if match is None or match[1] != match[3]:
        return None
    hint = Hint(int(match[2]), match[3].decode(), int(match[4]), int(match[5]),
                match[6].decode())
    if hint.size != size or not len(_START) < hint.length < size:
        return None
    return hint


def head_document(chunk: bytes, hint: Hint, path: Path) -> Data | None:
    """The document `chunk[:hint.length]` closes into, when it is exactly the head the hint
    describes; else None (the reader parses the whole file). `chunk` holds at least the byte
    after the head."""
    from trustjournal.storage.errors import CorruptJournal
    from trustjournal.storage.journal import check_shape

    # Where a record or a table ends (or, with no open promise, where the first closed begins).
    after = chunk[hint.length:hint.length + 1]
    if after not in (b",", b"}") and not (after == b'"' and hint.opened == 0):
        return None
    try:
        doc = orjson.loads(chunk[:hint.length] + hint.end.encode())
    except orjson.JSONDecodeError:
        return None
    if not isinstance(doc, dict) or not _HEAD_TABLES.issuperset(doc):
        return None
    try:
        check_shape(doc, path)
    except CorruptJournal:
        return None
    record = doc[META]["1"]
    if record.pop(HINT, None) != hint.as_stored() or record.get("write") != hint.token:
        return None
    promises = doc.get(PROMISES)
    if promises is None:
        return doc if hint.end == "}" else None
    if hint.end != "}}" or len(promises) != hint.opened:
        return None
    if any(map(is_closed, promises.values())):
        return None
    return doc


def settle(data: Data, size: int) -> None:
    """A whole parse as it was before the head layout, in place: no hint in the meta record
    and the promises table in id order (`size`: how long the file was)."""
    record = data[META]["1"]
    hint = record.pop(HINT, None)
    promises = data.get(PROMISES)
    if not isinstance(promises, dict) or len(promises) < 2:
        return
    try:
        if (isinstance(hint, dict) and hint.get("write") == record.get("write")
                and hint.get("size") == size and hint.get("end") == "}}"
                and type(hint.get("open")) is int and 0 <= hint["open"] <= len(promises)):
            _merge_open_run(data, promises, hint["open"])
        else:
            ordered = in_id_order(promises)
            if ordered is not None:
                data[PROMISES] = ordered
    except ValueError:
        return  # a key that is no number: doctor's to report; the order as it comes


def _merge_open_run(data: Data, promises: Data, opened: int) -> None:
    """The file's open run (the first `opened` keys, by id) back among the closed ones (by id).

    Only the open promises and the closed ones newer than the oldest open one move: nothing
    else when the open promises are the recent ones (0.2 ms at 100,000). When that would be
    more than a quarter of the table (an open promise nearly as old as the journal), the
    table is built again in id order instead: 36 ms at 100,000 here, a tenth of the
    parse, on every whole read while such a promise stays open.
    """
    if not opened:
        return
    run = sorted(islice(promises, opened), key=int)
    oldest, closed, most = int(run[0]), len(promises) - opened, len(promises) // 4
    newer: list[str] = []  # the closed ones newer than the oldest open one, newest first
    for key in reversed(promises):
        if len(newer) == closed or len(newer) > most or int(key) < oldest:
            break
        newer.append(key)
    if len(newer) <= most:
        moved = {key: promises.pop(key) for key in sorted((*run, *newer), key=int)}
        promises.update(moved)
        return
    older = list(islice(promises, opened, None))
    order: list[str] = []
    first = 0
    for key in run:
        place = bisect_right(older, int(key), lo=first, key=int)
        order += older[first:place]
        order.append(key)
        first = place
    order += older[first:]
    data[PROMISES] = {key: promises[key] for key in order}


def in_id_order(table: dict[str, Any]) -> dict[str, Any] | None:
    """`table` in id order when it is not (a new dict), else None: 8 ms at 100,000 to look."""
    ids = list(map(int, table))
    if all(map(int.__lt__, ids, islice(ids, 1, None))):
        return None
    return {key: table[key] for key in sorted(table, key=int)}
