"""Benchmark: what the glossary's `avoid:` renderings cost (CTranslate2 suppress_sequences).

Translates the seeds' sentences through the enforcer twice with the same model: with the shipped
glossary, and with the same glossary where every entry lists wrong renderings to avoid (two
per entry, made from its English: the last letter doubled, and the first vowel after the first
letter dropped, e.g. "Lavrovv", "Lvrov"; none is an accepted form). Rounds alternate, the best
of each is kept. Prints wall and CPU seconds, the CTranslate2 calls (sentences with other
suppressions cannot share a call), output pieces, term accuracy and how many outputs changed.

    .venv/bin/python bench/avoid_cost.py [--model translator/data/demo-ar-en.argosmodel] [--rounds 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from translator.config import DEMO_MODEL_PATH, SHIPPED_GLOSSARY_DIR, Settings  # noqa: E402
from translator.glossary.enforce import GlossaryEnforcer  # noqa: E402
from translator.glossary.layers import Glossary, load_glossary  # noqa: E402
from translator.glossary.terms import avoided_rendering  # noqa: E402
from translator.glossary.yaml_file import entry_yaml  # noqa: E402
from translator.mt.pipeline import translate_paragraphs  # noqa: E402
from translator.text.document import read_article  # noqa: E402
from translator.text.segment import split_sentences  # noqa: E402


def wrong_renderings(english: str) -> list[str]:
    """Two misspellings of `english` (last letter doubled; first inner vowel dropped)."""
    doubled = english + english[-1]
    dropped = re.sub(r"(?<=\w)[aeiou]", "", english, count=1)
    return [w for w in dict.fromkeys([doubled, dropped]) if w.lower() != english.lower()]


def with_avoid(glossary: Glossary, folder: Path) -> Glossary:
    """The same entries, each with wrong renderings to avoid, loaded back from YAML files."""
    path = folder / "avoid.yaml"
    parts = []
    for e in glossary.active_entries:
        accepted = {f.lower() for f in e.english_forms}
        avoid = [w for w in wrong_renderings(e.en) if w.lower() not in accepted]
        parts.append(entry_yaml(list(e.ar), e.en, e.type, list(e.alt), avoid=avoid))
    path.write_text("".join(parts), encoding="utf-8")
    return load_glossary([path])


class CallCounter:
    """Counts translate_batch calls and suppressed sequences of an ArgosEngine's translator."""

    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        engine.load()
        self.calls = self.suppressed = 0
        real = engine._translator
        counter = self

        class Spy:
            def translate_batch(self, batch, **options):  # type: ignore[no-untyped-def]
                counter.calls += 1
                counter.suppressed += len(options.get("suppress_sequences") or [])
                return real.translate_batch(batch, **options)

        engine._translator = Spy()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEMO_MODEL_PATH)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from translator.mt.cpu import cpu_kernels
    from translator.mt.engine import ArgosEngine
    from translator.mt.models import install_package_file

    sentences = [s for path in sorted((ROOT / "seeds").glob("*.txt"))
                 for p in read_article(path).translatable for s in split_sentences(p.text)]
    shipped = load_glossary([SHIPPED_GLOSSARY_DIR])
    with tempfile.TemporaryDirectory() as tmp:
        avoiding = with_avoid(shipped, Path(tmp))
        settings = Settings(home=Path(tmp) / "home", device="cpu")
        engine = ArgosEngine(install_package_file(settings, args.model).path, settings)
        counter = CallCounter(engine)
        enforcers = {"without avoid": GlossaryEnforcer(shipped), "with avoid": GlossaryEnforcer(avoiding)}
        translate_paragraphs(sentences[:4], engine, enforcers["without avoid"])  # warm-up
        best: dict[str, dict[str, float]] = {}
        outputs: dict[str, list] = {}  # type: ignore[type-arg]
        for _ in range(args.rounds):
            for name, enforcer in enforcers.items():
                calls, suppressed, decoded = counter.calls, counter.suppressed, engine.decoded
                wall, cpu = time.perf_counter(), time.process_time()
                results = translate_paragraphs(sentences, engine, enforcer)
                row = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                       "calls": counter.calls - calls, "suppressed": counter.suppressed - suppressed,
                       "pieces": engine.decoded - decoded}
                if name not in best or row["wall"] < best[name]["wall"]:
                    best[name] = row
                outputs[name] = results
    kernels = cpu_kernels()
    print(f"model {engine.label}; CPU {kernels['cpu']} ({kernels['isa']}, CTranslate2 {kernels['ctranslate2']}); "
          f"{len(sentences)} seed sentences; avoid: {sum(len(e.avoid) for e in avoiding.active_entries)} "
          f"renderings over {len(avoiding)} entries; best of {args.rounds} alternating rounds")
    print(f"{'glossary':<15}{'wall s':>8}{'CPU s':>8}{'CT2 calls':>10}{'suppressed':>11}{'pieces':>8}{'terms':>8}")
    for name, row in best.items():
        terms = [t for r in outputs[name] for t in r.terms]
        accuracy = 100 * sum(t.enforced for t in terms) / max(1, len(terms))
        print(f"{name:<15}{row['wall']:8.2f}{row['cpu']:8.2f}{row['calls']:10d}{row['suppressed']:11d}"
              f"{row['pieces']:8d}{accuracy:7.1f}%")
    off, on = best["without avoid"], best["with avoid"]
    changed = sum(a.text != b.text for a, b in zip(outputs["without avoid"], outputs["with avoid"]))
    found = [(r.text, e) for r in outputs["without avoid"] for t in r.terms
             for e in [dataclasses.replace(t.entry, avoid=tuple(wrong_renderings(t.entry.en)))]
             if avoided_rendering(r.text, e)]
    left = sum(1 for r in outputs["with avoid"] for t in r.terms
               if avoided_rendering(r.text, next(e for e in avoiding.active_entries if e.en == t.entry.en)))
    print(f"cost: ×{on['wall'] / off['wall']:.2f} wall, ×{on['cpu'] / off['cpu']:.2f} CPU; "
          f"{changed}/{len(sentences)} outputs changed; avoided renderings in the English: "
          f"{len(found)} without avoid, {left} with it")


if __name__ == "__main__":
    main()
