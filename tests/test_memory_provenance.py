"""Memory provenance: origin, creation date and creator of every entry, migration, TMX round trips."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from translator import cli
from translator.errors import InputError
from translator.store.memory import SCHEMA_VERSION, TranslationMemory, memory_path
from translator.store.memory_entry import Origin, Via
from translator.store.memory_io import export_tmx, import_tmx
from translator.store.tmx import read_tmx

SRC = "قال لافروف إن موسكو قلقة."
SRC2 = "بحث الوزيران الملف الليبي."


def test_desk_and_engine_entries_record_who_what_when(tmp_path: Path) -> None:
    with TranslationMemory.for_folder(tmp_path, model="m1", glossary="g1", creator="amira") as tm:
        tm.add_reviewed(SRC, "Lavrov said Moscow is worried.")
        tm.add_machine(SRC2, "The ministers discussed Libya.", "m1")
        reviewed, machine = tm.entries(Origin.REVIEWED)[0], tm.entries(Origin.MACHINE)[0]
    assert (reviewed.origin, reviewed.via, reviewed.creator, reviewed.model, reviewed.file) == \
        (Origin.REVIEWED, Via.DESK, "amira", "", "")
    assert (machine.origin, machine.via, machine.model, machine.glossary) == (Origin.MACHINE, Via.ENGINE, "m1", "g1")
    assert reviewed.created and reviewed.created == reviewed.updated and reviewed.id > 0
    assert (reviewed.label, machine.label) == ("reviewed", "machine")


def test_same_english_again_keeps_first_date_and_creator(tmp_path: Path) -> None:
    with TranslationMemory.for_folder(tmp_path, creator="amira") as tm:
        tm.add_reviewed(SRC, "Lavrov said Moscow is worried.")
    db = sqlite3.connect(memory_path(tmp_path))
    db.execute("UPDATE segments SET created='2026-01-01T00:00:00+00:00', updated='2026-01-01T00:00:00+00:00'")
    db.commit()
    db.close()
    with TranslationMemory.for_folder(tmp_path, creator="omar") as tm:
        tm.add_reviewed(SRC, "Lavrov said Moscow is worried.")  # accepted again, unchanged
        same = tm.entries()[0]
        tm.add_reviewed(SRC, "Lavrov: Moscow is worried.")  # a new translation
        new = tm.entries()[0]
    assert (same.created, same.creator) == ("2026-01-01T00:00:00+00:00", "amira") and same.updated > same.created
    assert new.creator == "omar" and new.created > "2026-01-01T00:00:00+00:00" and len({same.id, new.id}) == 1


def _schema_1(path: Path) -> None:
    """A database as schema 1 wrote it (no provenance columns)."""
    path.parent.mkdir(parents=True)
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE segments (key TEXT NOT NULL, origin TEXT NOT NULL CHECK (origin IN ('machine', 'reviewed')),
            model TEXT NOT NULL DEFAULT '', glossary TEXT NOT NULL DEFAULT '', source TEXT NOT NULL,
            target TEXT NOT NULL, updated TEXT NOT NULL, PRIMARY KEY (key, origin, model, glossary));
        INSERT INTO meta VALUES ('key_scheme', 'arabic-1');
    """)
    from translator.store.memory import source_key

    db.execute("INSERT INTO segments VALUES (?, 'reviewed', '', '', ?, 'old reviewed', '2026-05-01T10:00:00+00:00')",
               (source_key(SRC), SRC))
    db.execute("INSERT INTO segments VALUES (?, 'machine', 'm1', 'g1', ?, 'old machine', '2026-05-02T10:00:00+00:00')",
               (source_key(SRC2), SRC2))
    db.commit()
    db.close()


def test_schema_1_database_is_migrated_without_loss(tmp_path: Path) -> None:
    path = memory_path(tmp_path)
    _schema_1(path)
    with TranslationMemory(path, model="m1", glossary="g1") as tm:
        assert tm.lookup(SRC) == "old reviewed" and tm.lookup(SRC2) == "old machine"
        entries = tm.entries()
        assert [(e.via, e.created) for e in entries] == [(Via.LEGACY, "2026-05-01T10:00:00+00:00"),
                                                         (Via.LEGACY, "2026-05-02T10:00:00+00:00")]
        tm.add_reviewed(SRC2, "new reviewed")
    with TranslationMemory(path) as again:  # a second open finds it migrated
        assert again.counts() == {"machine": 1, "reviewed": 2}
    version = sqlite3.connect(path).execute("SELECT value FROM meta WHERE name='schema'").fetchone()[0]
    assert int(version) == SCHEMA_VERSION


def test_list_search_and_forget(tmp_path: Path) -> None:
    with TranslationMemory.for_folder(tmp_path, model="m1") as tm:
        tm.add_reviewed(SRC, "Lavrov said Moscow is WORRIED.")
        tm.add_machine(SRC2, "The ministers discussed Libya.", "m1")
        tm.add_machine(SRC, "machine Lavrov", "m1")
        assert [e.target for e in tm.entries(text="worried")] == ["Lavrov said Moscow is WORRIED."]
        assert [e.target for e in tm.entries(text="الليبي")] == ["The ministers discussed Libya."]
        assert {e.origin for e in tm.entries(source="\u200fقَالَ لافروف إن موسكو قلقة.")} == {Origin.MACHINE,
                                                                                            Origin.REVIEWED}
        assert len(tm.entries(via=Via.ENGINE)) == 2 and len(tm.entries(limit=1)) == 1
        assert tm.entries(since="2999-01-01") == [] and len(tm.entries(before="2999-01-01")) == 3
        doomed = [e.id for e in tm.entries(source=SRC, origin=Origin.REVIEWED)]
        assert tm.forget(doomed) == 1
        assert tm.lookup(SRC) == "machine Lavrov"
        assert tm.forget([987654]) == 0


