"""TMX 1.4: the rules of docs/INTEROP_NOTES, translate-toolkit's reader, memory round trip."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from translate.storage import tmx as tt_tmx

from tests.conftest import SEEDS
from translator.errors import InputError
from translator.store.memory import TranslationMemory
from translator.store.memory_io import export_tmx, import_tmx
from translator.store.tmx import XML_LANG, TmxUnit, clean_segment, read_tmx, render_tmx, source_segment, write_tmx
from translator.text.document import read_article

UNITS = [
    TmxUnit("قال لافروف إن موسكو قلقة.", "Lavrov said Moscow was concerned.", "2026-11-23T10:00:00+00:00"),
    # The Arabic keeps its bidi marks and inner spaces (OmegaT matches only that); the English comes out clean.
    TmxUnit("\u200fوقال\u00a0 السراج:  «لا»\u200e\u00a0 ", "Al-Sarraj said: <no> & \"never\"  \n", ""),
    TmxUnit(unicodedata.normalize("NFD", "Erdoğan في أنقرة"), unicodedata.normalize("NFD", "Erdoğan in Ankara"), ""),
]


def _check_structure(text: str) -> ET.Element:
    """Well-formed, and shaped as OmegaT and translate-toolkit need (INTEROP_NOTES)."""
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None
    for attr in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"):
        assert header.get(attr), attr
    assert header.get("srclang") == "ar"
    assert root.find("body") is not None
    for tu in root.iter("tu"):
        tuvs = tu.findall("tuv")
        assert [t.get(XML_LANG) for t in tuvs] == ["ar", "en"]  # two-letter, Arabic first
        assert all(prop.get("type") in ("x-origin", "x-model", "x-glossary") for prop in tu.findall("prop"))
        for tuv in tuvs:
            seg = tuv.find("seg")
            assert seg is not None and len(seg) == 0
            value = seg.text or ""
            assert value == value.strip() and unicodedata.is_normalized("NFC", value)
            if tuv.get(XML_LANG) == "ar":  # the paragraph as OmegaT reads it: only trimmed
                assert value == source_segment(value)
            else:
                assert "  " not in value and "\n" not in value
                assert not re.search("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", value)
    for line in text.splitlines():  # each seg on one line with its tuv
        if "<seg>" in line:
            assert line.strip().startswith("<tuv") and line.rstrip().endswith("</seg></tuv>")
    return root


def test_render_follows_the_interop_rules() -> None:
    root = _check_structure(render_tmx(UNITS))
    segs = [seg.text for seg in root.iter("seg")]
    assert segs[2:4] == ['\u200fوقال\u00a0 السراج:  «لا»\u200e', 'Al-Sarraj said: <no> & "never"']
    assert root.find("body/tu").get("creationdate") == "20261123T100000Z"


def test_empty_sides_are_left_out() -> None:
    root = ET.fromstring(render_tmx([TmxUnit("نص", "  "), TmxUnit("", "x"), TmxUnit("نص", "text")]))
    assert len(root.findall("body/tu")) == 1


def test_translate_toolkit_reads_our_file(tmp_path: Path) -> None:
    path = tmp_path / "out.tmx"
    write_tmx(path, UNITS)
    store = tt_tmx.tmxfile.parsefile(str(path))
    pairs = [(u.source, u.target) for u in store.units]
    assert pairs == [(source_segment(u.source), clean_segment(u.target)) for u in UNITS]


def test_read_accepts_other_tools_variants(tmp_path: Path) -> None:
    path = tmp_path / "other.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" adminlang="en" '
        'segtype="sentence" datatype="plaintext" o-tmf="x" creationtool="x" creationtoolversion="1"/><body>'
        '<tu><tuv xml:lang="EN-US"><seg>Tripoli <bpt i="1">&lt;b&gt;</bpt>now<ept i="1">&lt;/b&gt;</ept></seg></tuv>'
        '<tuv xml:lang="ar-LY"><seg>طرابلس  الآن</seg></tuv></tu>'
        '<tu><tuv xml:lang="fr"><seg>Paris</seg></tuv><tuv xml:lang="ar"><seg>باريس</seg></tuv></tu>'
        '<tu><tuv lang="ar"><seg>سرت</seg></tuv><tuv lang="en"><seg>Sirte</seg></tuv></tu>'
        "</body></tmx>",
        encoding="utf-8",
    )
    assert [(u.source, u.target) for u in read_tmx(path)] == [("طرابلس  الآن", "Tripoli now"), ("سرت", "Sirte")]


@pytest.mark.parametrize("content, message", [
    ("<tmx version='1.4'><body><tu>", "not well-formed XML at line 1"),
    ("<xliff/>", "root element is <xliff>"),
])
def test_bad_files_are_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.tmx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_tmx(path)
    with pytest.raises(InputError, match="file not found"):
        read_tmx(tmp_path / "missing.tmx")


def test_memory_round_trip_through_tmx(tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    with TranslationMemory.for_folder(tmp_path / "a", model="m") as memory:
        for unit in UNITS:
            memory.add_reviewed(unit.source, unit.target)
        memory.add_machine("نص آلي فقط", "machine only", "m")
        assert export_tmx(memory, path) == 3
        original = {(source_segment(e.source), clean_segment(e.target)) for e in memory.entries("reviewed")}
    _check_structure(path.read_text(encoding="utf-8"))
    with TranslationMemory.for_folder(tmp_path / "b", model="other") as fresh:
        assert import_tmx(fresh, path).added == 3
        assert {(e.source, e.target) for e in fresh.entries("reviewed")} == original
        assert fresh.lookup("\u200fقال لافروف إن موسكو قلقة.") == "Lavrov said Moscow was concerned."
        again = tmp_path / "again.tmx"
        export_tmx(fresh, again)
    assert [(u.source, u.target) for u in read_tmx(again)] == [(u.source, u.target) for u in read_tmx(path)]


def test_export_with_machine_entries_prefers_reviewed(tmp_path: Path) -> None:
    with TranslationMemory.for_folder(tmp_path, model="m") as memory:
        memory.add_machine("نص", "machine", "m")
        memory.add_reviewed("نص", "reviewed")
        memory.add_machine("نص آخر", "machine 2", "m")
        assert export_tmx(memory, tmp_path / "all.tmx", include_machine=True) == 2
    assert {u.target for u in read_tmx(tmp_path / "all.tmx")} == {"reviewed", "machine 2"}


OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
OMEGAT_PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat><project version="1.0">
<source_dir>__DEFAULT__</source_dir><target_dir>__DEFAULT__</target_dir><tm_dir>__DEFAULT__</tm_dir>
<glossary_dir>__DEFAULT__</glossary_dir><glossary_file>__DEFAULT__</glossary_file>
<dictionary_dir>__DEFAULT__</dictionary_dir><source_lang>AR</source_lang><target_lang>EN</target_lang>
<source_tok>org.omegat.tokenizer.LuceneArabicTokenizer</source_tok>
<target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
<sentence_seg>false</sentence_seg><support_default_translations>true</support_default_translations>
<remove_tags>false</remove_tags></project></omegat>
"""


