"""Provides the options and output helpers that several sub-commands share.

Kept light: heavy modules are imported inside the functions so `translator --help` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from translator.config import Settings
    from translator.glossary.layers import Glossary
    from translator.store.memory import TranslationMemory
    from translator.workspace import Workspace


def add_device_option(p: argparse.ArgumentParser) -> None:
    """--device and --model, for commands that load the model."""
    p.add_argument("--device", choices=["cpu", "cuda", "auto"], help="CTranslate2 device (default: cpu)")
    p.add_argument("--model", metavar="NAME",
                   help="installed model to use (default: `translator models use`, else the best Argos package)")


def settings_from_args(args: argparse.Namespace) -> Settings:
    """The configured settings with the command's --device and --model (its parser has add_device_option)."""
    return configured_settings(args.device, args.model)


def configured_settings(device: str | None = None, model: str | None = None) -> Settings:
    """The settings from the environment, with a --device and a --model given on the command line."""
    from translator.config import load_settings

    settings = load_settings()
    if model:
        settings = settings.with_(model=model)
    return settings.with_(device=device) if device else settings


def add_glossary_options(p: argparse.ArgumentParser) -> None:
    """--glossary / --no-glossary, shared by qa, report, export, evaluate and models compare."""
    p.add_argument("--glossary", type=Path, action="append", metavar="PATH",
                   help="glossary file or folder (repeatable; default: the configured glossaries)")
    p.add_argument("--no-glossary", action="store_true", help="skip glossary term checks")


def add_test_set_options(p: argparse.ArgumentParser, json_help: str) -> None:
    """A scored test set (evaluate, models compare): --src, --ref, --limit, --no-enforce, --json and
    the glossary options."""
    p.add_argument("--src", type=Path, required=True, help="Arabic source, one segment per line")
    p.add_argument("--ref", type=Path, required=True, help="English reference, aligned with --src")
    p.add_argument("--limit", type=int, metavar="N", help="use only the first N segments")
    p.add_argument("--no-enforce", action="store_true", help="raw model output, no glossary enforcement")
    p.add_argument("--json", action="store_true", help=json_help)
    add_glossary_options(p)


def add_reviewed_options(p: argparse.ArgumentParser, metavar: str, json_help: str) -> None:
    """Saved review state to read (qa, report): the article or folder, --json and the glossary options."""
    p.add_argument("path", type=Path, metavar=metavar, help="an article, its .review.json, or a folder")
    p.add_argument("--json", action="store_true", help=json_help)
    add_glossary_options(p)


def glossary_from_args(args: argparse.Namespace, settings: Settings, folder: Path | None = None) -> Glossary | None:
    """The glossary chosen on the command line (default: configured + project glossary of `folder`), or None."""
    if args.no_glossary:
        return None
    from translator.workspace import Workspace

    return Workspace(settings, folder).qa_glossary(args.glossary)


def reviewed_articles(path: Path) -> list[Path]:
    """Articles under `path` with saved review state; InputError when there are none."""
    from translator.errors import InputError
    from translator.store.review import find_reviewed

    found = find_reviewed(path)
    if not found:
        raise InputError(path, "no reviewed articles (no *.review.json) in this folder",
                         "translate or review articles first")
    return found


def reviewed_inputs(args: argparse.Namespace) -> tuple[list[Path], Glossary | None]:
    """The reviewed articles under `args.path` and the glossary to check them with (qa, report)."""
    paths = reviewed_articles(args.path)
    return paths, glossary_from_args(args, configured_settings(), folder_of(args.path))


def folder_of(path: Path) -> Path:
    """`path` if it is a folder, else the folder holding it (where its project glossary lives)."""
    return path if path.is_dir() else path.parent


