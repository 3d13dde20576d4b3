"""Provides corpus evaluation: sacrebleu BLEU, chrF and TER with signatures, term accuracy, speed.

Library first (the CLI only formats): `score_corpus` scores hypotheses against references,
`evaluate` reads aligned line files, translates the source with an engine (or takes a given
hypothesis file) and returns an `Evaluation`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from translator.errors import InputError
from translator.fileio import read_user_text
from translator.glossary.layers import Glossary
from translator.glossary.terms import distinct_terms, term_rendering
from translator.mt.engine import ArgosEngine, Engine
from translator.mt.pipeline import Enforcer, translate_paragraphs


@dataclass(frozen=True)
class MetricScore:
    """One sacrebleu corpus score and the signature that reproduces it."""

    name: str
    score: float
    signature: str
    detail: str
    """sacrebleu's own formatting, e.g. `BLEU = 12.3 45.6/...` (signature not included)."""

    def format(self) -> str:
        """`BLEU|nrefs:1|...|version:2.6.0 = 12.3 ...`, sacrebleu's reporting style."""
        name, _, rest = self.detail.partition(" = ")
        return f"{name}|{self.signature} = {rest}"


@dataclass(frozen=True)
class Scores:
    """BLEU, chrF and TER of one corpus."""

    bleu: MetricScore
    chrf: MetricScore
    ter: MetricScore

    def all(self) -> tuple[MetricScore, MetricScore, MetricScore]:
        return (self.bleu, self.chrf, self.ter)


@dataclass(frozen=True)
class TermAccuracy:
    """Glossary terms matched in the source and how the English rendered them."""

    matched: int
    preferred: int
    """Rendered with the glossary's preferred English."""
    accepted: int
    """Rendered with an accepted alternative."""
    missed: tuple[tuple[int, str, str], ...] = ()
    """(1-based segment, Arabic as written, preferred English) of each term not rendered."""

    @property
    def correct(self) -> int:
        return self.preferred + self.accepted

    @property
    def accuracy(self) -> float | None:
        """Share of matched terms rendered as preferred or accepted English (None if no term matched)."""
        return self.correct / self.matched if self.matched else None


@dataclass
class Evaluation:
    """Everything `translator evaluate` reports."""

    segments: int
    scores: Scores
    terms: TermAccuracy | None = None
    model: str | None = None
    """Engine label, or None when scoring a given hypothesis file."""
    seconds: float | None = None
    """Wall time of translation (model loading excluded)."""
    load_seconds: float | None = None
    hypotheses: list[str] = field(default_factory=list, repr=False)

    @property
    def segments_per_second(self) -> float | None:
        return self.segments / self.seconds if self.seconds else None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (hypotheses left out)."""
        data: dict[str, Any] = {
            "segments": self.segments,
            "model": self.model,
            "seconds": self.seconds,
            "load_seconds": self.load_seconds,
            "segments_per_second": self.segments_per_second,
        }
        for metric in self.scores.all():
            data[metric.name.lower()] = {"score": metric.score, "signature": metric.signature, "text": metric.format()}
        if self.terms is not None:
            data["terms"] = {**asdict(self.terms), "accuracy": self.terms.accuracy}
        return data


def score_corpus(hypotheses: Sequence[str], references: Sequence[str]) -> Scores:
    """sacrebleu corpus BLEU, chrF and TER (default settings, one reference) with signatures."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses but {len(references)} references")
    refs = [list(references)]
    results = []
    for name, metric in (("BLEU", BLEU()), ("chrF", CHRF()), ("TER", TER())):
        score = metric.corpus_score(list(hypotheses), refs)
        results.append(MetricScore(name, float(score.score), str(metric.get_signature()), str(score)))
    return Scores(*results)


def term_accuracy(sources: Sequence[str], hypotheses: Sequence[str], glossary: Glossary) -> TermAccuracy:
    """Count glossary entries matched in each source and rendered in its hypothesis."""
    matched = preferred = accepted = 0
    missed: list[tuple[int, str, str]] = []
    for number, (source, hyp) in enumerate(zip(sources, hypotheses), start=1):
        for match in distinct_terms(source, glossary):
            matched += 1
            rendering = term_rendering(hyp, match.entry)
            preferred += rendering == "preferred"
            accepted += rendering == "alt"
            if rendering is None:
                missed.append((number, match.surface, match.entry.en))
    return TermAccuracy(matched, preferred, accepted, tuple(missed))


def read_lines(path: Path) -> list[str]:
    """Lines of a one-segment-per-line file (a final newline does not add a segment).

    Splits on LF (and CRLF) only, as sacrebleu does: str.splitlines would also split on
    U+2028 and other separators that can occur inside a segment and misalign the files.
    """
    text = read_user_text(Path(path)).replace("\r\n", "\n")
    lines = text.split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def aligned(named: Sequence[tuple[Path, list[str]]]) -> None:
    """Raise one clear InputError if the files do not have the same number of lines."""
    (first, first_lines), *rest = named
    for path, lines in rest:
        if len(lines) != len(first_lines):
            raise InputError(
                path,
                f"has {len(lines)} lines but {first} has {len(first_lines)}",
                "files must be aligned, one segment per line",
            )


def translate_lines(
    lines: Sequence[str], engine: Engine, enforcer: Enforcer | None = None
) -> tuple[list[str], float, float]:
    """Translate one segment per line; returns (hypotheses, seconds, load seconds).

    Each line goes through the same pipeline as articles (sentence split, glossary enforcement),
    all in one engine call. Model loading is timed apart so speed means translation speed.
    """
    started = time.perf_counter()
    if isinstance(engine, ArgosEngine):
        engine.load()
    loaded = time.perf_counter()
    results = translate_paragraphs(list(lines), engine, enforcer)
    done = time.perf_counter()
    return [r.text for r in results], done - loaded, loaded - started


def evaluate(
    src: Path,
    ref: Path,
    *,
    hyp: Path | None = None,
    engine: Engine | None = None,
    enforcer: Enforcer | None = None,
    glossary: Glossary | None = None,
    limit: int | None = None,
) -> Evaluation:
    """Score a translation of `src` against `ref`.

    Args:
        src: Arabic source, one segment per line.
        ref: English reference, aligned with `src`.
        hyp: an existing English translation to score; if None, `engine` translates `src`.
        engine: the translation engine (required without `hyp`).
        enforcer: glossary enforcement for the engine, or None for raw output.
        glossary: glossary for term accuracy, or None to skip it.
        limit: score only the first N segments.

    Returns:
        The Evaluation with scores, term accuracy and speed.
    """
    named = [(Path(src), read_lines(src)), (Path(ref), read_lines(ref))]
    if hyp is not None:
        named.append((Path(hyp), read_lines(hyp)))
    aligned(named)
    if limit is not None:
        if limit < 1:
            raise InputError(Path(src), f"--limit must be at least 1, not {limit}")
        named = [(path, lines[:limit]) for path, lines in named]
    sources, references = named[0][1], named[1][1]
    evaluation_kwargs: dict[str, Any] = {}
    if hyp is not None:
        hypotheses = named[2][1]
    else:
        if engine is None:
            raise ValueError("evaluate needs an engine or a hypothesis file")
        hypotheses, seconds, load_seconds = translate_lines(sources, engine, enforcer)
        evaluation_kwargs = {"model": engine.label, "seconds": seconds, "load_seconds": load_seconds}
    return Evaluation(
        segments=len(sources),
        scores=score_corpus(hypotheses, references),
        terms=term_accuracy(sources, hypotheses, glossary) if glossary is not None else None,
        hypotheses=list(hypotheses),
        **evaluation_kwargs,
    )
