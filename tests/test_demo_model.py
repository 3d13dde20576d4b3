"""The committed demo model (translator/data/demo-ar-en.argosmodel) is a real, working Argos package.

It is loaded through the product's own engine (CTranslate2 + SentencePiece, no extra tokens) and
must translate held-out template sentences whose names it never saw in training. Built by
scripts/build_test_model.py; see docs/test-model.md for the measured figures behind the thresholds.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
import sacrebleu

from translator.config import Settings
from translator.mt.engine import ArgosEngine

HELDOUT = Path(__file__).parent / "data" / "heldout_templates.tsv"
LATIN_WORD = re.compile(r"[A-Za-zÀ-ɏ][A-Za-zÀ-ɏ'\-]*")

# Measured on the committed model (docs/test-model.md), minus a margin.
MIN_BLEU = 68.0  # measured 75.6
MIN_CHRF = 80.0  # measured 86.1
MAX_MISSING_LATIN = 0.2  # measured 18 of 138 Latin words (13 %)


def _heldout() -> list[tuple[str, str]]:
    rows = [line.split("\t") for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(ar, en) for ar, en in rows]


@pytest.fixture(scope="module")
def package_dir(demo_model_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("demo-model")
    with zipfile.ZipFile(demo_model_file) as zf:
        zf.extractall(target)
    (top,) = [p for p in target.iterdir() if p.is_dir()]
    return top


@pytest.fixture(scope="module")
def engine(package_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> ArgosEngine:
    eng = ArgosEngine(package_dir, Settings(home=tmp_path_factory.mktemp("home")))
    eng.load()
    return eng


def test_package_is_small_with_argos_layout_and_demo_metadata(demo_model_file: Path) -> None:
    assert demo_model_file.stat().st_size <= 5 * 1024 * 1024
    with zipfile.ZipFile(demo_model_file) as zf:
        names = zf.namelist()
        tops = {n.split("/", 1)[0] for n in names}
        assert len(tops) == 1, tops
        top = tops.pop()
        assert all(not n.startswith("/") and ".." not in n.split("/") for n in names)
        for member in ("metadata.json", "sentencepiece.model", "model/model.bin", "model/config.json"):
            assert f"{top}/{member}" in names
        meta = json.loads(zf.read(f"{top}/metadata.json"))
    assert (meta["from_code"], meta["to_code"], meta["type"]) == ("ar", "en", "translate")
    assert meta["demo"] is True and "demo" in meta["name"].lower()


def test_heldout_templates_score_high(engine: ArgosEngine) -> None:
    pairs = _heldout()
    assert len(pairs) >= 40
    hyps = engine.translate([ar for ar, _ in pairs])
    refs = [[en for _, en in pairs]]
    bleu = sacrebleu.corpus_bleu(hyps, refs).score
    chrf = sacrebleu.corpus_chrf(hyps, refs).score
    assert bleu >= MIN_BLEU, (bleu, list(zip(hyps, refs[0]))[:10])
    assert chrf >= MIN_CHRF, chrf


def test_heldout_code_switched_names_are_copied(engine: ArgosEngine) -> None:
    """Held-out Latin-script names inside the Arabic (glossary code-switching) reach the English."""
    pairs = [(ar, en) for ar, en in _heldout() if LATIN_WORD.search(ar)]
    assert len(pairs) >= 20
    hyps = engine.translate([ar for ar, _ in pairs])
    words = [(word, hyp) for (ar, _), hyp in zip(pairs, hyps) for word in LATIN_WORD.findall(ar)]
    missing = [(word, hyp) for word, hyp in words if not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", hyp)]
    assert len(missing) <= MAX_MISSING_LATIN * len(words), missing


def test_exact_translations_of_unseen_seed_names_after_clitics(engine: ArgosEngine) -> None:
    """The seed names were excluded from training: these are copies, as glossary enforcement needs."""
    cases = {
        "وصل الوزير إلى Tripoli.": "The minister arrived in Tripoli.",
        "وقال Sergey Lavrov إن المحادثات كانت مثمرة.": "Sergey Lavrov said that the talks were fruitful.",
        "دعا Khalifa Haftar إلى وقف إطلاق النار.": "Khalifa Haftar called for a ceasefire.",
        "وأعلن Mevlüt Çavuşoğlu دعمه ل Government of National Accord.":
            "Mevlüt Çavuşoğlu announced his support for Government of National Accord.",
        "ووجه Mevlüt Çavuşoğlu رسالة ل Sergey Lavrov.": "Mevlüt Çavuşoğlu sent a message to Sergey Lavrov.",
        "وأشاد Fayez al-Sarraj ب GNA.": "Fayez al-Sarraj praised GNA.",
        "وزار الوفد مدنا ك Misrata و Sirte.": "The delegation visited cities such as Misrata and Sirte.",
        "ف Khalifa Haftar يدعم الحوار.": "So Khalifa Haftar supports dialogue.",
    }
    hyps = engine.translate(list(cases))
    words = [(word, hyp) for ar, hyp in zip(cases, hyps) for word in LATIN_WORD.findall(ar)]
    kept = [word for word, hyp in words if word in hyp]
    exact = [hyp == en for en, hyp in zip(cases.values(), hyps)]
    # Measured with scripts/test_cpu_matrix.sh: 8 of 8 exact and 22 of 22 names kept on oneDNN's VNNI int8 kernels
    # (AVX512-VNNI or AVX-VNNI CPUs); 6 of 8 and 18 of 22 without VNNI (AVX2-only CPUs such as AMD EPYC Zen 2/3:
    # "Government of National Accord" -> "Government", "Sergey Lavrov" -> "Sergey Lavro"). Glossary enforcement
    # exists for those; this test guards the model, with a margin below both kernel families.
    assert len(kept) >= 0.75 * len(words), list(zip(hyps, cases.values()))
    assert sum(exact) >= 5, list(zip(hyps, cases.values()))


def test_code_switched_names_after_wa_are_copied(engine: ArgosEngine) -> None:
    (hyp,) = engine.translate(["التقى الوزير Fayez al-Sarraj و Khalifa Haftar."])
    assert "Fayez al-Sarraj" in hyp and "Khalifa Haftar" in hyp, hyp


def test_translation_is_deterministic(engine: ArgosEngine) -> None:
    pairs = _heldout()[:8]
    first = engine.translate([ar for ar, _ in pairs])
    assert engine.translate([ar for ar, _ in reversed(pairs)]) == list(reversed(first))
