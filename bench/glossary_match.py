"""Benchmark: glossary matching speed with a 10 000-entry glossary (goal: <= 1 ms per paragraph).

The shipped glossary is topped up with names from ArWikiCats (/work/shared/data/train/arwikicats)
to the requested size; every paragraph of seeds/*.txt is matched repeatedly. For scale, the same
run times a naive matcher (a substring test per glossary form on the normalised paragraph,
which finds no clitics or boundaries and is still slower).

    .venv/bin/python bench/glossary_match.py [--entries 10000] [--rounds 50]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from translator.config import SHIPPED_GLOSSARY_DIR
from translator.glossary.layers import Glossary, GlossaryEntry, load_glossary
from translator.glossary.yaml_file import match_key
from translator.text.arabic import has_arabic, normalize

ROOT = Path(__file__).resolve().parent.parent
ARWIKICATS = ROOT.parent / "shared" / "data" / "train" / "arwikicats"


def _type(group: str) -> str:
    if group.startswith("people"):
        return "person"
    if group.startswith(("cities", "geography")):
        return "place"
    return "term"


def big_glossary(size: int) -> Glossary:
    """The shipped glossary plus ArWikiCats names, `size` entries in all."""
    entries = list(load_glossary([SHIPPED_GLOSSARY_DIR]).entries)
    keys = {match_key(a) for e in entries for a in e.ar}
    ar = (ARWIKICATS / "ar.txt").read_text(encoding="utf-8").splitlines()
    en = (ARWIKICATS / "en.txt").read_text(encoding="utf-8").splitlines()
    group = (ARWIKICATS / "group.txt").read_text(encoding="utf-8").splitlines()
    for a, e, g in zip(ar, en, group):
        if len(entries) >= size:
            break
        key = match_key(a)
        if not key or key in keys or not has_arabic(a) or any("a" <= c.lower() <= "z" for c in a):
            continue
        keys.add(key)
        entries.append(GlossaryEntry((a,), e.strip() or a, _type(g)))
    if len(entries) < size:
        raise SystemExit(f"only {len(entries)} entries available")
    return Glossary.from_entries(entries)


def paragraphs() -> list[str]:
    out = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        out += [p for p in path.read_text(encoding="utf-8").splitlines() if p.strip()]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()

    t0 = time.perf_counter()
    glossary = big_glossary(args.entries)
    build_s = time.perf_counter() - t0
    paras = paragraphs()
    chars = sum(len(p) for p in paras)
    matches = sum(len(glossary.match(p)) for p in paras)  # warm-up

    per_round = []
    for _ in range(args.rounds):
        t = time.perf_counter()
        for p in paras:
            glossary.match(p)
        per_round.append((time.perf_counter() - t) / len(paras))
    ms = statistics.median(per_round) * 1000
    worst = max(per_round) * 1000

    forms = [match_key(a) for e in glossary.entries for a in e.ar]
    naive_rounds = max(1, args.rounds // 10)
    t = time.perf_counter()
    for _ in range(naive_rounds):
        for p in paras:
            n = normalize(p)
            _ = [f for f in forms if f in n]
    naive_ms = (time.perf_counter() - t) / (naive_rounds * len(paras)) * 1000

    print(f"glossary: {len(glossary)} entries, {len(forms)} forms (built in {build_s:.2f} s)")
    print(f"paragraphs: {len(paras)} from seeds/ (mean {chars / len(paras):.0f} chars), {matches} matches")
    print(f"match: {ms:.3f} ms/paragraph (median of {args.rounds} rounds; slowest round {worst:.3f})")
    print(f"naive substring scan: {naive_ms:.3f} ms/paragraph ({naive_ms / ms:.1f}x slower)")
    print(f"goal <= 1 ms/paragraph: {'met' if ms <= 1 else 'NOT met'}")

    # Enforcement overhead around the model (prepare + finish on an echoing "model").
    from translator.glossary.enforce import GlossaryEnforcer
    from translator.text.segment import split_sentences

    enforcer = GlossaryEnforcer(load_glossary([SHIPPED_GLOSSARY_DIR]))
    sentences = [s for p in paras for s in split_sentences(p)]
    t = time.perf_counter()
    for _ in range(max(1, args.rounds // 5)):
        for sentence in sentences:
            model_input, plan = enforcer.prepare(sentence)
            enforcer.finish(plan, model_input)
    per_para = (time.perf_counter() - t) / (max(1, args.rounds // 5) * len(paras)) * 1000
    print(f"enforcement (prepare + finish, shipped glossary, no model): {per_para:.3f} ms/paragraph")


if __name__ == "__main__":
    main()
