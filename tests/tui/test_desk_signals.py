"""`kill` (SIGTERM) and a closed terminal (SIGHUP) save what was typed and release the lock.

Runs the real CLI (`python -m translator desk FILE`) with the demo model on a pseudo-terminal,
types into the first paragraph, then sends SIGTERM or closes the terminal (the kernel sends
SIGHUP to the desk), and checks the files the desk leaves behind.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.tui.conftest import ARTICLE
from translator.config import Settings
from translator.session import DeskSession
from translator.store.lock import lock_path
from translator.store.review import english_path, state_path
from translator.tui.app import SIGNAL_EXIT_GRACE_SECONDS

ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


class PtyDesk:
    """A desk process on its own pseudo-terminal (it is the terminal's controlling process)."""

    def __init__(self, article: Path, memory: bool = False, args: tuple[str, ...] = ()) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # child: become the desk
            try:
                os.chdir(ROOT)
                os.environ["TERM"] = "xterm-256color"
                os.execv(sys.executable, [sys.executable, "-m", "translator", "desk", str(article),
                                          *([] if memory else ["--no-memory"]), *args])
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.output = bytearray()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        # Keep draining the terminal, or the desk blocks on its writes.
        while not self._stop.is_set():
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    return
                if not data:
                    return
                self.output.extend(data)

    def screen_text(self) -> str:
        return ANSI.sub("", bytes(self.output).decode("utf-8", "replace"))

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.screen_text():
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; screen so far:\n{self.screen_text()[-3000:]}")
            time.sleep(0.05)

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode("utf-8"))

    def hang_up(self) -> None:
        """Close the terminal, as closing the window or `tmux kill-session` does."""
        self._stop.set()
        self._reader.join()
        os.close(self.fd)
        self.fd = -1

    def wait(self, timeout: float = 30.0) -> int:
        """The exit status as a return code (negative: killed by that signal)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.05)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise AssertionError(f"the desk did not exit; screen:\n{self.screen_text()[-3000:]}")

    def close(self) -> None:
        self._stop.set()
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def wait_for_machine_translation_saved(article: Path, timeout: float = 30.0, out: Path | None = None) -> None:
    """Until the desk has autosaved the demo model's output of every paragraph (beside the article or in `out`)."""
    total = len(DeskSession.open(article).article.translatable)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            records = json.loads(state_path(article, out).read_text(encoding="utf-8"))["paragraphs"].values()
        except (OSError, ValueError):
            records = []
        if len(records) == total and all(r["machine"] is not None for r in records):
            return
        time.sleep(0.1)
    raise AssertionError("the desk never saved the machine translation")


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP"])
def test_kill_or_closed_terminal_saves_the_typing_and_releases_the_lock(
    how: str, installed: Settings, folder: Path
) -> None:
    article = folder / ARTICLE
    word = f"{how}TYPED"
    desk = PtyDesk(article)
    try:
        desk.wait_for("English ¶1")
        assert lock_path(article).exists()
        wait_for_machine_translation_saved(article)  # from here on, only the typing is unsaved
        desk.type(f" {word}")
        desk.wait_for(word)  # on screen: in the editor and the paragraph's row
        # Not saved yet (autosave comes 3 s after the first unsaved change): only the signal can save it.
        assert word not in english_path(article).read_text(encoding="utf-8")
        sent = time.monotonic()
        if how == "SIGTERM":
            os.kill(desk.pid, signal.SIGTERM)
        else:
            desk.hang_up()
        code = desk.wait()
        # A clean exit, not the watchdog's (the shutdown used to block on the dead terminal).
        assert time.monotonic() - sent < SIGNAL_EXIT_GRACE_SECONDS
    finally:
        desk.close()

    assert code == 128 + getattr(signal, how), desk.screen_text()[-2000:]
    assert not lock_path(article).exists()
    assert word in english_path(article).read_text(encoding="utf-8")
    json.loads(state_path(article).read_text(encoding="utf-8"))  # complete, not half-written
    session = DeskSession.open(article)
    first = session.article.translatable[0].index
    assert session.english(first).endswith(f" {word}")
    assert session.status(first).value == "edited"
