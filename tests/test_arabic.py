"""Tests for translator.text.arabic: matching normalisation and its offset map."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.text.arabic import DROPPED, has_arabic, normalize, normalize_with_map, original_span


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أحمد", "احمد"),
        ("إسطنبول", "اسطنبول"),
        ("آلاف", "الاف"),
        ("ٱلله", "الله"),
        ("طرابلس الغربية", "طرابلس الغربيه"),
        ("مصطفى", "مصطفي"),
        ("مُحَمَّدٌ", "محمد"),
        ("الرحمٰن", "الرحمن"),
        ("العــــربية", "العربيه"),
        ("عام ٢٠٢٠", "عام 2020"),
        ("عام ۲۰۲۰", "عام 2020"),
        ("\u200fإدلب\u200e", "ادلب"),
        ("\u202bسرت\u202c \u2067مصراتة\u2069", "سرت مصراته"),
        ("“إيريني”", '"ايريني"'),
        ("«إيريني»", '"ايريني"'),
        ("‘x’", "'x'"),
        ("  فايز \t\n  السراج  ", "فايز السراج"),
        ("\ufefbعب", "لاعب"),  # lam-alef presentation ligature
        ("Sergey Lavrov", "Sergey Lavrov"),
        ("", ""),
    ],
)
def test_normalize_table(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_map_points_to_source_characters() -> None:
    text = "قال  مُحَمَّد"
    norm, offsets = normalize_with_map(text)
    assert norm == "قال محمد"
    assert len(offsets) == len(norm)
    assert [text[o] for o in offsets[4:]] == ["م", "ح", "م", "د"]
    assert offsets[3] == 3  # the space maps to the first space of the run


def test_original_span_covers_trailing_marks() -> None:
    text = "وصل محمدٌ."
    norm, offsets = normalize_with_map(text)
    start = norm.index("محمد")
    assert original_span(text, offsets, start, start + 4) == (4, 9)
    assert text[4:9] == "محمدٌ"


def test_has_arabic() -> None:
    assert has_arabic("Lavrov لافروف")
    assert not has_arabic("Lavrov 2020 ،")


_alphabet = st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآٱةى") + sorted(DROPPED) + list(" \t\n٠١٩۰۹“”«»ab.،")
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_alphabet, max_size=40))
def test_offset_map_properties(text: str) -> None:
    norm, offsets = normalize_with_map(text)
    assert len(offsets) == len(norm)
    assert offsets == sorted(offsets)
    for c, o in zip(norm, offsets):
        assert 0 <= o < len(text)
        # each normalised char comes from a source char that folds to it (or from whitespace)
        assert normalize(text[o]) == c or (c == " " and text[o].isspace())
    assert normalize(norm) == norm  # idempotent
    assert "  " not in norm and norm == norm.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_alphabet, max_size=30), st.data())
def test_original_span_normalises_back(text: str, data: st.DataObject) -> None:
    norm, offsets = normalize_with_map(text)
    if not norm:
        return
    start = data.draw(st.integers(0, len(norm) - 1))
    end = data.draw(st.integers(start + 1, len(norm)))
    s, e = original_span(text, offsets, start, end)
    assert normalize(text[s:e]) == norm[start:end].strip()
