"""Tests for glossary files: loading, validation messages, merging, add, the shipped glossary, CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from translator.cli import main
from translator.config import SHIPPED_GLOSSARY_DIR, Settings
from translator.errors import GlossaryError
from translator.glossary.layers import (
    Glossary,
    load_for_folder,
    load_glossary,
    project_glossary_path,
    write_entry,
)
from translator.glossary.yaml_file import GlossaryEntry, parse_text

from .conftest import SEEDS

GOOD = """\
# people
- ar: [فايز السراج, فائز السراج]
  en: Fayez al-Sarraj
  type: person

- ar: طرابلس   # Libya's capital
  en: Tripoli
  alt: [Tarabulus]
  type: place
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(text: str) -> list[str]:
    return parse_text(text, "g.yaml").problems


def test_load_good_file(tmp_path: Path) -> None:
    glossary = load_glossary([write(tmp_path, "g.yaml", GOOD)])
    assert len(glossary) == 2
    sarraj, tripoli = glossary.entries
    assert sarraj.ar == ("فايز السراج", "فائز السراج") and sarraj.type == "person"
    assert tripoli.alt == ("Tarabulus",) and tripoli.line == 6
    assert glossary.lookup("فائز السراج") is sarraj
    assert glossary.counts() == {"person": 1, "place": 1}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- ar: طرابلس\n  en: Tripoli\n  type: place\n- ar: [سرت\n", r"g\.yaml:5:1: YAML syntax error: "),
        ("- ar: طرابلس\n  en: Tripoli\n  type: place\n  en: Tarabulus\n", r"g\.yaml:4:3: field 'en' given twice"),
        ("- ar: طرابلس\n  en: Tripoli\n", r"g\.yaml:1:3: missing field 'type'"),
        ("- ar: طرابلس\n  en: ''\n  type: place\n", r"g\.yaml:2:7: empty field 'en'"),
        ("- ar: []\n  en: Tripoli\n  type: place\n", r"g\.yaml:1:7: empty field 'ar'"),
        ("- ar: Tripoli\n  en: Tripoli\n  type: place\n", r"g\.yaml:1:7: source 'Tripoli' is not Arabic script"),
        ("- ar: [طرابلس, 'طرابلس Libya']\n  en: Tripoli\n  type: place\n",
         r"g\.yaml:1:16: source 'طرابلس Libya' is not Arabic"),
        ("- ar: طرابلس\n  en: Tripoli\n  type: city\n", r"g\.yaml:3:9: type 'city' is not one of person, place"),
        ("- ar: طرابلس\n  en: Tripoli\n  typ: place\n", r"g\.yaml:3:3: unknown field 'typ'"),
        ("- ar: طرابلس\n  en: طرابلس\n  type: place\n", r"g\.yaml:2:7: English 'طرابلس' contains Arabic"),
        ("- ar: [إدلب, ادلب]\n  en: Idlib\n  type: place\n",
         r"g\.yaml:1:14: variant 'ادلب' is the same as 'إدلب' once normalised"),
        ("ar: طرابلس\nen: Tripoli\n", r"g\.yaml:1:1: a glossary file must be a list of entries"),
        ("- just text\n", r"g\.yaml:1:3: an entry must be a mapping"),
        (
            "- ar: طرابلس\n  en: Tripoli\n  type: place\n- ar: طرابلس\n  en: Tripoli\n  type: place\n",
            r"g\.yaml:4:3: duplicate entry: 'طرابلس' is already listed at g\.yaml:1",
        ),
        (
            "- ar: طرابلس\n  en: Tripoli\n  type: place\n- ar: [سرت, طرابلسَ]\n  en: Tarabulus\n  type: place\n",
            r"g\.yaml:4:3: conflict: 'طرابلسَ' → 'Tarabulus' here but → 'Tripoli' at g\.yaml:1",
        ),
    ],
)
def test_validation_messages(text: str, expected: str) -> None:
    found = problems(text)
    assert any(re.match(expected, p) for p in found), found


