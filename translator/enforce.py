"""Provides glossary enforcement around the model: source code-switching, then verify and repair.

Method (measurements in docs/glossary.md, bench/term_accuracy.py):

1. `prepare()` finds glossary terms in the Arabic sentence and replaces each name in the source
   (code-switching, Song et al. 2019). Default ("placeholder"): by a rare letter pair the model
   copies like an acronym (QX, JZ …; a title and the name after it share one); method "english":
   by the preferred English itself. Stand-alone ordinary terms (type "term") go in as their
   English by default: ordinary words the model can fit into its sentence. A leading
   conjunction or preposition clitic stays as its own word ("وسيرغي لافروف" → "و QX" or
   "و Sergey Lavrov"; "وبطرابلس" → "و ب QX"); the article ال is dropped.
2. `finish()` puts the glossary English in place of each placeholder (also when the model
   doubled a letter, "QXX"), then checks that every term's English (preferred or an accepted
   alternative, ignoring case and diacritics) is in the output. A near miss (a garbled copy) is
   found with rapidfuzz and replaced by the preferred form; a term still missing is reported,
   never hidden. Names of institutions get "the" when the output has none, and a name opening
   the sentence gets a capital ("Al-Sarraj").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from translator.glossary import Glossary, GlossaryEntry, Match, load_for_folder

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
_MIN_REPAIR_SCORE = 72.0


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


@dataclass
class Plan:
    """What `prepare()` did to one sentence, for `finish()`."""

    source: str
    model_input: str
    matches: list[Match] = field(default_factory=list)
    groups: list[_Group] = field(default_factory=list)


def takes_article(entry: GlossaryEntry) -> bool:
    """True for organisation names headed by a common noun ("the Libyan National Army")."""
    if entry.type != "organisation":
        return False
    words = entry.en.split()
    if not words or words[0].lower() == "the":
        return False
    head = words[0] if len(words) > 2 and words[1].lower() == "of" else words[-1]
    return head.lower() in _ARTICLE_HEADS


def code_switch(text: str, matches: list[Match]) -> str:
    """Replace each matched term of `text` by its preferred English, keeping clitics as words."""
    parts: list[str] = []
    pos = 0
    for m in matches:
        parts.append(text[pos:m.word_start])
        clitic = _kept_clitic(m.prefix)
        parts.append(f"{clitic} {m.entry.en}" if clitic else m.entry.en)
        pos = m.end
    parts.append(text[pos:])
    return "".join(parts)


def _kept_clitic(prefix: str) -> str:
    """The clitic letters to keep before the English, one word each ("وب" → "و ب").

    The article has no counterpart to copy and is dropped (لل is ل + ال); conjunctions and
    prepositions ("and", "in", "to") stay for the model to translate.
    """
    if prefix.endswith("لل"):
        prefix = prefix[:-2] + "ل"
    elif prefix.endswith("ال"):
        prefix = prefix[:-2]
    return " ".join(prefix)


#: Placeholder tokens: rare letter pairs a model copies like an acronym and that never occur in
#: the output by chance. Letters may come out doubled ("QXX"), which is still recognised.
#: Neighbours share no letter: given "QX و QZ" the demo model dropped the second (96.5 % → 99.0 %).
PLACEHOLDERS = ("QX", "JZ", "VQ", "XJ", "ZV", "QJ", "XZ", "JV", "ZQ", "VX",
                "QZ", "JX", "VZ", "XQ", "ZJ", "QV", "XV", "JQ", "ZX", "VJ")
#: Enforcement methods: the term's English in the source, or a placeholder restored afterwards.
METHODS = ("english", "placeholder")


@dataclass
class _Group:
    """Matches that travel as one placeholder (a title and the name right after it)."""

    token: str
    indices: list[int]
    english: str


class GlossaryEnforcer:
    """The `translator.pipeline.Enforcer` for a glossary."""

    def __init__(self, glossary: Glossary, method: str = "placeholder", repair: bool = True,
                 terms: str = "english") -> None:
        """Args:
            glossary: the merged glossary.
            method: how names (person, place, organisation; a title before a name goes with it)
                reach the model: "placeholder" (QX, JZ … replaced by the glossary English
                afterwards) or "english" (the English itself in the source).
            repair: fix garbled renderings and missing articles after the model.
            terms: the same for stand-alone entries of type "term": "english" (default: ordinary
                words the model can place in its sentence), "placeholder", or "verify" (left in
                Arabic for the model, only checked afterwards). Measured in docs/glossary.md.
        """
        if method not in METHODS:
            raise ValueError(f"unknown enforcement method {method!r} (expected one of {', '.join(METHODS)})")
        if terms not in (*METHODS, "verify"):
            raise ValueError(f"unknown term method {terms!r} (expected english, placeholder or verify)")
        self.glossary = glossary
        self.method = method
        self.repair = repair
        self.terms = terms

    @property
    def fingerprint(self) -> str:
        """The glossary's content hash (reports, caches)."""
        return self.glossary.fingerprint

    def prepare(self, sentence: str) -> tuple[str, Plan]:
        """Return the model input for `sentence` and the plan `finish()` needs."""
        matches = self.glossary.match(sentence)
        replaced: list[tuple[list[int], str]] = []  # (match indices, how: "english"|"placeholder")
        for run in _runs(sentence, matches):
            how = self.method if any(matches[i].entry.type != "term" for i in run) else self.terms
            if how != "verify":
                replaced.append((run, how))
        if not replaced:
            return sentence, Plan(sentence, sentence, matches)
        free = iter(t for t in PLACEHOLDERS if t.lower() not in sentence.lower())
        groups: list[_Group] = []
        parts: list[str] = []
        pos = 0
        for run, how in replaced:
            english = " ".join(matches[i].entry.en for i in run)
            text = english
            if how == "placeholder":
                token = next(free, None)  # 20 tokens: more placeholders than any real sentence needs
                if token is not None:
                    groups.append(_Group(token, run, english))
                    text = token
            first, last = matches[run[0]], matches[run[-1]]
            parts.append(sentence[pos:first.word_start])
            clitic = _kept_clitic(first.prefix)
            parts.append(f"{clitic} {text}" if clitic else text)
            pos = last.end
        parts.append(sentence[pos:])
        model_input = "".join(parts)
        return model_input, Plan(sentence, model_input, matches, groups)

    def finish(self, plan: Plan, output: str) -> tuple[str, list[TermResult]]:
        """Verify (and repair) the terms of `plan` in the model's `output`.

        Placeholders come back as the glossary English: copied as is, case or letters doubled
        ("qx", "QXX"), letters glued on ("QXZ", "JZledged"). Whatever else is left that only a
        placeholder could have left (`_REMNANT`: "LaX", "AgXZ", "Q X" ...) goes to a lost
        placeholder with letters in common, in order, or is removed: no placeholder remnant
        ever reaches the translator, whatever the model did.
        """
        if not plan.groups:
            return enforce_terms(plan.matches, output, repair=self.repair)
        tolerant: set[int] = set()
        lost: list[tuple[int, _Group]] = []
        # Restored names wait behind private-use marks, so no later pattern looks inside them.
        for k, group in enumerate(plan.groups):
            mark = _MARK.format(k)
            exact = re.compile(rf"(?<![A-Za-z]){group.token}(?![A-Za-z])")
            loose = re.compile(rf"(?<![A-Za-z]){group.token[0]}+{group.token[1]}+(?![A-Za-z])", re.IGNORECASE)
            glued = re.compile(rf"(?<![A-Za-z])[A-Z]?{group.token}[A-Za-z]*")
            count = 0
            for pattern in (exact, loose, glued):
                output, count = pattern.subn(mark, output)
                if count:
                    break
            if pattern is not exact and count:
                tolerant.update(group.indices)
            if not count:
                lost.append((k, group))
        letters = {c for g in plan.groups for c in g.token}
        source_words = set(re.findall(r"[A-Za-z]+", plan.source))

        def remnant(m: re.Match[str]) -> bool:
            word = m.group(0)
            return word not in source_words and bool(letters & set(word.upper()))

        candidates = [m for m in _REMNANT.finditer(output) if remnant(m)]
        assigned: dict[int, int] = {}  # candidate index -> group index
        for k, group in lost:
            shared = [(len(set(group.token) & set(m.group(0).upper())), -c)
                      for c, m in enumerate(candidates) if c not in assigned]
            best = max(shared, default=(0, 0))
            if best[0]:
                assigned[-best[1]] = k
                tolerant.update(group.indices)
        parts: list[str] = []
        pos = 0
        for c, m in enumerate(candidates):
            parts.append(output[pos:m.start()])
            parts.append(_MARK.format(assigned[c]) if c in assigned else "")
            pos = m.end()
        parts.append(output[pos:])
        output = re.sub(r"[ \t]{2,}", " ", "".join(parts))
        output = re.sub(r"^\s+|\s+$|\s+(?=[.,;:!?])", "", output)
        for k, group in enumerate(plan.groups):
            output = output.replace(_MARK.format(k), group.english)
        text, results = enforce_terms(plan.matches, output, repair=self.repair)
        for i in tolerant:
            if results[i].found:
                results[i].found, results[i].repaired = False, True
        return text, results


