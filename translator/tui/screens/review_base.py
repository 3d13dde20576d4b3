"""Provides ReviewBase: the review screen's layout, drawing, saving and background MT.

A view over translator.session.DeskSession: setting the reactive `active` or `visual` redraws what
depends on it, so moving is one assignment. Machine translation runs in a thread worker through
translator.tui.mt_service, saves are written by a ReviewWriter thread (translator.store.review_writer).
The keys and dialogs are in translator.tui.screens.review.ReviewScreen.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static, TextArea
from textual.worker import get_current_worker

from translator.errors import TranslatorError
from translator.session import DeskOptions, DeskSession
from translator.store.lock import ArticleLock
from translator.store.memory import FuzzyMatch
from translator.store.review import Status
from translator.store.review_writer import ReviewWriter
from translator.tui.desk_services import DeskServices
from translator.tui.messages import MachineTranslated, TranslationFinished
from translator.tui.mt_service import DeskTranslator
from translator.tui.widgets import DeskHeader, EnglishEditor, FittedLine, ParagraphRow, SidePanel, SourceText

NO_MODEL_BANNER = (
    "No translation model installed: type the English yourself, glossary terms are highlighted. "
    "Install a model with:  translator models ensure"
)
DEMO_BANNER = ("Demo model — not for real work: its output only shows the desk working. "
               "Install a real one: translator models ensure")

SOURCE_MAX_LINES = 8
"""Lines of the active paragraph's Arabic shown at most above the editor (a longer one ends in …)."""
EDITOR_MIN_HEIGHT = 4
"""Rows the English editor keeps at least (its border and two lines)."""


