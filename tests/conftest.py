"""Shared fixtures: an isolated TRANSLATOR_HOME, the demo model, a fake engine."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from translator.config import DEMO_MODEL_PATH, Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


class FakeEngine:
    """Deterministic stand-in for UI flows where the translation text does not matter."""

    label = "fake→en 0"
    is_demo = False

    def __init__(self) -> None:
        self.sentences: list[str] = []

    def translate(self, sentences: Sequence[str]) -> list[str]:
        self.sentences.extend(sentences)
        return [f"EN[{s}]" for s in sentences]


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty TRANSLATOR_HOME so tests never see the user's models."""
    path = tmp_path / "home"
    monkeypatch.setenv("TRANSLATOR_HOME", str(path))
    return path


@pytest.fixture
def settings(home: Path) -> Settings:
    return Settings(home=home)


@pytest.fixture(scope="session")
def demo_model_file() -> Path:
    if not DEMO_MODEL_PATH.exists():
        pytest.fail(f"demo model missing at {DEMO_MODEL_PATH}; build it with scripts/build_test_model.py")
    return DEMO_MODEL_PATH