#: Where a restored name waits while remnants are looked for (private-use characters).
_MARK = "\ue000{}\ue001"
#: What only a mangled placeholder leaves (checked further against the plan's letters and the
#: source): letters of placeholders only ("QXZ", "qx", "Qxx"); two or more placeholder capitals
#: ("AQXZ", "PXZs"); a placeholder capital after a small letter ("LaX", "PaX", "AgXZ"); single
#: placeholder capitals split apart ("Q X", "Q-X").
_REMNANT = re.compile(
    r"(?<![A-Za-z])(?:"
    r"[QXJZVqxjzv]{2,6}(?![A-Za-z])"
    r"|(?=(?:[A-Z]*[QXJZV]){2})[A-Z]{2,6}[a-z]*"
    r"|[A-Za-z]*[a-z][QXJZV][A-Za-z]*"
    r"|[QXJZV](?:[ .\-]+[QXJZV])+(?![A-Za-z])"
    r")"
)


def _runs(sentence: str, matches: list[Match]) -> list[list[int]]:
    """Match indices that travel together: a title right before a person's name, else one each."""
    runs: list[list[int]] = []
    for i, m in enumerate(matches):
        previous = matches[i - 1] if i else None
        # "المشير خليفة حفتر" → one unit; other neighbours stay apart (subject and object:
        # "قصف الجيش الليبي مصراتة").
        if (runs and previous is not None and previous.entry.type == "term" and m.entry.type == "person"
                and not m.prefix and not sentence[previous.end:m.word_start].strip()):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def enforcer_from_settings(settings: object, folder: Path | str | None = None,
                           method: str = "placeholder", terms: str = "english") -> GlossaryEnforcer:
    """The enforcer for the configured glossaries plus the project glossary of `folder`.

    Raises:
        GlossaryError: a glossary file is invalid (every problem listed).
    """
    return GlossaryEnforcer(load_for_folder(settings, folder), method=method, terms=terms)


