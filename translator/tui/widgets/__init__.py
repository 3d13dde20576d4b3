"""Provides the desk's widgets, grouped by screen area."""

from translator.tui.widgets.desk_header import DeskHeader
from translator.tui.widgets.english_editor import EnglishEditor
from translator.tui.widgets.fitted_line import FittedLine
from translator.tui.widgets.paragraph_row import ParagraphRow
from translator.tui.widgets.side_panel import Finding, SidePanel, TermHit
from translator.tui.widgets.source_text import ArabicLines, SourceText

__all__ = ["ArabicLines", "DeskHeader", "EnglishEditor", "Finding", "FittedLine", "ParagraphRow", "SidePanel", "SourceText",
           "TermHit"]
