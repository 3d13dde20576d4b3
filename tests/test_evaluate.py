"""`translator evaluate`: figures must be sacrebleu's own, computed here independently."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
import sacrebleu

from tests.conftest import SHARED
from tests.test_qa import GLOSSARY
from translator.cli import main
from translator.errors import InputError
from translator.quality.evaluate import evaluate, read_lines, score_corpus, term_accuracy

FLORES = SHARED / "data" / "flores200-dev"
SLICE = 20


@pytest.fixture
def flores_slice(tmp_path: Path) -> tuple[Path, Path]:
    """The first SLICE lines of the FLORES-200 dev set, Arabic and English."""
    if not (FLORES / "ar.txt").exists():
        pytest.fail(f"FLORES-200 dev set missing at {FLORES}")
    out = []
    for lang in ("ar", "en"):
        lines = (FLORES / f"{lang}.txt").read_text(encoding="utf-8").split("\n")[:SLICE]
        path = tmp_path / f"flores.{lang}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out.append(path)
    return out[0], out[1]


@pytest.fixture
def installed_demo(home: Path, demo_model_file: Path) -> Path:
    """The demo model unzipped into the test's TRANSLATOR_HOME, as `models install` would."""
    models = home / "models"
    models.mkdir(parents=True)
    with zipfile.ZipFile(demo_model_file) as archive:
        archive.extractall(models)
    return models


def sacrebleu_reference(hyps: list[str], refs: list[str]) -> dict[str, tuple[float, str]]:
    """Scores and signatures straight from sacrebleu's API (not via translator.quality.evaluate)."""
    bleu, chrf, ter = sacrebleu.BLEU(), sacrebleu.CHRF(), sacrebleu.TER()
    return {
        "bleu": (bleu.corpus_score(hyps, [refs]).score, str(bleu.get_signature())),
        "chrf": (chrf.corpus_score(hyps, [refs]).score, str(chrf.get_signature())),
        "ter": (ter.corpus_score(hyps, [refs]).score, str(ter.get_signature())),
    }