def verify_terms(glossary: Glossary, source: str, english: str) -> list[TermResult]:
    """Which glossary terms of `source` have their English in `english` (no changes made)."""
    return enforce_terms(glossary.match(source), english, repair=False)[1]


# --- output side -------------------------------------------------------------------------------

def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Case- and diacritic-insensitive form of English text, with offsets back into `text`."""
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch in "’‘`´":
            ch = "'"
        elif ch in "‐‑‒–—":
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


def _fold(text: str) -> str:
    return fold_with_map(text)[0]


def _is_word_char(c: str) -> bool:
    return c.isalnum()


def _find_form(folded: str, form: str, claimed: list[tuple[int, int]]) -> tuple[int, int] | None:
    """First whole-word occurrence of folded `form` in `folded` outside claimed spans."""
    if not form:
        return None
    pos = 0
    while (k := folded.find(form, pos)) >= 0:
        end = k + len(form)
        before_ok = k == 0 or not _is_word_char(folded[k - 1])
        after_ok = end == len(folded) or not _is_word_char(folded[end]) or folded[end - 1:end] == "."
        if before_ok and after_ok and not any(k < e and s < end for s, e in claimed):
            return k, end
        pos = k + 1
    return None


def _orig(offsets: list[int], start: int, end: int) -> tuple[int, int]:
    o_end = offsets[end - 1] + 1 if end > start else offsets[start]
    return offsets[start], o_end


_OUT_WORD = re.compile(r"[^\W_](?:[\w'-]*[^\W_])?")


def _fuzzy(folded: str, entry: GlossaryEntry, claimed: list[tuple[int, int]]) -> tuple[float, int, int] | None:
    """(score, start, end) in folded text of a garbled rendering of the entry's English, if convincing.

    Scores every run of whole words of about the name's length (one word fewer to two more)
    against each English form with rapidfuzz's ratio, outside spans other terms own.
    """
    from rapidfuzz import fuzz

    words = [(m.start(), m.end()) for m in _OUT_WORD.finditer(folded)
             if not any(m.start() < e and s < m.end() for s, e in claimed)]
    best: tuple[float, int, int] | None = None
    for form in entry.english_forms:
        needle = _fold(form)
        if len(needle) < 3:
            continue
        cutoff = _MIN_REPAIR_SCORE if len(needle) >= 6 else 80.0  # short names need a closer match
        n = len(needle.split())
        for i in range(len(words)):
            for length in range(max(1, n - 1), n + 3):
                j = i + length - 1
                if j >= len(words):
                    break
                s, e = words[i][0], words[j][1]
                if any(s < ce and cs < e for cs, ce in claimed):
                    break
                score = fuzz.ratio(needle, folded[s:e], score_cutoff=cutoff)
                # prefer the higher score, then the shorter span
                if score and (best is None or score > best[0] or (score == best[0] and e - s < best[2] - best[1])):
                    best = (score, s, e)
    return best


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
    claimed: list[tuple[int, int]] = []
    spans: dict[int, tuple[int, int]] = {}  # result index -> span in folded text
    # Preferred forms (and alternatives that contain them: "UN Security Council") before other
    # alternatives, longer names first, so neither "Haftar" nor the surname entry's alternative
    # "Khalifa Haftar" can take the words of the full-name entry.
    order = sorted(range(len(results)), key=lambda i: -len(results[i].english))
    alt_order = sorted(range(len(results)), key=lambda i: -max(len(f) for f in results[i].entry.english_forms))

    def preferred(e: GlossaryEntry) -> list[str]:
        wider = [a for a in e.alt if _fold(e.en) in _fold(a)]
        return sorted(wider, key=len, reverse=True) + [e.en]

    def others(e: GlossaryEntry) -> list[str]:
        return sorted((a for a in e.alt if _fold(e.en) not in _fold(a)), key=len, reverse=True)

    for forms_of, pass_order in ((preferred, order), (others, alt_order)):
        for i in pass_order:
            if results[i].found:
                continue
            for form in forms_of(results[i].entry):
                span = _find_form(folded, _fold(form), claimed)
                if span:
                    spans[i] = span
                    claimed.append(span)
                    results[i].found = True
                    break
    if repair:
        # The most convincing repair first, so a short name cannot take part of a garbled longer one.
        waiting = [i for i in order if not results[i].found]
        while waiting:
            scored = [(best, i) for i in waiting if (best := _fuzzy(folded, results[i].entry, claimed))]
            if not scored:
                break
            (_, s, e), i = max(scored, key=lambda item: item[0][0])
            spans[i] = (s, e)
            claimed.append((s, e))
            results[i].repaired = True
            waiting.remove(i)
    # Map spans to the original output and decide replacements.
    edits: list[tuple[int, int, str, int]] = []  # start, end, new text, result index
    for i, (s, e) in spans.items():
        o_s, o_e = _orig(offsets, s, e)
        current = output[o_s:o_e]
        new = current
        if repair:
            wanted = results[i].english
            if results[i].repaired or (_fold(current) == _fold(wanted) and current != wanted):
                new = wanted
        edits.append((o_s, o_e, new, i))
    edits.sort()
    text_parts: list[str] = []
    pos = 0
    for o_s, o_e, new, i in edits:
        text_parts.append(output[pos:o_s])
        if repair:
            prefix = _article_for(results[i].entry, "".join(text_parts))
            if prefix:
                text_parts.append(prefix)
            if _opens_sentence("".join(text_parts)) and new[:1].islower():
                new = new[0].upper() + new[1:]
        text_parts.append(new)
        results[i].rendering = new
        pos = o_e
    text_parts.append(output[pos:])
    return "".join(text_parts), results


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
