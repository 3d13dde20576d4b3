"""Provides the glossary matcher: clitic-aware, longest-match, whole-word search of Arabic text.

Text and terms are compared after `translator.text.arabic.normalize`; matches are reported as spans
of the original text through the normaliser's offset map. A term may be preceded, inside the same
written word, by the clitics و ف ب ك ل, the article ال, or combinations (وال، بال، لل، ولل …),
but must end where the word ends: Arabic suffixes (ها، هم …) are not glossary forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from translator.glossary.yaml_file import GlossaryEntry
from translator.text.arabic import normalize_with_map, original_span, words

#: What may stand between two words of one multi-word term (normalised text): spaces and quotes.
_JOINABLE = re.compile(r"""[\s"']*""")

_QUOTES = "\"'“”«»‘’„"

_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ك", "ل")
_ART = ("", "ال")


def _clitics() -> tuple[str, ...]:
    forms = set()
    for c in _CONJ:
        for p in _PREP:
            for a in _ART:
                # ل + ال is written لل (the alef drops).
                forms.add(c + ("لل" if p == "ل" and a else p + a))
    return tuple(sorted(forms, key=len))


#: Every clitic prefix allowed before a term, shortest first ("" included).
CLITICS = _clitics()


@dataclass(frozen=True)
class Match:
    """A glossary term found in a text; offsets index the ORIGINAL text."""

    start: int
    """Start of the term itself (after any clitic prefix)."""
    end: int
    """End of the term (exclusive), including trailing harakat."""
    entry: GlossaryEntry
    """The glossary entry matched."""
    surface: str
    """The term as written in the text (without the clitic prefix)."""
    prefix: str = ""
    """Clitic prefix found before the term, normalised (e.g. 'و', 'بال', 'لل'); '' when none."""
    word_start: int = -1
    """Start of the whole written word, clitic included (== start when there is no prefix)."""

    @property
    def span(self) -> tuple[int, int]:
        """(start, end) of the term without its clitic."""
        return self.start, self.end


class Matcher:
    """Index of normalised source forms; `find()` returns the non-overlapping longest matches."""

    def __init__(self, forms: Mapping[str, GlossaryEntry] | Iterable[tuple[str, GlossaryEntry]]) -> None:
        """Build the index.

        Args:
            forms: match keys (see `text.arabic.match_key`) mapped to their entries.
        """
        items = forms.items() if isinstance(forms, Mapping) else forms
        self._index: dict[str, GlossaryEntry] = {}
        self._first: dict[str, int] = {}  # first word of a key -> most words of any key starting with it
        for key, entry in items:
            if not key:
                continue
            self._index[key] = entry
            parts = key.split(" ")
            self._first[parts[0]] = max(self._first.get(parts[0], 0), len(parts))
        by_letter: dict[str, list[str]] = {}
        for clitic in CLITICS[1:]:
            by_letter.setdefault(clitic[0], []).append(clitic)
        self._clitics_by_letter = by_letter

    def __len__(self) -> int:
        return len(self._index)

    def find(self, text: str) -> list[Match]:
        """All glossary terms in `text`, longest first when they compete, in text order."""
        norm, offsets = normalize_with_map(text)
        toks = words(norm)
        if not toks or not self._index:
            return []
        first, index = self._first, self._index
        joinable = [
            _JOINABLE.fullmatch(norm, toks[k][1], toks[k + 1][0]) is not None for k in range(len(toks) - 1)
        ]
        candidates: list[tuple[int, int, int, int, str, GlossaryEntry]] = []
        for i, (_, _, word) in enumerate(toks):
            for clitic in ("", *self._clitics_by_letter.get(word[0], ())):
                if clitic and (not word.startswith(clitic) or len(word) - len(clitic) < 2):
                    continue
                stem = word[len(clitic):]
                heads = (stem, "ال" + stem) if clitic.endswith("لل") else (stem,)
                for head in heads:
                    most = first.get(head, 0)
                    key = head
                    for n in range(1, most + 1):
                        if n > 1:
                            j = i + n - 1
                            if j >= len(toks) or not joinable[j - 1]:
                                break
                            key = key + " " + toks[j][2]
                        entry = index.get(key)
                        if entry is not None:
                            # rank: more words, longer key, shorter clitic, earlier start
                            candidates.append((-n, -len(key), len(clitic), i, clitic, entry))
        candidates.sort(key=lambda c: c[:4])
        taken = [False] * len(toks)
        chosen: list[Match] = []
        for neg_n, _, _, i, clitic, entry in candidates:
            last = i - neg_n
            if any(taken[i:last]):
                continue
            for k in range(i, last):
                taken[k] = True
            n_start = toks[i][0] + len(clitic)
            start, end = original_span(text, offsets, n_start, toks[last - 1][1])
            if end < len(text) and text[end] in _QUOTES and sum(text[start:end].count(q) for q in _QUOTES) % 2:
                end += 1  # close a quote opened inside the term: عملية “إيريني”
            word_start = offsets[toks[i][0]]
            chosen.append(Match(start, end, entry, text[start:end], clitic, word_start))
        chosen.sort(key=lambda m: m.start)
        return chosen
