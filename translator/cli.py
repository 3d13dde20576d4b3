"""Provides the `translator` command line: parse arguments, call the domain, map errors to one line.

Each sub-command lives in `translator/commands/<name>.py` with `register(subparsers)`; modules
import heavy libraries inside their run functions so `translator --help` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from translator import __version__
from translator.errors import TranslatorError, describe_os_error

#: Sub-command modules in `translator.commands`, in help order.
COMMANDS = ("desk", "translate", "batch", "models", "glossary", "memory", "export", "qa", "evaluate", "report")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="translator",
        description="Offline machine-assisted Arabic->English translation desk.",
    )
    parser.add_argument("--version", action="version", version=f"translator {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"translator.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code (0 ok, 1 failure, 2 usage)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    parser = build_parser()
    parser.set_defaults(func=None)  # each sub-command's parser sets its own
    args = parser.parse_args(argv)
    if args.func is None:
        parser.print_help()
        return 2
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # inside the try, so a closed pipe is handled here, not at exit
        return code
    except TranslatorError as exc:
        for line in str(exc).splitlines() or [type(exc).__name__]:
            print(f"translator: error: {line}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except OSError as exc:
        # A file the command had to write or read failed (disk full, no permission, a file where a
        # folder should be...): one line, what and where and what to do, never a traceback.
        print(f"translator: error: {describe_os_error(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("translator: interrupted; finished work was saved", file=sys.stderr)
        return 130
