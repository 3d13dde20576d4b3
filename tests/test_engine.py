"""Tests for ArgosEngine with real CTranslate2 inference over the bundled demo package."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from translator.config import Settings
from translator.errors import EngineError
from translator.mt.engine import ArgosEngine
from translator.mt.models import install_package_file
from translator.text.document import read_article
from translator.text.segment import split_long, split_sentences


@pytest.fixture(scope="module")
def package_dir(demo_model_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo package installed (unzipped) into a throwaway models folder."""
    settings = Settings(home=tmp_path_factory.mktemp("engine-home"))
    return install_package_file(settings, demo_model_file).path


@pytest.fixture(scope="module")
def engine(package_dir: Path) -> ArgosEngine:
    return ArgosEngine(package_dir, Settings(device="cpu"))


@pytest.fixture(scope="module")
def seed_paragraphs() -> list[list[str]]:
    """Sentences of the first paragraphs of a seed article, per paragraph."""
    article = read_article(SEEDS / "turkey-russia-libya-syria.ar.txt")
    return [split_sentences(p.text) for p in article.translatable[:6]]


def test_same_input_same_output_across_calls_and_instances(engine: ArgosEngine, package_dir: Path,
                                                           seed_paragraphs: list[list[str]]) -> None:
    sentences = [s for para in seed_paragraphs for s in para]
    first = engine.translate(sentences)
    assert engine.translate(sentences) == first
    assert ArgosEngine(package_dir, Settings(device="cpu")).translate(sentences) == first
    assert all(first), "every non-empty sentence gets a translation"


def test_batching_matches_one_by_one(engine: ArgosEngine, seed_paragraphs: list[list[str]]) -> None:
    sentences = [s for para in seed_paragraphs for s in para]
    assert len(seed_paragraphs) >= 3 and len(sentences) >= 6
    batched = engine.translate(sentences)
    assert batched == [engine.translate([s])[0] for s in sentences]
    per_paragraph = [out for para in seed_paragraphs for out in engine.translate(para)]
    assert batched == per_paragraph
    assert engine.translate(sentences[::-1]) == batched[::-1]


def test_small_token_budget_splits_batches_without_changing_output(package_dir: Path,
                                                                   seed_paragraphs: list[list[str]]) -> None:
    sentences = [s for para in seed_paragraphs for s in para]
    wide = ArgosEngine(package_dir, Settings(device="cpu")).translate(sentences)
    narrow = ArgosEngine(package_dir, Settings(device="cpu", max_batch_tokens=16, inter_threads=1))
    assert narrow.translate(sentences) == wide


def test_duplicates_translated_once(package_dir: Path, seed_paragraphs: list[list[str]]) -> None:
    engine = ArgosEngine(package_dir, Settings(device="cpu"))
    a, b = seed_paragraphs[0][0], seed_paragraphs[1][0]
    out = engine.translate([a, b, a, a])
    assert out[0] == out[2] == out[3] and out[0] != ""
    assert engine.calls == 2


def test_empty_inputs(package_dir: Path, seed_paragraphs: list[list[str]]) -> None:
    engine = ArgosEngine(package_dir, Settings(device="cpu"))
    assert engine.translate([]) == []
    assert engine.translate(["", "   ", "\n"]) == ["", "", ""]
    assert engine._translator is None, "blank input must not load the model"
    sentence = seed_paragraphs[0][0]
    out = engine.translate(["", sentence, " "])
    assert out[0] == "" and out[2] == "" and out[1] == engine.translate([sentence])[0] != ""


def test_model_loaded_once_with_small_machine_threads(package_dir: Path, seed_paragraphs: list[list[str]]) -> None:
    engine = ArgosEngine(package_dir, Settings(device="cpu", inter_threads=2, intra_threads=1))
    engine.translate(seed_paragraphs[0])
    model = engine._translator
    engine.translate(seed_paragraphs[1])
    assert engine._translator is model
    assert model.num_translators == 2 and model.device == "cpu"


