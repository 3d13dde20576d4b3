"""The desk with the real (demo) Argos model, the CLI's engine path, memory and the side panels."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import FakeEngine
from tests.tui.conftest import ARTICLE, SIZE, DeskFactory, settle
from translator.config import Settings
from translator.mt.models import install_package_file
from translator.session import DeskOptions
from translator.store.review import Status
from translator.tui.factory import build_app
from translator.tui.screens.listing import ListingScreen
from translator.tui.screens.review import ReviewScreen
from translator.tui.widgets import DeskHeader


async def test_installed_demo_model_translates_and_is_labelled_then_resume_costs_nothing(
    desk_settings: Settings, folder: Path, demo_model_file: Path
) -> None:
    install_package_file(desk_settings, demo_model_file)
    options = DeskOptions(watch_seconds=0, cursor_blink=False)
    app = build_app(folder / ARTICLE, desk_settings, options=options, memory=False)  # engine as the CLI finds it
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        engine = screen.services.engine
        assert engine is not None and engine.is_demo and engine.calls > 0  # type: ignore[attr-defined]
        assert "demo model — not for real work" in str(screen.query_one(DeskHeader).render())
        assert "Demo model" in str(screen.query_one("#banner").render())
        session = screen.session
        texts = [session.english(p.index) for p in session.article.translatable]
        assert all(t.strip() and not t.startswith("EN[") for t in texts)  # real CTranslate2 output
        assert screen.first_mt_at is not None
        await pilot.press("ctrl+q")

    app2 = build_app(folder / ARTICLE, desk_settings, options=options, memory=False)
    async with app2.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app2.screen.services.engine.calls == 0  # type: ignore[union-attr]  # resumed from review.json


async def test_memory_gets_reviewed_work_and_suggests_it_in_another_article(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    title = (folder / ARTICLE).read_text(encoding="utf-8").splitlines()[0]
    (folder / "other.ar.txt").write_text(f"{title} اليوم\n\nنص آخر\n", encoding="utf-8")
    app = make_desk(folder / ARTICLE, engine, memory=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        screen.query_one("#target").text = "Experts: Turkey and Russia coordinate on Libya and Syria"  # type: ignore[attr-defined]
        await pilot.press("f2")
        await pilot.press("ctrl+q")
    app2 = make_desk(folder / "other.ar.txt", FakeEngine(), memory=True)
    async with app2.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app2.screen
        assert isinstance(screen, ReviewScreen)
        targets = [s.target for s in screen._suggestions]
        assert "Experts: Turkey and Russia coordinate on Libya and Syria" in targets
        await pilot.press("alt+1")
        assert screen.session.english(screen.active) == targets[0]
        assert screen.session.status(screen.active) is Status.EDITED


async def test_glossary_and_qa_panels_and_command_palette(make_desk: DeskFactory, folder: Path, engine: FakeEngine) -> None:
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        assert isinstance(app.screen, ListingScreen) and len(app.screen.rows) > 50
        await pilot.press("escape")
        await pilot.press("f5")
        assert isinstance(app.screen, ListingScreen) and app.screen.title_text == "QA findings"
        await pilot.press("escape")
        commands = {c.title for c in app.get_system_commands(app.screen)}
        for binding in ReviewScreen.BINDINGS:
            assert any(c.startswith(binding.description) for c in commands)  # type: ignore[union-attr]
