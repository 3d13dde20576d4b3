"""The real desk in tmux: an unbracketed multi-line paste (`paste-buffer` without -p) is text.

Runs `python -m translator desk FILE` (no model installed: the translator types the English)
in a private tmux server (`tmux -L <unique>`, other engineers share the machine), pastes 30
lines the way a terminal without bracketed paste delivers them (every line break a carriage
return) and checks that nothing was accepted; then `send-keys -l text` + `Enter` still accepts.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.tui.conftest import ARTICLE
from translator.session import DeskSession
from translator.store.review import state_path

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")


class TmuxDesk:
    def __init__(self, article: Path, home: Path, width: int = 120, height: int = 40) -> None:
        self.socket = f"translator-test-{uuid.uuid4().hex[:12]}"
        command = (f"cd {shlex.quote(str(ROOT))} && TRANSLATOR_HOME={shlex.quote(str(home))} TERM=xterm-256color "
                   f"{shlex.quote(sys.executable)} -m translator desk {shlex.quote(str(article))} --no-memory")
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", "desk", "-x", str(width), "-y", str(height), command)

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30)
        if done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "desk")

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if text in shown:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; screen:\n{shown}")
            time.sleep(0.1)

    def running(self) -> bool:
        return subprocess.run(["tmux", "-L", self.socket, "has-session", "-t", "desk"],
                              capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def test_unbracketed_paste_in_tmux_accepts_nothing(home: Path, folder: Path) -> None:
    article = folder / ARTICLE
    lines = [f"pasted line {n} ends here." for n in range(30)]
    desk = TmuxDesk(article, home)
    try:
        desk.wait_for("English ¶1")
        desk.tmux("set-buffer", "-b", "clip", "\n".join(lines) + "\n")
        desk.tmux("paste-buffer", "-b", "clip", "-t", "desk")  # no -p: not bracketed, LF sent as CR
        desk.wait_for("ends here.")
        time.sleep(1.0)  # let any wrongly accepted paragraph show
        # A deliberate text + Enter in one burst types, then accepts.
        desk.tmux("send-keys", "-t", "desk", "-l", " DONE")
        desk.tmux("send-keys", "-t", "desk", "Enter")
        desk.tmux("send-keys", "-t", "desk", "C-q")
        deadline = time.monotonic() + 20
        while desk.running() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not desk.running(), desk.screen()
    finally:
        desk.close()
    session = DeskSession.open(article)
    first = session.article.translatable[0].index
    assert session.progress()[0] == 1
    assert session.english(first) == " ".join(lines) + " DONE"
    assert session.status(first).value == "reviewed"
    saved = json.loads(state_path(article).read_text(encoding="utf-8"))
    assert sum(r["status"] == "reviewed" for r in saved["paragraphs"].values()) == 1
