"""Tests for translator.glossary.matcher: clitics, variants, word boundaries, longest match, spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.glossary.layers import Glossary
from translator.glossary.matcher import CLITICS
from translator.glossary.yaml_file import GlossaryEntry
from translator.text.arabic import normalize


def _e(ar: str | tuple[str, ...], en: str, kind: str = "person") -> GlossaryEntry:
    return GlossaryEntry(ar=(ar,) if isinstance(ar, str) else ar, en=en, type=kind)


GLOSSARY = Glossary.from_entries([
    _e(("فايز السراج", "فائز السراج"), "Fayez al-Sarraj"),
    _e("السراج", "al-Sarraj"),
    _e("خليفة حفتر", "Khalifa Haftar"),
    _e("حفتر", "Haftar"),
    _e("المشير", "Field Marshal", "term"),
    _e("طرابلس", "Tripoli", "place"),
    _e("سرت", "Sirte", "place"),
    _e("ليبيا", "Libya", "place"),
    _e(("حكومة الوفاق الوطني", "حكومة الوفاق"), "Government of National Accord", "organisation"),
    _e("رئيس حكومة", "head of government", "term"),
    _e("الجيش الوطني الليبي", "Libyan National Army", "organisation"),
    _e("عملية إيريني", "Operation Irini", "organisation"),
    _e("مرتزقة", "mercenaries", "term"),
    _e("منطقة خفض التصعيد", "de-escalation zone", "term"),
])


def found(text: str) -> list[tuple[str, str, str]]:
    """(word as written incl. clitic, clitic, English) for each match."""
    return [(text[m.word_start:m.end], m.prefix, m.entry.en) for m in GLOSSARY.match(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # spelling variants and normalisation
        ("التقى فايز السراج", [("فايز السراج", "", "Fayez al-Sarraj")]),
        ("دعا فائز السراج", [("فائز السراج", "", "Fayez al-Sarraj")]),
        ("فَايِز السَّرَّاج", [("فَايِز السَّرَّاج", "", "Fayez al-Sarraj")]),
        ("فايز  \u200fالسراج", [("فايز  \u200fالسراج", "", "Fayez al-Sarraj")]),
        # clitics
        ("وفايز السراج", [("وفايز السراج", "و", "Fayez al-Sarraj")]),
        ("والسراج", [("والسراج", "و", "al-Sarraj")]),
        ("للمشير", [("للمشير", "لل", "Field Marshal")]),
        ("وللمشير", [("وللمشير", "ولل", "Field Marshal")]),
        ("بطرابلس", [("بطرابلس", "ب", "Tripoli")]),
        ("وبطرابلس", [("وبطرابلس", "وب", "Tripoli")]),
        ("فسرت", [("فسرت", "ف", "Sirte")]),
        ("لليبيا", [("لليبيا", "ل", "Libya")]),
        ("للمرتزقة", [("للمرتزقة", "لل", "mercenaries")]),
        ("والمرتزقة", [("والمرتزقة", "وال", "mercenaries")]),
        ("كمرتزقة", [("كمرتزقة", "ك", "mercenaries")]),
        # word boundaries: no match inside a longer word, no suffixes
        ("طرابلسي", []),
        ("ليبياتي", []),
        ("السراجين", []),
        ("مسرت", []),
        ("حفترها", []),
        # longest match wins, also over an earlier shorter one
        ("المشير خليفة حفتر", [("المشير", "", "Field Marshal"), ("خليفة حفتر", "", "Khalifa Haftar")]),
        ("رئيس حكومة الوفاق الوطني", [("حكومة الوفاق الوطني", "", "Government of National Accord")]),
        ("حكومة الوفاق", [("حكومة الوفاق", "", "Government of National Accord")]),
        ("لحكومة الوفاق", [("لحكومة الوفاق", "ل", "Government of National Accord")]),
        # quotes may sit between words; other punctuation breaks a term
        ("من عملية “إيريني” الأوروبية", [("عملية “إيريني”", "", "Operation Irini")]),
        ("في منطقة “خفض التصعيد” السورية", [("منطقة “خفض التصعيد”", "", "de-escalation zone")]),
        ("فايز، السراج", [("السراج", "", "al-Sarraj")]),
        ("حليفها “حفتر", [("حفتر", "", "Haftar")]),
        ("Haftar", []),
    ],
)
def test_match_table(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(text) == expected


def test_match_offsets_point_into_the_original() -> None:
    text = "ويخوض الجيشُ الوطني الليبي بقيادة المشير"
    matches = GLOSSARY.match(text)
    assert [m.surface for m in matches] == ["الجيشُ الوطني الليبي", "المشير"]
    for m in matches:
        assert text[m.start:m.end] == m.surface


def test_clitic_set() -> None:
    for form in ("", "و", "ف", "ب", "ك", "ل", "ال", "لل", "وال", "بال", "فال", "كال", "وب", "ولل", "فلل", "وبال"):
        assert form in CLITICS
    assert "لال" not in CLITICS


_letters = "ابتثجحخدرزسشصضطظعغفقكلمنهوي"
_word = st.text(alphabet=_letters, min_size=2, max_size=6)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.lists(_word, min_size=1, max_size=3), st.sampled_from(["person", "term"])),
             min_size=1, max_size=8),
    st.lists(st.one_of(_word, st.sampled_from(["،", ".", "“", "ـ", "\u064e"])), max_size=25),
    st.data(),
)
def test_matcher_spans_property(terms: list, filler: list[str], data: st.DataObject) -> None:
    entries = [_e(" ".join(words), f"E{i}", kind) for i, (words, kind) in enumerate(terms)]
    glossary = Glossary.from_entries(entries)
    # Put some terms (with random clitics) into random filler text.
    pieces = list(filler)
    for entry in entries:
        if data.draw(st.booleans()):
            clitic = data.draw(st.sampled_from(["", "و", "ب", "ل", "وب"]))
            pieces.insert(data.draw(st.integers(0, len(pieces))), clitic + entry.ar[0])
    text = " ".join(pieces)
    matches = glossary.match(text)
    previous_end = -1
    keys = {normalize(a) for e in entries for a in e.ar}
    for m in matches:
        assert 0 <= m.word_start <= m.start < m.end <= len(text)
        assert m.word_start >= previous_end  # non-overlapping, in text order
        previous_end = m.end
        assert text[m.start:m.end] == m.surface
        # the span, normalised, is a source form of the matched entry (modulo a dropped article)
        words = " ".join(normalize(m.surface).replace("“", " ").split())
        assert words in keys or ("ال" + words) in keys
        assert normalize(text[m.word_start:m.start]) == m.prefix
        # whole words: no Arabic letter glued on either side
        assert m.word_start == 0 or not text[m.word_start - 1].isalpha()
        assert m.end == len(text) or not text[m.end].isalpha() or text[m.end] in "ـ"
