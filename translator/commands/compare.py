"""Provides `translator models compare`: the installed models side by side on one test set."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from translator.commands.common import add_test_set_options, configured_settings, print_json

if TYPE_CHECKING:
    from translator.quality.compare import Comparison


def register(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `compare` under `translator models`."""
    p = actions.add_parser(
        "compare",
        help="every installed (or named) model on the same segments: BLEU, chrF, terms, speed, memory",
        description="Translate --src with each model in its own process (glossary enforced, as the desk does) "
        "and score it against --ref: sacrebleu BLEU and chrF with signatures, glossary term accuracy, "
        "remnants (Arabic left, empty or untranslated segments), segments/s and peak RSS.",
    )
    p.add_argument("--models", metavar="A,B,...", help="models to compare (default: every installed ar->en model)")
    p.add_argument("--device", choices=["cpu", "cuda", "auto"], help="CTranslate2 device (default: cpu)")
    p.add_argument("--plot", type=Path, metavar="FILE.png", help="also draw BLEU/chrF bars (needs matplotlib)")
    add_test_set_options(p, "print the results as JSON instead of a table")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Compare and print; exit 1 when any model failed."""
    from translator.quality.compare import compare_models, plot

    settings = configured_settings(device=args.device)  # no --model: --models names them
    names = [n.strip() for n in args.models.split(",") if n.strip()] if args.models else None
    result = compare_models(settings, args.src, args.ref, names=names, glossary_paths=args.glossary,
                            no_glossary=args.no_glossary, enforce=not args.no_enforce, limit=args.limit)
    if args.plot:
        plot(result, args.plot)
    if args.json:
        print_json(result.to_json())
    else:
        _print_table(result)
    return 1 if any(r.error for r in result.runs) else 0


def _print_table(result: Comparison) -> None:
    from rich.console import Console
    from rich.table import Table

    from translator.mt.cpu import cpu_kernels

    table = Table(title=f"{result.src.name}: {result.segments} segments, glossary "
                        f"{'enforced' if result.glossary_enforced else 'not enforced'}"
                        + (f", decoding cap {result.max_decoding_length}" if result.max_decoding_length != 256 else ""))
    for column in ("model", "format", "BLEU", "chrF", "terms", "remnants", "seg/s", "peak RSS", "load"):
        table.add_column(column, justify="left" if column in ("model", "format") else "right")

    def num(value: float | None, fmt: str) -> str:
        return "-" if value is None else format(value, fmt)

    for r in result.runs:
        if r.error:
            table.add_row(r.name, "", f"[red]failed: {r.error}[/red]", "", "", "", "", "", "")
            continue
        terms = f"{r.term_accuracy:.1%} of {r.terms_matched}" if r.term_accuracy is not None else "-"
        table.add_row(r.name + (" (demo)" if r.demo else ""), r.family, num(r.bleu, ".1f"), num(r.chrf, ".1f"),
                      terms, str(r.remnants), num(r.segments_per_second, ".1f"),
                      f"{num(r.peak_rss_mib, '.0f')} MiB", f"{num(r.load_seconds, '.1f')} s")
    console = Console(width=max(Console().width, 120))
    console.print(table)
    for name, signature in result.signatures.items():
        console.print(f"{name} signature: {signature}", highlight=False)
    cpu = cpu_kernels()
    console.print(f"CPU: {cpu['cpu']} (CTranslate2 {cpu['ctranslate2']}, {cpu['isa']} kernels); each model ran in "
                  "its own process, so peak RSS includes Python ('baseline_rss_mib' in --json)", highlight=False)
    for r in result.runs:
        if r.licence and not r.error:
            console.print(f"licence of {r.name}: {r.licence}", highlight=False)