def test_machine_output_comes_back_through_tmx_as_machine(tmp_path: Path) -> None:
    tmx = tmp_path / "all.tmx"
    with TranslationMemory.for_folder(tmp_path / "a", model="demo", glossary="g1", creator="amira") as tm:
        tm.add_machine(SRC2, "The ministers discussed Libya.", "demo")
        tm.add_reviewed(SRC, "Lavrov said Moscow is worried.")
        assert export_tmx(tm, tmx, include_machine=True) == 2
        before = {e.source: e for e in tm.entries()}
    text = tmx.read_text(encoding="utf-8")
    assert text.count('<prop type="x-origin">machine</prop>') == 1 and '<prop type="x-model">demo</prop>' in text
    assert text.count('creationid="amira"') == 2
    with TranslationMemory.for_folder(tmp_path / "b", model="demo", glossary="g1") as fresh:
        result = import_tmx(fresh, tmx)
        assert (result.added, result.reviewed, result.machine) == (2, 1, 1)
        machine = fresh.entries(Origin.MACHINE)
        assert [e.source for e in machine] == [SRC2]  # never reviewed
        assert fresh.entries(Origin.REVIEWED)[0].source == SRC
        for entry in fresh.entries():
            old = before[entry.source]
            assert (entry.via, entry.file) == (Via.TMX, str(tmx.resolve())) and entry.imported
            assert (entry.created, entry.creator) == (old.created, "amira")
        assert machine[0].label == "TMX machine" and (machine[0].model, machine[0].glossary) == ("demo", "g1")
        assert fresh.lookup(SRC2) == "The ministers discussed Libya."  # same model and glossary: reused
        again = tmp_path / "again.tmx"
        export_tmx(fresh, again, include_machine=True)
    assert [(u.created, u.creator, u.machine) for u in read_tmx(again)] == \
        [(u.created, u.creator, u.machine) for u in read_tmx(tmx)]
    with TranslationMemory.for_folder(tmp_path / "b", model="other") as other:
        assert other.lookup(SRC2) is None  # another model's machine output is not served


def test_tmx_dates_and_creator_from_other_tools_are_kept(tmp_path: Path) -> None:
    tmx = tmp_path / "omegat.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="AR" adminlang="EN-US" '
        'segtype="sentence" datatype="plaintext" o-tmf="OmegaT TMX" creationtool="OmegaT" creationtoolversion="3.6"/>'
        '<body><tu><tuv xml:lang="AR"><seg>' + SRC + '</seg></tuv><tuv xml:lang="EN" changeid="omar" '
        'changedate="20260302T101500Z" creationid="layla" creationdate="20260301T090000Z">'
        '<seg>Lavrov said Moscow is worried.</seg></tuv></tu></body></tmx>', encoding="utf-8")
    with TranslationMemory.for_folder(tmp_path) as tm:
        import_tmx(tm, tmx)
        entry = tm.entries()[0]
    assert (entry.created, entry.updated, entry.creator) == \
        ("2026-03-01T09:00:00+00:00", "2026-03-02T10:15:00+00:00", "layla")


@pytest.mark.parametrize("body, message", [
    ('<tu><tuv xml:lang="ar"><seg>Lavrov said.</seg></tuv><tuv xml:lang="en"><seg>' + SRC + "</seg></tuv></tu>",
     "languages look swapped"),
    ("<tu><tuv><seg>" + SRC + "</seg></tuv><tuv><seg>Lavrov said.</seg></tuv></tu>", "no <tuv> has an xml:lang"),
    ('<tu><tuv xml:lang="fr"><seg>Paris</seg></tuv><tuv xml:lang="de"><seg>Paris</seg></tuv></tu>',
     r"no Arabic→English unit among 1 \(languages: de, fr\)"),
])
def test_tmx_in_the_wrong_languages_is_refused_and_writes_nothing(
        tmp_path: Path, body: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    good = f'<tu><tuv xml:lang="ar"><seg>{SRC2}</seg></tuv><tuv xml:lang="en"><seg>Libya.</seg></tuv></tu>'
    tmx = tmp_path / "bad.tmx"
    tmx.write_text(f'<tmx version="1.4"><header srclang="ar"/><body>{body}{good}</body></tmx>'
                   if "swapped" in message else f'<tmx version="1.4"><header/><body>{body}</body></tmx>',
                   encoding="utf-8")
    with TranslationMemory.for_folder(tmp_path) as tm:
        tm.add_reviewed(SRC, "kept")
        with pytest.raises(InputError, match=message):
            import_tmx(tm, tmx)
    assert cli.main(["memory", "--folder", str(tmp_path), "import", str(tmx)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "bad.tmx" in err
    with TranslationMemory.for_folder(tmp_path) as tm:
        assert [(e.source, e.target) for e in tm.entries()] == [(SRC, "kept")]


def test_fuzzy_matches_carry_the_entry_provenance(tmp_path: Path) -> None:
    tmx = tmp_path / "in.tmx"
    with TranslationMemory.for_folder(tmp_path / "a") as tm:
        tm.add_reviewed(SRC, "Lavrov said Moscow is worried.")
        export_tmx(tm, tmx)
    with TranslationMemory.for_folder(tmp_path / "b") as tm:
        import_tmx(tm, tmx)
        match = tm.fuzzy("قال لافروف إن موسكو قلقة جدا.")[0]
    assert match.entry.label == "TMX" and match.origin is Origin.REVIEWED and 50 < match.score < 100
