"""The pipeline keeps invisible bidi marks away from the model."""

from __future__ import annotations

from translator.mt.pipeline import translate_paragraphs

from .conftest import FakeEngine


def test_bidi_marks_never_reach_the_model() -> None:
    engine = FakeEngine()
    source = "\u200fقال الوزير\u200e إن \u202bالاتفاق\u202c مهم."
    result = translate_paragraphs([source], engine)
    assert engine.sentences == ["قال الوزير إن الاتفاق مهم."]
    assert result[0].source == source  # stored text untouched
    assert not any(c in result[0].text for c in "\u200e\u200f\u202b\u202c")


class _DropsNamesInLongInput:
    """Echo engine that, like small models, loses placeholders in inputs with several clauses."""

    label = "drops→en 0"
    is_demo = False

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def translate(self, sentences):  # type: ignore[no-untyped-def]
        self.calls.append(list(sentences))
        return ["words" if "، " in s else s for s in sentences]


def test_sentences_that_lost_a_term_are_retried_clause_by_clause() -> None:
    from translator.glossary.enforce import GlossaryEnforcer
    from translator.glossary.layers import load_glossary

    from .conftest import ROOT

    enforcer = GlossaryEnforcer(load_glossary([ROOT / "glossaries"]))
    engine = _DropsNamesInLongInput()
    source = "قال لافروف، إن الوضع في طرابلس خطير."
    (result,) = translate_paragraphs([source], engine, enforcer)
    assert len(engine.calls) == 2  # first pass, then one batched retry of the clauses
    assert "Lavrov" in result.text and "Tripoli" in result.text
    assert not any(t.missing for t in result.terms)


def test_retry_is_not_taken_when_it_does_not_help() -> None:
    from translator.glossary.enforce import GlossaryEnforcer
    from translator.glossary.layers import load_glossary

    from .conftest import ROOT

    class Mute(_DropsNamesInLongInput):
        def translate(self, sentences):  # type: ignore[no-untyped-def]
            self.calls.append(list(sentences))
            return ["first pass" if len(self.calls) == 1 else "" for _ in sentences]

    engine = Mute()
    enforcer = GlossaryEnforcer(load_glossary([ROOT / "glossaries"]))
    (result,) = translate_paragraphs(["قال لافروف، إن الوضع خطير."], engine, enforcer)
    assert result.text == "first pass"
