#!/usr/bin/env python3
"""Benchmark `translator batch` locally against `--ray` with 1 and 2 workers, in one run.

The same articles (the seeds' paragraphs repeated and tagged with their copy number, as in
bench/batch_speed.py), the same random-weight transformer-base package (scripts/build_random_model.py),
every sentence decoded to its cap (end-of-sentence is suppressed: 2 × source pieces + 10, at
most `--max-length`, i.e. Settings.max_decoding_length, which the workers get with the
settings), glossary enforcement on, no memory (so every paragraph reaches the
model in every configuration):

1. local:        translator.batch.run_batch in this process (inter_threads=2, intra_threads=1);
2. ray, 1 worker: the same with translator.batch_ray.RayBackend, one actor with 2 threads;
3. ray, 2 workers: two actors with 1 thread each.

Ray runs on a local instance started once (its start-up is timed and shown apart); each Ray
figure includes starting the workers and loading the model in them, as a real run pays it.
Output pieces are counted in whichever process decodes (workers append their counts to a file).
The outputs of the three runs are compared byte for byte.

Usage: .venv/bin/python bench/ray_batch.py [--paragraphs 100] [--per-article 5] [--max-length 64]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path[:0] = [str(ROOT), str(BENCH)]

from batch_speed import PACKAGE, seed_paragraphs, write_articles  # noqa: E402

from translator.batch import BatchOptions  # noqa: E402
from translator.batch_ray import RayBackend, RayOptions  # noqa: E402
from translator.config import Settings  # noqa: E402
from translator.mt.engine import ArgosEngine, Engine  # noqa: E402
from translator.mt.shipped import ShippedPackage  # noqa: E402


def counted(engine: ArgosEngine, counts: Path) -> ArgosEngine:
    """The engine, appending to `counts` the pieces it decodes in each call (ArgosEngine.decoded)."""
    stream = engine.translate_stream  # translate() and translate_nbest() call it too

    def counting_stream(*args, **kwargs):  # type: ignore[no-untyped-def]
        before = engine.decoded
        yield from stream(*args, **kwargs)
        with counts.open("a") as log:
            log.write(f"{engine.decoded - before}\n")

    engine.translate_stream = counting_stream  # type: ignore[method-assign]
    return engine


@dataclass(frozen=True)
class CountedPackage(ShippedPackage):
    """The shipped package, opened in the worker with the piece counter."""

    counts: str = ""

    def open(self) -> Engine:
        engine = super().open()
        assert isinstance(engine, ArgosEngine)
        return counted(engine, Path(self.counts))


def shipped(settings: Settings, counts: Path) -> CountedPackage:
    base = ShippedPackage.from_folder(PACKAGE, settings)
    return CountedPackage(base.name, base.digest, base.data, settings, str(counts))


def pieces(counts: Path) -> int:
    return sum(int(line) for line in counts.read_text().split()) if counts.exists() else 0


def run(folder: Path, settings: Settings, backend: RayBackend | None, counts: Path,
        chunk_sentences: int) -> tuple[float, object]:
    from translator.batch import run_batch
    from translator.glossary.enforce import enforcer_from_settings

    enforcer = enforcer_from_settings(settings, folder)
    engine = counted(ArgosEngine(PACKAGE, settings), counts)
    started = time.perf_counter()
    options = BatchOptions(folder, folder / "out", chunk_sentences=chunk_sentences)
    report = run_batch(options, engine, enforcer, None, settings=settings, glossary=enforcer.glossary,
                       backend=backend)
    wall = time.perf_counter() - started
    assert report.ok, [f.reason for f in report.files if f.status != "ok"]
    return wall, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="local batch vs --ray benchmark")
    parser.add_argument("--paragraphs", type=int, default=100)
    parser.add_argument("--per-article", type=int, default=5, help="paragraphs per article file")
    parser.add_argument("--max-length", type=int, default=64,
                        help="absolute decoding cap (Settings.max_decoding_length, TRANSLATOR_MAX_DECODING_LENGTH)")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu",
                        help="cuda: one GPU per Ray worker (num_gpus=1); needs 2 GPUs for the 2-worker run")
    parser.add_argument("--chunk-sentences", type=int, default=BatchOptions.chunk_sentences,
                        help="sentences per engine call = per Ray task (whole files; BatchOptions.chunk_sentences)")
    args = parser.parse_args(argv)
    if not (PACKAGE / "model" / "model.bin").is_file():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "build_random_model.py")], check=True)
    import ray

    work = Path(tempfile.mkdtemp(prefix="ray-bench-"))
    load = [os.getloadavg()[0]]
    rows = []
    try:
        settings = Settings(home=work / "home", max_decoding_length=args.max_length,  # shipped to the workers
                            device=args.device)
        paragraphs = seed_paragraphs(args.paragraphs)
        counts = work / "local.pieces"
        folder = work / "local"
        write_articles(folder, paragraphs, args.per_article)
        wall, report = run(folder, settings, None, counts, args.chunk_sentences)
        rows.append(("local batch (1 process, 2 threads)", wall, report, pieces(counts)))

        started = time.perf_counter()
        ray.init(address="local", num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False,
                 logging_level="ERROR", runtime_env={"env_vars": {"PYTHONPATH": f"{ROOT}{os.pathsep}{BENCH}"}})
        ray_start = time.perf_counter() - started
        fixed = {}
        for workers in (1, 2):  # the fixed cost: workers started, model shipped and loaded, one tiny file
            tiny = work / f"tiny{workers}"
            write_articles(tiny, paragraphs[:1], 1)
            backend = RayBackend(RayOptions(workers=workers), settings, shipped(settings, work / "tiny.pieces"))
            fixed[workers] = run(tiny, settings, backend, work / "unused.pieces", args.chunk_sentences)[0]
        for workers in (1, 2):
            counts = work / f"ray{workers}.pieces"
            folder = work / f"ray{workers}"
            write_articles(folder, paragraphs, args.per_article)
            backend = RayBackend(RayOptions(workers=workers), settings, shipped(settings, counts))
            wall, report = run(folder, settings, backend, work / "unused.pieces", args.chunk_sentences)
            threads = backend.description.split("(")[1].split(" each")[0]
            rows.append((f"--ray, {workers} worker{'s' * (workers > 1)} ({threads} each)", wall, report,
                         pieces(counts)))
        ray.shutdown()
        load.append(os.getloadavg()[0])
        same = all(_outputs(work / "local" / "out") == _outputs(work / f"ray{w}" / "out") for w in (1, 2))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    files = rows[0][2].counts()["files"]  # type: ignore[attr-defined]
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")
    print(f"machine: {os.cpu_count()} CPUs ({cpu}), device {args.device}, "
          f"load average {load[0]:.1f} before, {load[-1]:.1f} after")
    print(f"model: {PACKAGE.name} (random weights, transformer-base shape, int8), beam {settings.beam_size}, "
          f"decoding capped at {args.max_length} pieces (TRANSLATOR_MAX_DECODING_LENGTH); "
          "glossary enforcement on, no memory")
    print(f"work: {args.paragraphs} paragraphs in {files} articles, engine calls (= Ray tasks) of up to "
          f"{args.chunk_sentences} sentences; Ray {ray.__version__} local instance "
          f"start {ray_start:.1f} s (not in the figures below; worker start and model load are)")
    print(f"{'configuration':40} {'wall s':>7} {'files/s':>8} {'pieces':>7} {'pieces/s':>9} {'vs local':>9}")
    for name, wall, _, n in rows:
        print(f"{name:40} {wall:7.2f} {files / wall:8.2f} {n:7d} {n / wall:9.1f} {rows[0][1] / wall:8.2f}×")
    print(f"outputs of the three runs identical byte for byte: {same}")
    print("fixed cost of a --ray run (start the workers, ship and load the model, one one-paragraph file): "
          + ", ".join(f"{w} worker{'s' * (w > 1)} {s:.2f} s" for w, s in fixed.items()))
    for (name, wall, _, n), workers in zip(rows[1:], (1, 2)):
        steady = wall - fixed[workers]
        print(f"{name} without it: {files / steady:.2f} files/s, {n / steady:.1f} pieces/s "
              f"({rows[0][1] / steady:.2f}× local)")
    return 0


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.en.md"))}


if __name__ == "__main__":
    sys.exit(main())
