"""Tests for `translator models compare`: real models, each in its own process, scored with sacrebleu."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from tests.test_import import builder
from translator.cli import main
from translator.config import Settings
from translator.mt.importer import import_model
from translator.mt.models import install_package_file

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def test_set(tmp_path: Path) -> tuple[Path, Path]:
    """Ten held-out template pairs: the demo model translates them well, a random model cannot."""
    pairs = [line.split("\t") for line in (ROOT / "tests/data/heldout_templates.tsv").read_text("utf-8").splitlines()]
    src, ref = tmp_path / "src.ar.txt", tmp_path / "ref.en.txt"
    src.write_text("\n".join(p[0] for p in pairs[:10]) + "\n", encoding="utf-8")
    ref.write_text("\n".join(p[1] for p in pairs[:10]) + "\n", encoding="utf-8")
    return src, ref


@pytest.fixture
def two_models(settings: Settings, demo_model_file: Path, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("TRANSLATOR_MAX_DECODING_LENGTH", "40")
    install_package_file(settings, demo_model_file)
    builder.build_opus_mt(tmp_path / "tiny-opus-mt")
    import_model(settings, tmp_path / "tiny-opus-mt", name="random-opus")
    return settings


def test_compare_scores_each_model_in_its_own_process(two_models: Settings, test_set: tuple[Path, Path],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    src, ref = test_set
    assert main(["models", "compare", "--src", str(src), "--ref", str(ref), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["segments"] == 10 and data["max_decoding_length"] == 40 and data["glossary_enforced"] is True
    assert data["signatures"]["BLEU"].startswith("nrefs:1|") and "version:" in data["signatures"]["chrF"]
    runs = {run["name"]: run for run in data["models"]}
    assert set(runs) == {"translate-ar_en-demo", "random-opus"}
    demo, rand = runs["translate-ar_en-demo"], runs["random-opus"]
    assert not demo["error"] and not rand["error"]
    # The demo model was trained on these templates; random weights produce noise: each row is its own model.
    assert demo["bleu"] > 50 > 5 > rand["bleu"] and demo["chrf"] > rand["chrf"]
    assert (rand["family"], rand["licence"][:15]) == ("opus-mt", "Creative Common")
    for run in (demo, rand):
        assert run["segments_per_second"] > 0 and run["peak_rss_mib"] >= run["baseline_rss_mib"] > 10
        assert run["remnants"] >= 0 and run["terms_matched"] >= 0


def test_compare_table_names_models_signatures_and_cpu(two_models: Settings, test_set: tuple[Path, Path],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    src, ref = test_set
    assert main(["models", "compare", "--src", str(src), "--ref", str(ref), "--models", "random-opus",
                 "--no-glossary"]) == 0
    out = capsys.readouterr().out
    assert "random-opus" in out and "translate-ar_en-demo" not in out
    assert "BLEU signature: nrefs:1" in out and "CPU: " in out and "decoding cap 40" in out


def test_a_broken_model_fails_its_row_only(two_models: Settings, test_set: tuple[Path, Path],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (two_models.models_dir / "random-opus" / "model" / "model.bin").write_bytes(b"garbage")
    src, ref = test_set
    assert main(["models", "compare", "--src", str(src), "--ref", str(ref), "--json"]) == 1
    runs = {run["name"]: run for run in json.loads(capsys.readouterr().out)["models"]}
    assert runs["translate-ar_en-demo"]["bleu"] > 50
    assert "cannot load the model" in runs["random-opus"]["error"]


def test_unknown_model_and_misaligned_files_are_one_line(two_models: Settings, test_set: tuple[Path, Path],
                                                         tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, ref = test_set
    assert main(["models", "compare", "--src", str(src), "--ref", str(ref), "--models", "nope"]) == 1
    assert capsys.readouterr().err.strip() == ("translator: error: no installed ar->en model named 'nope'; "
                                               "see: translator models list")
    short = tmp_path / "short.txt"
    short.write_text("one line\n", encoding="utf-8")
    assert main(["models", "compare", "--src", str(src), "--ref", str(short)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "has 1 lines but" in err[0]


@pytest.mark.skipif(importlib.util.find_spec("matplotlib") is not None, reason="matplotlib is installed here")
def test_plot_without_matplotlib_says_what_to_install(two_models: Settings, test_set: tuple[Path, Path],
                                                      tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, ref = test_set
    chart = tmp_path / "chart.png"
    assert main(["models", "compare", "--src", str(src), "--ref", str(ref), "--models", "random-opus",
                 "--plot", str(chart)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "needs matplotlib" in err[0] and not chart.exists()


@pytest.mark.skipif(importlib.util.find_spec("matplotlib") is None, reason="matplotlib is not installed")
def test_plot_writes_a_png(two_models: Settings, test_set: tuple[Path, Path], tmp_path: Path) -> None:
    src, ref = test_set
    chart = tmp_path / "chart.png"
    assert main(["models", "compare", "--src", str(src), "--ref", str(ref), "--plot", str(chart), "--json"]) == 0
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