def test_every_problem_is_reported(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", "- ar: Tripoli\n  en: Tripoli\n  type: place\n- ar: سرت\n  type: town\n")
    worse = write(tmp_path, "worse.yaml", "- ar: [سرت\n")
    with pytest.raises(GlossaryError) as info:
        load_glossary([bad, worse])
    messages = info.value.problems
    assert len(messages) == 4, messages
    assert all(re.match(r".+\.yaml:\d+:\d+: ", m) for m in messages)


def test_empty_and_comment_only_files_are_fine(tmp_path: Path) -> None:
    assert len(load_glossary([write(tmp_path, "e.yaml", "# nothing yet\n")])) == 0


def test_yaml_scalars_stay_text(tmp_path: Path) -> None:
    glossary = load_glossary([write(tmp_path, "g.yaml", "- ar: نعم\n  en: yes\n  type: term\n")])
    assert glossary.entries[0].en == "yes"


def test_later_layer_overrides_and_is_reported(tmp_path: Path) -> None:
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    write(shipped, "places.yaml", GOOD)
    project = write(tmp_path, "glossary.yaml", "- ar: طرابلس\n  en: Tripoli (Libya)\n  type: place\n")
    glossary = load_glossary([shipped, project])
    assert glossary.lookup("طرابلس").en == "Tripoli (Libya)"
    assert glossary.lookup("فايز السراج").en == "Fayez al-Sarraj"
    assert len(glossary.overrides) == 1 and "overrides 'Tripoli'" in glossary.overrides[0]
    assert [m.entry.en for m in glossary.match("في طرابلس")] == ["Tripoli (Libya)"]


def test_conflict_between_files_of_one_layer_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    folder.mkdir()
    write(folder, "a.yaml", GOOD)
    write(folder, "b.yaml", "- ar: طرابلس\n  en: Tarabulus\n  type: place\n")
    with pytest.raises(GlossaryError, match=r"b\.yaml:1:1: conflict: 'طرابلس' → 'Tarabulus' here but → 'Tripoli'"):
        load_glossary([folder])


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="glossary path not found"):
        load_glossary([tmp_path / "nope.yaml"])


def test_project_glossary_for_folder(tmp_path: Path) -> None:
    shipped = write(tmp_path, "shipped.yaml", GOOD)
    articles = tmp_path / "articles"
    articles.mkdir()
    settings = Settings(home=tmp_path / "home", glossary_paths=(shipped,))
    assert load_for_folder(settings, articles).lookup("سرت") is None
    write_entry(project_glossary_path(articles), "سرت", "Sirte", "place")
    assert project_glossary_path(articles) == articles / "glossary.yaml"
    assert load_for_folder(settings, articles).lookup("سرت").en == "Sirte"
    article = write(articles, "a.ar.txt", "سرت")
    assert load_for_folder(settings, article).lookup("سرت").en == "Sirte"


def test_fingerprint_tracks_content(tmp_path: Path) -> None:
    a = Glossary.from_entries([GlossaryEntry(("سرت",), "Sirte", "place")])
    b = Glossary.from_entries([GlossaryEntry(("سرت",), "Sirte", "place", note="a note")])
    c = Glossary.from_entries([GlossaryEntry(("سرت",), "Sirt", "place")])
    assert a.fingerprint == b.fingerprint != c.fingerprint
    assert re.fullmatch(r"[0-9a-f]{16}", a.fingerprint)


# --- add -------------------------------------------------------------------------------------

def test_add_keeps_comments_and_order(tmp_path: Path) -> None:
    path = write(tmp_path, "g.yaml", GOOD)
    entry = write_entry(path, ["سرت", "سرتة"], "Sirte", "place", alt=["Sirt"],
                        note="coastal city: Gaddafi's home town").entry
    text = path.read_text(encoding="utf-8")
    assert text.startswith(GOOD)
    assert "# Libya's capital" in text
    assert entry.ar == ("سرت", "سرتة") and entry.alt == ("Sirt",) and entry.line == 11
    assert [e.en for e in load_glossary([path]).entries] == ["Fayez al-Sarraj", "Tripoli", "Sirte"]


def test_add_refuses_conflict_and_leaves_file(tmp_path: Path) -> None:
    path = write(tmp_path, "g.yaml", GOOD)
    with pytest.raises(GlossaryError, match="conflict: 'طرابلس' → 'Tarabulus'"):
        write_entry(path, "طرابلس", "Tarabulus", "place")
    with pytest.raises(GlossaryError, match="not Arabic script"):
        write_entry(path, "Sirte", "Sirte", "place")
    assert path.read_text(encoding="utf-8") == GOOD


def test_add_to_file_without_final_newline(tmp_path: Path) -> None:
    path = write(tmp_path, "g.yaml", GOOD.rstrip("\n"))
    write_entry(path, "سرت", "Sirte", "place")
    assert len(load_glossary([path])) == 3


def test_add_to_broken_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "g.yaml", "- ar: [سرت\n")
    with pytest.raises(GlossaryError, match="fix these problems before adding"):
        write_entry(path, "سرت", "Sirte", "place")


# --- the shipped glossary ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return load_glossary([SHIPPED_GLOSSARY_DIR])


def _domain_extras() -> set[str]:
    text = (SHIPPED_GLOSSARY_DIR / "README.md").read_text(encoding="utf-8")
    section = text.split("## Domain extras", 1)[1]
    return set(re.findall(r"^- `([^`]+)`", section, flags=re.M))


def test_shipped_glossary_is_valid_and_big_enough(shipped: Glossary) -> None:
    assert len(shipped.active_entries) >= 60
    assert set(shipped.counts()) == {"person", "place", "organisation", "term"}
    assert not shipped.overrides


