"""Provides parse_cached: a big glossary file parsed once, then read back from a compiled cache.

Parsing YAML with line numbers and validating every entry costs seconds per 10,000 entries
(72,000 entries: ~9 s and ~350 MB). The result of parsing a file (its entries and its
problems) depends only on its bytes, its name and the parser's code, so it is kept as JSON
under the user's cache folder, keyed by a hash of those three: an edited file, a renamed one
or a new version of the parser misses the cache and is parsed again. Small files (the shipped
ones, a project's glossary.yaml) are parsed directly. A cache that cannot be read or written
is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from functools import cache
from pathlib import Path

from translator.fileio import atomic_write_text
from translator.glossary import yaml_file
from translator.glossary.yaml_file import GlossaryEntry, ParsedFile, parse_file, parse_text
from translator.text import arabic

#: Files smaller than this are parsed directly (the cache would not pay for itself).
CACHE_MIN_BYTES = 256 * 1024
FORMAT = 2


def cache_dir() -> Path:
    """Where compiled glossaries live: TRANSLATOR_HOME/cache, else XDG_CACHE_HOME or ~/.cache."""
    home = os.environ.get("TRANSLATOR_HOME")
    if home:
        return Path(home) / "cache" / "glossary"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "translator" / "glossary"


@cache
def _code_version() -> str:
    digest = hashlib.sha256(str(FORMAT).encode())
    for module in (yaml_file, arabic):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


def parse_cached(path: Path) -> ParsedFile:
    """`parse_file(path)`, from the compiled cache when the file is big and unchanged."""
    path = Path(path)
    try:
        if path.stat().st_size < CACHE_MIN_BYTES:
            return parse_file(path)
        data = path.read_bytes()
    except OSError:
        return parse_file(path)  # it reports the problem
    key = hashlib.sha256(f"{_code_version()}\0{path}\0".encode() + data).hexdigest()
    cached = cache_dir() / f"{key}.json"
    try:
        stored = json.loads(cached.read_text(encoding="utf-8"))
        return ParsedFile(path, [GlossaryEntry(ar=tuple(e[0]), en=e[1], type=e[2], alt=tuple(e[3]), note=e[4],
                                               file=e[5], line=e[6], avoid=tuple(e[7])) for e in stored["entries"]],
                          list(stored["problems"]))
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        pass
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return parse_file(path)
    parsed = parse_text(text, path)
    rows = [[list(e.ar), e.en, e.type, list(e.alt), e.note, e.file, e.line, list(e.avoid)] for e in parsed.entries]
    with contextlib.suppress(OSError):  # no cache: slower next time, nothing else
        atomic_write_text(cached, json.dumps({"entries": rows, "problems": parsed.problems}, ensure_ascii=False))
    return parsed
