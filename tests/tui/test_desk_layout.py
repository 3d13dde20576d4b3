"""Responsiveness by construction (issue #12): a paragraph move or a typed key redraws what
changed without a layout pass, which in Textual re-arranges the whole screen (and a widget that
changes size asks for a second one). The figures are in bench/desk_latency.py; these tests pin
the mechanism, so a change that brings the layout passes back fails here, not in a timing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest
from rich.text import Text
from textual.widget import Widget

from tests.conftest import FakeEngine
from tests.tui.conftest import ARTICLE, SIZE, DeskFactory, settle
from translator.tui.screens.review import ReviewScreen
from translator.tui.widgets import SourceText
from translator.tui.widgets.side_panel import SidePanel, SideText


@contextmanager
def layouts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Widgets that ask for a layout pass while the block runs."""
    asked: list[str] = []
    real = Widget.refresh

    def refresh(self: Widget, *args: object, **kwargs: object) -> Widget:
        if kwargs.get("layout"):
            asked.append(f"{type(self).__name__}#{self.id}")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as m:
        m.setattr(Widget, "refresh", refresh)
        yield asked


async def _review(app, pilot) -> ReviewScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def test_a_paragraph_move_lays_out_nothing(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """¶1-¶4 of the article have side panels that fit: moving among them only redraws."""
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review(app, pilot)
        source = screen.query_one("#active-source", SourceText)
        height = source.size.height
        with layouts(monkeypatch) as asked:
            for key in ["alt+down"] * 3 + ["alt+up"] * 3 + ["alt+down"]:
                await pilot.press(key)
                await pilot.pause()
                assert asked == [], f"{key} to ¶{screen.active + 1} asked for a layout pass"
                assert source.size.height == height
        assert screen.active == 1


async def test_the_active_arabic_has_one_height_for_the_article(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    """The longest paragraph's lines at this width (at most 8), so the editor does not jump; a
    paragraph too long for it ends in `…`; a smaller terminal keeps the editor room to type."""
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review(app, pilot)
        source = screen.query_one("#active-source", SourceText)
        width = source.content_size.width
        texts = [p.text for p in screen.session.paragraphs if p.translatable]
        longest = max(len(Text(t).wrap(app.console, width, overflow="fold")) for t in texts)
        assert source.size.height == min(8, longest) == source.max_lines
        for _ in texts:
            await pilot.press("alt+down")
            await pilot.pause()
            assert source.size.height == min(8, longest)
            if screen.session.paragraphs[screen.active].text == max(texts, key=len) and longest > 8:
                assert "…" in source.render_line(source.size.height - 1).text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        editor = screen.editor
        assert editor.size.height >= 2  # two lines of English inside its border
        assert source.size.height <= 8


async def test_the_side_panel_grows_for_long_text_and_shrinks_back(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    """Text taller than the panel scrolls (a layout pass, then); the next paragraph's shorter
    text gives the panel back its own height."""
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review(app, pilot)
        panel = screen.query_one(SidePanel)
        text = panel.query_one(SideText)
        room = panel.scrollable_content_region.height
        heights = []
        for _ in range(6):
            await pilot.press("alt+down")
            await pilot.pause()
            heights.append(text.size.height)
            assert text.size.height >= room
        # ¶5 of this article lists more glossary hits and QA findings than 16 lines hold.
        assert max(heights) > room
        assert heights[-1] == room


async def test_typing_within_a_line_lays_out_nothing(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A typed key changes the row's English; only a new line count asks for a layout pass."""
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review(app, pilot)
        screen.editor.load_text("x")  # a one-line English (recorded through the editor's Changed)
        screen.editor.move_cursor(screen.editor.document.end)
        await pilot.pause()
        with layouts(monkeypatch) as asked:
            for ch in "yz":
                await pilot.press(ch)
                await pilot.pause()
        assert asked == []
        assert screen.session.english(screen.active) == "xyz"


@contextmanager
def busy_process() -> Iterator[None]:
    """A thread of this process spinning, as on a loaded 2-core CI machine: Pilot's waits for an
    idle process (up to 1 s each) then outlast the desk's own timers."""
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            sum(range(1000))

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@pytest.mark.parametrize("load", [False, True], ids=["quiet", "busy"])
async def test_a_typed_key_and_a_move_each_draw_one_frame(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine, monkeypatch: pytest.MonkeyPatch, load: bool
) -> None:
    """The editor records an edit as it makes it, so the row, header and title redraw in the
    editor's own frame (the Changed message used to bring a second frame per key). The frames
    counted are the key's own: the side panel's follow-up (0.4 s after typing, its own frame) and
    the autosave are timed out of the window, which under load used to catch the follow-up."""
    app = make_desk(folder / ARTICLE, engine, autosave_seconds=3600, side_follow_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review(app, pilot)
        frames: list[int] = []
        display = app._display

        def counted(*args: object, **kwargs: object) -> None:
            frames.append(1)
            display(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(app, "_display", counted)
        with busy_process() if load else nullcontext():
            for key in ["space", "x", "y", "alt+down", "z", "alt+up"]:
                frames.clear()
                screen._side_timer = None
                await pilot.press(key)
                await pilot.pause()
                assert len(frames) == 1, f"{key}: {len(frames)} frames"
                # A typed key still has the side panel follow it, later and in a frame of its own.
                assert (screen._side_timer is not None) == (key not in ("alt+down", "alt+up")), key
        assert screen.session.english(screen.active).endswith(" xy")


async def test_the_side_panel_scroll_extent_follows_its_text(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    """The panel's scrollable height follows the text without extra layout passes: all of ¶5's
    long text can be scrolled to, and a short text after it does not scroll."""
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review(app, pilot)
        panel = screen.query_one(SidePanel)
        for _ in range(4):
            await pilot.press("alt+down")
            await pilot.pause()
        text = panel.query_one(SideText)
        room = panel.scrollable_content_region.height
        assert text.size.height > room and panel.show_vertical_scrollbar
        assert panel.max_scroll_y == text.size.height - room
        panel.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert panel.scroll_y == panel.max_scroll_y > 0
        await pilot.press("alt+down")
        await pilot.pause()
        assert text.size.height == room and panel.max_scroll_y == 0 and not panel.show_vertical_scrollbar
