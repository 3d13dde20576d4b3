"""Provides ReviewScreen: one article, paragraph by paragraph, Arabic beside editable English.

The keys and dialogs (find, add term, glossary, QA, help) and glossary reloading; the layout,
drawing, saving and machine translation are in translator.tui.screens.review_base.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from translator.errors import TranslatorError
from translator.text.bidi import is_rtl_char, visual_order
from translator.tui.desk_services import NewTerm
from translator.tui.messages import TranslationFinished
from translator.tui.screens.add_term import AddTermScreen
from translator.tui.screens.find import FindScreen
from translator.tui.screens.forget import ForgetScreen
from translator.tui.screens.help import HelpScreen, bindings_table, editor_keys
from translator.tui.screens.listing import ListingScreen
from translator.tui.screens.review_base import DEMO_BANNER, NO_MODEL_BANNER, ReviewBase
from translator.tui.widgets import FittedLine

__all__ = ["DEMO_BANNER", "NO_MODEL_BANNER", "ReviewScreen"]

#: Seconds between two tries of the memory changes queued behind another process's write lock.
MEMORY_TICK_SECONDS = 0.5


def _b(key: str, action: str, description: str, show: bool = True, key_display: str | None = None) -> Binding:
    # Priority: the English TextArea would otherwise swallow the keys. Through after_typing:
    # the app runs a priority binding as soon as it reads the key, before the editor has
    # applied the characters read just before it.
    return Binding(key, f"after_typing({action!r})", description, show=show, key_display=key_display,
                   priority=True, id=action)


class ReviewScreen(ReviewBase):
    """Review one article: the desk's keys and dialogs."""

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
        _b("alt+x", "forget_suggestion", "Forget a memory match (delete it from the memory)", show=False),
        _b("alt+u", "unaccept", "Un-accept (undo accept, in the memory too)", show=False),
        _b("ctrl+t", "toggle_arabic", "Arabic order", show=False),
        _b("ctrl+s", "save", "Save now (autosave is on)", show=False),
        _b("escape", "back", "Articles", show=False),
        _b("f1", "help", "Help"),
    ]

    def action_after_typing(self, action: str) -> None:
        """Run `action` once the editor has applied every key read before the one bound to it.

        Keys reach the app in bursts (one terminal read: tmux send-keys, a fast typist). The
        app forwards the characters to the focused editor's queue but runs a priority binding
        at once, so `enter` right after some text would accept the paragraph before the text
        is in it, and the text would land in the next paragraph. Queued behind those keys, the
        action sees them applied.
        """
        target = self.app.focused or self
        target.call_later(self.run_action, action)

    # -- moving and accepting ------------------------------------------------------------

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
            _, total = self.session.progress()
            self.notify(f"All {total} paragraphs reviewed; saved to {self.services.english_file(self.session)}.",
                        title="Done")
            return
        self.go_to(nxt)

    def action_revert(self) -> None:
        """Put the machine translation back into the editor."""
        if self.session.revert(self.active) is None:
            self.notify("No machine translation for this paragraph yet.", severity="warning")
            return
        self._load_active()
        self._refresh_row(self.active, highlights=False)
        self._refresh_header()

    def action_retranslate(self) -> None:
        """Run machine translation again for the active paragraph."""
        if self.translator is None:
            self.notify("No model installed: run `translator models ensure`.", severity="warning")
            return
        self.mt_pending.add(self.active)
        self.asked_retranslation.add(self.active)
        self.translate([self.active], replace=True)
        self._refresh_header()

    def action_save(self) -> None:
        """Save now."""
        self._commit_editor()
        if self._save(force=True, wait=True):
            self.notify(f"Saved {self.services.english_file(self.session)}", timeout=2)

    def action_toggle_arabic(self) -> None:
        """Switch Arabic between visual order (terminals without bidi) and stored order."""
        self.visual = not self.visual
        self.notify("Arabic shown in visual order (for terminals without bidi)" if self.visual
                    else "Arabic shown in stored order (for terminals that reorder bidi text)", timeout=3)

    def action_use_suggestion(self, n: int) -> None:
        """Insert memory suggestion `n` into the editor."""
        if n >= len(self._suggestions):
            self.notify("No such memory match.", severity="warning")
            return
        self.editor.load_text(self._suggestions[n].target)
        self._commit_editor()

    def action_forget_suggestion(self) -> None:
        """Choose a memory suggestion of this paragraph and delete it from the memory."""
        if not self._suggestions:
            self.notify("No memory match to forget.", severity="warning")
            return
        suggestions = list(self._suggestions)

        def chosen(n: int | None) -> None:
            if n is not None:
                self.notify(self.services.forget(suggestions[n]), title="Memory", timeout=5)
                self._refresh_side()

        self.app.push_screen(ForgetScreen(suggestions), chosen)

    def action_unaccept(self) -> None:
        """Undo the accept of the active paragraph (it goes back to edited or machine)."""
        self._commit_editor()
        if not self.session.unaccept(self.active):
            self.notify("This paragraph is not reviewed: nothing to un-accept.", severity="warning")
            return
        self._refresh_row(self.active, highlights=False)
        self._refresh_editor_title()
        self._refresh_side()
        self._save()
        self._refresh_header()
        self.notify("Un-accepted: no longer reviewed; the memory is as it was before the accept.", timeout=4)

    def action_back(self) -> None:
        """Back to the article list (folder mode)."""
        if self.can_go_back and self.close_session():
            self.dismiss()

    # -- dialogs -------------------------------------------------------------------------

    def action_find(self) -> None:
        """Ask for text to find in the Arabic or English."""

        def found(query: str | None) -> None:
            if query:
                self.find_query = query
                self.action_find_next()

        self.app.push_screen(FindScreen(self.find_query, self.options.cursor_blink), found)

    def action_find_next(self) -> None:
        """Go to the next paragraph containing the last search."""
        if not self.find_query:
            self.action_find()
            return
        index = self.session.find(self.find_query, self.active)
        if index is None:
            self.notify(f"“{self.find_query}” not found.", severity="warning")
        self.go_to(index)

    def action_add_term(self) -> None:
        """Add a glossary entry (prefilled from the selection)."""
        english = self.editor.selected_text.strip()
        form = AddTermScreen(self._selected_arabic(), english, self.services.glossary_files(), self.services.add_term,
                             self.services.known_term)
        form.cursor_blink = self.options.cursor_blink
        self.app.push_screen(form, lambda term: self._term_added(term, form.message))

    def _selected_arabic(self) -> str:
        """Arabic selected with the mouse in the source pane, back in stored order."""
        try:
            selected = self.get_selected_text() or ""
        except (AttributeError, ValueError):
            return ""
        if not any(is_rtl_char(c) for c in selected):
            return ""
        # Reversal of a pure Arabic run is its own inverse.
        return visual_order(selected.strip()) if self.visual else selected.strip()

    def _term_added(self, result: NewTerm | None, message: str) -> None:
        if not result:
            return
        self.notify(message, title="Glossary", timeout=8)
        self._glossary_changed()

    def action_glossary(self) -> None:
        """Show the whole glossary."""
        # Arabic in the desk's display order (visual for terminals without bidi), English wrapped.
        rows = [(self._arabic(arabic), english, kind) for arabic, english, kind in self.services.glossary_rows()]
        self.app.push_screen(ListingScreen("Glossary", ["Arabic", "English", "Type"], rows, widths=(34, 50, 13)))

    def action_qa(self) -> None:
        """Show QA findings over the whole article."""
        rows = []
        for i, p in enumerate(self.session.paragraphs):
            if p.translatable:
                for f in self.services.findings(p.text, self.session.english(i)):
                    message = visual_order(f.message, 0) if self.visual else f.message
                    rows.append((str(self._row(i).number), f.severity, message))
        self.app.push_screen(ListingScreen("QA findings", ["¶", "Severity", "Finding"], rows, widths=(4, 9, 86)))

    def _arabic(self, text: str) -> str:
        """Arabic as the desk shows it: visual order unless the terminal does bidi itself."""
        return " / ".join(visual_order(form) for form in text.split(" / ")) if self.visual else text

    def action_help(self) -> None:
        """List every key."""
        self.app.push_screen(HelpScreen(bindings_table(self, self.app) + editor_keys(self.editor)))

    # -- glossary ------------------------------------------------------------------------

    def check_glossary(self) -> None:
        """Reload the glossary if its files changed; a broken file keeps the last good one."""
        try:
            changed = self.services.reload_glossary_if_changed()
        except TranslatorError as exc:
            self.notify(f"{exc}\nKeeping the last good glossary.", title="Glossary not reloaded",
                        severity="error", timeout=15)
            self._refresh_glossary_banner()
            return
        if changed:
            self.notify(f"Glossary reloaded ({self.services.glossary_size()} entries).", title="Glossary", timeout=3)
            self._glossary_changed()

    def on_mount(self) -> None:
        # Textual calls ReviewBase.on_mount too (handlers run down the class tree): no super() here.
        self._refresh_glossary_banner()
        if self.services.glossary_error:  # also the line under the header until the file is fixed
            self.notify(self.services.glossary_error, title="Glossary not loaded", severity="error", timeout=20)
        self.reenforce_stale()
        if self.options.watch_seconds > 0:
            self.set_interval(self.options.watch_seconds, self.check_glossary)
        self.set_interval(MEMORY_TICK_SECONDS, self.memory_tick)

    def memory_tick(self) -> None:
        """Retry the memory changes queued behind another process's write lock (never waits); the
        line under the header says they wait, and goes once they are saved."""
        memory = self.services.desk_memory
        memory.retry()
        line = memory.busy_line()
        banner = self.query_one("#memory-banner", Static)
        if line != str(banner.content):
            banner.update(Text(line))
            banner.set_class(not line, "-hidden")

    def _refresh_glossary_banner(self) -> None:
        degraded = bool(self.services.degraded_line())
        self.query_one("#glossary-banner", FittedLine).show(self.services.degraded_line if degraded else None)

    def reenforce_stale(self) -> None:
        """Re-translate untouched machine paragraphs enforced with another glossary (not while degraded)."""
        if not self.services.glossary_error and not self._session_closed:
            stale = self.session.stale_machine(self.services.fingerprint)
            self.reenforce([i for i in stale if i not in self.mt_pending])

    def reenforce(self, indexes: list[int]) -> None:
        """Re-translate untouched machine paragraphs whose English was enforced with another glossary."""
        if indexes and self.translator is not None:
            self.mt_pending.update(indexes)
            self.translate(indexes, replace=True, group="reenforce")

    def on_translation_finished(self, message: TranslationFinished) -> None:
        # ReviewBase's handler runs too. A run that began before a glossary change finished
        # with the old glossary: redo those paragraphs.
        if not message.done.error:
            self.reenforce_stale()
        self._refresh_side()  # new memory entries; a memory found damaged during the run is said here

    def _glossary_changed(self) -> None:
        """Re-highlight everything; re-translate the untouched machine paragraphs whose English the
        change may alter (a term it touched), and mark edited or reviewed ones for the translator."""
        change = self.services.last_change
        redo: list[int] = []
        if change is not None and not self.services.glossary_error:
            before, after = change.fingerprints
            redo = self.session.follow_glossary(before, after, change.touches)
        self._refresh_glossary_banner()
        self._refresh_rows()
        self._load_active()
        self.reenforce(redo)
        flagged = sum(self.services.glossary_flag(self.session, p.index) for p in self.session.article.translatable)
        if flagged:
            self.notify(f"{flagged} paragraph(s) you edited or reviewed were made from machine English under another "
                        "glossary: they keep your English and are marked ⚠ (ctrl+r re-translates).",
                        title="Glossary", severity="warning", timeout=10)
