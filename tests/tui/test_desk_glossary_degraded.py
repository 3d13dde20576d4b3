"""#16: the desk with an invalid project glossary, then fixed while it is open (or before reopening).

The desk falls back to the shipped glossaries, says so in one line naming file:line:col, marks the
paragraphs machine-translated without the project's terms, and once the file is fixed re-enforces
the untouched machine paragraphs with the project's terms; English the translator edited or
reviewed is never replaced, only flagged.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.conftest import FakeEngine
from tests.tui.conftest import ARTICLE, SIZE, DeskFactory, settle
from translator.store.review import Status, load_review
from translator.tui.screens.review import ReviewScreen

TERM_AR = "مكالمة هاتفية"
TERM_EN = "telephone conversation"
BROKEN = f"- ar: {TERM_AR}\n  en: [{TERM_EN}]\n  type: term\n"  # 'en' given as a list: line 2, col 7
FIXED = f"- ar: {TERM_AR}\n  en: {TERM_EN}\n  type: term\n"


def banner(screen: ReviewScreen) -> str:
    widget = screen.query_one("#glossary-banner", Static)
    return "" if widget.has_class("-hidden") else str(widget.render())


def with_term(screen: ReviewScreen) -> list[int]:
    return [p.index for p in screen.session.paragraphs if p.translatable and TERM_AR in p.text]


async def test_paragraphs_translated_while_the_project_glossary_is_broken_are_marked_then_re_enforced(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    project = folder / "glossary.yaml"
    project.write_text(BROKEN, encoding="utf-8")
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        line = banner(screen)
        assert "glossary.yaml:2:7" in line and "\n" not in line.strip()
        assert "shipped" in line and "fix" in line
        hits = with_term(screen)
        assert hits
        for i in hits:
            assert screen.session.status(i) is Status.MACHINE
            assert TERM_EN not in screen.session.english(i)  # enforced without the project's term
            assert screen.services.degraded_translation(screen.session, i)
            assert screen._row(i).has_class("-glossary-flag")
        # The translator edits one of them before the file is fixed: that English is theirs.
        edited = hits[0]
        screen.go_to(edited)
        await pilot.pause()
        screen.editor.load_text("My own English.")
        await settle(pilot)
        assert screen.session.status(edited) is Status.EDITED

        project.write_text(FIXED, encoding="utf-8")
        screen.check_glossary()
        await settle(pilot)
        assert banner(screen) == ""
        assert screen.services.glossary_error == ""
        for i in hits:
            if i == edited:
                assert screen.session.english(i) == "My own English."  # never replaced
                assert screen.session.status(i) is Status.EDITED
                assert screen.services.glossary_flag(screen.session, i)  # flagged for the translator instead
            else:
                assert screen.session.status(i) is Status.MACHINE
                assert TERM_EN in screen.session.english(i)  # re-enforced with the project's term
                assert not screen.services.glossary_flag(screen.session, i)
        assert any("translated under the broken glossary" in n.message or "edited" in n.message
                   for n in app._notifications)
        # Paragraphs without the project's term were re-stamped, not sent to the engine again.
        fingerprint = screen.services.fingerprint
        for p in screen.session.article.translatable:
            assert screen.session.enforced_with(p.index) == fingerprint or p.index == edited
        screen.close_session()
    state = load_review(folder / ARTICLE)
    assert {rec.glossary for rec in state.paragraphs.values() if rec.status is Status.MACHINE} == {fingerprint}


async def test_fixed_before_reopening_the_stale_machine_english_is_re_enforced_at_open(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    project = folder / "glossary.yaml"
    project.write_text(BROKEN, encoding="utf-8")
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        hits = with_term(screen)
        await pilot.press("ctrl+q")
    project.write_text(FIXED, encoding="utf-8")
    engine2 = FakeEngine()
    app = make_desk(folder / ARTICLE, engine2)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert banner(screen) == ""
        for i in hits:
            assert TERM_EN in screen.session.english(i)
            assert not screen.services.glossary_flag(screen.session, i) and not screen.services.degraded_translation(screen.session, i)
        assert engine2.sentences  # only the stale paragraphs went to the engine again


async def test_reopening_with_the_same_glossary_costs_no_model_call(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
    engine2 = FakeEngine()
    app = make_desk(folder / ARTICLE, engine2)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert engine2.sentences == []


async def test_accepting_a_paragraph_translated_without_the_project_glossary_clears_its_mark(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    project = folder / "glossary.yaml"
    project.write_text(BROKEN, encoding="utf-8")
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        hit = with_term(screen)[0]
        screen.go_to(hit)
        await settle(pilot)
        assert "without the project glossary" in str(screen.editor.border_title)
        await pilot.press("f2")  # the translator reviewed it under the glossary in use
        await settle(pilot)
        assert screen.session.status(hit) is Status.REVIEWED
        assert not screen.services.degraded_translation(screen.session, hit)
        assert screen.services.glossary_mark(screen.session, hit) == ""
        assert not screen._row(hit).has_class("-glossary-flag")
        screen.go_to(hit)
        await settle(pilot)
        assert "without the project glossary" not in str(screen.editor.border_title)
        await pilot.press("alt+u")  # un-accepted: the machine English is again unreviewed, so marked again
        await settle(pilot)
        assert screen.services.degraded_translation(screen.session, hit)
        assert screen._row(hit).has_class("-glossary-flag")


async def test_the_broken_glossary_line_stays_one_line_in_80_columns(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine, tmp_path: Path
) -> None:
    """A project folder deep in the file system: the path's middle gives way (…), the file name,
    line and column and the message's end stay; a wider terminal shows more of it."""
    deep = tmp_path / "projects" / "newsroom-arabic-desk" / "incoming" / "2026-11-30" / "agency-feeds"
    deep.mkdir(parents=True)
    for article in folder.glob("*.txt"):
        article.rename(deep / article.name)
    (deep / "glossary.yaml").write_text(BROKEN, encoding="utf-8")
    app = make_desk(deep / ARTICLE, engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        widget = screen.query_one("#glossary-banner", Static)
        full = screen.services.glossary_error
        assert len(full) > 80  # the reproduction: this took 5 lines under the header
        assert widget.size.height == 1
        line = widget.render_line(0).text.strip()
        assert "glossary.yaml:2:7:" in line and "…" in line, line
        assert line.endswith("under 'alt')"), line
        await pilot.resize_terminal(200, 40)
        await settle(pilot)
        wide = widget.render_line(0).text.strip()
        assert widget.size.height == 1 and "glossary.yaml:2:7:" in wide and "shipped" in wide, wide
        assert len(wide) > len(line)
