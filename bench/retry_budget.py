"""Benchmark: what the glossary's clause-retry budget buys and costs, and what its stop rules give up.

With one model (default: the bundled demo model), for each retry budget:

- term accuracy on the seeds' sentences and on FLORES dev's sentences with glossary terms (each
  set translated as one article, as bench/term_accuracy.py does, without its plain sentences);
- the decoding the retries add: the decoding caps of every engine call over those of the run
  with budget 0 (the first pass alone), counted by a wrapper around the engine (caps, not
  timings).

Then the stop rules' check (translator.mt.pipeline): seed files and FLORES dev in files of 8
sentences, each an article; for each article the terms its first pass kept, and how many terms
an unbounded retry wins back in the articles the no-evidence rule (RETRY_EVIDENCE) skips.

    .venv/bin/python bench/retry_budget.py [--model translator/data/demo-ar-en.argosmodel]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLORES = ROOT.parent / "shared" / "data" / "flores200-dev" / "ar.txt"
sys.path.insert(0, str(ROOT))

from translator.config import DEMO_MODEL_PATH, SHIPPED_GLOSSARY_DIR, Settings  # noqa: E402
from translator.glossary.enforce import GlossaryEnforcer  # noqa: E402
from translator.glossary.layers import load_glossary  # noqa: E402
from translator.mt.engine import ArgosEngine  # noqa: E402
from translator.mt.pipeline import RETRY_EVIDENCE, ParagraphTranslation, translate_paragraphs  # noqa: E402
from translator.text.document import read_article  # noqa: E402
from translator.text.segment import split_sentences  # noqa: E402


class Counting:
    """The engine, with the decoding caps of every call added up (`spent`)."""

    def __init__(self, engine: ArgosEngine) -> None:
        self.engine, self.spent = engine, 0
        self.label, self.is_demo = engine.label, engine.is_demo

    def translate(self, sentences: Sequence[str]) -> list[str]:
        return self.engine.translate(sentences)

    def translate_nbest(self, sentences: Sequence[str], n: int | None = None,
                        avoid: Sequence[Sequence[str]] | None = None) -> list[list[str]]:
        self.spent += self.engine.cost(sentences)
        return self.engine.translate_nbest(sentences, n, avoid)

    def cost(self, sentences: Sequence[str]) -> int:
        return self.engine.cost(sentences)


def _kept(results: list[ParagraphTranslation]) -> tuple[int, int]:
    terms = [t for r in results for t in r.terms]
    return sum(t.enforced for t in terms), len(terms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEMO_MODEL_PATH)
    parser.add_argument("--budgets", type=float, nargs="+", default=[0, 0.25, 0.5, 1.0, 2.0, 100])
    args = parser.parse_args()
    from translator.mt.models import install_package_file

    glossary = load_glossary([SHIPPED_GLOSSARY_DIR])
    enforcer = GlossaryEnforcer(glossary)
    seed_files = [[p.text for p in read_article(path).translatable] for path in sorted((ROOT / "seeds").glob("*.txt"))]
    seeds = [s for f in seed_files for p in f for s in split_sentences(p)]
    flores = FLORES.read_text(encoding="utf-8").splitlines() if FLORES.is_file() else []
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home), device="cpu")
        engine = Counting(ArgosEngine(install_package_file(settings, args.model).path, settings))
        sets = {"seed sentences": seeds, "FLORES with terms": [s for s in flores if glossary.match(s)]}
        print(f"model {engine.label}; glossary {glossary.fingerprint}; each set one article")
        print(f"{'budget':>8}" + "".join(f"{name + ': terms':>28}{'extra decoding':>16}" for name in sets))
        firsts = {}
        for name, sources in sets.items():  # the first pass alone: what retry_budget=0 decodes
            engine.spent = 0
            translate_paragraphs(sources, engine, enforcer, retry_budget=0)
            firsts[name] = engine.spent
        for share in args.budgets:
            row = f"{share:>8g}"
            for name, sources in sets.items():
                engine.spent = 0
                first = firsts[name]
                kept, total = _kept(translate_paragraphs(sources, engine, enforcer, retry_budget=share))
                accuracy = f"{100 * kept / max(1, total):.1f} % ({kept}/{total})"
                extra = f"+{100 * (engine.spent - first) / first:.0f} %"
                row += f"{accuracy:>28}{extra:>16}"
            print(row, flush=True)
        articles = [("seed " + str(i), f) for i, f in enumerate(seed_files)]
        articles += [(f"FLORES {i}-{i + 7}", flores[i:i + 8]) for i in range(0, len(flores), 8)]
        paragraphs = [p for _, f in articles for p in f]
        sizes = [len(f) for _, f in articles]
        first = translate_paragraphs(paragraphs, engine, enforcer, retry_budget=0, groups=sizes)
        full = translate_paragraphs(paragraphs, engine, enforcer, retry_budget=100, groups=sizes)
    skipped = given_up = with_terms = pos = 0
    print(f"\narticles (seed files; FLORES dev in files of 8 sentences); no-evidence rule: none of >= {RETRY_EVIDENCE} "
          "terms kept")
    for name, f in articles:
        before, after = first[pos:pos + len(f)], full[pos:pos + len(f)]
        pos += len(f)
        kept, total = _kept(before)
        gain = _kept(after)[0] - kept
        with_terms += total > 0
        if name.startswith("seed"):
            print(f"  {name}: first pass kept {kept}/{total} terms; an unbounded retry wins {gain} more")
        if total >= RETRY_EVIDENCE and kept == 0:
            skipped += 1
            given_up += gain
    print(f"  {skipped} of {with_terms} articles with terms skipped by the rule; terms given up: {given_up}")


if __name__ == "__main__":
    main()
