"""Translation memory: keys, precedence, provenance, fuzzy matches, concurrency, pipeline use."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from pathlib import Path

import pytest

from tests.conftest import FakeEngine
from translator.errors import InputError
from translator.mt.pipeline import translate_paragraphs
from translator.store.memory import TranslationMemory, memory_path, source_key

SRC = "قال لافروف إن موسكو قلقة."


@pytest.fixture
def tm(tmp_path: Path) -> TranslationMemory:
    memory = TranslationMemory.for_folder(tmp_path, model="m1", glossary="g1")
    yield memory
    memory.close()


def test_lives_in_project_folder_in_wal_mode(tmp_path: Path, tm: TranslationMemory) -> None:
    assert tm.path == tmp_path / ".translator" / "memory.sqlite" == memory_path(tmp_path)
    tm.add_reviewed(SRC, "Lavrov said Moscow is worried.")
    mode = sqlite3.connect(tm.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


@pytest.mark.parametrize("variant", [
    "قال لافروف إن موسكو قلقة.",
    "  قال   لافروف إن موسكو قلقة.  ",          # whitespace
    "قَالَ لافروف إنّ موسكو قلقة.",               # harakat
    "\u200fقال لافروف إن موسكو قلقة.\u200f",     # bidi marks
    "قال لافروف ان موسكو قلقه.",                 # alef / ta marbuta folding
])
def test_lookup_is_keyed_by_normalised_source(tm: TranslationMemory, variant: str) -> None:
    tm.add_machine(SRC, "Lavrov said Moscow is worried.", "m1")
    assert tm.lookup(variant) == "Lavrov said Moscow is worried."


def test_different_text_does_not_match(tm: TranslationMemory) -> None:
    tm.add_machine(SRC, "Lavrov said Moscow is worried.", "m1")
    assert tm.lookup("قال أردوغان إن أنقرة قلقة.") is None
    assert source_key(SRC) != source_key("قال أردوغان إن أنقرة قلقة.")


def test_reviewed_beats_machine_whatever_the_order(tm: TranslationMemory) -> None:
    tm.add_reviewed(SRC, "Lavrov said Moscow was deeply concerned.")
    tm.add_machine(SRC, "Lavrov said that Moscow worried.", "m1")
    assert tm.lookup(SRC) == "Lavrov said Moscow was deeply concerned."
    entry = tm.lookup_entry(SRC)
    assert entry is not None and entry.origin == "reviewed"
    tm.add_reviewed(SRC, "Lavrov: Moscow is concerned.")  # a later review replaces the earlier one
    assert tm.lookup(SRC) == "Lavrov: Moscow is concerned."
    assert tm.counts() == {"machine": 1, "reviewed": 1}


def test_machine_output_of_another_model_or_glossary_is_not_reused(tmp_path: Path, tm: TranslationMemory) -> None:
    tm.add_machine(SRC, "old model output", "m1")
    assert tm.lookup(SRC) == "old model output"
    for model, glossary in (("m2", "g1"), ("m1", "g2"), (None, "g1")):
        with TranslationMemory.for_folder(tmp_path, model=model, glossary=glossary) as other:
            assert other.lookup(SRC) is None
    tm.add_reviewed(SRC, "reviewed text")
    with TranslationMemory.for_folder(tmp_path, model="m2", glossary="g9") as other:
        assert other.lookup(SRC) == "reviewed text"  # reviewed work is model-independent


def test_blank_sources_and_targets_are_not_stored(tm: TranslationMemory) -> None:
    tm.add_machine("   ", "x", "m1")
    tm.add_machine(SRC, "  ", "m1")
    assert tm.counts() == {"machine": 0, "reviewed": 0}
    assert tm.lookup("") is None


def test_fuzzy_matches_are_scored_and_ordered(tm: TranslationMemory) -> None:
    tm.add_reviewed("قال لافروف إن موسكو قلقة من التدخل التركي.",
                    "Lavrov said Moscow is worried about Turkish interference.")
    tm.add_machine("قال لافروف إن موسكو قلقة من التدخل الروسي.", "machine: Russian", "m1")
    tm.add_machine("بحث وزير الخارجية الروسي ونظيره التركي.", "The ministers talked.", "m1")
    tm.add_machine("نص لا علاقة له", "unrelated", "other-model")
    matches = tm.fuzzy("قال لافروف إن موسكو قلقة من التدخل التركي في ليبيا.", limit=5)
    assert [m.origin for m in matches][:2] == ["reviewed", "machine"]
    assert matches[0].score > matches[1].score >= 50
    assert all(0 < m.score <= 100 for m in matches)
    assert "unrelated" not in [m.target for m in matches]
    exact = tm.fuzzy("قَالَ لافروف إن موسكو قلقة من التدخل التركي.", limit=1)
    assert exact[0].score == 100.0
    assert tm.fuzzy("zzzz qqqq", limit=3) == []


def test_fuzzy_sees_writes_from_another_connection(tmp_path: Path, tm: TranslationMemory) -> None:
    assert tm.fuzzy(SRC) == []
    with TranslationMemory.for_folder(tmp_path) as other:
        other.add_reviewed(SRC, "from the desk")
    assert [m.target for m in tm.fuzzy(SRC)] == ["from the desk"]


def test_pipeline_uses_memory_first_and_feeds_it(tmp_path: Path) -> None:
    engine = FakeEngine()
    paragraphs = ["قال لافروف. وقال أردوغان.", "بحث الوزيران الملف الليبي."]
    with TranslationMemory.for_folder(tmp_path, model=engine.label) as memory:
        first = translate_paragraphs(paragraphs, engine, memory=memory)
        assert len(engine.sentences) == 3 and not any(r.from_memory for r in first)
        engine.sentences.clear()
        memory.add_reviewed(paragraphs[1], "The two ministers discussed Libya.")
        second = translate_paragraphs(paragraphs, engine, memory=memory)
    assert engine.sentences == []  # cached paragraphs cost zero model calls
    assert all(r.from_memory for r in second)
    assert second[0].text == first[0].text
    assert second[1].text == "The two ministers discussed Libya."


def _writer(folder: str, worker: int, count: int) -> None:
    with TranslationMemory.for_folder(Path(folder), model="m") as memory:
        for i in range(count):
            memory.add_machine(f"فقرة رقم {worker}-{i}", f"paragraph {worker}-{i}", "m")
            if i % 10 == 0:
                memory.lookup(f"فقرة رقم {worker}-{i}")


def test_concurrent_processes_and_threads_lose_nothing(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), w, 60)) for w in range(3)]
    for p in procs:
        p.start()
    with TranslationMemory.for_folder(tmp_path, model="m") as shared:
        threads = [threading.Thread(target=lambda t=t: [shared.add_reviewed(f"مراجعة {t}-{i}", f"r{t}-{i}")
                                                        for i in range(40)]) for t in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for p in procs:
            p.join(60)
            assert p.exitcode == 0
        assert shared.counts() == {"machine": 180, "reviewed": 120}
        assert shared.lookup("فقرة رقم 2-59") == "paragraph 2-59"


def test_deferred_groups_writes_and_rolls_back_on_error(tm: TranslationMemory) -> None:
    with pytest.raises(RuntimeError), tm.deferred():
        tm.add_reviewed(SRC, "lost")
        raise RuntimeError("boom")
    assert tm.lookup(SRC) is None
    with tm.deferred():
        tm.add_reviewed(SRC, "kept")
    assert tm.lookup(SRC) == "kept"


def test_corrupt_database_is_one_clear_error(tmp_path: Path) -> None:
    path = memory_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(InputError, match="translation memory cannot be opened"):
        TranslationMemory(path)


def test_old_key_scheme_is_rekeyed_on_open(tmp_path: Path) -> None:
    path = memory_path(tmp_path)
    with TranslationMemory(path, model="m") as memory:
        memory.add_machine("قَالَ لافروف", "Lavrov said", "m")
    db = sqlite3.connect(path)
    db.execute("UPDATE segments SET key='stale'")
    db.execute("UPDATE meta SET value='plain-0' WHERE name='key_scheme'")
    db.commit()
    db.close()
    with TranslationMemory(path, model="m") as memory:
        assert memory.lookup("قال لافروف") == "Lavrov said"
