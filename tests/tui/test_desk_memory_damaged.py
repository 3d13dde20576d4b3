"""#16: a damaged translation memory in the desk: one clear line (what, where, what to do), then
the desk goes on without memory; never a traceback.

Two kinds of damage, as for batch (tests/reliability/test_glossary_memory.py): a bad header (the
file does not open) and garbage in the middle (it opens; reads and writes fail later).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FakeEngine
from tests.tui.conftest import ARTICLE, SIZE, DeskFactory, settle
from translator.store.memory import TranslationMemory, memory_path
from translator.store.review import Status, load_review
from translator.text.document import read_article
from translator.tui.screens.review import ReviewScreen


def _garbage_mid_file(folder: Path) -> None:
    with TranslationMemory.for_folder(folder, "fake→en 0") as memory:
        for i in range(3000):  # pages enough that garbage lands in the middle of the table
            memory.add_machine(f"جملة رقم {i} " + "كلمة " * 20, f"sentence {i}", "fake→en 0")
        for p in read_article(folder / ARTICLE).translatable:  # the desk reads these rows
            memory.add_reviewed(p.text, f"reviewed {p.index}")
    db = memory_path(folder)
    data = bytearray(db.read_bytes())  # the header page is kept: the file opens, its pages are garbage
    start, end = len(data) // 4, len(data) * 3 // 4
    data[start:end] = b"\xde\xad\xbe\xef" * ((end - start) // 4) + b"\0" * ((end - start) % 4)
    db.write_bytes(bytes(data))


def _bad_header(folder: Path) -> None:
    db = memory_path(folder)
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"not a database at all\n" * 200)


@pytest.mark.parametrize("damage", [_garbage_mid_file, _bad_header], ids=["garbage-mid-file", "bad-header"])
async def test_a_damaged_memory_is_one_warning_line_and_the_desk_goes_on_without_it(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine, damage: object
) -> None:
    assert callable(damage)
    damage(folder)
    app = make_desk(folder / ARTICLE, engine, memory=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        # Machine translation went on (from the engine: the memory is off).
        translatable = screen.session.article.translatable
        assert all(screen.session.status(p.index) is Status.MACHINE for p in translatable)
        assert engine.sentences
        # Accepting feeds no memory now, and still saves.
        first = screen.active
        await pilot.press("f2")
        await settle(pilot)
        assert screen.session.status(first) is Status.REVIEWED
        await pilot.press("down", "up")
        await settle(pilot)
        warnings = [n for n in app._notifications if "memory" in n.message.lower() or "memory" in n.title.lower()]
        assert len(warnings) == 1, [n.message for n in warnings]
        line = warnings[0].message
        assert "\n" not in line and str(memory_path(folder)) in line
        assert "move the file aside" in line and "without" in line
        assert screen.services.memory is None
        assert not [n for n in app._notifications if n.severity == "error"]
        await pilot.press("ctrl+q")
    assert load_review(folder / ARTICLE).paragraphs[translatable[0].id].status is Status.REVIEWED
