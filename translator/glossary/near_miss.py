"""Provides Claims and near_misses: the garbled renderings of lost terms, found in near-linear time.

A model that garbles a name ("Sergei Lavrof", "Haftarr") leaves something close to it. For each
lost term, every run of whole words of about the name's length (one word fewer to two more) is
scored against each English form with rapidfuzz's ratio; the most convincing near miss is taken
first, so a short name cannot take part of a garbled longer one. The scoring runs once per
distinct entry (not once per occurrence and round), inside rapidfuzz, over word runs built once:
the work grows with the text times the number of distinct entries, not with its square.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from collections import deque
from collections.abc import Sequence

#: Least rapidfuzz ratio for a near miss of a name of 6 letters or more (shorter: 80).
MIN_REPAIR_SCORE = 72.0
_OUT_WORD = re.compile(r"[^\W_](?:[\w'-]*[^\W_])?")


class Claims:
    """Spans of the output that terms own: sorted, never overlapping, checked in O(log n)."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def free(self, start: int, end: int) -> bool:
        """True if [start, end) overlaps no claimed span."""
        k = bisect_right(self._starts, start)
        if k and self._ends[k - 1] > start:
            return False
        return k == len(self._starts) or self._starts[k] >= end

    def add(self, start: int, end: int) -> None:
        """Claim [start, end) (which must be free)."""
        k = bisect_right(self._starts, start)
        self._starts.insert(k, start)
        self._ends.insert(k, end)


def near_misses(folded: str, waiting: Sequence[tuple[int, tuple[str, ...]]],
                claims: Claims) -> list[tuple[int, int, int]]:
    """Near misses of lost terms in the folded output; each one found is claimed.

    Args:
        folded: the folded model output.
        waiting: (result index, the entry's folded English forms) for each lost term, most
            important first (that order breaks ties between equal scores).
        claims: spans other terms own; extended with each near miss found.

    Returns:
        (result index, start, end) in `folded` for each term repaired, in the order taken.
    """
    from rapidfuzz import fuzz, process

    words = [(m.start(), m.end()) for m in _OUT_WORD.finditer(folded) if claims.free(m.start(), m.end())]
    runs: dict[int, tuple[list[str], list[tuple[int, int]]]] = {}

    def runs_of(length: int) -> tuple[list[str], list[tuple[int, int]]]:
        if length not in runs:
            spans = [(words[i][0], words[i + length - 1][1]) for i in range(len(words) - length + 1)]
            spans = [(s, e) for s, e in spans if claims.free(s, e)]
            runs[length] = ([folded[s:e] for s, e in spans], spans)
        return runs[length]

    queues: dict[tuple[str, ...], deque[int]] = {}  # an entry's forms -> its waiting results, in order
    for index, forms in waiting:
        queues.setdefault(forms, deque()).append(index)
    rank = {index: r for r, (index, _) in enumerate(waiting)}
    candidates: dict[tuple[str, ...], list[tuple[float, int, int, int, int]]] = {}
    for forms in queues:
        found: list[tuple[float, int, int, int, int]] = []
        for f, needle in enumerate(forms):
            if len(needle) < 3:
                continue
            cutoff = MIN_REPAIR_SCORE if len(needle) >= 6 else 80.0  # short names need a closer match
            n = len(needle.split())
            for length in range(max(1, n - 1), n + 3):
                texts, spans = runs_of(length)
                for _, score, k in process.extract(needle, texts, scorer=fuzz.ratio, score_cutoff=cutoff,
                                                   limit=None):
                    s, e = spans[k]
                    # the higher score, then the shorter span, then the earlier form and place
                    found.append((-score, e - s, f, s, e))
        found.sort()
        candidates[forms] = found
    position = dict.fromkeys(queues, 0)
    heap: list[tuple[float, int, tuple[str, ...]]] = []

    def push(forms: tuple[str, ...]) -> None:
        found, k = candidates[forms], position[forms]
        while k < len(found) and not claims.free(found[k][3], found[k][4]):
            k += 1
        position[forms] = k
        if k < len(found) and queues[forms]:
            heapq.heappush(heap, (found[k][0], rank[queues[forms][0]], forms))

    for forms in queues:
        push(forms)
    taken: list[tuple[int, int, int]] = []
    while heap:
        _, _, forms = heapq.heappop(heap)
        _, _, _, s, e = candidates[forms][position[forms]]
        if claims.free(s, e):
            claims.add(s, e)
            taken.append((queues[forms].popleft(), s, e))
            position[forms] += 1
        push(forms)
    return taken
