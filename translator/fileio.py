"""Provides atomic writes and careful reading of user text files."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from translator.errors import InputError, WriteFailed

#: Articles above this size are refused rather than read into memory.
MAX_TEXT_BYTES = 20 * 1024 * 1024


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to `path` so readers see the old or the new file, never a partial one.

    Writes a temp file in the same folder, fsyncs it, renames it over `path`, then fsyncs the
    folder so the rename survives a crash.
    """
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Byte version of `atomic_write_text`.

    Raises:
        WriteFailed: (an OSError) the write failed (disk full, no permission, a file where a folder should be);
            its filename is `path` (not the temp file), and `path` is left as it was.
    """
    path = Path(path)
    try:
        _atomic_write(path, data)
    except OSError as exc:
        raise WriteFailed(exc.errno, exc.strerror, str(path)) from None


def _atomic_write(path: Path, data: bytes) -> None:
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


def make_output_folder(folder: Path, file_in_the_way: str) -> Path:
    """Create `folder` for outputs (parents too); a file in the way or a failed mkdir is one InputError."""
    if folder.exists() and not folder.is_dir():
        raise InputError(folder, "is a file, not a folder", file_in_the_way)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(folder, f"cannot create the output folder ({exc.strerror})",
                         "check the path and its permissions") from None
    return folder


def read_user_bytes(path: Path, max_bytes: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of a regular file a user gave us, or InputError saying exactly why not.

    Never blocks and never reads without a bound: the file is opened with O_NONBLOCK (a FIFO
    with no writer does not hang), refused unless `fstat` of the open file says it is a regular
    file (FIFO, device, socket: refused), and read up to `max_bytes` + 1 whatever `stat` claims
    (a file that grows, or a /proc file that says 0 bytes, is still bounded). A symlink loop or a
    missing file is a clear reason, not a traceback.
    """
    path = Path(path)
    try:
        # getattr: O_CLOEXEC is a platform flag (absent on Windows), not a probe of our own objects
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _input_error(path, exc) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(path, "is a folder, not a file",
                             "give an article file, or use `translator batch` for folders")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, f"is a {_kind(info.st_mode)}, not a regular file", "give a UTF-8 text file")
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:
            raise InputError(path, f"file is over the {max_bytes}-byte limit", "split the article")
        return b"".join(chunks)
    except OSError as exc:
        raise _input_error(path, exc) from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "FIFO (named pipe)"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket")):
        if test(mode):
            return name
    return "special file"


def _input_error(path: Path, exc: OSError) -> InputError:
    """The InputError for an OSError met while reading `path`."""
    reasons = {
        errno.ENOENT: ("file not found", "check the path"),
        errno.ELOOP: ("is a symlink loop", "fix or remove the link"),
        errno.EACCES: ("permission denied", "check the file's permissions"),
        errno.EPERM: ("permission denied", "check the file's permissions"),
        errno.ENOTDIR: ("a part of the path is not a folder", "check the path"),
        errno.EISDIR: ("is a folder, not a file", "give an article file, or use `translator batch` for folders"),
        errno.ENAMETOOLONG: ("the path is too long", "shorten the path"),
    }
    reason, hint = reasons.get(exc.errno or 0, (f"cannot be read: {exc.strerror}", ""))
    return InputError(path, reason, hint)


def decode_user_text(path: Path, data: bytes) -> str:
    """The text of a user's file from its bytes; InputError for binary, invalid UTF-8 or empty."""
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


def read_user_text(path: Path, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """Read a UTF-8 text file a user gave us, or raise InputError saying exactly why not.

    Accepts a BOM and CRLF/LF (returned unchanged apart from the BOM). Refuses a missing path,
    a folder, a non-regular file (FIFO, device), a symlink loop, a file over `max_bytes`, a
    binary file (NUL bytes), invalid UTF-8 (with the byte offset) and an empty or
    whitespace-only file.
    """
    return decode_user_text(Path(path), read_user_bytes(path, max_bytes))


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
