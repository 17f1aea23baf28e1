"""Part d: files that are not quite journals. Each is named in one line and never overwritten.

Every case runs the real CLI twice, `list` (a read) and `promise` (a write), and checks the
exit status, that stderr is one line naming the file with no traceback, and that the bytes on
disk are exactly what they were, except where the README documents a tolerant read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from tests.torture.common import NOW, ZONE, Report, run_cli
from trustjournal.domain.promise import Promise
from trustjournal.storage.errors import CorruptJournal, JournalError
from trustjournal.storage.journal import SCHEMA_VERSION, Journal, decode_journal

PROMISE = ("promise", "x", "--to", "a", "--due", "fri")
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[bytes], bytes]
    # "refused": both commands refuse. "read-only": list works, promise refuses.
    # "write-refused": promise refuses; list may refuse too, or read what it can.
    # "tolerated": both work, and `check` judges the file afterwards.
    expect: str = "refused"
    check: Callable[[bytes], str | None] | None = None


def _edit(change: Callable[[dict], None]) -> Callable[[bytes], bytes]:  # type: ignore[type-arg]
    def make(valid: bytes) -> bytes:
        data = json.loads(valid)
        change(data)
        return json.dumps(data).encode()

    return make


def _replace(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def make(valid: bytes) -> bytes:
        assert old in valid, old
        return valid.replace(old, new, 1)

    return make


def _bom_dropped(after: bytes) -> str | None:
    if after.startswith(BOM):
        return "the byte-order mark was kept on save"
    texts = {p["text"] for p in json.loads(after)["promises"].values()}
    return None if texts == {"first", "x"} else f"promises after save: {sorted(texts)}"


def _last_key_won(after: bytes) -> str | None:
    if b"old words" in after:
        return "the first of the duplicate keys came back"
    texts = {p["text"] for p in json.loads(after)["promises"].values()}
    return None if texts == {"first", "x"} else f"promises after save: {sorted(texts)}"


def _meta(key: str, value: object) -> Callable[[bytes], bytes]:
    return _edit(lambda d: d["meta"]["1"].__setitem__(key, value))


CASES = (
    Case("empty file", lambda v: b""),
    Case("only whitespace", lambda v: b" \n\t\n"),
    Case("zero-filled (crash before the data reached the disk)", lambda v: b"\0" * 4096),
    Case("truncated half-way (torn write)", lambda v: v[: len(v) // 2]),
    Case("invalid JSON", lambda v: b"{not json"),
    Case("trailing garbage", lambda v: v + b"\n}"),
    Case("JSON array", lambda v: b"[]"),
    Case("JSON string", lambda v: b'"journal"'),
    Case("plain TinyDB file", lambda v: b'{"_default": {"1": {"text": "x"}}}'),
    Case("no meta record", _edit(lambda d: d.pop("meta"))),
    Case("promises table is a list", _edit(lambda d: d.__setitem__("promises", []))),
    Case("record key is not a number", _edit(lambda d: d["promises"].__setitem__("x", {}))),
    Case("schema version is text", _meta("schema", "1")),
    Case("schema version is true", _meta("schema", True)),
    Case("person name is a number", _edit(lambda d: d["people"]["1"].__setitem__("name", 5))),
    Case("promise 'to' is a name", _edit(lambda d: d["promises"]["1"].__setitem__("to", "ana"))),
    Case(
        "due time is a number",
        _edit(lambda d: d["promises"]["1"]["events"][0].__setitem__("due", 12)),
    ),
    # Only writes use the id counters, so a read may go ahead without them.
    Case("id counter is text", _meta("next_id", {"people": 2, "promises": "two"}), "write-refused"),
    Case("id counters are a list", _meta("next_id", []), "write-refused"),
    Case("byte-order mark", lambda v: BOM + v, "tolerated", _bom_dropped),
    Case("Latin-1 byte in a text", _replace(b'"first"', b'"caf\xe9"')),
    Case("UTF-16 file", lambda v: v.decode().encode("utf-16")),
    Case("NaN", _replace(b'"to":1', b'"to":NaN')),
    Case("-Infinity", _replace(b'"to":1', b'"to":-Infinity')),
    Case("nested 100,000 deep", lambda v: b"[" * 100_000 + b"]" * 100_000),
    Case(
        "nested 5,000 deep inside a record",
        _replace(b'"notes":""', b'"notes":"","x":' + b"[" * 5000 + b"]" * 5000),
    ),
    Case(
        "duplicate key",
        _replace(b'"text":"first"', b'"text":"old words","text":"first"'),
        "tolerated",
        _last_key_won,
    ),
    Case("newer schema version", _meta("schema", SCHEMA_VERSION + 1), "read-only"),
    Case("promise without its text", _edit(lambda d: d["promises"]["1"].pop("text"))),
    Case("promise without events", _edit(lambda d: d["promises"]["1"].pop("events"))),
    Case("person without a name", _edit(lambda d: d["people"]["1"].pop("name"))),
)


def define_figures(report: Report) -> None:
    report.define("bad_cases", "bad files: cases")
    report.define("bad_failures", "bad files: wrong outcome", 0)


def _judge(
    report: Report, case: Case, path: Path, argv: tuple[str, ...], refuse: bool | None
) -> str:
    """refuse: True must refuse, False must work, None either (a refusal still done right).

    Returns what the command printed on stdout.
    """
    done = run_cli(path, *argv)
    what = f"bad file {case.name!r}, {argv[0]}"
    lines = done.stderr.splitlines()
    if refuse is None:
        refuse = done.returncode != 0
    if not refuse:
        if done.returncode != 0:
            report.fail("bad_failures", f"{what}: exit {done.returncode}: {done.stderr.strip()}")
        return done.stdout
    if done.returncode != 1:
        last = lines[-1] if lines else ""
        report.fail("bad_failures", f"{what}: exit {done.returncode}, wanted 1 ({last!r})")
    elif "Traceback" in done.stderr or len(lines) != 1:
        report.fail("bad_failures", f"{what}: {len(lines)} stderr lines; last: {lines[-1]!r}")
    elif str(path) not in lines[0]:
        report.fail("bad_failures", f"{what}: the message does not name the file: {lines[0]}")
    return done.stdout


def _valid_journal(folder: Path) -> bytes:
    path = folder / "valid.json"
    for argv in (("person", "add", "Ana Lopez"), ("promise", "first", "--to", "a", "--due", "fri")):
        done = run_cli(path, *argv)
        if done.returncode != 0:
            raise RuntimeError(f"{argv}: {done.stderr}")
    return path.read_bytes()


def run(report: Report, *, workdir: Path) -> None:
    define_figures(report)
    folder = workdir / "badfiles"
    folder.mkdir()
    valid = _valid_journal(folder)
    for number, case in enumerate(CASES):
        path = folder / f"case-{number:02d}.json"
        content = case.make(valid)
        path.write_bytes(content)
        report.add("bad_cases")
        reads = {"refused": True, "write-refused": None}.get(case.expect, False)
        listed = _judge(report, case, path, ("list",), refuse=reads)
        if case.expect == "tolerated" and ("first" not in listed or "old words" in listed):
            report.fail("bad_failures", f"bad file {case.name!r}: list showed {listed!r}")
        if case.expect != "tolerated" and path.read_bytes() != content:
            report.fail("bad_failures", f"bad file {case.name!r}: list changed the file")
        _judge(report, case, path, PROMISE, refuse=case.expect != "tolerated")
        after = path.read_bytes()
        if case.expect != "tolerated":
            if after != content:
                report.fail("bad_failures", f"bad file {case.name!r}: promise changed the file")
        elif case.check is not None and (problem := case.check(after)):
            report.fail("bad_failures", f"bad file {case.name!r}: {problem}")
    _deep_at_app_depth(report, folder, valid)


def _max_loadable_depth(valid: bytes, path: Path) -> int:
    low, high = 1, 5000
    while low < high:
        middle = (low + high + 1) // 2
        try:
            decode_journal(_nested(valid, middle), path)
            low = middle
        except CorruptJournal:
            high = middle - 1
    return low


def _nested(valid: bytes, depth: int) -> bytes:
    return valid.replace(b'"notes":""', b'"notes":"","x":' + b"[" * depth + b"]" * depth, 1)


def _deep_at_app_depth(report: Report, folder: Path, valid: bytes) -> None:
    """A journal the app loaded must save, or be refused with a JournalError, never crash it.

    How deep a nested value may be depends on how deep the caller's stack already is, and the
    app's event handlers sit far deeper than this function.
    """
    path = folder / "deep-app.json"
    # A little under the limit found here, since Journal.load decodes a few frames deeper.
    depth = _max_loadable_depth(valid, path) - 10
    path.write_bytes(_nested(valid, depth))
    report.add("bad_cases")
    journal = Journal(path)
    journal.load()

    def save_from(frames: int) -> None:
        if frames:
            save_from(frames - 1)
            return
        with journal.transaction(NOW) as tx:
            tx.add(
                Promise.make(
                    text="x", person_id=1, made_at=NOW, due=NOW + timedelta(days=1), zone=ZONE
                )
            )

    for frames in (10, 40, 80):
        try:
            save_from(frames)
        except JournalError:
            pass
        except RecursionError as error:
            report.fail(
                "bad_failures",
                f"bad file nested {depth} deep (loads fine): saving {frames} frames deeper "
                f"raised {type(error).__name__}: {error}",
            )
            break
