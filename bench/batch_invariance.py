#!/usr/bin/env python3
"""Is a sentence's English independent of the sentences that share its CTranslate2 batch, and at what cost?

One run per CPU kernel family (each in a child process, since CTranslate2 reads CT2_USE_MKL and
CT2_FORCE_CPU_ISA at import): the same FLORES-dev sentences (evaluation text, only decoded here)
through three ways of batching in one `translate_batch` call each:

1. mixed:     sorted by length, sub-batches of up to 1024 tokens (the engine before #16): sentences of
              different lengths share a batch, the shorter ones padded;
2. exact:     sub-batches of sentences of one length only (no padding), submitted asynchronously;
3. one:       one sentence per sub-batch (`max_batch_size=1`, examples): nothing shared, by construction.

For each: wall and CPU seconds, output pieces/s, and how many outputs differ from the `one` path.
Models: the demo model (real decoding, EOS) and the random-weight transformer-base package from
scripts/build_random_model.py (no EOS: every sentence decodes to the same cap, so speed compares).

Usage: .venv/bin/python bench/batch_invariance.py [--sentences 200] [--random-sentences 48] [--cap 24]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLORES = ROOT.parent / "shared" / "data" / "flores200-dev" / "ar.txt"
RANDOM = ROOT / "bench" / "out" / "random-ar-en"
KERNELS = {"default": {}, "oneDNN AVX2 (as on AMD)": {"CT2_USE_MKL": "0", "CT2_FORCE_CPU_ISA": "AVX2"}}


def measure(model: Path, count: int, cap: int) -> dict[str, dict[str, float]]:
    sys.path.insert(0, str(ROOT))
    from translator.config import Settings
    from translator.mt.engine import ArgosEngine

    settings = Settings(max_decoding_length=cap)
    engine = ArgosEngine(model, settings)
    engine.load()
    tokens = sorted((engine.encode(line) for line in FLORES.read_text(encoding="utf-8").splitlines()[:count]), key=len)
    options = dict(max_decoding_length=cap, beam_size=settings.beam_size, length_penalty=0.2, replace_unknowns=True)
    translator = engine._translator

    def mixed() -> list[list[str]]:
        return [r.hypotheses[0] for r in translator.translate_batch(tokens, max_batch_size=1024, batch_type="tokens",
                                                                     **options)]

    def exact() -> list[list[str]]:
        groups = [list(g) for _, g in itertools.groupby(tokens, key=len)]
        pending = [translator.translate_batch(g, max_batch_size=1024, batch_type="tokens", asynchronous=True,
                                              **options) for g in groups]
        return [r.result().hypotheses[0] for group in pending for r in group]

    def one() -> list[list[str]]:
        return [r.hypotheses[0] for r in translator.translate_batch(tokens, max_batch_size=1, batch_type="examples",
                                                                     **options)]

    runs: dict[str, list[tuple[float, float, list[list[str]]]]] = {"mixed": [], "exact": [], "one": []}
    for _ in range(2):  # interleaved, best of two: the machine is shared
        for name, fn in (("mixed", mixed), ("exact", exact), ("one", one)):
            wall, cpu = time.perf_counter(), time.process_time()
            out = fn()
            runs[name].append((time.perf_counter() - wall, time.process_time() - cpu, out))
    reference = runs["one"][0][2]
    report = {}
    for name, results in runs.items():
        wall = min(r[0] for r in results)
        cpu = min(r[1] for r in results)
        out = results[0][2]
        report[name] = {"wall": wall, "cpu": cpu, "pieces_per_s": sum(map(len, out)) / wall,
                        "differ": sum(a != b for a, b in zip(out, reference))}
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--random-sentences", type=int, default=48)
    parser.add_argument("--cap", type=int, default=24)
    parser.add_argument("--child", nargs=3, metavar=("MODEL", "COUNT", "CAP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(Path(args.child[0]), int(args.child[1]), int(args.child[2]))))
        return 0
    if not RANDOM.is_dir():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "build_random_model.py")], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(ROOT / "translator" / "data" / "demo-ar-en.argosmodel") as zf:
            zf.extractall(tmp)
        demo = next(Path(tmp).iterdir())
        models = [("demo", demo, args.sentences, 256), ("random (transformer-base)", RANDOM, args.random_sentences,
                                                          args.cap)]
        print(f"CPU: {_cpu()}")
        for kernel, env in KERNELS.items():
            for label, path, count, cap in models:
                proc = subprocess.run([sys.executable, __file__, "--child", str(path), str(count), str(cap)],
                                      env={**os.environ, **env}, capture_output=True, text=True, check=True)
                report = json.loads(proc.stdout)
                base = report["mixed"]
                print(f"{kernel:24s} {label:26s} {count} sentences, cap {cap}")
                for name, r in report.items():
                    print(f"  {name:6s} {r['wall']:6.2f} s wall {r['cpu']:6.2f} s CPU {r['pieces_per_s']:8.1f} pieces/s"
                          f"  x{r['wall'] / base['wall']:.2f} wall x{r['cpu'] / base['cpu']:.2f} CPU of mixed"
                          f"  differ from one-by-one: {r['differ']}")
    return 0


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


if __name__ == "__main__":
    sys.exit(main())
