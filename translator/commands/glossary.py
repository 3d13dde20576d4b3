"""Provides `translator glossary check|add|unavoid|match`: validate, extend and try out glossaries."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

#: File of the shipped glossary folder that `add` writes each type to by default.
TYPE_FILES = {
    "person": "people.yaml", "place": "places.yaml", "organisation": "organisations.yaml", "term": "terms.yaml",
}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the sub-command to the parser."""
    p = sub.add_parser("glossary", help="check, extend and try out glossaries of names and terms")
    gsub = p.add_subparsers(dest="glossary_command", metavar="ACTION")
    check = gsub.add_parser("check", help="validate glossary files (default: the configured glossaries)")
    check.add_argument("files", nargs="*", type=Path, help="glossary files or folders (later ones override earlier)")
    check.set_defaults(func=run_check)
    add = gsub.add_parser("add", help="append an entry, keeping the file's comments and order")
    add.add_argument("--ar", required=True, action="append", help="Arabic form (repeat for spelling variants)")
    add.add_argument("--en", required=True, help="preferred English")
    add.add_argument("--type", choices=list(TYPE_FILES),
                     help="default: term for a new entry; an extended entry keeps its own")
    add.add_argument("--alt", action="append", default=[], help="accepted English alternative (repeatable)")
    add.add_argument("--avoid", action="append", default=[], metavar="TEXT",
                     help="known wrong English rendering the model must not produce, QA flags (repeatable; "
                          "take one out with `glossary unavoid`)")
    add.add_argument("--note", default="", help="note for translators")
    add.add_argument("--file", type=Path,
                     help="glossary file to extend (default: in the configured glossary folder, the file that "
                          "already holds the Arabic, else the type's file)")
    add.set_defaults(func=run_add)
    unavoid = gsub.add_parser("unavoid", help="take renderings out of an entry's avoid list, keeping the file's "
                                              "comments and order")
    unavoid.add_argument("--ar", required=True, action="append", help="Arabic form of the entry")
    unavoid.add_argument("--avoid", required=True, action="append", metavar="TEXT",
                         help="avoided rendering to take out, any case (repeatable)")
    unavoid.add_argument("--file", type=Path,
                         help="glossary file of the entry (default: in the configured glossary folder, the file "
                              "that holds the Arabic)")
    unavoid.set_defaults(func=run_unavoid)
    match = gsub.add_parser("match", help="show the glossary terms found in an Arabic file")
    match.add_argument("file", type=Path, help="Arabic text file")
    match.add_argument("--glossary", type=Path, action="append", help="glossary file or folder (default: configured)")
    match.set_defaults(func=run_match)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def run_check(args: argparse.Namespace) -> int:
    """Validate and print a summary; every problem on its own "file:line:col: message" line."""
    from translator.config import load_settings
    from translator.errors import GlossaryError
    from translator.glossary.layers import load_glossary

    paths = list(args.files) or list(load_settings().glossary_paths)
    try:
        glossary = load_glossary(paths)
    except GlossaryError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"glossary check: {len(exc.problems)} problem(s); fix them and run again", file=sys.stderr)
        return 1
    for notice in glossary.overrides:
        print(f"note: {notice}")
    counts = ", ".join(f"{n} {t}" for t, n in glossary.counts().items())
    print(f"ok: {len(glossary.active_entries)} entries in {len(glossary.files)} file(s) ({counts}); "
          f"fingerprint {glossary.fingerprint}")
    return 0


def run_add(args: argparse.Namespace) -> int:
    """Append one entry, or extend the file's own entry for the same Arabic and English
    (glossary.adding.add_term decides, as for the desk; validated before the atomic write)."""
    from translator.config import load_settings
    from translator.glossary.adding import add_term
    from translator.glossary.layers import file_holding, folder_layers

    settings = load_settings()
    path = args.file
    if path is None:
        first = Path(settings.glossary_paths[0])
        folder = first.is_dir() or not first.suffix
        held = file_holding(first, args.ar)
        path = held or (first / TYPE_FILES[args.type or "term"] if folder else first)
    added = add_term(folder_layers(settings, Path(path).parent), Path(path), args.ar, args.en, args.type, args.alt,
                     args.note, args.avoid)
    entry = added.entry
    line = (f"{'extended' if added.extended else 'added to'} {entry.where}: "
            f"{' / '.join(entry.ar)} → {entry.en} ({entry.type})")
    if entry.avoid:
        line += f"; avoid: {', '.join(entry.avoid)}"
    if added.overridden is not None:
        line += f"; it overrides {added.overridden.where} ({added.overridden.en})"
        if added.kept_alternatives:
            line += f", whose English is kept as alternatives: {', '.join(added.kept_alternatives)}"
    print(line)
    if added.shadowed_by is not None:
        print(f"note: {added.shadowed_by.where} ({added.shadowed_by.en}) is a later layer and still overrides it")
    return 0


def run_unavoid(args: argparse.Namespace) -> int:
    """Take avoided renderings out of an entry (glossary.yaml_edit.remove_avoid)."""
    from translator.config import load_settings
    from translator.errors import GlossaryError
    from translator.glossary.layers import file_holding
    from translator.glossary.yaml_edit import remove_avoid

    path = args.file
    if path is None:
        first = Path(load_settings().glossary_paths[0])
        path = file_holding(first, args.ar)
        if path is None:
            raise GlossaryError([f"{first}: no entry for {args.ar[0]} in the configured glossary; "
                                 "give the file that holds it with --file"])
    entry, removed = remove_avoid(path, args.ar, args.avoid)
    left = f"avoid: {', '.join(entry.avoid)}" if entry.avoid else "it avoids nothing now"
    print(f"{entry.where}: {' / '.join(entry.ar)} → {entry.en} no longer avoids {', '.join(removed)}; {left}")
    return 0


def run_match(args: argparse.Namespace) -> int:
    """Print each paragraph's glossary matches: Arabic as written → English."""
    from translator.config import load_settings
    from translator.fileio import read_user_text
    from translator.glossary.layers import load_for_folder, load_glossary

    text = read_user_text(args.file)
    glossary = load_glossary(args.glossary) if args.glossary else load_for_folder(load_settings(), args.file)
    total = 0
    for number, line in enumerate(text.splitlines(), 1):
        matches = glossary.match(line)
        if not matches:
            continue
        total += len(matches)
        found = "; ".join(f"{line[m.word_start:m.end]} → {m.entry.en}" for m in matches)
        print(f"{args.file}:{number}: {found}")
    print(f"{total} term(s) matched, glossary {glossary.fingerprint}")
    return 0
