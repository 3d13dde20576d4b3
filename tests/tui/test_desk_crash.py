"""kill -9 in the middle of typing loses at most the last seconds of the paragraph being typed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import ROOT, FakeEngine
from tests.tui.conftest import ARTICLE, SIZE, DeskFactory
from translator.session import DeskSession
from translator.store.lock import lock_path
from translator.store.review import Status, state_path

CHILD = textwrap.dedent("""
    import asyncio, os, signal, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from tests.conftest import FakeEngine
    from translator.config import Settings
    from translator.session import DeskOptions
    from translator.tui.factory import build_app

    async def main():
        settings = Settings(home=Path({home!r}), glossary_paths=())
        options = DeskOptions(watch_seconds=0, cursor_blink=False, autosave_seconds=0.2)
        app = build_app(Path({article!r}), settings, engine=FakeEngine(), options=options, memory=False)
        async with app.run_test(size={size!r}) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("f2")                # paragraph 1 accepted: saved on the move
            await pilot.press("end", *" SAVED")     # typing in paragraph 2 ...
            await pilot.pause(1.0)                  # ... autosaved after 0.2 s
            await pilot.press(*" LOST")             # typed just before the crash
            os.kill(os.getpid(), signal.SIGKILL)

    asyncio.run(main())
""")


def test_kill_9_loses_at_most_the_last_keystrokes(tmp_path: Path, folder: Path, make_desk: DeskFactory) -> None:
    article = folder / ARTICLE
    script = CHILD.format(root=str(ROOT), home=str(tmp_path / "home"), article=str(article), size=SIZE)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    assert lock_path(article).exists()  # the dead desk's lock is left behind ...

    session = DeskSession.open(article)
    first, second = (p.index for p in session.article.translatable[:2])
    assert session.status(first) is Status.REVIEWED
    # What was typed before the last autosave is on disk (" LOST" may or may not have made it).
    assert " SAVED" in session.english(second) and session.status(second) is Status.EDITED
    json.loads(state_path(article).read_text(encoding="utf-8"))  # never half-written

    make_desk(article, FakeEngine())  # ... and taken over as stale by the next desk
    assert json.loads(lock_path(article).read_text(encoding="utf-8"))["pid"] == os.getpid()
