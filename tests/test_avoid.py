"""`avoid:` in the glossary (issue #17): an entry's known wrong English renderings are never
decoded in a sentence where the entry matched (CTranslate2 suppress_sequences), and QA flags them.

The model test picks its word from the demo model's own output at run time (exact English
differs between CPUs), then checks that the word is gone and the term still enforced.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from translator.cli import main
from translator.config import SHIPPED_GLOSSARY_DIR, Settings
from translator.errors import GlossaryError
from translator.glossary.enforce import GlossaryEnforcer
from translator.glossary.layers import load_glossary
from translator.glossary.terms import avoided_rendering
from translator.glossary.yaml_file import parse_text
from translator.mt.engine import ArgosEngine
from translator.mt.models import install_package_file
from translator.mt.pipeline import translate_paragraphs
from translator.quality.qa import check_paragraph

from .chaos import RankingChaosEngine
from .conftest import machine_body

LAVROV = "قال سيرغي لافروف إن المحادثات كانت مثمرة."
PLAIN = "قال الوزير إن المحادثات كانت مثمرة."


def _glossary(tmp_path: Path, avoid: list[str]):  # type: ignore[no-untyped-def]
    path = tmp_path / "people.yaml"
    path.write_text("- ar: [سيرغي لافروف, سيرجي لافروف]\n  en: Sergey Lavrov\n  alt: [Sergei Lavrov]\n"
                    f"  avoid: [{', '.join(avoid)}]\n  type: person\n", encoding="utf-8")
    return load_glossary([path])


def test_the_field_is_read_and_checked_with_places() -> None:
    text = ("- ar: لافروف\n  en: Lavrov\n  avoid: [Lavrow, Lavroff]\n  type: person\n"
            "- ar: طرابلس\n  en: Tripoli\n  avoid: طرابلس\n  type: place\n"
            "- ar: حفتر\n  en: Khalifa Haftar\n  avoid: [haftar, {x: 1}]\n  type: person\n"
            "- ar: روما\n  en: Rome\n  avoid: {x: 1}\n  type: place\n")
    parsed = parse_text(text, "g.yaml")
    assert parsed.entries[0].avoid == ("Lavrow", "Lavroff")
    assert parsed.problems == [
        "g.yaml:7:10: avoided rendering 'طرابلس' contains Arabic script",
        "g.yaml:11:19: 'avoid' has an empty or non-text item",
        "g.yaml:11:11: avoided rendering 'haftar' is part of the accepted English 'Khalifa Haftar'; "
        "decoding could never produce it",
        "g.yaml:15:10: 'avoid' must be text or a list of texts",
    ]


def test_the_fingerprint_changes_only_where_avoid_is_given(tmp_path: Path) -> None:
    shipped = load_glossary([SHIPPED_GLOSSARY_DIR])
    assert shipped.fingerprint == "b0550e5dc13925af"  # as before the field existed (docs, memories)
    assert _glossary(tmp_path, ["Lavrow"]).fingerprint != _glossary(tmp_path, ["Lavroff"]).fingerprint


def test_qa_reports_an_avoided_rendering(tmp_path: Path) -> None:
    glossary = _glossary(tmp_path, ["Sirgie Lavov", "Lavrow"])
    entry = glossary.active_entries[0]
    assert avoided_rendering("Sergey Lavrov and sirgie  lavov met.", entry) == "Sirgie Lavov"
    assert avoided_rendering("Lavrowski met Sergey Lavrov.", entry) is None  # whole words only
    findings = check_paragraph(LAVROV, "Sirgie Lavov said that the talks were fruitful.", glossary=glossary)
    assert [f.message for f in findings if f.is_error][0] == (
        "سيرغي لافروف is rendered 'Sirgie Lavov', which the glossary says to avoid (use 'Sergey Lavrov')")
    assert not check_paragraph(LAVROV, "Sergey Lavrov said that the talks were fruitful.", glossary=glossary)


def test_only_sentences_where_the_entry_matched_avoid_it(tmp_path: Path) -> None:
    enforcer = GlossaryEnforcer(_glossary(tmp_path, ["Lavrow", "Sirgie Lavov"]))
    engine = RankingChaosEngine(["keep"])
    translate_paragraphs([f"{LAVROV} {PLAIN}"], engine, enforcer)
    assert [tuple(a) for a in engine.avoided] == [("Lavrow", "Sirgie Lavov"), ()]
    engine = RankingChaosEngine(["keep"])
    translate_paragraphs([PLAIN], engine, enforcer)
    assert engine.avoided == [()]  # nothing to avoid: the plain call, as before


@pytest.fixture(scope="module")
def demo(demo_model_file: Path, tmp_path_factory: pytest.TempPathFactory) -> ArgosEngine:
    settings = Settings(home=tmp_path_factory.mktemp("avoid-home"), device="cpu")
    return ArgosEngine(install_package_file(settings, demo_model_file).path, settings)


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]+", text)


def test_the_model_no_longer_decodes_an_avoided_rendering(demo: ArgosEngine, tmp_path: Path) -> None:
    enforcer = GlossaryEnforcer(_glossary(tmp_path, ["Lavrow"]))
    [before] = translate_paragraphs([LAVROV], demo, enforcer)
    assert before.terms[0].enforced, before.text
    # a word the model itself wrote for this sentence (not the first one, not the name's)
    word = max((w for w in _words(before.text)[1:] if w not in ("Sergey", "Lavrov") and len(w) > 3), key=len)
    enforcer = GlossaryEnforcer(_glossary(tmp_path, ["Lavrow", word]))
    [after] = translate_paragraphs([LAVROV], demo, enforcer)
    assert word.lower() not in [w.lower() for w in _words(after.text)], (word, after.text)
    assert after.terms[0].enforced and "Sergey Lavrov" in after.text
    assert not any(f.is_error for f in check_paragraph(LAVROV, after.text, glossary=enforcer.glossary))
    # the sentence without the entry, in the same call, keeps its English (its own batch)
    plain = demo.translate([PLAIN])[0]
    together = translate_paragraphs([LAVROV, PLAIN], demo, enforcer)
    assert together[0].text == after.text and together[1].text == plain


def test_suppressed_pieces_come_from_the_target_model(demo: ArgosEngine) -> None:
    demo.load()
    assert demo._suppressed(("Sirgie Lavov", " ")) == (tuple(demo._target_sp.encode("Sirgie Lavov", out_type=str)),)
    [[first, *_]] = demo.translate_nbest([PLAIN], 4, avoid=[()])
    assert first == demo.translate([PLAIN])[0]  # an empty avoid list changes nothing


def test_a_bad_avoid_stops_loading(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text("- ar: لافروف\n  en: Lavrov\n  avoid: [Lavrov]\n  type: person\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"g.yaml:3:11: avoided rendering 'Lavrov' is part of"):
        load_glossary([path])


def test_an_avoid_added_with_glossary_add_is_gone_from_translate(
    installed: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The whole path a user takes: a word the demo model writes for this article (read from its
    # own output here, never written down), `glossary add --avoid` on the shipped entry's file,
    # then `translate` again.
    glossaries = tmp_path / "glossaries"
    shutil.copytree(SHIPPED_GLOSSARY_DIR, glossaries)
    monkeypatch.setenv("TRANSLATOR_GLOSSARIES", str(glossaries))
    article = tmp_path / "articles" / "lavrov.ar.txt"
    article.parent.mkdir()
    article.write_text(f"{LAVROV}\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["translate", str(article)]) == 0
    before = machine_body(capsys.readouterr().out)
    assert "Sergey Lavrov" in before, before
    word = max((w for w in _words(before)[1:] if w not in ("Sergey", "Lavrov") and len(w) > 3), key=len)
    people = (glossaries / "people.yaml").read_text(encoding="utf-8")
    assert main(["glossary", "add", "--ar", "سيرغي لافروف", "--en", "Sergey Lavrov", "--avoid", word]) == 0
    edited = (glossaries / "people.yaml").read_text(encoding="utf-8")
    alt = "  alt: [Sergei Lavrov]\n"
    assert edited == people.replace(f"{alt}  type: person\n  note: Russian", f"{alt}  avoid: [{word}]\n  type: person\n"
                                    "  note: Russian")
    capsys.readouterr()
    assert main(["translate", str(article)]) == 0
    after = machine_body(capsys.readouterr().out)
    assert word.lower() not in [w.lower() for w in _words(after)], (word, after)
    assert "Sergey Lavrov" in after, after
