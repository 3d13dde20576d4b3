"""Provides translate_paragraphs: paragraphs in, glossary-enforced English out, in one batch.

Sentences of all paragraphs go through the engine together. Two optional collaborators plug in:
an Enforcer (glossary: rewrites each source sentence before the model and repairs/verifies the
output after) and a Memory (translation memory: paragraphs it already knows cost no model call).

Memory use is exact only: a paragraph's own entry, else, when every one of its sentences has an
exact entry (a sentence-level TM from Trados or OmegaT), those joined. Fuzzy matches stay
suggestions for the desk; they never replace the model here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from translator.config import DEFAULT_RETRY_BUDGET
from translator.errors import EngineError
from translator.glossary.enforce import Plan
from translator.glossary.layers import Glossary
from translator.glossary.repair import TermResult
from translator.mt.engine import Engine, RankingEngine, StreamingEngine
from translator.text.arabic import strip_controls
from translator.text.segment import split_clauses, split_sentences

#: Share of the first pass's decoding cost that clause-by-clause retries may add (the default;
#: Settings.retry_budget, carried by the enforcer).
RETRY_BUDGET = DEFAULT_RETRY_BUDGET
#: Retries may always spend this many pieces (a paragraph in the desk gets its retry).
RETRY_FLOOR = 128
#: Retries of an article that go first, as a probe: when they win back no term, the rest of its
#: budget is not spent (the model does not keep placeholders even in short inputs).
PROBE_RETRIES = 1
#: An article whose first pass kept none of at least this many glossary terms, in any
#: hypothesis, is not retried at all: the model keeps no placeholder (on the demo model no
#: seed or FLORES article comes close: bench/term_accuracy.py, docs/glossary.md).
RETRY_EVIDENCE = 6


class Enforcer(Protocol):
    """Glossary enforcement around the model (implemented in translator.glossary.enforce)."""

    @property
    def glossary(self) -> Glossary:
        """The glossary enforced (its fingerprint goes into reports)."""
        ...

    @property
    def retry_budget(self) -> float:
        """Share of an article's first-pass decoding that clause retries may add (0: none)."""
        ...

    def prepare(self, sentence: str) -> tuple[str, Plan]:
        """Return the text to send to the model and a plan to finish with."""
        ...

    def finish(self, plan: Plan, output: str) -> tuple[str, list[TermResult]]:
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
    terms: list[TermResult] = field(default_factory=list)
    from_memory: bool = False


def translate_paragraphs(
    paragraphs: Sequence[str],
    engine: Engine,
    enforcer: Enforcer | None = None,
    memory: Memory | None = None,
    on_done: Callable[[int, ParagraphTranslation], None] | None = None,
    retry_budget: float | None = None,
    groups: Sequence[int] | None = None,
    on_sentence: Callable[[int], None] | None = None,
) -> list[ParagraphTranslation]:
    """Translate paragraphs, sending all their sentences to the engine in one call.

    Args:
        paragraphs: source paragraphs (Arabic).
        engine: the translation engine.
        enforcer: glossary enforcement, or None for raw machine output.
        memory: translation memory consulted first and fed with new machine output.
        on_done: called with (index, result) as each paragraph is finished.
        retry_budget: clause-by-clause retries of sentences that lost a term may add this share
            of the first pass's decoding cost (at least RETRY_FLOOR pieces; 0: no retry);
            None: the enforcer's (Settings.retry_budget).
        groups: paragraph counts of independent articles, in order; each gets its own retry
            budget, so an article's English does not depend on which others share the call
            (batch chunks, Ray tasks). None: all paragraphs are one group.
        on_sentence: called with a paragraph's index each time one of its sentences has its
            first English (a progress that moves while the model decodes; retries may follow).

    Returns:
        One ParagraphTranslation per input paragraph, in order.
    """
    results: list[ParagraphTranslation | None] = [None] * len(paragraphs)
    pending: list[tuple[int, list[tuple[str, Plan]]]] = []  # paragraph index, (sentence, plan) pairs
    model_inputs: list[str] = []
    group_of = [g for g, count in enumerate(groups or [len(paragraphs)]) for _ in range(count)]
    input_groups: list[int] = []  # the group of each model input
    for i, source in enumerate(paragraphs):
        known = remembered(memory, source) if memory is not None else None
        if known is not None or not source.strip():
            results[i] = ParagraphTranslation(source, known or "", from_memory=known is not None)
            if on_done:
                on_done(i, results[i])  # type: ignore[arg-type]
            continue
        plans: list[tuple[str, Plan]] = []
        # Bidi marks are invisible to the reader but reach the model and leak into the English.
        for sentence in split_sentences(strip_controls(source)):
            text, plan = enforcer.prepare(sentence) if enforcer else (sentence, Plan(sentence, sentence))
            plans.append((sentence, plan))
            model_inputs.append(text)
            input_groups.append(group_of[i])
        pending.append((i, plans))
    slots = [(p, s) for p, (_, plans) in enumerate(pending) for s in range(len(plans))]
    finished: list[list[tuple[str, list[TermResult]]]] = [[("", [])] * len(plans) for _, plans in pending]
    avoid = [plan.avoid for _, plans in pending for _, plan in plans] if enforcer is not None else None
    # Each sentence is finished (enforced) as soon as the model has it, while it decodes the rest.
    answered = 0
    for k, hypotheses in _first_pass(engine, model_inputs, avoid):
        p, s = slots[k]
        answered += 1
        finished[p][s] = ((hypotheses[0], []) if enforcer is None
                          else _choose(enforcer, pending[p][1][s][1], hypotheses))
        if on_sentence:
            on_sentence(pending[p][0])
    if answered != len(model_inputs):
        raise EngineError(f"{engine.label}: the model gave {answered} translations for {len(model_inputs)} sentences")
    if enforcer is not None:
        share = enforcer.retry_budget if retry_budget is None else retry_budget
        budgets = _budgets(engine, model_inputs, input_groups, share)
        _retry_missing_terms(engine, enforcer, pending, finished, [group_of[i] for i, _ in pending], budgets)
    for (i, _plans), sentences in zip(pending, finished):
        english, terms = _join(sentences)
        result = ParagraphTranslation(paragraphs[i], english, terms)
        results[i] = result
        if memory is not None:
            memory.add_machine(result.source, result.text, engine.label)
        if on_done:
            on_done(i, result)
    return [r for r in results if r is not None]


