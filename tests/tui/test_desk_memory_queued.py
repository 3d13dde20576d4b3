"""Reviewed English whose memory write waits behind another process's write lock (a long
`translator memory import`) is already the translator's own work: the suggestions of other
paragraphs offer it, marked `queued`, and it becomes a stored reviewed entry when the lock frees.

Reproduction: before, the suggestions read only the database, so a paragraph accepted while the
memory was busy was not suggested for its near twin until the import ended. The lock is held by a
real SQLite writer in another process (as in tests/reliability/test_memory_busy.py).
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import FakeEngine
from tests.reliability.test_memory_busy import finish_import, import_holding_the_lock
from tests.tui.conftest import ARTICLE, SIZE, DeskFactory, settle
from tests.tui.test_desk_memory_busy import banner
from translator.store.memory import TranslationMemory
from translator.store.memory_entry import Origin
from translator.text.document import read_article
from translator.tui.screens.review import ReviewScreen
from translator.tui.widgets.side_panel import SideText

REVIEWED = "The reviewed English of the first paragraph."


def twin_article(folder: Path) -> Path:
    """The seed article with a last paragraph that is its first one and one more word."""
    first = read_article(folder / ARTICLE).translatable[0].text
    path = folder / "twin.ar.txt"
    path.write_text((folder / ARTICLE).read_text(encoding="utf-8").rstrip() + f"\n\n{first} اليوم\n", encoding="utf-8")
    return path


async def test_a_queued_accept_is_suggested_to_other_paragraphs(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    article = twin_article(folder)
    with TranslationMemory.for_folder(folder):
        pass
    paragraphs = read_article(article).translatable
    first, twin = paragraphs[0].index, paragraphs[-1].index
    with import_holding_the_lock(folder, 120) as holder:
        app = make_desk(article, engine, memory=True)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            screen.go_to(first)
            await settle(pilot)
            screen.editor.load_text(REVIEWED)
            await pilot.pause()
            await pilot.press("f2")
            await settle(pilot)
            assert screen.services.desk_memory.unsaved(), "the accept waits for the lock"

            screen.go_to(twin)
            await settle(pilot)
            offered = [m for m in screen._suggestions if m.target == REVIEWED]
            assert offered, [(m.label, m.target) for m in screen._suggestions]
            assert offered[0].queued and offered[0].origin is Origin.REVIEWED and offered[0].score > 90
            assert screen._suggestions[0] == offered[0], "the translator's own reviewed work comes first"
            side = str(screen.query_one(SideText).render())
            assert "reviewed, queued" in side and REVIEWED[:30] in side, side
            await pilot.press("alt+1")  # and it can be used like any suggestion
            await pilot.pause()
            assert screen.editor.text == REVIEWED

            finish_import(holder)  # the lock frees: the tick saves it, and it is a stored entry now
            for _ in range(40):
                await pilot.pause(0.25)
                if not banner(screen):
                    break
            screen.go_to(first)
            screen.go_to(twin)
            await settle(pilot)
            stored = [m for m in screen._suggestions if m.target == REVIEWED]
            assert stored and not stored[0].queued and stored[0].entry.id > 0
            await pilot.press("ctrl+q")


async def test_forgetting_a_queued_suggestion_drops_it_from_the_queue(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    article = twin_article(folder)
    with TranslationMemory.for_folder(folder):
        pass
    paragraphs = read_article(article).translatable
    with import_holding_the_lock(folder, 120):
        app = make_desk(article, engine, memory=True)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            screen.go_to(paragraphs[0].index)
            await settle(pilot)
            screen.editor.load_text(REVIEWED)
            await pilot.pause()
            await pilot.press("f2")
            await settle(pilot)
            screen.go_to(paragraphs[-1].index)
            await settle(pilot)
            match = next(m for m in screen._suggestions if m.target == REVIEWED)
            pending = screen.services.desk_memory.unsaved()
            message = screen.services.forget(match)
            assert "Forgot" in message and "queued" in message, message
            assert screen.services.desk_memory.unsaved() == pending - 1
            assert not [m for m in screen.services.suggestions(paragraphs[-1].text) if m.target == REVIEWED]
            await pilot.press("ctrl+q")
        assert "(0 reviewed)" in app.memory_report or app.memory_report == "", app.memory_report
