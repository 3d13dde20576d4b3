"""The desk's background saves (translator.store.review_writer): in order, newest last, errors kept."""

from __future__ import annotations

import errno
import threading
import time
from pathlib import Path

import pytest

from translator.store import review
from translator.store.review import ReviewFiles
from translator.store.review_writer import ReviewWriter


def _files(folder: Path, n: int) -> ReviewFiles:
    return ReviewFiles(folder / "a.review.json", f'{{"n": {n}}}', folder / "a.en.md", f"save {n}\n")


def test_saves_are_written_in_a_thread_in_order_newest_last(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = review.atomic_write_text
    written: list[tuple[str, str]] = []

    def slow(path: Path, text: str) -> None:
        time.sleep(0.005)
        written.append((threading.current_thread().name, text))
        real(path, text)

    monkeypatch.setattr(review, "atomic_write_text", slow)
    writer = ReviewWriter()
    for n in range(40):
        writer.submit(_files(tmp_path, n))
    assert writer.flush(timeout=10)
    assert (tmp_path / "a.en.md").read_text() == "save 39\n"
    assert {name for name, _ in written} == {"desk-save"}
    order = [int(text.split()[1]) for _, text in written if text.startswith("save")]
    assert order == sorted(order) and order[-1] == 39  # an older save never lands after a newer one
    assert 1 <= writer.written <= 40
    assert writer.close(timeout=10)
    with pytest.raises(RuntimeError):
        writer.submit(_files(tmp_path, 41))


def test_a_failed_write_is_kept_for_the_desk_to_report(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    writer = ReviewWriter()
    writer.submit(_files(tmp_path / "file", 1))  # its folder is a file
    assert writer.flush(timeout=10)
    error = writer.take_error()
    assert isinstance(error, OSError) and error.errno in (errno.ENOTDIR, errno.EEXIST)
    assert "a.review.json" in str(error)
    assert writer.take_error() is None
    writer.submit(_files(tmp_path, 2))  # the next save works again
    assert writer.close(timeout=10)
    assert (tmp_path / "a.en.md").read_text() == "save 2\n" and writer.take_error() is None
