"""Provides Arabic normalisation for matching (never for storage), with an offset map back.

Glossary matching, translation-memory keys and QA compare text after `normalize()`; highlights
use `normalize_with_map()` so a span found in the normalised text lands on the right characters
of the untouched original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Characters that vanish: harakat (fathatan..sukun), dagger alef, tatweel, bidi/format marks.
DROPPED = frozenset(
    [chr(c) for c in range(0x064B, 0x0653)]
    + ["\u0670", "\u0640"]
    + ["\u200e", "\u200f", "\u061c", "\u200c", "\u200d", "\ufeff"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)

_SINGLE: dict[str, str] = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ة": "ه",
    "ى": "ي",
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
}
for _i in range(10):
    _SINGLE[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _SINGLE[chr(0x06F0 + _i)] = str(_i)  # Extended (Persian/Urdu) digits


def _is_presentation_form(ch: str) -> bool:
    # Legacy Arabic presentation forms (e.g. the lam-alef ligature) become plain letters.
    return "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff"


def _fold(ch: str) -> str:
    """The normalised form of one non-space character ('' when it is dropped)."""
    if ch in DROPPED:
        return ""
    if ch in _SINGLE:
        return _SINGLE[ch]
    if _is_presentation_form(ch):
        return "".join(_fold(c) for c in unicodedata.normalize("NFKC", ch))
    return ch


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalise `text` for matching and map each output character to its source index.

    Folds alef forms (أ إ آ ٱ → ا), ta marbuta (ة → ه), alef maqsura (ى → ي), Arabic-Indic and
    Persian digits (→ 0-9) and curly quotes; drops harakat, dagger alef, tatweel and bidi marks;
    collapses each whitespace run into one space and trims both ends.

    Args:
        text: the original text (left untouched).

    Returns:
        (normalised, offsets) where `offsets[i]` is the index in `text` of the character that
        produced `normalised[i]`; offsets are non-decreasing.
    """
    out: list[str] = []
    offsets: list[int] = []
    pending_space = -1  # index of the first whitespace char of a run not yet emitted
    for i, ch in enumerate(text):
        if ch.isspace():
            if pending_space < 0:
                pending_space = i
            continue
        folded = _fold(ch)
        if not folded:
            continue
        if pending_space >= 0:
            if out:
                out.append(" ")
                offsets.append(pending_space)
            pending_space = -1
        for c in folded:
            out.append(c)
            offsets.append(i)
    return "".join(out), offsets


def normalize(text: str) -> str:
    """Matching-only normalisation of `text` (see `normalize_with_map`)."""
    return normalize_with_map(text)[0]


def original_span(text: str, offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """Map the normalised span [start, end) back to a span of the original `text`.

    The end is extended over characters normalisation dropped right after the span (a final
    haraka or tatweel), so a highlight covers the whole written word.
    """
    if start >= end:
        pos = offsets[start] if start < len(offsets) else len(text)
        return pos, pos
    o_start = offsets[start]
    o_end = offsets[end - 1] + 1
    while o_end < len(text) and text[o_end] in DROPPED:
        o_end += 1
    return o_start, o_end


def is_arabic_letter(ch: str) -> bool:
    """True for a letter of the Arabic script (not punctuation, digits or marks)."""
    return ("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\u08a0" <= ch <= "\u08ff"
            or _is_presentation_form(ch)) and ch.isalpha()


def has_arabic(text: str) -> bool:
    """True when `text` contains at least one Arabic letter."""
    return any(is_arabic_letter(c) for c in text)


#: Invisible direction and joiner marks: meaningless to a model, harmful in its output.
CONTROL_MARKS = frozenset(c for c in DROPPED if not ("\u064b" <= c <= "\u0670" or c == "\u0640"))
_CONTROL_TABLE = {ord(c): None for c in CONTROL_MARKS}


def strip_controls(text: str) -> str:
    """`text` without bidi/format marks (RLM, LRM, embeddings, isolates, ZWJ/ZWNJ, BOM)."""
    return text.translate(_CONTROL_TABLE)


_WORD = re.compile(r"[^\W_]+")


def words(normalised: str) -> list[tuple[int, int, str]]:
    """(start, end, word) for each word of already-normalised text."""
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(normalised)]


@lru_cache(maxsize=1 << 18)  # called for every form of every entry, several times per load
def match_key(text: str) -> str:
    """The key a source form is matched by: normalised words joined by one space.

    Punctuation such as quotes is not part of the key, so `عملية “إيريني”` and `عملية إيريني`
    are the same term (the matcher lets quotes sit between words).
    """
    return " ".join(w for _, _, w in words(normalize(text)))
