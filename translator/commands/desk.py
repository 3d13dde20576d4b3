"""Provides `translator desk [FILE|DIR]`: the review desk (Textual terminal UI)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from translator.commands.common import add_device_option, settings_from_args


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the sub-command to the parser."""
    p = sub.add_parser("desk", help="review articles paragraph by paragraph beside machine translation")
    p.add_argument("path", nargs="?", type=Path, default=Path("."),
                   help="an article, or a folder of articles to choose from (default: the current folder)")
    p.add_argument("-o", "--output", type=Path,
                   help="folder for <name>.en.md and <name>.review.json, created if missing "
                        "(default: next to each article)")
    p.add_argument("--arabic", choices=["visual", "logical"], default="visual",
                   help="Arabic display: visual order for terminals without bidi (default), "
                        "or logical (stored) order for terminals that reorder it; ctrl+t toggles")
    add_device_option(p)
    p.add_argument("--no-memory", action="store_true", help="do not use the folder's translation memory")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Open the desk; returns when the translator quits."""
    from translator.session import DeskOptions
    from translator.tui.factory import build_app

    settings = settings_from_args(args)
    # The Workspace (built in build_app) loads the model: a mistyped --model or a removed default
    # fails there in one line; with nothing installed the desk opens and says how to install one.
    options = DeskOptions(out_dir=args.output, arabic_display=args.arabic)
    app = build_app(args.path, settings, options=options, memory=not args.no_memory)
    app.run()
    if app.memory_report:  # the review files are saved; some memory entries are not
        print(f"translator: warning: {app.memory_report}", file=sys.stderr)
    return app.return_code or 0  # 128 + signal number after SIGTERM / SIGHUP (saved first)
