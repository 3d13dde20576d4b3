"""Benchmark: what the decoding bounds cost in quality (issue #17).

Translates FLORES-200 dev (Arabic → English, 997 sentences) with the same model twice in one
run: once unbounded (CTranslate2's default 256-piece cap, no repetition guard) and once with the
product defaults (cap 2 × source pieces + 10, no_repeat_ngram_size 4), and prints chrF (sacrebleu)
for both, how many outputs changed, and the pieces decoded. Goal: chrF changes by ≤ 0.5.

    .venv/bin/python bench/decoding_guard.py [--model translator/data/demo-ar-en.argosmodel]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sacrebleu.metrics import CHRF

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FLORES = ROOT.parent / "shared" / "data" / "flores200-dev"


def main() -> int:
    from translator.config import DEMO_MODEL_PATH, Settings
    from translator.mt.engine import ArgosEngine
    from translator.mt.models import install_package_file

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEMO_MODEL_PATH, help="Argos package (.argosmodel)")
    args = parser.parse_args()
    if not FLORES.is_dir():
        print(f"FLORES not found at {FLORES}")
        return 1
    ar = (FLORES / "ar.txt").read_text(encoding="utf-8").splitlines()
    en = (FLORES / "en.txt").read_text(encoding="utf-8").splitlines()
    with tempfile.TemporaryDirectory() as home:
        path = install_package_file(Settings(home=Path(home)), args.model).path
        configs = {
            "unbounded (cap 256, no guard)": Settings(device="cpu", decoding_ratio=1000.0, no_repeat_ngram_size=0),
            "bounded (product defaults)": Settings(device="cpu"),
        }
        outputs: dict[str, list[str]] = {}
        for name, settings in configs.items():
            engine = ArgosEngine(path, settings)
            engine.load()
            started = time.perf_counter()
            outputs[name] = engine.translate(ar)
            seconds = time.perf_counter() - started
            score = CHRF().corpus_score(outputs[name], [en]).score
            print(f"{name:32} chrF {score:6.2f}  pieces decoded {engine.decoded:6d}  {seconds:5.1f} s")
    a, b = outputs.values()
    delta = CHRF().corpus_score(b, [en]).score - CHRF().corpus_score(a, [en]).score
    changed = sum(x != y for x, y in zip(a, b))
    print(f"model {engine.label}; FLORES dev {len(ar)} sentences; outputs changed {changed}; "
          f"chrF {delta:+.2f} (goal: |Δ| ≤ 0.5: {'met' if abs(delta) <= 0.5 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
