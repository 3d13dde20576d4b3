"""One desk per article (translator.store.lock)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from translator.errors import LockedError
from translator.store.lock import ArticleLock, lock_path, pid_alive


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "news.ar.txt"
    path.write_text("عنوان\n\nنص\n", encoding="utf-8")
    return path


def test_lock_file_sits_beside_the_article_and_names_the_holder(article: Path) -> None:
    with ArticleLock(article) as lock:
        assert lock.path == article.parent / ".news.desk.lock"
        data = json.loads(lock.path.read_text(encoding="utf-8"))
        assert data["pid"] == os.getpid() and data["host"] == socket.gethostname()
    assert not lock.path.exists()


def test_second_desk_is_refused_with_a_clear_message(article: Path) -> None:
    first = ArticleLock(article)
    first.acquire()
    with pytest.raises(LockedError) as err:
        ArticleLock(article).acquire()
    message = str(err.value)
    assert "already open in another desk" in message and f"pid {os.getpid()}" in message
    assert str(first.path) in message
    first.release()
    ArticleLock(article).acquire()  # free again


def test_stale_lock_of_a_dead_process_is_taken_over(article: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    assert not pid_alive(pid)
    path = lock_path(article)
    path.write_text(json.dumps({"pid": pid, "host": socket.gethostname(), "since": "x"}), encoding="utf-8")
    lock = ArticleLock(article)
    lock.acquire()
    assert json.loads(path.read_text(encoding="utf-8"))["pid"] == os.getpid()
    lock.release()


def test_corrupt_lock_counts_as_stale(article: Path) -> None:
    lock_path(article).write_text("{not json", encoding="utf-8")
    with ArticleLock(article):
        pass


def test_lock_on_another_host_is_respected(article: Path) -> None:
    lock_path(article).write_text(json.dumps({"pid": 1, "host": "elsewhere", "since": ""}), encoding="utf-8")
    with pytest.raises(LockedError, match="elsewhere"):
        ArticleLock(article).acquire()


def test_release_never_removes_another_desks_lock(article: Path) -> None:
    lock = ArticleLock(article)
    lock.acquire()
    lock.path.write_text(json.dumps({"pid": os.getppid(), "host": socket.gethostname()}), encoding="utf-8")
    lock.release()
    assert lock.path.exists()


def test_out_dir_holds_the_lock(article: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with ArticleLock(article, out) as lock:
        assert lock.path.parent == out
