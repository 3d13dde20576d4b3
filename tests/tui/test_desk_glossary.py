"""Glossary in the desk: highlights, add a term from the desk, reload (and survive a broken file)."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input, Label, Select

from tests.conftest import FakeEngine
from tests.tui.conftest import ARTICLE, SIZE, DeskFactory, settle
from translator.store.review import Status
from translator.tui.screens.add_term import AddTermScreen
from translator.tui.screens.review import ReviewScreen
from translator.tui.widgets import SourceText

TERM_AR = "مكالمة هاتفية"
TERM_EN = "phone call"


def paragraph_with(screen: ReviewScreen, text: str) -> int:
    return next(p.index for p in screen.session.paragraphs if text in p.text)


async def test_source_terms_are_highlighted_and_listed(make_desk: DeskFactory, folder: Path, engine: FakeEngine) -> None:
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        source = screen.query_one("#active-source", SourceText)
        highlighted = {source.text[s:e] for s, e, _ in source.highlights}
        assert {"تركيا", "روسيا"} <= highlighted
        hits = {(h.arabic, h.english) for h in screen.services.term_hits(source.text)}
        assert ("تركيا", "Turkey") in hits


async def test_add_term_writes_yaml_rehighlights_and_reenforces(make_desk: DeskFactory, folder: Path, engine: FakeEngine) -> None:
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        index = paragraph_with(screen, TERM_AR)
        assert screen.session.status(index) is Status.MACHINE
        assert TERM_EN not in screen.session.english(index)
        sent_before = len(engine.sentences)
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, AddTermScreen)
        app.screen.query_one("#term-arabic", Input).value = TERM_AR
        app.screen.query_one("#term-english", Input).value = TERM_EN
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        project = folder / "glossary.yaml"
        text = project.read_text(encoding="utf-8")
        assert TERM_AR in text and TERM_EN in text
        assert screen.services.glossary.lookup(TERM_AR).en == TERM_EN
        # Re-enforced at once: the machine paragraph containing the term went through the
        # engine (and the enforcer, now with the new term) again.
        resent = engine.sentences[sent_before:]
        assert any("هاتفية" in s or TERM_EN in s for s in resent)
        assert screen.session.record(index).machine == screen.session.english(index)
        assert screen.session.status(index) is Status.MACHINE
        row_source = screen.query_one(f"#row-{index} SourceText", SourceText)
        assert any(row_source.text[s:e] == TERM_AR for s, e, _ in row_source.highlights)


async def test_glossary_edited_outside_is_reloaded_and_a_broken_file_keeps_the_last_good(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    project = folder / "glossary.yaml"
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        size = screen.services.glossary_size()
        project.write_text(f"- ar: {TERM_AR}\n  en: {TERM_EN}\n  type: term\n", encoding="utf-8")
        app.post_message(events.AppFocus())  # the terminal regains focus (the timer is off in tests)
        await pilot.pause()
        assert screen.services.glossary_size() == size + 1
        good = screen.services.glossary
        project.write_text("- ar: [broken\n  en: x\n", encoding="utf-8")
        screen.check_glossary()
        await pilot.pause()
        assert screen.services.glossary is good  # last good glossary kept
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and "glossary.yaml" in errors[-1].message and "Keeping the last good glossary" in errors[-1].message
        # Highlighting still works with the kept glossary.
        assert screen.services.highlights(screen.session.paragraphs[screen.active].text)


async def test_broken_glossary_at_open_still_opens_the_desk(make_desk: DeskFactory, folder: Path, engine: FakeEngine) -> None:
    (folder / "glossary.yaml").write_text("- ar: [broken\n", encoding="utf-8")
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and "glossary.yaml" in errors[0].message


async def test_add_term_overriding_a_shipped_entry_keeps_its_alternatives_and_says_so(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        shipped = next(e for e in screen.services.glossary.active_entries if e.alt)
        await pilot.press("ctrl+g")
        form = app.screen
        assert isinstance(form, AddTermScreen)
        form.query_one("#term-arabic", Input).value = shipped.ar[0]
        form.query_one("#term-english", Input).value = "Project English"
        await pilot.press("ctrl+s")
        await settle(pilot)
        entry = screen.services.glossary.lookup(shipped.ar[0])
        assert entry.en == "Project English"
        assert set(shipped.english_forms) <= set(entry.alt)  # nothing the shipped entry accepted is lost
        message = [n.message for n in app._notifications if n.title == "Glossary"][-1]
        assert "overrides" in message and Path(shipped.file).name in message


async def test_add_term_into_a_broken_file_keeps_the_form_open_with_the_typing(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (folder / "glossary.yaml").write_text("- ar: [broken\n", encoding="utf-8")
        await pilot.press("ctrl+g")
        form = app.screen
        assert isinstance(form, AddTermScreen)
        form.query_one("#term-arabic", Input).value = TERM_AR
        form.query_one("#term-english", Input).value = TERM_EN
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # still open, nothing lost
        assert form.query_one("#term-english", Input).value == TERM_EN
        assert any(n.severity == "error" and "glossary.yaml" in n.message for n in app._notifications)


async def test_add_term_tab_in_a_fast_burst_keeps_each_word_in_its_field(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    from tests.tui.test_desk_burst import burst, typed

    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")
        form = app.screen
        assert isinstance(form, AddTermScreen)
        burst(app, *typed("abc"), "tab", *typed("phone call"))
        await pilot.pause()
        assert form.query_one("#term-arabic", Input).value == "abc"
        assert form.query_one("#term-english", Input).value == "phone call"


async def test_add_term_avoid_for_an_existing_term_writes_yaml_and_retranslates_its_paragraphs(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    project = folder / "glossary.yaml"
    project.write_text(f"# ours\n- ar: {TERM_AR}\n  en: {TERM_EN}\n  type: term\n", encoding="utf-8")
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        index = paragraph_with(screen, TERM_AR)
        others = [p.text for p in screen.session.paragraphs if p.translatable and TERM_AR not in p.text]
        sent_before = len(engine.sentences)
        await pilot.press("ctrl+g")
        form = app.screen
        assert isinstance(form, AddTermScreen)
        assert "separated by ;" in (form.query_one("#term-avoid", Input).placeholder or "")
        form.query_one("#term-arabic", Input).value = TERM_AR
        await pilot.pause()
        # the term is known: its English and type are filled in, the form says where it is
        assert form.query_one("#term-english", Input).value == TERM_EN
        assert "phone call (term) at articles/glossary.yaml:2" in str(form.query_one("#term-known", Label).render())
        form.query_one("#term-avoid", Input).value = "telephone call; call by phone"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert project.read_text(encoding="utf-8") == (
            f"# ours\n- ar: {TERM_AR}\n  en: {TERM_EN}\n  avoid: [telephone call, call by phone]\n  type: term\n")
        assert screen.services.glossary.lookup(TERM_AR).avoid == ("telephone call", "call by phone")
        message = [n.message for n in app._notifications if n.title == "Glossary"][-1]
        assert "telephone call" in message
        # the paragraphs holding the term went through the engine again (their sentences, the
        # term code-switched to its English as before), and not the whole article
        resent = engine.sentences[sent_before:]
        assert any(TERM_EN in s for s in resent), resent
        assert set(resent) <= set(engine.sentences[:sent_before]) and len(resent) < len(others)
        assert screen.session.status(index) is Status.MACHINE
        # the known avoid shows the next time; a bad one is refused and the form keeps the typing
        await pilot.press("ctrl+g")
        form = app.screen
        assert isinstance(form, AddTermScreen)
        form.query_one("#term-arabic", Input).value = TERM_AR
        await pilot.pause()
        assert "telephone call; call by phone" in str(form.query_one("#term-known", Label).render())
        form.query_one("#term-avoid", Input).value = "Phone Call"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and form.query_one("#term-avoid", Input).value == "Phone Call"
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors and "avoided rendering 'Phone Call' is part of the accepted English" in errors[-1]
        assert "avoid: [telephone call, call by phone]" in project.read_text(encoding="utf-8")


async def test_add_term_into_another_file_of_the_folder_holding_the_arabic_is_refused_in_one_line(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    # the same decision as `glossary add --file` (glossary/adding): a second entry in the same
    # folder would be a duplicate; the form stays open with the typing and the file is unchanged
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        held = screen.services.glossary.lookup("تركيا")
        assert held is not None
        sibling = next(f for f in screen.services.glossary_files()
                       if f.parent == Path(held.file).parent and f.name != Path(held.file).name)
        before = sibling.read_bytes()
        await pilot.press("ctrl+g")
        form = app.screen
        assert isinstance(form, AddTermScreen)
        form.query_one("#term-arabic", Input).value = "تركيا"
        form.query_one("#term-english", Input).value = held.en
        form.query_one("#term-avoid", Input).value = "Turkiye"
        form.query_one("#term-file", Select).value = sibling
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and form.query_one("#term-avoid", Input).value == "Turkiye"
        error = [n.message for n in app._notifications if n.severity == "error"][-1]
        assert f"already listed at {held.where}" in error and f"add to {held.file} instead" in error, error
        assert error.splitlines()[0].endswith("the file is unchanged")  # one line, then the form's own hint
        assert sibling.read_bytes() == before
