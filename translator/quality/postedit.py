"""Provides post-edit metrics of reviewed work: how much reviewers changed the machine output.

For each article with saved review state: paragraphs per status, the share of post-edited
paragraphs whose English differs from the machine output, TER and chrF from the machine output
to the final English (sacrebleu; TER here is HTER: edits per reference word, case-sensitive so
fixed capitals count), glossary terms rendered right in the machine output and in the final
English, and QA findings still open. `total` pools every article (corpus scores, not means).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translator.errors import TranslatorError
from translator.glossary.layers import Glossary
from translator.glossary.terms import distinct_terms, term_rendering
from translator.quality.qa import check_review, summarize
from translator.store.review import ReviewState, Status, load_review
from translator.text.document import Article, read_article

#: Statuses that mean a person has worked on the paragraph.
WORKED = (Status.EDITED, Status.REVIEWED)


@dataclass
class PostEdit:
    """Post-edit figures of one article, or of several pooled (`article` is None)."""

    article: Path | None
    paragraphs: int = 0
    """Translatable paragraphs (title and body, no junk)."""
    status: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in Status})
    post_edited: int = 0
    """Paragraphs with machine output that a person edited or reviewed."""
    changed: int = 0
    """Of those, how many differ from the machine output (whitespace aside)."""
    ter: float | None = None
    chrf: float | None = None
    terms_matched: int | None = None
    terms_machine: int | None = None
    """Matched terms whose glossary English (preferred or accepted) is in the machine output."""
    terms_final: int | None = None
    qa_errors: int = 0
    qa_warnings: int = 0
    pairs: list[tuple[str, str]] = field(default_factory=list, repr=False)
    """(machine, final) of the post-edited paragraphs, kept for pooled scores."""

    @property
    def edited_share(self) -> float | None:
        """Share of post-edited paragraphs the reviewer changed."""
        return self.changed / self.post_edited if self.post_edited else None

    def to_json(self) -> dict[str, Any]:
        return {
            "article": str(self.article) if self.article else None,
            "paragraphs": self.paragraphs,
            "status": dict(self.status),
            "post_edited": self.post_edited,
            "changed": self.changed,
            "edited_share": self.edited_share,
            "ter": self.ter,
            "chrf": self.chrf,
            "terms": None if self.terms_matched is None else {
                "matched": self.terms_matched, "machine": self.terms_machine, "final": self.terms_final},
            "qa": {"errors": self.qa_errors, "warnings": self.qa_warnings},
        }


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def edit_scores(pairs: Sequence[tuple[str, str]]) -> tuple[float | None, float | None]:
    """(TER, chrF) of machine output against the final English, or (None, None) without pairs."""
    if not pairs:
        return None, None
    from sacrebleu.metrics import CHRF, TER

    machine = [m for m, _ in pairs]
    final = [[f for _, f in pairs]]
    return (float(TER(case_sensitive=True).corpus_score(machine, final).score),
            float(CHRF().corpus_score(machine, final).score))


def score_signatures() -> dict[str, str]:
    """sacrebleu signatures of the TER and chrF used here (for reports that must be reproducible)."""
    from sacrebleu.metrics import CHRF, TER

    # sacrebleu knows the number of references only after scoring, so score a one-line corpus.
    ter, chrf = TER(case_sensitive=True), CHRF()
    for metric in (ter, chrf):
        metric.corpus_score(["x"], [["x"]])
    return {"ter": str(ter.get_signature()), "chrf": str(chrf.get_signature())}


def article_postedit(article: Article, state: ReviewState, glossary: Glossary | None = None) -> PostEdit:
    """Post-edit figures of one article's review state."""
    result = PostEdit(article.path)
    matched = machine = final = 0
    for p in article.translatable:
        result.paragraphs += 1
        rec = state.paragraphs.get(p.id)
        status = rec.status if rec else Status.NEW
        result.status[status.value] += 1
        if rec is None or status not in WORKED or rec.machine is None or not rec.text.strip():
            continue
        result.post_edited += 1
        result.changed += not _same(rec.machine, rec.text)
        result.pairs.append((rec.machine, rec.text))
        if glossary is not None:
            for match in distinct_terms(p.text, glossary):
                matched += 1
                machine += term_rendering(rec.machine, match.entry) is not None
                final += term_rendering(rec.text, match.entry) is not None
    if glossary is not None:
        result.terms_matched, result.terms_machine, result.terms_final = matched, machine, final
    result.ter, result.chrf = edit_scores(result.pairs)
    counts = summarize(check_review(article, state, glossary=glossary))
    result.qa_errors, result.qa_warnings = counts.get("error", 0), counts.get("warning", 0)
    return result


def pooled(results: Iterable[PostEdit]) -> PostEdit:
    """All articles together: counts summed, TER/chrF over every post-edited paragraph."""
    total = PostEdit(None)
    for r in results:
        total.paragraphs += r.paragraphs
        for key, n in r.status.items():
            total.status[key] += n
        total.post_edited += r.post_edited
        total.changed += r.changed
        total.pairs += r.pairs
        total.qa_errors += r.qa_errors
        total.qa_warnings += r.qa_warnings
        if r.terms_matched is not None:
            total.terms_matched = (total.terms_matched or 0) + r.terms_matched
            total.terms_machine = (total.terms_machine or 0) + (r.terms_machine or 0)
            total.terms_final = (total.terms_final or 0) + (r.terms_final or 0)
    total.ter, total.chrf = edit_scores(total.pairs)
    return total


def report(
    paths: Sequence[Path],
    glossary: Glossary | None = None,
    on_error: Callable[[Path, TranslatorError], None] | None = None,
) -> tuple[list[PostEdit], PostEdit]:
    """Per-article post-edit figures for reviewed article files, and their pooled total.

    Args:
        paths: article files with saved review state.
        glossary: for term counts and QA, or None.
        on_error: called for an unreadable article or state, which is then left out; without
            it the error is raised.
    """
    per_article = []
    for path in paths:
        try:
            per_article.append(article_postedit(read_article(path), load_review(path), glossary))
        except TranslatorError as exc:
            if on_error is None:
                raise
            on_error(path, exc)
    return per_article, pooled(per_article)
