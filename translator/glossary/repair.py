"""Provides enforce_terms: verify each glossary term's English in the model output, and repair it.

Each term's English (preferred or an accepted alternative, ignoring case and diacritics) is
looked for in the output; a near miss (a garbled copy) is found with rapidfuzz and replaced by
the preferred form; a term still missing is reported in its TermResult, never hidden.
Institution names get "the" when the output has none, and a name opening the sentence gets a
capital. translator.glossary.enforce calls this after the model; QA-free checks use verify_terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translator.glossary.layers import Glossary, GlossaryEntry, Match
from translator.glossary.near_miss import Claims, near_misses
from translator.glossary.terms import find_form, fold, fold_with_map, original_span

#: Institution head nouns that make an organisation's English name take "the".
_ARTICLE_HEADS = frozenset({
    "accord", "agency", "alliance", "army", "assembly", "bank", "brigade", "brigades", "coalition",
    "committee", "council", "court", "forces", "front", "fund", "government", "league", "ministry",
    "movement", "nations", "office", "organisation", "organization", "parliament", "party", "union",
})


#: Words before a name that already play the article's role.
_DETERMINERS = frozenset({
    "the", "a", "an", "its", "their", "his", "her", "our", "your", "my", "this", "these", "those",
    "whose", "every", "each", "no",
})


@dataclass
class TermResult:
    """What happened to one glossary term of a source sentence."""

    entry: GlossaryEntry
    """The glossary entry."""
    source: str
    """The Arabic as written in the source (without its clitic)."""
    english: str
    """The preferred English."""
    found: bool = False
    """The model's output already had an accepted English form."""
    repaired: bool = False
    """The output had a garbled form that was replaced by the preferred English."""
    rendering: str = ""
    """The English now in the output for this term ('' when missing)."""

    @property
    def enforced(self) -> bool:
        """The final English contains the term (found or repaired)."""
        return self.found or self.repaired

    @property
    def ok(self) -> bool:
        """Alias of `enforced` (what batch reports and QA read)."""
        return self.enforced

    @property
    def missing(self) -> bool:
        """The term is still absent from the final English: a reviewer must look."""
        return not self.enforced


def takes_article(entry: GlossaryEntry) -> bool:
    """True for organisation names headed by a common noun ("the Libyan National Army")."""
    if entry.type != "organisation":
        return False
    words = entry.en.split()
    if not words or words[0].lower() == "the":
        return False
    head = words[0] if len(words) > 2 and words[1].lower() == "of" else words[-1]
    return head.lower() in _ARTICLE_HEADS


def verify_terms(glossary: Glossary, source: str, english: str) -> list[TermResult]:
    """Which glossary terms of `source` have their English in `english` (no changes made)."""
    return enforce_terms(glossary.match(source), english, repair=False)[1]