@pytest.mark.skipif(not OMEGAT_JAR.is_file() or not shutil.which("java"),
                    reason="OmegaT 3.6 not installed (apt-get install omegat)")
def test_omegat_inserts_our_tmx_units(tmp_path: Path) -> None:
    """The real CAT tool: OmegaT 3.6 headless fills targets from our TMX in tm/auto, even for
    paragraphs with a bidi mark, a no-break space or a double space (it matches them exactly)."""
    project = tmp_path / "project"
    for sub in ("source", "target", "tm/auto", "glossary", "omegat"):
        (project / sub).mkdir(parents=True)
    (project / "omegat.project").write_text(OMEGAT_PROJECT, encoding="utf-8")
    paragraphs = [p.text.strip() for p in read_article(SEEDS / "turkey-russia-libya-syria.ar.txt").translatable]
    paragraphs[0] = "\u200f" + paragraphs[0]
    paragraphs[1] = paragraphs[1].replace(" ", "\u00a0", 1)
    paragraphs[2] = paragraphs[2].replace(" ", "  ", 1)
    paragraphs[3] = "\u200e" + paragraphs[3] + "\u200f"
    paragraphs[4] = paragraphs[4] + "\u00a0"
    (project / "source" / "article.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    with TranslationMemory.for_folder(tmp_path / "memory") as memory:
        for i, text in enumerate(paragraphs[:5]):
            memory.add_reviewed(text, f"Reviewed {i}: Erdoğan & <Lavrov>.")
        export_tmx(memory, project / "tm" / "auto" / "reviewed.tmx")
    run_omegat(project, tmp_path / "config")
    target = (project / "target" / "article.txt").read_text(encoding="utf-8").split("\n\n")
    assert [t.strip() for t in target[:5]] == [f"Reviewed {i}: Erdoğan & <Lavrov>." for i in range(5)]
    assert target[5].strip() == paragraphs[5]  # no unit: left as source


def run_omegat(project: Path, config: Path) -> None:
    """OmegaT 3.6 headless over `project` (console-translate writes target/)."""
    subprocess.run(
        ["java", "-Djava.awt.headless=true", "-jar", str(OMEGAT_JAR), str(project), "--mode=console-translate",
         f"--config-dir={config}", "--no-team", "--disable-project-locking"],
        check=True, capture_output=True, timeout=240,
    )
