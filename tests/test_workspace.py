"""Tests for translator.workspace: one folder's engine, glossary layers, enforcer, memory and QA glossary."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FakeEngine
from translator.config import SHIPPED_GLOSSARY_DIR, Settings
from translator.errors import GlossaryError, InputError
from translator.workspace import Workspace


def test_layers_are_the_configured_glossaries_then_the_folders_own(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", glossary_paths=(SHIPPED_GLOSSARY_DIR,))
    workspace = Workspace(settings, tmp_path, engine=FakeEngine())
    assert workspace.glossary_layers() == [SHIPPED_GLOSSARY_DIR]
    shipped = workspace.fingerprint
    assert workspace.glossary.lookup("سرت").en == "Sirte"

    project = tmp_path / "glossary.yaml"
    entry = workspace.add_term(project, "سرت", "Sirt", "place").entry
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


def test_open_glossary_falls_back_to_the_configured_layers_and_says_which_file(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", glossary_paths=(SHIPPED_GLOSSARY_DIR,))
    project = tmp_path / "glossary.yaml"
    project.write_text("- ar: سرت\n  en: [Sirt]\n  type: place\n", encoding="utf-8")
    workspace = Workspace(settings, tmp_path, engine=FakeEngine())
    shipped = Workspace(settings, None).fingerprint
    glossary = workspace.open_glossary()
    assert glossary is not None and glossary.fingerprint == shipped == workspace.fingerprint
    assert "glossary.yaml:2:7" in workspace.glossary_error
    # Nothing changed since the open: a look reloads nothing (the desk used to report the same
    # broken file twice at start, the second time as "not reloaded").
    assert workspace.reload_if_changed() is None
    # Still broken, another way: the error names the new problem; the fallback stays.
    project.write_text("- ar: سرت\n  en: Sirt\n  type: nonsense\n", encoding="utf-8")
    with pytest.raises(GlossaryError):
        workspace.reload_if_changed()
    assert "glossary.yaml:3" in workspace.glossary_error and workspace.fingerprint == shipped
    # Fixed on disk: the next look reloads, and the change names the project's key.
    project.write_text("- ar: سرت\n  en: Sirt\n  type: place\n", encoding="utf-8")
    change = workspace.reload_if_changed()
    assert change is not None and change.fingerprints == (shipped, workspace.fingerprint)
    assert workspace.fingerprint != shipped and workspace.glossary_error == ""
    assert change.touches("وصل إلى سرت أمس") and not change.touches("وصل إلى روما أمس")
    assert workspace.reload_if_changed() is None  # nothing changed since


def test_a_broken_file_on_reload_raises_once_and_keeps_the_last_good_glossary(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", glossary_paths=(SHIPPED_GLOSSARY_DIR,))
    workspace = Workspace(settings, tmp_path, engine=FakeEngine())
    good = workspace.open_glossary()
    assert workspace.reload_if_changed() is None
    (tmp_path / "glossary.yaml").write_text("- ar: [broken\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="glossary.yaml"):
        workspace.reload_if_changed()
    assert workspace.current_glossary is good
    assert workspace.reload_if_changed() is None  # reported once per change


def test_add_term_overriding_another_files_entry_keeps_what_it_accepted(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", glossary_paths=(SHIPPED_GLOSSARY_DIR,))
    workspace = Workspace(settings, tmp_path, engine=FakeEngine())
    shipped = next(e for e in workspace.glossary.active_entries if e.alt)
    added = workspace.add_term(tmp_path / "glossary.yaml", shipped.ar[0], "Project English")
    assert added.overridden == shipped
    assert set(shipped.english_forms) <= set(added.entry.alt) == set(added.kept_alternatives)
    with pytest.raises(InputError):
        workspace.add_term(tmp_path / "glossary.yaml", " ", "x")


def test_try_memory_reports_an_unopenable_memory_instead_of_raising(tmp_path: Path) -> None:
    from translator.store.memory import memory_path

    settings = Settings(home=tmp_path / "home", glossary_paths=(SHIPPED_GLOSSARY_DIR,))
    workspace = Workspace(settings, tmp_path, engine=FakeEngine())
    path = memory_path(tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a database" * 100)
    memory, why = workspace.try_memory("fake→en 0")
    assert memory is None and str(path) in why and "move the file aside" in why


def test_a_workspace_without_a_model_has_no_engine(tmp_path: Path) -> None:
    from translator.errors import ModelError

    settings = Settings(home=tmp_path / "home")
    assert Workspace(settings, tmp_path, load_engine=False).optional_engine() is None
    with pytest.raises(ModelError):
        _ = Workspace(settings, tmp_path, load_engine=False).engine
    missing = Workspace(settings, tmp_path)  # nothing installed in this HOME
    assert missing.optional_engine() is None and missing.engine_error


def test_a_chosen_model_that_is_not_installed_is_an_error_not_a_desk_without_a_model(tmp_path: Path) -> None:
    from translator.errors import ModelError

    settings = Settings(home=tmp_path / "home", model="nope")
    with pytest.raises(ModelError, match="no installed ar->en model named 'nope'"):
        Workspace(settings, tmp_path).optional_engine()


def test_desk_with_a_mistyped_model_is_one_line(tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from translator.cli import main

    (tmp_path / "a.txt").write_text("مرحبا", encoding="utf-8")
    assert main(["desk", str(tmp_path), "--model", "nope"]) == 1
    err = capsys.readouterr().err
    assert "no installed ar->en model named 'nope'" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_change_of_an_entrys_avoid_renderings_touches_its_paragraphs(tmp_path: Path) -> None:
    # avoid: changes what decoding may produce for a sentence with the entry, so the desk must
    # re-translate such paragraphs after the edit, as for a change of the English.
    settings = Settings(home=tmp_path / "home", glossary_paths=(SHIPPED_GLOSSARY_DIR,))
    project = tmp_path / "glossary.yaml"
    project.write_text("- ar: سرت\n  en: Sirte\n  type: place\n", encoding="utf-8")
    workspace = Workspace(settings, tmp_path, engine=FakeEngine())
    workspace.open_glossary()
    project.write_text("- ar: سرت\n  en: Sirte\n  type: place\n  avoid: [Surt]\n", encoding="utf-8")
    change = workspace.reload_if_changed()
    assert change is not None and change.touches("وصل إلى سرت أمس")
    assert not change.touches("وصل إلى روما أمس")


def test_add_term_with_avoid_extends_the_files_own_entry_and_touches_its_paragraphs(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", glossary_paths=(SHIPPED_GLOSSARY_DIR,))
    project = tmp_path / "glossary.yaml"
    project.write_text("# ours\n- ar: سرت   # the town\n  en: Sirte\n  type: place\n", encoding="utf-8")
    workspace = Workspace(settings, tmp_path, engine=FakeEngine())
    workspace.open_glossary()
    added = workspace.add_term(project, "سرت", "Sirte", "place", avoid=["Surt", "Sirt City"])
    assert added.extended and added.entry.avoid == ("Surt", "Sirt City") and added.overridden is None
    assert project.read_text(encoding="utf-8") == (
        "# ours\n- ar: سرت   # the town\n  en: Sirte\n  avoid: [Surt, Sirt City]\n  type: place\n")
    assert workspace.glossary.lookup("سرت").avoid == ("Surt", "Sirt City")
    assert added.change.touches("وصل إلى سرت أمس") and not added.change.touches("وصل إلى روما أمس")
    with pytest.raises(GlossaryError, match="avoided rendering 'sirte' is part of the accepted English 'Sirte'"):
        workspace.add_term(project, "سرت", "Sirte", "place", avoid=["sirte"])
    assert workspace.glossary.lookup("سرت").avoid == ("Surt", "Sirt City")


def test_add_term_overriding_another_files_entry_keeps_its_avoid_where_it_still_fits(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", glossary_paths=(tmp_path / "shared.yaml",))
    (tmp_path / "shared.yaml").write_text(
        "- ar: سرت\n  en: Sirte\n  avoid: [Surt, Sirt]\n  type: place\n", encoding="utf-8")
    workspace = Workspace(settings, tmp_path, engine=FakeEngine())
    # the project's English is one the shared entry avoided: that avoid cannot stay
    added = workspace.add_term(tmp_path / "glossary.yaml", "سرت", "Sirt", "place", avoid=["Sirtt"])
    assert added.entry.avoid == ("Surt", "Sirtt") and added.entry.alt == ("Sirte",)
    assert workspace.glossary.lookup("سرت").avoid == ("Surt", "Sirtt")
