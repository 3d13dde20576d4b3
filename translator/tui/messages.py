"""Provides the messages the desk's MT worker posts to the review screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from translator.tui.mt_service import MtDone, MtResult


@dataclass
class MachineTranslated(Message):
    """One paragraph's machine translation is ready (posted from the MT worker thread)."""

    result: MtResult


@dataclass
class TranslationFinished(Message):
    """The MT worker is done (or failed: `done.error` says why, in one line)."""

    done: MtDone
