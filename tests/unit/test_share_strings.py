"""The app's parse of the journal keeps one string per repeated word (kinds, zones), and
reads and writes exactly what it would without."""

from __future__ import annotations

import copy
from pathlib import Path

from tests.conftest import FROZEN_NOW
from tests.full import build_full_journal
from trustjournal.storage.journal import Journal, encode_journal
from trustjournal.storage.records import share_strings


def test_a_full_journal_shares_its_kinds_and_zones_and_stays_the_same(tmp_path: Path) -> None:
    build_full_journal(tmp_path / "j.json", FROZEN_NOW)
    plain = Journal(tmp_path / "j.json").read_data()
    shared = Journal(tmp_path / "j.json")
    shared.share_strings = True
    data = shared.read_data()
    assert plain is not None and data is not None
    assert data == plain and encode_journal(data) == encode_journal(plain)
    kinds = [event["kind"] for doc in data["promises"].values() for event in doc["events"]]
    made = [kind for kind in kinds if kind == "made"]
    assert len(made) > 1 and all(kind is made[0] for kind in made)
    entry_kinds = {}
    for doc in data["entries"].values():
        assert entry_kinds.setdefault(doc["kind"], doc["kind"]) is doc["kind"]
    zones = [doc["zone"] for doc in data["promises"].values()]
    assert len(zones) > 1 and all(zone is zones[0] for zone in zones if zone == zones[0])
    # Without the flag, each is its own string (so the test above could fail).
    plain_made = [e["kind"] for d in plain["promises"].values() for e in d["events"]
                  if e["kind"] == "made"]
    assert any(kind is not plain_made[0] for kind in plain_made[1:])


def test_odd_values_are_left_as_they_are() -> None:
    data = {"promises": {"1": {"zone": 3, "events": [{"kind": None}, "x"]},
                         "2": {"events": "none"}},
            "entries": {"1": {"kind": ["a"]}}}
    before = copy.deepcopy(data)
    share_strings(data)
    assert data == before
