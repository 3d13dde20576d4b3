"""Tests for translator.glossary.terms: the one answer to "is this term's English in the text?"."""

from __future__ import annotations

import pytest

from translator.glossary.layers import Glossary, GlossaryEntry
from translator.glossary.repair import verify_terms
from translator.glossary.terms import contains_term, distinct_terms, fold, term_rendering
from translator.quality.evaluate import term_accuracy
from translator.quality.qa import Check, check_paragraph

CAVUSOGLU = GlossaryEntry(("مولود جاويش أوغلو",), "Mevlüt Çavuşoğlu", "person")
SARRAJ = GlossaryEntry(("السراج",), "Fayez al-Sarraj", "person", ("al-Sarraj",))
GLOSSARY = Glossary.from_entries([CAVUSOGLU, SARRAJ])
SOURCE = "وقال مولود جاويش أوغلو إن المحادثات مستمرة."


@pytest.mark.parametrize(
    ("text", "term", "found"),
    [
        ("Mevlut Cavusoglu said", "Mevlüt Çavuşoğlu", True),  # diacritics
        ("MEVLÜT ÇAVUŞOĞLU said", "Mevlüt Çavuşoğlu", True),  # case
        ("the Prime Minister’s office", "Prime Minister's", True),  # apostrophes
        ("Al‑Sarraj met", "al-Sarraj", True),  # non-breaking hyphen
        ("Fayez\u00a0al-Sarraj  met", "Fayez al-Sarraj", True),  # no-break space, double space
        ("Fayez\nal-Sarraj met", "Fayez al-Sarraj", True),  # a line break inside the name
        ("Lavrovich said", "Lavrov", False),  # whole words only
        ("said Lavrov.", "Lavrov", True),
        ("anything", "", False),
    ],
)
def test_contains_term(text: str, term: str, found: bool) -> None:
    assert contains_term(text, term) is found


def test_fold_is_case_diacritic_and_punctuation_blind() -> None:
    assert fold("Mevlüt  ÇAVUŞOĞLU’s") == "mevlut cavusoglu's"


def test_rendering_preferred_alt_or_none() -> None:
    assert term_rendering("Fayez al-Sarraj said", SARRAJ) == "preferred"
    assert term_rendering("Al-Sarraj said", SARRAJ) == "alt"
    assert term_rendering("Serraj said", SARRAJ) is None


def test_enforcer_qa_and_evaluate_agree_on_a_name_without_diacritics() -> None:
    """The reported disagreement: the enforcer found "Mevlut Cavusoglu", QA called it missing."""
    english = "Mevlut Cavusoglu said the talks were continuing."
    [result] = verify_terms(GLOSSARY, SOURCE, english)
    assert result.found and result.enforced
    assert [f for f in check_paragraph(SOURCE, english, glossary=GLOSSARY) if f.kind is Check.GLOSSARY] == []
    accuracy = term_accuracy([SOURCE], [english], GLOSSARY)
    assert (accuracy.matched, accuracy.preferred, accuracy.missed) == (1, 1, ())


def test_all_three_report_a_missing_name() -> None:
    english = "The Turkish minister said the talks were continuing."
    [result] = verify_terms(GLOSSARY, SOURCE, english)
    assert result.missing
    [finding] = check_paragraph(SOURCE, english, glossary=GLOSSARY)
    assert finding.kind is Check.GLOSSARY and "missing" in finding.message
    assert term_accuracy([SOURCE], [english], GLOSSARY).missed == ((1, "مولود جاويش أوغلو", "Mevlüt Çavuşoğlu"),)


def test_distinct_terms_keeps_the_first_match_of_each_entry() -> None:
    matches = distinct_terms("التقى السراج والسراج", GLOSSARY)
    assert [(m.surface, m.entry.en) for m in matches] == [("السراج", "Fayez al-Sarraj")]
