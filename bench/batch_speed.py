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

    pieces = 0
    """Output pieces decoded in the block (set by the caller)."""

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


DECODED = {"pieces": 0}
"""Output pieces of the best hypotheses of synchronous translate_batch calls (raw, naive)."""


def limit_decoding(max_length: int) -> None:
    """Cap every CTranslate2 Translator at max_decoding_length and count what they decode.

    Raw and argostranslate pass no cap (CTranslate2's default is 256): they get `max_length`.
    Ours passes its own per-sentence caps, which Settings.max_decoding_length (the same
    `max_length`) bounds; its pieces are counted by ArgosEngine.decoded.
    """
    import ctranslate2

    base = ctranslate2.Translator

    class LimitedTranslator(base):  # type: ignore[misc, valid-type]
        def translate_batch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            kwargs.setdefault("max_decoding_length", max_length)
            results = super().translate_batch(*args, **kwargs)
            if not kwargs.get("asynchronous"):
                DECODED["pieces"] += sum(len(r.hypotheses[0]) for r in results)
            return results

    ctranslate2.Translator = LimitedTranslator


class RetryMeter:
    """Splits the pieces our engine decodes into first pass and clause retries."""

    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        import translator.mt.pipeline as pipeline

        self.engine = engine
        self.retry = 0
        self._start = engine.decoded
        retry = pipeline._retry_missing_terms

        def metered_retry(*args, **kwargs):  # type: ignore[no-untyped-def]
            before = engine.decoded
            try:
                return retry(*args, **kwargs)
            finally:
                self.retry += engine.decoded - before

        pipeline._retry_missing_terms = metered_retry

    @property
    def first(self) -> int:
        """Pieces decoded since the last reset, outside the retries."""
        return self.engine.decoded - self._start - self.retry

    def reset(self) -> None:
        self.retry, self._start = 0, self.engine.decoded


def write_articles(folder: Path, paragraphs: list[str], per_article: int = 10) -> None:
    """Articles of `per_article` paragraphs each (the first line of each is its title)."""
    folder.mkdir(parents=True)
    for n, start in enumerate(range(0, len(paragraphs), per_article)):
        (folder / f"article-{n:03d}.ar.txt").write_text(
            "\n\n".join(paragraphs[start:start + per_article]) + "\n", encoding="utf-8")


def run_ours(in_dir: Path, out_dir: Path, engine, settings, force: bool,  # type: ignore[no-untyped-def]
             glossary: bool = True) -> tuple[Timer, object]:
    from translator.batch import BatchOptions, run_batch
    from translator.batch_report import glossary_fingerprint
    from translator.store.memory import TranslationMemory

    enforcer = _enforcer(settings, in_dir) if glossary else None
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
    before = DECODED["pieces"]
    with Timer() as timer:
        translator.translate_batch(tokens, max_batch_size=settings.max_batch_tokens, batch_type="tokens",
                                   beam_size=settings.beam_size, length_penalty=0.2, replace_unknowns=True)
    timer.pieces = DECODED["pieces"] - before
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
    before = DECODED["pieces"]
    with Timer() as timer:
        for paragraph in paragraphs:
            argos.translate(paragraph, "ar", "en")
    timer.pieces = DECODED["pieces"] - before
    return timer


