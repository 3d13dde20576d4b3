"""Provides atomic writes and careful reading of user text files."""

from __future__ import annotations

import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from translator.errors import InputError

#: Articles above this size are refused rather than read into memory.
MAX_TEXT_BYTES = 20 * 1024 * 1024


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to `path` so readers see the old or the new file, never a partial one.

    Writes a temp file in the same folder, fsyncs it, renames it over `path`, then fsyncs the
    folder so the rename survives a crash.
    """
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Byte version of `atomic_write_text`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes 0600 files; keep the replaced file's mode, else the usual 0644.
        os.fchmod(fd, path.stat().st_mode & 0o7777 if path.exists() else 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def read_user_text(path: Path, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """Read a UTF-8 text file a user gave us, or raise InputError saying exactly why not.

    Accepts a BOM and CRLF/LF (returned unchanged apart from the BOM). Refuses a missing path,
    a folder, a file over `max_bytes`, a binary file (NUL bytes), invalid UTF-8 (with the
    byte offset) and an empty or whitespace-only file.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found", "check the path")
    if path.is_dir():
        raise InputError(path, "is a folder, not a file", "give an article file, or use `translator batch` for folders")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(path, f"file is {size} bytes, over the {max_bytes}-byte limit", "split the article")
        data = path.read_bytes()
    except PermissionError:
        raise InputError(path, "permission denied", "check the file's permissions") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from None
    if b"\x00" in data[:8192]:
        raise InputError(path, "looks binary (contains NUL bytes), not a text article", "give a UTF-8 .txt file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"not valid UTF-8 at byte {exc.start}",
            "re-save the file as UTF-8, e.g. iconv -f cp1256 -t utf-8",
        ) from None
    if not text.strip():
        raise InputError(path, "is empty", "nothing to translate")
    return text


def read_xml_root(path: Path, hint: str) -> ET.Element:
    """Parse an XML file a user gave us; InputError (with line and column) if it can't be.

    Args:
        path: the file.
        hint: what to do about malformed XML, e.g. "fix or re-export the TMX".
    """
    path = Path(path)
    try:
        return ET.parse(path).getroot()
    except FileNotFoundError:
        raise InputError(path, "file not found", "check the path") from None
    except ET.ParseError as exc:
        line, column = exc.position
        raise InputError(path, f"not well-formed XML at line {line}, column {column}", hint) from None
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from None
