"""Provides visual-order display of Arabic lines for terminals that do no bidi reordering.

Textual (and most terminals under tmux) draws characters left to right in stored (logical)
order, so Arabic reads backwards. `visual_order` applies the parts of the Unicode
Bidirectional Algorithm (UAX #9) that matter for a single line of news text with no explicit
embeddings: weak types (numbers with their separators, percent signs), neutral resolution,
implicit levels, reversal and bracket mirroring. Arabic runs come out reversed; numbers and
Latin runs keep their logical order; combining marks (harakat) stay after their base letter.

Display only: stored text is never changed. Wrap a paragraph into lines first (logical order),
then reorder each line, or the lines come out in the wrong order.
"""

from __future__ import annotations

import unicodedata

_MIRRORS = {
    "(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "<": ">", ">": "<",
    "«": "»", "»": "«", "‹": "›", "›": "‹", "⁅": "⁆", "⁆": "⁅",
}
_NEUTRAL = {"B", "S", "WS", "ON", "BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


def is_rtl_char(ch: str) -> bool:
    """True for a strong right-to-left character (Arabic, Hebrew …)."""
    return unicodedata.bidirectional(ch) in ("R", "AL")


def base_level(text: str, default: int = 1) -> int:
    """Paragraph embedding level from the first strong character: 1 = RTL, 0 = LTR."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return 0
        if kind in ("R", "AL"):
            return 1
    return default


def _clusters(text: str) -> list[tuple[int, int]]:
    """Spans of base characters with the combining marks that follow them."""
    spans: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if spans and i > 0 and (unicodedata.combining(ch) or unicodedata.bidirectional(ch) == "NSM"):
            start, _ = spans[-1]
            spans[-1] = (start, i + 1)
        else:
            spans.append((i, i + 1))
    return spans


def _resolve_types(types: list[str], base: int) -> list[str]:
    """Weak (W1–W7) and neutral (N1–N2) rules over one isolating run (the whole line)."""
    sos = "R" if base else "L"
    n = len(types)
    # W2/W3: European numbers after Arabic letters are Arabic numbers; AL becomes R.
    last_strong = sos
    for i, kind in enumerate(types):
        if kind in ("L", "R", "AL"):
            last_strong = kind
        elif kind == "EN" and last_strong == "AL":
            types[i] = "AN"
    types[:] = ["R" if k == "AL" else k for k in types]
    # W4: one separator between two numbers of the same kind joins them.
    for i in range(1, n - 1):
        before, after = types[i - 1], types[i + 1]
        if types[i] == "ES" and before == after == "EN":
            types[i] = "EN"
        elif types[i] == "CS" and before == after and before in ("EN", "AN"):
            types[i] = before
    # W5: terminators (%, +, currency) next to European numbers belong to them.
    i = 0
    while i < n:
        if types[i] != "ET":
            i += 1
            continue
        j = i
        while j < n and types[j] == "ET":
            j += 1
        if (i > 0 and types[i - 1] == "EN") or (j < n and types[j] == "EN"):
            types[i:j] = ["EN"] * (j - i)
        i = j
    # W6: leftover separators are neutral.
    types[:] = ["ON" if k in ("ES", "ET", "CS") else k for k in types]
    # W7: European numbers in a left-to-right context are L.
    last_strong = sos
    for i, kind in enumerate(types):
        if kind in ("L", "R"):
            last_strong = kind
        elif kind == "EN" and last_strong == "L":
            types[i] = "L"
    # N1/N2: neutrals between two equal strong directions take it, else the base direction.
    i = 0
    while i < n:
        if types[i] not in _NEUTRAL:
            i += 1
            continue
        j = i
        while j < n and types[j] in _NEUTRAL:
            j += 1
        left = _strength(types[i - 1]) if i > 0 else sos
        right = _strength(types[j]) if j < n else sos
        types[i:j] = [left if left == right else sos] * (j - i)
        i = j
    return types


def _strength(kind: str) -> str:
    # Numbers act as R when resolving neutrals (N1).
    return "L" if kind == "L" else "R"


def visual_indices(text: str, base: int | None = None) -> list[int]:
    """Logical index of the character shown at each visual position of one line.

    Args:
        text: one display line, in logical (stored) order; no newlines.
        base: paragraph level, 1 = right-to-left, 0 = left-to-right; None = from the text.

    Returns:
        A permutation of range(len(text)).
    """
    if not text:
        return []
    level0 = base_level(text) if base is None else base
    clusters = _clusters(text)
    types = _resolve_types([unicodedata.bidirectional(text[s]) for s, _ in clusters], level0)
    levels = []
    for kind in types:
        if level0 == 0:
            levels.append(0 if kind == "L" else (1 if kind == "R" else 2))
        else:
            levels.append(1 if kind == "R" else 2)
    # L1: trailing whitespace goes back to the paragraph level.
    k = len(clusters) - 1
    while k >= 0 and text[clusters[k][0]].isspace():
        levels[k] = level0
        k -= 1
    order = list(range(len(clusters)))
    lowest_odd = min((lv for lv in levels if lv % 2), default=None)
    if lowest_odd is not None:
        for level in range(max(levels), lowest_odd - 1, -1):
            i = 0
            while i < len(order):
                if levels[order[i]] < level:
                    i += 1
                    continue
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
    return [pos for c in order for pos in range(*clusters[c])]


def visual_chars(text: str, base: int | None = None) -> list[tuple[int, str]]:
    """(logical index, character to draw) for each visual position of one line, mirrored where RTL."""
    level0 = base_level(text) if base is None else base
    odd = _odd_positions(text, level0)
    return [(i, _MIRRORS.get(text[i], text[i]) if i in odd else text[i]) for i in visual_indices(text, level0)]


def visual_order(text: str, base: int | None = None) -> str:
    """`text` (one line) as it should appear drawn left to right; brackets mirrored in RTL runs.

    Multi-line text is reordered line by line.
    """
    if "\n" in text:
        return "\n".join(visual_order(line, base) for line in text.split("\n"))
    return "".join(ch for _, ch in visual_chars(text, base))


def _odd_positions(text: str, level0: int) -> set[int]:
    """Logical positions of mirrorable characters that resolve to a right-to-left level."""
    if not any(ch in _MIRRORS for ch in text):
        return set()
    clusters = _clusters(text)
    types = _resolve_types([unicodedata.bidirectional(text[s]) for s, _ in clusters], level0)
    odd: set[int] = set()
    for (start, _), kind in zip(clusters, types):
        if text[start] in _MIRRORS and kind == "R":
            odd.add(start)
    return odd
