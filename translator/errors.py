"""Provides the typed errors the domain raises; the CLI and desk turn them into one line."""

from __future__ import annotations

import errno
from pathlib import Path


class TranslatorError(Exception):
    """Base of every error a user should see as one clear line (what, where, what to do)."""


class InputError(TranslatorError):
    """An article or other input file cannot be used (missing, binary, bad encoding, empty)."""

    def __init__(self, path: Path | str, reason: str, hint: str = "") -> None:
        self.path = Path(path)
        self.reason = reason
        self.hint = hint
        message = f"{path}: {reason}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class GlossaryError(TranslatorError):
    """A glossary file is invalid; carries every problem found, each with file and line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class ModelError(TranslatorError):
    """No usable model, or a package that cannot be installed."""


class NoModelError(ModelError):
    """No ar->en model is installed."""

    def __init__(self, models_dir: Path) -> None:
        super().__init__(
            f"no Arabic->English model installed in {models_dir} "
            "(run: translator models ensure, or translator models install FILE.argosmodel)"
        )


class EngineError(TranslatorError):
    """The translation engine failed to load or run."""


class LockedError(TranslatorError):
    """Another desk holds the article open."""


#: errno -> (what happened, what to do) for the file errors a user can meet.
_OS_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("no space left on the device", "free some space, then run again; finished work is kept"),
    errno.EDQUOT: ("disk quota exceeded", "free some space, then run again; finished work is kept"),
    errno.EACCES: ("permission denied", "check the permissions, or choose another place"),
    errno.EPERM: ("operation not permitted", "check the permissions, or choose another place"),
    errno.EROFS: ("read-only file system", "choose a writable place"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "check the path"),
    errno.EISDIR: ("is a folder, not a file", "give a file name"),
    errno.ENOENT: ("no such file or folder", "check the path"),
    errno.EEXIST: ("already exists and is not a folder", "give a folder, or remove the file"),
    errno.ELOOP: ("is a symlink loop", "fix or remove the link"),
    errno.ENAMETOOLONG: ("the name is too long", "choose a shorter path"),
    errno.EMFILE: ("too many open files", "raise the open-file limit (ulimit -n) and run again"),
    errno.EIO: ("input/output error", "check the disk, then run again"),
    errno.EXDEV: ("cannot move across file systems", "choose a place on the same file system"),
}


class WriteFailed(OSError):
    """Writing a file failed; `filename` is the file the user asked for (not a temp file)."""


def describe_os_error(exc: OSError, path: Path | str | None = None) -> str:
    """One line for a file-system error: where, what happened, what to do.

    Args:
        exc: the error (its filename is used when `path` is not given).
        path: the file the user knows about, when the error names a temp file.
    """
    where = path if path is not None else exc.filename
    reason, hint = _OS_REASONS.get(exc.errno or -1, (exc.strerror or str(exc) or type(exc).__name__, ""))
    if isinstance(exc, WriteFailed):
        line = f"cannot write {where}: {reason}"
    else:
        line = f"{where}: {reason}" if where not in (None, "") else reason
    return f"{line} ({hint})" if hint else line
