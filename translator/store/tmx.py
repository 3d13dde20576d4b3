"""Provides TMX 1.4 reading and writing of Arabic→English units that CAT tools accept.

Written as OmegaT and translate-toolkit want it (see docs/INTEROP_NOTES): `srclang="ar"`,
two-letter `xml:lang` on every tuv, the Arabic tuv first, each `<seg>` on one line with nothing
around its text, and no `<prop>` that ties a unit to a file. The Arabic is the paragraph exactly
as a CAT tool reads it from the article (bidi marks, no-break and double spaces kept: OmegaT
matches only that); the English is cleaned. Dates and creator ids travel as TMX attributes,
machine output as `<prop type="x-origin">machine</prop>` with `x-model` and `x-glossary`.
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
    """One translation unit: Arabic source, English target, and its provenance."""

    source: str
    target: str
    updated: str = ""
    """Last change, ISO (TMX `changedate`)."""
    created: str = ""
    """First made, ISO (TMX `creationdate`)."""
    creator: str = ""
    """Who made it (TMX `creationid`)."""
    machine: bool = False
    """Machine output nobody reviewed (`<prop type="x-origin">machine</prop>`)."""
    model: str = ""
    """Machine units: the model that made it (`<prop type="x-model">`)."""
    glossary: str = ""
    """Machine units: the glossary fingerprint enforced (`<prop type="x-glossary">`)."""


#: Whitespace a CAT tool trims around a segment: Java's Character.isWhitespace plus NBSP (OmegaT's ParseEntry).
_JAVA_SPACE_EXTRA = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\u00a0"
_NOT_JAVA_SPACE = "\u2007\u202f"  # no-break spaces Java does not count as whitespace


def _trimmed(ch: str) -> bool:
    if ch in _JAVA_SPACE_EXTRA:
        return True
    return unicodedata.category(ch) in ("Zs", "Zl", "Zp") and ch not in _NOT_JAVA_SPACE


def source_segment(text: str) -> str:
    """A paragraph as a CAT tool reads it from the source file, for a TMX/XLIFF source.

    Only what OmegaT's parser drops goes: surrounding whitespace and no-break spaces,
    characters XML cannot hold; line ends become LF, and the text is NFC (both sides of
    OmegaT's match are). Bidi marks, inner no-break and double spaces stay, so the unit
    matches the paragraph exactly; our own matching normalises on its side (memory keys).
    """
    start, end = 0, len(text)
    while start < end and _trimmed(text[start]):
        start += 1
    while end > start and _trimmed(text[end - 1]):
        end -= 1
    text = text[start:end].replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _XML_INVALID.sub("", text))


def clean_segment(text: str) -> str:
    """English target text: NFC, no bidi marks, whitespace collapsed, no XML-invalid chars."""
    text = unicodedata.normalize("NFC", text).translate(_BIDI)
    return " ".join(_XML_INVALID.sub("", text).split())


def same_source(a: str, b: str) -> bool:
    """Whether two source segments are the same paragraph (compared cleaned, on our side)."""
    return clean_segment(a) == clean_segment(b)


def tmx_date(iso: str) -> str:
    """ISO timestamp -> TMX `YYYYMMDDThhmmssZ` (UTC); now if missing or unreadable."""
    try:
        moment = datetime.fromisoformat(iso) if iso else datetime.now(UTC)
    except ValueError:
        moment = datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def iso_date(tmx: str) -> str:
    """TMX `YYYYMMDDThhmmssZ` (or any ISO form) -> ISO with seconds, UTC; '' if unreadable."""
    try:
        moment = datetime.fromisoformat(tmx.strip())
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def render_tmx(units: Iterable[TmxUnit]) -> str:
    """The TMX 1.4 document for `units` (empty sources or targets are left out)."""
    now = tmx_date("")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<tmx version="1.4">',
        f'  <header creationtool="translator" creationtoolversion={quoteattr(__version__)} '
        f'datatype="plaintext" segtype="paragraph" adminlang="en" srclang="ar" o-tmf="translator" '
        f'creationdate="{now}"/>',
        "  <body>",
    ]
    for unit in units:
        source, target = source_segment(unit.source), clean_segment(unit.target)
        if not source.strip() or not target:
            continue
        created = tmx_date(unit.created or unit.updated)
        attrs = f'creationdate="{created}"'
        if unit.creator:
            attrs += f" creationid={quoteattr(unit.creator)}"
        if unit.updated and tmx_date(unit.updated) != created:
            attrs += f' changedate="{tmx_date(unit.updated)}"'
        lines.append(f"    <tu {attrs}>")
        if unit.machine:
            lines.append('      <prop type="x-origin">machine</prop>')
            for kind, value in (("x-model", unit.model), ("x-glossary", unit.glossary)):
                if value:
                    lines.append(f'      <prop type="{kind}">{escape(value)}</prop>')
        lines += [
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


def has_arabic(text: str) -> bool:
    """Whether `text` holds an Arabic letter."""
    return any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff"
               for ch in text if ch.isalpha())


def read_tmx(path: Path) -> list[TmxUnit]:
    """Read the Arabic→English units of a TMX file (any version 1.x; other languages ignored).

    Sources are kept as the file has them (trimmed as a CAT tool does); targets are cleaned.

    Raises:
        InputError: the file is missing, not XML or not TMX; no `<tuv>` says its language;
            it has no Arabic→English unit; or its Arabic and English sides are swapped.
    """
    path = Path(path)
    root = read_xml_root(path, "fix or re-export the TMX")
    if root.tag != "tmx":
        raise InputError(path, f"root element is <{root.tag}>, not <tmx>", "give a TMX file")
    units: list[TmxUnit] = []
    langs: set[str] = set()
    tus = 0
    for number, tu in enumerate(root.iter("tu"), start=1):
        tus += 1
        by_lang: dict[str, str] = {}
        for tuv in tu.findall("tuv"):
            seg = tuv.find("seg")
            lang = _lang(tuv)
            langs.add(lang)
            if seg is not None and lang and lang not in by_lang:
                by_lang[lang] = _seg_text(seg)
        source, target = source_segment(by_lang.get("ar", "")), clean_segment(by_lang.get("en", ""))
        if not source.strip() or not target:
            continue
        if has_arabic(target) and not has_arabic(source):
            raise InputError(path, f"unit {number}: the xml:lang=\"ar\" text is not Arabic and the \"en\" text is",
                             "the languages look swapped; fix the xml:lang of the file; nothing was imported")
        units.append(_unit(tu, source, target))
    if tus and langs <= {""}:
        raise InputError(path, f"no <tuv> has an xml:lang: 0 of {tus} units can be imported",
                         'add xml:lang="ar" and xml:lang="en" to the tuvs')
    if tus and not units:
        found = ", ".join(sorted(lang for lang in langs if lang)) or "none"
        raise InputError(path, f"no Arabic→English unit among {tus} (languages: {found})",
                         "give a TMX with ar and en tuvs")
    return units


def _unit(tu: ET.Element, source: str, target: str) -> TmxUnit:
    """The TmxUnit of a `<tu>`: dates and creator from the tu (or its English tuv), origin from props."""
    en = next((tuv for tuv in tu.findall("tuv") if _lang(tuv) == "en"), None)

    def attr(name: str) -> str:
        return tu.get(name) or (en.get(name) if en is not None else None) or ""

    props = {prop.get("type", ""): (prop.text or "").strip() for prop in tu.findall("prop")}
    created, changed = iso_date(attr("creationdate")), iso_date(attr("changedate"))
    return TmxUnit(source, target, changed or created, created or changed, attr("creationid") or attr("changeid"),
                   machine=props.get("x-origin", "").lower() == "machine",
                   model=props.get("x-model", ""), glossary=props.get("x-glossary", ""))
