"""Provides `translator export ARTICLE_OR_DIR --format md|txt|bilingual|tmx|xliff|omegat`."""

from __future__ import annotations

import argparse
from pathlib import Path

from translator.commands.common import add_glossary_options, output_folder, print_error


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the sub-command to the parser."""
    p = sub.add_parser(
        "export",
        help="export reviewed work: English (md/txt), bilingual Markdown, TMX 1.4, XLIFF 1.2",
        description="Export the review state of an article (or every article of a folder). "
                    "Paragraphs the review state has no English for take it from the folder's translation "
                    "memory (after `translator batch`: its machine English). md holds the reviewed English "
                    "(unreviewed paragraphs in HTML comments; --draft: all of it); txt/bilingual use the "
                    "current English; tmx holds reviewed paragraphs (machine ones too, marked, with "
                    "--include-machine); xliff holds every paragraph with its review state, machine "
                    "English as needs-review-translation (import it back with `translator memory import "
                    "FILE.xlf`). omegat writes one ready OmegaT project at -o PROJECT: the articles, "
                    "reviewed work as the project's memory, machine drafts as a reference TMX, the glossary "
                    "(bring it back with `translator memory import PROJECT`).",
    )
    p.add_argument("target", type=Path, metavar="ARTICLE_OR_DIR", help="an article file or a folder of articles")
    p.add_argument("--format", dest="fmt", required=True, choices=["md", "txt", "bilingual", "tmx", "xliff", "omegat"])
    p.add_argument("-o", "--output", type=Path, metavar="DIR",
                   help="folder for the exports (default: beside each article); omegat: the project folder")
    p.add_argument("--reviews", type=Path, metavar="DIR",
                   help="folder holding the <name>.review.json files (the desk's -o folder; default: beside "
                        "each article)")
    p.add_argument("--glob", default="*.txt", metavar="PATTERN", help="articles of a folder (default: *.txt)")
    p.add_argument("--reviewed-only", action="store_true", help="md/txt/bilingual: only reviewed paragraphs")
    p.add_argument("--include-machine", action="store_true",
                   help="tmx: also machine English nobody reviewed, marked <prop type=\"x-origin\">machine</prop>")
    p.add_argument("--draft", action="store_true",
                   help="md: every paragraph's current English as text (default: reviewed paragraphs only, "
                        "unreviewed ones in HTML comments)")
    add_glossary_options(p)
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
    if args.fmt == "omegat":
        return _omegat(args, articles)
    failed = 0
    for path in articles:
        try:
            done = export_article(path, args.fmt, args.output, args.reviewed_only, args.include_machine,
                                 args.draft, args.reviews)
        except (InputError, OSError) as exc:  # one article's failure never stops the others
            failed += 1
            print_error(exc)
            continue
        kind = "units" if args.fmt in ("tmx", "xliff") else "paragraphs"
        print(f"wrote {done.path} ({done.units} {kind})")
    return 1 if failed else 0


def _omegat(args: argparse.Namespace, articles: list[Path]) -> int:
    """Write the OmegaT project for `articles`."""
    from translator.commands.common import configured_settings, glossary_from_args
    from translator.errors import InputError
    from translator.store.omegat import export_project

    if args.output is None:
        raise InputError(args.target, "--format omegat needs -o PROJECT", "give the folder of the OmegaT project")
    glossary = glossary_from_args(args, configured_settings(), articles[0].parent)
    done = export_project(articles, args.output, glossary)
    print(f"wrote OmegaT project {done.project}: {done.articles} articles, {done.reviewed} reviewed units "
          f"(omegat/project_save.tmx), {done.machine} machine drafts (tm/translator-machine.tmx, reference "
          f"only), {done.terms} glossary lines")
    return 0
