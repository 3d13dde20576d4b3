#!/usr/bin/env python3
"""Benchmark `translator batch` against the naive argostranslate loop and raw CTranslate2.

One run, one process, the same paragraphs for every path (the seeds repeated to >= 100
paragraphs, every sentence varied with a copy number so neither argostranslate's last-call cache
nor our sentence deduplication is flattered):

1. ours, cold:  translator.batch.run_batch over articles of those paragraphs (empty memory);
2. ours, warm:  the same batch again (`force`) with the memory the first run filled;
3. raw:         one CTranslate2 `translate_batch` over all sentences (tokens batching, 1024);
4. naive:       `argostranslate.translate.translate(p, "ar", "en")` per paragraph, default
                argostranslate settings except the sentence splitter (see below).

Model: the random-weight transformer-base package from scripts/build_random_model.py (built if
missing). Its end-of-sentence logit is suppressed, so every path decodes every sentence to the
same `max_decoding_length` (default 64, injected into every Translator.translate_batch call
through a Translator subclass): the work per sentence is identical in all paths.
argostranslate's default splitter (MiniSBD) would download a model; instead its sentencizer is
patched to translator.text.segment.split_sentences, the splitter our batch uses.

Usage: .venv/bin/python bench/batch_speed.py [--paragraphs 100] [--device cpu|cuda] [--max-length 64]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PACKAGE = OUT / "random-ar-en"
sys.path.insert(0, str(ROOT))


def rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    """Wall-clock and process CPU seconds of a block (CPU time is robust to a busy shared machine)."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def seed_paragraphs(count: int) -> list[str]:
    """The seeds' translatable paragraphs repeated to `count`, each sentence tagged with its copy."""
    from translator.text.document import read_article
    from translator.text.segment import split_sentences

    base = [p.text.strip() for seed in sorted((ROOT / "seeds").glob("*.ar.txt"))
            for p in read_article(seed).translatable]
    paragraphs = []
    for i in range(count):
        copy = i // len(base)
        text = base[i % len(base)]
        paragraphs.append(" ".join(f"({copy}) {s}" for s in split_sentences(text)) if copy else text)
    return paragraphs


def limit_decoding(max_length: int) -> None:
    """Make every CTranslate2 Translator decode with the same max_decoding_length."""
    import ctranslate2

    base = ctranslate2.Translator

    class LimitedTranslator(base):  # type: ignore[misc, valid-type]
        def translate_batch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            kwargs["max_decoding_length"] = max_length
            return super().translate_batch(*args, **kwargs)

    ctranslate2.Translator = LimitedTranslator


def write_articles(folder: Path, paragraphs: list[str], per_article: int = 10) -> None:
    """Articles of `per_article` paragraphs each (the first line of each is its title)."""
    folder.mkdir(parents=True)
    for n, start in enumerate(range(0, len(paragraphs), per_article)):
        (folder / f"article-{n:03d}.ar.txt").write_text(
            "\n\n".join(paragraphs[start:start + per_article]) + "\n", encoding="utf-8")


def run_ours(in_dir: Path, out_dir: Path, engine, settings, force: bool) -> tuple[Timer, object]:  # type: ignore[no-untyped-def]
    from translator.batch import BatchOptions, run_batch
    from translator.batch_report import glossary_fingerprint
    from translator.store.memory import TranslationMemory

    enforcer = _enforcer(settings, in_dir)
    memory = TranslationMemory.for_folder(in_dir, engine.label, glossary_fingerprint(enforcer))
    with memory, Timer() as timer:
        report = run_batch(BatchOptions(in_dir, out_dir, force=force), engine, enforcer, memory,
                           settings=settings, glossary=enforcer.glossary if enforcer is not None else None)
    assert report.ok, [f.reason for f in report.files if f.status != "ok"]
    return timer, report


def _enforcer(settings, folder: Path):  # type: ignore[no-untyped-def]
    from translator.glossary.enforce import enforcer_from_settings

    return enforcer_from_settings(settings, folder)


