"""Provides `translator translate FILE [-o OUT]`: one article to English, offline."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from translator.commands.common import (
    add_device_option,
    add_retry_budget_option,
    check_output_file,
    enforcing_settings,
    run_memory,
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the sub-command to the parser."""
    p = sub.add_parser("translate", help="translate one article to English (title + paragraphs)")
    p.add_argument("file", type=Path, help="Arabic article (UTF-8 text)")
    p.add_argument("-o", "--output", metavar="FILE_OR_DIR/",
                   help="write the English to this file instead of stdout; a folder (an existing one, or a "
                        "name ending in /) gets <name>.en.md, created if missing")
    add_device_option(p)
    p.add_argument("--no-glossary", action="store_true", help="raw machine output, no glossary enforcement")
    add_retry_budget_option(p)
    p.add_argument("--no-memory", action="store_true",
                   help="do not use the folder's translation memory (exact matches, sentence by sentence too)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Translate the article and write or print the English."""
    from translator.fileio import atomic_write_text
    from translator.mt.pipeline import translate_paragraphs
    from translator.store.export import render_machine_markdown
    from translator.text.document import read_article
    from translator.workspace import Workspace

    settings = enforcing_settings(args)
    article = read_article(args.file)
    output = _output_path(args.output, args.file) if args.output is not None else None
    if output is not None:  # before the model loads: refuse overwriting an input at once
        check_output_file(output, args.file)
    workspace = Workspace(settings, args.file.parent)
    engine = workspace.engine
    # shipped glossaries + the folder's glossary.yaml
    enforcer = None if args.no_glossary else workspace.enforcer()
    paragraphs = article.translatable
    with run_memory(workspace, engine.label, enforced=enforcer is not None, wait=settings.memory_wait,
                    use=not args.no_memory, create=False) as memory:  # the folder's memory if it has one
        results = translate_paragraphs([p.text for p in paragraphs], engine, enforcer, memory)
        text = render_machine_markdown(article, {p.id: r.text for p, r in zip(paragraphs, results)}, engine.label)
        if output is not None:
            atomic_write_text(output, text)
            print(f"wrote {output} ({len(paragraphs)} paragraphs, model {engine.label})", file=sys.stderr)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    return 0


def _output_path(given: str, article: Path) -> Path:
    """`-o`: a file, or a folder (existing, or named with a trailing /) that gets `<name>.en.md`."""
    from translator.fileio import make_output_folder
    from translator.text.document import article_stem

    path = Path(given)
    if not (given.endswith(("/", os.sep)) or path.is_dir()):
        return path
    folder = make_output_folder(path, "drop the trailing / to write to that file")
    return folder / f"{article_stem(article)}.en.md"
