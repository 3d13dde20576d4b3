"""Un-accept (the desk's alt+u) leaves the translation memory exactly as it was before the accept
(issue #12): an older reviewed entry that the accept replaced comes back with its provenance,
even after the article was closed and reopened. Real SQLite, no Textual."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from translator.session import DeskSession
from translator.store.memory import TranslationMemory
from translator.store.memory_entry import MemoryEntry, Origin, Via
from translator.store.review import Status

ARTICLE = "turkey-russia-libya-syria.ar.txt"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


@pytest.fixture
def memory(folder: Path) -> Iterator[TranslationMemory]:
    with TranslationMemory.for_folder(folder, model="m1", creator="desk-user") as mem:
        yield mem


def _imported(source: str, english: str) -> MemoryEntry:
    """A reviewed entry from a colleague's TMX, with its own dates and creator."""
    return MemoryEntry(source, english, Origin.REVIEWED, updated="2025-03-01T10:00:00+00:00",
                       created="2025-02-01T09:00:00+00:00", creator="alice", via=Via.TMX,
                       file="/shared/alice.tmx", imported="2025-03-01T10:00:00+00:00")


def _open(folder: Path, memory: TranslationMemory) -> DeskSession:
    return DeskSession.open(folder / ARTICLE, memory=memory)


@pytest.mark.parametrize("english", ["The desk's new English", "Alice's English"])
def test_unaccept_puts_back_the_reviewed_entry_the_accept_replaced(
    folder: Path, memory: TranslationMemory, english: str
) -> None:
    """Whether the accepted English differs from the older entry's or equals it (the accept then
    only re-dated and re-attributed it), the row comes back as it was: id, English, dates,
    creator, TMX file."""
    session = _open(folder, memory)
    source = session.paragraphs[2].text
    assert memory.add(_imported(source, "Alice's English"))
    memory.add_machine(source, "Machine English", "m1")
    before = memory.entries()
    session.apply_machine(2, "Machine English")
    session.edit(2, english)
    assert session.accept(2)
    after_accept = memory.lookup_entry(source)
    assert after_accept is not None and after_accept.via is Via.DESK and after_accept.target == english
    assert session.unaccept(2)
    assert memory.entries() == before
    assert session.status(2) is Status.EDITED
    assert session.english(2) == english  # the text stays, only the review goes


def test_unaccept_without_an_older_entry_removes_the_accepted_one(folder: Path, memory: TranslationMemory) -> None:
    session = _open(folder, memory)
    memory.add_machine(session.paragraphs[0].text, "Machine title", "m1")
    before = memory.entries()
    session.apply_machine(0, "Machine title")
    session.accept(0)
    assert session.unaccept(0)
    assert memory.entries() == before


def test_unaccept_restores_after_the_article_was_closed_and_reopened(
    folder: Path, memory: TranslationMemory
) -> None:
    session = _open(folder, memory)
    source = session.paragraphs[2].text
    memory.add(_imported(source, "Alice's English"))
    before = memory.entries()
    session.edit(2, "Accepted yesterday")
    session.accept(2)
    session.save(force=True)
    reopened = _open(folder, memory)
    assert reopened.status(2) is Status.REVIEWED
    assert reopened.unaccept(2)
    assert memory.entries() == before


def test_unaccept_leaves_an_entry_someone_else_changed_since(folder: Path, memory: TranslationMemory) -> None:
    """After the accept, a TMX import replaced the desk's entry: that one is not the desk's to undo."""
    session = _open(folder, memory)
    source = session.paragraphs[2].text
    memory.add(_imported(source, "Alice's English"))
    session.edit(2, "Mine")
    session.accept(2)
    memory.add(_imported(source, "Bob's later English"))
    after_import = memory.entries()
    assert session.unaccept(2) and session.status(2) is Status.EDITED
    assert memory.entries() == after_import


def test_accepting_twice_then_unaccepting_goes_back_one_accept(folder: Path, memory: TranslationMemory) -> None:
    """The memory as it was before the last accept: the first accept's entry."""
    session = _open(folder, memory)
    source = session.paragraphs[2].text
    session.edit(2, "First")
    session.accept(2)
    first = memory.entries()
    session.edit(2, "Second")
    session.accept(2)
    assert session.unaccept(2)
    assert memory.entries() == first and memory.lookup(source) == "First"