def enforce_terms(matches: list[Match], output: str, repair: bool = True) -> tuple[str, list[TermResult]]:
    """Check each matched term's English in `output`; with `repair`, fix what can be fixed.

    Args:
        matches: glossary matches of the source sentence.
        output: the model's English.
        repair: replace near misses and case/diacritic variants of the preferred form, add
            "the" before institution names, capitalise a name that opens the sentence.

    Returns:
        (english, one TermResult per match, in source order).
    """
    results = [TermResult(m.entry, m.surface, m.entry.en) for m in matches]
    if not matches:
        return output, results
    folded, offsets = fold_with_map(output)
    claims = Claims()
    spans: dict[int, tuple[int, int]] = {}  # result index -> span in folded text
    # Preferred forms (and alternatives that contain them: "UN Security Council") before other
    # alternatives, longer names first, so neither "Haftar" nor the surname entry's alternative
    # "Khalifa Haftar" can take the words of the full-name entry.
    order = sorted(range(len(results)), key=lambda i: -len(results[i].english))
    alt_order = sorted(range(len(results)), key=lambda i: -max(len(f) for f in results[i].entry.english_forms))

    def preferred(e: GlossaryEntry) -> list[str]:
        wider = [a for a in e.alt if fold(e.en) in fold(a)]
        return sorted(wider, key=len, reverse=True) + [e.en]

    def others(e: GlossaryEntry) -> list[str]:
        return sorted((a for a in e.alt if fold(e.en) not in fold(a)), key=len, reverse=True)

    # Where the next free occurrence of each form may start: an occurrence passed over is
    # claimed or not a whole word, and stays so, so each form's text is scanned once.
    next_start: dict[str, int] = {}

    def free_occurrence(form: str) -> tuple[int, int] | None:
        while (span := find_form(folded, form, (), next_start.get(form, 0))) is not None:
            next_start[form] = span[0] + 1
            if claims.free(*span):
                return span
        next_start[form] = len(folded) + 1
        return None

    for forms_of, pass_order in ((preferred, order), (others, alt_order)):
        for i in pass_order:
            if results[i].found:
                continue
            for form in forms_of(results[i].entry):
                span = free_occurrence(fold(form))
                if span:
                    spans[i] = span
                    claims.add(*span)
                    results[i].found = True
                    break
    if repair:
        waiting = [(i, tuple(fold(f) for f in results[i].entry.english_forms)) for i in order if not results[i].found]
        for i, s, e in near_misses(folded, waiting, claims):
            spans[i] = (s, e)
            results[i].repaired = True
    # Map spans to the original output and decide replacements.
    edits: list[tuple[int, int, str, int]] = []  # start, end, new text, result index
    for i, (s, e) in spans.items():
        o_s, o_e = original_span(offsets, s, e)
        current = output[o_s:o_e]
        new = current
        if repair:
            wanted = results[i].english
            if results[i].repaired or (fold(current) == fold(wanted) and current != wanted):
                new = wanted
        edits.append((o_s, o_e, new, i))
    edits.sort()
    text_parts: list[str] = []
    tail = ""  # the end of what is written so far: all the article and capital rules look at
    written = 0
    pos = 0

    def write(piece: str) -> None:
        nonlocal tail, written
        text_parts.append(piece)
        tail = (tail + piece)[-_TAIL:]
        written += len(piece)

    for o_s, o_e, new, i in edits:
        write(output[pos:o_s])
        if repair:
            before = tail if written <= _TAIL else "\u2026" + tail  # "…": more text came before
            prefix = _article_for(results[i].entry, before)
            if prefix:
                write(prefix)
            if _opens_sentence(before + prefix) and new[:1].islower():
                new = new[0].upper() + new[1:]
        write(new)
        results[i].rendering = new
        pos = o_e
    text_parts.append(output[pos:])
    return "".join(text_parts), results


#: How much of the text before a term the article and capital rules read.
_TAIL = 200


def _opens_sentence(before: str) -> bool:
    return not before.strip(" \t\"'“‘«(")


def _article_for(entry: GlossaryEntry, before: str) -> str:
    """'the ' / 'The ' when an institution name lacks its article, else ''."""
    if not takes_article(entry):
        return ""
    if _opens_sentence(before):
        return "The " if before == "" or before.endswith((" ", '"', "'", "“", "‘", "(")) else ""
    previous = re.findall(r"[\w'’]+", before[-40:])
    if not previous:
        return "the " if before.endswith(" ") else ""
    word = previous[-1].lower()
    if word in _DETERMINERS or word.endswith(("'s", "’s", "s'")) or not before.endswith(" "):
        return ""
    if re.search(r"-\w+ $", before):  # a compound modifier: "the Tripoli-based Government …" is too far back
        return ""
    # A capitalised word right before is part of a longer name ("UN Security Council").
    if (previous[-1][:1].isupper() and before.rstrip()[-1:].isalnum() and word not in {"and", "or"}
            and not _opens_sentence(before[: before.rstrip().rfind(previous[-1])])):
        return ""
    return "the "
