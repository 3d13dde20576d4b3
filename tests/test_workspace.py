"""Tests for translator.workspace: one folder's engine, glossary layers, enforcer, memory and QA glossary."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FakeEngine
from translator.config import SHIPPED_GLOSSARY_DIR, Settings
from translator.errors import InputError
from translator.workspace import Workspace


def test_layers_are_the_configured_glossaries_then_the_folders_own(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", glossary_paths=(SHIPPED_GLOSSARY_DIR,))
    workspace = Workspace(settings, tmp_path, engine=FakeEngine())
    assert workspace.glossary_layers() == [SHIPPED_GLOSSARY_DIR]
    shipped = workspace.fingerprint
    assert workspace.glossary.lookup("سرت").en == "Sirte"

    project = tmp_path / "glossary.yaml"
    entry = workspace.add_term(project, "سرت", "Sirt", "place")
    assert entry.en == "Sirt" and workspace.glossary_layers() == [SHIPPED_GLOSSARY_DIR, project]
    assert workspace.glossary.lookup("سرت").en == "Sirt" and workspace.fingerprint != shipped
    assert workspace.enforcer().glossary is workspace.glossary
    # An article file stands for its folder.
    article = tmp_path / "news.ar.txt"
    article.write_text("سرت", encoding="utf-8")
    assert Workspace(settings, article).glossary.lookup("سرت").en == "Sirt"


def test_memory_is_the_folders_under_this_glossary(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", glossary_paths=(SHIPPED_GLOSSARY_DIR,))
    workspace = Workspace(settings, tmp_path, engine=FakeEngine())
    with workspace.open_memory("fake→en 0") as memory:
        assert memory.glossary == workspace.fingerprint
    with workspace.open_memory("fake→en 0", enforced=False) as memory:
        assert memory.glossary == ""
    with pytest.raises(ValueError):
        Workspace(settings, None).open_memory("m")


def test_qa_glossary(tmp_path: Path) -> None:
    bare = Settings(home=tmp_path / "home", glossary_paths=(tmp_path / "missing",))
    assert Workspace(bare, tmp_path).qa_glossary() is None  # no glossary file: no term checks
    assert Workspace(bare, tmp_path).qa_glossary([SHIPPED_GLOSSARY_DIR]) is not None
    with pytest.raises(InputError):
        Workspace(bare, tmp_path).qa_glossary([tmp_path / "nope.yaml"])


def test_engine_is_loaded_once_and_only_when_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import translator.mt.models

    loads: list[Settings] = []

    def load(settings: Settings) -> FakeEngine:
        loads.append(settings)
        return FakeEngine()

    monkeypatch.setattr(translator.mt.models, "load_engine", load)
    settings = Settings(home=tmp_path / "home", device="cpu")
    workspace = Workspace(settings, tmp_path)
    assert loads == []
    assert workspace.engine is workspace.engine
    assert loads == [settings]
