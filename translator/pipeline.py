"""Provides translate_paragraphs: paragraphs in, glossary-enforced English out, in one batch.

Sentences of all paragraphs go through the engine together. Two optional collaborators plug in:
an Enforcer (glossary: rewrites each source sentence before the model and repairs/verifies the
output after) and a Memory (translation memory: paragraphs it already knows cost no model call).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from translator.arabic import strip_controls
from translator.engine import Engine
from translator.segment import split_sentences


class Enforcer(Protocol):
    """Glossary enforcement around the model (implemented in translator.enforce)."""

    def prepare(self, sentence: str) -> tuple[str, Any]:
        """Return the text to send to the model and a plan to finish with."""
        ...

    def finish(self, plan: Any, output: str) -> tuple[str, list[Any]]:
        """Return the final English and the per-term results (matched, enforced, found)."""
        ...


class Memory(Protocol):
    """Translation memory lookups and stores (implemented in translator.memory)."""

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
    pending: list[tuple[int, list[Any]]] = []  # paragraph index, plans of its sentences
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
            plans.append(plan)
            model_inputs.append(text)
        pending.append((i, plans))
    outputs = iter(engine.translate(model_inputs) if model_inputs else [])
    for i, plans in pending:
        english: list[str] = []
        terms: list[Any] = []
        for plan in plans:
            out = next(outputs)
            if enforcer:
                out, found = enforcer.finish(plan, out)
                terms.extend(found)
            english.append(out)
        result = ParagraphTranslation(paragraphs[i], " ".join(e for e in english if e), terms)
        results[i] = result
        if memory is not None:
            memory.add_machine(result.source, result.text, engine.label)
        if on_done:
            on_done(i, result)
    return [r for r in results if r is not None]
