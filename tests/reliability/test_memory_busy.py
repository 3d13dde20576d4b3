"""A memory another process is writing (issue #16, item 8): batch and translate never fail a file
for it, never lose the English, never wait forever.

Reproduction: a `translator memory import` holding the memory's write lock for longer than the busy
timeout (30 s) made batch files fail with "database is locked". Here the lock is held by a real
SQLite writer in another process, for longer than a shortened timeout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import ROOT, FakeEngine
from tests.reliability.conftest import FAKE_CLI, cli
from translator.batch import BatchOptions, run_batch
from translator.store.memory import TranslationMemory, memory_path

ARABIC = "عنوان الخبر\n\nقال الرئيس إن الاجتماع سيعقد في القاهرة غدا.\n"
#: A writer in another process: takes the write lock, writes, holds it for argv[2] seconds or until a
#: line comes on stdin, commits.
HOLDER = ("import select, sqlite3, sys; db = sqlite3.connect(sys.argv[1], isolation_level=None); "
          "db.execute('BEGIN IMMEDIATE'); db.execute(\"INSERT OR REPLACE INTO meta VALUES ('import', 'running')\"); "
          "print('held', flush=True); select.select([sys.stdin], [], [], float(sys.argv[2])); db.execute('COMMIT')")


def articles(folder: Path, count: int) -> Path:
    folder.mkdir()
    for i in range(count):
        (folder / f"a{i}.txt").write_text(ARABIC.replace("غدا", f"غدا {i}"), encoding="utf-8")
    with TranslationMemory.for_folder(folder, FakeEngine.label):
        pass  # the memory exists before the import takes its lock
    return folder


@contextmanager
def import_holding_the_lock(folder: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the memory's write lock for `seconds` (as a long `memory import`)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(memory_path(folder)), str(seconds)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        proc.kill()
        proc.wait()


def finish_import(holder: subprocess.Popen[str]) -> None:
    """Let the holder commit and end (as the import finishing)."""
    assert holder.stdin is not None
    holder.stdin.write("done\n")
    holder.stdin.flush()
    holder.wait(30)


def machine_entries(folder: Path) -> int:
    with TranslationMemory.for_folder(folder) as memory:
        return memory.counts()["machine"]


def test_a_batch_meeting_a_memory_locked_past_the_busy_timeout_keeps_every_file(tmp_path: Path) -> None:
    src = articles(tmp_path / "in", 5)
    with (import_holding_the_lock(src, 120) as holder,
          TranslationMemory.for_folder(src, FakeEngine.label, busy_timeout=0.5) as memory):
        report = run_batch(BatchOptions(src, tmp_path / "out"), FakeEngine(), memory=memory)
        assert report.ok and report.counts()["translated"] == 5, [f.reason for f in report.files]
        assert len(list((tmp_path / "out").glob("*.en.md"))) == 5
        assert holder.poll() is None  # translated while the import still held the lock
        assert machine_entries(src) == 0  # the entries wait in the queue
        waits: list[str] = []
        release = threading.Timer(1.0, finish_import, [holder])  # the import ends while the run waits
        release.start()
        assert memory.settle(60, waits.append) == ""  # waits for the import, then saves them
        release.join()
        assert len(waits) == 1 and "waiting" in waits[0] and "write lock" in waits[0], waits
    assert machine_entries(src) == 6  # the five bodies and the title they share


def test_queued_entries_are_found_by_later_lookups(tmp_path: Path) -> None:
    src = articles(tmp_path / "in", 1)
    text = "قال الرئيس إن الاجتماع سيعقد في القاهرة غدا."
    with (import_holding_the_lock(src, 30),
          TranslationMemory.for_folder(src, FakeEngine.label, busy_timeout=0.2) as memory):
        memory.add_machine(text, "The president said.", FakeEngine.label)
        assert memory.lookup(text) == "The president said."
        assert memory.settle(0.3) == ("1 new machine translation was not saved to the translation memory "
                                      f"{memory.path}: another process held its write lock for 0.3 s "
                                      "(the English is written)")
        assert memory.lookup(text) is None


def test_batch_and_translate_write_the_english_and_skip_the_memory_after_the_bound(tmp_path: Path) -> None:
    src = articles(tmp_path / "in", 3)
    home = tmp_path / "home"
    with import_holding_the_lock(src, 300):
        for args in (["batch", str(src), "-o", str(tmp_path / "out")],
                     ["translate", str(src / "a0.txt"), "-o", str(tmp_path / "one.en.md")]):
            started = time.monotonic()
            proc = cli(args, home, env={"TRANSLATOR_MEMORY_WAIT": "1"})
            assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
            assert time.monotonic() - started < 60
            lines = proc.stderr.splitlines()
            waiting = [line for line in lines if "waiting up to 1 s for the translation memory" in line]
            skipped = [line for line in lines if "not saved to the translation memory" in line]
            assert len(waiting) == 1 and len(skipped) == 1, proc.stderr
            assert skipped[0].startswith("translator: warning: ") and "(the English is written)" in skipped[0]
        assert len(list((tmp_path / "out").glob("*.en.md"))) == 3 and (tmp_path / "one.en.md").is_file()
    assert machine_entries(src) == 0


def test_translate_waits_for_the_import_then_saves(tmp_path: Path) -> None:
    src = articles(tmp_path / "in", 1)
    env = {**os.environ, "TRANSLATOR_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT), "CI": "true",
           "TRANSLATOR_MEMORY_WAIT": "120"}
    with import_holding_the_lock(src, 120) as holder:
        proc = subprocess.Popen([sys.executable, "-c", FAKE_CLI, "translate", str(src / "a0.txt")], env=env,
                                cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        assert proc.stderr is not None
        err = [proc.stderr.readline() for _ in range(2)]  # the busy line, then the waiting line
        finish_import(holder)  # the import ends while translate waits for it
        out, rest = proc.communicate(timeout=120)
    assert proc.returncode == 0 and "EN\\[" in out, err + [rest]
    assert "locked by another process" in err[0] and "waiting up to 120 s for the translation memory" in err[1]
    assert "not saved" not in rest
    assert machine_entries(src) == 2  # the title and the paragraph
