"""A chaos engine: a test translation engine that does to protected terms what real models do.

Real models (Argos ar→en, OPUS-MT, the demo model) drop, lowercase, double, glue, split,
re-letter, transliterate, translate, duplicate, reorder and loop the placeholders and English
names that glossary enforcement puts into the source. `ChaosEngine` does each of these on
purpose, deterministically, so property tests can check that enforcement holds whatever the
model does.

How it "translates": every Arabic word of the model input becomes a filler English word from
`FILLER` (chosen by a hash, so the same input gives the same output), every run of Latin words
(a placeholder such as `QX`, or a code-switched English name) is a protected span that gets the
next mutation of its list. Filler words hold none of the placeholder letters Q, X, J, Z, V, so a
test can tell a placeholder remnant from ordinary English: once glossary English is taken out
of the final text, no such letter may be left (`placeholder_letters`).
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

#: What a model does to one protected span (a placeholder or a code-switched English name).
SPAN_MUTATIONS = (
    "keep",        # copied as is
    "drop",        # left out
    "lower",       # "qx", "sergey lavrov"
    "double",      # a letter doubled: "QXX", "QQX", "Lavrrov"
    "glue",        # letters glued on: "QXZ", "JZledged", "AgXZ"
    "split",       # "Q X", "Lav rov"
    "vowel",       # a vowel inserted, first letter re-lettered: "LaX", "PaX", "QaX"
    "cut",         # one letter off or cut short: "LX", "X"
    "arabic",      # transliterated into Arabic script
    "translate",   # the Latin name "translated" into ordinary words
    "duplicate",   # copied twice
)
#: What a model does to a whole sentence.
SENTENCE_MUTATIONS = ("none", "reorder", "loop", "loop_span")

#: Ordinary English with none of the placeholder letters (q, x, j, z, v).
FILLER = (
    "said", "the", "talks", "on", "in", "city", "forces", "met", "and", "after", "with", "new",
    "report", "in the east", "officials", "attack", "border", "minister", "press", "statement",
    "meeting", "for", "of", "a", "second", "time", "people", "north", "south", "troops", "calls",
    "peace", "plan", "region", "that", "was", "were", "told", "it", "its", "to", "from", "at",
)
#: Latin letters to Arabic script, roughly as a model would transliterate.
_TO_ARABIC = dict(zip("abcdefghijklmnopqrstuvwxyz",
                      "ابكدهفغحيجكلمنوبقرستوفوكيز"))
_ARABIC_LETTER_NAMES = {"Q": "كيو", "X": "إكس", "J": "جي", "Z": "زد", "V": "في"}
_LATIN_WORD = r"[A-Za-z\u00c0-\u024f](?:[A-Za-z\u00c0-\u024f'’\-()]|\.(?=[A-Za-z]))*"
_LATIN_RUN = re.compile(rf"{_LATIN_WORD}(?:[ ]+{_LATIN_WORD})*")
_ARABIC_WORD = re.compile(r"[\u0600-\u06ff]+")


def _is_placeholder(span: str) -> bool:
    return span.isupper() and len(span) <= 4 and " " not in span


def placeholder_letters(text: str) -> str:
    """The letters of `text` that only a placeholder (or its remnant) could have brought."""
    return "".join(c for c in text if c.lower() in "qxjzv")


@dataclass
class ChaosEngine:
    """A deterministic engine that mangles protected spans as told.

    Args:
        mutations: one mutation per protected span, in order of appearance over all sentences
            of a call (cycled); "keep" when empty.
        sentence: one sentence mutation per sentence (cycled); "none" when empty.
        seed: chooses letters and positions inside mutations.
    """

    mutations: Sequence[str] = ()
    sentence: Sequence[str] = ()
    seed: int = 0
    label: str = "chaos→en 0"
    is_demo: bool = False
    inputs: list[str] = field(default_factory=list)
    """Every sentence this engine was asked to translate."""
    emitted: list[str] = field(default_factory=list)
    """Every mangled span it wrote (what a remnant would look like)."""

    def translate(self, sentences: Sequence[str]) -> list[str]:
        self.inputs.extend(sentences)
        out = []
        for s in sentences:
            out.append(self._one(s) if s.strip() else "")
        return out

    def _next(self, seq: Sequence[str], default: str, counter: str) -> str:
        n = getattr(self, counter, 0)
        setattr(self, counter, n + 1)
        return seq[(n + self._shift) % len(seq)] if seq else default

    _shift = 0

    def _one(self, sentence: str) -> str:
        rng = random.Random(f"{self.seed}:{sentence}")
        pieces: list[tuple[str, bool]] = []  # (text, is protected span)
        pos = 0
        for m in _LATIN_RUN.finditer(sentence):
            pieces += [(w, False) for w in self._filler(sentence[pos:m.start()])]
            pieces.append((m.group(0), True))
            pos = m.end()
        pieces += [(w, False) for w in self._filler(sentence[pos:])]
        spans = [i for i, (_, protected) in enumerate(pieces) if protected]
        words = []
        for text, protected in pieces:
            if protected:
                text = self._mutate(text, self._next(self.mutations, "keep", "_span_n"), rng)
                if text:
                    self.emitted.append(text)
            if text:
                words.append(text)
        how = self._next(self.sentence, "none", "_sentence_n")
        if how == "reorder" and len(spans) >= 2:
            # the model moves the first protected span to the end
            first = next((w for w in words if any(c.isupper() for c in w)), None)
            if first is not None:
                words.remove(first)
                words.append(first)
        elif how == "loop":
            words = (words * 6)[:60]
        elif how == "loop_span" and spans:
            k = min(len(words) - 1, 1)
            words = words[:k] + [words[k]] * 12 + words[k:]
        text = " ".join(words)
        return text[:1].upper() + text[1:] + "." if text else ""

    def _filler(self, arabic: str) -> list[str]:
        out = []
        for word in _ARABIC_WORD.findall(arabic):
            if word == "و":
                out.append("and")
            elif word == "ب":
                out.append("in")
            elif word == "ل":
                out.append("to")
            else:
                h = int(hashlib.md5(word.encode()).hexdigest(), 16)
                out.append(FILLER[h % len(FILLER)])
        return out

    def _mutate(self, span: str, how: str, rng: random.Random) -> str:
        letters = [i for i, c in enumerate(span) if c.isalpha()]
        if how == "keep":
            return span
        if how == "drop":
            return ""
        if how == "lower":
            return span.lower()
        if how == "double":
            i = rng.choice(letters)
            return span[:i + 1] + span[i] + span[i + 1:]
        if how == "glue":
            kind = rng.randrange(3)
            if not _is_placeholder(span):  # a name: a suffix glued on ("Haftarian")
                return span + rng.choice(("ledged", "ed", "s", "ian"))
            if kind == 0:
                return span + rng.choice("QXZJV")             # QXZ
            if kind == 1:
                return span + rng.choice(("ledged", "ed", "s", "ian"))  # JZledged
            return rng.choice("AEP") + rng.choice("gai") + span[1:] + rng.choice("QXZJV")  # AgXZ
        if how == "split":
            if _is_placeholder(span):
                return " ".join(span)                          # Q X
            i = rng.choice(letters[1:-1] or letters)
            return span[:i] + " " + span[i:]
        if how == "vowel":
            if _is_placeholder(span):
                return rng.choice("LPQ") + rng.choice("aeiou") + span[1:]  # LaX, PaX
            i = rng.choice(letters[1:] or letters)
            return span[:i] + rng.choice("aeiou") + span[i:]
        if how == "cut":
            if _is_placeholder(span):
                return rng.choice(("L" + span[1:], span[-1]))
            return span[: max(1, len(span) - 2)]
        if how == "arabic":
            if _is_placeholder(span):
                return " ".join(_ARABIC_LETTER_NAMES.get(c, "") or _TO_ARABIC.get(c.lower(), "") for c in span)
            return "".join(_TO_ARABIC.get(c.lower(), c if not c.isalpha() else "") for c in span)
        if how == "translate":
            return " ".join(rng.choice(("the", "peace", "national", "people", "north", "city", "forces"))
                            for _ in range(max(1, len(span.split()))))
        if how == "duplicate":
            return f"{span} {span}"
        raise ValueError(f"unknown mutation {how!r}")


@dataclass
class RankingChaosEngine(ChaosEngine):
    """The chaos engine with n-best output (hypothesis k mangles with the mutations shifted by k)
    and a decoding cost (2 × words + 10 per sentence), like translator.engine.ArgosEngine."""

    hypotheses: int = 4
    label: str = "chaos-nbest→en 0"
    costs: list[int] = field(default_factory=list)
    """The cost of each call, in order."""
    avoided: list[Sequence[str]] = field(default_factory=list)
    """What each sentence sent was to avoid (`avoid`), in order (as `inputs`)."""

    def translate(self, sentences: Sequence[str]) -> list[str]:
        return [h[0] for h in self.translate_nbest(sentences, 1)]

    def translate_nbest(self, sentences: Sequence[str], n: int | None = None,
                        avoid: Sequence[Sequence[str]] | None = None) -> list[list[str]]:
        self.costs.append(self.cost(sentences))
        self.avoided.extend(avoid or [()] * len(sentences))
        self.inputs.extend(sentences)
        out: list[list[str]] = [[] for _ in sentences]
        start = (getattr(self, "_span_n", 0), getattr(self, "_sentence_n", 0))
        for k in range(self.hypotheses if n is None else n):
            self._shift = k
            self._span_n, self._sentence_n = start  # every hypothesis mangles the same spans
            for i, s in enumerate(sentences):
                out[i].append(self._one(s) if s.strip() else "")
        self._shift = 0
        return out

    def cost(self, sentences: Sequence[str]) -> int:
        return sum(2 * len(s.split()) + 10 for s in sentences if s.strip())
