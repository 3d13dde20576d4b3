"""Provides ReviewScreen: one article, paragraph by paragraph, Arabic beside editable English.

The screen is a view over translator.session.DeskSession: it forwards keys to the session,
redraws rows from it, runs machine translation in a thread worker and saves on paragraph
change and on a timer.
"""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, TextArea

from translator.errors import TranslatorError
from translator.store.lock import ArticleLock
from translator.session import DeskOptions, DeskSession
from translator.tui.desk_services import DeskServices
from translator.tui.screens.review_mt import MachineTranslationMixin
from translator.tui.screens.review_tools import ReviewToolsMixin
from translator.tui.widgets import DeskHeader, ParagraphRow, SidePanel, SourceText

NO_MODEL_BANNER = (
    "No translation model installed: type the English yourself, glossary terms are highlighted. "
    "Install a model with:  translator models ensure"
)
DEMO_BANNER = "Demo model — not for real work: its output only shows the desk working. Install a real one: translator models ensure"


def _b(key: str, action: str, description: str, show: bool = True, key_display: str | None = None) -> Binding:
    # Priority: the English TextArea would otherwise swallow the keys. Through after_typing:
    # the app runs a priority binding as soon as it reads the key, before the editor has
    # applied the characters read just before it.
    return Binding(key, f"after_typing({action!r})", description, show=show, key_display=key_display,
                   priority=True, id=action)


