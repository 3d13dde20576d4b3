"""Provides `translator export ARTICLE_OR_DIR --format md|txt|bilingual|tmx|xliff`."""

from __future__ import annotations

import argparse
from pathlib import Path

from translator.commands.common import output_folder, print_error


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the sub-command to the parser."""
    p = sub.add_parser(
        "export",
        help="export reviewed work: English (md/txt), bilingual Markdown, TMX 1.4, XLIFF 1.2",
        description="Export the review state of an article (or every article of a folder). "
                    "Paragraphs the review state has no English for take it from the folder's translation "
                    "memory (after `translator batch`: its machine English). md/txt/bilingual use the "
                    "current English; tmx holds reviewed paragraphs (machine ones too, marked, with "
                    "--include-machine); xliff holds every paragraph with its review state, machine "
                    "English as needs-review-translation (import it back with `translator memory import "
                    "FILE.xlf`).",
    )
    p.add_argument("target", type=Path, metavar="ARTICLE_OR_DIR", help="an article file or a folder of articles")
    p.add_argument("--format", dest="fmt", required=True, choices=["md", "txt", "bilingual", "tmx", "xliff"])
    p.add_argument("-o", "--output", type=Path, metavar="DIR",
                   help="folder for the exports (default: beside each article)")
    p.add_argument("--glob", default="*.txt", metavar="PATTERN", help="articles of a folder (default: *.txt)")
    p.add_argument("--reviewed-only", action="store_true", help="md/txt/bilingual: only reviewed paragraphs")
    p.add_argument("--include-machine", action="store_true",
                   help="tmx: also machine English nobody reviewed, marked <prop type=\"x-origin\">machine</prop>")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Export each article; one line per written file."""
    from translator.errors import InputError
    from translator.store.export import article_files, export_article

    target: Path = args.target
    if args.output is not None:
        output_folder(args.output)
    if target.is_dir():
        articles = article_files(target, args.glob)
        if not articles:
            raise InputError(target, f"no articles match {args.glob!r}", "check the folder or pass --glob")
    elif target.exists():
        articles = [target]
    else:
        raise InputError(target, "file not found", "check the path")
    failed = 0
    for path in articles:
        try:
            done = export_article(path, args.fmt, args.output, args.reviewed_only, args.include_machine)
        except (InputError, OSError) as exc:  # one article's failure never stops the others
            failed += 1
            print_error(exc)
            continue
        kind = "units" if args.fmt in ("tmx", "xliff") else "paragraphs"
        print(f"wrote {done.path} ({done.units} {kind})")
    return 1 if failed else 0
