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
from dataclasses import dataclass, field
from pathlib import Path

from translator.config import DEFAULT_RETRY_BUDGET, Settings
from translator.glossary.layers import Glossary, Match, load_for_folder
from translator.glossary.repair import TermResult, enforce_terms


@dataclass
class Plan:
    """What `prepare()` did to one sentence, for `finish()`."""

    source: str
    model_input: str
    matches: list[Match] = field(default_factory=list)
    groups: list[_Group] = field(default_factory=list)
    avoid: tuple[str, ...] = ()
    """English renderings the model must not decode for this sentence: the `avoid` lists of the
    entries that matched (passed to CTranslate2 as suppress_sequences)."""


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
    """The `translator.mt.pipeline.Enforcer` for a glossary."""

    def __init__(self, glossary: Glossary, method: str = "placeholder", repair: bool = True,
                 terms: str = "english", retry_budget: float = DEFAULT_RETRY_BUDGET) -> None:
        """Args:
            glossary: the merged glossary.
            method: how names (person, place, organisation; a title before a name goes with it)
                reach the model: "placeholder" (QX, JZ … replaced by the glossary English
                afterwards) or "english" (the English itself in the source).
            repair: fix garbled renderings and missing articles after the model.
            terms: the same for stand-alone entries of type "term": "english" (default: ordinary
                words the model can place in its sentence), "placeholder", or "verify" (left in
                Arabic for the model, only checked afterwards). Measured in docs/glossary.md.
            retry_budget: share of an article's first-pass decoding that clause retries of
                sentences that lost a term may add (Settings.retry_budget; 0: no retry).
        """
        if method not in METHODS:
            raise ValueError(f"unknown enforcement method {method!r} (expected one of {', '.join(METHODS)})")
        if terms not in (*METHODS, "verify"):
            raise ValueError(f"unknown term method {terms!r} (expected english, placeholder or verify)")
        self.glossary = glossary
        self.method = method
        self.repair = repair
        self.terms = terms
        self.retry_budget = retry_budget

    def prepare(self, sentence: str) -> tuple[str, Plan]:
        """Return the model input for `sentence` and the plan `finish()` needs."""
        matches = self.glossary.match(sentence)
        avoid = tuple(dict.fromkeys(form for m in matches for form in m.entry.avoid))
        replaced: list[tuple[list[int], str]] = []  # (match indices, how: "english"|"placeholder")
        for run in _runs(sentence, matches):
            how = self.method if any(matches[i].entry.type != "term" for i in run) else self.terms
            if how != "verify":
                replaced.append((run, how))
        if not replaced:
            return sentence, Plan(sentence, sentence, matches, avoid=avoid)
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
        return model_input, Plan(sentence, model_input, matches, groups, avoid)

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
        edits = [(m.start(), m.end(), _MARK.format(assigned[c]) if c in assigned else "")
                 for c, m in enumerate(candidates)]
        # A lost placeholder may also have come out one letter off ("LX" for QX) or cut to one
        # letter ("X"): such a short capital word takes the lost name.
        taken = set(assigned.values())
        near = [m for m in _NEAR.finditer(output) if m.group(0) not in source_words
                and not any(m.start() < e and s < m.end() for s, e, _ in edits)]

        def near_miss(word: str, token: str) -> bool:
            one_off = len(word) == len(token) and sum(a != b for a, b in zip(word, token)) == 1
            return one_off or (len(word) == 1 and word in token)

        for k, group in lost:
            if k in taken:
                continue
            for m in near:
                word = m.group(0)
                if near_miss(word, group.token):
                    # every copy of it, as every copy of an intact placeholder is restored
                    edits += [(n.start(), n.end(), _MARK.format(k)) for n in near if n.group(0) == word]
                    near = [n for n in near if n.group(0) != word]
                    tolerant.update(group.indices)
                    break
        # What is still that close to one of this sentence's placeholders is a copy of it: removed.
        edits += [(m.start(), m.end(), "") for m in near if any(near_miss(m.group(0), g.token) for g in plan.groups)]
        parts: list[str] = []
        pos = 0
        for start, end, text in sorted(edits):
            parts.append(output[pos:start])
            parts.append(text)
            pos = end
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


#: Short capital words that may be a lost placeholder one letter off ("LX") or cut ("X").
_NEAR = re.compile(r"(?<![A-Za-z])[A-Z]{1,2}(?![A-Za-z])")
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


def enforcer_from_settings(settings: Settings, folder: Path | str | None = None,
                           method: str = "placeholder", terms: str = "english") -> GlossaryEnforcer:
    """The enforcer for the configured glossaries plus the project glossary of `folder`.

    Raises:
        GlossaryError: a glossary file is invalid (every problem listed).
    """
    return GlossaryEnforcer(load_for_folder(settings, folder), method=method, terms=terms,
                            retry_budget=settings.retry_budget)


