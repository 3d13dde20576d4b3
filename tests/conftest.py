"""Shared fixtures: an isolated TRANSLATOR_HOME, the demo model, a fake engine."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

import translator.mt.models
from translator.config import DEMO_MODEL_PATH, Settings
from translator.mt.engine import ArgosEngine
from translator.mt.models import install_package_file

ROOT = Path(__file__).resolve().parent.parent


def _pristine_seeds() -> Path:
    """A private copy of seeds/*.ar.txt. The repository's seeds/ is also where `make desk` keeps a user's work (its
    memory, reviews, saved English), which tests must neither read nor change: with a memory there, `translate`
    took every paragraph from it and a test saw no model call."""
    copy = Path(tempfile.mkdtemp(prefix="translator-seeds-"))
    atexit.register(shutil.rmtree, copy, True)
    for seed in (ROOT / "seeds").glob("*.ar.txt"):
        shutil.copy2(seed, copy / seed.name)
    return copy


SEEDS = _pristine_seeds()
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


@pytest.fixture
def installed(home: Path, demo_model_file: Path) -> Settings:
    """TRANSLATOR_HOME with the demo model installed."""
    settings = Settings(home=home)
    install_package_file(settings, demo_model_file)
    return settings


@pytest.fixture
def recorded(installed: Settings, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every sentence the real engine is asked to translate."""
    seen: list[str] = []
    real = translator.mt.models.load_engine

    class Recording(ArgosEngine):
        def translate_stream(self, sentences, n=None, avoid=None):  # type: ignore[no-untyped-def]
            seen.extend(sentences)  # translate() and translate_nbest() come here too
            return super().translate_stream(sentences, n, avoid)

    def load(settings: Settings) -> ArgosEngine:
        return Recording(real(settings).info.path, settings)

    monkeypatch.setattr(translator.mt.models, "load_engine", load)
    return seen


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that decodes with the demo model, so `-m model` selects them (scripts/test_cpu_matrix.sh)."""
    for item in items:
        if "demo_model_file" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.model)


def machine_body(text: str) -> str:
    """The English of a machine-translated Markdown file (batch, translate), after checking its
    front matter and header say nobody reviewed it."""
    front, sep, rest = text.partition("\n---\n\n<!-- Machine translation: no person has reviewed this English. -->\n\n")
    assert sep and front.startswith("---\ntranslation: machine, not reviewed\n"), text[:200]
    return rest
