"""Provides number and script helpers for QA: numbers written in Arabic or English text, by value.

Arabic-Indic digits, Arabic decimal and thousands separators, scale words (مليون, million),
percent forms and spelled-out numbers (ثلاثة, three, السابع, the 1830s) are read so that the
same quantity matches across the two languages. Used only for comparison, never to change text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from translator.text.arabic import normalize

_ARABIC_LETTER_RE = re.compile(r"[\u0620-\u064a\u0671-\u06d3\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff]")
#: Arabic-Indic and Eastern (Persian) digits to Latin; Arabic decimal/thousands separators and
#: percent sign to their Latin forms. Used only for comparison, never to change stored text.
_DIGITS = str.maketrans({
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
    "\u066b": ".",  # ٫ Arabic decimal separator
    "\u066c": ",",  # ٬ Arabic thousands separator
    "\u066a": "%",  # ٪ Arabic percent sign
})


def has_arabic_letters(text: str) -> bool:
    """True if `text` contains at least one Arabic letter."""
    return bool(_ARABIC_LETTER_RE.search(text))


def latin_digits(text: str) -> str:
    """`text` with Arabic-Indic digits and separators replaced by Latin ones (same length)."""
    return text.translate(_DIGITS)


# ---------------------------------------------------------------- numbers

# Digits glued to letters still count ("عام2020م", "G20"); only digits and separators bound a number.
_NUMBER_RE = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)*)(?!\d)")
#: The Arabic comma also groups thousands in Arabic text ("783،562"); a list comma is followed by a space.
_ARABIC_COMMA_GROUP = re.compile(r"(?<=\d)\u060c(?=\d{3}(?!\d))")
_PERCENT_AFTER_AR = re.compile(r"^\s*(?:%|بالمائة|بالمئة|في المائة|في المئة|بالمية)")
_PERCENT_BEFORE = re.compile(r"%\s*$")
_PERCENT_AFTER_EN = re.compile(r"^\s*(?:%|per ?cent\b|pct\b)", re.IGNORECASE)
_SCALE_EN = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
_SCALE_AR = {"ألف": 1_000, "آلاف": 1_000, "الف": 1_000, "مليون": 1_000_000, "ملايين": 1_000_000,
             "مليار": 1_000_000_000, "مليارات": 1_000_000_000, "بليون": 1_000_000_000,
             "تريليون": 1_000_000_000_000}
_SCALE_AFTER_EN = re.compile(r"^\s*(" + "|".join(_SCALE_EN) + r")s?\b", re.IGNORECASE)
_SCALE_AFTER_AR = re.compile(r"^\s*(" + "|".join(sorted(_SCALE_AR, key=len, reverse=True)) + r")")

#: Number words: a number spelled out on one side may be digits on the other. Spelled numbers
#: are "optional": they can satisfy the other side but are never reported missing themselves.
_WORDS_EN = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000, "dozen": 12, "half": 0.5,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "tenth": 10,
    "once": 1, "twice": 2, "double": 2, "both": 2, "pair": 2,
}
_WORDS_AR: dict[str, float | tuple[float, ...]] = {
    "واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "اثنتين": 2, "اثنتان": 2, "ثلاث": 3, "ثلاثة": 3,
    "أربع": 4, "أربعة": 4, "خمس": 5, "خمسة": 5, "ست": 6, "ستة": 6, "سبع": 7, "سبعة": 7, "ثماني": 8,
    "ثمانية": 8, "ثمان": 8, "تسع": 9, "تسعة": 9, "عشر": 10, "عشرة": 10, "عشرين": 20, "عشرون": 20,
    "ثلاثين": 30, "ثلاثون": 30, "أربعين": 40, "أربعون": 40, "خمسين": 50, "خمسون": 50, "ستين": 60,
    "ستون": 60, "سبعين": 70, "سبعون": 70, "ثمانين": 80, "ثمانون": 80, "تسعين": 90, "تسعون": 90,
    "مئة": 100, "مائة": 100, "ألف": 1000, "مليون": 1_000_000, "مليار": 1_000_000_000, "نصف": 0.5,
    # duals that news uses with numbers in the English ("2 days", "2 hours")
    "يومين": 2, "عامين": 2, "سنتين": 2, "شهرين": 2, "أسبوعين": 2, "ساعتين": 2, "دقيقتين": 2,
    "مرتين": 2, "دولتين": 2, "هدفين": 2,
    # ordinals ("السابع من أكتوبر" -> "October 7", "القرن الثامن عشر" -> "18th century")
    "أول": 1, "أولى": 1, "ثاني": 2, "ثانية": 2, "ثالث": 3, "ثالثة": 3, "رابع": 4, "رابعة": 4,
    "خامس": 5, "خامسة": 5, "سادس": 6, "سادسة": 6, "سابع": 7, "سابعة": 7, "ثامن": 8, "ثامنة": 8,
    "تاسع": 9, "تاسعة": 9, "عاشر": 10, "عاشرة": 10, "حادي": 1, "حادية": 1,
}
# Decades ("السبعينيات", "ثلاثينيات القرن التاسع عشر" -> "the 1970s", "the 1830s").
for _stem, _tens in (("عشرين", 20), ("ثلاثين", 30), ("أربعين", 40), ("خمسين", 50),
                     ("ستين", 60), ("سبعين", 70), ("ثمانين", 80), ("تسعين", 90)):
    for _ending in ("يات", "ات"):
        _WORDS_AR[_stem + _ending] = (_tens, 1800 + _tens, 1900 + _tens, 2000 + _tens)
_WORD_RE = re.compile(r"[^\W\d_]+")


@functools.cache
def _words_ar() -> dict[str, float | tuple[float, ...]]:
    return {normalize(k): v for k, v in _WORDS_AR.items()}


@dataclass(frozen=True)
class Number:
    """A number found in text, with the values it may stand for (separators are ambiguous)."""

    text: str
    values: frozenset[float]
    percent: bool = False


def _values(token: str) -> set[float]:
    """Possible values of `1,000` / `1.000` / `3.5` / `3,5` / `2,500.75`."""
    found: set[float] = set()
    if re.fullmatch(r"\d+", token):
        return {float(int(token))}
    seps = re.findall(r"[.,]", token)
    groups = re.split(r"[.,]", token)
    # Thousands grouping: every group after the first has exactly 3 digits (optionally with a
    # final decimal part after a different separator).
    if len(set(seps)) == 1 and all(len(g) == 3 for g in groups[1:]):
        found.add(float("".join(groups)))
    if len(set(seps)) == 2 and seps[-1] != seps[0] and all(len(g) == 3 for g in groups[1:-1]):
        found.add(float("".join(groups[:-1]) + "." + groups[-1]))
    if len(seps) == 1:  # a decimal point or decimal comma
        found.add(float(groups[0] + "." + groups[1]))
    return found or {float("".join(groups))}


def extract_numbers(text: str, *, arabic: bool) -> list[Number]:
    """Numbers written with digits in `text` (Arabic-Indic or Latin), with scale words applied.

    `2.5 million` / `2.5 مليون` also stand for 2500000, so either form matches the other.
    """
    text = _ARABIC_COMMA_GROUP.sub(",", latin_digits(text))
    scale_re, percent_after = (_SCALE_AFTER_AR, _PERCENT_AFTER_AR) if arabic else (_SCALE_AFTER_EN, _PERCENT_AFTER_EN)
    scales = _SCALE_AR if arabic else _SCALE_EN
    numbers: list[Number] = []
    for match in _NUMBER_RE.finditer(text):
        values = _values(match.group(1))
        after = text[match.end():match.end() + 20]
        scale = scale_re.match(after)
        if scale:
            word = scale.group(1).lower() if not arabic else scale.group(1)
            values |= {round(v * scales[word], 6) for v in values}  # 1.15 * 1e6 is 1149999.99…
        just_before = text[max(0, match.start() - 3):match.start()]
        percent = bool(percent_after.match(after) or _PERCENT_BEFORE.search(just_before))
        numbers.append(Number(match.group(1), frozenset(values), percent))
    return numbers


def spelled_numbers(text: str, *, arabic: bool) -> set[float]:
    """Values of number words in `text` (`three`, `ثلاثة`, `twice`)."""
    table: dict[str, Any] = _words_ar() if arabic else _WORDS_EN  # type: ignore[assignment]
    if arabic:
        text = normalize(text)  # hamza, ta marbuta, harakat: ثلاثةُ / ثلاثه / ثلاثة all match
    values: set[float] = set()
    previous: float | None = None
    for word in _WORD_RE.findall(text):
        key = word if arabic else word.lower()
        if arabic and key not in table:
            # Strip one common clitic: و ب ل ف ال (وثلاثة, بثلاثة, الثلاثة).
            for prefix in ("وال", "بال", "لل", "ال", "و", "ب", "ل", "ف"):  # already normalised forms
                if key.startswith(prefix) and key[len(prefix):] in table:
                    key = key[len(prefix):]
                    break
        found = table.get(key)
        if found is None:
            previous = None
            continue
        options = tuple(float(v) for v in found) if isinstance(found, tuple) else (float(found),)
        values.update(options)
        value = options[0]
        if previous is not None:
            # "two dozen", "four hundred" multiply; "twenty four", "الثامن عشر" add.
            values.add(previous * value if value in (12, 100, 1000, 1e6, 1e9) else previous + value)
        previous = value
    return values
