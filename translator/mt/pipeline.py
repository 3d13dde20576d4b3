"""Provides translate_paragraphs: paragraphs in, glossary-enforced English out, in one batch.

Sentences of all paragraphs go through the engine together. Two optional collaborators plug in:
an Enforcer (glossary: rewrites each source sentence before the model and repairs/verifies the
output after) and a Memory (translation memory: paragraphs it already knows cost no model call).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from translator.mt.engine import Engine
from translator.text.arabic import strip_controls
from translator.text.segment import split_clauses, split_sentences


class Enforcer(Protocol):
    """Glossary enforcement around the model (implemented in translator.glossary.enforce)."""

    def prepare(self, sentence: str) -> tuple[str, Any]:
        """Return the text to send to the model and a plan to finish with."""
        ...

    def finish(self, plan: Any, output: str) -> tuple[str, list[Any]]:
        """Return the final English and the per-term results (matched, enforced, found)."""
        ...


class Memory(Protocol):
    """Translation memory lookups and stores (implemented in translator.store.memory)."""

    def lookup(self, source: str) -> str | None:
        """Best stored English for this exact (normalised) source paragraph, if any."""
        ...

    def add_machine(self, source: str, target: str, model: str) -> None:
        """Remember a machine translation."""
        ...


@dataclass
class ParagraphTranslation:
    """The English of one paragraph and how it was obtained."""

    source: str
    text: str
    terms: list[Any] = field(default_factory=list)
    from_memory: bool = False


def translate_paragraphs(
    paragraphs: Sequence[str],
    engine: Engine,
    enforcer: Enforcer | None = None,
    memory: Memory | None = None,
    on_done: Callable[[int, ParagraphTranslation], None] | None = None,
) -> list[ParagraphTranslation]:
    """Translate paragraphs, sending all their sentences to the engine in one call.

    Args:
        paragraphs: source paragraphs (Arabic).
        engine: the translation engine.
        enforcer: glossary enforcement, or None for raw machine output.
        memory: translation memory consulted first and fed with new machine output.
        on_done: called with (index, result) as each paragraph is finished.

    Returns:
        One ParagraphTranslation per input paragraph, in order.
    """
    results: list[ParagraphTranslation | None] = [None] * len(paragraphs)
    pending: list[tuple[int, list[tuple[str, Any]]]] = []  # paragraph index, (sentence, plan) pairs
    model_inputs: list[str] = []
    for i, source in enumerate(paragraphs):
        known = memory.lookup(source) if memory is not None else None
        if known is not None or not source.strip():
            results[i] = ParagraphTranslation(source, known or "", from_memory=known is not None)
            if on_done:
                on_done(i, results[i])  # type: ignore[arg-type]
            continue
        plans = []
        # Bidi marks are invisible to the reader but reach the model and leak into the English.
        for sentence in split_sentences(strip_controls(source)):
            text, plan = enforcer.prepare(sentence) if enforcer else (sentence, None)
            plans.append((sentence, plan))
            model_inputs.append(text)
        pending.append((i, plans))
    outputs = iter(engine.translate(model_inputs) if model_inputs else [])
    finished = [[_finish(enforcer, plan, next(outputs)) for _, plan in plans] for _, plans in pending]
    if enforcer is not None:
        _retry_missing_terms(engine, enforcer, pending, finished)
    for (i, _plans), sentences in zip(pending, finished):
        english, terms = _join(sentences)
        result = ParagraphTranslation(paragraphs[i], english, terms)
        results[i] = result
        if memory is not None:
            memory.add_machine(result.source, result.text, engine.label)
        if on_done:
            on_done(i, result)
    return [r for r in results if r is not None]


def _finish(enforcer: Enforcer | None, plan: Any, output: str) -> tuple[str, list[Any]]:
    return enforcer.finish(plan, output) if enforcer is not None else (output, [])


def _join(parts: list[tuple[str, list[Any]]]) -> tuple[str, list[Any]]:
    """Finished pieces (English, term results) as one English text and one term list."""
    return " ".join(text for text, _ in parts if text), [term for _, found in parts for term in found]


def _missing(terms: list[Any]) -> int:
    return sum(1 for t in terms if getattr(t, "missing", False))


def _retry_missing_terms(
    engine: Engine,
    enforcer: Enforcer,
    pending: list[tuple[int, list[tuple[str, Any]]]],
    finished: list[list[tuple[str, list[Any]]]],
) -> None:
    """Re-translate, clause by clause, the sentences whose output lost a glossary term.

    Models drop names (and placeholders) mostly in long sentences; shorter inputs keep them.
    All retries go to the engine in one call, and a retry is kept only when it loses fewer
    terms, so a sentence never gets worse.
    """
    retries: list[tuple[int, int, list[Any]]] = []  # pending index, sentence index, clause plans
    inputs: list[str] = []
    for p, (_, plans) in enumerate(pending):
        for s, (sentence, _plan) in enumerate(plans):
            if not _missing(finished[p][s][1]):
                continue
            clauses = split_clauses(sentence)
            if len(clauses) < 2:
                continue
            clause_plans = []
            for clause in clauses:
                text, clause_plan = enforcer.prepare(clause)
                clause_plans.append(clause_plan)
                inputs.append(text)
            retries.append((p, s, clause_plans))
    if not retries:
        return
    outputs = iter(engine.translate(inputs))
    for p, s, clause_plans in retries:
        retried = _join([enforcer.finish(plan, next(outputs)) for plan in clause_plans])
        if _missing(retried[1]) < _missing(finished[p][s][1]):
            finished[p][s] = retried
