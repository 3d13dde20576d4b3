"""Provides `translator qa FILE_OR_DIR`: QA findings on saved review state, exit 1 on errors."""

from __future__ import annotations

import argparse

from translator.commands.common import (
    add_reviewed_options,
    print_error,
    print_json,
    reviewed_inputs,
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the sub-command to the parser."""
    p = sub.add_parser(
        "qa",
        help="check reviewed translations: glossary terms, numbers, Arabic left, empty, length, brackets",
        description="Check the English saved in <name>.review.json beside each article. "
        "Exit code 0 when there are no errors (warnings allowed), 1 otherwise.",
    )
    add_reviewed_options(p, "FILE_OR_DIR", "print findings as JSON")
    p.add_argument("--all", action="store_true",
                   help="also report paragraphs with no English yet (as empty targets)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check every reviewed article and print findings; 1 if any is an error."""
    from translator.errors import TranslatorError
    from translator.quality.qa import check_review, summarize
    from translator.store.review import load_review
    from translator.text.document import read_article

    articles, glossary = reviewed_inputs(args)
    results = []
    failed = 0
    for path in articles:
        try:
            article = read_article(path)
            findings = check_review(article, load_review(path), glossary=glossary, include_new=args.all)
        except TranslatorError as exc:
            if len(articles) == 1:
                raise
            print_error(exc)  # one bad file does not hide the rest
            failed += 1
            continue
        results.append((path, findings))
    counts = summarize(f for _, fs in results for f in fs)
    errors, warnings = counts.get("error", 0), counts.get("warning", 0)
    if args.json:
        print_json({
            "articles": [{"article": str(p), "findings": [f.to_json() for f in fs]} for p, fs in results],
            "errors": errors,
            "warnings": warnings,
        })
    else:
        for path, findings in results:
            for f in findings:
                print(f"{path}:{f.line}: {f.severity.value} {f.kind.value}: {f.message}")
        if errors or warnings:
            print(f"{len(results)} article(s): {_plural(errors, 'error')}, {_plural(warnings, 'warning')}")
        else:
            print(f"{len(results)} article(s): no findings")
    return 1 if errors or failed else 0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
