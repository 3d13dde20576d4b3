"""#16 item 8 in the desk: another process holding the memory's write lock (a long `translator
memory import`) never freezes the desk nor fails an accept, un-accept or forget.

Reproduction: with the lock held, an accept waited SQLite's 30 s busy timeout on the UI thread and
then failed; machine entries queued in the desk got one try at close, without waiting. Here the
lock is held by a real SQLite writer in another process (as in tests/reliability/test_memory_busy.py).
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

from textual.widgets import Static

from tests.conftest import ROOT, FakeEngine
from tests.reliability.test_memory_busy import finish_import, import_holding_the_lock
from tests.tui.conftest import ARTICLE, SIZE, DeskFactory, settle
from tests.tui.test_desk_signals import PtyDesk, wait_for_machine_translation_saved
from translator.config import Settings
from translator.session import DeskSession
from translator.store.memory import TranslationMemory
from translator.store.memory_entry import Origin
from translator.store.review import Status, load_review
from translator.tui.app import SIGNAL_EXIT_GRACE_SECONDS
from translator.tui.desk_memory import QUIT_WAIT
from translator.tui.screens.review import ReviewScreen


def banner(screen: ReviewScreen) -> str:
    widget = screen.query_one("#memory-banner", Static)
    return "" if widget.has_class("-hidden") else str(widget.render())


def reviewed(folder: Path) -> dict[str, str]:
    with TranslationMemory.for_folder(folder) as memory:
        return {e.source: e.target for e in memory.entries(Origin.REVIEWED)}


async def press_timed(pilot, *keys: str) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    await pilot.press(*keys)
    await pilot.pause()
    return time.monotonic() - started


async def test_accept_unaccept_and_forget_while_another_process_writes_the_memory(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    from translator.text.document import read_article

    paragraphs = read_article(folder / ARTICLE).translatable
    with TranslationMemory.for_folder(folder) as memory:  # an entry to forget, there before the import
        memory.add_reviewed(paragraphs[1].text, "An old reviewed English.")
    with import_holding_the_lock(folder, 120) as holder:
        app = make_desk(folder / ARTICLE, engine, memory=True)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            services = screen.services
            # Machine translation went on; its entries wait in the queue, and lookups see them.
            first, second, third = (p.index for p in paragraphs[:3])
            assert screen.session.status(first) is Status.MACHINE
            memory = services.memory
            assert memory is not None and memory.lookup(paragraphs[0].text) == screen.session.english(first)
            # Accept never blocks for more than a moment, never fails.
            screen.go_to(first)
            await settle(pilot)
            assert await press_timed(pilot, "f2") < 1.5
            assert screen.session.status(first) is Status.REVIEWED
            # Un-accept and accept again, accept another: all queue, in order.
            screen.go_to(first)
            await settle(pilot)
            assert await press_timed(pilot, "alt+u") < 1.5
            assert screen.session.status(first) is not Status.REVIEWED
            screen.go_to(third)
            await settle(pilot)
            assert await press_timed(pilot, "f2") < 1.5
            # Forget the old entry (shown as a suggestion of the second paragraph).
            screen.go_to(second)
            await settle(pilot)
            assert screen._suggestions, "the old reviewed entry is a suggestion"
            message = services.forget(screen._suggestions[0])
            assert "saved when the memory is free" in message
            await pilot.pause(0.8)  # a tick
            line = banner(screen)
            assert "busy" in line and "another process" in line and "saved when it frees" in line, line
            assert "\n" not in line.strip()
            assert not [n for n in app._notifications if n.severity == "error"]
            assert holder.poll() is None and reviewed(folder) == {paragraphs[1].text: "An old reviewed English."}

            finish_import(holder)  # the import ends: the tick saves everything, the line goes
            for _ in range(40):
                await pilot.pause(0.25)
                if not banner(screen):
                    break
            assert banner(screen) == ""
            assert reviewed(folder) == {paragraphs[2].text: screen.session.english(third)}
            with TranslationMemory.for_folder(folder) as check:
                assert check.counts()["machine"] >= len(paragraphs) - 1
            await pilot.press("ctrl+q")
        assert app.memory_report == ""
    state = load_review(folder / ARTICLE)
    assert state.paragraphs[paragraphs[2].id].status is Status.REVIEWED


async def test_quit_while_the_memory_stays_busy_waits_briefly_and_says_how_to_redo_it(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    with TranslationMemory.for_folder(folder):
        pass
    with import_holding_the_lock(folder, 300) as holder:
        app = make_desk(folder / ARTICLE, engine, memory=True)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            first = screen.active
            await pilot.press("f2")
            await settle(pilot)
            assert screen.session.status(first) is Status.REVIEWED
            started = time.monotonic()
            await pilot.press("ctrl+q")
        took = time.monotonic() - started
        assert holder.poll() is None
    assert took < QUIT_WAIT + 5, took
    line = app.memory_report
    assert "not saved" in line and "another process held its write lock" in line, line
    assert "translator export" in line and "--format tmx" in line and "translator memory" in line and "import" in line
    assert "\n" not in line
    state = load_review(folder / ARTICLE)
    assert [rec.status for rec in state.paragraphs.values()].count(Status.REVIEWED) == 1
    assert reviewed(folder) == {}


def test_sigterm_while_the_memory_stays_busy_exits_in_bounded_time_with_one_line(
    installed: Settings, folder: Path
) -> None:
    article = folder / ARTICLE
    with TranslationMemory.for_folder(folder):
        pass
    with import_holding_the_lock(folder, 300) as holder:
        desk = PtyDesk(article, memory=True)
        try:
            desk.wait_for("English ¶1")
            wait_for_machine_translation_saved(article)
            total = len(DeskSession.open(article).article.translatable)
            desk.type("\r")  # accept the active paragraph: its memory entry queues
            desk.wait_for(f"1/{total} reviewed")
            desk.wait_for("Translation memory busy")
            sent = time.monotonic()
            os.kill(desk.pid, signal.SIGTERM)
            code = desk.wait()
            took = time.monotonic() - sent
        finally:
            desk.close()
        assert holder.poll() is None
    assert code == 128 + signal.SIGTERM, desk.screen_text()[-2000:]
    assert QUIT_WAIT <= took < QUIT_WAIT + SIGNAL_EXIT_GRACE_SECONDS, took
    text = desk.screen_text()
    assert "Traceback" not in text
    warnings = re.findall(r"translator: warning: [^\r\n]*", text)
    assert len(warnings) == 1, text[-2000:]
    assert "(1 reviewed) not saved" in warnings[0] and "translator export" in warnings[0], warnings
    session = DeskSession.open(article)  # the accept is saved in the review file
    assert [session.status(p.index).value for p in session.article.translatable].count("reviewed") == 1


def test_the_redo_command_printed_at_quit_re_feeds_the_reviewed_english_of_a_desk_with_output_elsewhere(
    installed: Settings, folder: Path, tmp_path: Path
) -> None:
    """`desk -o OUT` keeps the review files in OUT: the printed export must read them there. The two
    commands are run as printed (DIR filled in) once the other process let go, and the accepted
    English reaches the memory."""
    article, out = folder / ARTICLE, tmp_path / "review out"  # a space: the command must quote it
    with TranslationMemory.for_folder(folder):
        pass
    with import_holding_the_lock(folder, 300):
        desk = PtyDesk(article, memory=True, args=("-o", str(out)))
        try:
            desk.wait_for("English ¶1")
            wait_for_machine_translation_saved(article, out=out)
            total = len(DeskSession.open(article).article.translatable)
            desk.type("\r")  # accept the active paragraph: its memory entry queues
            desk.wait_for(f"1/{total} reviewed")
            desk.wait_for("Translation memory busy")
            os.kill(desk.pid, signal.SIGTERM)
            desk.wait()
        finally:
            desk.close()
    warnings = re.findall(r"translator: warning: [^\r\n]*", desk.screen_text())
    assert len(warnings) == 1, desk.screen_text()[-2000:]
    session = DeskSession.open(article, out_dir=out)
    accepted = [p for p in session.article.translatable if session.status(p.index) is Status.REVIEWED]
    assert len(accepted) == 1
    commands = re.findall(r"`(translator [^`]*)`", warnings[0])
    assert len(commands) == 2, warnings[0]
    tmx_dir = tmp_path / "tmx"
    for command in commands:
        argv = shlex.split(command.replace("DIR", str(tmx_dir)).replace("NAME", ARTICLE.removesuffix(".ar.txt")))
        done = subprocess.run([sys.executable, "-m", *argv], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    assert reviewed(folder) == {accepted[0].text: session.english(accepted[0].index)}
