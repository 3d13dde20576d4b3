"""Provides write_entry(): a glossary file gets a new entry, or its own entry for the
same Arabic and English is extended (spelling variants, alternatives, avoided renderings, a
note, the type), keeping the file's comments and order either way; and remove_avoid(): avoided
renderings taken out of the file's own entry, the same way.

The new text is validated as a whole, by the same checks as a hand-written file, before it is
written (atomically): a bad entry, a conflict, or an `avoid:` rendering in Arabic script or inside
the accepted English leaves the file untouched, and each problem is one line naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from translator.errors import GlossaryError
from translator.fileio import atomic_write_text
from translator.glossary.yaml_file import FIELDS, GlossaryEntry, ParsedFile, entry_yaml, parse_text
from translator.text.arabic import match_key

#: First line of a glossary file that `add` creates.
NEW_FILE_HEADER = "# Glossary entries (see glossaries/README.md for the format).\n"

_Value = str | tuple[str, ...]


@dataclass(frozen=True)
class Written:
    """What `write_entry` did: the entry as loaded back, and whether it extended one already there."""

    entry: GlossaryEntry
    extended: bool


def split_renderings(text: str) -> list[str]:
    """The renderings typed in one field: separated by semicolons, or by commas when there is no
    semicolon (so "Tripoli, Libya; Trablus" keeps its comma); blanks dropped."""
    parts = text.split(";") if ";" in text else text.split(",")
    return [p.strip() for p in parts if p.strip()]


def write_entry(
    path: Path,
    ar: str | list[str],
    en: str,
    type: str | None = None,
    alt: Sequence[str] | None = None,
    note: str = "",
    avoid: Sequence[str] | None = None,
) -> Written:
    """Add an entry to a glossary file (created if missing), keeping its comments and order.

    When the file already has an entry for one of the Arabic forms with the same English, that
    entry is extended in place: the new variants, alternatives and avoided renderings join its
    own (none repeated), a note given replaces its note, a type given replaces its type.
    Otherwise the entry is appended (a different English for the same Arabic is a conflict).

    Args:
        path: glossary file.
        ar: Arabic form or list of variants.
        en: preferred English.
        type: person, place, organisation or term; None: term for a new entry, kept for an extended one.
        alt: accepted English alternatives.
        note: free text ("" keeps an extended entry's note).
        avoid: known wrong English renderings (CTranslate2 may not decode them; QA flags them).

    Raises:
        GlossaryError: the file is already invalid, or the result would be (one line per problem,
            ending "the file is unchanged"); nothing is written.
    """
    path = Path(path)
    forms = [a.strip() for a in ([ar] if isinstance(ar, str) else ar) if a.strip()]
    en, alt_t, avoid_t = en.strip(), _union((), _clean(alt), str.casefold), _union((), _clean(avoid), str.casefold)
    if path.exists():
        old = path.read_text(encoding="utf-8-sig")
        current = parse_text(old, path)
        if current.problems:
            raise GlossaryError(current.problems + [f"{path}: fix these problems before adding entries"])
    else:
        old, current = NEW_FILE_HEADER, ParsedFile(path, [], [])
    keys = {match_key(f) for f in forms}
    own = next((e for e in current.entries if keys & {match_key(f) for f in e.ar}), None)
    if own is not None and own.en == en:
        index = current.entries.index(own)
        new = _extended(old, index, own, forms, type, alt_t, note.strip(), avoid_t)
        if new is None:
            raise GlossaryError([f"{path}: cannot add {forms[0]} → {en}: it is already listed at {own.where}; "
                                 "nothing to add"])
        head, count = f"{own.where}: cannot extend the entry {own.ar[0]} → {own.en}", len(current.entries)
    else:
        if old and not old.endswith("\n"):
            old += "\n"
        separator = "\n" if old.strip() and not old.endswith("\n\n") else ""  # a blank line between entries
        single: str | list[str] = forms[0] if len(forms) == 1 else forms
        new = old + separator + entry_yaml(single, en, type or "term", list(alt_t), note.strip(), list(avoid_t))
        index, count = len(current.entries), len(current.entries) + 1
        head = f"{path}: cannot add {forms[0] if forms else '(no Arabic)'} → {en}"
    parsed = parse_text(new, path)
    if parsed.problems or len(parsed.entries) != count:
        raise GlossaryError(_refused(parsed.problems, path, head))
    atomic_write_text(path, new)
    return Written(parsed.entries[index], own is not None and own.en == en)


def remove_avoid(
    path: Path, ar: str | Sequence[str], renderings: Sequence[str]
) -> tuple[GlossaryEntry, tuple[str, ...]]:
    """Take avoided renderings (case folded) out of the file's own entry for the Arabic, keeping
    the file's comments and order; the `avoid:` field goes when none is left.

    Returns:
        The entry as loaded back, and the renderings taken out (as the entry spelled them).

    Raises:
        GlossaryError: the file is missing or invalid, it has no entry for the Arabic, or a
            rendering is not one the entry avoids (one line each); nothing is written.
    """
    path = Path(path)
    forms = [a.strip() for a in ([ar] if isinstance(ar, str) else ar) if a.strip()]
    name = forms[0] if forms else "(no Arabic)"
    if not path.is_file():
        raise GlossaryError([f"{path}: glossary file not found; give the file that holds {name}"])
    old = path.read_text(encoding="utf-8-sig")
    current = parse_text(old, path)
    if current.problems:
        raise GlossaryError(current.problems + [f"{path}: fix these problems before editing entries"])
    keys = {match_key(f) for f in forms}
    own = next((e for e in current.entries if keys & {match_key(f) for f in e.ar}), None)
    if own is None:
        raise GlossaryError([f"{path}: cannot remove an avoided rendering of {name}: the file has no entry for "
                             f"{name}; the file is unchanged"])
    drop = {r.strip().casefold() for r in renderings if r.strip()}
    has = f"it avoids: {', '.join(own.avoid)}" if own.avoid else "it avoids none"
    unknown = [r.strip() for r in renderings if r.strip().casefold() not in {a.casefold() for a in own.avoid}]
    if unknown or not drop:
        raise GlossaryError([f"{own.where}: '{r}' is not an avoided rendering of {own.ar[0]} → {own.en} ({has}); "
                             "the file is unchanged" for r in unknown or ["(none given)"]])
    index = current.entries.index(own)
    new = _rewritten(old, index, own, {"avoid": tuple(a for a in own.avoid if a.casefold() not in drop)})
    parsed = parse_text(new, path)
    if parsed.problems or len(parsed.entries) != len(current.entries):
        head = f"{own.where}: cannot edit the entry {own.ar[0]} → {own.en}"
        raise GlossaryError(_refused(parsed.problems, path, head))
    atomic_write_text(path, new)
    return parsed.entries[index], tuple(a for a in own.avoid if a.casefold() in drop)


def _clean(values: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in values or ())


def _refused(problems: list[str], path: Path, head: str) -> list[str]:
    """Problems of the would-be text, each one line: `head: what; the file is unchanged`
    (their line numbers are of text never written, so they are left out)."""
    located = re.compile(rf"^{re.escape(str(path))}:\d+:\d+: ")
    whats = [located.sub("", p) for p in problems] or ["the entry could not be read back"]
    return [f"{head}: {what}; the file is unchanged" for what in whats]


def _union(old: tuple[str, ...], new: tuple[str, ...], key: Callable[[str], str]) -> tuple[str, ...]:
    seen = {key(v) for v in old}
    added = []
    for value in new:
        if key(value) not in seen:
            seen.add(key(value))
            added.append(value)
    return (*old, *added)


def _extended(text: str, index: int, own: GlossaryEntry, forms: list[str], type: str | None,
              alt: tuple[str, ...], note: str, avoid: tuple[str, ...]) -> str | None:
    """`text` with entry number `index` (`own`) extended; None when nothing would change."""
    merged: dict[str, _Value] = {
        "ar": _union(own.ar, tuple(forms), match_key),
        "alt": _union(own.alt, tuple(a for a in alt if a != own.en), str.casefold),
        "avoid": _union(own.avoid, avoid, str.casefold),
        "type": type or own.type,
        "note": note or own.note,
    }
    before: dict[str, _Value] = {"ar": own.ar, "alt": own.alt, "avoid": own.avoid, "type": own.type,
                                 "note": own.note}
    changed = {k: v for k, v in merged.items() if v != before[k]}
    return _rewritten(text, index, own, changed) if changed else None


def _rewritten(text: str, index: int, own: GlossaryEntry, changed: dict[str, _Value]) -> str:
    """`text` with fields of entry number `index` (`own`) given new values (in FIELDS order); an
    empty list drops its field (its line, when the field starts one)."""
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert isinstance(root, yaml.SequenceNode)  # the text parsed as a list of entries
    node = root.value[index]
    if node.flow_style:  # `- {ar: …, en: …}`: written again whole, in flow style
        data: dict[str, _Value] = {"ar": own.ar, "en": own.en, "alt": own.alt, "avoid": own.avoid,
                                   "type": own.type, "note": own.note, **changed}
        whole = {k: _plain(k, data[k]) for k in FIELDS if data.get(k)}
        return text[:node.start_mark.index] + _flow(whole) + text[node.end_mark.index:]
    fields = {str(k.value): (k, v) for k, v in node.value}
    indent = " " * node.value[0][0].start_mark.column
    edits: list[tuple[int, int, str]] = []
    inserts: dict[int, str] = {}
    for name, value in changed.items():  # in FIELDS order
        if name in fields:  # the key and its value (block list items too) become one line
            key_node, value_node = fields[name]
            start, end = key_node.start_mark.index, _value_end(text, value_node)
            line_start = text.rfind("\n", 0, start) + 1
            if value == () and not text[line_start:start].strip():  # dropped: its whole line(s)
                line_end = text.find("\n", end)
                edits.append((line_start, len(text) if line_end < 0 else line_end + 1, ""))
            else:
                edits.append((start, end, f"{name}: {_flow(_plain(name, value))}"))
        elif value != ():  # a new line after the line of the field that comes before it in FIELDS order
            anchor = [f for f in FIELDS[:FIELDS.index(name)] if f in fields][-1]  # ar at least
            line_end = text.find("\n", _value_end(text, fields[anchor][1]))
            at = len(text) if line_end < 0 else line_end
            inserts[at] = inserts.get(at, "") + f"\n{indent}{name}: {_flow(_plain(name, value))}"
    edits += [(at, at, lines) for at, lines in inserts.items()]
    for start, end, rendered in sorted(edits, reverse=True):  # from the end: offsets stay true
        text = text[:start] + rendered + text[end:]
    return text


def _plain(name: str, value: _Value) -> object:
    """A field's value as YAML data: one Arabic form as a plain string, lists as lists."""
    if isinstance(value, tuple):
        return value[0] if name == "ar" and len(value) == 1 else list(value)
    return value


def _flow(value: object) -> str:
    """One-line YAML (flow style) of a value."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000, sort_keys=False)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def _value_end(text: str, node: yaml.Node) -> int:
    """Where a field's value ends in `text`, trailing blanks and line breaks left out."""
    last = node.value[-1] if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value else node
    end = last.end_mark.index
    while end > node.start_mark.index and text[end - 1] in " \t\r\n":
        end -= 1
    return end
