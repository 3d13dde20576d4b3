"""Provides translate_articles: the one place where batch files become rendered English.

Local batch (one process) and the Ray workers (translator.batch_ray) both call it on a group of
whole articles: their paragraphs go to the engine in one call, then each article gets its
English rendered in the output format, its glossary-term counts and its QA findings. Nothing
is written here: the caller (always the batch driver) writes the output and the report, so
every finished file is written by one process, atomically, whatever ran the model.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from translator.batch_report import FileCounts
from translator.errors import TranslatorError
from translator.glossary.layers import Glossary
from translator.mt.engine import Engine
from translator.mt.pipeline import Enforcer, Memory, ParagraphTranslation, translate_paragraphs
from translator.store.export import RENDERERS, render_machine_markdown
from translator.text.document import Article


@dataclass
class FileWork:
    """The translation of one article, ready for the driver to write (picklable: crosses Ray)."""

    file: str
    """The article's path relative to the input folder (the report key)."""
    rendered: str = ""
    """The whole output file in the requested format."""
    error: str = ""
    """Why the article could not be translated ('' when it was)."""
    counts: FileCounts = field(default_factory=FileCounts)
    """Paragraphs, memory hits, glossary terms, QA findings and time (the report entry takes them)."""


class RecordingMemory:
    """A Memory for a process that cannot reach the SQLite memory (a Ray worker).

    Lookups answer from what the driver found in the real memory before sending the work;
    machine translations are recorded for the driver to store when the results come back.
    """

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known
        self.added: list[tuple[str, str, str]] = []

    def lookup(self, source: str) -> str | None:
        return self.known.get(source)

    def add_machine(self, source: str, target: str, model: str) -> None:
        self.added.append((source, target, model))


def translate_articles(
    jobs: Sequence[tuple[str, Article]],
    engine: Engine,
    enforcer: Enforcer | None,
    memory: Memory | None,
    glossary: Glossary | None,
    fmt: str,
    on_paragraph: Callable[[int, ParagraphTranslation], None] | None = None,
    on_sentence: Callable[[int], None] | None = None,
) -> list[FileWork]:
    """Translate whole articles together (one engine call) and render each one.

    Args:
        jobs: (report key, article) pairs.
        engine: the loaded engine.
        enforcer: glossary enforcement, or None for raw machine output.
        memory: consulted before the model and fed with its output.
        glossary: the glossary for QA term checks (None: none).
        fmt: output format, a key of translator.export.RENDERERS.
        on_paragraph: called with (index over all jobs' paragraphs, result) as each finishes.
        on_sentence: called with a paragraph's index as each of its sentences leaves the model.

    Returns:
        One FileWork per job, in order; an engine failure marks every job with the reason.
    """
    started = time.perf_counter()
    paragraphs = [p for _, article in jobs for p in article.translatable]
    try:
        results = translate_paragraphs([p.text for p in paragraphs], engine, enforcer, memory, on_paragraph,
                                       groups=[len(article.translatable) for _, article in jobs],
                                       on_sentence=on_sentence)
    except TranslatorError as exc:
        return [FileWork(key, error=f"translation failed: {exc}") for key, _ in jobs]
    elapsed = time.perf_counter() - started
    works, offset = [], 0
    for key, article in jobs:
        mine = results[offset: offset + len(article.translatable)]
        offset += len(article.translatable)
        seconds = elapsed * len(mine) / max(1, len(results))
        works.append(_file_work(key, article, mine, glossary, fmt, engine.label, seconds))
    return works


def _file_work(key: str, article: Article, results: list[ParagraphTranslation], glossary: Glossary | None, fmt: str,
               model: str, seconds: float) -> FileWork:
    terms = [term for res in results for term in res.terms]
    findings = _qa(article, results, glossary)
    counts = FileCounts(paragraphs=len(results), from_memory=sum(1 for res in results if res.from_memory),
                        terms_found=len(terms), terms_enforced=sum(1 for t in terms if t.enforced),
                        terms_missing=sum(1 for t in terms if not t.enforced), qa_warnings=findings,
                        qa_errors=sum(1 for f in findings if f.get("severity") == "error"),
                        seconds=round(seconds, 3))
    english = {p.id: res.text for p, res in zip(article.translatable, results)}
    rendered = (render_machine_markdown(article, english, model) if fmt == "md"
                else RENDERERS[fmt](article, english))
    return FileWork(key, rendered, counts=counts)


def _qa(article: Article, results: list[ParagraphTranslation], glossary: Glossary | None) -> list[dict[str, Any]]:
    """QA findings of one translated article, as JSON-ready dicts."""
    from translator.quality.qa import check_article

    paragraphs = article.translatable
    findings = check_article([(p.text, r.text) for p, r in zip(paragraphs, results)], glossary=glossary,
                             ids=[p.id for p in paragraphs], indexes=[p.index for p in paragraphs],
                             lines=[p.line for p in paragraphs])
    return [f.to_json() for f in findings]
