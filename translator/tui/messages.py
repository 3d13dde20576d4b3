"""Provides the messages the desk's worker and widgets post upward."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message


@dataclass
class MachineTranslated(Message):
    """One paragraph's machine translation is ready (posted from the MT worker thread)."""

    index: int
    text: str
    terms: list[Any] = field(default_factory=list)
    from_memory: bool = False
    replace: bool = False
    """A re-translation the translator asked for: replace the English unless they edited it."""


@dataclass
class TranslationFinished(Message):
    """The MT worker is done (or failed: `error` says why, in one line)."""

    count: int
    seconds: float
    error: str = ""


@dataclass
class ArticleChosen(Message):
    """The article list picked an article to open."""

    path: Any
