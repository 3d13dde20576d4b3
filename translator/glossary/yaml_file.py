"""Provides the glossary YAML format: parse with line numbers, validate, render an entry
(`entry_yaml`; adding and extending entries is `yaml_edit`).

A glossary file is a YAML list of entries (see glossaries/README.md):

    - ar: [فايز السراج, فائز السراج]   # one form or a list of spelling variants
      en: Fayez al-Sarraj               # preferred English
      alt: [Fayez Sarraj]               # optional accepted alternatives
      avoid: [Faiz Sarag]               # optional known wrong renderings, never decoded
      type: person                      # person | place | organisation | term
      note: optional free text

Parsing goes through PyYAML's node graph (not `safe_load`) so every problem can name its
file, line and column, and scalars stay strings (`en: yes` is the word, not a boolean).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from translator.text.arabic import has_arabic, match_key

#: Allowed values of `type`.
TYPES = ("person", "place", "organisation", "term")
#: Allowed keys of an entry.
FIELDS = ("ar", "en", "alt", "avoid", "type", "note")
_TYPE_ALIASES = {"organization": "organisation", "org": "organisation", "people": "person"}


@dataclass(frozen=True)
class GlossaryEntry:
    """One curated term: Arabic spelling variants and the English to use for them."""

    ar: tuple[str, ...]
    """Arabic source forms, as written in the file (spelling variants)."""
    en: str
    """Preferred English."""
    type: str
    """person, place, organisation or term."""
    alt: tuple[str, ...] = ()
    """Accepted English alternatives (a translation using one of these is not an error)."""
    note: str = ""
    """Free text for translators."""
    avoid: tuple[str, ...] = ()
    """Known wrong English renderings (a name's wrong transliteration): the model may not decode
    them in a sentence where the entry matched (CTranslate2 suppress_sequences), and QA flags them."""
    file: str = field(default="", compare=False)
    """File the entry came from ('' when built in code)."""
    line: int = field(default=0, compare=False)
    """1-based line of the entry in its file."""

    @property
    def english_forms(self) -> tuple[str, ...]:
        """Preferred English first, then the accepted alternatives."""
        return (self.en, *self.alt)

    @property
    def where(self) -> str:
        """`file:line` of the entry, for messages."""
        return f"{self.file}:{self.line}" if self.file else "<code>"


@dataclass
class ParsedFile:
    """Entries of one file plus every problem found in it."""

    path: Path
    entries: list[GlossaryEntry]
    problems: list[str]


def parse_text(text: str, path: Path | str) -> ParsedFile:
    """Parse and validate the text of one glossary file.

    Args:
        text: YAML text.
        path: file name used in messages.

    Returns:
        The valid entries and a list of "file:line:col: message" problems (empty when valid).
    """
    path = Path(path)
    problems: list[str] = []
    entries: list[GlossaryEntry] = []
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: same marks, ~10x
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else f"{path}:1:1"
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            what += f" ({exc.context} at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
        return ParsedFile(path, [], [f"{where}: YAML syntax error: {what}"])
    except yaml.YAMLError as exc:
        return ParsedFile(path, [], [f"{path}:1:1: YAML error: {exc}"])
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag.endswith(":null")):
        return ParsedFile(path, [], [])
    if not isinstance(root, yaml.SequenceNode):
        return ParsedFile(path, [], [f"{_at(path, root)}: a glossary file must be a list of entries ('- ar: …')"])
    seen: dict[str, tuple[str, str]] = {}  # match key -> (english, where)
    for node in root.value:
        entry = _entry(node, path, problems)
        if entry is None:
            continue
        entries.append(entry)
        for variant in entry.ar:
            key = match_key(variant)
            if key in seen:
                other_en, other_where = seen[key]
                if other_en == entry.en:
                    problems.append(
                        f"{_at(path, node)}: duplicate entry: '{variant}' is already listed at {other_where}"
                    )
                else:
                    problems.append(
                        f"{_at(path, node)}: conflict: '{variant}' → '{entry.en}' here "
                        f"but → '{other_en}' at {other_where}"
                    )
            else:
                seen[key] = (entry.en, entry.where)
    return ParsedFile(path, entries, problems)


def parse_file(path: Path) -> ParsedFile:
    """Read and parse one glossary file; unreadable files become problems, not exceptions."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return ParsedFile(path, [], [f"{path}:1:1: glossary file not found"])
    except UnicodeDecodeError as exc:
        return ParsedFile(path, [], [f"{path}:1:1: not valid UTF-8 at byte {exc.start} (re-save as UTF-8)"])
    except OSError as exc:
        return ParsedFile(path, [], [f"{path}:1:1: cannot be read: {exc.strerror}"])
    return parse_text(text, path)


def _at(path: Path, node: yaml.Node) -> str:
    return f"{path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def _scalar(node: yaml.Node) -> str | None:
    """String value of a scalar node (None for null and non-scalars)."""
    if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
        return None
    return str(node.value).strip()


def _strings(node: yaml.Node, path: Path, name: str, problems: list[str]) -> tuple[str, ...] | None:
    """A string or a list of strings; reports bad items."""
    if isinstance(node, yaml.SequenceNode):
        values = []
        for item in node.value:
            value = _scalar(item)
            if not value:
                problems.append(f"{_at(path, item)}: '{name}' has an empty or non-text item")
                continue
            values.append(value)
        return tuple(values)
    value = _scalar(node)
    if value is None and not isinstance(node, yaml.ScalarNode):
        problems.append(f"{_at(path, node)}: '{name}' must be text or a list of texts")
        return None
    return (value,) if value else ()


def _entry(node: yaml.Node, path: Path, problems: list[str]) -> GlossaryEntry | None:
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"{_at(path, node)}: an entry must be a mapping with ar, en and type")
        return None
    before = len(problems)
    values: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = _scalar(key_node) or ""
        if key not in FIELDS:
            problems.append(f"{_at(path, key_node)}: unknown field '{key}' (expected one of {', '.join(FIELDS)})")
            continue
        if key in values:
            problems.append(f"{_at(path, key_node)}: field '{key}' given twice")
        values[key] = value_node
    for required in ("ar", "en", "type"):
        if required not in values:
            problems.append(f"{_at(path, node)}: missing field '{required}'")
    ar = _strings(values["ar"], path, "ar", problems) if "ar" in values else None
    if ar is not None and not ar:
        problems.append(f"{_at(path, values['ar'])}: empty field 'ar'")
    keys: dict[str, str] = {}
    for variant, vnode in zip(ar or (), _item_nodes(values.get("ar"))):
        if not has_arabic(variant) or any("a" <= c.lower() <= "z" for c in variant):
            problems.append(f"{_at(path, vnode)}: source '{variant}' is not Arabic script")
            continue
        key = match_key(variant)
        if not key:
            problems.append(f"{_at(path, vnode)}: source '{variant}' has no Arabic letters once normalised "
                            "(only tatweel, marks or punctuation), so it can never match")
            continue
        if key in keys:
            problems.append(f"{_at(path, vnode)}: variant '{variant}' is the same as '{keys[key]}' once normalised")
        keys[key] = variant
    en = _scalar(values["en"]) if "en" in values else None
    if "en" in values and not isinstance(values["en"], yaml.ScalarNode):
        kind = "a list" if isinstance(values["en"], yaml.SequenceNode) else "a mapping"
        problems.append(f"{_at(path, values['en'])}: 'en' is {kind}; give one preferred English "
                        "(put other accepted renderings under 'alt')")
    elif "en" in values and not en:
        problems.append(f"{_at(path, values['en'])}: empty field 'en'")
    if en and has_arabic(en):
        problems.append(f"{_at(path, values['en'])}: English '{en}' contains Arabic script")
    alt = _strings(values["alt"], path, "alt", problems) if "alt" in values else ()
    for a in alt or ():
        if has_arabic(a):
            problems.append(f"{_at(path, values['alt'])}: alternative '{a}' contains Arabic script")
    avoid = _avoid(values["avoid"], path, (en or "", *(alt or ())), problems) if "avoid" in values else ()
    kind = (_scalar(values["type"]) or "").lower() if "type" in values else ""
    kind = _TYPE_ALIASES.get(kind, kind)
    if "type" in values and kind not in TYPES:
        problems.append(
            f"{_at(path, values['type'])}: type '{_scalar(values['type']) or ''}' is not one of {', '.join(TYPES)}"
        )
    note = _scalar(values["note"]) if "note" in values else ""
    if len(problems) > before or not ar or not en:
        return None
    return GlossaryEntry(
        ar=ar, en=en, type=kind, alt=tuple(a for a in alt or () if a != en), note=note or "", avoid=avoid,
        file=str(path), line=node.start_mark.line + 1,
    )


