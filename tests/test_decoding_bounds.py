"""Bounded decoding: caps relative to the source and absolute, a repetition guard, n-best term
ranking and a budget for clause-by-clause retries (issue #17)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from translator.config import DEFAULT_RETRY_BUDGET, SHIPPED_GLOSSARY_DIR, Settings, load_settings
from translator.glossary.enforce import GlossaryEnforcer
from translator.glossary.layers import load_glossary
from translator.mt.engine import ArgosEngine, RankingEngine
from translator.mt.models import install_package_file
from translator.mt.pipeline import RETRY_FLOOR, translate_paragraphs

from .chaos import ChaosEngine, RankingChaosEngine
from .conftest import FakeEngine

ENFORCER = GlossaryEnforcer(load_glossary([SHIPPED_GLOSSARY_DIR]))
#: Sentences of three clauses, each with a name: a model that drops names makes every one a retry.
LONG = "قال سيرغي لافروف في موسكو، وأضاف أن الوضع في طرابلس خطير، وأكد أن تركيا لن تتدخل."
#: One clause, one name: a model that keeps names in short inputs keeps it in the first pass (evidence
#: that retries may pay: an article whose first pass kept no term at all is not retried).
SHORT = "قال سيرغي لافروف إن الوضع خطير."


@pytest.fixture(scope="module")
def package_dir(demo_model_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_package_file(Settings(home=tmp_path_factory.mktemp("caps-home")), demo_model_file).path


def _pieces(engine: ArgosEngine, text: str) -> int:
    return engine._length(text)


def test_absolute_cap_from_the_environment() -> None:
    assert load_settings({"TRANSLATOR_MAX_DECODING_LENGTH": "64"}).max_decoding_length == 64
    assert load_settings({}).max_decoding_length == 256


def test_caps_relative_to_the_source_and_absolute(package_dir: Path) -> None:
    engine = ArgosEngine(package_dir, Settings(device="cpu"))
    assert engine.decoding_cap(1) == 2 * 8 + 10
    assert engine.decoding_cap(20) == 2 * 24 + 10
    assert engine.decoding_cap(500) == 256
    capped = ArgosEngine(package_dir, Settings(device="cpu", max_decoding_length=5))
    sentence = "قال وزير الخارجية إن الاجتماع في طرابلس سيعقد غدا لبحث الأوضاع الأمنية."
    assert _pieces(engine, engine.translate([sentence])[0]) > 5
    assert 0 < _pieces(capped, capped.translate([sentence])[0]) <= 5
    tight = ArgosEngine(package_dir, Settings(device="cpu", decoding_ratio=0.0, decoding_extra=3))
    assert 0 < _pieces(tight, tight.translate([sentence])[0]) <= 3


def test_output_does_not_depend_on_the_batch(package_dir: Path) -> None:
    """Each sentence's cap comes from its own length, never from its batch neighbours."""
    engine = ArgosEngine(package_dir, Settings(device="cpu", decoding_ratio=0.5, decoding_extra=2))
    short = "قال الوزير إن الاجتماع مهم."
    long = " ".join(["قال الوزير إن الاجتماع في طرابلس سيعقد غدا لبحث الأوضاع الأمنية"] * 3) + "."
    alone = engine.translate([short])[0]
    assert engine.translate([long, short])[1] == alone


def test_repetition_guard_reaches_the_model(package_dir: Path) -> None:
    sentence = "قال لافروف إن لافروف قال إن الوضع في ليبيا وفي ليبيا وفي ليبيا خطير."
    for size, repeats in ((0, True), (1, False)):
        engine = ArgosEngine(package_dir, Settings(device="cpu", no_repeat_ngram_size=size))
        engine.load()
        [(_, [[pieces, *_]])] = list(engine._decode([engine.encode(sentence)], 1, [()]))
        assert (len(pieces) > len(set(pieces))) is repeats, pieces


def test_nbest_from_one_beam(package_dir: Path) -> None:
    engine = ArgosEngine(package_dir, Settings(device="cpu"))
    assert isinstance(engine, RankingEngine)
    sentence = "قال وزير الخارجية إن الاجتماع في طرابلس سيعقد غدا."
    [hyps] = engine.translate_nbest([sentence], 4)
    assert 1 < len(hyps) <= 4 and hyps[0] == engine.translate([sentence])[0]
    assert engine.translate_nbest(["", sentence], 2)[0] == [""]
    assert engine.cost([sentence]) == engine.decoding_cap(_pieces(engine, sentence))


