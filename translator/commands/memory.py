"""Provides `translator memory import|export|stats|list|search|forget`: the project's translation memory."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from translator.store.memory import TranslationMemory


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the sub-command to the parser."""
    p = sub.add_parser("memory", help="translation memory: import/export TMX, import reviewed XLIFF, stats, "
                                      "list/search/forget entries")
    p.add_argument("--folder", type=Path,
                   help="project (articles) folder whose memory to use (default: the XLIFF's folder "
                        "for an XLIFF import, else the current folder)")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser("import", help="add a TMX as reviewed translations, or apply a reviewed XLIFF")
    imp.add_argument("file", type=Path, metavar="FILE.tmx|FILE.xlf|PROJECT",
                     help="a TMX, an XLIFF, or an OmegaT project folder (its project_save.tmx and target files)")
    imp.add_argument("--accept-translated", action="store_true",
                     help='XLIFF: take state="translated" as confirmed (reviewed), as Trados means it; '
                          "by default it is an unaccepted edit, as in this tool's own exports")
    exp = actions.add_parser("export", help="write the reviewed translations as TMX 1.4")
    exp.add_argument("file", type=Path, metavar="FILE.tmx")
    exp.add_argument("--include-machine", action="store_true", help="also machine translations never reviewed")
    actions.add_parser("stats", help="count the entries")
    from translator.commands.memory_entries import add_parsers

    add_parsers(actions)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Dispatch the memory action."""
    from translator.errors import InputError
    from translator.store.memory import TranslationMemory

    xliff = args.action == "import" and args.file.suffix.lower() in (".xlf", ".xliff")
    folder: Path = args.folder or (args.file.parent if xliff else Path("."))
    if not folder.is_dir():
        raise InputError(folder, "is not a folder", "give the folder that holds the articles")
    with TranslationMemory.for_folder(folder) as memory:
        if args.action == "export":
            from translator.store.memory_io import export_tmx

            count = export_tmx(memory, args.file, include_machine=args.include_machine)
            print(f"wrote {args.file} ({count} units) from {memory.path}")
        elif args.action in ("list", "search", "forget"):
            from translator.commands.memory_entries import run as run_entries

            return run_entries(args, memory)
        elif args.action == "import":
            return _import(args.file, folder, memory, args.accept_translated)
        else:
            counts = memory.counts()
            print(f"{memory.path}: {counts['reviewed']} reviewed, {counts['machine']} machine translations")
    return 0


def _import(path: Path, folder: Path, memory: TranslationMemory, accept_translated: bool) -> int:
    from translator.errors import InputError
    from translator.store.omegat import import_project, is_project
    from translator.store.xliff import import_xliff

    if is_project(path):
        got = import_project(path, memory)
        print(f"imported from OmegaT project {path} into {memory.path}: {got.from_tmx} units of "
              f"omegat/project_save.tmx, {got.from_targets} translated lines of target/ (as reviewed)")
        return 0
    if not path.is_file():
        raise InputError(path, "file not found", "check the path")
    if path.suffix.lower() in (".xlf", ".xliff"):
        for result in import_xliff(path, folder, memory=memory, accept_translated=accept_translated):
            print(f"{result.article}: {result.reviewed} reviewed, {result.edited} edited, "
                  f"{result.unchanged} unchanged, {len(result.skipped)} skipped")
            if result.confirmed_machine:
                print(f"  {result.confirmed_machine} units are state=\"translated\" with the machine English "
                      "unchanged: left as machine (pass --accept-translated to take them as reviewed)")
            for line in result.skipped:
                print(f"  skipped {line}")
        return 0
    if path.suffix.lower() != ".tmx":
        raise InputError(path, "unknown file type", "give a .tmx or an .xlf/.xliff file")
    from translator.store.memory_io import import_tmx

    done = import_tmx(memory, path)
    print(f"imported {done.added} units from {path} into {memory.path} "
          f"({done.reviewed} reviewed, {done.machine} machine: kept as machine)")
    return 0
