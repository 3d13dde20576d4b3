"""Provides MachineTranslationMixin: the review screen's background MT worker and its messages.

One thread worker translates every paragraph without machine output (the active one first and
alone, then in growing batches; see translator.session.mt_chunks) and posts one message per
paragraph, so the UI never waits for the model.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future
from typing import Any

from textual import work
from textual.worker import get_current_worker

from translator.errors import TranslatorError
from translator.mt.pipeline import translate_paragraphs
from translator.store.review import Status
from translator.session import mt_chunks
from translator.tui.messages import MachineTranslated, TranslationFinished
from translator.tui.widgets import ParagraphRow


class MachineTranslationMixin:
    """Machine translation for ReviewScreen (uses its session, services and redraw helpers)."""

    session: Any
    services: Any
    active: int
    mt_total: int
    mt_done: int
    mt_pending: set[int]
    first_mt_at: float | None
    _session_closed: bool
    _prefetch: tuple[list[int], "Future[list[Any]]"] | None = None

    # -- machine translation -------------------------------------------------------------

    def prefetch_first(self) -> None:
        """Start translating the active paragraph now, while Textual is still starting up.

        Called from the screen's constructor; the worker started at mount picks the result up
        instead of translating that paragraph again, so the first MT shows sooner.
        """
        engine = self.services.engine
        first = self.session.needs_mt(self.active)[:1] if engine is not None else []
        if not first:
            return
        future: Future[list[Any]] = Future()
        texts = [self.session.paragraphs[i].text for i in first]

        def run() -> None:
            try:
                future.set_result(translate_paragraphs(texts, engine, self.services.enforcer(), self.services.mt_memory()))
            except BaseException as exc:  # handed to the worker, which reports it
                future.set_exception(exc)

        threading.Thread(target=run, name="desk-mt-prefetch", daemon=True).start()
        self._prefetch = (first, future)

    def start_mt(self) -> None:
        """Translate every paragraph that has no machine output yet (none after a resume)."""
        if self.services.engine is None:
            return
        indexes = self.session.needs_mt(self.active)
        if not indexes:
            return
        self.mt_total, self.mt_done = len(indexes), 0
        self.mt_pending.update(indexes)
        self._refresh_header()
        self._translate(indexes)

    @work(thread=True, exclusive=True, group="mt")
    def _translate(self, indexes: list[int]) -> None:
        self._run_mt(indexes, replace=False)

    @work(thread=True, exclusive=True, group="retranslate")
    def _retranslate(self, indexes: list[int]) -> None:
        self._run_mt(indexes, replace=True)

    def _run_mt(self, indexes: list[int], replace: bool) -> None:
        """Worker body: translate in chunks (the active paragraph first), posting each result."""
        worker = get_current_worker()
        started = time.perf_counter()
        done = 0
        paragraphs = self.session.paragraphs
        try:
            enforcer = self.services.enforcer()
            for chunk in mt_chunks(indexes):
                if worker.is_cancelled:
                    return

                def on_done(k: int, result: Any, chunk: list[int] = chunk) -> None:
                    self.post_message(MachineTranslated(chunk[k], result.text, list(result.terms), result.from_memory, replace))

                prefetched = self._prefetch
                if prefetched is not None and prefetched[0] == chunk and not replace:
                    self._prefetch = None
                    for k, result in enumerate(prefetched[1].result()):
                        on_done(k, result)
                else:
                    translate_paragraphs([paragraphs[i].text for i in chunk], self.services.engine,  # type: ignore[arg-type]
                                         enforcer, self.services.mt_memory(), on_done=on_done)
                done += len(chunk)
        except TranslatorError as exc:
            self.post_message(TranslationFinished(done, time.perf_counter() - started, str(exc)))
            return
        except (RuntimeError, OSError, ValueError) as exc:
            self.post_message(TranslationFinished(done, time.perf_counter() - started, f"machine translation failed: {exc}"))
            return
        self.post_message(TranslationFinished(done, time.perf_counter() - started))

    def on_machine_translated(self, message: MachineTranslated) -> None:
        if self._session_closed:
            return
        if self.first_mt_at is None:
            self.first_mt_at = time.perf_counter()
        self.mt_pending.discard(message.index)
        self.mt_done += 1
        rec = self.session.record(message.index)
        edited = rec.status in (Status.EDITED, Status.REVIEWED)
        self.session.apply_machine(message.index, message.text, replace=message.replace)
        if message.replace and edited:
            self.notify("New machine translation kept aside (you edited this paragraph): alt+r puts it in.",
                        timeout=4)
        self._refresh_row(message.index, highlights=False)
        if message.index == self.active:
            self._load_active()
        self._refresh_header()

    def on_translation_finished(self, message: TranslationFinished) -> None:
        if message.error:
            self.mt_pending.clear()
            for row in self.query(ParagraphRow):
                self._refresh_row(row.index, highlights=False)
            self.notify(message.error, title="Machine translation", severity="error", timeout=10)
        self._refresh_header()
