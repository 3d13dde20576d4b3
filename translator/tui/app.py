"""Provides TranslatorApp: the desk's Textual application (screens do the work)."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.screen import Screen

from translator.errors import TranslatorError
from translator.store.lock import ArticleLock
from translator.session import DeskOptions, DeskSession, open_article
from translator.tui.burst import BurstDriver
from translator.tui.desk_memory import QUIT_WAIT
from translator.tui.desk_services import DeskServices
from translator.tui.screens.article_list import ArticleListScreen
from translator.tui.screens.help import bindings_table
from translator.tui.screens.review import ReviewScreen


#: How long the exit after a signal may take before the process ends anyway (the work is saved),
#: besides the bounded wait for a busy memory (QUIT_WAIT).
SIGNAL_EXIT_GRACE_SECONDS = 5.0


class TranslatorApp(App[None]):
    """The desk. Build it with translator.tui.factory.build_app (CLI and tests alike)."""

    CSS_PATH = "translator.tcss"
    TITLE = "translator"
    # Through after_typing (see ReviewScreen.action_after_typing): keys typed just before
    # ctrl+q are in the editor, and so in the final save.
    BINDINGS = [Binding("ctrl+q", "after_typing('quit')", "Quit", priority=True, id="quit")]

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
        self._watchdog: threading.Timer | None = None
        self._previous_sighup: Any = None
        self.memory_report = ""
        """The line saying which memory changes were not saved at quit (another process held it), or ""."""

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, except on Linux terminals: BurstDriver (an unbracketed paste is text)."""
        driver = super().get_driver_class()
        return BurstDriver if driver is LinuxDriver else driver

    def on_mount(self) -> None:
        session, lock = self._first
        if session is not None:
            self.push_screen(ReviewScreen(session, lock, self.services, self.options))
        else:
            self.push_screen(ArticleListScreen(self.target, self.options))
        if not self.is_headless:  # a real terminal (run_test leaves the test process's signals alone)
            self._catch_exit_signals()

    def open_article(self, path: Path, can_go_back: bool = True) -> ReviewScreen | None:
        """Open an article in a review screen; a lock or read problem becomes a notification."""
        try:
            session, lock = open_article(path, self.options, self.services.desk_memory)
        except TranslatorError as exc:
            self.notify(str(exc), title="Cannot open", severity="error", timeout=15)
            return None
        screen = ReviewScreen(session, lock, self.services, self.options, can_go_back=can_go_back)
        self.push_screen(screen)
        return screen

    def review_screens(self) -> list[ReviewScreen]:
        """Review screens on the stack (at most one in practice)."""
        return [s for s in self.screen_stack if isinstance(s, ReviewScreen)]

    def action_after_typing(self, action: str) -> None:
        """Run `action` after the keys already queued for the focused widget."""
        (self.focused or self.screen).call_later(self.run_action, action)

    async def action_quit(self) -> None:
        """Save everything and quit; asks only when saving failed."""
        failed = [s for s in self.review_screens() if not s.close_session()]
        if failed and not self._quit_anyway:
            self._quit_anyway = True
            self.notify("Saving failed (see above). Press ctrl+q again to quit anyway; unsaved edits will be lost.",
                        severity="error", timeout=15)
            return
        self.exit()

    def _catch_exit_signals(self) -> None:
        """Make SIGTERM and SIGHUP save, unlock and exit instead of killing the desk."""
        loop = asyncio.get_running_loop()
        try:
            loop.add_signal_handler(signal.SIGTERM, self.exit_on_signal, signal.SIGTERM)
            # A plain handler for SIGHUP: Python runs it as soon as the main thread wakes, and
            # before the SIGCONT that the kernel sends with a hang-up (handlers run in signal
            # number order), so Textual's SIGCONT handler never touches the dead terminal.
            self._previous_sighup = signal.signal(signal.SIGHUP, lambda signum, frame: self._hung_up(loop))
        except (RuntimeError, ValueError):  # not the main thread: keep the defaults
            return

    def _hung_up(self, loop: asyncio.AbstractEventLoop) -> None:
        self._detach_from_terminal()
        loop.call_soon_threadsafe(self.exit_on_signal, signal.SIGHUP)

    def _release_exit_signals(self) -> None:
        try:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)
        except RuntimeError:
            return
        if self._previous_sighup is not None:
            signal.signal(signal.SIGHUP, self._previous_sighup)
            self._previous_sighup = None

    def exit_on_signal(self, signum: int) -> None:
        """Save the article (the English being typed included), release the lock, exit.

        Runs in the event loop, between messages, so the widgets are in a consistent state.
        The save is done here rather than in the exit path so that nothing depends on the
        terminal; a watchdog ends the process if the exit does not finish in time.
        """
        name = signal.Signals(signum).name
        failed = [s for s in self.review_screens() if not s.close_session()]
        if self._watchdog is None:
            self._watchdog = threading.Timer(SIGNAL_EXIT_GRACE_SECONDS + QUIT_WAIT, os._exit, (128 + signum,))
            self._watchdog.daemon = True
            self._watchdog.start()
        message = None
        if failed:
            message = (f"translator: error: desk stopped by {name}: could not save "
                       f"{', '.join(str(s.session.article.path) for s in failed)}; edits since the last save are lost")
        self.exit(return_code=128 + signum, message=message)

    @staticmethod
    def _detach_from_terminal() -> None:
        """SIGHUP: the terminal is gone; send the exit path's output and reads to /dev/null.

        Writes to a hung-up terminal fail (EIO) and kill Textual's writer thread, after which
        its queue fills and the shutdown blocks. The kernel's SIGCONT that comes with the
        hang-up would make Textual re-enter application mode on the dead terminal.
        """
        signal.signal(signal.SIGCONT, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.close(null)

    async def run_async(self, **kwargs: Any) -> None:
        try:
            return await super().run_async(**kwargs)
        finally:
            if self._watchdog is not None:  # the exit finished in time
                self._watchdog.cancel()

    def on_app_focus(self) -> None:
        """Back in the terminal: pick up glossary edits made in another window."""
        for screen in self.review_screens():
            screen.check_glossary()

    def on_unmount(self) -> None:
        self._release_exit_signals()
        # Widgets may already be gone here: save through the session, not the editor.
        for screen in self.review_screens():
            screen.close_session(from_editor=False)
        self.memory_report = self.services.close(self.options.out_dir)  # waits a few s at most for a busy memory

    def active_bindings_table(self, screen: Screen[object]) -> list[tuple[str, str]]:
        """(keys, description) of every binding of `screen` and of the app, for the help screen."""
        return bindings_table(screen, self)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for b in screen.BINDINGS:
            if isinstance(b, Binding) and b.description:
                key = b.key.split(",")[0]
                yield SystemCommand(f"{b.description} ({key})", f"Desk: {b.description}",
                                    lambda action=b.action, s=screen: self.call_later(s.run_action, action))
