"""A file's English does not depend on what else is in the batch (issue #16, item 7).

Reproduction: after `kill -9` and a rerun, flores-11.en.md differed from the uninterrupted run;
translated alone it gave the resumed text. CTranslate2 batches padded shorter sentences to the
longest of their sub-batch, and with some CPU kernels (oneDNN on AVX2, as on AMD CPUs) padding
changes the numbers enough to change the words (bench/batch_invariance.py shows it with the
random transformer-base model). The engine now never pads: every sub-batch holds one length.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from translator.batch import BatchOptions, run_batch
from translator.config import Settings
from translator.glossary.enforce import enforcer_from_settings
from translator.mt.models import load_engine
from translator.store.memory import TranslationMemory

FLORES = Path(__file__).resolve().parents[3] / "shared" / "data" / "flores200-dev" / "ar.txt"


def sentences() -> list[str]:
    if FLORES.is_file():
        return FLORES.read_text(encoding="utf-8").splitlines()[:48]
    return [line for seed in sorted(SEEDS.glob("*.ar.txt"))
            for line in seed.read_text(encoding="utf-8").splitlines() if len(line) > 20][:48]


def test_no_sub_batch_mixes_lengths(installed: Settings) -> None:
    engine = load_engine(installed)
    engine.load()
    calls: list[list[int]] = []
    real = engine._translator

    class Spy:
        def translate_batch(self, batch, **options):  # type: ignore[no-untyped-def]
            calls.append(sorted({len(tokens) for tokens in batch}))
            return real.translate_batch(batch, **options)

    engine._translator = Spy()
    text = sentences()
    together = engine.translate(text)
    assert calls and all(len(lengths) == 1 for lengths in calls), calls  # nothing is ever padded
    engine._translator = real
    assert together == [engine.translate([s])[0] for s in text]  # each alone: the same English


def _articles(folder: Path, count: int = 6) -> None:
    """FLORES files (plain text) and seed-article files (dense with glossary names: retries)."""
    lines = sentences()
    seeds = [line for seed in sorted(SEEDS.glob("*.ar.txt"))
             for line in seed.read_text(encoding="utf-8").splitlines() if len(line) > 80]
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"flores-{i:02d}.txt").write_text("\n\n".join(lines[i * 8:(i + 1) * 8]) + "\n", encoding="utf-8")
        (folder / f"seeds-{i:02d}.txt").write_text("\n\n".join(seeds[i * 4:(i + 1) * 4]) + "\n", encoding="utf-8")


def _english(out: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.en.md"))}


def test_same_english_alone_in_a_batch_resumed_and_forced(installed: Settings, tmp_path: Path) -> None:
    engine = load_engine(installed)
    enforcer = enforcer_from_settings(installed, tmp_path)  # the shipped glossaries: placeholders, retries
    src = tmp_path / "in"
    _articles(src)
    whole = run_batch(BatchOptions(src, tmp_path / "whole"), engine, enforcer)
    assert whole.ok
    expected = _english(tmp_path / "whole")
    assert len(expected) == 12
    for name in sorted(p.name for p in src.iterdir()):  # each file alone
        alone = tmp_path / "alone" / name
        alone.mkdir(parents=True)
        shutil.copy(src / name, alone / name)
        run_batch(BatchOptions(alone, alone / "out"), engine, enforcer)
        assert _english(alone / "out") == {k: v for k, v in expected.items() if k.startswith(name[:-4])}

    class Killed(Exception):
        pass

    seen: list[int] = []

    def kill_after_first_chunk(progress) -> None:  # type: ignore[no-untyped-def]
        seen.append(progress.files_done)
        if progress.files_done >= 1 and seen.count(progress.files_done) > 1:  # in the second chunk
            raise Killed

    with pytest.raises(Killed):  # interrupted after the first, small chunk
        run_batch(BatchOptions(src, tmp_path / "resumed", first_chunk_sentences=8), engine, enforcer,
                  on_progress=kill_after_first_chunk)
    resumed = run_batch(BatchOptions(src, tmp_path / "resumed", chunk_sentences=20), engine, enforcer)
    assert resumed.ok and resumed.counts()["skipped"] >= 1
    assert _english(tmp_path / "resumed") == expected
    with TranslationMemory.for_folder(src, engine.label, "") as memory:  # forced, with a memory of the first run
        run_batch(BatchOptions(src, tmp_path / "forced", force=True, chunk_sentences=24), engine, enforcer, memory)
        run_batch(BatchOptions(src, tmp_path / "forced", force=True, chunk_sentences=100), engine, enforcer, memory)
    assert _english(tmp_path / "forced") == expected
