"""Provides the translation memory's table layout and the SQL that reads it: the schema (version 2,
with provenance columns), the columns of an entry, a row as a MemoryEntry, and the listing filters.
The store itself (connection, migration, locking) is translator.store.memory.
"""

from __future__ import annotations

from enum import Enum

from translator.store.memory_entry import MemoryEntry, Origin, Via, source_key

#: Version of the table layout; older databases are migrated on open.
SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS segments (
    key      TEXT NOT NULL,          -- normalised source, the lookup key
    origin   TEXT NOT NULL CHECK (origin IN ('machine', 'reviewed')),
    model    TEXT NOT NULL DEFAULT '',  -- model label ('' for reviewed)
    glossary TEXT NOT NULL DEFAULT '',  -- glossary fingerprint ('' for reviewed or none)
    source   TEXT NOT NULL,          -- the source paragraph as last seen
    target   TEXT NOT NULL,
    updated  TEXT NOT NULL,
    PRIMARY KEY (key, origin, model, glossary)
);
"""
#: Provenance columns added by schema 2 (name, declaration).
PROVENANCE = (
    ("created", "TEXT NOT NULL DEFAULT ''"),   # when the translation was first made (ISO, UTC)
    ("creator", "TEXT NOT NULL DEFAULT ''"),   # who made it (user id; TMX creationid)
    ("via", "TEXT NOT NULL DEFAULT 'legacy'"),  # a Via value
    ("file", "TEXT NOT NULL DEFAULT ''"),      # imported from this TMX/XLIFF file ('' if not imported)
    ("imported", "TEXT NOT NULL DEFAULT ''"),  # when it was imported (ISO, UTC)
)
COLUMNS = "rowid, source, target, origin, model, glossary, updated, created, creator, via, file, imported"


def row_entry(row: tuple[object, ...]) -> MemoryEntry:
    """A `SELECT COLUMNS` row as an entry."""
    rowid, source, target, origin, model, glossary, updated, created, creator, via, file, imported = row
    return MemoryEntry(str(source), str(target), Origin(origin), str(model), str(glossary), str(updated),
                       str(created), str(creator), Via(via), str(file), str(imported), int(rowid))  # type: ignore[call-overload]


def sql_filters(origin: Origin | str | None, via: Via | None, file: str | None, since: str | None,
                before: str | None, text: str | None, source: str | None) -> tuple[list[str], list[object]]:
    """The WHERE clauses and their arguments of `TranslationMemory.entries`' filters."""
    where: list[str] = []
    args: list[object] = []
    for column, value in (("origin", origin), ("via", via), ("file", file)):
        if value is not None:
            where.append(f"{column}=?")
            args.append(value.value if isinstance(value, Enum) else value)
    if since:
        where.append("updated>=?")
        args.append(since)
    if before:
        where.append("updated<?")
        args.append(before)
    if text:
        where.append("(instr(lower(target), ?) > 0 OR instr(key, ?) > 0)")
        args += [text.lower(), source_key(text)]
    if source is not None:
        where.append("key=?")
        args.append(source_key(source))
    return where, args