def sentence_count(paragraph: str) -> int:
    """How many sentences of `paragraph` translate_paragraphs sends to the model (unless it is in the memory)."""
    return len(split_sentences(strip_controls(paragraph)))


def _first_pass(engine: Engine, inputs: list[str],
                avoid: list[tuple[str, ...]] | None) -> Iterator[tuple[int, list[str]]]:
    """(i, hypotheses of input i) for every input, as the engine finishes them when it can stream.

    `avoid` None: no glossary, the one best translation; else as in _hypotheses.
    """
    if not inputs:
        return iter(())
    if isinstance(engine, StreamingEngine):  # its avoid takes empty lists: no suppression for those
        return engine.translate_stream(inputs, 1 if avoid is None else None, avoid)
    if avoid is None:
        return enumerate([output] for output in engine.translate(inputs))
    return enumerate(_hypotheses(engine, inputs, avoid))


def _hypotheses(engine: Engine, inputs: list[str], avoid: list[tuple[str, ...]]) -> list[list[str]]:
    """Each input's hypotheses, best first (one when the engine gives no n-best).

    `avoid[i]`: English the engine must not decode for input i (the glossary's `avoid:`
    renderings of its terms); only a RankingEngine can be told, and only when there is any.
    """
    if not inputs:
        return []
    if isinstance(engine, RankingEngine):
        return engine.translate_nbest(inputs, avoid=avoid) if any(avoid) else engine.translate_nbest(inputs)
    return [[output] for output in engine.translate(inputs)]


def _choose(enforcer: Enforcer, plan: Plan, hypotheses: list[str]) -> tuple[str, list[TermResult]]:
    """The finished hypothesis that keeps the most glossary terms; the model's order breaks ties."""
    best = enforcer.finish(plan, hypotheses[0])
    for other in hypotheses[1:]:
        if not _missing(best[1]):
            break
        candidate = enforcer.finish(plan, other)
        if _missing(candidate[1]) < _missing(best[1]):
            best = candidate
    return best


