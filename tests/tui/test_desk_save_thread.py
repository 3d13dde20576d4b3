"""Saves are written off the UI thread (issue #12): a move never waits for the disk, the files
are written in order, a failed write is reported and retried, and quitting writes everything
before the lock is released. (The signal and kill -9 tests run the real CLI:
test_desk_signals.py, test_desk_crash.py.)"""

from __future__ import annotations

import errno
import json
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import FakeEngine
from tests.tui.conftest import ARTICLE, SIZE, DeskFactory, settle
from translator.store.lock import ArticleLock
from translator.store.review import ReviewFiles, english_path, state_path
from translator.tui.screens.review import ReviewScreen

_real_write = ReviewFiles.write


async def _review(app, pilot) -> ReviewScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def test_a_move_hands_its_save_to_the_writer_thread(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow disk (0.3 s per save) does not hold the move: the row is active before the save is
    written, which happens on the writer thread; then the files hold the typing."""
    threads: list[str] = []

    def slow(files: ReviewFiles) -> None:
        threads.append(threading.current_thread().name)
        time.sleep(0.3)
        _real_write(files)

    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review(app, pilot)
        assert screen.flush_saves(timeout=10)
        monkeypatch.setattr(ReviewFiles, "write", slow)
        await pilot.press(*" typed")
        first = screen.active
        await pilot.press("alt+down")
        assert screen.active != first and not screen.session.dirty
        assert not screen.flush_saves(timeout=0.01)  # still being written, in the background
        assert screen.flush_saves(timeout=10)
        assert threads and set(threads) == {"desk-save"}
        rec = json.loads(state_path(folder / ARTICLE).read_text(encoding="utf-8"))["paragraphs"]
        assert rec[screen.session.paragraphs[first].id]["text"].endswith(" typed")


async def test_quit_writes_everything_before_the_lock_is_released(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    release = ArticleLock.release

    def slow(files: ReviewFiles) -> None:
        events.append(f"write {threading.current_thread().name}")
        time.sleep(0.2)
        _real_write(files)
        events.append("written")

    def released(lock: ArticleLock) -> None:
        events.append("release")
        release(lock)

    monkeypatch.setattr(ArticleLock, "release", released)
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await _review(app, pilot)
        monkeypatch.setattr(ReviewFiles, "write", slow)
        await pilot.press(*" before the move", "alt+down", *" last words", "ctrl+q")
    assert events.index("release") == len(events) - 1, events  # nothing written after the release
    assert events.count("written") == sum(e.startswith("write ") for e in events)
    assert "write desk-save" in events and "write MainThread" in events  # the move's, then the final save
    english = english_path(folder / ARTICLE).read_text(encoding="utf-8")
    assert "before the move" in english and "last words" in english


async def test_a_failed_background_save_is_reported_and_retried(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    failures = [OSError(errno.ENOSPC, "No space left on device", str(folder / "x.review.json"))]

    def flaky(files: ReviewFiles) -> None:
        if failures:
            raise failures.pop()
        _real_write(files)

    app = make_desk(folder / ARTICLE, engine, autosave_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review(app, pilot)
        assert screen.flush_saves(timeout=10)
        monkeypatch.setattr(ReviewFiles, "write", flaky)
        await pilot.press(*" kept")
        await pilot.pause(1.5)  # autosave, the failure reported at the next tick, then saved again
        assert screen.flush_saves(timeout=10)
        messages = [n.message for n in app._notifications]
        assert any("Could not save" in m and "No space left" in m for m in messages), messages
        assert not failures and not screen.session.dirty
        rec = json.loads(state_path(folder / ARTICLE).read_text(encoding="utf-8"))["paragraphs"]
        assert rec[screen.session.paragraphs[screen.active].id]["text"].endswith(" kept")
