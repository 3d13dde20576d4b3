"""`translator glossary unavoid` (issue #17): an avoided rendering taken out of an entry's
`avoid:` list with the same comment-keeping editor as `glossary add` (glossary/yaml_edit), the
rest of the file untouched; refusals one line naming the file, the file unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from translator.cli import main
from translator.glossary.layers import load_glossary

TEXT = """\
# places
- ar: طرابلس   # Libya's capital
  en: Tripoli
  alt: [Tarabulus]
  avoid: [Trablus, Tripolis]   # seen in drafts
  type: place

- {ar: فايز السراج, en: Fayez al-Sarraj, avoid: [Faiz Sarag], type: person}

- ar: سرت
  en: Sirte
  avoid:
    - Surt
    - Sirt City
  type: place  # Gaddafi's home town
"""


def write(tmp_path: Path, text: str = TEXT) -> Path:
    path = tmp_path / "places.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unavoid_takes_one_rendering_out_keeping_the_rest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path)
    assert main(["glossary", "unavoid", "--ar", "طرابلس", "--avoid", "tripolis", "--file", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == TEXT.replace(
        "  avoid: [Trablus, Tripolis]   # seen in drafts\n", "  avoid: [Trablus]   # seen in drafts\n")
    out = capsys.readouterr().out
    assert f"{path}:2: طرابلس → Tripoli no longer avoids Tripolis; avoid: Trablus" in out, out


def test_unavoid_of_the_last_rendering_drops_the_field(tmp_path: Path) -> None:
    path = write(tmp_path)
    assert main(["glossary", "unavoid", "--ar", "طرابلس", "--avoid", "Trablus", "--avoid", "Tripolis",
                 "--file", str(path)]) == 0
    assert main(["glossary", "unavoid", "--ar", "سرت", "--avoid", "Surt", "--avoid", "Sirt City",
                 "--file", str(path)]) == 0
    assert main(["glossary", "unavoid", "--ar", "فايز السراج", "--avoid", "Faiz Sarag", "--file", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == """\
# places
- ar: طرابلس   # Libya's capital
  en: Tripoli
  alt: [Tarabulus]
  type: place

- {ar: فايز السراج, en: Fayez al-Sarraj, type: person}

- ar: سرت
  en: Sirte
  type: place  # Gaddafi's home town
"""
    assert all(not e.avoid for e in load_glossary([path]).entries)


def test_unavoid_of_one_item_of_a_block_list(tmp_path: Path) -> None:
    path = write(tmp_path)
    assert main(["glossary", "unavoid", "--ar", "سرت", "--avoid", "Surt", "--file", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert "  en: Sirte\n  avoid: [Sirt City]\n  type: place  # Gaddafi's home town\n" in text
    assert load_glossary([path]).lookup("سرت").avoid == ("Sirt City",)


@pytest.mark.parametrize(("ar", "avoid", "why"), [
    ("طرابلس", "Tarabulus",
     "'Tarabulus' is not an avoided rendering of طرابلس → Tripoli (it avoids: Trablus, Tripolis)"),
    ("مصراتة", "Misurata", "the file has no entry for مصراتة"),
])
def test_unavoid_refusals_are_one_line_and_leave_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ar: str, avoid: str, why: str
) -> None:
    path = write(tmp_path)
    assert main(["glossary", "unavoid", "--ar", ar, "--avoid", avoid, "--file", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and why in err and "the file is unchanged" in err, err
    assert err.startswith(f"translator: error: {path}")
    assert path.read_text(encoding="utf-8") == TEXT


def test_unavoid_without_file_finds_the_entry_in_the_configured_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "glossaries"
    folder.mkdir()
    path = write(folder)
    monkeypatch.setenv("TRANSLATOR_GLOSSARIES", str(folder))
    assert main(["glossary", "unavoid", "--ar", "سرت", "--avoid", "Sirt City"]) == 0
    assert load_glossary([folder]).lookup("سرت").avoid == ("Surt",)
    assert "# Gaddafi's home town" in path.read_text(encoding="utf-8")


def test_unavoid_is_listed_in_help_and_a_real_process_refuses_without_traceback(tmp_path: Path) -> None:
    path = write(tmp_path)
    run = [sys.executable, "-m", "translator", "glossary"]
    helped = subprocess.run([*run, "--help"], capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert "unavoid" in helped.stdout
    done = subprocess.run([*run, "unavoid", "--ar", "طرابلس", "--avoid", "Tripoli", "--file", str(path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert path.read_text(encoding="utf-8") == TEXT


def test_add_then_unavoid_gives_back_the_shipped_file_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    folder = tmp_path / "glossaries"
    shutil.copytree(ROOT / "glossaries", folder)
    monkeypatch.setenv("TRANSLATOR_GLOSSARIES", str(folder))
    before = {p.name: p.read_bytes() for p in folder.glob("*.yaml")}
    assert main(["glossary", "add", "--ar", "سيرغي لافروف", "--en", "Sergey Lavrov", "--avoid", "Sirgie Lavov",
                 "--avoid", "Lavrow"]) == 0
    assert load_glossary([folder]).lookup("سيرغي لافروف").avoid == ("Sirgie Lavov", "Lavrow")
    assert main(["glossary", "unavoid", "--ar", "سيرجي لافروف", "--avoid", "LAVROW", "--avoid", "sirgie lavov"]) == 0
    assert {p.name: p.read_bytes() for p in folder.glob("*.yaml")} == before
