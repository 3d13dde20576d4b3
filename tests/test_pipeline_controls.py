"""The pipeline keeps invisible bidi marks away from the model."""

from __future__ import annotations

from translator.pipeline import translate_paragraphs

from .conftest import FakeEngine


def test_bidi_marks_never_reach_the_model() -> None:
    engine = FakeEngine()
    source = "\u200fقال الوزير\u200e إن \u202bالاتفاق\u202c مهم."
    result = translate_paragraphs([source], engine)
    assert engine.sentences == ["قال الوزير إن الاتفاق مهم."]
    assert result[0].source == source  # stored text untouched
    assert not any(c in result[0].text for c in "\u200e\u200f\u202b\u202c")