def test_concurrent_calls_are_safe(package_dir: Path, seed_paragraphs: list[list[str]]) -> None:
    engine = ArgosEngine(package_dir, Settings(device="cpu"))
    expected = [engine.translate(p) for p in seed_paragraphs]
    results: dict[int, list[str]] = {}
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, engine.translate(seed_paragraphs[i])))
               for i in range(len(seed_paragraphs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [results[i] for i in range(len(seed_paragraphs))] == expected


def test_auto_device_is_cpu_without_cuda(package_dir: Path) -> None:
    import ctranslate2

    if ctranslate2.get_cuda_device_count() > 0:
        pytest.skip("this machine has CUDA")
    engine = ArgosEngine(package_dir, Settings(device="auto"))
    engine.load()
    assert engine.device == "cpu"


def test_label_and_demo_flag(engine: ArgosEngine) -> None:
    assert engine.is_demo is True  # installed from the bundled demo file
    assert engine.label.startswith("ar→en ") and engine.label.endswith("(demo)")


@pytest.mark.parametrize(
    "damage, expected",
    [
        (lambda p: (p / "model" / "model.bin").unlink(), "package lacks model/model.bin"),
        (lambda p: (p / "sentencepiece.model").unlink(), "package lacks sentencepiece.model"),
        (lambda p: shutil.rmtree(p / "model"), "package lacks model/model.bin"),
        (lambda p: (p / "model" / "model.bin").write_bytes(b"garbage"), "cannot load the model on cpu"),
        (lambda p: (p / "sentencepiece.model").write_bytes(b"garbage"), "cannot load the SentencePiece model"),
    ],
    ids=["no-model-bin", "no-sentencepiece", "no-model-dir", "corrupt-model", "corrupt-sentencepiece"],
)
def test_broken_package_is_one_line_engine_error(damage, expected: str, package_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(package_dir, broken)
    damage(broken)
    engine = ArgosEngine(broken, Settings(device="cpu"))
    with pytest.raises(EngineError) as err:
        engine.translate(["مرحبا"])
    message = str(err.value)
    assert expected in message and str(broken) in message and "\n" not in message


def test_missing_metadata_is_engine_error(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="cannot read package metadata"):
        ArgosEngine(tmp_path, Settings())


def test_long_sentence_is_translated_in_clauses_not_truncated(package_dir: Path) -> None:
    engine = ArgosEngine(package_dir, Settings(device="cpu"))
    text = ARTICLE_TEXT().replace(".", "،").replace("\n", " ")
    engine.load()
    assert engine._length(text) > 1024, "longer than CTranslate2's input limit"
    chunks = split_long(text, engine.max_sentence_tokens, engine._length)
    assert len(chunks) > 5 and all(engine._length(c) <= engine.max_sentence_tokens for c in chunks)
    whole = engine.translate([text])[0]
    assert engine.calls == len(chunks)
    assert whole == " ".join(engine.translate(chunks))
    # every chunk contributed: far more English than the few words a truncated run gives
    assert len(whole.split()) >= 5 * len(chunks)


def test_small_chunk_limit_changes_nothing_for_short_sentences(package_dir: Path,
                                                               seed_paragraphs: list[list[str]]) -> None:
    short = [s for para in seed_paragraphs for s in para][:4]
    normal = ArgosEngine(package_dir, Settings(device="cpu"))
    chunked = ArgosEngine(package_dir, Settings(device="cpu"))
    chunked.max_sentence_tokens = 10_000
    assert normal.translate(short) == chunked.translate(short)


def ARTICLE_TEXT() -> str:  # noqa: N802 - reads like a constant
    return (SEEDS / "turkey-russia-libya-syria.ar.txt").read_text(encoding="utf-8")


AMD_EPYC = """processor\t: 0
vendor_id\t: AuthenticAMD
model name\t: AMD EPYC 7B13
flags\t\t: fpu sse4_1 sse4_2 avx avx2 fma

processor\t: 1
vendor_id\t: AuthenticAMD
"""


def test_cpu_kernels_follow_ctranslate2s_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a batch manifest records to explain why another CPU gave other English."""
    from translator.mt.cpu import cpu_kernels

    for var in ("CT2_FORCE_CPU_ISA", "CT2_USE_MKL", "ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA"):
        monkeypatch.delenv(var, raising=False)
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(AMD_EPYC, encoding="utf-8")
    amd = cpu_kernels(cpuinfo)
    assert (amd["cpu"], amd["vendor"], amd["isa"], amd["mkl"], amd["flags"]) == (
        "AMD EPYC 7B13", "AuthenticAMD", "AVX2", "false", "avx2")
    monkeypatch.setenv("CT2_FORCE_CPU_ISA", "GENERIC")
    monkeypatch.setenv("CT2_USE_MKL", "1")
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")
    forced = cpu_kernels(cpuinfo)
    assert (forced["isa"], forced["mkl"], forced["onednn_max_isa"]) == ("GENERIC", "true", "AVX2")
    assert cpu_kernels(tmp_path / "absent")["cpu"] == "unknown"
