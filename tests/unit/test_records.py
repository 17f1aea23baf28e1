"""The registry of records, and everything that walks it, on a journal with every field filled."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.full import build_full_journal
from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.person import Person
from trustjournal.domain.promise import Promise
from trustjournal.storage import records
from trustjournal.storage.doctor import diagnose, mend
from trustjournal.storage.errors import CorruptJournal
from trustjournal.storage.exchange import export_document, import_document
from trustjournal.storage.journal import Journal, check_shape, new_journal_data
from trustjournal.storage.migrations import SCHEMA_VERSION
from trustjournal.storage.records import RECORDS, Table
from trustjournal.storage.validate import check_records


@pytest.fixture
def full(journal_path: Path, now: datetime) -> Journal:
    return build_full_journal(journal_path, now)


def _stored(journal: Journal) -> dict:
    return json.loads(journal.path.read_text())


def test_the_registry_covers_every_table_and_every_ledger_field() -> None:
    assert set(RECORDS) == set(Table)
    assert {f.name for f in dataclasses.fields(Ledger)} == {t.value for t in Table}
    assert len({kind.record_class for kind in RECORDS.values()}) == len(RECORDS)
    assert len({kind.noun for kind in RECORDS.values()}) == len(RECORDS)
    for kind in RECORDS.values():
        assert kind.required, f"{kind.table} has no fields for the pre-write check"
        for link in kind.links:
            assert link.target in RECORDS


def test_each_table_has_a_loader_dumper_validator_doctor_rule_and_export(
        full: Journal, now: datetime) -> None:
    data = _stored(full)
    document = export_document(data, now)
    for table, kind in RECORDS.items():
        stored = data[table.value]
        assert stored, f"the full journal has no {table}"
        key, doc = next(iter(stored.items()))
        record = records.load_record(kind, int(key), doc)
        assert kind.dump(record) == doc  # loader and dumper are inverses
        assert type(record).__name__ == kind.record_class
        assert len(document[table.value]) == len(stored)  # exported
        for field, _ in kind.required:  # the validator knows each required field
            broken = json.loads(json.dumps(data))
            broken[table.value][key][field] = [None]
            with pytest.raises(CorruptJournal, match=f"{table} record {key}"):
                check_records(broken, full.path)
            problems = diagnose(broken)  # and doctor finds the record
            assert any(p.where == f"{table} #{key}" for p in problems), (table, field)


def test_full_journal_fills_every_field(full: Journal) -> None:
    ledger = full.load()
    for table, kind in RECORDS.items():
        held = list(getattr(ledger, table.value).values())
        for field in dataclasses.fields(held[0]):
            default = (field.default_factory() if field.default_factory
                       is not dataclasses.MISSING else field.default)
            values = [getattr(r, field.name) for r in held]
            assert any(v != default for v in values), f"no {kind.noun} fills {field.name}"
    assert any(g.due for p in ledger.people.values() for g in p.goals)
    assert any(m.reached for p in ledger.people.values() for g in p.goals for m in g.milestones)
    meetings = [m.leader_meeting for p in ledger.people.values() for g in p.goals
                for m in g.milestones if m.leader_meeting is not None]
    assert any(m.on and m.done_at for m in meetings), "no milestone fills its leader meeting"


def test_the_full_journal_is_healthy_and_mending_it_changes_nothing(full: Journal) -> None:
    data = _stored(full)
    assert diagnose(data) == []
    fixed, done = mend(data)
    assert done == [] and fixed == data


def test_export_import_export_is_identical(full: Journal, tmp_path: Path, now: datetime) -> None:
    first = full.export_document(now)
    source = tmp_path / "export.json"
    source.write_text(json.dumps(first))
    fresh = Journal(tmp_path / "fresh" / "journal.json")
    count = fresh.import_export(source, now)
    assert count == sum(len(first[t.value]) for t in Table)
    assert fresh.export_document(now) == first
    assert fresh.load() == full.load()
    assert diagnose(_stored(fresh)) == []


def test_import_refuses_a_journal_that_holds_records(full: Journal, tmp_path: Path,
                                                     now: datetime) -> None:
    source = tmp_path / "export.json"
    source.write_text(json.dumps(full.export_document(now)))
    before = full.path.read_bytes()
    with pytest.raises(InvalidInput, match="already holds .* records.*trustjournal restore"):
        full.import_export(source, now)
    assert full.path.read_bytes() == before


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda d: d.update(format="other"), "not a trustjournal export"),
        (lambda d: d.update(version=99), "export version 99"),
        (lambda d: d.update(schema=SCHEMA_VERSION + 1), "newer than this trustjournal"),
        (lambda d: d["people"][0].pop("name"), "bad record: people record"),
        (lambda d: d["promises"].append(dict(d["promises"][0])), "promise #1 twice"),
        (lambda d: d["promises"][0].update(to=99), "not in the journal"),
        (lambda d: d.update(surprise=1), "does not know: surprise"),
        (lambda d: d.update(people={}), '"people" that is not a list'),
    ],
)
def test_import_refuses_a_bad_export_with_one_line(full: Journal, tmp_path: Path, now: datetime,
                                                   change, says: str) -> None:
    document = full.export_document(now)
    change(document)
    with pytest.raises(InvalidInput, match=says) as error:
        import_document(document, tmp_path / "x.json")
    assert "\n" not in str(error.value)


def test_restore_accepts_a_json_export(full: Journal, tmp_path: Path, now: datetime) -> None:
    document = full.export_document(now)
    source = tmp_path / "export.json"
    source.write_text(json.dumps(document))
    other = Journal(tmp_path / "other" / "journal.json")
    with other.transaction(now) as tx:
        tx.add(Person(id=0, name="Someone Else", created_at=now))
    kept = other.restore_from(source, source.read_bytes(), now, full_zone())
    assert kept is not None and kept.exists()
    assert other.export_document(now) == document


def full_zone():
    from tests.conftest import BERLIN

    return BERLIN


def test_tinydb_reads_the_journal_file(full: Journal) -> None:
    from tinydb import TinyDB

    from trustjournal.storage.journal import JournalStorage

    db = TinyDB(str(full.path), storage=JournalStorage)
    names = sorted(doc["name"] for doc in db.table("people").all())
    assert names == ["Dana Whitfield", "Helen Brandt"]
    assert len(db.table("repairs")) == 1 and len(db.table("reviews")) == 2


def test_undo_restores_the_full_journal_byte_for_byte(full: Journal, now: datetime) -> None:
    before = _stored(full)
    with full.transaction(now) as tx:
        dana = tx.find_person("dana")
        tx.save(dana.with_stance(dana.stance.__class__("supporter"), now, "backed the plan"))
        tx.remove(records.REPAIRS, 1)
        changes = tuple(tx.changes)
    with full.transaction(now) as tx:
        tx.undo(changes)
    after = _stored(full)
    assert {k: v for k, v in after.items() if k != "meta"} == \
        {k: v for k, v in before.items() if k != "meta"}


def test_every_record_gets_a_distinct_uid(full: Journal) -> None:
    uids = [doc["uid"] for table in Table for doc in _stored(full)[table.value].values()]
    assert len(uids) == len(set(uids)) > 10
    assert all(len(uid) == 32 and uid[12] == "4" for uid in uids)


def test_reading_an_old_journal_shows_the_uids_its_migration_writes(journal_path: Path,
                                                                     now: datetime) -> None:
    fixture = Path(__file__).parents[1] / "fixtures" / "journal-v1.json"
    journal_path.parent.mkdir(parents=True)
    journal_path.write_bytes(fixture.read_bytes())
    journal = Journal(journal_path)
    shown = {p.id: p.uid for p in journal.load().people.values()}
    with journal.transaction(now) as tx:
        tx.add(Person(id=0, name="New Person", created_at=now))
    written = {p.id: p.uid for p in journal.load().people.values()}
    assert all(shown[i] == written[i] for i in shown) and all(shown.values())


def test_a_change_refuses_links_to_missing_records(full: Journal, now: datetime) -> None:
    before = full.path.read_bytes()
    with pytest.raises(InvalidInput, match="there is no commitment #99"), \
            full.transaction(now) as tx:
        tx.add(Promise.make(text="x", person_id=1, made_at=now, due=now, zone="UTC",
                            commitment_id=99))
    with pytest.raises(InvalidInput, match="there is no person #42"), full.transaction(now) as tx:
        tx.save(tx.find_person("dana").trusting(42))
    assert full.path.read_bytes() == before


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_TEXT, text=_TEXT, notes=_TEXT)
def test_any_text_round_trips_or_is_refused_with_one_line(tmp_path_factory, now: datetime,
                                                         name: str, text: str,
                                                         notes: str) -> None:
    folder = tmp_path_factory.mktemp("any")
    journal = Journal(folder / "journal.json")
    try:
        with journal.transaction(now) as tx:
            person = tx.add(Person(id=0, name=name, created_at=now, notes=notes))
            tx.add(Promise(id=0, text=text, person_id=person.id,
                           events=Promise.make(text="x", person_id=0, made_at=now, due=now,
                                               zone="UTC").events))
    except InvalidInput as error:
        assert "\n" not in str(error) and str(error)
        assert not journal.exists()
        return
    document = journal.export_document(now)
    source = folder / "export.json"
    source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    again = Journal(folder / "again.json")
    again.import_export(source, now)
    loaded = again.load()
    assert loaded.people[1].name == name and loaded.people[1].notes == notes
    assert loaded.promises[1].text == text
    assert again.export_document(now) == document


def test_a_new_journal_has_every_table() -> None:
    data = new_journal_data(datetime(2026, 1, 1).astimezone())
    check_shape(data, Path("x"))
    assert set(data) == {"meta", *(t.value for t in Table)}
