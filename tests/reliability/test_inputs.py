"""One bad input never kills or hangs a run (issue #16, item 2).

Reproductions: a symlink loop in a batch folder was a `RuntimeError: Symlink loop` traceback
with nothing translated; a symlink to /dev/zero was read until MemoryError (size taken from
stat, read without a limit); `translate` given a FIFO hung.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.conftest import FakeEngine
from tests.reliability.conftest import cli, one_line_error
from translator.batch import BatchOptions, run_batch
from translator.errors import InputError
from translator.fileio import read_user_bytes, read_user_text

ARABIC = "عنوان الخبر\n\nقال الرئيس إن الاجتماع سيعقد في القاهرة غدا.\n"


def bad_folder(folder: Path) -> Path:
    """A batch folder with two good articles and every kind of bad entry."""
    folder.mkdir()
    (folder / "good-1.txt").write_text(ARABIC, encoding="utf-8")
    (folder / "good-2.txt").write_text(ARABIC.replace("القاهرة", "دمشق"), encoding="utf-8")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "ping.txt").symlink_to(folder / "pong.txt")
    (folder / "pong.txt").symlink_to(folder / "ping.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "dangling.txt").symlink_to(folder / "missing-target")
    os.mkfifo(folder / "fifo.txt")
    return folder


def test_batch_reports_each_bad_entry_and_translates_the_rest(tmp_path: Path) -> None:
    folder = bad_folder(tmp_path / "in")
    started = time.monotonic()
    report = run_batch(BatchOptions(folder, tmp_path / "out"), FakeEngine())
    assert time.monotonic() - started < 30
    status = {f.file: (f.status, f.reason) for f in report.files}
    assert status["good-1.txt"][0] == status["good-2.txt"][0] == "ok"
    assert (tmp_path / "out" / "good-1.en.md").is_file() and (tmp_path / "out" / "good-2.en.md").is_file()
    assert "symlink loop" in status["loop.txt"][1] and "symlink loop" in status["ping.txt"][1]
    assert "character device" in status["zero.txt"][1]
    assert "FIFO" in status["fifo.txt"][1]
    assert "not found" in status["dangling.txt"][1]
    assert {s for s, _ in status.values()} == {"ok", "failed"}


def test_batch_cli_with_bad_entries_exits_1_with_a_report(tmp_path: Path) -> None:
    folder = bad_folder(tmp_path / "in")
    proc = cli(["batch", str(folder), "--no-memory", "--quiet"], tmp_path / "home", timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "2 translated" in proc.stdout and "6 failed" in proc.stdout


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "loop", "folder-link"])
def test_translate_refuses_a_special_input_without_hanging(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x.txt"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "loop":
        path.symlink_to(path)
    else:
        path.symlink_to(tmp_path)
    proc = cli(["translate", str(path)], tmp_path / "home", timeout=30)
    line = one_line_error(proc)
    assert str(path) in line
    assert {"fifo": "FIFO", "dev-zero": "character device", "loop": "symlink loop",
            "folder-link": "is a folder"}[kind] in line


def test_size_limit_does_not_trust_stat(tmp_path: Path) -> None:
    # /proc files are regular files whose stat size is 0: only a bounded read can refuse them.
    maps = Path("/proc/self/maps")
    if not maps.exists() or maps.stat().st_size != 0:
        pytest.skip("needs Linux /proc")
    with pytest.raises(InputError, match="over the 64-byte limit"):
        read_user_bytes(maps, max_bytes=64)
    assert len(read_user_bytes(maps, max_bytes=10_000_000)) > 64


def test_reading_a_fifo_with_a_writer_is_still_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a writer holds it open: a read would block
    try:
        with pytest.raises(InputError, match="FIFO"):
            read_user_text(fifo)
    finally:
        os.close(writer)
