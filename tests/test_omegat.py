"""The OmegaT bridge: `export --format omegat`, checked by OmegaT 3.6 itself and translate-toolkit, and the way back."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from translate.storage import tmx as tt_tmx

from tests.conftest import SEEDS, FakeEngine
from translator import cli
from translator.store.memory import TranslationMemory
from translator.store.memory_entry import Origin, Via
from translator.store.review import load_review, save_review
from translator.store.tmx import read_tmx, source_segment
from translator.text.document import read_article

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
needs_omegat = pytest.mark.skipif(not OMEGAT_JAR.is_file() or not shutil.which("java"),
                                  reason="OmegaT 3.6 not installed (apt-get install omegat)")
TURKEY = "turkey-russia-libya-syria.ar.txt"


def run_omegat(project: Path, *args: str) -> None:
    """OmegaT 3.6 headless on `project` (console modes only; an unknown mode would start the GUI)."""
    subprocess.run(
        ["java", "-Djava.awt.headless=true", "-jar", str(OMEGAT_JAR), str(project), *args,
         f"--config-dir={project.parent / 'omegat-config'}", "--no-team", "--disable-project-locking"],
        check=True, capture_output=True, timeout=240,
    )


@pytest.fixture
def articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    """Seed articles (one paragraph given a bidi mark, an NBSP and a double space), batch-translated
    with the fake engine, two paragraphs then reviewed in the desk."""
    from translator.mt import models

    monkeypatch.setattr(models, "load_engine", lambda settings: FakeEngine())
    folder = tmp_path / "articles"
    folder.mkdir()
    for seed in SEEDS.glob("*.ar.txt"):
        shutil.copy(seed, folder / seed.name)
    lines = (folder / TURKEY).read_text(encoding="utf-8").splitlines()
    body = [i for i, line in enumerate(lines) if line.strip()]
    lines[body[2]] = "\u200f" + lines[body[2]].replace(" ", "\u00a0", 1).replace(" ", "  ", 1)
    (folder / TURKEY).write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli.main(["batch", str(folder), "--quiet"]) == 0
    article = read_article(folder / TURKEY)
    state = load_review(article.path)
    state.accept(article.translatable[0].id, "Experts: Turkey and Russia coordinate.")
    state.accept(article.translatable[2].id, "Reviewed with a bidi mark & <NBSP>.")
    save_review(article, state)
    return folder


def _export(articles: Path, project: Path) -> None:
    assert cli.main(["export", str(articles), "--format", "omegat", "-o", str(project)]) == 0


def test_project_layout_and_files(articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "project"
    _export(articles, project)
    assert "2 reviewed units" in capsys.readouterr().out
    for sub in ("source", "target", "tm", "glossary", "omegat", "dictionary"):
        assert (project / sub).is_dir()
    config = ET.parse(project / "omegat.project").getroot().find("project")
    assert (config.findtext("source_lang"), config.findtext("target_lang"), config.findtext("sentence_seg")) == \
        ("ar", "en", "false")
    option = ET.parse(project / "omegat" / "filters.xml").getroot().find("filter/option[@name='segmentOn']")
    assert option is not None and option.get("value") == "BREAKS"
    for seed in articles.glob("*.ar.txt"):  # byte for byte
        assert (project / "source" / seed.name).read_bytes() == seed.read_bytes()
    saved = read_tmx(project / "omegat" / "project_save.tmx")
    assert sorted(u.target for u in saved) == ["Experts: Turkey and Russia coordinate.",
                                               "Reviewed with a bidi mark & <NBSP>."]
    assert not any(u.machine for u in saved)
    drafts = read_tmx(project / "tm" / "translator-machine.tmx")
    total = sum(len(read_article(p).translatable) for p in articles.glob("*.ar.txt"))
    assert len(drafts) == total - 2 and all(u.machine and u.model == "fake→en 0" for u in drafts)
    assert not (project / "tm" / "auto").exists()  # drafts are never inserted as translations
    rows = [line.split("\t") for line in (project / "glossary" / "translator.utf8").read_text("utf-8").splitlines()
            if not line.startswith("#")]
    assert len(rows) > 10 and all(len(r) == 3 and r[0] and r[1] for r in rows)
    assert any(r[1] == "Erdoğan" for r in rows)
    # translate-toolkit, the other client: Arabic first, English second, the same pairs
    store = tt_tmx.tmxfile.parsefile(str(project / "omegat" / "project_save.tmx"))
    assert sorted((u.source, u.target) for u in store.units) == sorted((u.source, u.target) for u in saved)
    assert len(tt_tmx.tmxfile.parsefile(str(project / "tm" / "translator-machine.tmx")).units) == len(drafts)


def test_existing_work_is_never_overwritten(articles: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "project"
    _export(articles, project)
    before = (project / "omegat" / "project_save.tmx").read_bytes()
    capsys.readouterr()
    assert cli.main(["export", str(articles), "--format", "omegat", "-o", str(project)]) == 1
    err = capsys.readouterr().err.strip()
    assert "translator memory import" in err and len(err.splitlines()) == 1
    assert (project / "omegat" / "project_save.tmx").read_bytes() == before
    assert cli.main(["export", str(articles), "--format", "omegat"]) == 1
    assert "needs -o PROJECT" in capsys.readouterr().err


@needs_omegat
def test_omegat_translates_reviewed_paragraphs_only(articles: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    _export(articles, project)
    run_omegat(project, "--mode=console-translate")
    source = (project / "source" / TURKEY).read_text(encoding="utf-8").splitlines()
    target = (project / "target" / TURKEY).read_text(encoding="utf-8").splitlines()
    assert len(target) == len(source)  # one segment per line, as we split
    article = read_article(articles / TURKEY)
    ps = article.translatable
    by_line = {p.line: p for p in ps}
    translated = {n: target[n - 1].strip() for n in by_line if target[n - 1].strip() != source[n - 1].strip()}
    assert translated == {ps[0].line: "Experts: Turkey and Russia coordinate.",
                          ps[2].line: "Reviewed with a bidi mark & <NBSP>."}  # the bidi/NBSP paragraph matched too
    # machine drafts (tm/, reference only) stayed out of the translation


@needs_omegat
def test_way_back_from_omegat_project_and_alignment(articles: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "project"
    _export(articles, project)
    run_omegat(project, "--mode=console-translate")
    article = read_article(articles / TURKEY)
    ps = article.translatable
    # A translator's work in the target file (OmegaT's "create translated documents")
    target = project / "target" / TURKEY
    lines = target.read_text(encoding="utf-8").splitlines()
    lines[ps[3].line - 1] = "Translated in OmegaT: four."
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    assert cli.main(["memory", "--folder", str(fresh), "import", str(project)]) == 0
    assert "2 units of omegat/project_save.tmx, 3 translated lines" in capsys.readouterr().out
    with TranslationMemory.for_folder(fresh) as memory:
        assert memory.counts() == {"machine": 0, "reviewed": 3}
        assert memory.lookup(ps[2].text) == "Reviewed with a bidi mark & <NBSP>."
        assert memory.lookup(ps[3].text) == "Translated in OmegaT: four."
        assert memory.entries(source=ps[3].text)[0].via is Via.OMEGAT

    # OmegaT's own TMX writer (TMX 1.1, `lang`, pretty-printed): its segments, given English, come
    # back onto exactly our paragraphs (the bidi-mark/NBSP one included).
    pseudo = tmp_path / "pseudo.tmx"
    run_omegat(project, "--mode=console-createpseudotranslatetmx", f"--pseudotranslatetmx={pseudo}",
               "--pseudotranslatetype=equal")
    tree = ET.parse(pseudo)
    assert tree.getroot().find("header").get("creationtool") == "OmegaT"
    omegat_sources = {tu.findall("tuv")[0].findtext("seg").strip() for tu in tree.getroot().iter("tu")}
    ours = {source_segment(p.text) for path in articles.glob("*.ar.txt") for p in read_article(path).translatable}
    assert ours <= omegat_sources  # exactly the same strings, bidi mark and NBSP included
    for number, tu in enumerate(tree.getroot().iter("tu")):
        tu.findall("tuv")[1].find("seg").text = f"OmegaT segment {number}."
    tree.write(pseudo, encoding="utf-8", xml_declaration=True)
    other = tmp_path / "other"
    other.mkdir()
    assert cli.main(["memory", "--folder", str(other), "import", str(pseudo)]) == 0
    with TranslationMemory.for_folder(other) as memory:
        for path in articles.glob("*.ar.txt"):
            for p in read_article(path).translatable:
                assert (memory.lookup(p.text) or "").startswith("OmegaT segment"), p.text
        assert all(e.origin is Origin.REVIEWED and e.via is Via.TMX for e in memory.entries())
