"""Tests for translator.glossary.enforce: code-switching, verification, repair, articles; end to end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.config import SHIPPED_GLOSSARY_DIR, Settings
from translator.glossary.enforce import (
    PLACEHOLDERS,
    GlossaryEnforcer,
    enforcer_from_settings,
)
from translator.glossary.layers import load_glossary, project_glossary_path, write_entry
from translator.glossary.repair import TermResult, takes_article, verify_terms
from translator.mt.pipeline import translate_paragraphs

from .conftest import SEEDS, FakeEngine


@pytest.fixture(scope="module")
def enforcer() -> GlossaryEnforcer:
    return GlossaryEnforcer(load_glossary([SHIPPED_GLOSSARY_DIR]))


@pytest.fixture(scope="module")
def english(enforcer: GlossaryEnforcer) -> GlossaryEnforcer:
    return GlossaryEnforcer(enforcer.glossary, method="english")


@pytest.fixture(scope="module")
def mask_all(enforcer: GlossaryEnforcer) -> GlossaryEnforcer:
    return GlossaryEnforcer(enforcer.glossary, terms="placeholder")


@pytest.mark.parametrize(
    ("source", "model_input"),
    [
        ("وقال سيرغي لافروف إن", "وقال Sergey Lavrov إن"),
        ("لافروف وسيرغي لافروف", "Lavrov و Sergey Lavrov"),
        ("دعوة للمشير خليفة حفتر", "دعوة ل Field Marshal Khalifa Haftar"),
        ("نقل المرتزقة إلى ليبيا", "نقل mercenaries إلى Libya"),
        ("وصل وبطرابلس", "وصل و ب Tripoli"),
        ("قوات الجيش الليبي", "قوات Libyan National Army"),
        ("لحكومة الوفاق الوطني", "ل Government of National Accord"),
        ("والمشير", "و Field Marshal"),
        ("من عملية “إيريني” الأوروبية", "من Operation Irini الأوروبية"),
        ("منطقة “خفض التصعيد” السورية", "de-escalation zone السورية"),
        ("فائز السراج وفايز السراج", "Fayez al-Sarraj و Fayez al-Sarraj"),
        ("طرابلسي قال", "طرابلسي قال"),
    ],
)
def test_code_switching(english: GlossaryEnforcer, source: str, model_input: str) -> None:
    assert english.prepare(source)[0] == model_input


@pytest.mark.parametrize(
    ("source", "model_input"),
    [
        ("وقال سيرغي لافروف إن", "وقال QX إن"),
        ("لافروف وسيرغي لافروف", "QX و JZ"),
        ("دعوة للمشير خليفة حفتر", "دعوة ل QX"),  # adjacent terms travel as one placeholder
        ("وصل وبطرابلس", "وصل و ب QX"),
        ("من عملية “إيريني” الأوروبية", "من QX الأوروبية"),
        ("رمز QX في موسكو", "رمز QX في JZ"),  # a token already in the text is not used
        ("طرابلسي قال", "طرابلسي قال"),
        # stand-alone terms go in as English; titles go with their name
        ("نقل المرتزقة إلى ليبيا", "نقل mercenaries إلى QX"),
        ("دعا إلى وقف إطلاق النار", "دعا إلى ceasefire"),
        ("قال وزير الخارجية الروسي سيرغي لافروف", "قال QX"),
    ],
)
def test_placeholders(enforcer: GlossaryEnforcer, source: str, model_input: str) -> None:
    assert enforcer.prepare(source)[0] == model_input


@pytest.mark.parametrize(
    ("source", "output", "english", "flags"),
    [
        ("قال سيرغي لافروف", "QX said.", "Sergey Lavrov said.", [(True, False)]),
        ("قال سيرغي لافروف", "QXX said.", "Sergey Lavrov said.", [(False, True)]),
        ("قال سيرغي لافروف", "He said.", "He said.", [(False, False)]),
        ("دعوة للمشير خليفة حفتر", "an invitation to QX", "an invitation to Field Marshal Khalifa Haftar",
         [(True, False), (True, False)]),
        ("قصف الجيش الوطني الليبي مصراتة", "QX shelled JZ.", "The Libyan National Army shelled Misrata.",
         [(True, False), (True, False)]),
        ("قال السراج", "QX said", "Al-Sarraj said", [(True, False)]),
    ],
)
def test_placeholder_restore(enforcer: GlossaryEnforcer, source: str, output: str, english: str,
                             flags: list[tuple[bool, bool]]) -> None:
    text, results = _finish(enforcer, source, output)
    assert text == english
    assert [(r.found, r.repaired) for r in results] == flags


def test_unknown_method_is_refused(enforcer: GlossaryEnforcer) -> None:
    with pytest.raises(ValueError, match="unknown enforcement method"):
        GlossaryEnforcer(enforcer.glossary, method="magic")
    with pytest.raises(ValueError, match="unknown term method"):
        GlossaryEnforcer(enforcer.glossary, terms="magic")


@pytest.mark.parametrize(
    ("terms", "model_input"),
    [
        ("english", "نقل mercenaries إلى QX ل ceasefire"),
        ("placeholder", "نقل QX إلى JZ ل VQ"),
        ("verify", "نقل المرتزقة إلى QX لوقف إطلاق النار"),
    ],
)
def test_term_methods(enforcer: GlossaryEnforcer, terms: str, model_input: str) -> None:
    prepared = GlossaryEnforcer(enforcer.glossary, terms=terms).prepare("نقل المرتزقة إلى ليبيا لوقف إطلاق النار")
    assert prepared[0] == model_input


def _finish(enforcer: GlossaryEnforcer, source: str, output: str) -> tuple[str, list[TermResult]]:
    _, plan = enforcer.prepare(source)
    return enforcer.finish(plan, output)


@pytest.mark.parametrize(
    ("source", "output", "english", "flags"),
    [
        # already right: untouched
        ("قال لافروف", "Lavrov said.", "Lavrov said.", [(True, False)]),
        # an accepted alternative stays; a form differing only in diacritics becomes the preferred one
        ("زار تركيا", "visited Türkiye.", "visited Türkiye.", [(True, False)]),
        ("قال أردوغان", "Erdogan said.", "Erdoğan said.", [(True, False)]),
        # case/diacritic variant of the preferred form becomes the preferred form
        ("قال تشاووش أوغلو", "cavusoglu said.", "Çavuşoğlu said.", [(True, False)]),
        # garbled copies are repaired
        ("قال سيرغي لافروف", "Sergey Lavrow said.", "Sergey Lavrov said.", [(False, True)]),
        ("في مصراتة", "in Misratta.", "in Misrata.", [(False, True)]),
        # missing entirely: flagged, text untouched
        ("في مصراتة", "in the city.", "in the city.", [(False, False)]),
        # the longer name is found first; the surname-only entry takes the second mention
        ("خليفة حفتر وحليفه حفتر", "Khalifa Haftar and his ally Haftar", "Khalifa Haftar and his ally Haftar",
         [(True, False), (True, False)]),
        # possessives are fine
        ("حكومة السراج", "Al-Sarraj's government", "Al-Sarraj's government", [(True, False)]),
        # institutions get "the" where it is missing, not twice, not after a possessive
        ("قصف الجيش الوطني الليبي", "Libyan National Army shelled.", "The Libyan National Army shelled.",
         [(True, False)]),
        ("قال الجيش الليبي", "said Libyan National Army.", "said the Libyan National Army.", [(True, False)]),
        ("قال الجيش الليبي", "said the Libyan National Army.", "said the Libyan National Army.", [(True, False)]),
        ("قال الجيش الليبي", "Haftar's Libyan National Army", "Haftar's Libyan National Army", [(True, False)]),
        ("ودعا مجلس الأمن", "He asked UN Security Council", "He asked the UN Security Council", [(True, False)]),
        ("حكومة الوفاق", "the Tripoli-based Government of National Accord",
         "the Tripoli-based Government of National Accord", [(True, False)]),
        ("عملية إيريني", "Operation Irini began", "Operation Irini began", [(True, False)]),
        # a name opening the sentence gets its capital
        ("وقال السراج", "al-Sarraj said", "Al-Sarraj said", [(True, False)]),
    ],
)
def test_finish(enforcer: GlossaryEnforcer, source: str, output: str, english: str,
                flags: list[tuple[bool, bool]]) -> None:
    text, results = _finish(enforcer, source, output)
    assert text == english
    assert [(r.found, r.repaired) for r in results] == flags
    for r in results:
        assert r.enforced == (r.found or r.repaired) == (not r.missing)
        assert (r.rendering != "") == r.enforced


def test_term_result_fields(enforcer: GlossaryEnforcer) -> None:
    _, [result] = _finish(enforcer, "ووصل فائز السراج", "Fayez al-Sarraj arrived")
    assert result.entry.en == result.english == "Fayez al-Sarraj"
    assert result.source == "فائز السراج"
    assert result.rendering == "Fayez al-Sarraj"


def test_repair_does_not_take_another_terms_words(enforcer: GlossaryEnforcer) -> None:
    text, results = _finish(enforcer, "بين موسكو وأنقرة", "between Moscow and Ankra")
    assert text == "between Moscow and Ankara"
    assert [(r.english, r.found, r.repaired) for r in results] == [("Moscow", True, False), ("Ankara", False, True)]


def test_verify_terms_changes_nothing(enforcer: GlossaryEnforcer) -> None:
    results = verify_terms(enforcer.glossary, "قال لافروف في موسكو", "Lavrov said in Moskva")
    assert [(r.english, r.enforced) for r in results] == [("Lavrov", True), ("Moscow", False)]


def test_takes_article(enforcer: GlossaryEnforcer) -> None:
    article = {e.en for e in enforcer.glossary.entries if takes_article(e)}
    assert {"Libyan National Army", "Government of National Accord", "Security Council", "European Union",
            "Presidential Council"} <= article
    assert not article & {"Operation Irini", "Interfax", "Facebook", "Khalifa Haftar", "Tripoli"}


def test_sentences_without_terms_pass_through(enforcer: GlossaryEnforcer) -> None:
    source = "وقال مصدر إن الوضع خطير."
    model_input, plan = enforcer.prepare(source)
    assert model_input == source
    output = "a source said the situation is serious."
    assert enforcer.finish(plan, output) == (output, [])


def test_pipeline_with_fake_engine(enforcer: GlossaryEnforcer) -> None:
    engine = FakeEngine()
    text = (SEEDS / "turkey-russia-libya-syria.ar.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    results = translate_paragraphs(paragraphs, engine, enforcer)
    terms = [t for r in results for t in r.terms]
    assert len(terms) > 60 and all(t.enforced for t in terms)
    assert any(" QX " in s for s in engine.sentences)
    assert not any("سيرغي" in s for s in engine.sentences)
    assert "Mevlüt Çavuşoğlu" in results[4].text


def test_enforcer_from_settings_uses_project_glossary(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", glossary_paths=(SHIPPED_GLOSSARY_DIR,))
    assert enforcer_from_settings(settings).prepare("عقيلة صالح")[0] == "عقيلة صالح"
    write_entry(project_glossary_path(tmp_path), "عقيلة صالح", "Aguila Saleh", "person")
    project = enforcer_from_settings(settings, tmp_path)
    model_input, plan = project.prepare("وعقيلة صالح")
    assert model_input == "و QX"
    assert project.finish(plan, "and QX")[0] == "and Aguila Saleh"
    assert project.glossary.fingerprint != enforcer_from_settings(settings).glossary.fingerprint


def test_translate_command_enforces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    import translator.mt.models
    from translator.cli import main

    engine = FakeEngine()
    monkeypatch.setattr(translator.mt.models, "load_engine", lambda settings: engine)
    monkeypatch.setenv("TRANSLATOR_HOME", str(tmp_path / "home"))
    article = tmp_path / "a.ar.txt"
    article.write_text("قلق روسي\n\nوقال لافروف إن موسكو قلقة.\n", encoding="utf-8")
    assert main(["translate", str(article)]) == 0
    assert "Lavrov" in capsys.readouterr().out
    assert engine.sentences[-1] == "وقال QX إن JZ قلقة."


# --- with the real demo model --------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_engine(demo_model_file: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from translator.mt.engine import ArgosEngine
    from translator.mt.models import install_package_file

    settings = Settings(home=tmp_path_factory.mktemp("home"), device="cpu")
    return ArgosEngine(install_package_file(settings, demo_model_file).path, settings)


def test_demo_model_end_to_end(enforcer: GlossaryEnforcer, demo_engine) -> None:  # type: ignore[no-untyped-def]
    sources = [
        "وقال سيرغي لافروف إن المحادثات كانت مثمرة.",
        "التقى فائز السراج المشير خليفة حفتر في روما.",
        "وزار رجب طيب أردوغان طرابلس يوم الخميس.",
        "وأعلن لويجو دي مايو دعمه لحكومة الوفاق الوطني.",
    ]
    raw = translate_paragraphs(sources, demo_engine)
    enforced = translate_paragraphs(sources, demo_engine, enforcer)
    raw_ok = sum(r.enforced for s, p in zip(sources, raw) for r in verify_terms(enforcer.glossary, s, p.text))
    terms = [t for p in enforced for t in p.terms]
    assert len(terms) == 9
    assert all(t.enforced for t in terms), [(t.english, p.text) for p in enforced for t in p.terms if not t.enforced]
    assert raw_ok < len(terms)  # the model does not know these names by itself
    assert "Sergey Lavrov" in enforced[0].text and "Khalifa Haftar" in enforced[1].text


def test_bad_glossary_is_one_clear_line_per_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import translator.mt.models
    from translator.cli import main

    monkeypatch.setattr(translator.mt.models, "load_engine", lambda settings: FakeEngine())
    bad = tmp_path / "bad.yaml"
    bad.write_text("- ar: Tripoli\n  en: Tripoli\n  type: place\n- ar: سرت\n  en: Sirte\n", encoding="utf-8")
    monkeypatch.setenv("TRANSLATOR_GLOSSARIES", str(bad))
    article = tmp_path / "a.ar.txt"
    article.write_text("وقال لافروف إن موسكو قلقة.\n", encoding="utf-8")
    assert main(["translate", str(article)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"translator: error: {bad}:1:7: source 'Tripoli' is not Arabic script",
        f"translator: error: {bad}:4:3: missing field 'type'",
    ]


def test_repair_when_output_is_shorter_than_the_name(enforcer: GlossaryEnforcer) -> None:
    text, [result] = _finish(enforcer, "قال فايز السراج", "Sarraj")
    assert (text, result.found, result.repaired) == ("Sarraj", False, False)  # too little of the full name
    text, [result] = _finish(enforcer, "قال فايز السراج", "Fayz")
    assert result.missing and text == "Fayz"


def test_best_repair_wins_over_a_short_name(english: GlossaryEnforcer) -> None:
    # "Rece" looks like Greece, but it belongs to the garbled Erdoğan, which scores higher.
    text, results = _finish(english, "التقى تشاووش أوغلو برجب طيب أردوغان في اليونان",
                            "Çavuşoğlu met Recep Tayyipp Erdogn in Grece")
    assert text == "Çavuşoğlu met Recep Tayyip Erdoğan in Greece"
    assert [r.enforced for r in results] == [True, True, True]


_FILLER = ["قال", "إن", "في", "يوم", "الخميس", "،", ".", "مع", "وفد", "“", "”", "Reuters", "QXJ"]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_echo_model_restores_every_term(mask_all: GlossaryEnforcer, data: st.DataObject) -> None:
    """With a model that copies its input, every matched term ends up in the English, no placeholder left."""
    enforcer = mask_all
    entries = enforcer.glossary.active_entries
    words = []
    for _ in range(data.draw(st.integers(1, 12))):
        if data.draw(st.booleans()):
            entry = data.draw(st.sampled_from(entries))
            words.append(data.draw(st.sampled_from(["", "و", "ب", "ل", "ف"])) + data.draw(st.sampled_from(entry.ar)))
        else:
            words.append(data.draw(st.sampled_from(_FILLER)))
    sentence = " ".join(words)
    model_input, plan = enforcer.prepare(sentence)
    english, results = enforcer.finish(plan, model_input)
    assert len(results) == len(enforcer.glossary.match(sentence))
    assert all(r.found and not r.repaired for r in results), (sentence, model_input, english)
    leftover = set(re.findall(r"\b[A-Z]{2}\b", english)) & set(PLACEHOLDERS)
    assert not leftover, (sentence, english)


def test_surname_alternative_does_not_take_the_full_name(enforcer: GlossaryEnforcer) -> None:
    # The Haftar entry accepts "Khalifa Haftar" as an alternative; the full-name entry still gets it.
    text, results = _finish(enforcer, "وقال حفتر إن خليفة حفتر سيزور إدلب.", "QX said that JZ will visit VQ next week.")
    assert text == "Haftar said that Khalifa Haftar will visit Idlib next week."
    assert [(r.english, r.found) for r in results] == [("Haftar", True), ("Khalifa Haftar", True), ("Idlib", True)]


def test_glued_and_stray_placeholders_are_restored_or_removed() -> None:
    """Seen in the desk with the demo model: "QXZ and JZledged" reached the translator."""
    from translator.glossary.enforce import GlossaryEnforcer
    from translator.glossary.layers import load_glossary

    from .conftest import ROOT

    enforcer = GlossaryEnforcer(load_glossary([ROOT / "glossaries"]))
    model_input, plan = enforcer.prepare("وقال لافروف وتشاووش أوغلو إن الاتفاق مهم")
    tokens = [g.token for g in plan.groups]
    assert len(tokens) >= 2, model_input
    stray = tokens[0][::-1]
    garbled = f"P{tokens[0]}Z and {tokens[1]}ledged that the agreement is important. {stray}"
    text, results = enforcer.finish(plan, garbled)
    assert "Sergey Lavrov" in text or "Lavrov" in text
    assert not any(t in text for t in tokens) and stray not in text
    assert all(r.found or r.repaired for r in results if r.entry.type == "person")


def test_a_mangled_placeholder_left_alone_stands_for_the_lost_name() -> None:
    """Seen in the desk with the demo model: "the city of Chadian Pas PXZ will visit Syria"."""
    from translator.glossary.enforce import GlossaryEnforcer
    from translator.glossary.layers import load_glossary

    from .conftest import ROOT

    enforcer = GlossaryEnforcer(load_glossary([ROOT / "glossaries"]))
    _model_input, plan = enforcer.prepare("قال لافروف إن الوضع خطير")
    (group,) = plan.groups
    mangled = "".join(sorted(set("PZX") - set(group.token)))[:1] + "ZX"
    text, results = enforcer.finish(plan, f"{mangled} said that the situation is dangerous.")
    assert text.startswith("Lavrov") or text.startswith("Sergey Lavrov"), text
    assert mangled not in text
    assert any(r.repaired for r in results)

    _model_input, plan = enforcer.prepare("قال لافروف إن الوضع خطير")
    text, _ = enforcer.finish(plan, "ZXV and QJZ said that the situation is dangerous.")
    assert "ZXV" not in text and "QJZ" not in text  # two strays for one lost name: dropped