class ReviewScreen(MachineTranslationMixin, ReviewToolsMixin, Screen[None]):
    """Review one article."""

    AUTO_FOCUS = "#target"

    BINDINGS = [
        _b("alt+down,ctrl+down", "next", "Next ¶", key_display="alt+↓"),
        _b("alt+up,ctrl+up", "previous", "Prev ¶", key_display="alt+↑"),
        # Enter accepts, as in OmegaT: a paragraph's English is one line, a newline would split it.
        _b("enter,f2,ctrl+enter", "accept", "Accept", key_display="⏎/F2"),
        _b("ctrl+n", "next_unreviewed", "Next unreviewed", key_display="^n"),
        _b("alt+r", "revert", "Revert to MT", show=False),
        _b("ctrl+r", "retranslate", "Retranslate", key_display="^r"),
        _b("ctrl+f", "find", "Find", key_display="^f"),
        _b("f3", "find_next", "Find next", show=False),
        _b("ctrl+g", "add_term", "Add term", key_display="^g"),
        _b("f4", "glossary", "Glossary", show=False),
        _b("f5", "qa", "QA list", show=False),
        _b("alt+1", "use_suggestion(0)", "Insert memory match 1", show=False),
        _b("alt+2", "use_suggestion(1)", "Insert memory match 2", show=False),
        _b("alt+3", "use_suggestion(2)", "Insert memory match 3", show=False),
        _b("ctrl+t", "toggle_arabic", "Arabic order", show=False),
        _b("ctrl+s", "save", "Save now (autosave is on)", show=False),
        _b("escape", "back", "Articles", show=False),
        _b("f1", "help", "Help"),
    ]

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
        self.visual = options.arabic_display != "logical"
        self.active = session.first_index()
        self.find_query = ""
        self.mt_total = 0
        self.mt_done = 0
        self.mt_pending: set[int] = set()
        self.first_mt_at: float | None = None
        self.opened_at = time.perf_counter()
        self._loading = False
        self._session_closed = False
        self._suggestions: list[Any] = []
        self._side_timer: Any = None
        self.prefetch_first()

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield DeskHeader(id="desk-header")
        banner = self._banner()
        yield Static(Text(banner), id="banner", classes="" if banner else "-hidden")
        with VerticalScroll(id="document"):
            number = 0
            for p in self.session.paragraphs:
                if p.translatable:
                    number += 1
                yield ParagraphRow(p.index, number if p.translatable else None, p.text, self.visual)
        with Horizontal(id="editor-panel"):
            with Vertical(id="editor"):
                yield SourceText(id="active-source", visual=self.visual)
                yield TextArea(
                    id="target",
                    soft_wrap=True,
                    show_line_numbers=False,
                    placeholder="(type the English here)",
                )
            yield SidePanel(id="side-panel")
        yield Footer()

    def _banner(self) -> str:
        engine = self.services.engine
        if engine is None:
            return NO_MODEL_BANNER
        if engine.is_demo:
            return DEMO_BANNER
        return ""

    def on_mount(self) -> None:
        editor = self.query_one("#target", TextArea)
        editor.cursor_blink = self.options.cursor_blink
        # The document scrolls with the active paragraph; focus stays in the editor.
        self.query_one("#document").can_focus = False
        for row in self.query(ParagraphRow):
            self._refresh_row(row.index)
        self._load_active()
        self._refresh_header()
        if self.services.glossary_error:
            self.notify(f"{self.services.glossary_error}\nThe desk works without a glossary until the file is fixed.",
                        title="Glossary not loaded", severity="error", timeout=20)
        if self.services.memory_error:
            self.notify(self.services.memory_error, title="Translation memory off", severity="warning", timeout=10)
        self.set_interval(0.5, self._autosave_tick)
        if self.options.watch_seconds > 0:
            self.set_interval(self.options.watch_seconds, self.check_glossary)
        self.start_mt()

    # -- drawing -------------------------------------------------------------------------

    def _row(self, index: int) -> ParagraphRow:
        return self.query_one(f"#row-{index}", ParagraphRow)

    def _placeholder(self, index: int) -> str:
        if self.services.engine is None:
            return "(no model: type the English)"
        return "(translating…)" if index in self.mt_pending else "(no translation yet: ctrl+r)"

    def _refresh_row(self, index: int, highlights: bool = True) -> None:
        p = self.session.paragraphs[index]
        self._row(index).show(
            self.session.status(index),
            self.session.english(index),
            index == self.active,
            self._placeholder(index),
            self.services.highlights(p.text) if highlights and p.translatable else None,
            self.visual,
        )

    def _refresh_header(self) -> None:
        engine = self.services.engine
        mt = ""
        if self.mt_pending:
            mt = f"translating {self.mt_done}/{self.mt_total}…"
        self.query_one(DeskHeader).show(
            self.session.article.path.name,
            self.session.counts(),
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
        editor = self.query_one("#target", TextArea)
        text = self.session.english(index)
        if editor.text != text:
            self._loading = True
            editor.load_text(text)
            editor.move_cursor(editor.document.end)
            self._loading = False
        editor.placeholder = self._placeholder(index)
        editor.border_title = f"English ¶{self._row(index).number} · {self.session.status(index).value}"  # type: ignore[union-attr]
        self._refresh_side()
        # After the refresh, so it also works at mount before the first layout.
        self.call_after_refresh(self._row(index).scroll_visible, animate=False)

    def _refresh_side(self) -> None:
        text = self.session.paragraphs[self.active].text
        current = self.session.english(self.active)
        # The paragraph's own stored MT is no suggestion; other (reviewed or similar) ones are.
        self._suggestions = [s for s in self.services.suggestions(text) if s.target != current]
        self.query_one(SidePanel).show(
            self.services.term_hits(text),
            self._suggestions if self.services.memory is not None else None,
            self.services.findings(text, self.session.english(self.active)) if self.services.has_qa else None,
            self.visual,
        )

    # -- editor --------------------------------------------------------------------------

    @on(TextArea.Changed, "#target")
    def _editor_changed(self, event: TextArea.Changed) -> None:
        if self._loading:
            return
        self._commit_editor()

    def _commit_editor(self) -> None:
        """Record the editor's text for the active paragraph."""
        if self.session.edit(self.active, self.query_one("#target", TextArea).text):
            self._refresh_row(self.active, highlights=False)
            self._refresh_header()
            self._refresh_editor_title()
            # QA and memory follow the typing, but not on every key.
            if self._side_timer is not None:
                self._side_timer.stop()
            self._side_timer = self.set_timer(0.4, self._refresh_side)

    def _refresh_editor_title(self) -> None:
        status = self.session.status(self.active)
        self.query_one("#target", TextArea).border_title = (
            f"English ¶{self._row(self.active).number} · {status.value if status else ''}"
        )

    def go_to(self, index: int | None) -> None:
        """Make `index` the active paragraph (keeps and saves what was typed)."""
        if index is None or not self.session.paragraphs[index].translatable:
            return
        self._commit_editor()
        previous, self.active = self.active, index
        self._refresh_row(previous, highlights=False)
        self._refresh_row(index, highlights=False)
        self._load_active()
        self._save()
        self._refresh_header()

    # -- actions -------------------------------------------------------------------------

    def action_after_typing(self, action: str) -> None:
        """Run `action` once the editor has applied every key read before the one bound to it.

        Keys reach the app in bursts (one terminal read: tmux send-keys, a paste without
        bracketed paste, a fast typist). The app forwards the characters to the focused
        editor's queue but runs a priority binding at once, so `enter` right after some text
        would accept the paragraph before the text is in it, and the text would land in the
        next paragraph. Queued behind those keys, the action sees them applied.
        """
        target = self.app.focused or self
        target.call_later(self.run_action, action)

    def action_next(self) -> None:
        """Go to the next paragraph."""
        self.go_to(self.session.next_index(self.active, 1))

    def action_previous(self) -> None:
        """Go to the previous paragraph."""
        self.go_to(self.session.next_index(self.active, -1))

    def action_next_unreviewed(self) -> None:
        """Go to the next paragraph not yet reviewed (wrapping)."""
        target = self.session.next_index(self.active, 1, unreviewed=True)
        if target is None:
            self.notify("Every paragraph is reviewed.", title="Done")
        self.go_to(target)

    def action_accept(self) -> None:
        """Mark the active paragraph reviewed and move to the next unreviewed one."""
        self._commit_editor()
        if not self.session.accept(self.active):
            self.notify("Nothing to accept: the English is empty.", severity="warning")
            return
        self._refresh_row(self.active, highlights=False)
        self._refresh_editor_title()
        nxt = self.session.next_index(self.active, 1, unreviewed=True)
        if nxt is None:
            self._save()
            self._refresh_header()
            reviewed, total = self.session.progress()
            self.notify(f"All {total} paragraphs reviewed; saved to {self.services.english_file(self.session)}.", title="Done")
            return
        self.go_to(nxt)

    def action_revert(self) -> None:
        """Put the machine translation back into the editor."""
        text = self.session.revert(self.active)
        if text is None:
            self.notify("No machine translation for this paragraph yet.", severity="warning")
            return
        self._load_active()
        self._refresh_row(self.active, highlights=False)
        self._refresh_header()

    def action_retranslate(self) -> None:
        """Run machine translation again for the active paragraph."""
        if self.services.engine is None:
            self.notify("No model installed: run `translator models ensure`.", severity="warning")
            return
        self.mt_pending.add(self.active)
        self._retranslate([self.active])
        self._refresh_header()

    def action_save(self) -> None:
        """Save now."""
        self._commit_editor()
        if self._save(force=True):
            self.notify(f"Saved {self.services.english_file(self.session)}", timeout=2)

    def action_toggle_arabic(self) -> None:
        """Switch Arabic between visual order (terminals without bidi) and stored order."""
        self.visual = not self.visual
        for row in self.query(ParagraphRow):
            self._refresh_row(row.index)
        self._load_active()
        self.notify("Arabic shown in visual order (for terminals without bidi)" if self.visual
                    else "Arabic shown in stored order (for terminals that reorder bidi text)", timeout=3)

    def action_use_suggestion(self, n: int) -> None:
        """Insert memory suggestion `n` into the editor."""
        if n >= len(self._suggestions):
            self.notify("No such memory match.", severity="warning")
            return
        editor = self.query_one("#target", TextArea)
        editor.load_text(self._suggestions[n].target)
        self._commit_editor()

    def action_back(self) -> None:
        """Back to the article list (folder mode)."""
        if not self.can_go_back:
            return
        if self.close_session():
            self.dismiss()

    # -- saving --------------------------------------------------------------------------

    def _autosave_tick(self) -> None:
        if self.session.autosave_due():
            self._save()
            self._refresh_header()

    def _save(self, force: bool = False) -> bool:
        """Write the review state and English; an error is shown and the changes are kept."""
        try:
            written = self.session.save(force=force)
        except (OSError, TranslatorError) as exc:
            self.notify(f"Could not save: {exc}", title="Save failed", severity="error", timeout=15)
            return False
        if written:
            self._refresh_header()
        return True

    def close_session(self, from_editor: bool = True) -> bool:
        """Save and release the lock; False (with a notification) if saving failed."""
        if self._session_closed:
            return True
        if from_editor:
            self._commit_editor()
        try:
            self.session.save()
        except (OSError, TranslatorError) as exc:
            if from_editor:
                self.notify(f"Could not save: {exc}", title="Save failed", severity="error", timeout=15)
            return False
        # A running MT worker stops at its next batch; its late results are ignored.
        self.workers.cancel_node(self)
        if self.article_lock is not None:
            self.article_lock.release()
        self._session_closed = True
        return True