class ReviewBase(Screen[None]):
    """One article, paragraph by paragraph: state, drawing, saving, machine translation."""

    AUTO_FOCUS = "#target"

    active: var[int] = var(0, init=False)
    """Index of the paragraph being edited; assigning it moves the desk there."""
    visual: var[bool] = var(True, init=False)
    """Arabic in visual order (terminals without bidi) rather than stored order."""

    def __init__(
        self,
        session: DeskSession,
        lock: ArticleLock | None,
        services: DeskServices,
        options: DeskOptions,
        can_go_back: bool = False,
    ) -> None:
        super().__init__()
        self.session = session
        self.article_lock = lock
        self.services = services
        self.options = options
        self.can_go_back = can_go_back
        self.set_reactive(ReviewBase.visual, options.arabic_display != "logical")
        self.set_reactive(ReviewBase.active, session.first_index())
        self.find_query = ""
        self.mt_total = 0
        self.mt_done = 0
        self.mt_pending: set[int] = set()
        self.asked_retranslation: set[int] = set()
        """Paragraphs the translator asked to re-translate (ctrl+r): their result is announced."""
        self.first_mt_at: float | None = None
        self.opened_at = time.perf_counter()
        self._loading = False
        self._session_closed = False
        self._suggestions: list[FuzzyMatch] = []
        self._writer = ReviewWriter()  # saves are written in a thread of its own, in order
        self._side_timer: Timer | None = None
        engine = services.engine
        self.translator = (DeskTranslator(engine, services.enforcer, services.desk_memory.under)
                           if engine is not None else None)
        first = session.needs_mt(self.active)[:1]
        if self.translator is not None and first:
            # While Textual starts up: the worker started at mount picks the result up.
            self.translator.prefetch(first[0], session.paragraphs[first[0]].text)

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield DeskHeader(id="desk-header")
        banner = self._banner()
        yield Static(Text(banner), id="banner", classes="" if banner else "-hidden")
        yield FittedLine(id="glossary-banner", classes="-hidden")
        yield Static(id="memory-banner", classes="-hidden")
        with VerticalScroll(id="document"):
            number = 0
            for p in self.session.paragraphs:
                if p.translatable:
                    number += 1
                yield ParagraphRow(p.index, number if p.translatable else None, p.text, self.visual)
        with Horizontal(id="editor-panel"):
            with Vertical(id="editor"):
                yield SourceText(id="active-source", visual=self.visual, max_lines=SOURCE_MAX_LINES)
                yield EnglishEditor(id="target", soft_wrap=True, show_line_numbers=False,
                                    placeholder="(type the English here)")
            yield SidePanel(id="side-panel")
        yield Footer()

    def _banner(self) -> str:
        engine = self.services.engine
        if engine is None:
            return NO_MODEL_BANNER
        return DEMO_BANNER if engine.is_demo else ""

    def on_mount(self) -> None:
        self.editor.cursor_blink = self.options.cursor_blink
        self.editor.on_edit = self._commit_editor  # (Changed still covers undo, redo and loads)
        # The document scrolls with the active paragraph; focus stays in the editor.
        self.query_one("#document").can_focus = False
        self._refresh_rows()
        self._load_active()
        self._refresh_header()
        self.set_interval(0.5, self._autosave_tick)
        self.start_mt()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_source_pane)

    def _fit_source_pane(self) -> None:
        """Give the active Arabic one height: the longest paragraph's at this width (at most 8 lines,
        leaving the editor room), so a move redraws the editor panel without a layout pass."""
        room = self.query_one("#editor").size.height - EDITOR_MIN_HEIGHT
        texts = [p.text for p in self.session.paragraphs if p.translatable]
        self.query_one("#active-source", SourceText).fit(texts, min(SOURCE_MAX_LINES, max(1, room)))

    @property
    def editor(self) -> EnglishEditor:
        return self.query_one("#target", EnglishEditor)

    # -- reactive state ------------------------------------------------------------------

    def watch_active(self, previous: int, index: int) -> None:
        self._refresh_row(previous, highlights=False)
        self._refresh_row(index, highlights=False)
        self._load_active()
        self._refresh_header()

    def watch_visual(self) -> None:
        self._refresh_rows()
        self._load_active()

    # -- drawing -------------------------------------------------------------------------

    def _row(self, index: int) -> ParagraphRow:
        return self.query_one(f"#row-{index}", ParagraphRow)

    def _placeholder(self, index: int) -> str:
        if self.services.engine is None:
            return "(no model: type the English)"
        return "(translating…)" if index in self.mt_pending else "(no translation yet: ctrl+r)"

    def _refresh_rows(self, highlights: bool = True) -> None:
        for row in self.query(ParagraphRow):
            self._refresh_row(row.index, highlights)

    def _refresh_row(self, index: int, highlights: bool = True) -> None:
        p, row = self.session.paragraphs[index], self._row(index)
        row.set_class(bool(p.translatable and self.services.glossary_mark(self.session, index)), "-glossary-flag")
        row.show(
            self.session.status(index),
            self.session.english(index),
            index == self.active,
            self._placeholder(index),
            self.services.highlights(p.text) if highlights and p.translatable else None,
            self.visual,
            from_memory=self._is_memory_draft(index),
        )

    def _is_memory_draft(self, index: int) -> bool:
        """The paragraph shows the memory's English, unreviewed (status machine)."""
        return self.session.status(index) is Status.MACHINE and bool(self.session.record(index).draft_from)

    def _refresh_header(self) -> None:
        engine = self.services.engine
        mt = f"translating {self.mt_done}/{self.mt_total}…" if self.mt_pending else ""
        self.query_one(DeskHeader).show(
            self.session.article.path.name,
            self.session.counts(),
            sum(1 for p in self.session.paragraphs if p.translatable and self._is_memory_draft(p.index)),
            engine.label if engine else "none installed",
            bool(engine and engine.is_demo),
            not self.session.dirty,
            mt,
        )

    def _load_active(self) -> None:
        """Show the active paragraph in the editor panel."""
        index = self.active
        p = self.session.paragraphs[index]
        self.query_one("#active-source", SourceText).show(p.text, self.services.highlights(p.text), self.visual)
        editor = self.editor
        text = self.session.english(index)
        if editor.text != text:
            self._loading = True
            editor.load_text(text)
            editor.move_cursor(editor.document.end)
            self._loading = False
        editor.placeholder = self._placeholder(index)
        self._refresh_editor_title()
        self._refresh_side()
        row = self._row(index)
        if row.region:
            # Rows keep their place on a move: scroll now, in the same redraw.
            row.scroll_visible(animate=False, immediate=True)
        else:
            # At mount, before the first layout.
            self.call_after_refresh(row.scroll_visible, animate=False)

    def _refresh_side(self) -> None:
        text = self.session.paragraphs[self.active].text
        current = self.session.english(self.active)
        self._suggestions = self.services.suggestions(text)
        self.query_one(SidePanel).show(
            self.services.term_hits(text),
            self._suggestions if self.services.memory is not None else None,
            self.services.findings(text, current),
            self.visual,
            current,
        )
        if warning := self.services.memory_warning():  # damaged or unopenable: said once, then off
            self.notify(warning, title="Translation memory off", severity="warning", timeout=15)

    def _refresh_editor_title(self) -> None:
        status = self.session.status(self.active)
        shown = status.value if status else ""
        if self._is_memory_draft(self.active):
            # Never `reviewed`: nobody checked it in this article yet.
            shown = f"{self.session.record(self.active).draft_from}, not reviewed here"
        mark = self.services.glossary_mark(self.session, self.active)
        self.editor.border_title = " · ".join(part for part in (f"English ¶{self._row(self.active).number}", shown, mark)
                                              if part)

    # -- editor --------------------------------------------------------------------------

    @on(TextArea.Changed, "#target")
    def _editor_changed(self, event: TextArea.Changed) -> None:
        if not self._loading:
            self._commit_editor()

    def _commit_editor(self) -> None:
        """Record the editor's text for the active paragraph."""
        if self.session.edit(self.active, self.editor.text):
            self._refresh_row(self.active, highlights=False)
            self._refresh_header()
            self._refresh_editor_title()
            # QA and memory follow the typing, but not on every key.
            if self._side_timer is not None:
                self._side_timer.stop()
            self._side_timer = self.set_timer(self.options.side_follow_seconds, self._refresh_side)

    def go_to(self, index: int | None) -> None:
        """Make `index` the active paragraph (keeps and saves what was typed)."""
        if index is None or not self.session.paragraphs[index].translatable:
            return
        self._commit_editor()
        self.active = index
        self._save()

    # -- saving --------------------------------------------------------------------------

    def _autosave_tick(self) -> None:
        error = self._writer.take_error()
        if error is not None:  # a save written in the background failed: report it, keep the changes
            self.session.mark_unsaved()
            self.notify(f"Could not save: {error}", title="Save failed", severity="error", timeout=15)
            self._refresh_header()
        elif self.session.autosave_due():
            self._save()

    def _save(self, force: bool = False, wait: bool = False) -> bool:
        """Save: made here, written by the writer thread (a move never waits for the disk), or here
        with `wait`, after what is queued. An error is shown and the changes are kept."""
        if self._session_closed:
            return False
        try:
            if wait:
                self._writer.flush()
                if self._writer.take_error() is not None:
                    self.session.mark_unsaved()
                written = self.session.save(force=force)
            else:
                written = self.session.save(force=force, write=self._writer.submit)
        except (OSError, TranslatorError) as exc:
            self.notify(f"Could not save: {exc}", title="Save failed", severity="error", timeout=15)
            return False
        if written:
            self._refresh_header()
        return True

    def flush_saves(self, timeout: float | None = None) -> bool:
        """Wait until the saves handed to the writer thread are on disk; False on timeout."""
        return self._writer.flush(timeout)

    def close_session(self, from_editor: bool = True) -> bool:
        """Save and release the lock; False (with a notification) if saving failed.

        The saves queued for the writer thread are written first, then the final one here, and
        only then is the lock released: nothing written after another desk may have the article.
        """
        if self._session_closed:
            return True
        if from_editor:
            self._commit_editor()
        self.flush_saves()
        if self._writer.take_error() is not None:
            self.session.mark_unsaved()
        try:
            self.session.save()
        except (OSError, TranslatorError) as exc:
            if from_editor:
                self.notify(f"Could not save: {exc}", title="Save failed", severity="error", timeout=15)
            return False
        self._writer.close()
        # A running MT worker stops at its next batch; its late results are ignored.
        self.workers.cancel_node(self)
        if self.article_lock is not None:
            self.article_lock.release()
        self._session_closed = True
        return True

    # -- machine translation -------------------------------------------------------------

    def start_mt(self) -> None:
        """Translate every paragraph that has no machine output yet (none after a resume)."""
        indexes = self.session.needs_mt(self.active) if self.translator is not None else []
        if not indexes:
            return
        self.mt_total, self.mt_done = len(indexes), 0
        self.mt_pending.update(indexes)
        self._refresh_header()
        self.translate(indexes, replace=False)

    def translate(self, indexes: list[int], replace: bool, group: str = "") -> None:
        """Run machine translation for `indexes` in a thread worker (results come as messages)."""
        translator = self.translator
        if translator is None:
            return
        paragraphs = [(i, self.session.paragraphs[i].text) for i in indexes]

        def work() -> None:
            worker = get_current_worker()
            done = translator.run(paragraphs, replace, lambda: worker.is_cancelled,
                                  lambda result: self.post_message(MachineTranslated(result)))
            self.post_message(TranslationFinished(done))

        self.run_worker(work, thread=True, exclusive=True, group=group or ("retranslate" if replace else "mt"))

    def on_machine_translated(self, message: MachineTranslated) -> None:
        if self._session_closed:
            return
        result = message.result
        if self.first_mt_at is None:
            self.first_mt_at = time.perf_counter()
        self.mt_pending.discard(result.index)
        self.mt_done += 1
        rec = self.session.record(result.index)
        edited, previous = rec.status in (Status.EDITED, Status.REVIEWED), rec.machine
        self.session.apply_machine(result.index, result.text, replace=result.replace, glossary=result.glossary,
                                   draft_from=self.services.draft_from(self.session.paragraphs[result.index].text)
                                   if result.from_memory else "")
        if result.index in self.asked_retranslation:
            self.asked_retranslation.discard(result.index)
            if result.text == previous:
                self.notify("Re-translated: the machine translation is unchanged (same model and glossary).",
                            timeout=4)
            elif edited:
                self.notify("New machine translation kept aside (you edited this paragraph): alt+r puts it in.",
                            timeout=4)
            else:
                self.notify("Re-translated: new machine translation in the editor.", timeout=3)
        self._refresh_row(result.index, highlights=False)
        if result.index == self.active:
            self._load_active()
        self._refresh_header()

    def on_translation_finished(self, message: TranslationFinished) -> None:
        if message.done.error:
            self.mt_pending.clear()
            self._refresh_rows(highlights=False)
            self.notify(message.done.error, title="Machine translation", severity="error", timeout=10)
        self._refresh_header()
