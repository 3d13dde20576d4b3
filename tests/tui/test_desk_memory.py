"""Memory provenance in the desk: origin and score shown, own MT not suggested, forget, un-accept."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import FakeEngine
from tests.tui.conftest import ARTICLE, SIZE, DeskFactory
from translator.store.memory import TranslationMemory
from translator.store.memory_entry import Origin, source_key
from translator.store.review import Status
from translator.tui.screens.forget import ForgetScreen
from translator.tui.screens.review import ReviewScreen
from translator.tui.widgets import SidePanel


async def _review(app, pilot) -> ReviewScreen:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def side_text(screen: ReviewScreen) -> str:
    return str(screen.query_one(SidePanel).query_one("#side-content").render())


async def test_junk_suggestion_shows_its_origin_and_can_be_forgotten(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    from translator.text.document import read_article

    first = read_article(folder / ARTICLE).translatable[0].text
    with TranslationMemory.for_folder(folder) as memory:  # a damaged paste, accepted by mistake earlier
        memory.add_reviewed(first, "labore.Filler line 22")
    app = make_desk(folder / ARTICLE, engine, memory=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review(app, pilot)
        # The pipeline took the reviewed entry as this paragraph's draft (status machine); the side
        # panel says where that English came from.
        assert screen.editor.text == "labore.Filler line 22"
        assert screen.session.status(screen.active) is Status.MACHINE
        shown = side_text(screen)
        assert "reviewed 100% labore.Filler line 22 (in the editor)" in shown, shown
        await pilot.press("alt+x")
        assert isinstance(app.screen, ForgetScreen)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        memory = screen.services.memory
        assert [e for e in memory.entries(Origin.REVIEWED) if e.target == "labore.Filler line 22"] == []
        assert "labore" not in side_text(screen)
        await pilot.press("ctrl+r")  # re-translate: the junk is no longer offered by the memory
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("alt+r")
        assert "labore" not in screen.editor.text


async def test_own_machine_translation_is_no_suggestion(make_desk: DeskFactory, folder: Path, engine: FakeEngine) -> None:
    app = make_desk(folder / ARTICLE, engine, memory=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review(app, pilot)
        text = screen.session.paragraphs[screen.active].text
        await pilot.press(*" edited")  # the editor no longer holds the machine English
        screen._refresh_side()
        own = [s for s in screen._suggestions if source_key(s.source) == source_key(text) and s.origin is Origin.MACHINE]
        assert own == [] and "machine 100%" not in side_text(screen)
        assert screen.services.memory.lookup_entry(text).origin is Origin.MACHINE  # it is in the memory


async def test_unaccept_reopens_the_paragraph_and_removes_its_memory_entry(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    app = make_desk(folder / ARTICLE, engine, memory=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review(app, pilot)
        first = screen.active
        await pilot.press(*" checked", "enter")  # accept, and on to the next paragraph
        memory = screen.services.memory
        source = screen.session.paragraphs[first].text
        assert memory.lookup_entry(source).origin is Origin.REVIEWED
        await pilot.press("alt+up", "alt+u")
        assert screen.active == first and screen.session.status(first) is Status.EDITED
        assert all(e.origin is not Origin.REVIEWED for e in memory.entries(source=source))
        assert screen.session.progress()[0] == 0 and not screen.session.dirty  # saved at once


async def test_a_draft_from_the_memory_says_where_it_came_from_and_never_reads_reviewed(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    """¶2's English comes from a colleague's reviewed TMX entry: its row, the editor and the header
    say `memory` with the origin (not `machine`, and not `reviewed`: nobody checked it here);
    ¶1's fresh machine output says `machine`. The same after closing and reopening."""
    from translator.store.memory_entry import MemoryEntry, Via
    from translator.text.document import read_article
    from translator.tui.widgets import DeskHeader

    paragraphs = read_article(folder / ARTICLE).translatable
    first, second = paragraphs[0].index, paragraphs[1].index
    with TranslationMemory.for_folder(folder) as memory:
        memory.add(MemoryEntry(paragraphs[1].text, "Alice's English", Origin.REVIEWED, creator="alice", via=Via.TMX,
                               file="/shared/alice.tmx", imported="2025-03-01T10:00:00+00:00"))

    def gutter(screen: ReviewScreen, index: int) -> str:
        return str(screen._row(index).query_one(".row-gutter").render())

    for run in range(2):  # opened, then reopened (resumed from review.json, no MT)
        calls = len(engine.sentences)
        app = make_desk(folder / ARTICLE, engine, memory=True)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _review(app, pilot)
            assert screen.session.english(second) == "Alice's English"
            assert screen.session.status(second) is Status.MACHINE  # a draft: unreviewed
            assert "memory" in gutter(screen, second), gutter(screen, second)
            assert "machine" not in gutter(screen, second) and "reviewed" not in gutter(screen, second)
            assert "machine" in gutter(screen, first)
            header = str(screen.query_one(DeskHeader).render())
            assert "1 memory" in header and "0/" in header, header
            await pilot.press("alt+down")
            await pilot.pause()
            assert screen.active == second
            title = str(screen.editor.border_title)
            assert "memory" in title and "TMX" in title and "alice.tmx" in title, title
            assert "· reviewed" not in title
            await pilot.press("ctrl+q")
        assert run == 0 or len(engine.sentences) == calls