def print_json(data: object) -> None:
    """Machine-readable output: UTF-8 text kept readable (Arabic unescaped), one trailing newline."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    print()


def print_error(exc: Exception) -> None:
    """One failed file's line on stderr, in the CLI's error format, while the command goes on."""
    from translator.errors import describe_os_error

    print(f"translator: error: {describe_os_error(exc) if isinstance(exc, OSError) else exc}", file=sys.stderr)


def stderr_line(line: str) -> None:
    """Print one line on stderr."""
    print(line, file=sys.stderr)


@contextmanager
def run_memory(workspace: Workspace, model: str, *, enforced: bool, wait: float, use: bool = True,
               create: bool = True, say: Callable[[str], None] = stderr_line) -> Iterator[TranslationMemory | None]:
    """The folder's translation memory for a translate or batch run, closed at the end.

    None with use=False (--no-memory), when it cannot be opened (a read-only folder, a damaged
    header: a warning, and the run goes on without it) or, with create=False, when the folder has
    none. `say` hears when another process holds the memory (the run's entries queue); when the
    body ends normally, its English written, the queued entries are saved, waiting at most `wait`
    seconds (a status line; one warning line for what is given up). A memory found damaged during
    the run is reported.
    """
    from translator.errors import InputError
    from translator.store.memory import memory_path

    if not use or workspace.folder is None or not create and not memory_path(workspace.folder).is_file():
        yield None
        return
    try:
        memory = workspace.open_memory(model, enforced=enforced)
    except InputError as exc:
        say(f"translator: warning: {exc}; going on without the translation memory")
        yield None
        return
    memory.on_busy = lambda line: say(f"translator: {line}")
    try:
        yield memory
        skipped = memory.settle(wait, lambda line: say(f"translator: {line}"))
        if skipped:
            say(f"translator: warning: {skipped}")
    finally:
        if memory.degraded:
            say(f"translator: warning: {memory.degraded}; this run went on without the translation memory")
        memory.close()


def output_folder(path: Path) -> Path:
    """`path` as a folder for outputs (batch, export -o): created when missing; InputError when it is a file."""
    from translator.fileio import make_output_folder

    return make_output_folder(path, "give a folder for the outputs with -o (it is created)")


def check_output_file(output: Path, source: Path) -> None:
    """Refuse an output file that would overwrite an input: the article itself (by any name or
    link), or a name of the article set in the article's folder (`*.txt` that is not one of ours).
    """
    import os

    from translator.errors import InputError
    from translator.store.export import SUFFIXES
    from translator.text.document import article_stem

    if output.is_dir():
        raise InputError(output, "is a folder", "give a file name for the English, e.g. -o article.en.md")
    hint = f"give another name, e.g. -o {article_stem(source)}.en.md"
    try:
        same = output.exists() and os.path.samefile(output, source)
    except OSError:
        same = False
    if same:
        raise InputError(output, "is the Arabic article itself; the English would overwrite it", hint)
    in_set = output.name.endswith(".txt") and not output.name.endswith(tuple(SUFFIXES.values()))
    if in_set and os.path.realpath(output.parent) == os.path.realpath(source.parent):
        raise InputError(output, "is an article name of the input folder; the English would overwrite "
                         "an Arabic article or be taken for one", hint)


def add_retry_budget_option(p: argparse.ArgumentParser) -> None:
    """--retry-budget SHARE, for commands that enforce the glossary (translate, batch)."""
    from translator.config import DEFAULT_RETRY_BUDGET

    p.add_argument("--retry-budget", type=_retry_share, metavar="SHARE",
                   help="sentences that lost a glossary term are re-translated clause by clause, adding at "
                        f"most this share of each article's decoding (default {DEFAULT_RETRY_BUDGET:g}; 0: no "
                        "retry); they stop early when the first retry wins nothing back")


def enforcing_settings(args: argparse.Namespace) -> Settings:
    """`settings_from_args` plus the --retry-budget of a command that enforces the glossary
    (its parser has add_device_option and add_retry_budget_option)."""
    settings = settings_from_args(args)
    return settings.with_(retry_budget=args.retry_budget) if args.retry_budget is not None else settings


def _retry_share(text: str) -> float:
    from translator.config import retry_share

    try:
        return retry_share(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