def _avoid(node: yaml.Node, path: Path, accepted: tuple[str, ...], problems: list[str]) -> tuple[str, ...]:
    """The `avoid` renderings: English text, none of them inside an accepted form (it would block it)."""
    values = _strings(node, path, "avoid", problems) or ()
    for vnode in _item_nodes(node):
        value = _scalar(vnode)
        if not value:
            continue  # reported by _strings
        where = _at(path, vnode)
        if has_arabic(value):
            problems.append(f"{where}: avoided rendering '{value}' contains Arabic script")
        blocked = blocked_by(value, accepted)
        if blocked is not None:
            problems.append(f"{where}: avoided rendering '{value}' is part of the accepted English "
                            f"'{blocked}'; decoding could never produce it")
    return values


def blocked_by(avoid: str, accepted: tuple[str, ...]) -> str | None:
    """The first accepted English form that avoided rendering `avoid` is part of (whole words,
    case and diacritics folded), or None: such an avoid would keep decoding from the form itself."""
    return next((form for form in accepted if _inside(_words(avoid), _words(form))), None)


def _words(text: str) -> list[str]:
    """The words of English `text`, case and diacritics folded."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.findall(r"\w+", plain.casefold())


def _inside(part: list[str], whole: list[str]) -> bool:
    """True if the words `part` occur in a row in `whole`."""
    return bool(part) and any(whole[i:i + len(part)] == part for i in range(len(whole) - len(part) + 1))


def _item_nodes(node: yaml.Node | None) -> list[yaml.Node]:
    if node is None:
        return []
    return list(node.value) if isinstance(node, yaml.SequenceNode) else [node]


def entry_yaml(ar: str | list[str], en: str, type: str, alt: list[str] | None = None, note: str = "",
               avoid: list[str] | None = None) -> str:
    """YAML text of one entry, in the style of the shipped files."""
    data: dict[str, object] = {"ar": ar if isinstance(ar, str) or len(ar) != 1 else ar[0], "en": en}
    if alt:
        data["alt"] = list(alt)
    if avoid:
        data["avoid"] = list(avoid)
    data["type"] = type
    if note:
        data["note"] = note
    return yaml.safe_dump([data], allow_unicode=True, sort_keys=False, default_flow_style=None, width=10_000)