def test_evaluate_demo_model_on_flores_slice(
    installed_demo: Path, flores_slice: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, ref = flores_slice
    hyp_path = tmp_path / "hyp.txt"
    code = main(["evaluate", "--src", str(src), "--ref", str(ref), "--no-glossary",
                 "--json", "--save-hyp", str(hyp_path)])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    hyps = hyp_path.read_text(encoding="utf-8").split("\n")[:-1]
    refs = read_lines(ref)
    assert len(hyps) == SLICE and any(h.strip() for h in hyps)
    assert data["segments"] == SLICE and "demo" in data["model"]
    assert data["segments_per_second"] > 0 and data["seconds"] > 0
    for name, (score, signature) in sacrebleu_reference(hyps, refs).items():
        assert data[name]["score"] == pytest.approx(score, abs=1e-9), name
        assert data[name]["signature"] == signature
    # Scoring the saved translation with --hyp gives the very same figures.
    assert main(["evaluate", "--src", str(src), "--ref", str(ref), "--hyp", str(hyp_path),
                 "--no-glossary", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    for name in ("bleu", "chrf", "ter"):
        assert again[name]["score"] == data[name]["score"]
    assert again["model"] is None and again["segments_per_second"] is None


def test_evaluate_text_output_has_signatures(
    flores_slice: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, ref = flores_slice
    refs = read_lines(ref)
    hyps = [" ".join(r.split()[: max(1, len(r.split()) // 2)]) for r in refs]  # half of each reference
    hyp = tmp_path / "half.txt"
    hyp.write_text("\n".join(hyps) + "\n", encoding="utf-8")
    assert main(["evaluate", "--src", str(src), "--ref", str(ref), "--hyp", str(hyp), "--no-glossary"]) == 0
    out = capsys.readouterr().out.splitlines()
    expected = sacrebleu_reference(hyps, refs)
    bleu_line = next(line for line in out if line.startswith("BLEU|"))
    assert bleu_line.startswith(f"BLEU|{expected['bleu'][1]} = {expected['bleu'][0]:.2f} ")
    chrf_line = next(line for line in out if line.startswith("chrF2|"))
    assert chrf_line == f"chrF2|{expected['chrf'][1]} = {expected['chrf'][0]:.2f}"
    ter_line = next(line for line in out if line.startswith("TER|"))
    assert ter_line == f"TER|{expected['ter'][1]} = {expected['ter'][0]:.2f}"
    assert 0 < expected["bleu"][0] < 100


def test_reference_scored_against_itself(flores_slice: tuple[Path, Path]) -> None:
    src, ref = flores_slice
    result = evaluate(src, ref, hyp=ref, limit=5)
    assert result.segments == 5
    assert result.scores.bleu.score == pytest.approx(100.0)
    assert result.scores.chrf.score == pytest.approx(100.0)
    assert result.scores.ter.score == 0.0


@pytest.mark.parametrize(("extra", "named"), [("ref", "flores.en.txt"), ("hyp", "hyp.txt")])
def test_mismatched_line_counts_give_one_clear_line(
    flores_slice: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: str, named: str
) -> None:
    src, ref = flores_slice
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("\n".join(read_lines(ref)) + "\n", encoding="utf-8")
    target = ref if extra == "ref" else hyp
    target.write_text("\n".join(read_lines(target)[:-1]) + "\n", encoding="utf-8")
    assert main(["evaluate", "--src", str(src), "--ref", str(ref), "--hyp", str(hyp), "--no-glossary"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert named in err and f"has {SLICE - 1} lines but" in err and f"has {SLICE}" in err


def test_missing_source_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--src", str(tmp_path / "nope.txt"), "--ref", str(tmp_path / "r.txt"),
                 "--hyp", str(tmp_path / "h.txt")]) == 1
    assert "nope.txt: file not found" in capsys.readouterr().err


def test_evaluate_without_model_says_how_to_install(
    home: Path, flores_slice: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    src, ref = flores_slice
    assert main(["evaluate", "--src", str(src), "--ref", str(ref), "--no-glossary"]) == 1
    assert "no Arabic->English model installed" in capsys.readouterr().err


def test_blank_lines_stay_aligned(tmp_path: Path) -> None:
    src = tmp_path / "s.txt"
    src.write_text("أ\n\nب\n", encoding="utf-8")
    ref = tmp_path / "r.txt"
    ref.write_text("a\n\nb\n", encoding="utf-8")
    hyp = tmp_path / "h.txt"
    hyp.write_text("a\nx\u2028y\nb\n", encoding="utf-8")  # U+2028 inside a segment is not a line break
    assert read_lines(hyp) == ["a", "x\u2028y", "b"]
    assert evaluate(src, ref, hyp=hyp).segments == 3


def test_limit_must_be_positive(flores_slice: tuple[Path, Path]) -> None:
    src, ref = flores_slice
    with pytest.raises(InputError, match="at least 1"):
        evaluate(src, ref, hyp=ref, limit=0)


def test_term_accuracy_counts_preferred_and_accepted() -> None:
    sources = ["قال لافروف", "التقى السراج", "قوات حفتر", "لا مصطلحات هنا"]
    hyps = ["Sergey Lavrov said", "He met al-Sarraj", "Hafter forces", "no terms here"]
    terms = term_accuracy(sources, hyps, GLOSSARY)
    assert (terms.matched, terms.preferred, terms.accepted) == (3, 1, 1)
    assert terms.accuracy == pytest.approx(2 / 3)
    assert terms.missed == ((3, "حفتر", "Khalifa Haftar"),)


def test_score_corpus_equals_sacrebleu() -> None:
    hyps = ["The cat sat on the mat.", "A dog barked loudly at night"]
    refs = ["The cat sat on a mat.", "The dog barked loudly all night."]
    scores = score_corpus(hyps, refs)
    expected = sacrebleu_reference(hyps, refs)
    assert scores.bleu.score == expected["bleu"][0]
    assert scores.chrf.score == expected["chrf"][0]
    assert scores.ter.score == expected["ter"][0]
    assert scores.bleu.signature.startswith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:")


def test_term_accuracy_with_shipped_glossary_via_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from translator.config import SHIPPED_GLOSSARY_DIR

    src, ref, hyp = (tmp_path / n for n in ("s.txt", "r.txt", "h.txt"))
    src.write_text("قال فائز السراج\nالتقى لافروف بنظيره\nفي سرت\nلا شيء هنا\n", encoding="utf-8")
    ref.write_text("Fayez al-Sarraj said\nLavrov met his counterpart\nin Sirte\nnothing here\n", encoding="utf-8")
    hyp.write_text("Faiz Sarraj said\nLavrov met his counterpart\nin Sirt\nnothing here\n", encoding="utf-8")
    assert main(["evaluate", "--src", str(src), "--ref", str(ref), "--hyp", str(hyp),
                 "--glossary", str(SHIPPED_GLOSSARY_DIR)]) == 0
    out = capsys.readouterr().out
    assert "glossary term accuracy: 66.7% (2/3 matched terms; 1 preferred, 1 accepted variants)" in out
    assert "  missed: segment 1: فائز السراج → Fayez al-Sarraj" in out


def test_evaluate_demo_model_with_glossary_enforcement(
    installed_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Templates the demo model knows, with glossary names: term accuracy and scores are sacrebleu's."""
    from translator.config import SHIPPED_GLOSSARY_DIR
    from translator.glossary.layers import load_glossary
    from translator.glossary.terms import distinct_terms, term_rendering

    rows = [("وقال فائز السراج إن المحادثات كانت مثمرة.", "Fayez al-Sarraj said that the talks were fruitful."),
            ("وقال لافروف إن الاتفاق مع تركيا مهم.", "Lavrov said that the agreement with Turkey is important."),
            ("قال ريتشارد بريور إن المحادثات كانت مثمرة.", "Richard Pryor said that the talks were fruitful.")]
    src, ref, hyp = tmp_path / "s.txt", tmp_path / "r.txt", tmp_path / "h.txt"
    src.write_text("".join(a + "\n" for a, _ in rows), encoding="utf-8")
    ref.write_text("".join(e + "\n" for _, e in rows), encoding="utf-8")
    assert main(["evaluate", "--src", str(src), "--ref", str(ref), "--glossary", str(SHIPPED_GLOSSARY_DIR),
                 "--json", "--save-hyp", str(hyp)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["glossary_enforced"] is True
    hyps = read_lines(hyp)
    glossary = load_glossary([SHIPPED_GLOSSARY_DIR])
    found = [term_rendering(h, m.entry) for (a, _), h in zip(rows, hyps) for m in distinct_terms(a, glossary)]
    assert data["terms"]["matched"] == len(found) >= 3  # السراج, لافروف, تركيا at least
    assert data["terms"]["preferred"] == found.count("preferred")
    assert data["terms"]["accepted"] == found.count("alt")
    assert data["bleu"]["score"] == pytest.approx(sacrebleu.BLEU().corpus_score(hyps, [[e for _, e in rows]]).score)
