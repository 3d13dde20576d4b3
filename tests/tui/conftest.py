"""Fixtures for desk tests: a copy of the seeds and glossaries, and a desk factory."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.conftest import ROOT, SEEDS, FakeEngine
from translator.config import Settings
from translator.session import DeskOptions
from translator.tui.app import TranslatorApp
from translator.tui.factory import build_app

ARTICLE = "turkey-russia-libya-syria.ar.txt"
SIZE = (120, 40)


async def settle(pilot: Pilot[Any], quiet: float = 0.0) -> None:
    """Wait for the desk's workers and the screen refresh; `quiet` seconds more for snapshots
    (scrolls happen after the last refresh, the side panel follows typing after 0.4 s)."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    if quiet:
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(quiet)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A project folder with both seed articles."""
    path = tmp_path / "articles"
    path.mkdir()
    for article in SEEDS.glob("*.txt"):
        shutil.copy(article, path / article.name)
    return path


@pytest.fixture
def desk_settings(tmp_path: Path) -> Settings:
    """Settings whose glossaries are a private copy (tests add terms to them)."""
    glossaries = tmp_path / "glossaries"
    shutil.copytree(ROOT / "glossaries", glossaries, ignore=shutil.ignore_patterns("*.md"))
    return Settings(home=tmp_path / "home", glossary_paths=(glossaries,))


DeskFactory = Callable[..., TranslatorApp]


@pytest.fixture
def make_desk(desk_settings: Settings) -> DeskFactory:
    """Build the desk the way the CLI does, with test-friendly options."""

    def make(target: Path, engine: Any = None, memory: bool = False, **options: Any) -> TranslatorApp:
        opts = {"watch_seconds": 0, "cursor_blink": False, **options}
        return build_app(target, desk_settings, engine=engine, options=DeskOptions(**opts), memory=memory)

    return make


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()
