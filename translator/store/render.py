"""Provides render_markdown: the one Markdown renderer of an article's English.

Nothing unreviewed passes as reviewed. Three kinds of English file:

- `reviewed` (the desk's `<name>.en.md`, `translator export --format md`): reviewed paragraphs as
  text; a paragraph with unreviewed English (machine output or an edit not yet accepted) is kept
  inside an HTML comment, `<!-- unreviewed: … -->`, which Markdown viewers do not show; while the
  article is incomplete the file starts with `<!-- 3 of 13 paragraphs reviewed -->`.
- `draft` (`export --format md --draft`): every paragraph's current English as text, under a
  header comment that says how many were reviewed.
- `machine` (batch output, which nobody reviewed): YAML front matter (`translation: machine`,
  the model) and a header comment saying no person reviewed it.

The title is the `# ` heading. Paragraphs are separated by one blank line. English shown as
text is Markdown-escaped (`escape_markdown`): `accepted & <checked>.` reads the same in a viewer,
not as an HTML tag; a leading `#`, `>`, `-` or `1.` is not a heading, quote or list.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from enum import Enum

from translator.text.document import Article, Kind


class Mode(str, Enum):
    """Which English a Markdown file holds."""

    REVIEWED = "reviewed"
    DRAFT = "draft"
    MACHINE = "machine"


def _comment(text: str) -> str:
    # `--` cannot appear inside an HTML comment (`-->` would end it early).
    return text.replace("--", "- -")


# Inline characters that start Markdown syntax (CommonMark backslash-escapes any ASCII punctuation).
_INLINE = re.compile(r"([\\`*_\[<>])|&(?=#?\w+;)")
# Line starts that would make a heading, quote, list, table, thematic break or code block.
_LINE_START = re.compile(r"^(\s*)([#>+=|~-]|\d+(?=[.)])|\*)")


def escape_markdown(text: str) -> str:
    """`text` as Markdown that displays exactly `text` (one paragraph's English)."""
    text = _INLINE.sub(lambda m: "\\" + m.group(0), text)
    return "\n".join(_LINE_START.sub(_escape_start, line) for line in text.split("\n"))


def _escape_start(match: re.Match[str]) -> str:
    spaces, start = match.group(1), match.group(2)
    if start.isdigit():  # `1.` / `1)`: escape the punctuation after the number
        return f"{spaces}{start}\\"
    return f"{spaces}\\{start}"


def _block(kind: Kind, text: str) -> str:
    return f"# {escape_markdown(text)}" if kind is Kind.TITLE else escape_markdown(text)


def render_markdown(
    article: Article,
    english: Mapping[str, str],
    reviewed: Collection[str] = (),
    mode: Mode = Mode.REVIEWED,
    model: str = "",
) -> str:
    """The article's English as Markdown.

    Args:
        article: the article (its translatable paragraphs, in order).
        english: paragraph id -> current English (paragraphs without English are left out).
        reviewed: ids of the paragraphs a person accepted.
        mode: which English the file holds (see the module docstring).
        model: the model that produced machine English (named in `machine` files).
    """
    paragraphs = article.translatable
    total = len(paragraphs)
    done = sum(1 for p in paragraphs if p.id in reviewed and english.get(p.id, "").strip())
    head: list[str] = []
    blocks: list[str] = []
    if mode is Mode.MACHINE:
        head.append("---\ntranslation: machine, not reviewed\n"
                    + (f"model: {_yaml_scalar(model)}\n" if model else "") + "---")
        head.append("<!-- Machine translation: no person has reviewed this English. -->")
    elif mode is Mode.DRAFT:
        head.append(f"<!-- draft: {done} of {total} paragraphs reviewed; the others are not -->")
    elif done < total:
        head.append(f"<!-- {done} of {total} paragraphs reviewed -->")
    for p in paragraphs:
        text = english.get(p.id, "").strip()
        if not text:
            continue
        if mode is Mode.REVIEWED and p.id not in reviewed:
            label = "unreviewed title" if p.kind is Kind.TITLE else "unreviewed"
            blocks.append(f"<!-- {label}: {_comment(text)} -->")
        else:
            blocks.append(_block(p.kind, text))
    return "\n\n".join(head + blocks) + "\n"


def _yaml_scalar(text: str) -> str:
    """`text` as a double-quoted YAML scalar (model labels carry arrows and parentheses)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
