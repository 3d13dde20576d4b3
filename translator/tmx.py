"""Provides TMX 1.4 reading and writing of Arabic→English units that CAT tools accept.

Written as OmegaT and translate-toolkit want it (see docs/INTEROP_NOTES): `srclang="ar"`,
two-letter `xml:lang` on every tuv, the Arabic tuv first, NFC text with single spaces and no
bidi marks, each `<seg>` on one line with nothing around its text, and no `<prop>` that ties a
unit to a file.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from translator import __version__
from translator.errors import InputError
from translator.fileio import atomic_write_text, read_xml_root

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"))
# Characters XML 1.0 forbids (C0 controls except tab/newline/CR, surrogates, FFFE/FFFF).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Inline TMX elements whose text is native markup, not translatable text.
_NATIVE_CODE = {"bpt", "ept", "it", "ph", "ut"}


@dataclass(frozen=True)
class TmxUnit:
    """One translation unit: Arabic source, English target, optional ISO timestamp."""

    source: str
    target: str
    updated: str = ""


def clean_segment(text: str) -> str:
    """Segment text as CAT tools match it: NFC, no bidi marks, whitespace collapsed, no XML-invalid chars."""
    text = unicodedata.normalize("NFC", text).translate(_BIDI)
    return " ".join(_XML_INVALID.sub("", text).split())


def _tmx_date(iso: str) -> str:
    """ISO timestamp -> TMX `YYYYMMDDThhmmssZ` (UTC); now if missing or unreadable."""
    try:
        moment = datetime.fromisoformat(iso) if iso else datetime.now(UTC)
    except ValueError:
        moment = datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def render_tmx(units: Iterable[TmxUnit]) -> str:
    """The TMX 1.4 document for `units` (empty sources or targets are left out)."""
    now = _tmx_date("")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<tmx version="1.4">',
        f'  <header creationtool="translator" creationtoolversion={quoteattr(__version__)} '
        f'datatype="plaintext" segtype="paragraph" adminlang="en" srclang="ar" o-tmf="translator" '
        f'creationdate="{now}"/>',
        "  <body>",
    ]
    for unit in units:
        source, target = clean_segment(unit.source), clean_segment(unit.target)
        if not source or not target:
            continue
        date = _tmx_date(unit.updated)
        lines += [
            f'    <tu creationdate="{date}">',
            f'      <tuv xml:lang="ar"><seg>{escape(source)}</seg></tuv>',
            f'      <tuv xml:lang="en"><seg>{escape(target)}</seg></tuv>',
            "    </tu>",
        ]
    lines += ["  </body>", "</tmx>", ""]
    return "\n".join(lines)


def write_tmx(path: Path, units: Iterable[TmxUnit]) -> None:
    """Atomically write `units` as a TMX 1.4 file."""
    atomic_write_text(Path(path), render_tmx(units))


def _seg_text(seg: ET.Element) -> str:
    """Text of a `<seg>`, keeping text of `<hi>`/`<sub>` and dropping native code of inline tags."""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag not in _NATIVE_CODE:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _lang(tuv: ET.Element) -> str:
    return (tuv.get(XML_LANG) or tuv.get("lang") or "").split("-")[0].split("_")[0].lower()


def read_tmx(path: Path) -> list[TmxUnit]:
    """Read the Arabic→English units of a TMX file (any version 1.x; other languages ignored).

    Raises:
        InputError: the file is missing, not XML, or not a TMX document.
    """
    path = Path(path)
    root = read_xml_root(path, "fix or re-export the TMX")
    if root.tag != "tmx":
        raise InputError(path, f"root element is <{root.tag}>, not <tmx>", "give a TMX file")
    units: list[TmxUnit] = []
    for tu in root.iter("tu"):
        by_lang: dict[str, str] = {}
        for tuv in tu.findall("tuv"):
            seg = tuv.find("seg")
            lang = _lang(tuv)
            if seg is not None and lang and lang not in by_lang:
                by_lang[lang] = clean_segment(_seg_text(seg))
        if by_lang.get("ar") and by_lang.get("en"):
            units.append(TmxUnit(by_lang["ar"], by_lang["en"], tu.get("changedate") or tu.get("creationdate") or ""))
    return units
