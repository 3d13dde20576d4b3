"""Memory use everywhere: exact paragraph matches, paragraphs assembled from sentence matches, fuzzy never."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SEEDS, FakeEngine
from translator import cli
from translator.mt.pipeline import translate_paragraphs
from translator.store.memory import TranslationMemory
from translator.store.memory_io import import_tmx
from translator.text.document import read_article

S1 = "قال لافروف إن موسكو قلقة."
S2 = "وأكد أوغلو أهمية وقف القتال."
SENTENCE_TMX = f"""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="ar-SA" segtype="sentence" adminlang="en" datatype="plaintext" o-tmf="x"
creationtool="SDL Language Platform" creationtoolversion="8.1"/><body>
<tu creationdate="20260301T090000Z" creationid="layla"><tuv xml:lang="ar-SA"><seg>{S1}</seg></tuv>
<tuv xml:lang="en-US"><seg>Lavrov said Moscow was worried.</seg></tuv></tu>
<tu><tuv xml:lang="ar-SA"><seg>{S2}</seg></tuv><tuv xml:lang="en-US"><seg>Oglu stressed a ceasefire.</seg></tuv></tu>
</body></tmx>
"""


@pytest.fixture
def sentence_tm(tmp_path: Path) -> Path:
    path = tmp_path / "sentences.tmx"
    path.write_text(SENTENCE_TMX, encoding="utf-8")
    return path


def test_paragraph_assembled_from_sentence_matches(tmp_path: Path, sentence_tm: Path) -> None:
    engine = FakeEngine()
    with TranslationMemory.for_folder(tmp_path, model=engine.label) as memory:
        import_tmx(memory, sentence_tm)
        results = translate_paragraphs([f"{S1} {S2}", f"\u200f{S2}  {S1}"], engine, memory=memory)
        assert engine.sentences == []  # no model call
        assert [r.text for r in results] == ["Lavrov said Moscow was worried. Oglu stressed a ceasefire.",
                                             "Oglu stressed a ceasefire. Lavrov said Moscow was worried."]
        assert all(r.from_memory for r in results)
        assert memory.counts()["machine"] == 0  # an assembly is not stored as machine output


def test_a_sentence_without_match_means_the_model_translates_the_paragraph(tmp_path: Path,
                                                                           sentence_tm: Path) -> None:
    engine = FakeEngine()
    with TranslationMemory.for_folder(tmp_path, model=engine.label) as memory:
        import_tmx(memory, sentence_tm)
        third = "وبحث الجانبان الملف السوري."
        [result] = translate_paragraphs([f"{S1} {third}"], engine, memory=memory)
    assert not result.from_memory and len(engine.sentences) == 2 and "EN[" in result.text


def test_fuzzy_matches_never_replace_the_model(tmp_path: Path) -> None:
    engine = FakeEngine()
    with TranslationMemory.for_folder(tmp_path, model=engine.label) as memory:
        memory.add_reviewed("قال لافروف إن موسكو قلقة جدا من التطورات.", "Lavrov said Moscow is very worried.")
        assert memory.fuzzy("قال لافروف إن موسكو قلقة جدا من التطور.")[0].score > 90
        [result] = translate_paragraphs(["قال لافروف إن موسكو قلقة جدا من التطور."], engine, memory=memory)
    assert not result.from_memory and engine.sentences


def _fake_model(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    from translator.mt import models

    engine = FakeEngine()
    monkeypatch.setattr(models, "load_engine", lambda settings: engine)
    return engine


def test_translate_reads_the_folder_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    engine = _fake_model(monkeypatch)
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SEEDS / "turkey-russia-libya-syria.ar.txt", folder)
    article = read_article(folder / "turkey-russia-libya-syria.ar.txt")
    with TranslationMemory.for_folder(folder) as memory:
        memory.add_reviewed(article.translatable[1].text, "Reviewed paragraph from a TMX.")
    assert cli.main(["translate", str(article.path)]) == 0
    out = capsys.readouterr().out
    assert "Reviewed paragraph from a TMX." in out
    assert article.translatable[1].text not in "".join(engine.sentences)  # no model call for it
    engine.sentences.clear()
    assert cli.main(["translate", str(article.path), "--no-memory"]) == 0
    assert "Reviewed paragraph from a TMX." not in capsys.readouterr().out


def test_batch_uses_sentence_level_tm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path,
                                      sentence_tm: Path) -> None:
    engine = _fake_model(monkeypatch)
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(f"عنوان الخبر\n{S1} {S2}\n", encoding="utf-8")
    assert cli.main(["memory", "--folder", str(folder), "import", str(sentence_tm)]) == 0
    assert cli.main(["batch", str(folder), "--quiet"]) == 0
    text = (folder / "english" / "a.en.md").read_text(encoding="utf-8")
    assert "Lavrov said Moscow was worried. Oglu stressed a ceasefire." in text
    assert engine.sentences == ["عنوان الخبر"]
