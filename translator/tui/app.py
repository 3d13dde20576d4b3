"""Provides TranslatorApp: the desk's Textual application (screens do the work)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from translator.errors import TranslatorError
from translator.lock import ArticleLock
from translator.session import DeskOptions, DeskSession
from translator.tui.desk_services import DeskServices
from translator.tui.screens.article_list import ArticleListScreen
from translator.tui.screens.review import ReviewScreen


class TranslatorApp(App[None]):
    """The desk. Build it with translator.tui.factory.build_app (CLI and tests alike)."""

    CSS_PATH = "translator.tcss"
    TITLE = "translator"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True, id="quit")]

    def __init__(
        self,
        target: Path,
        services: DeskServices,
        options: DeskOptions,
        session: DeskSession | None = None,
        lock: ArticleLock | None = None,
    ) -> None:
        super().__init__()
        self.target = Path(target)
        self.services = services
        self.options = options
        self._first = (session, lock)
        self._quit_anyway = False

    def on_mount(self) -> None:
        session, lock = self._first
        if session is not None:
            self.push_screen(ReviewScreen(session, lock, self.services, self.options))
        else:
            self.push_screen(ArticleListScreen(self.target, self.options))

    def open_article(self, path: Path, can_go_back: bool = True) -> ReviewScreen | None:
        """Open an article in a review screen; a lock or read problem becomes a notification."""
        from translator.tui.factory import open_article

        try:
            session, lock = open_article(path, self.options, self.services)
        except TranslatorError as exc:
            self.notify(str(exc), title="Cannot open", severity="error", timeout=15)
            return None
        screen = ReviewScreen(session, lock, self.services, self.options, can_go_back=can_go_back)
        self.push_screen(screen)
        return screen

    def review_screens(self) -> list[ReviewScreen]:
        """Review screens on the stack (at most one in practice)."""
        return [s for s in self.screen_stack if isinstance(s, ReviewScreen)]

    async def action_quit(self) -> None:
        """Save everything and quit; asks only when saving failed."""
        failed = [s for s in self.review_screens() if not s.close_session()]
        if failed and not self._quit_anyway:
            self._quit_anyway = True
            self.notify("Saving failed (see above). Press ctrl+q again to quit anyway; unsaved edits will be lost.",
                        severity="error", timeout=15)
            return
        self.exit()

    def on_app_focus(self) -> None:
        """Back in the terminal: pick up glossary edits made in another window."""
        for screen in self.review_screens():
            screen.check_glossary()

    def on_unmount(self) -> None:
        # Widgets may already be gone here: save through the session, not the editor.
        for screen in self.review_screens():
            screen.close_session(from_editor=False)
        self.services.close()

    def active_bindings_table(self, screen: Screen[object]) -> list[tuple[str, str]]:
        """(keys, description) of every binding of `screen` and of the app, for the help screen."""
        rows: list[tuple[str, str]] = []
        for owner in (screen, self):
            for b in owner.BINDINGS:
                if isinstance(b, Binding) and b.description:
                    keys = ", ".join(k.strip() for k in b.key.split(","))
                    rows.append((keys, b.description))
        rows.append(("ctrl+p", "Command palette (every action by name)"))
        return rows

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for b in getattr(screen, "BINDINGS", []):
            if isinstance(b, Binding) and b.description:
                key = b.key.split(",")[0]
                yield SystemCommand(f"{b.description} ({key})", f"Desk: {b.description}",
                                    lambda action=b.action, s=screen: self.call_later(s.run_action, action))
