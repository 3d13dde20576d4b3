"""Keys that arrive in one burst (tmux send-keys, a fast typist, a terminal read of many bytes).

The app handles a desk key (a priority binding such as enter) as soon as it reads it, while the
characters read just before it are still queued for the editor. These tests send a burst the
way the terminal driver does, without waiting between keys, and check every character lands in
the paragraph it was typed into.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import App

from tests.conftest import FakeEngine
from tests.tui.conftest import ARTICLE, SIZE, DeskFactory
from translator.store.review import Status, english_path
from translator.tui.screens.review import ReviewScreen


def burst(app: App[None], *keys: str) -> None:
    """Queue keys like the terminal driver does for one read: no wait for the app in between."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        char = {"enter": "\r", "space": " "}.get(key, key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(app)
        driver.send_message(event)


def typed(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


async def test_text_then_enter_in_one_burst_accepts_the_text(make_desk: DeskFactory, folder: Path, engine: FakeEngine) -> None:
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        order = [p.index for p in screen.session.article.translatable]
        for n in range(3):
            burst(app, *typed(f" typed{n} text"), "enter")
            await pilot.pause()
        session = screen.session
        for n in range(3):
            assert session.status(order[n]) is Status.REVIEWED, n
            assert session.english(order[n]).endswith(f" typed{n} text"), session.english(order[n])
        # Nothing spilled into the paragraph after the last accepted one.
        assert screen.active == order[3]
        assert session.status(order[3]) is Status.MACHINE and "typed" not in session.english(order[3])
        # Moving and quitting in a burst keep the text in its own paragraph too.
        burst(app, *typed(" moved"), "alt+down", *typed(" last"), "ctrl+q")
        await pilot.pause()
    assert not app.is_running
    assert session.english(order[3]).endswith(" moved") and "last" not in session.english(order[3])
    assert session.english(order[4]).endswith(" last")
    assert " last" in english_path(folder / ARTICLE).read_text(encoding="utf-8")


async def test_editor_keys_in_a_burst_apply_in_order(make_desk: DeskFactory, folder: Path, engine: FakeEngine) -> None:
    """ctrl+a (line start), ctrl+k (delete to line end) then text in one read: the editor's own
    bindings ran after the text (at the app, once the key had bubbled up), deleting what was typed."""
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        screen.editor.load_text("Short machine English")  # one line: ctrl+a/ctrl+k act on all of it
        await pilot.pause()
        burst(app, "ctrl+a", "ctrl+k", *typed("Experts: Turkey and Russia"))
        await pilot.pause()
        assert screen.session.english(screen.active) == "Experts: Turkey and Russia"
        burst(app, "ctrl+a", *typed("New: "), "ctrl+e", *typed(" coordinate"))  # line start, line end
        await pilot.pause()
        assert screen.session.english(screen.active) == "New: Experts: Turkey and Russia coordinate"