def run_raw(sentences: list[str], settings, device: str) -> Timer:  # type: ignore[no-untyped-def]
    import ctranslate2
    import sentencepiece

    sp = sentencepiece.SentencePieceProcessor(model_file=str(PACKAGE / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(PACKAGE / "model"), device=device,
                                        inter_threads=settings.inter_threads, intra_threads=settings.intra_threads)
    tokens = [sp.encode(s, out_type=str) for s in sentences]
    translator.translate_batch(tokens[:2], beam_size=settings.beam_size)  # warm-up
    with Timer() as timer:
        translator.translate_batch(tokens, max_batch_size=settings.max_batch_tokens, batch_type="tokens",
                                   beam_size=settings.beam_size, length_penalty=0.2, replace_unknowns=True)
    return timer


def run_naive(paragraphs: list[str], argos_home: Path) -> Timer:
    """The per-paragraph argostranslate loop (settings read at import, so env first)."""
    if "argostranslate" in sys.modules:  # its settings would already be frozen
        raise RuntimeError("argostranslate was imported before its environment was set")
    packages = argos_home / "packages"
    packages.mkdir(parents=True)
    shutil.copytree(PACKAGE, packages / PACKAGE.name)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(argos_home / name.lower())
    os.environ["ARGOS_PACKAGES_DIR"] = str(packages)
    os.environ["ARGOS_DEVICE_TYPE"] = os.environ.get("BENCH_DEVICE", "cpu")
    import argostranslate.translate as argos

    from translator.text.segment import split_sentences

    class OurSplitter:
        """Replaces MiniSBD, which would download a model (nothing is bundled)."""

        def __init__(self, pkg: object) -> None:
            pass

        def split_sentences(self, text: str) -> list[str]:
            return split_sentences(text)

    argos.MiniSBDSentencizer = OurSplitter  # type: ignore[misc, assignment]
    argos.translate("تجربة أولى لتحميل النموذج.", "ar", "en")  # loads the model; not timed
    with Timer() as timer:
        for paragraph in paragraphs:
            argos.translate(paragraph, "ar", "en")
    return timer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="batch speed benchmark")
    parser.add_argument("--paragraphs", type=int, default=100)
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--max-length", type=int, default=64, help="max_decoding_length for every path")
    parser.add_argument("--skip-naive", action="store_true", help="leave out the slow naive loop")
    parser.add_argument("--repeat", type=int, default=2, help="runs of our batch and raw (best kept)")
    args = parser.parse_args(argv)

    if not (PACKAGE / "model" / "model.bin").is_file():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "build_random_model.py")], check=True)
    limit_decoding(args.max_length)
    os.environ["BENCH_DEVICE"] = args.device

    from translator.config import Settings
    from translator.mt.engine import ArgosEngine
    from translator.text.segment import split_sentences

    paragraphs = seed_paragraphs(args.paragraphs)
    sentences = [s for p in paragraphs for s in split_sentences(p)]
    work = Path(tempfile.mkdtemp(prefix="batch-bench-"))
    try:
        settings = Settings(home=work / "home", device=args.device)
        engine = ArgosEngine(PACKAGE, settings)
        started = time.perf_counter()
        engine.load()
        load_s = time.perf_counter() - started
        colds, warms, raws = [], [], []
        for attempt in range(args.repeat):  # fresh input folder (empty memory) each time
            folder = work / f"in{attempt}"
            write_articles(folder, paragraphs)
            calls = engine.calls
            timer, report = run_ours(folder, work / f"out-cold{attempt}", engine, settings, force=False)
            colds.append(timer)
            sent_to_model = engine.calls - calls
            timer, warm_report = run_ours(folder, work / f"out-warm{attempt}", engine, settings, force=True)
            warms.append(timer)
            if attempt == 0:
                rss_ours = rss_mib()  # before raw and argostranslate load their own models
            raws.append(run_raw(sentences, settings, args.device))
        naive = None if args.skip_naive else run_naive(paragraphs, work / "argos")
        rss_all = rss_mib()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    n, m = len(paragraphs), len(sentences)
    print(f"machine: {os.cpu_count()} CPUs, device {args.device}; model {PACKAGE.name} (random weights, "
          f"transformer-base shape, int8); beam {settings.beam_size}; every sentence decoded to "
          f"{args.max_length} tokens in every path")
    print(f"work: {n} paragraphs, {m} sentences in {len(report.files)} articles; "
          f"threads inter={settings.inter_threads} intra={settings.intra_threads}, "
          f"max_batch_tokens={settings.max_batch_tokens}; glossary enforcement "
          f"{'on' if report.manifest['glossary_enforced'] else 'off'}")
    print(f"model load (ours, not in timings): {load_s:.2f} s; sentences sent to the model: {sent_to_model}")
    cold, warm, raw = (min(ts, key=lambda t: t.wall) for ts in (colds, warms, raws))
    print("each attempt, wall s: ours cold " + ", ".join(f"{t.wall:.2f}" for t in colds)
          + "; raw " + ", ".join(f"{t.wall:.2f}" for t in raws))
    rows = [("ours, cold memory", cold), ("ours, warm memory", warm), ("raw translate_batch", raw)]
    if naive is not None:
        rows.append(("naive argostranslate loop", naive))
    print(f"best of {args.repeat} for ours and raw; the naive loop ran once")
    print(f"{'path':28} {'wall s':>8} {'CPU s':>8} {'paragraphs/s':>13} {'sentences/s':>12}")
    for name, t in rows:
        print(f"{name:28} {t.wall:8.2f} {t.cpu:8.2f} {n / t.wall:13.2f} {m / t.wall:12.1f}")
    print(f"from memory in warm run: {warm_report.counts()['from_memory']}/{n} paragraphs")

    def verdict(slow: Timer, fast: Timer, goal: float) -> str:
        wall, cpu = slow.wall / fast.wall, slow.cpu / max(fast.cpu, 1e-9)
        return f"{wall:6.2f}× wall, {cpu:6.2f}× CPU (goal ≥ {goal}×: {'met' if wall >= goal else 'NOT met'})"

    if naive is not None:
        print(f"ours vs naive loop:          {verdict(naive, cold, 3)}")
    print(f"ours vs raw translate_batch: {verdict(raw, cold, 0.9)}")
    print(f"warm vs cold memory:         {verdict(cold, warm, 50)}")
    print(f"peak RSS: {rss_ours:.0f} MiB after our batch runs; {rss_all:.0f} MiB for the whole benchmark "
          f"(raw and argostranslate load their own copies of the model)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
