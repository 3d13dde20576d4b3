"""Provides `translator report ARTICLE_OR_DIR`: post-edit metrics of reviewed work."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from translator.commands.common import (
    add_reviewed_options,
    print_error,
    print_json,
    reviewed_inputs,
)

if TYPE_CHECKING:
    from translator.quality.postedit import PostEdit


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the sub-command to the parser."""
    p = sub.add_parser(
        "report",
        help="post-edit metrics of reviewed work: share edited, TER/chrF machine→final, terms, QA left",
        description="For each article with a <name>.review.json, and in total: how many paragraphs "
        "reviewers worked on and changed, TER and chrF from the machine output to the final English, "
        "glossary terms right in the machine output and in the final English, and QA findings left.",
    )
    add_reviewed_options(p, "ARTICLE_OR_DIR", "print the figures as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Compute and print the report."""
    from translator.quality.postedit import report, score_signatures

    paths, glossary = reviewed_inputs(args)
    failed: list[Path] = []

    def skip(path: Path, exc: Exception) -> None:  # one bad file does not hide the rest
        print_error(exc)
        failed.append(path)

    per_article, total = report(paths, glossary, on_error=skip if len(paths) > 1 else None)
    if args.json:
        print_json({"articles": [r.to_json() for r in per_article], "total": total.to_json(),
                    "signatures": score_signatures()})
        return 1 if failed else 0
    rows = [_row(r.article.name if r.article else "", r) for r in per_article]
    if len(per_article) > 1:
        rows.append(_row("total", total))
    header = ("article", "paras", "reviewed", "edited", "TER", "chrF", "terms mt→final", "QA err/warn")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        print("  ".join(cells).rstrip())
    signatures = score_signatures()
    print("reviewed = paragraphs edited or accepted by a person; edited = of those, changed from the machine output")
    print(f"TER|{signatures['ter']}  chrF2|{signatures['chrf']} (machine output scored against the final English)")
    return 1 if failed else 0


def _row(name: str, r: PostEdit) -> tuple[str, ...]:
    share = f"{r.changed}/{r.post_edited} ({r.edited_share:.0%})" if r.post_edited else "0/0"
    terms = "-"
    if r.terms_matched is not None:
        terms = f"{r.terms_machine}/{r.terms_matched} → {r.terms_final}/{r.terms_matched}"
    ter = "-" if r.ter is None else f"{r.ter:.1f}"
    chrf = "-" if r.chrf is None else f"{r.chrf:.1f}"
    return (name, str(r.paragraphs), str(r.post_edited), share, ter, chrf, terms, f"{r.qa_errors}/{r.qa_warnings}")
