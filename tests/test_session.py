"""The desk's domain logic (translator.session): no Textual here."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from translator.session import DeskSession, mt_chunks
from translator.store.article_list import list_articles
from translator.store.review import Status, english_path, state_path
from translator.text.document import Kind

ARTICLE = "turkey-russia-libya-syria.ar.txt"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def session(folder: Path, clock: Clock) -> DeskSession:
    return DeskSession.open(folder / ARTICLE, clock=clock)


def junk_indexes(session: DeskSession) -> list[int]:
    return [p.index for p in session.paragraphs if p.kind is Kind.JUNK]


def test_fresh_article_needs_mt_for_every_translatable_paragraph(session: DeskSession) -> None:
    needed = session.needs_mt()
    assert needed == [p.index for p in session.article.translatable]
    assert not set(needed) & set(junk_indexes(session))
    assert session.progress() == (0, len(needed))
    assert session.first_index() == 0


def test_needs_mt_starts_at_the_active_paragraph_and_wraps(session: DeskSession) -> None:
    needed = session.needs_mt(start=3)
    assert needed[0] == 3 and needed[-1] == 2


def test_machine_then_edit_then_accept_then_revert(session: DeskSession) -> None:
    session.apply_machine(0, "Experts: Turkey and Russia")
    assert session.status(0) is Status.MACHINE and session.english(0) == "Experts: Turkey and Russia"
    assert session.edit(0, "Experts say Turkey and Russia coordinate")
    assert session.status(0) is Status.EDITED
    assert session.accept(0)
    assert session.status(0) is Status.REVIEWED and session.progress()[0] == 1
    assert session.revert(0) == "Experts: Turkey and Russia"
    assert session.status(0) is Status.MACHINE


def test_editing_reviewed_text_reopens_it(session: DeskSession) -> None:
    session.apply_machine(0, "MT")
    session.accept(0)
    session.edit(0, "MT, corrected")
    assert session.status(0) is Status.EDITED


def test_machine_output_never_overwrites_the_translators_text(session: DeskSession) -> None:
    session.edit(1, "typed before the MT arrived")
    session.apply_machine(1, "machine")
    assert session.english(1) == "typed before the MT arrived" and session.record(1).machine == "machine"
    session.apply_machine(1, "machine again", replace=True)  # a retranslation keeps edits too
    assert session.english(1) == "typed before the MT arrived"
    session.apply_machine(2, "first")
    session.apply_machine(2, "second", replace=True)
    assert session.english(2) == "second"


def test_empty_english_cannot_be_accepted(session: DeskSession) -> None:
    assert not session.accept(0)
    session.edit(0, "x")
    session.edit(0, "")
    assert session.status(0) is Status.NEW


def test_navigation_skips_junk_and_next_unreviewed_wraps(session: DeskSession) -> None:
    junk = junk_indexes(session)
    assert junk, "the seed has site junk lines"
    last = session.article.translatable[-1].index
    assert session.next_index(last, 1) is None
    for i in range(len(session.paragraphs)):
        nxt = session.next_index(i, 1)
        assert nxt is None or nxt not in junk
    for p in session.article.translatable[1:]:
        session.apply_machine(p.index, "x")
        session.accept(p.index)
    assert session.next_index(last, 1, unreviewed=True) == 0
    session.apply_machine(0, "x")
    session.accept(0)
    assert session.next_index(0, 1, unreviewed=True) is None


def test_find_in_arabic_and_english(session: DeskSession) -> None:
    session.apply_machine(4, "Lavrov and Cavusoglu spoke by phone")
    assert session.find("cavusoglu", 0) == 4
    hit = session.find("لافروف", 0)
    assert hit is not None and "لافروف" in session.paragraphs[hit].text
    assert session.find("no such text", 0) is None


def test_autosave_policy(session: DeskSession, clock: Clock) -> None:
    assert not session.dirty and not session.autosave_due()
    session.edit(0, "typing")
    assert session.dirty and not session.autosave_due()
    clock.now += 2.9
    assert not session.autosave_due()
    clock.now += 0.2
    assert session.autosave_due()
    assert session.save() and not session.dirty
    assert not session.save()  # nothing new: no write


def test_save_and_reopen_resumes_exactly(session: DeskSession, folder: Path) -> None:
    session.apply_machine(0, "Title MT")
    session.accept(0, "Title, reviewed")
    session.apply_machine(2, "Body MT")
    session.edit(2, "Body edited")
    session.save()
    again = DeskSession.open(folder / ARTICLE)
    assert again.status(0) is Status.REVIEWED and again.english(0) == "Title, reviewed"
    assert again.status(2) is Status.EDITED and again.record(2).machine == "Body MT"
    assert 0 not in again.needs_mt() and 2 not in again.needs_mt()
    assert again.first_index() == 2  # where the translator was last working
    english = english_path(folder / ARTICLE).read_text(encoding="utf-8")
    # The saved English is the reviewed English: the edit not yet accepted stays in a comment.
    assert english == "<!-- 1 of 13 paragraphs reviewed -->\n\n# Title, reviewed\n\n<!-- unreviewed: Body edited -->\n"
    data = json.loads(state_path(folder / ARTICLE).read_text(encoding="utf-8"))
    assert data["paragraphs"][session.paragraphs[0].id]["status"] == "reviewed"


def test_resume_after_the_last_accepted_paragraph(session: DeskSession) -> None:
    for i in (0, 2, 3):
        session.apply_machine(i, "x")
    session.accept(3)
    assert session.first_index() == session.next_index(3, unreviewed=True)


def test_accept_feeds_the_memory(session: DeskSession) -> None:
    class Memory:
        def __init__(self) -> None:
            self.pairs: list[tuple[str, str]] = []

        def add_reviewed(self, source: str, target: str) -> None:
            self.pairs.append((source, target))

    memory = Memory()
    session.memory = memory
    session.edit(0, "Experts")
    session.accept(0)
    assert memory.pairs == [(session.paragraphs[0].text, "Experts")]


def test_unaccept_reopens_the_paragraph_and_takes_its_entry_out_of_the_memory(
    session: DeskSession, folder: Path
) -> None:
    from translator.store.memory import TranslationMemory
    from translator.store.memory_entry import Origin

    with TranslationMemory.for_folder(folder) as memory:
        session.memory = memory
        session.apply_machine(0, "Machine title")
        session.accept(0)  # accepted by mistake, machine English unchanged
        session.edit(2, "Body, checked")
        session.apply_machine(2, "Body MT")
        session.accept(2)
        assert {e.target for e in memory.entries(Origin.REVIEWED)} == {"Machine title", "Body, checked"}
        assert session.unaccept(0) and session.status(0) is Status.MACHINE
        assert session.unaccept(2) and session.status(2) is Status.EDITED
        assert session.english(2) == "Body, checked"  # the text stays, only the review goes
        assert memory.entries(Origin.REVIEWED) == []
        assert not session.unaccept(2)  # not reviewed any more: nothing to undo
        assert session.dirty and session.progress()[0] == 0


def test_article_list_counts_progress(folder: Path) -> None:
    s = DeskSession.open(folder / ARTICLE)
    s.edit(0, "Title")
    s.accept(0)
    s.save()
    (folder / "broken.txt").write_bytes(b"\xff\xfe\x00bad")
    rows = {r.name: r for r in list_articles(folder)}
    assert rows[ARTICLE].reviewed == 1 and rows[ARTICLE].total == len(s.article.translatable)
    assert rows["sarraj-security-agreements.ar.txt"].reviewed == 0
    assert rows["broken.txt"].error and "binary" in rows["broken.txt"].error


@pytest.mark.parametrize(
    ("n", "sizes"),
    [(0, []), (1, [1]), (3, [1, 2]), (5, [1, 4]), (18, [1, 4, 13])],
)
def test_mt_chunks_put_the_first_paragraph_alone(n: int, sizes: list[int]) -> None:
    chunks = mt_chunks(list(range(n)))
    assert [len(c) for c in chunks] == sizes
    assert [i for c in chunks for i in c] == list(range(n))