def _cost(engine: Engine, inputs: list[str]) -> int:
    """Decoding cost of `inputs`: the engine's caps, or about 2 pieces per 4 characters + 10 each."""
    if isinstance(engine, RankingEngine):
        return engine.cost(inputs)
    return sum(len(text) // 2 + 10 for text in inputs if text.strip())

def remembered(memory: Memory, source: str) -> str | None:
    """The memory's exact English for a paragraph, or assembled from exact matches of all its sentences."""
    known = memory.lookup(source)
    if known is not None:
        return known
    sentences = split_sentences(strip_controls(source))
    if len(sentences) < 2:
        return None
    found = []
    for sentence in sentences:
        english = memory.lookup(sentence)
        if english is None:
            return None
        found.append(english.strip())
    return " ".join(part for part in found if part)



def _budgets(engine: Engine, inputs: list[str], groups: list[int], share: float) -> dict[int, float]:
    """Each group's retry budget: `share` of its first-pass decoding cost, at least RETRY_FLOOR (0: none)."""
    if share <= 0:
        return {}
    found: dict[int, list[str]] = {}
    for text, group in zip(inputs, groups):
        found.setdefault(group, []).append(text)
    return {group: max(share * _cost(engine, texts), RETRY_FLOOR) for group, texts in found.items()}


def _join(parts: list[tuple[str, list[TermResult]]]) -> tuple[str, list[TermResult]]:
    """Finished pieces (English, term results) as one English text and one term list."""
    return " ".join(text for text, _ in parts if text), [term for _, found in parts for term in found]


def _missing(terms: list[TermResult]) -> int:
    return sum(1 for t in terms if t.missing)


def _retry_missing_terms(
    engine: Engine,
    enforcer: Enforcer,
    pending: list[tuple[int, list[tuple[str, Plan]]]],
    finished: list[list[tuple[str, list[TermResult]]]],
    pending_groups: list[int],
    budgets: dict[int, float],
) -> None:
    """Re-translate, clause by clause, the sentences whose output lost a glossary term.

    Models drop names (and placeholders) mostly in long sentences; shorter inputs keep them.
    A retry is kept only when it loses fewer terms, so a sentence never gets worse. The retries
    of each group (article) stay within its budget (see _budgets) and pay or stop:

    - a group whose first pass kept none of its terms (at least RETRY_EVIDENCE) in any
      hypothesis is not retried: the model does not keep placeholders (a random or unsuitable
      model); its lost terms are reported;
    - otherwise the group's cheapest candidate goes first, as a probe (PROBE_RETRIES); only a
      group whose probe won a term back spends the rest of its budget, the sentences with the
      most lost terms per piece first.

    Every decision depends on the group's own sentences, so an article's English does not
    depend on its neighbours.
    """
    terms: dict[int, list[TermResult]] = {}
    for p, sentences in enumerate(finished):
        terms.setdefault(pending_groups[p], []).extend(t for _, found in sentences for t in found)
    hopeless = {g for g, found in terms.items() if len(found) >= RETRY_EVIDENCE and all(t.missing for t in found)}
    candidates: dict[int, list[_Retry]] = {}
    for p, (_, plans) in enumerate(pending):
        if pending_groups[p] not in budgets or pending_groups[p] in hopeless:
            continue
        for s, (sentence, _plan) in enumerate(plans):
            lost = _missing(finished[p][s][1])
            if not lost:
                continue
            clauses = split_clauses(sentence)
            if len(clauses) < 2:
                continue
            prepared = [enforcer.prepare(clause) for clause in clauses]
            texts = [text for text, _ in prepared]
            cost = _cost(engine, texts)
            retry = _Retry(-lost / max(1, cost), p, s, [plan for _, plan in prepared], texts, cost)
            candidates.setdefault(pending_groups[p], []).append(retry)
    probes: list[_Retry] = []
    for group, retries in candidates.items():
        affordable = (r for r in retries if r.cost <= budgets[group])
        cheapest = sorted(affordable, key=lambda r: (r.cost, r.priority, r.p, r.s))
        for retry in cheapest[:PROBE_RETRIES]:
            budgets[group] -= retry.cost
            probes.append(retry)
            retries.remove(retry)
    paid = {pending_groups[r.p] for r in _run_retries(engine, enforcer, probes, finished) if r.recovered}
    rest: list[_Retry] = []
    for group in sorted(paid):
        for retry in sorted(candidates[group], key=lambda r: (r.priority, r.p, r.s)):
            if retry.cost <= budgets[group]:
                budgets[group] -= retry.cost
                rest.append(retry)
    _run_retries(engine, enforcer, rest, finished)


@dataclass
class _Retry:
    """One sentence to re-translate clause by clause."""

    priority: float
    """Minus the lost terms per piece of decoding (the most rewarding first)."""
    p: int
    s: int
    plans: list[Plan]
    texts: list[str]
    cost: int
    recovered: int = 0
    """Terms the retry won back (0 when it was not kept)."""


def _run_retries(engine: Engine, enforcer: Enforcer, retries: list[_Retry],
                 finished: list[list[tuple[str, list[TermResult]]]]) -> list[_Retry]:
    """Translate `retries` in one engine call; keep each that loses fewer terms than before."""
    if not retries:
        return []
    inputs = [text for r in retries for text in r.texts]
    outputs = iter(_hypotheses(engine, inputs, [plan.avoid for r in retries for plan in r.plans]))
    for r in retries:
        retried = _join([_choose(enforcer, plan, next(outputs)) for plan in r.plans])
        before, after = _missing(finished[r.p][r.s][1]), _missing(retried[1])
        if after < before:
            finished[r.p][r.s] = retried
            r.recovered = before - after
    return retries
