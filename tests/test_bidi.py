"""Visual-order display of Arabic (translator.text.bidi): table tests plus properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translator.text.bidi import base_level, visual_chars, visual_indices, visual_order


@pytest.mark.parametrize(
    ("logical", "visual"),
    [
        ("", ""),
        ("مرحبا", "ابحرم"),
        ("مرحبا بالعالم", "ملاعلاب ابحرم"),
        # Numbers keep their digit order; the run around them is reversed.
        ("أمهل الجيش 3 أيام", "مايأ 3 شيجلا لهمأ"),
        ("سنة 2020 و 1.000 دولار", "رالود 1.000 و 2020 ةنس"),
        # Latin runs (with their hyphenated numbers) stay in logical order.
        ("فيروس COVID-19 test", "COVID-19 test سوريف"),
        ("abc مرحبا def", "abc ابحرم def"),
        # Brackets are mirrored inside right-to-left text.
        ("(إدلب)", "(بلدإ)"),
        ("قال: «نعم»", "«معن» :لاق"),
        # Harakat stay after their base letter.
        ("تَرْكِيَا", "ايَكِرْتَ"),
        # Arabic-Indic digits keep their order too.
        ("عام ٢٠٢٠ م", "م ٢٠٢٠ ماع"),
        # Pure Latin text is untouched.
        ("Hello world 42", "Hello world 42"),
    ],
)
def test_visual_order_table(logical: str, visual: str) -> None:
    assert visual_order(logical) == visual


def test_base_level_from_first_strong_character() -> None:
    assert base_level("123 مرحبا") == 1
    assert base_level("Libya ليبيا") == 0
    assert base_level("123", default=1) == 1


def test_multi_line_reorders_each_line() -> None:
    assert visual_order("مرحبا\nعالم") == "ابحرم\nملاع"


def test_visual_chars_point_back_to_logical_positions() -> None:
    text = "وقال 3 مرات (نعم)"
    for index, ch in visual_chars(text):
        assert ch == text[index] or {ch, text[index]} <= set("()")


arabic = st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي") + ["\u064e", "\u0650"])
mixed = st.text(alphabet=st.one_of(arabic, st.sampled_from(list("abcXYZ0123456789٠١٢ .,:-%()«»\"'؟،"))), max_size=60)


@given(mixed)
def test_indices_are_a_permutation(text: str) -> None:
    assert sorted(visual_indices(text)) == list(range(len(text)))


@given(st.text(alphabet=arabic.filter(lambda c: c not in "\u064e\u0650") | st.just(" "), max_size=40))
def test_pure_arabic_is_reversed_and_reversal_is_an_involution(text: str) -> None:
    stripped = text.rstrip()
    assert visual_order(stripped) == stripped[::-1]
    assert visual_order(visual_order(stripped)) == stripped


@given(mixed)
def test_never_changes_the_characters_shown_except_mirroring(text: str) -> None:
    mirror = str.maketrans("()«»", ")(»«")
    assert sorted(visual_order(text).translate(mirror) + visual_order(text)) == sorted(text.translate(mirror) + text)
