"""Provides QA checks on translated paragraphs: the one module the desk, batch and CLI share.

`check_paragraph` looks at one Arabic source and its English; `check_article` adds the
article-level length norm; `check_review` runs them over a saved review state. Each problem is a
`Finding` with the paragraph, a kind, a severity (error = almost surely wrong, warning = worth a
look) and a one-line message. The glossary is optional: without it no term checks run.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import Enum

from translator.glossary.layers import Glossary
from translator.glossary.terms import avoided_rendering, distinct_terms, term_rendering
from translator.store.review import ReviewState, Status
from translator.text.document import Article
from translator.text.numerals import extract_numbers, has_arabic_letters, latin_digits, spelled_numbers

__all__ = ["Check", "Finding", "Severity", "check_article", "check_paragraph", "check_review", "length_norm",
           "repetition", "summarize"]


class Severity(str, Enum):
    """How sure a check is that something is wrong."""

    ERROR = "error"
    WARNING = "warning"


class Check(str, Enum):
    """The kinds of finding (stable names: they appear in JSON output)."""

    EMPTY = "empty"
    UNTRANSLATED = "untranslated"
    ARABIC_LEFT = "arabic-left"
    NUMBER = "number"
    GLOSSARY = "glossary"
    LENGTH = "length"
    BRACKETS = "brackets"
    QUOTES = "quotes"
    REPEAT = "repeat"


@dataclass(frozen=True)
class Finding:
    """One QA problem in one paragraph."""

    index: int
    """0-based paragraph index (in the article, or in the list that was checked)."""
    kind: Check
    severity: Severity
    message: str
    id: str | None = None
    """Paragraph id from translator.text.document, when checking an article."""
    line: int | None = None
    """1-based line of the paragraph in the Arabic file, when known."""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["kind"] = self.kind.value
        data["severity"] = self.severity.value
        return data


# ---------------------------------------------------------------- numbers (see translator.text.numerals)

#: Arabic letters and Arabic-Indic digits, for the arabic-left check.
_ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+")


def _number_findings(source: str, target: str) -> list[tuple[Severity, str]]:
    src = extract_numbers(source, arabic=True)
    tgt = extract_numbers(target, arabic=False)
    src_words = spelled_numbers(source, arabic=True)
    tgt_words = spelled_numbers(target, arabic=False)
    problems: list[tuple[Severity, str]] = []
    unused = list(tgt)
    for number in src:
        match = next((t for t in unused if t.values & number.values), None)
        if match is not None:
            unused.remove(match)
            if number.percent and not match.percent:
                problems.append((Severity.WARNING,
                                 f"{number.text}% in the source is not a percentage in the English ({match.text})"))
            continue
        if number.values & tgt_words or any(t.values & number.values for t in tgt):
            continue  # spelled out ("3 أيام" -> "three days") or repeated in the source
        shown = latin_digits(number.text) + ("%" if number.percent else "")
        problems.append((Severity.ERROR, f"number {shown} of the source is missing from the English"))
    for extra in unused:
        if extra.values & src_words or any(s.values & extra.values for s in src):
            continue
        problems.append((Severity.WARNING, f"number {extra.text} in the English is not in the source"))
    return problems


# ---------------------------------------------------------------- glossary terms


def _closest_span(target: str, term: str) -> str | None:
    """The part of `target` most like `term`, if close enough to call it a different rendering."""
    from rapidfuzz import fuzz

    if not term.strip() or not target.strip():
        return None
    found = fuzz.partial_ratio_alignment(term.casefold(), target.casefold())
    if found is None or found.score < 75:
        return None
    start, end = found.dest_start, found.dest_end
    # Widen to whole words so the message shows what the reader sees.
    while start > 0 and target[start - 1].isalnum():
        start -= 1
    while end < len(target) and target[end].isalnum():
        end += 1
    span = target[start:end].strip(" ,.;:")
    return span or None


def _glossary_findings(source: str, target: str, glossary: Glossary) -> list[tuple[Severity, str]]:
    problems: list[tuple[Severity, str]] = []
    for match in distinct_terms(source, glossary):
        surface, preferred = match.surface, match.entry.en
        if not preferred:
            continue
        avoided = avoided_rendering(target, match.entry)
        if avoided:
            problems.append((Severity.ERROR, f"{surface} is rendered {avoided!r}, which the glossary says to avoid "
                                             f"(use {preferred!r})"))
        rendering = term_rendering(target, match.entry)
        if rendering == "preferred":
            continue
        if rendering == "alt":
            problems.append((Severity.WARNING, f"{surface} uses an accepted variant, not the preferred {preferred!r}"))
            continue
        near = _closest_span(target, preferred)
        if near:
            problems.append((Severity.ERROR, f"{surface} should be {preferred!r}, found {near!r}"))
        else:
            problems.append((Severity.ERROR, f"{surface} should be {preferred!r}, which is missing"))
    return problems


# ---------------------------------------------------------------- brackets and quotes

_PAIRS = {")": "(", "]": "[", "}": "{"}


def brackets_balanced(text: str) -> bool:
    """True if (), [] and {} nest properly."""
    stack: list[str] = []
    for ch in text:
        if ch in "([{":
            stack.append(ch)
        elif ch in _PAIRS:  # noqa: SIM102 - the pop must only happen for a closing bracket
            if not stack or stack.pop() != _PAIRS[ch]:
                return False
    return not stack


def quotes_balanced(text: str) -> bool:
    """True if straight double quotes pair up and curly/guillemet quotes open and close equally."""
    return (text.count('"') % 2 == 0 and text.count("“") == text.count("”")
            and text.count("«") == text.count("»"))


# ---------------------------------------------------------------- repetition

#: A word written twice in a row ("the the"), or a phrase of up to five words three times in a row:
#: the typical loop of a neural model that lost track. Words English legitimately doubles are exempt.
_DOUBLE_WORD = re.compile(r"\b([^\W\d_]{2,})\s+\1\b", re.IGNORECASE)
_LOOP = re.compile(r"\b((?:\S+\s+){0,4}?\S+?)(?:\s*\1){2,}", re.IGNORECASE)
_DOUBLES_OK = frozenset({"had", "that", "is", "bye", "no", "very", "far", "so", "ha", "knock"})


def repetition(text: str) -> str | None:
    """The repeated stretch if `text` shows a decoding loop, else None."""
    for match in _DOUBLE_WORD.finditer(text):
        if match.group(1).lower() not in _DOUBLES_OK:
            return match.group(0)
    loop = _LOOP.search(text)
    if loop and len(loop.group(1)) >= 2 and not loop.group(1).isdigit():
        return loop.group(0)
    return None


# ---------------------------------------------------------------- paragraph and article checks

#: Length checks skip sources shorter than this: short titles have wild ratios.
MIN_LENGTH_CHECK = 30
#: A paragraph's English/Arabic length ratio this many times above or below the norm is flagged.
LENGTH_FACTOR = 1.8
#: The ratio used when an article has too few paragraphs for a median (English runs longer).
DEFAULT_RATIO = 1.2


def check_paragraph(
    source: str,
    target: str,
    *,
    glossary: Glossary | None = None,
    norm_ratio: float | None = None,
    index: int = 0,
    pid: str | None = None,
    line: int | None = None,
) -> list[Finding]:
    """All QA findings for one paragraph.

    Args:
        source: the Arabic paragraph.
        target: its English.
        glossary: the glossary to check terms against, or None to skip term checks.
        norm_ratio: the article's usual English/Arabic length ratio (see `length_norm`), or None
            to skip the length check.
        index, pid, line: where the paragraph is, copied into each Finding.

    Returns:
        Findings, errors first.
    """
    raw: list[tuple[Check, Severity, str]] = []
    if not source.strip():
        return []
    if not target.strip():
        raw.append((Check.EMPTY, Severity.ERROR, "no English for this paragraph"))
    elif target.strip() == source.strip() and has_arabic_letters(source):
        raw.append((Check.UNTRANSLATED, Severity.ERROR, "the English is the Arabic source, untranslated"))
    else:
        left = [m.group() for m in _ARABIC_RE.finditer(target) if m.group().strip()]
        if left:
            shown = "، ".join(dict.fromkeys(left[:3]))
            raw.append((Check.ARABIC_LEFT, Severity.ERROR, f"Arabic script left in the English: {shown}"))
        raw += [(Check.NUMBER, sev, msg) for sev, msg in _number_findings(source, target)]
        if glossary is not None:
            raw += [(Check.GLOSSARY, sev, msg) for sev, msg in _glossary_findings(source, target, glossary)]
        if norm_ratio and len(source.strip()) >= MIN_LENGTH_CHECK:
            ratio = len(target.strip()) / len(source.strip())
            if ratio > norm_ratio * LENGTH_FACTOR or ratio < norm_ratio / LENGTH_FACTOR:
                word = "long" if ratio > norm_ratio else "short"
                raw.append((Check.LENGTH, Severity.WARNING,
                            f"English is unusually {word}: {ratio:.2f}× the Arabic length, "
                            f"article norm {norm_ratio:.2f}×"))
        repeated = repetition(target)
        if repeated:
            raw.append((Check.REPEAT, Severity.WARNING, f"repeated words, as in a decoding loop: {repeated[:60]!r}"))
        # A quote or bracket opened in one paragraph and closed in the next is normal in news:
        # only flag the English when the Arabic itself is balanced.
        if brackets_balanced(source) and not brackets_balanced(target):
            raw.append((Check.BRACKETS, Severity.WARNING, "unbalanced brackets in the English"))
        if quotes_balanced(source) and not quotes_balanced(target):
            raw.append((Check.QUOTES, Severity.WARNING, "unbalanced quotes in the English"))
    findings = [Finding(index, kind, sev, msg, pid, line) for kind, sev, msg in raw]
    return sorted(findings, key=lambda f: f.severity is not Severity.ERROR)


def length_norm(pairs: Iterable[tuple[str, str]]) -> float:
    """Median English/Arabic character ratio over pairs long enough to judge (DEFAULT_RATIO if < 3)."""
    ratios = [len(t.strip()) / len(s.strip()) for s, t in pairs
              if len(s.strip()) >= MIN_LENGTH_CHECK and t.strip()]
    return statistics.median(ratios) if len(ratios) >= 3 else DEFAULT_RATIO


def check_article(
    pairs: Sequence[tuple[str, str]],
    *,
    glossary: Glossary | None = None,
    ids: Sequence[str | None] | None = None,
    indexes: Sequence[int] | None = None,
    lines: Sequence[int | None] | None = None,
) -> list[Finding]:
    """QA findings for all (Arabic, English) paragraph pairs of one article, in paragraph order.

    The length check compares each paragraph with the article's own median ratio, so a
    terse or wordy translator style is not flagged everywhere.
    """
    norm = length_norm(pairs)
    findings: list[Finding] = []
    for i, (source, target) in enumerate(pairs):
        findings += check_paragraph(
            source, target, glossary=glossary, norm_ratio=norm,
            index=indexes[i] if indexes else i,
            pid=ids[i] if ids else None,
            line=lines[i] if lines else None,
        )
    return findings


def check_review(
    article: Article,
    state: ReviewState,
    *,
    glossary: Glossary | None = None,
    include_new: bool = False,
) -> list[Finding]:
    """QA findings for an article's saved review state.

    Paragraphs with no English yet (status `new`) are skipped unless `include_new`, in which
    case each is reported as an empty target: unfinished work is not a translation error.
    """
    chosen = []
    for p in article.translatable:
        rec = state.paragraphs.get(p.id)
        if (rec is None or rec.status is Status.NEW or not rec.text.strip()) and not include_new:
            continue
        chosen.append((p, rec.text if rec else ""))
    return check_article(
        [(p.text, text) for p, text in chosen],
        glossary=glossary,
        ids=[p.id for p, _ in chosen],
        indexes=[p.index for p, _ in chosen],
        lines=[p.line for p, _ in chosen],
    )


def summarize(findings: Iterable[Finding]) -> Counter[str]:
    """Counts by severity value ('error', 'warning')."""
    return Counter(f.severity.value for f in findings)
