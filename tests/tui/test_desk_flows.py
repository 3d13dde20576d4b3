"""The desk's main flows, driven with Pilot: open, navigate, edit, accept, save, quit, resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import TextArea

from tests.conftest import FakeEngine
from tests.tui.conftest import ARTICLE, SIZE, DeskFactory, settle
from translator.errors import LockedError
from translator.store.review import Status, english_path, state_path
from translator.tui.screens.review import ReviewScreen
from translator.tui.widgets import DeskHeader, ParagraphRow


def review(app) -> ReviewScreen:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def editor(app) -> TextArea:  # type: ignore[no-untyped-def]
    return app.screen.query_one("#target", TextArea)


async def test_open_translates_every_paragraph_in_the_background(make_desk: DeskFactory, folder: Path, engine: FakeEngine) -> None:
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = review(app)
        session = screen.session
        translatable = session.article.translatable
        assert all(session.status(p.index) is Status.MACHINE for p in translatable)
        first = translatable[0]
        # Glossary-enforced machine output of the first paragraph (the fake engine echoes its input).
        text = editor(app).text
        assert "EN[" in text and "Turkey" in text and "تركيا" not in text
        assert session.record(first.index).machine == text
        assert app.focused is editor(app)
        # Each sentence went to the engine exactly once (the active paragraph is prefetched
        # while the UI starts, and not translated again by the worker).
        from translator.text.segment import split_sentences

        assert len(engine.sentences) == sum(len(split_sentences(p.text)) for p in translatable)
        # Junk lines were never sent to the engine.
        junk = [p.text for p in session.paragraphs if not p.translatable]
        assert junk and not any(j.strip() in engine.sentences for j in junk)
        header = str(app.screen.query_one(DeskHeader).render())
        assert f"0/{len(translatable)} reviewed" in header and "fake→en 0" in header


async def test_navigate_edit_accept_save_quit_and_resume_without_model_calls(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    path = folder / ARTICLE
    app = make_desk(path, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = review(app)
        session = screen.session
        order = [p.index for p in session.article.translatable]
        assert screen.active == order[0]
        await pilot.press("alt+down")
        assert screen.active == order[1]
        await pilot.press("alt+down", "alt+up")
        assert screen.active == order[1]
        # Edit: select all and type over the machine translation.
        editor(app).text = ""
        await pilot.press(*"Russia and Turkey")
        await pilot.pause()
        assert session.status(order[1]) is Status.EDITED
        assert app.screen.query_one(f"#row-{order[1]}", ParagraphRow).has_class("-edited")
        await pilot.press("f2")  # accept: reviewed, and on to the next unreviewed paragraph
        assert session.status(order[1]) is Status.REVIEWED
        assert session.english(order[1]) == "Russia and Turkey"
        assert screen.active == order[2]
        # The paragraph change saved everything (written by the desk's writer thread).
        assert not session.dirty
        assert screen.flush_saves(timeout=10)
        saved = json.loads(state_path(path).read_text(encoding="utf-8"))
        assert saved["paragraphs"][session.paragraphs[order[1]].id]["status"] == "reviewed"
        await pilot.press("ctrl+q")
    assert not app.is_running
    assert "Russia and Turkey" in english_path(path).read_text(encoding="utf-8")
    assert not (folder / ".turkey-russia-libya-syria.desk.lock").exists()
    sent = len(engine.sentences)
    assert sent > 0

    again = FakeEngine()
    app2 = make_desk(path, again)
    async with app2.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = review(app2)
        assert again.sentences == []  # every paragraph was already translated: zero model calls
        assert screen.session.status(order[1]) is Status.REVIEWED
        assert screen.active == order[2]  # resumes after the last accepted paragraph
        assert editor(app2).text.startswith("EN[")


async def test_typing_is_autosaved_within_seconds(make_desk: DeskFactory, folder: Path, engine: FakeEngine) -> None:
    path = folder / ARTICLE
    app = make_desk(path, engine, autosave_seconds=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*" more")
        await pilot.pause(1.0)
        screen = review(app)
        assert not screen.session.dirty
        assert screen.flush_saves(timeout=10)
        saved = json.loads(state_path(path).read_text(encoding="utf-8"))
        rec = saved["paragraphs"][screen.session.paragraphs[screen.active].id]
        assert rec["text"].endswith(" more") and rec["status"] == "edited"


async def test_revert_and_next_unreviewed(make_desk: DeskFactory, folder: Path, engine: FakeEngine) -> None:
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = review(app)
        first = screen.active
        machine = editor(app).text
        await pilot.press(*"XYZ")
        assert editor(app).text.endswith("XYZ")
        await pilot.press("alt+r")
        assert editor(app).text == machine and screen.session.status(first) is Status.MACHINE
        await pilot.press("f2")
        await pilot.press("ctrl+n")
        assert screen.active != first and screen.session.status(screen.active) is not Status.REVIEWED


async def test_second_desk_on_the_same_article_is_refused(make_desk: DeskFactory, folder: Path, engine: FakeEngine) -> None:
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with pytest.raises(LockedError, match="already open in another desk"):
            make_desk(folder / ARTICLE, FakeEngine())


async def test_no_model_still_opens_for_manual_translation(make_desk: DeskFactory, folder: Path) -> None:
    app = make_desk(folder / ARTICLE, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        banner = str(app.screen.query_one("#banner").render())
        assert "translator models ensure" in banner
        screen = review(app)
        await pilot.press(*"Experts")
        await pilot.press("f2")
        assert screen.session.status(screen.session.article.translatable[0].index) is Status.REVIEWED


async def test_demo_model_is_labelled(make_desk: DeskFactory, folder: Path) -> None:
    engine = FakeEngine()
    engine.is_demo = True  # type: ignore[misc]
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "demo model — not for real work" in str(app.screen.query_one(DeskHeader).render())


async def test_folder_lists_articles_and_opens_one(make_desk: DeskFactory, folder: Path, engine: FakeEngine) -> None:
    app = make_desk(folder, engine)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        from translator.tui.screens.article_list import ArticleListScreen

        assert isinstance(app.screen, ArticleListScreen)
        names = [s.name for s in app.screen.summaries]
        assert names == sorted(names) and ARTICLE in names
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = review(app)
        assert screen.session.article.path.name == names[1]
        await pilot.press("f2")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ArticleListScreen)
        row = next(s for s in app.screen.summaries if s.name == names[1])
        assert row.reviewed == 1


async def test_find_and_arabic_toggle(make_desk: DeskFactory, folder: Path, engine: FakeEngine) -> None:
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = review(app)
        await pilot.press("ctrl+f")
        await pilot.press(*"لافروف", "enter")
        await pilot.pause()
        assert "لافروف" in screen.session.paragraphs[screen.active].text
        assert screen.visual
        await pilot.press("ctrl+t")
        assert not screen.visual


async def test_help_lists_every_binding(make_desk: DeskFactory, folder: Path, engine: FakeEngine) -> None:
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keys = app.active_bindings_table(app.screen)
        described = {d for _, d in keys}
        for binding in ReviewScreen.BINDINGS:
            assert binding.description in described  # type: ignore[union-attr]
        await pilot.press("f1")
        from translator.tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        # The editor's own keys are listed too (select all, undo, redo, cut/copy/paste).
        listed = dict((d, k) for k, d in app.screen.keys)
        assert listed["Select all"] == "f7" and listed["Undo"].startswith("ctrl+z") and "Redo" in listed
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_folder_refuses_an_article_open_elsewhere(make_desk: DeskFactory, folder: Path, engine: FakeEngine) -> None:
    from translator.store.lock import ArticleLock
    from translator.tui.screens.article_list import ArticleListScreen

    names = sorted(p.name for p in folder.glob("*.txt"))
    with ArticleLock(folder / names[0]):
        app = make_desk(folder, engine)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ArticleListScreen)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ArticleListScreen)
            errors = [n for n in app._notifications if n.severity == "error"]
            assert errors and "already open in another desk" in errors[-1].message
