"""Provides ArticleListScreen: the articles of a folder with their review progress."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from translator.store.lock import ArticleLock
from translator.session import DeskOptions
from translator.store.article_list import ArticleSummary, list_articles


def progress_bar(done: int, total: int, width: int = 20) -> Text:
    """A text bar like `████████░░░░ 8/12`."""
    filled = round(width * done / total) if total else 0
    bar = Text("█" * filled, style="green")
    bar.append("░" * (width - filled), style="dim")
    bar.append(f" {done}/{total}")
    return bar


class ArticleListScreen(Screen[None]):
    """Pick an article; enter opens it in the review screen."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="open"),
        Binding("f1", "help", "Help", id="help"),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh"),
    ]

    def __init__(self, folder: Path, options: DeskOptions) -> None:
        super().__init__()
        self.folder = Path(folder)
        self.options = options
        self.summaries: list[ArticleSummary] = []

    def compose(self) -> ComposeResult:
        yield Static(id="list-header")
        yield DataTable(id="articles", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Article", "Reviewed", "Machine", "Edited", "New", "State")
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        """Re-read progress from the saved review states."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        self.summaries = list_articles(self.folder, self.options.out_dir)
        done = 0
        for s in self.summaries:
            if s.error:
                table.add_row(s.name, Text(s.error, style="red"), "", "", "", "cannot open")
                continue
            counts = {k.value: v for k, v in s.counts.items()}
            holder = ArticleLock(s.path, self.options.out_dir).holder()
            state = "open in another desk" if holder else ("done" if s.done else "")
            done += s.done
            table.add_row(s.name, progress_bar(s.reviewed, s.total), str(counts["machine"]),
                          str(counts["edited"]), str(counts["new"]), state)
        header = Text()
        header.append(" translator ", style="bold reverse")
        header.append(f" {self.folder.name}/  ·  {len(self.summaries)} articles, {done} fully reviewed  ·  enter opens")
        self.query_one("#list-header", Static).update(header)
        if self.summaries:
            table.move_cursor(row=min(row, len(self.summaries) - 1))
        if not self.summaries:
            self.notify(f"No *.txt articles in {self.folder}.", severity="warning")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.cursor_row)

    def action_open(self) -> None:
        self._open(self.query_one(DataTable).cursor_row)

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.summaries):
            self.app.open_article(self.summaries[row].path, can_go_back=True)  # type: ignore[attr-defined]

    def action_help(self) -> None:
        from translator.tui.screens.help import HelpScreen, bindings_table

        self.app.push_screen(HelpScreen(bindings_table(self, self.app)))
