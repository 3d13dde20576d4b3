"""Provides Arabic-aware sentence splitting, so nothing is downloaded at translate time.

Argos' default splitter (MiniSBD) fetches a model from the internet on first use; this one is
rule based: it breaks after . ! ? ؟ ؛ … (and `..`) when followed by space, keeps closing quotes
and brackets with their sentence, and never breaks inside numbers (3.5, 1.000) or after a known
abbreviation.
"""

from __future__ import annotations

import re

#: Abbreviations that end with a dot but do not end a sentence (Arabic and English).
ABBREVIATIONS = frozenset({
    "د", "أ", "م", "ص", "ه", "ق", "ج", "ت", "إلخ", "الخ", "ب", "ع",
    "Dr", "Mr", "Mrs", "Ms", "Prof", "St", "Gen", "Col", "Lt", "No", "vs", "etc", "U.S", "U.N", "e.g", "i.e",
})
_END = r"(?:\.{2,}|…|[.!?؟؛]+)"
_CLOSERS = "\"'”’»)]}›"
_BREAK = re.compile(rf"{_END}[{re.escape(_CLOSERS)}]*(?=\s+\S)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, without surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BREAK.finditer(text):
        if _is_false_break(text, match.start(), match.group()):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    result = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            result.append((s, e))
    return result


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` (stripped); their concatenation with spaces rebuilds it."""
    return [text[s:e] for s, e in sentence_spans(text)]


def _is_false_break(text: str, pos: int, punct: str) -> bool:
    if not punct.startswith(".") or punct.startswith(".."):
        return False
    before = text[:pos]
    word = re.search(r"(\S+)$", before)
    if not word:
        return False
    token = word.group(1).lstrip("(\"'«“")
    if token in ABBREVIATIONS or token.rstrip(".") in ABBREVIATIONS:
        return True
    # A single Latin capital (initials: "J. Smith").
    return len(token) == 1 and token.isupper()
