"""Provides `translator translate FILE [-o OUT]`: one article to English, offline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from translator.commands.common import add_device_option, check_output_file, settings_from_args


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the sub-command to the parser."""
    p = sub.add_parser("translate", help="translate one article to English (title + paragraphs)")
    p.add_argument("file", type=Path, help="Arabic article (UTF-8 text)")
    p.add_argument("-o", "--output", type=Path, help="write the English here instead of stdout")
    add_device_option(p)
    p.add_argument("--no-glossary", action="store_true", help="raw machine output, no glossary enforcement")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Translate the article and write or print the English."""
    from translator.fileio import atomic_write_text
    from translator.glossary.enforce import enforcer_from_settings
    from translator.mt.models import load_engine
    from translator.mt.pipeline import translate_paragraphs
    from translator.store.export import render_machine_markdown
    from translator.text.document import read_article

    settings = settings_from_args(args)
    article = read_article(args.file)
    if args.output is not None:  # before the model loads: refuse overwriting an input at once
        check_output_file(args.output, args.file)
    engine = load_engine(settings)
    # shipped glossaries + the folder's glossary.yaml
    enforcer = None if args.no_glossary else enforcer_from_settings(settings, args.file.parent)
    paragraphs = article.translatable
    results = translate_paragraphs([p.text for p in paragraphs], engine, enforcer)
    text = render_machine_markdown(article, {p.id: r.text for p, r in zip(paragraphs, results)}, engine.label)
    if args.output:
        atomic_write_text(args.output, text)
        print(f"wrote {args.output} ({len(paragraphs)} paragraphs, model {engine.label})", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0

