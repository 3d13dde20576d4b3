"""Provides `translator evaluate`: sacrebleu BLEU/chrF/TER, term accuracy and speed on a test set."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from translator.commands.common import (
    add_device_option,
    add_test_set_options,
    glossary_from_args,
    print_json,
    settings_from_args,
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the sub-command to the parser."""
    p = sub.add_parser(
        "evaluate",
        help="score the installed model (or a translation) on an aligned test set with sacrebleu",
        description="Translate --src with the installed model (glossary enforced) and score it against "
        "--ref with sacrebleu BLEU, chrF and TER, printing each metric's signature, glossary term "
        "accuracy and speed. With --hyp, score that translation instead.",
    )
    p.add_argument("--hyp", type=Path, help="score this English translation instead of translating")
    add_device_option(p)
    p.add_argument("--save-hyp", type=Path, metavar="PATH", help="write the translations here, one per line")
    add_test_set_options(p, "print the results as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Evaluate and print the figures."""
    from translator.fileio import atomic_write_text
    from translator.quality.evaluate import evaluate
    from translator.workspace import Workspace

    settings = settings_from_args(args)
    if args.glossary and not args.no_glossary:
        settings = settings.with_(glossary_paths=tuple(args.glossary))
    glossary = glossary_from_args(args, settings)
    engine = enforcer = None
    if args.hyp is None:
        workspace = Workspace(settings, None)  # a test set: the configured glossaries, no project folder
        engine = workspace.engine
        if not (args.no_enforce or args.no_glossary):
            enforcer = workspace.enforcer()
    result = evaluate(args.src, args.ref, hyp=args.hyp, engine=engine, enforcer=enforcer,
                      glossary=glossary, limit=args.limit)
    if args.save_hyp:
        atomic_write_text(args.save_hyp, "\n".join(result.hypotheses) + "\n")
    if args.json:
        data = result.to_json()
        data["glossary_enforced"] = None if args.hyp else enforcer is not None
        print_json(data)
        return 0
    source = f"model {result.model}" if result.model else f"translation {args.hyp}"
    print(f"{result.segments} segments, {source}" + ("" if args.hyp else
          f", glossary {'enforced' if enforcer is not None else 'not enforced'}"))
    for metric in result.scores.all():
        print(metric.format())
    if result.terms is not None:
        t = result.terms
        shown = f"{t.accuracy:.1%}" if t.accuracy is not None else "n/a"
        print(f"glossary term accuracy: {shown} ({t.correct}/{t.matched} matched terms; "
              f"{t.preferred} preferred, {t.accepted} accepted variants)")
        for number, surface, english in t.missed[:5]:
            print(f"  missed: segment {number}: {surface} → {english}")
        if len(t.missed) > 5:
            print(f"  … {len(t.missed) - 5} more missed terms (see --json)")
    if result.seconds is not None:
        print(f"speed: {result.segments_per_second:.1f} segments/s "
              f"({result.seconds:.2f} s translating, {result.load_seconds:.2f} s loading the model)")
    if engine is not None and engine.is_demo:
        print("note: the demo model is a tiny test model; its scores say nothing about real quality",
              file=sys.stderr)
    return 0