def test_the_hypothesis_that_keeps_the_terms_wins() -> None:
    # hypothesis 0 drops the placeholder, hypothesis 1 keeps it
    engine = RankingChaosEngine(["drop", "keep"], hypotheses=2)
    [result] = translate_paragraphs(["قال سيرغي لافروف إن الوضع خطير."], engine, ENFORCER)
    assert "Sergey Lavrov" in result.text and all(t.found for t in result.terms)
    assert len(engine.costs) == 1  # no retry needed
    # without n-best the same model loses the name, and the sentence has one clause: no retry
    [plain] = translate_paragraphs(["قال سيرغي لافروف إن الوضع خطير."], ChaosEngine(["drop"]), ENFORCER)
    assert "Lavrov" not in plain.text and all(t.missing for t in plain.terms)


def test_retries_stay_within_the_budget() -> None:
    paragraphs = [SHORT] + [LONG] * 5 + [LONG.replace("موسكو", f"مدينة {i}") for i in range(40)]
    engine = _LongDropper()  # keeps names in short inputs: retries pay
    translate_paragraphs(paragraphs, engine, ENFORCER)
    first, probe, rest = engine.costs
    assert 0 < probe + rest <= DEFAULT_RETRY_BUDGET * first
    # a model that loses every term, every time: the article is not retried at all
    engine = RankingChaosEngine(["drop"])
    results = translate_paragraphs(paragraphs, engine, ENFORCER)
    assert len(engine.costs) == 1
    assert all(t.missing for r in results for t in r.terms)  # reported, never hidden
    # no budget: no retry at all
    engine = _LongDropper()
    translate_paragraphs(paragraphs, engine, ENFORCER, retry_budget=0)
    assert len(engine.costs) == 1


def test_a_single_paragraph_always_gets_its_retry() -> None:
    """The floor: a paragraph in the desk is retried even though 25 % of it is little."""
    engine = RankingChaosEngine(["drop"])
    translate_paragraphs([LONG], engine, ENFORCER)
    first, retry = engine.costs
    assert retry > DEFAULT_RETRY_BUDGET * first and retry <= RETRY_FLOOR


def test_engines_without_nbest_still_work() -> None:
    engine = FakeEngine()
    [result] = translate_paragraphs(["قال سيرغي لافروف إن الوضع خطير."], engine, ENFORCER)
    assert not isinstance(engine, RankingEngine) and result.text.startswith("EN[")


class _LongDropper:
    """Keeps placeholders and Latin names in clauses, drops them from long sentences (as models do)."""

    label = "long-dropper 0"
    is_demo = False

    def __init__(self) -> None:
        self.costs: list[int] = []

    def translate(self, sentences: Sequence[str]) -> list[str]:
        self.costs.append(self.cost(sentences))
        return [" ".join(["words", *([] if "،" in s else re.findall(r"[A-Za-z]{2,}", s))]) for s in sentences]

    def translate_nbest(self, sentences: Sequence[str], n: int | None = None) -> list[list[str]]:
        return [[out] for out in self.translate(sentences)]

    def cost(self, sentences: Sequence[str]) -> int:
        return sum(len(s) // 2 + 10 for s in sentences)


def test_an_articles_english_does_not_depend_on_the_articles_beside_it() -> None:
    """Retry budgets per article (groups): batch chunks and Ray tasks give every file the same English."""
    article = [SHORT] + [LONG] * 3
    others = [SHORT] + [LONG.replace("موسكو", f"مدينة {i}") for i in range(40)]
    alone = translate_paragraphs(article, _LongDropper(), ENFORCER, groups=[4])
    beside = translate_paragraphs(others + article, _LongDropper(), ENFORCER, groups=[41, 4])[41:]
    assert [r.text for r in beside] == [r.text for r in alone]
    unretried = translate_paragraphs(article, _LongDropper(), ENFORCER, retry_budget=0)
    assert _lost(alone) < _lost(unretried)  # a retry did repair some of it
    shared = translate_paragraphs(others + article, _LongDropper(), ENFORCER)[41:]  # one budget for all
    assert [r.text for r in shared] != [r.text for r in alone]  # what groups are for


def _lost(results: list) -> int:  # type: ignore[type-arg]
    return sum(1 for r in results for t in r.terms if t.missing)
