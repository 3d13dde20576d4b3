"""Provides `translator memory list|search|forget`: see and remove translation memory entries.

Each entry is shown with its provenance (reviewed in the desk, machine with its model, imported
from which TMX/XLIFF and when, who made it), so junk can be found and removed: by id, by source
text, by origin or import file, by date.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from translator.store.memory import TranslationMemory
    from translator.store.memory_entry import MemoryEntry


def add_parsers(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the list, search and forget actions to `translator memory`."""
    listing = actions.add_parser("list", help="list entries with their origin (filters below)")
    listing.set_defaults(text=None)  # every action has args.text
    _filters(listing)
    listing.add_argument("--json", action="store_true", help="one JSON object per entry")
    search = actions.add_parser("search", help="entries whose Arabic or English contains TEXT")
    search.add_argument("text", metavar="TEXT")
    _filters(search)
    search.add_argument("--json", action="store_true", help="one JSON object per entry")
    forget = actions.add_parser("forget", help="delete entries: by --id, or by the filters (at least one)")
    forget.add_argument("--id", type=int, action="append", default=[], metavar="N", help="entry id (from list)")
    forget.add_argument("--text", metavar="TEXT", help="whose Arabic or English contains TEXT")
    _filters(forget)
    forget.add_argument("--dry-run", action="store_true", help="show what would be deleted, delete nothing")


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", metavar="ARABIC", help="entries of this source paragraph (normalised match)")
    p.add_argument("--origin", choices=["reviewed", "machine"])
    p.add_argument("--via", choices=["desk", "engine", "tmx", "xliff", "legacy"],
                   help="where entries came from: desk (accepted there), engine (machine translation "
                        "made here), tmx/xliff (imported), legacy (before provenance was kept)")
    p.add_argument("--file", metavar="PATH", help="imported from this TMX/XLIFF file (as given to the import)")
    p.add_argument("--since", metavar="DATE", help="changed at or after this ISO date/time (2026-11-30)")
    p.add_argument("--before", metavar="DATE", help="changed before this ISO date/time")
    p.add_argument("--limit", type=int, metavar="N", help="at most the N most recent entries")


def run(args: argparse.Namespace, memory: TranslationMemory) -> int:
    """List, search or forget; returns the exit status."""
    from translator.errors import InputError
    from translator.store.memory_entry import Via

    text: str | None = args.text
    via = Via(args.via) if args.via else None
    found = memory.entries(args.origin, via=via, file=args.file, since=args.since, before=args.before,
                           text=text, source=args.source, limit=args.limit)
    if args.action == "forget":
        if not (args.id or text or args.source or args.origin or via or args.file or args.since or args.before):
            raise InputError(memory.path, "forget needs --id or a filter",
                             "see the entries with `translator memory list`, then pass --id N or a filter")
        if args.id:
            wanted = set(args.id)
            found = [e for e in (found if _filtered(args) else memory.entries()) if e.id in wanted]
        for entry in found:
            print(("would forget " if args.dry_run else "forget ") + _line(entry))
        if args.dry_run:
            print(f"{len(found)} entries would be deleted from {memory.path}")
            return 0
        print(f"deleted {memory.forget(e.id for e in found)} entries from {memory.path}")
        return 0
    for entry in found:
        print(json.dumps(_json(entry), ensure_ascii=False) if args.json else _line(entry))
    if not args.json:
        print(f"{len(found)} entries in {memory.path}")
    return 0


def _filtered(args: argparse.Namespace) -> bool:
    return any((args.text, args.source, args.origin, args.via, args.file, args.since, args.before))


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _line(entry: MemoryEntry) -> str:
    """`#12 reviewed desk 2026-11-30 alice  خبراء: تركيا… → Experts: Turkey…` (plus model or file)."""
    where = entry.model if entry.origin.value == "machine" and entry.model else ""
    if entry.file:
        where = f"{entry.file} (imported {entry.imported[:10]})"
    parts = [f"#{entry.id}", entry.label, entry.via.value, entry.updated[:10], entry.creator or "-"]
    if where:
        parts.append(where)
    return "  ".join(parts) + f"\n    {_clip(entry.source, 70)}\n    → {_clip(entry.target, 70)}"


def _json(entry: MemoryEntry) -> dict[str, object]:
    return {"id": entry.id, "origin": entry.origin.value, "via": entry.via.value, "label": entry.label,
            "source": entry.source, "target": entry.target, "model": entry.model, "glossary": entry.glossary,
            "updated": entry.updated, "created": entry.created, "creator": entry.creator, "file": entry.file,
            "imported": entry.imported}
