"""Benchmark: glossary term accuracy with vs without enforcement, and chrF where no term occurs.

One run translates each test set twice with the same model (raw, and through
translator.glossary.enforce.GlossaryEnforcer) and prints:

- term accuracy: share of matched source terms whose English (preferred or accepted
  alternative, ignoring case and diacritics) is in the output; with enforcement also how many
  the model copied right away and how many the repair step fixed;
- chrF (sacrebleu) on the sentences with NO glossary term, raw vs enforced: enforcement must
  not hurt them (the seeds have no reference, so there the outputs are compared directly);
- placeholder remnants: placeholder-shaped words of the enforced English (a capital Q, X, J, Z
  or V after the first letter, or alone) that neither the raw output of the sentence nor the
  glossary English has (goal: none).

Test sets:
  (a) seeds: every sentence of seeds/*.txt (real news; the demo model never saw these names);
  (b) templates: news-template sentences from scripts/test_model_data.py whose name slots are
      filled with the shipped glossary's people, places and organisations (all excluded from the
      demo model's training data), plus the same templates with held-out non-glossary names;
  (c) flores: FLORES-200 dev (real Arabic, English references), sentences with and without terms.

    .venv/bin/python bench/term_accuracy.py [--model translator/data/demo-ar-en.argosmodel] [--templates 1000]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sacrebleu.metrics import CHRF

from translator.config import DEMO_MODEL_PATH, SHIPPED_GLOSSARY_DIR, Settings
from translator.glossary.enforce import GlossaryEnforcer
from translator.glossary.layers import Glossary, load_glossary
from translator.glossary.repair import takes_article, verify_terms
from translator.mt.pipeline import translate_paragraphs
from translator.text.document import read_article
from translator.text.segment import split_sentences

ROOT = Path(__file__).resolve().parent.parent
FLORES = ROOT.parent / "shared" / "data" / "flores200-dev"


@dataclass
class TestSet:
    name: str
    sources: list[str]
    references: list[str | None]
    results: dict[str, object] = field(default_factory=dict)


def load_engine(model: Path, home: Path):  # type: ignore[no-untyped-def]
    from translator.mt.engine import ArgosEngine
    from translator.mt.models import install_package_file

    settings = Settings(home=home, device="cpu")
    return ArgosEngine(install_package_file(settings, model).path, settings)


def seed_set() -> TestSet:
    sources = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for paragraph in read_article(path).translatable:
            sources += split_sentences(paragraph.text)
    return TestSet("seeds", sources, [None] * len(sources))


def _data_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("test_model_data", ROOT / "scripts" / "test_model_data.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["test_model_data"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def template_sets(glossary: Glossary, n: int, seed: int = 7) -> tuple[TestSet, TestSet]:
    """(templates filled with glossary names, the same templates with held-out other names)."""
    data = _data_module()
    rng = random.Random(seed)
    _, held, _ = data.build_pools(data.seed_filter_from_repo(), random.Random(1))
    # References write institutions with their article, as the enforcer does ("the European Union").
    by_type = {t: [(e.ar[0], f"the {e.en}" if takes_article(e) else e.en) for e in glossary.active_entries
                   if e.type == t] for t in ("person", "place", "organisation")}
    pools = data.Pools(people=by_type["person"], places=by_type["place"], latin=held.latin,
                       countries=held.countries, orgs=by_type["organisation"])
    with_terms = data.Generator(pools, rng, code_switch=0.0)
    without = data.Generator(held, rng, code_switch=0.0)
    pairs = [with_terms.pair() for _ in range(n)]
    plain = [without.pair() for _ in range(n)]
    return (TestSet("templates", [a for a, _ in pairs], [e for _, e in pairs]),
            TestSet("templates-other-names", [a for a, _ in plain], [e for _, e in plain]))


def flores_set(limit_plain: int) -> TestSet:
    ar = (FLORES / "ar.txt").read_text(encoding="utf-8").splitlines()
    en = (FLORES / "en.txt").read_text(encoding="utf-8").splitlines()
    return TestSet("flores", ar, list(en))


def run(engine, enforcers: dict[str, GlossaryEnforcer], tset: TestSet, limit_plain: int | None = None) -> None:  # type: ignore[no-untyped-def]
    """Translate `tset` raw and through each enforcer; store the figures in `tset.results`."""
    glossary = next(iter(enforcers.values())).glossary
    has_terms = [bool(glossary.match(s)) for s in tset.sources]
    if limit_plain is not None:  # keep every sentence with terms, and some without
        keep, plain = [], 0
        for i, t in enumerate(has_terms):
            if t or plain < limit_plain:
                keep.append(i)
                plain += not t
        tset.sources = [tset.sources[i] for i in keep]
        tset.references = [tset.references[i] for i in keep]
        has_terms = [has_terms[i] for i in keep]
    t0 = time.perf_counter()
    raw = [p.text for p in translate_paragraphs(tset.sources, engine)]
    raw_seconds = time.perf_counter() - t0
    raw_terms = [r for s, o in zip(tset.sources, raw) for r in verify_terms(glossary, s, o)]
    plain = [i for i, t in enumerate(has_terms) if not t]
    termed = [i for i, t in enumerate(has_terms) if t]
    res: dict[str, object] = {
        "sentences": len(tset.sources),
        "with_terms": len(termed),
        "terms": len(raw_terms),
        "raw_accuracy": _pct(sum(r.enforced for r in raw_terms), len(raw_terms)),
        "seconds_raw": round(raw_seconds, 2),
        "plain_sentences": len(plain),
    }
    chrf = CHRF()
    refs = [tset.references[i] for i in plain]
    has_refs = bool(plain) and all(r is not None for r in refs)
    if has_refs:
        res["plain_chrf_raw"] = round(chrf.corpus_score([raw[i] for i in plain], [refs]).score, 2)
    refs_t = [tset.references[i] for i in termed]
    has_refs_t = bool(termed) and all(r is not None for r in refs_t)
    if has_refs_t:
        res["terms_chrf_raw"] = round(chrf.corpus_score([raw[i] for i in termed], [refs_t]).score, 2)
    for name, enforcer in enforcers.items():
        t1 = time.perf_counter()
        enforced_results = translate_paragraphs(tset.sources, engine, enforcer)
        seconds = time.perf_counter() - t1
        enforced = [p.text for p in enforced_results]
        terms = [t for p in enforced_results for t in p.terms]
        m: dict[str, object] = {
            "accuracy": _pct(sum(t.enforced for t in terms), len(terms)),
            "copied": sum(t.found for t in terms),
            "repaired": sum(t.repaired for t in terms),
            "missing": [f"{t.source} → {t.english}" for t in terms if t.missing],
            "seconds": round(seconds, 2),
            "plain_unchanged": sum(raw[i] == enforced[i] for i in plain),
            "remnants": [w for i in range(len(enforced)) for w in _remnants(enforced[i], raw[i], glossary)],
        }
        if has_refs:
            m["plain_chrf"] = round(chrf.corpus_score([enforced[i] for i in plain], [refs]).score, 2)
        if has_refs_t:
            m["terms_chrf"] = round(chrf.corpus_score([enforced[i] for i in termed], [refs_t]).score, 2)
        m["examples"] = [
            {"source": tset.sources[i], "model_input": enforcer.prepare(tset.sources[i])[0], "raw": raw[i],
             "enforced": enforced[i], "reference": tset.references[i]}
            for i in termed[:3]
        ]
        res[name] = m
    tset.results = res


def _remnants(enforced: str, raw: str, glossary: Glossary) -> list[str]:
    """Placeholder-shaped words of the enforced English that neither the raw output of the same
    sentence nor any glossary English has: a capital Q, X, J, Z or V (the placeholder letters)
    after the first letter ("QX", "LaX", "AgXZ") or standing alone ("Q X")."""
    allowed = set(re.findall(r"[^\W\d_]+", raw))
    for entry in glossary.active_entries:
        for form in entry.english_forms:
            allowed.update(re.findall(r"[^\W\d_]+", form))
    shaped = re.compile(r"[^\W\d_][QXJZV]|^[QXJZV]$")
    return [w for w in re.findall(r"[^\W\d_]+", enforced) if shaped.search(w) and w not in allowed]


def _pct(a: int, b: int) -> float | None:
    return round(100 * a / b, 1) if b else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEMO_MODEL_PATH, help="Argos package (.argosmodel)")
    parser.add_argument("--templates", type=int, default=1000, help="template sentences per template set")
    parser.add_argument("--flores-plain", type=int, default=300, help="FLORES sentences without terms to keep")
    parser.add_argument("--methods", nargs="+",
                        default=["english/english", "placeholder/verify", "placeholder/placeholder",
                                 "placeholder/english"],
                        help="NAMES/TERMS enforcement to compare: how names, and how stand-alone 'term' "
                             "entries, reach the model (english, placeholder; terms also verify). "
                             "The last one is the product default.")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "term_accuracy.json")
    args = parser.parse_args()
    if not args.model.exists():
        raise SystemExit(f"model not found: {args.model} (build it with scripts/build_test_model.py)")

    glossary = load_glossary([SHIPPED_GLOSSARY_DIR])
    enforcers = {}
    for label in args.methods:
        method, _, terms = label.partition("/")
        enforcers[label] = GlossaryEnforcer(glossary, method=method, terms=terms or "english")
    with tempfile.TemporaryDirectory() as home:
        engine = load_engine(args.model, Path(home))
        sets = [seed_set(), *template_sets(glossary, args.templates)]
        for tset in sets:
            run(engine, enforcers, tset)
        if FLORES.exists():
            flores = flores_set(args.flores_plain)
            run(engine, enforcers, flores, limit_plain=args.flores_plain)
            sets.append(flores)
    print(f"model {engine.label}; glossary {len(glossary)} entries, fingerprint {glossary.fingerprint}")
    print("term accuracy = matched source terms whose glossary English (or an accepted alternative) is in the output")
    acc = lambda v: "–" if v is None else f"{v:.1f}%"  # noqa: E731
    print(f"{'set':<22}{'sents':>6}{'terms':>6}{'raw':>8}" + "".join(f"{m:>24}" for m in args.methods)
          + f"{'  copied/repaired (' + args.methods[-1] + ')':>30}")
    for t in sets:
        r = t.results
        last = r[args.methods[-1]]
        print(f"{t.name:<22}{r['sentences']:>6}{r['terms']:>6}{acc(r['raw_accuracy']):>8}"
              + "".join(f"{acc(r[m]['accuracy']):>24}" for m in args.methods)
              + f"{str(last['copied']) + '/' + str(last['repaired']):>30}")
    print()
    print("chrF on sentences with NO glossary term (raw vs enforced; seeds have no reference: identical outputs)")
    for t in sets:
        r = t.results
        for m in args.methods:
            same = f"{r[m]['plain_unchanged']}/{r['plain_sentences']} identical"
            chrf = f"chrF {r['plain_chrf_raw']} → {r[m]['plain_chrf']}, " if "plain_chrf_raw" in r else ""
            print(f"  {t.name:<22}{m:<26}{chrf}{same}")
    print()
    print("chrF on sentences WITH terms (raw → enforced)")
    for t in sets:
        r = t.results
        if "terms_chrf_raw" in r:
            changes = (f"{m} {r['terms_chrf_raw']} → {r[m]['terms_chrf']}" for m in args.methods)
            print(f"  {t.name:<22}" + ", ".join(changes))
    print()
    for t in sets:
        rem = t.results[args.methods[-1]]["remnants"]
        shown = f" ({', '.join(rem[:8])})" if rem else ""
        print(f"placeholder remnants in the enforced English, {t.name}: {len(rem)}{shown}")
    for t in sets:
        missing = t.results[args.methods[-1]]["missing"]
        if missing:
            print(f"{t.name}: {len(missing)} still missing ({args.methods[-1]}), e.g. {', '.join(missing[:6])}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({t.name: t.results for t in sets}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"details: {args.out}")


if __name__ == "__main__":
    main()
