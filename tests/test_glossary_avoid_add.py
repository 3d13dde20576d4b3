"""`glossary add --avoid` (issue #17): an entry's known wrong renderings written into the YAML,
on a new entry or on the file's own entry for the same Arabic, keeping comments and order, and
refused in one line (file untouched) where hand-written YAML would be refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from translator.cli import main
from translator.errors import GlossaryError
from translator.glossary.layers import load_glossary, write_entry

GOOD = """\
# places
- ar: طرابلس   # Libya's capital
  en: Tripoli
  alt: [Tarabulus]
  type: place

# a person, flow style
- {ar: فايز السراج, en: Fayez al-Sarraj, type: person}

- ar: سرت
  en: Sirte
  type: place  # Gaddafi's home town
  note: coastal city
"""


def write(tmp_path: Path, text: str = GOOD, name: str = "g.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_add_writes_avoid_into_a_new_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path)
    rc = main(["glossary", "add", "--ar", "بنغازي", "--en", "Benghazi", "--type", "place",
               "--avoid", "Bengazi", "--avoid", "Ben Ghazi", "--file", str(path)])
    assert rc == 0, capsys.readouterr().err
    text = path.read_text(encoding="utf-8")
    assert text.startswith(GOOD)
    assert text[len(GOOD):] == "\n- ar: بنغازي\n  en: Benghazi\n  avoid: [Bengazi, Ben Ghazi]\n  type: place\n"
    assert load_glossary([path]).lookup("بنغازي").avoid == ("Bengazi", "Ben Ghazi")
    assert "avoid: Bengazi, Ben Ghazi" in capsys.readouterr().out


def test_add_avoid_to_the_files_own_entry_extends_it_in_place(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path)
    # no --type: the entry keeps its own (place), nothing else in the file moves
    assert main(["glossary", "add", "--ar", "طرابلس", "--en", "Tripoli", "--avoid", "Trablus",
                 "--file", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == GOOD.replace(
        "  alt: [Tarabulus]\n", "  alt: [Tarabulus]\n  avoid: [Trablus]\n")
    assert "extended" in capsys.readouterr().out
    # a second one joins the first; one already there is not repeated
    assert main(["glossary", "add", "--ar", "طرابلس", "--en", "Tripoli", "--avoid", "trablus",
                 "--avoid", "Tripolis", "--file", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == GOOD.replace(
        "  alt: [Tarabulus]\n", "  alt: [Tarabulus]\n  avoid: [Trablus, Tripolis]\n")
    # an entry without alt, with a comment after its last field; and a flow-style entry
    assert main(["glossary", "add", "--ar", "سرت", "--en", "Sirte", "--avoid", "Surt", "--file", str(path)]) == 0
    assert main(["glossary", "add", "--ar", "فايز السراج", "--en", "Fayez al-Sarraj", "--avoid", "Faiz Sarag",
                 "--file", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert "  en: Sirte\n  avoid: [Surt]\n  type: place  # Gaddafi's home town\n  note: coastal city\n" in text
    assert "# Libya's capital" in text and "# a person, flow style" in text
    glossary = load_glossary([path])
    assert [e.en for e in glossary.entries] == ["Tripoli", "Fayez al-Sarraj", "Sirte"]
    assert glossary.lookup("سرت").avoid == ("Surt",) and glossary.lookup("سرت").type == "place"
    sarraj = glossary.lookup("فايز السراج")
    assert sarraj.avoid == ("Faiz Sarag",) and sarraj.type == "person"


def test_nothing_new_for_the_files_own_entry_is_a_duplicate(tmp_path: Path) -> None:
    path = write(tmp_path)
    with pytest.raises(GlossaryError, match=r"already listed at .*g\.yaml:2; nothing to add"):
        write_entry(path, "طرابلس", "Tripoli", avoid=[])
    with pytest.raises(GlossaryError, match="conflict: 'طرابلس' → 'Tarablus'"):
        write_entry(path, "طرابلس", "Tarablus", avoid=["Trablus"])
    assert path.read_text(encoding="utf-8") == GOOD


@pytest.mark.parametrize(("avoid", "english", "why"), [
    ("طرابلس الغرب", "Tripoli", "avoided rendering 'طرابلس الغرب' contains Arabic script"),
    ("tripoli", "Tripoli", "avoided rendering 'tripoli' is part of the accepted English 'Tripoli'"),
    ("Tarabulus", "Tripoli", "avoided rendering 'Tarabulus' is part of the accepted English 'Tarabulus'"),
    ("Misrata", "Misrata", "avoided rendering 'Misrata' is part of the accepted English 'Misrata'"),
])
def test_a_bad_avoid_is_refused_in_one_line_and_the_file_is_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], avoid: str, english: str, why: str
) -> None:
    path = write(tmp_path)
    arabic = "طرابلس" if english == "Tripoli" else "مصراتة"
    assert main(["glossary", "add", "--ar", arabic, "--en", english, "--type", "place",
                 "--avoid", avoid, "--file", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and why in err and err.startswith(f"translator: error: {path}"), err
    assert "the file is unchanged" in err
    assert path.read_text(encoding="utf-8") == GOOD


def test_a_bad_avoid_in_a_real_process_has_no_traceback(tmp_path: Path) -> None:
    path = write(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "translator", "glossary", "add", "--ar", "طرابلس", "--en", "Tripoli",
         "--avoid", "Tripoli", "--file", str(path)],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert path.read_text(encoding="utf-8") == GOOD


def test_without_file_an_existing_entry_is_extended_in_its_own_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `glossary add` on a folder writes each type to its own file; an avoid for an entry that is
    # already in the folder goes to that entry (a second entry in terms.yaml would be a duplicate).
    folder = tmp_path / "glossaries"
    folder.mkdir()
    places = write(folder, GOOD, "places.yaml")
    monkeypatch.setenv("TRANSLATOR_GLOSSARIES", str(folder))
    assert main(["glossary", "add", "--ar", "طرابلس", "--en", "Tripoli", "--avoid", "Trablus"]) == 0
    assert not (folder / "terms.yaml").exists()
    assert load_glossary([folder]).lookup("طرابلس").avoid == ("Trablus",)
    assert "# Libya's capital" in places.read_text(encoding="utf-8")
