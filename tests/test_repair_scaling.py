"""Glossary enforcement stays near-linear in paragraph length (issue #16 item 3).

Work is counted, not timed: the number of Python lines the translator package executes while a
run-on paragraph (no sentence end, terms everywhere) goes through the pipeline with the chaos
engine. Four times the text may cost at most eight times the lines (quadratic would be sixteen).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from translator.config import SHIPPED_GLOSSARY_DIR
from translator.glossary.enforce import GlossaryEnforcer
from translator.glossary.layers import load_glossary
from translator.mt.pipeline import translate_paragraphs

from .chaos import ChaosEngine

PACKAGE = str(Path(__file__).resolve().parent.parent / "translator")
ENFORCER = GlossaryEnforcer(load_glossary([SHIPPED_GLOSSARY_DIR]))
#: A clause with six terms; repeated with commas it makes one run-on sentence.
CLAUSE = ("وقال سيرغي لافروف إن الوضع في طرابلس خطير، وأكد المشير خليفة حفتر أن الجيش الوطني الليبي "
          "سيدخل مصراتة، ")


def run_on(kilobytes: int) -> str:
    count = kilobytes * 1024 // len(CLAUSE.encode())
    return (CLAUSE * count).rstrip("، ") + "."


def lines_executed(paragraph: str, mutation: str) -> tuple[int, Any]:
    """Python lines run inside translator/ while the paragraph is translated and enforced."""
    count = 0

    def tracer(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if not frame.f_code.co_filename.startswith(PACKAGE):
            return None
        if event == "line":
            count += 1
        return tracer

    engine = ChaosEngine([mutation])
    sys.settrace(tracer)
    try:
        [result] = translate_paragraphs([paragraph], engine, ENFORCER)
    finally:
        sys.settrace(None)
    return count, result


@pytest.mark.parametrize("mutation", ["vowel", "drop", "keep"])
def test_enforcement_work_grows_near_linearly(mutation: str) -> None:
    small, small_result = lines_executed(run_on(5), mutation)
    large, large_result = lines_executed(run_on(20), mutation)
    assert len(large_result.terms) >= 4 * len(small_result.terms) - 12
    assert large <= 8 * small, f"{mutation}: 5 KB ran {small} lines, 20 KB {large} ({large / small:.1f}×)"


def test_a_200_kb_paragraph_dense_with_terms_finishes() -> None:
    paragraph = run_on(200)
    started = time.perf_counter()
    [result] = translate_paragraphs([paragraph], ChaosEngine(["vowel", "drop", "keep"]), ENFORCER)
    assert time.perf_counter() - started < 120  # generous: it is the hang this guards against
    assert len(result.terms) > 6000 and result.text
    assert sum(t.missing for t in result.terms) > 0 and sum(t.enforced for t in result.terms) > 0
