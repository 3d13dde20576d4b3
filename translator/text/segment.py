"""Provides Arabic-aware sentence splitting, so nothing is downloaded at translate time.

Argos' default splitter (MiniSBD) fetches a model from the internet on first use; this one is
rule based: it breaks after . ! ? ؟ ؛ … (and `..`) when followed by space, keeps closing quotes
and brackets with their sentence, and never breaks inside numbers (3.5, 1.000), after a known
abbreviation or initial, or after a list number at the start. A full stop or ؟/! glued to the
next Arabic word (a frequent typo in news copy: "انتهى.وبدأ") is a break too. The Arabic
semicolon ؛ often joins two halves of one sentence, so it breaks only between clauses of at
least MIN_CLAUSE_WORDS words (the right one counted up to the next comma): no fragment like
"أولا؛" or an apposition like "؛ حليف موسكو،" is sent to the model alone.

Sentences are spans of the original text (nothing is normalised), so callers can map them back.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: Abbreviations that end with a dot but do not end a sentence (Arabic and English).
ABBREVIATIONS = frozenset({
    "د", "أ", "م", "ص", "ه", "ق", "ج", "ت", "إلخ", "الخ", "ب", "ع", "س", "ك", "ط",
    "Dr", "Mr", "Mrs", "Ms", "Prof", "St", "Gen", "Col", "Lt", "Sgt", "Capt", "Maj", "Adm", "Gov", "Sen", "Rep",
    "No", "vs", "etc", "U.S", "U.N", "U.K", "E.U", "e.g", "i.e", "a.m", "p.m", "Jr", "Sr", "Inc", "Ltd", "Co",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
})
#: Words needed on each side of a ؛ (or ;) for it to end a sentence.
MIN_CLAUSE_WORDS = 3

_END = r"(?:\.{2,}|…+|[.!?؟؛;]+)"
_CLOSERS = "\"'”’»)]}›"
_ARABIC_LETTER = "\u0621-\u064a\u0671-\u06d3"
_BREAK = re.compile(
    rf"(?P<punct>{_END})[{re.escape(_CLOSERS)}]*"
    rf"(?:(?=\s+\S)|(?P<glued>(?<=[.!؟])(?=[{_ARABIC_LETTER}])))"
)
_OPENERS = "(\"'«“‘[{‹"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, without surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BREAK.finditer(text):
        if _is_false_break(text, start, match):
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


def _is_false_break(text: str, start: int, match: re.Match[str]) -> bool:
    punct = match.group("punct")
    pos = match.start()
    word = re.search(r"(\S+)$", text[start:pos])
    token = word.group(1).lstrip(_OPENERS) if word else ""
    if match.group("glued") is not None:
        # "انتهى.وبدأ" breaks; "د.محمد", "3.ب" and one-letter tokens do not.
        letters = token.rstrip(".")
        return len(letters) < 2 or letters in ABBREVIATIONS or not letters[-1].isalpha()
    if punct in ("؛", ";"):
        words_before = len(text[start:pos].split())
        # counted to the next comma too: "الليبي؛ حليف موسكو، يثير" is one sentence
        words_after = len(re.split(r"[.!?؟؛;…،,]", text[match.end():], maxsplit=1)[0].split())
        return words_before < MIN_CLAUSE_WORDS or words_after < MIN_CLAUSE_WORDS
    if punct != ".":
        return False
    if not token:
        return False
    if token in ABBREVIATIONS or token.rstrip(".") in ABBREVIATIONS:
        return True
    # Initials ("J. Smith") and dotted acronyms ("U.S.A.").
    if (len(token) == 1 and token.isupper()) or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", token):
        return True
    # A list number at the start or after a colon: "النقاط: 1. وقف إطلاق النار".
    if token.isdigit() and len(token) <= 2:
        before = text[start:pos].rstrip()[: -len(token)].rstrip()
        return not before or before[-1] in ":：،,-–—"
    return False


_CLAUSE_END = re.compile(r"[،,؛;:]+(?=\s)|\s[-–—]+(?=\s)")


def split_clauses(text: str) -> list[str]:
    """The clauses of one sentence, cut after clause marks (، , ؛ ; : or a dash)."""
    cuts = [m.end() for m in _CLAUSE_END.finditer(text)]
    clauses = [text[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(text)])]
    return [c for c in clauses if c]


def split_long(text: str, max_len: int, length: Callable[[str], int]) -> list[str]:
    """Cut a sentence longer than `max_len` into consecutive chunks of at most `max_len`.

    Models trained on sentences translate a run-on sentence badly, and CTranslate2 silently
    truncates inputs over 1024 tokens, losing the rest. Chunks end after a clause mark
    (، , ؛ ; : or a dash) where possible, packing as many clauses as fit; a clause that is
    still too long is cut between words. The chunks, joined with single spaces, give back the
    text (modulo whitespace).

    Args:
        text: one sentence.
        max_len: the longest chunk allowed, in `length` units (model tokens).
        length: measures a piece of text, e.g. the SentencePiece token count.
    """
    if length(text) <= max_len:
        return [text]
    cuts = [m.end() for m in _CLAUSE_END.finditer(text)]
    clauses = [text[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(text)])]
    chunks: list[str] = []
    for clause in (c for c in clauses if c):
        if chunks and length(joined := f"{chunks[-1]} {clause}") <= max_len:
            chunks[-1] = joined
        elif length(clause) <= max_len:
            chunks.append(clause)
        else:
            chunks.extend(_split_words(clause, max_len, length))
    return chunks


def _split_words(text: str, max_len: int, length: Callable[[str], int]) -> list[str]:
    chunks: list[str] = []
    for word in text.split():
        if chunks and length(joined := f"{chunks[-1]} {word}") <= max_len:
            chunks[-1] = joined
        else:
            chunks.append(word)  # a single over-long "word" is kept whole
    return chunks


def join_chunks(parts: list[list[str]]) -> list[str]:
    """The hypotheses of a sentence translated in split_long's chunks (each chunk's, best first):
    hypothesis k is hypothesis k of each chunk (or the chunk's last one), joined with spaces."""
    count = max(len(p) for p in parts)
    return [" ".join(h for p in parts if (h := p[min(k, len(p) - 1)])) for k in range(count)]
