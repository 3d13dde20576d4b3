"""Provides the desk's article list: which files of a folder are articles, and each one's progress.

Reads articles and their saved review state; writes nothing. No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from translator.errors import TranslatorError
from translator.store.review import Status, load_review
from translator.text.document import JunkFilter, read_article

#: Files the desk lists as articles in a folder.
ARTICLE_GLOBS = ("*.txt",)


@dataclass(frozen=True)
class ArticleSummary:
    """One row of the desk's article list."""

    path: Path
    name: str
    total: int = 0
    reviewed: int = 0
    counts: dict[Status, int] = field(default_factory=dict)
    error: str = ""
    """Why the article cannot be opened (empty when it can)."""

    @property
    def done(self) -> bool:
        return self.total > 0 and self.reviewed == self.total


def find_articles(folder: Path) -> list[Path]:
    """Article files in `folder`, sorted by name."""
    found: set[Path] = set()
    for pattern in ARTICLE_GLOBS:
        found.update(p for p in Path(folder).glob(pattern) if p.is_file())
    return sorted(found)


def summarize_article(path: Path, out_dir: Path | None = None, junk: JunkFilter | None = None) -> ArticleSummary:
    """Progress of one article, or the reason it cannot be read."""
    try:
        article = read_article(path, junk)
        state = load_review(path, out_dir)
    except TranslatorError as exc:
        return ArticleSummary(Path(path), Path(path).name, error=str(exc))
    counts = state.counts(article)
    return ArticleSummary(Path(path), Path(path).name, len(article.translatable), counts[Status.REVIEWED], counts)


def list_articles(folder: Path, out_dir: Path | None = None) -> list[ArticleSummary]:
    """Summaries of every article in `folder`."""
    junk = JunkFilter.from_files()
    return [summarize_article(p, out_dir, junk) for p in find_articles(folder)]
