"""Batch work is exportable like desk work: XLIFF/TMX/memory exports after `translator batch`."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import SEEDS, FakeEngine
from translator import cli
from translator.store.memory import TranslationMemory
from translator.store.memory_entry import Origin, Via
from translator.store.review import Status, load_review, save_review
from translator.store.tmx import read_tmx
from translator.store.xliff import NS
from translator.text.document import read_article

Q = f"{{{NS}}}"
TURKEY = "turkey-russia-libya-syria.ar.txt"


@pytest.fixture
def batched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    """The seed articles after `translator batch` with the fake engine (no desk work at all)."""
    from translator.mt import models

    monkeypatch.setattr(models, "load_engine", lambda settings: FakeEngine())
    folder = tmp_path / "articles"
    folder.mkdir()
    for seed in SEEDS.glob("*.ar.txt"):
        shutil.copy(seed, folder / seed.name)
    assert cli.main(["batch", str(folder), "--quiet"]) == 0
    return folder


def _units(path: Path) -> list[ET.Element]:
    return ET.parse(path).getroot().findall(f".//{Q}trans-unit")


def test_xliff_after_batch_has_machine_english_to_review(batched: Path, tmp_path: Path) -> None:
    article = read_article(batched / TURKEY)
    state = load_review(article.path)  # one paragraph reviewed in the desk afterwards
    state.accept(article.translatable[1].id, "Reviewed in the desk.")
    save_review(article, state)
    assert cli.main(["export", str(batched), "--format", "xliff", "-o", str(tmp_path / "x")]) == 0
    units = _units(tmp_path / "x" / "turkey-russia-libya-syria.xlf")
    assert len(units) == len(article.translatable)
    states = [(u.get("approved"), u.find(f"{Q}target").get("state")) for u in units]
    assert states[1] == ("yes", "final")
    assert set(states[:1] + states[2:]) == {(None, "needs-review-translation")}
    for unit in units:
        target = unit.find(f"{Q}target").text or ""
        assert target.strip() and (target.startswith("EN[") or target == "Reviewed in the desk.")


def test_tmx_after_batch_holds_machine_output_only_on_request_and_marked(batched: Path, tmp_path: Path) -> None:
    article = read_article(batched / TURKEY)
    assert cli.main(["export", str(batched / TURKEY), "--format", "tmx", "-o", str(tmp_path / "r")]) == 0
    assert read_tmx(tmp_path / "r" / "turkey-russia-libya-syria.tmx") == []  # nobody reviewed anything
    assert cli.main(["export", str(batched / TURKEY), "--format", "tmx", "--include-machine",
                     "-o", str(tmp_path / "m")]) == 0
    units = read_tmx(tmp_path / "m" / "turkey-russia-libya-syria.tmx")
    assert len(units) == len(article.translatable)
    assert all(u.machine and u.model == "fake→en 0" and u.created and u.creator for u in units)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    assert cli.main(["memory", "--folder", str(fresh), "import",
                     str(tmp_path / "m" / "turkey-russia-libya-syria.tmx")]) == 0
    with TranslationMemory.for_folder(fresh) as memory:
        assert memory.counts() == {"machine": len(units), "reviewed": 0}  # never comes back as reviewed


def test_memory_export_with_machine_round_trips_as_machine(batched: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    with TranslationMemory.for_folder(batched) as memory:
        machine = memory.counts()["machine"]
        memory.add_reviewed(read_article(batched / TURKEY).translatable[0].text, "Reviewed title.")
    assert machine > 0
    tmx = tmp_path / "all.tmx"
    assert cli.main(["memory", "--folder", str(batched), "export", str(tmx), "--include-machine"]) == 0
    text = tmx.read_text(encoding="utf-8")
    assert text.count('<prop type="x-origin">machine</prop>') == machine - 1  # the reviewed one wins its source
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    assert cli.main(["memory", "--folder", str(fresh), "import", str(tmx)]) == 0
    assert f"({1} reviewed, {machine - 1} machine" in capsys.readouterr().out
    with TranslationMemory.for_folder(fresh, model="fake→en 0") as memory:
        assert memory.counts() == {"machine": machine - 1, "reviewed": 1}
        assert {e.via for e in memory.entries()} == {Via.TMX}
        assert [e.target for e in memory.entries(Origin.REVIEWED)] == ["Reviewed title."]


def test_xliff_round_trip_after_batch(batched: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x"
    assert cli.main(["export", str(batched / TURKEY), "--format", "xliff", "-o", str(out)]) == 0
    xlf = out / "turkey-russia-libya-syria.xlf"
    text = xlf.read_text(encoding="utf-8")
    first = text.index('state="needs-review-translation"')
    text = text[:first] + text[first:].replace('state="needs-review-translation" state-qualifier="leveraged-mt"',
                                               'state="translated"', 2)
    xlf.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["memory", "import", str(xlf)]) == 1  # exported with -o: the articles are elsewhere
    err = capsys.readouterr().err
    assert "--folder" in err and len(err.strip().splitlines()) == 1
    assert cli.main(["memory", "--folder", str(batched), "import", str(xlf)]) == 0
    out_text = capsys.readouterr().out
    assert "2 units are state=\"translated\" with the machine English unchanged" in out_text
    article = read_article(batched / TURKEY)
    state = load_review(article.path)
    assert all(state.paragraphs.get(p.id) is None or state.paragraphs[p.id].status is not Status.REVIEWED
               for p in article.translatable)
    assert cli.main(["memory", "--folder", str(batched), "import", str(xlf), "--accept-translated"]) == 0
    assert "2 reviewed" in capsys.readouterr().out
    state = load_review(article.path)
    assert sum(1 for r in state.paragraphs.values() if r.status is Status.REVIEWED) == 2
    with TranslationMemory.for_folder(batched) as memory:
        imported = memory.entries(Origin.REVIEWED)
        assert len(imported) == 2 and {e.via for e in imported} == {Via.XLIFF}
        assert imported[0].file == str(xlf.resolve())


def test_xliff_in_other_languages_is_refused_whole(batched: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["export", str(batched / TURKEY), "--format", "xliff"]) == 0
    xlf = batched / "turkey-russia-libya-syria.xlf"
    text = xlf.read_text(encoding="utf-8").replace('source-language="ar" target-language="en"',
                                                   'source-language="fr" target-language="de"')
    xlf.write_text(text.replace('state="needs-review-translation"', 'state="final"'), encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["memory", "import", str(xlf)]) == 1
    err = capsys.readouterr().err.strip()
    assert "fr→de, not ar→en" in err and len(err.splitlines()) == 1
    article = read_article(batched / TURKEY)
    assert not load_review(article.path).paragraphs  # nothing applied


def test_exported_reviewed_units_keep_the_memory_creator_and_date(batched: Path, tmp_path: Path) -> None:
    article = read_article(batched / TURKEY)
    p = article.translatable[1]
    with TranslationMemory.for_folder(batched, creator="amira") as memory:  # what the desk does on accept
        memory.add_reviewed(p.text, "Reviewed in the desk.")
        created = memory.entries(Origin.REVIEWED)[0].created
    state = load_review(article.path)
    state.accept(p.id, "Reviewed in the desk.")
    save_review(article, state)
    assert cli.main(["export", str(article.path), "--format", "tmx", "-o", str(tmp_path / "t")]) == 0
    assert cli.main(["export", str(batched), "--format", "omegat", "-o", str(tmp_path / "project")]) == 0
    for path in (tmp_path / "t" / "turkey-russia-libya-syria.tmx",
                 tmp_path / "project" / "omegat" / "project_save.tmx"):
        [unit] = read_tmx(path)
        assert (unit.target, unit.creator, unit.created) == ("Reviewed in the desk.", "amira", created)
