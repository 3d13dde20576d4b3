"""Provides the one answer to "is this glossary term's English in this text?".

Enforcement (translator.glossary.repair), QA, evaluation and the benches all ask here, so they
cannot disagree. Text and forms are compared folded: case, diacritics ("Mevlut Cavusoglu" is
"Mevlüt Çavuşoğlu"), apostrophes and quotes (’ ‘ ` ´ are '), dashes (‐ ‑ ‒ – — are -) and
whitespace runs (no-break spaces included) are ignored. A form counts only as whole words. An
entry's English is present when its preferred form or one of its accepted alternatives is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

from translator.glossary.layers import Glossary, GlossaryEntry, Match

#: How a term's English appears: its preferred form, or an accepted alternative.
Rendering = Literal["preferred", "alt"]

_APOSTROPHES = "’‘`´"
_DASHES = "‐‑‒–—"


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """The folded form of English `text`, with the offset in `text` of each folded character."""
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            if i and text[i - 1].isspace():
                continue  # one space stands for the whole run
            ch = " "
        elif ch in _APOSTROPHES:
            ch = "'"
        elif ch in _DASHES:
            ch = "-"
        elif ch == "ı":
            ch = "i"
        for c in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(c):
                continue
            for f in c.casefold():
                out.append(f)
                offsets.append(i)
    return "".join(out), offsets


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """The folded form of English `text` (see the module docstring); glossary forms are folded
    again for every sentence, so results are kept."""
    return fold_with_map(text)[0]


def original_span(offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """The span of the original text that folded span [start, end) came from."""
    o_end = offsets[end - 1] + 1 if end > start else offsets[start]
    return offsets[start], o_end


def find_form(
    folded: str, form: str, claimed: Sequence[tuple[int, int]] = (), start: int = 0
) -> tuple[int, int] | None:
    """First whole-word occurrence of the folded `form` in `folded`, from `start` on, outside `claimed`."""
    if not form.strip():
        return None
    pos = start
    while (k := folded.find(form, pos)) >= 0:
        end = k + len(form)
        before_ok = k == 0 or not folded[k - 1].isalnum()
        after_ok = end == len(folded) or not folded[end].isalnum() or folded[end - 1:end] == "."
        if before_ok and after_ok and not any(k < e and s < end for s, e in claimed):
            return k, end
        pos = k + 1
    return None


def contains_term(text: str, term: str) -> bool:
    """True if English `term` occurs in `text` as whole words (folded, see the module docstring)."""
    return find_form(fold(text), fold(term).strip()) is not None


def term_rendering(text: str, entry: GlossaryEntry) -> Rendering | None:
    """'preferred' if the entry's English is in `text`, 'alt' if an accepted alternative is, else None."""
    folded = fold(text)
    if find_form(folded, fold(entry.en).strip()):
        return "preferred"
    if any(find_form(folded, fold(alt).strip()) for alt in entry.alt):
        return "alt"
    return None


def avoided_rendering(text: str, entry: GlossaryEntry) -> str | None:
    """The first of the entry's `avoid` renderings that occurs in `text` (whole words, folded), else None."""
    folded = fold(text)
    return next((form for form in entry.avoid if find_form(folded, fold(form).strip())), None)


def distinct_terms(source: str, glossary: Glossary) -> list[Match]:
    """The first match of each distinct glossary entry found in the Arabic `source`."""
    seen: set[int] = set()
    found: list[Match] = []
    for match in glossary.match(source):
        if id(match.entry) not in seen:
            seen.add(id(match.entry))
            found.append(match)
    return found
