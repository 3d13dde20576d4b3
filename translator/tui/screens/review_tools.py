"""Provides ReviewToolsMixin: the review screen's dialogs (find, add term, glossary, QA, help)
and glossary reloading."""

from __future__ import annotations

from typing import Any

from textual.widgets import TextArea

from translator.errors import TranslatorError
from translator.store.review import Status
from translator.tui.widgets import ParagraphRow


class ReviewToolsMixin:
    """Dialogs and glossary reload for ReviewScreen (uses its session, services and redraw helpers)."""

    session: Any
    services: Any
    active: int
    visual: bool
    find_query: str
    mt_pending: set[int]

    def action_find(self) -> None:
        """Ask for text to find in the Arabic or English."""
        from translator.tui.screens.find import FindScreen

        def found(query: str | None) -> None:
            if query:
                self.find_query = query
                self.action_find_next()

        self.app.push_screen(FindScreen(self.find_query), found)

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
        from translator.tui.screens.add_term import AddTermScreen

        if not self.services.can_add_terms:
            self.notify("Glossary editing is not available in this build.", severity="warning")
            return
        editor = self.query_one("#target", TextArea)
        english = editor.selected_text.strip()
        arabic = self._selected_arabic()
        self.app.push_screen(AddTermScreen(arabic, english, self.services.glossary_files()), self._term_added)

    def _selected_arabic(self) -> str:
        """Arabic selected with the mouse in the source pane, back in stored order."""
        try:
            selected = self.get_selected_text() or ""
        except (AttributeError, ValueError):
            return ""
        from translator.text.bidi import is_rtl_char, visual_order

        if not any(is_rtl_char(c) for c in selected):
            return ""
        # Reversal of a pure Arabic run is its own inverse.
        return visual_order(selected.strip()) if self.visual else selected.strip()

    def _term_added(self, result: Any) -> None:
        if not result:
            return
        try:
            message = self.services.add_term(result)
        except TranslatorError as exc:
            self.notify(str(exc), title="Glossary", severity="error", timeout=10)
            return
        self.notify(message, title="Glossary")
        self._glossary_changed(reenforce_text=result.arabic)

    def action_glossary(self) -> None:
        """Show the whole glossary."""
        from translator.tui.screens.listing import ListingScreen

        rows = self.services.glossary_rows()
        self.app.push_screen(ListingScreen("Glossary", ["Arabic", "English", "Type"], rows))

    def action_qa(self) -> None:
        """Show QA findings over the whole article."""
        from translator.tui.screens.listing import ListingScreen

        if not self.services.has_qa:
            self.notify("QA checks are not available in this build.", severity="warning")
            return
        rows = []
        for i, p in enumerate(self.session.paragraphs):
            if p.translatable:
                for f in self.services.findings(p.text, self.session.english(i)):
                    rows.append((str(self._row(i).number), f.severity, f.message))
        self.app.push_screen(ListingScreen("QA findings", ["¶", "Severity", "Finding"], rows))

    def action_help(self) -> None:
        """List every key."""
        from translator.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.app.active_bindings_table(self)))

    # -- glossary ------------------------------------------------------------------------

    def check_glossary(self) -> None:
        """Reload the glossary if its files changed; a broken file keeps the last good one."""
        try:
            changed = self.services.reload_glossary_if_changed()
        except TranslatorError as exc:
            self.notify(f"{exc}\nKeeping the last good glossary.", title="Glossary not reloaded",
                        severity="error", timeout=15)
            return
        if changed:
            self.notify(f"Glossary reloaded ({self.services.glossary_size()} entries).", title="Glossary", timeout=3)
            self._glossary_changed()

    def _glossary_changed(self, reenforce_text: str | None = None) -> None:
        """Re-highlight everything; re-translate machine paragraphs that contain a new term."""
        for row in self.query(ParagraphRow):
            self._refresh_row(row.index)
        self._load_active()
        if reenforce_text and self.services.engine is not None:
            redo = [i for i, p in enumerate(self.session.paragraphs)
                    if p.translatable and self.session.status(i) in (Status.MACHINE, Status.NEW)
                    and self.services.contains_term(p.text, reenforce_text)]
            if redo:
                self.mt_pending.update(redo)
                self._retranslate(redo)
