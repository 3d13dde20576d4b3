"""Adding a term where the Arabic already has an entry in another glossary file (issue #17):
`glossary add` and the desk (Workspace.add_term) decide it in one place
(glossary/adding.add_term): an entry of an earlier layer is overridden and what it accepted or
avoided is kept; an entry of another file of the same folder (one layer) is a duplicate,
refused at add time in one line, the file unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, FakeEngine
from translator.cli import main
from translator.config import Settings
from translator.errors import GlossaryError
from translator.glossary.layers import load_glossary
from translator.workspace import Workspace

SHARED = """\
# the team's glossary
- ar: سرت
  en: Sirte
  alt: [Syrte]
  avoid: [Surt, Sirt]   # Sirt: the project may prefer it
  type: place
"""

PLACES = """\
# places
- ar: طرابلس   # Libya's capital
  en: Tripoli
  type: place
"""


def _layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "glossaries"
    folder.mkdir()
    (folder / "shared.yaml").write_text(SHARED, encoding="utf-8")
    (folder / "places.yaml").write_text(PLACES, encoding="utf-8")
    monkeypatch.setenv("TRANSLATOR_GLOSSARIES", str(folder))
    return folder


def test_cli_and_desk_override_another_layers_entry_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = _layer(tmp_path, monkeypatch)
    by_cli, by_desk = tmp_path / "cli", tmp_path / "desk"
    by_cli.mkdir()
    by_desk.mkdir()
    assert main(["glossary", "add", "--ar", "سرت", "--en", "Sirt", "--type", "place", "--avoid", "Sirtt",
                 "--file", str(by_cli / "glossary.yaml")]) == 0
    out = capsys.readouterr().out
    assert f"overrides {folder / 'shared.yaml'}:2 (Sirte)" in out and "Sirte, Syrte" in out, out
    workspace = Workspace(Settings(home=tmp_path / "home", glossary_paths=(folder,)), by_desk, engine=FakeEngine())
    added = workspace.add_term(by_desk / "glossary.yaml", "سرت", "Sirt", "place", avoid=["Sirtt"])
    cli_text = (by_cli / "glossary.yaml").read_text(encoding="utf-8")
    assert cli_text == (by_desk / "glossary.yaml").read_text(encoding="utf-8")
    # the shared entry's English and alternative kept as alternatives; its avoid 'Sirt' would
    # block the new English, so only 'Surt' stays, then the new one
    entry = load_glossary([folder, by_cli / "glossary.yaml"]).lookup("سرت")
    assert entry.en == "Sirt" and entry.alt == ("Sirte", "Syrte") and entry.avoid == ("Surt", "Sirtt")
    assert added.entry == entry and added.kept_alternatives == ("Sirte", "Syrte") and added.kept_avoid == ("Surt",)
    assert (folder / "shared.yaml").read_text(encoding="utf-8") == SHARED


def test_cli_alternatives_given_come_first_and_the_carried_ones_are_not_repeated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _layer(tmp_path, monkeypatch)
    project = tmp_path / "glossary.yaml"
    assert main(["glossary", "add", "--ar", "سرت", "--en", "Sirt", "--type", "place", "--alt", "syrte",
                 "--alt", "Sirt City", "--file", str(project)]) == 0
    assert load_glossary([project]).lookup("سرت").alt == ("syrte", "Sirt City", "Sirte")


def test_a_second_file_of_the_same_folder_is_refused_at_add_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _layer(tmp_path, monkeypatch)
    terms = folder / "terms.yaml"
    terms.write_text("# terms\n", encoding="utf-8")
    for english in ("Tripoli", "Tarabulus"):  # the same English (a duplicate) or another (a conflict)
        assert main(["glossary", "add", "--ar", "طرابلس", "--en", english, "--avoid", "Trablus",
                     "--file", str(terms)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert err.startswith(f"translator: error: {terms}: cannot add طرابلس → {english}: ")
        assert f"already listed at {folder / 'places.yaml'}:2 (Tripoli)" in err
        assert f"add to {folder / 'places.yaml'} instead" in err and "the file is unchanged" in err
        assert terms.read_text(encoding="utf-8") == "# terms\n"
    assert (folder / "places.yaml").read_text(encoding="utf-8") == PLACES
    load_glossary([folder])  # still loads
    # a file that does not exist yet is not created either
    assert main(["glossary", "add", "--ar", "طرابلس", "--en", "Tripoli", "--file", str(folder / "new.yaml")]) == 1
    assert not (folder / "new.yaml").exists()


def test_the_desk_refuses_the_same_duplicate_with_the_same_line(tmp_path: Path) -> None:
    folder = tmp_path / "glossaries"
    folder.mkdir()
    (folder / "places.yaml").write_text(PLACES, encoding="utf-8")
    workspace = Workspace(Settings(home=tmp_path / "home", glossary_paths=(folder,)), tmp_path, engine=FakeEngine())
    before = workspace.glossary.fingerprint
    with pytest.raises(GlossaryError) as caught:
        workspace.add_term(folder / "terms.yaml", "طرابلس", "Tripoli", "place", avoid=["Trablus"])
    assert caught.value.problems == [
        f"{folder / 'terms.yaml'}: cannot add طرابلس → Tripoli: 'طرابلس' is already listed at "
        f"{folder / 'places.yaml'}:2 (Tripoli) in the same glossary folder; add to {folder / 'places.yaml'} "
        "instead; the file is unchanged"]
    assert not (folder / "terms.yaml").exists() and workspace.glossary.fingerprint == before


def test_a_duplicate_in_a_real_process_is_one_line_without_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "glossaries"
    folder.mkdir()
    (folder / "places.yaml").write_text(PLACES, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "translator", "glossary", "add", "--ar", "طرابلس", "--en", "Tripoli",
         "--file", str(folder / "terms.yaml")],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
        env={**__import__("os").environ, "TRANSLATOR_GLOSSARIES": str(folder), "TRANSLATOR_HOME": str(tmp_path)},
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "already listed at" in done.stderr, done.stderr
    assert not (folder / "terms.yaml").exists()


def test_an_entry_of_a_later_layer_is_not_carried_and_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # adding to the shared folder while the project glossary overrides the Arabic: the project's
    # entry stays in force, nothing of it is copied down, and the line says so
    folder = _layer(tmp_path, monkeypatch)
    project = tmp_path / "articles"
    project.mkdir()
    (project / "glossary.yaml").write_text("- ar: بنغازي\n  en: Benghazi\n  alt: [Bengasi]\n  type: place\n",
                                           encoding="utf-8")
    workspace = Workspace(Settings(home=tmp_path / "home", glossary_paths=(folder,)), project, engine=FakeEngine())
    added = workspace.add_term(folder / "places.yaml", "بنغازي", "Banghazi", "place")
    assert added.entry.alt == () and added.overridden is None
    assert added.shadowed_by is not None and added.shadowed_by.file == str(project / "glossary.yaml")
    assert workspace.glossary.lookup("بنغازي").en == "Benghazi"
