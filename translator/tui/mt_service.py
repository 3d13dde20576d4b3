"""Provides DeskTranslator: the desk's machine translation as a service object (no Textual).

The review screen hands it paragraphs (index, Arabic) and two callbacks; it runs the pipeline
in the calling thread (the screen runs it in a thread worker), the active paragraph first and
alone, then in growing batches (translator.session.mt_chunks), reporting each paragraph as soon
as its batch is done. `prefetch` starts the first paragraph before the UI is up.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from translator.errors import TranslatorError
from translator.mt.engine import Engine
from translator.glossary.enforce import GlossaryEnforcer
from translator.mt.pipeline import Memory, ParagraphTranslation, translate_paragraphs
from translator.session import mt_chunks


@dataclass(frozen=True)
class MtResult:
    """One paragraph's machine translation."""

    index: int
    text: str
    from_memory: bool
    replace: bool
    """A re-translation: replace the English unless the translator edited or reviewed it."""
    glossary: str = ""
    """Fingerprint of the glossary the English was enforced with ("" for none)."""


@dataclass(frozen=True)
class MtDone:
    """A run is over: how many paragraphs, how long, and the error in one line (empty if none)."""

    count: int
    seconds: float
    error: str = ""


class DeskTranslator:
    """Engine + enforcer + memory for the desk's background translation."""

    def __init__(
        self,
        engine: Engine,
        enforcer: Callable[[], GlossaryEnforcer | None],
        memory: Callable[[str], Memory | None],
    ) -> None:
        self.engine = engine
        self._enforcer = enforcer
        self._memory = memory
        self._prefetch: tuple[list[int], str, Future[list[ParagraphTranslation]]] | None = None

    def prefetch(self, index: int, text: str) -> None:
        """Translate one paragraph now in a thread of its own; `run` picks the result up."""
        future: Future[list[ParagraphTranslation]] = Future()
        enforcer = self._enforcer()
        memory = self._memory(_fingerprint(enforcer))

        def work() -> None:
            try:
                future.set_result(translate_paragraphs([text], self.engine, enforcer, memory))
            except BaseException as exc:  # handed to run(), which reports it
                future.set_exception(exc)

        threading.Thread(target=work, name="desk-mt-prefetch", daemon=True).start()
        self._prefetch = ([index], _fingerprint(enforcer), future)

    def run(
        self,
        paragraphs: Sequence[tuple[int, str]],
        replace: bool,
        cancelled: Callable[[], bool],
        on_result: Callable[[MtResult], object],
    ) -> MtDone:
        """Translate `paragraphs` (index, Arabic) in chunks; never raises for engine failures."""
        started = time.perf_counter()
        done = 0
        texts = dict(paragraphs)
        try:
            enforcer = self._enforcer()
            glossary = _fingerprint(enforcer)
            memory = self._memory(glossary)  # machine entries filed under the glossary they were enforced with
            for chunk in mt_chunks([i for i, _ in paragraphs]):
                if cancelled():
                    break
                prefetched = self._prefetch
                if prefetched is not None and prefetched[0] == chunk and not replace:
                    self._prefetch = None
                    results = prefetched[2].result()
                    for k, result in enumerate(results):
                        on_result(MtResult(chunk[k], result.text, result.from_memory, replace, prefetched[1]))
                else:
                    def on_done(k: int, result: ParagraphTranslation, chunk: list[int] = chunk) -> None:
                        on_result(MtResult(chunk[k], result.text, result.from_memory, replace, glossary))

                    translate_paragraphs([texts[i] for i in chunk], self.engine, enforcer, memory, on_done=on_done)
                done += len(chunk)
        except TranslatorError as exc:
            return MtDone(done, time.perf_counter() - started, str(exc))
        except (RuntimeError, OSError, ValueError) as exc:
            return MtDone(done, time.perf_counter() - started, f"machine translation failed: {exc}")
        return MtDone(done, time.perf_counter() - started)


def _fingerprint(enforcer: GlossaryEnforcer | None) -> str:
    return enforcer.glossary.fingerprint if enforcer is not None else ""
