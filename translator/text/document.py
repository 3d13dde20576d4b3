"""Provides Article and Paragraph: an Arabic news article read exactly as stored.

Paragraphs split on blank lines and single newlines; the first non-empty line is the title.
Site junk lines are recognised from a configurable pattern list and kept out of translation.
Paragraph ids are content hashes plus the occurrence among identical paragraphs, so review
state survives edits elsewhere in the file.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from translator.errors import InputError
from translator.fileio import read_user_text
from translator.text.arabic import has_arabic

DEFAULT_JUNK_FILE = Path(__file__).resolve().parent.parent / "data" / "junk_lines.txt"
_TRAILING_PUNCT = " \t:：.،,…-–—|»«\"'“”"


class Kind(str, Enum):
    """What a paragraph is for the translator."""

    TITLE = "title"
    BODY = "body"
    JUNK = "junk"


@dataclass(frozen=True)
class Paragraph:
    """One translatable unit: a line of the article, with its exact original text."""

    id: str
    index: int
    text: str
    kind: Kind
    line: int
    """1-based line number in the file."""

    @property
    def translatable(self) -> bool:
        """True unless the paragraph is site junk."""
        return self.kind is not Kind.JUNK


@dataclass(frozen=True)
class Article:
    """A read article: its path, raw text and paragraphs in order."""

    path: Path
    text: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def title(self) -> Paragraph | None:
        """The title paragraph, if any."""
        return next((p for p in self.paragraphs if p.kind is Kind.TITLE), None)

    @property
    def translatable(self) -> list[Paragraph]:
        """Title and body paragraphs, without junk."""
        return [p for p in self.paragraphs if p.translatable]

    @property
    def name(self) -> str:
        """The file name without `.txt` / `.ar.txt`."""
        return article_stem(self.path)


def article_stem(path: Path) -> str:
    """`news.ar.txt` -> `news`; `news.txt` -> `news`."""
    name = Path(path).name
    for suffix in (".ar.txt", ".txt", ".ar.md", ".md"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return Path(path).stem


class JunkFilter:
    """Recognises site junk lines from exact lines and `re:` patterns."""

    def __init__(self, exact: set[str], patterns: list[re.Pattern[str]]) -> None:
        self.exact = exact
        self.patterns = patterns

    @classmethod
    def from_files(cls, *paths: Path) -> JunkFilter:
        """Load pattern files (see data/junk_lines.txt for the format)."""
        exact: set[str] = set()
        patterns: list[re.Pattern[str]] = []
        for path in paths or (DEFAULT_JUNK_FILE,):
            for raw in Path(path).read_text(encoding="utf-8").splitlines():
                line = raw.strip()
                if not line or line.startswith("#"):
                    continue
                if line.startswith("re:"):
                    patterns.append(re.compile(line[3:], re.IGNORECASE))
                else:
                    exact.add(_junk_key(line))
        return cls(exact, patterns)

    def is_junk(self, line: str) -> bool:
        """True if `line` is a site junk line."""
        key = _junk_key(line)
        if key in self.exact:
            return True
        stripped = line.strip()
        return any(p.fullmatch(stripped) for p in self.patterns)


def _junk_key(line: str) -> str:
    return line.strip().strip(_TRAILING_PUNCT).strip()


def paragraph_id(text: str, occurrence: int) -> str:
    """Stable id: 10 hex chars of the text's SHA-1, plus its occurrence among equal texts."""
    digest = hashlib.sha1(text.strip().encode("utf-8")).hexdigest()[:10]
    return f"{digest}-{occurrence}"


def parse_article(path: Path, text: str, junk: JunkFilter | None = None) -> Article:
    """Split `text` into paragraphs; the first non-empty, non-junk line is the title."""
    junk = junk or JunkFilter.from_files()
    seen: Counter[str] = Counter()
    paragraphs: list[Paragraph] = []
    have_title = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if junk.is_junk(line):
            kind = Kind.JUNK
        elif not have_title:
            kind, have_title = Kind.TITLE, True
        else:
            kind = Kind.BODY
        key = line.strip()
        paragraphs.append(Paragraph(paragraph_id(key, seen[key]), len(paragraphs), line, kind, number))
        seen[key] += 1
    return Article(Path(path), text, tuple(paragraphs))


def read_article(path: Path, junk: JunkFilter | None = None) -> Article:
    """Read and parse an article file; raises InputError with a clear reason if it can't
    (an article without a single Arabic letter included: there is nothing to translate)."""
    article = parse_article(Path(path), read_user_text(Path(path)), junk)
    if not any(has_arabic(p.text) for p in article.translatable):
        raise InputError(path, "has no Arabic text", "give an Arabic article (UTF-8 text)")
    return article