def test_every_shipped_form_occurs_in_the_seeds_or_is_a_documented_extra(shipped: Glossary) -> None:
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    extras = _domain_extras()
    unseen = []
    for entry in shipped.entries:
        for form in entry.ar:
            alone = Glossary.from_entries([GlossaryEntry((form,), entry.en, entry.type)])
            if not any(alone.match(text) for text in seeds) and form not in extras:
                unseen.append(form)
    assert unseen == []
    all_forms = {form for e in shipped.entries for form in e.ar}
    assert extras <= all_forms  # the README lists no stale extras


@pytest.mark.parametrize(
    ("arabic", "english"),
    [
        ("سيرغي لافروف", "Sergey Lavrov"), ("مولود تشاووش أوغلو", "Mevlüt Çavuşoğlu"),
        ("خليفة حفتر", "Khalifa Haftar"), ("فايز السراج", "Fayez al-Sarraj"), ("فائز السراج", "Fayez al-Sarraj"),
        ("رجب طيب أردوغان", "Recep Tayyip Erdoğan"), ("لويجو دي مايو", "Luigi Di Maio"),
        ("إدلب", "Idlib"), ("طرابلس", "Tripoli"), ("مصراتة", "Misrata"), ("سرت", "Sirte"),
        ("موسكو", "Moscow"), ("أنقرة", "Ankara"),
        ("حكومة الوفاق", "Government of National Accord"), ("حكومة الوفاق الوطني", "Government of National Accord"),
        ("الجيش الوطني الليبي", "Libyan National Army"), ("الجيش الليبي", "Libyan National Army"),
        ("الجيش الوطني السوري", "Syrian National Army"), ("المجلس الرئاسي", "Presidential Council"),
        ("مجلس الأمن", "Security Council"), ("عملية إيريني", "Operation Irini"), ("إنترفاكس", "Interfax"),
        ("المشير", "Field Marshal"), ("خفض التصعيد", "de-escalation"), ("المرتزقة", "mercenaries"),
    ],
)
def test_shipped_names(shipped: Glossary, arabic: str, english: str) -> None:
    entry = shipped.lookup(arabic)
    assert entry is not None and entry.en == english


def test_seed_names_are_highlighted(shipped: Glossary) -> None:
    text = (SEEDS / "turkey-russia-libya-syria.ar.txt").read_text(encoding="utf-8")
    english = {m.entry.en for m in shipped.match(text)}
    for name in ("Sergey Lavrov", "Mevlüt Çavuşoğlu", "Khalifa Haftar", "Fayez al-Sarraj", "Idlib",
                 "Operation Irini", "Syrian National Army", "de-escalation zone", "mercenaries", "Ankara"):
        assert name in english
    irini = next(m for m in shipped.match(text) if m.entry.en == "Operation Irini")
    assert text[irini.start:irini.end] == "عملية “إيريني”"


# --- CLI ----------------------------------------------------------------------------------------

def test_cli_check_shipped(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    assert main(["glossary", "check", str(SHIPPED_GLOSSARY_DIR)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"ok: \d+ entries in 4 file\(s\) \(\d+ person, \d+ place, \d+ organisation, \d+ term\)", out)


def test_cli_check_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path, "bad.yaml", "- ar: Tripoli\n  en: Tripoli\n  type: place\n- ar: سرت\n  en: Sirte\n")
    assert main(["glossary", "check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:1:7: source 'Tripoli' is not Arabic script" in err
    assert f"{bad}:4:3: missing field 'type'" in err
    assert "2 problem(s)" in err


def test_cli_add_then_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "g.yaml", GOOD)
    rc = main(["glossary", "add", "--ar", "عقيلة صالح", "--ar", "عقيله صالح عيسى", "--en", "Aguila Saleh",
               "--type", "person", "--alt", "Aguila Saleh Issa", "--file", str(path)])
    assert rc == 0
    assert "Aguila Saleh" in capsys.readouterr().out
    assert load_glossary([path]).lookup("عقيلة صالح").alt == ("Aguila Saleh Issa",)
    assert main(["glossary", "add", "--ar", "طرابلس", "--en", "Tarabulus", "--file", str(path)]) == 1
    assert "conflict" in capsys.readouterr().err


def test_cli_add_defaults_to_type_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "glossaries"
    folder.mkdir()
    monkeypatch.setenv("TRANSLATOR_GLOSSARIES", str(folder))
    assert main(["glossary", "add", "--ar", "سرت", "--en", "Sirte", "--type", "place"]) == 0
    assert load_glossary([folder / "places.yaml"]).lookup("سرت").en == "Sirte"


def test_cli_match(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    assert main(["glossary", "match", str(SEEDS / "turkey-russia-libya-syria.ar.txt")]) == 0
    out = capsys.readouterr().out
    assert "سيرغي لافروف → Sergey Lavrov" in out and "وأنقرة → Ankara" in out
