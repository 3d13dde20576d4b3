"""The desk with a model chosen by name (--model / models use): the header names it."""

from __future__ import annotations

from pathlib import Path

from tests.test_import import builder
from tests.tui.conftest import ARTICLE, SIZE
from translator.config import Settings
from translator.mt.importer import import_model
from translator.mt.models import install_package_file
from translator.session import DeskOptions
from translator.tui.factory import build_app
from translator.tui.screens.review import ReviewScreen
from translator.tui.widgets import DeskHeader


async def test_header_names_the_chosen_imported_model(desk_settings: Settings, folder: Path, demo_model_file: Path,
                                                      tmp_path: Path) -> None:
    install_package_file(desk_settings, demo_model_file)
    builder.build_opus_mt(tmp_path / "release")
    import_model(desk_settings, tmp_path / "release", name="opus-random")
    settings = desk_settings.with_(model="opus-random", max_decoding_length=8)
    app = build_app(folder / ARTICLE, settings, options=DeskOptions(watch_seconds=0, cursor_blink=False),
                    memory=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        header = str(screen.query_one(DeskHeader).render())
        assert "opus-random ar→en" in header and "demo" not in header
        assert screen.services.engine is not None and screen.services.engine.calls > 0  # type: ignore[attr-defined]
        await pilot.press("ctrl+q")
