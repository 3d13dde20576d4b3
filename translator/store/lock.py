"""Provides ArticleLock: one desk per article, with a clear message and stale-lock recovery.

The lock is a small JSON file (`.<name>.desk.lock`) beside the review state, created with
O_EXCL so two desks cannot both win. It records the pid, host and start time; a lock whose
process is gone (same host, pid not running) is stale and taken over silently.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from translator.errors import LockedError
from translator.text.document import article_stem


@dataclass(frozen=True)
class LockInfo:
    """Who holds a lock."""

    pid: int
    host: str
    since: str


def lock_path(article_path: Path, out_dir: Path | None = None) -> Path:
    """Where the desk lock of `article_path` lives (next to its review state)."""
    folder = out_dir or Path(article_path).parent
    return folder / f".{article_stem(Path(article_path))}.desk.lock"


def pid_alive(pid: int) -> bool:
    """True if a process with this pid exists on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


class ArticleLock:
    """Exclusive desk lock on one article; use as a context manager or acquire/release."""

    def __init__(self, article_path: Path, out_dir: Path | None = None) -> None:
        self.article_path = Path(article_path)
        self.path = lock_path(self.article_path, out_dir)
        self.held = False

    def holder(self) -> LockInfo | None:
        """The current holder, or None if unlocked; an unreadable lock reads as pid 0 (stale)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return LockInfo(int(data["pid"]), str(data["host"]), str(data.get("since", "")))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return LockInfo(0, socket.gethostname(), "")

    def is_stale(self, info: LockInfo) -> bool:
        """A lock is stale when its process is gone (only decidable on the same host)."""
        return info.host == socket.gethostname() and not pid_alive(info.pid)

    def acquire(self) -> None:
        """Take the lock, replacing a stale one; raises LockedError if another desk holds it."""
        if self.held:
            return
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                info = self.holder()
                if info is None:
                    continue  # released meanwhile
                if self.is_stale(info):
                    self.path.unlink(missing_ok=True)
                    continue
                raise LockedError(
                    f"{self.article_path}: already open in another desk (pid {info.pid} on {info.host}"
                    f"{', since ' + info.since if info.since else ''}); close that desk first, "
                    f"or delete {self.path} if it is no longer running"
                ) from None
            except OSError as exc:
                raise LockedError(f"{self.path}: cannot create the desk lock ({exc.strerror})") from None
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                    "since": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                }, handle)
            self.held = True
            return
        raise LockedError(f"{self.path}: could not take the desk lock; try again")

    def release(self) -> None:
        """Drop the lock if this object holds it (never removes another desk's lock)."""
        if not self.held:
            return
        self.held = False
        info = self.holder()
        if info is not None and info.pid == os.getpid():
            self.path.unlink(missing_ok=True)

    def __enter__(self) -> "ArticleLock":
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