def cpu_name() -> str:
    from translator.mt.cpu import cpu_kernels

    k = cpu_kernels()
    return ", ".join(f"{key} {value}" for key, value in k.items() if value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="batch speed benchmark")
    parser.add_argument("--paragraphs", type=int, default=100)
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--max-length", type=int, default=64, help="decoding cap (pieces per sentence) for every path")
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
        settings = Settings(home=work / "home", device=args.device, max_decoding_length=args.max_length)
        engine = ArgosEngine(PACKAGE, settings)
        meter = RetryMeter(engine)
        started = time.perf_counter()
        engine.load()
        load_s = time.perf_counter() - started
        offs: list[Timer] = []
        colds: list[Timer] = []
        raws: list[Timer] = []
        for attempt in range(args.repeat):  # fresh input folders (empty memory) each time
            folder = work / f"off{attempt}"
            write_articles(folder, paragraphs)
            before = engine.decoded
            timer, _ = run_ours(folder, work / f"out-off{attempt}", engine, settings, force=False, glossary=False)
            timer.pieces = engine.decoded - before
            offs.append(timer)
            if attempt == 0:
                rss_off = rss_mib()  # enforcement off ran first: its peak alone
            folder = work / f"in{attempt}"
            write_articles(folder, paragraphs)
            meter.reset()
            calls = engine.calls
            timer, report = run_ours(folder, work / f"out-cold{attempt}", engine, settings, force=False)
            timer.pieces = meter.first  # delivered: the first pass (retries replace, not add, English)
            first, retried = meter.first, meter.retry
            colds.append(timer)
            sent_to_model = engine.calls - calls
            if attempt == 0:
                warm, warm_report = run_ours(folder, work / "out-warm", engine, settings, force=True)
                rss_ours = rss_mib()  # before raw and argostranslate load their own models
            raws.append(run_raw(sentences, settings, args.device))
        naive = None if args.skip_naive else run_naive(paragraphs, work / "argos")
        rss_all = rss_mib()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    n, m = len(paragraphs), len(sentences)
    print(f"CPU: {cpu_name()}; {os.cpu_count()} CPUs, device {args.device}")
    print(f"model {PACKAGE.name} (random weights, transformer-base shape, int8, never emits EOS); beam "
          f"{settings.beam_size}; decoding cap {args.max_length} pieces per sentence in every path (ours also "
          f"caps at {settings.decoding_ratio:g} × source pieces + {settings.decoding_extra})")
    print(f"work: {n} paragraphs, {m} sentences in {len(report.files)} articles; "
          f"threads inter={settings.inter_threads} intra={settings.intra_threads}, "
          f"max_batch_tokens={settings.max_batch_tokens}")
    print(f"model load (ours, not in timings): {load_s:.2f} s; sentences sent to the model: {sent_to_model}")
    print(f"clause retries decoded {retried} pieces = {100 * retried / max(1, first):.1f} % of the first pass "
          f"({first}) (goal ≤ 25 %)")
    off, cold, raw = (min(ts, key=lambda t: t.wall) for ts in (offs, colds, raws))
    print("each attempt, wall s: enforcement on " + ", ".join(f"{t.wall:.2f}" for t in colds)
          + "; off " + ", ".join(f"{t.wall:.2f}" for t in offs) + "; raw " + ", ".join(f"{t.wall:.2f}" for t in raws))
    rows = [("ours, enforcement on", cold), ("ours, enforcement off", off), ("ours, warm memory", warm),
            ("raw translate_batch", raw)]
    if naive is not None:
        rows.append(("naive argostranslate loop", naive))
    print(f"best of {args.repeat} for ours and raw; warm memory and the naive loop ran once")
    print(f"{'path':28} {'wall s':>8} {'CPU s':>8} {'pieces':>8} {'pieces/s':>9} {'paragraphs/s':>13}")
    for name, t in rows:
        print(f"{name:28} {t.wall:8.2f} {t.cpu:8.2f} {t.pieces:8d} {t.pieces / t.wall:9.1f} {n / t.wall:13.2f}")
    print(f"from memory in warm run: {warm_report.counts()['from_memory']}/{n} paragraphs")

    def verdict(slow: Timer, fast: Timer, goal: float) -> str:
        rate = (fast.pieces / fast.wall) / (slow.pieces / slow.wall)
        per_cpu = (fast.pieces / fast.cpu) / (slow.pieces / slow.cpu)
        return (f"{rate:6.2f}× output pieces/s wall, {per_cpu:5.2f}× per CPU second "
                f"(goal ≥ {goal}× wall: {'met' if rate >= goal else 'NOT met'})")

    if naive is not None:
        print(f"ours (on) vs naive loop:          {verdict(naive, cold, 3)}")
    print(f"ours (on) vs raw translate_batch: {verdict(raw, cold, 0.9)}")
    print(f"ours (off) vs raw translate_batch: {verdict(raw, off, 0.9)}")
    print(f"peak RSS: {rss_off:.0f} MiB after the batch with enforcement off, {rss_ours:.0f} MiB after it "
          f"with enforcement on (goal ≤ 1024); {rss_all:.0f} MiB for the whole benchmark "
          f"(raw and argostranslate load their own copies of the model)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
