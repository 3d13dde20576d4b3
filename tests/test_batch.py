"""Batch: outputs, report, bad files, resume (including after kill -9), memory, the CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS, FakeEngine, machine_body
from translator.batch import BatchOptions, Progress, run_batch
from translator.batch_report import MANIFEST_NAME, REPORT_NAME
from translator.errors import InputError
from translator.store.memory import TranslationMemory
from translator.text.document import read_article


def make_articles(folder: Path, count: int) -> list[Path]:
    """`count` distinct articles built from the seeds' paragraphs (varied so none repeats)."""
    folder.mkdir(parents=True, exist_ok=True)
    paragraphs = [p.text for seed in sorted(SEEDS.glob("*.ar.txt")) for p in read_article(seed).translatable]
    paths = []
    for i in range(count):
        chosen = [f"{paragraphs[(i * 3 + k) % len(paragraphs)]} ({i}-{k})" for k in range(4)]
        path = folder / f"article-{i:02d}.ar.txt"
        path.write_text("\n\n".join(chosen) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def report_of(out_dir: Path) -> dict:
    return json.loads((out_dir / REPORT_NAME).read_text(encoding="utf-8"))


def test_translates_every_article_with_one_engine_call_per_chunk(tmp_path: Path) -> None:
    make_articles(tmp_path / "in", 6)
    engine = CountingEngine()
    events: list[Progress] = []
    report = run_batch(BatchOptions(tmp_path / "in", tmp_path / "out", chunk_sentences=10_000), engine,
                       on_progress=events.append)
    assert report.ok and report.counts()["translated"] == 6
    assert engine.calls == 1  # all files' sentences in one engine call
    out = machine_body((tmp_path / "out" / "article-00.en.md").read_text(encoding="utf-8"))
    first = read_article(tmp_path / "in" / "article-00.ar.txt").translatable[0].text
    assert out.startswith("# EN\\[") and first.split(".")[0] in out
    assert events[-1].files_done == events[-1].files_total == 6
    assert events[-1].paragraphs_done == events[-1].paragraphs_total == 24
    data = report_of(tmp_path / "out")
    assert data["summary"]["paragraphs"] == 24
    entry = data["files"][0]
    assert entry["status"] == "ok" and entry["paragraphs"] == 4 and len(entry["source_sha256"]) == 64
    manifest = json.loads((tmp_path / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["model"] == "fake→en 0" and manifest["format"] == "md"
    assert manifest["cpu"]["isa"] and manifest["cpu"]["mkl"] in ("true", "false")  # what explains another CPU's English


def test_chunks_keep_progress_moving(tmp_path: Path) -> None:
    make_articles(tmp_path / "in", 6)
    engine = CountingEngine()
    run_batch(BatchOptions(tmp_path / "in", tmp_path / "out", chunk_sentences=10), engine)
    assert 2 <= engine.calls <= 6


def test_chunks_follow_a_plan_of_whole_files_that_never_depends_on_timing(tmp_path: Path) -> None:
    """The same files always share the same engine calls (local batch and Ray tasks: the same English)."""
    make_articles(tmp_path / "in", 12)

    class TimedEngine(CountingEngine):
        def __init__(self, delay: float) -> None:
            super().__init__()
            self.delay = delay
            self.sizes: list[int] = []

        def translate(self, sentences):  # type: ignore[no-untyped-def]
            self.sizes.append(len(sentences))
            time.sleep(self.delay * len(sentences))
            return super().translate(sentences)

    sizes = []
    for n, delay in enumerate((0.0, 0.01)):
        engine = TimedEngine(delay)
        options = BatchOptions(tmp_path / "in", tmp_path / f"out{n}", first_chunk_sentences=8, chunk_sentences=20)
        assert run_batch(options, engine).ok
        sizes.append(engine.sizes)
    assert sizes[0] == sizes[1] and len(sizes[0]) >= 3
    assert sizes[0][0] <= 8 + 8 and all(size <= 20 + 8 for size in sizes[0][1:])  # whole files: may overshoot one


@pytest.mark.parametrize("fmt, suffix, needle", [
    ("md", ".en.md", "# EN\\["),
    ("txt", ".en.txt", "EN["),
    ("bilingual", ".bilingual.md", "> "),
])
def test_output_formats(tmp_path: Path, fmt: str, suffix: str, needle: str) -> None:
    make_articles(tmp_path / "in", 1)
    run_batch(BatchOptions(tmp_path / "in", tmp_path / "out", fmt=fmt), FakeEngine())
    text = (tmp_path / "out" / f"article-00{suffix}").read_text(encoding="utf-8")
    assert (machine_body(text) if fmt == "md" else text).startswith(needle)


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in"
    make_articles(src, 2)
    (src / "cp1256.txt").write_bytes("قال لافروف".encode("cp1256"))
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (src / "empty.txt").write_text("  \n\n", encoding="utf-8")
    (src / "huge.txt").write_text("كلمة " * 5000, encoding="utf-8")
    (src / "locked.txt").write_text("نص", encoding="utf-8")
    (src / "dangling.txt").symlink_to(src / "nowhere.txt")
    (src / "junk-only.txt").write_text("اقرأ أيضا\n", encoding="utf-8")
    # An earlier good output must survive its source turning bad.
    out = tmp_path / "out"
    out.mkdir()
    (out / "cp1256.en.md").write_text("# Good earlier English\n", encoding="utf-8")
    real_open = os.open

    def open_(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).endswith("locked.txt"):  # as for a plain user on a 0000 file (tests may run as root)
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    report = run_batch(BatchOptions(src, out, max_bytes=10_000), FakeEngine())
    reasons = {f.file: f.reason for f in report.files if f.status == "failed"}
    assert "not valid UTF-8 at byte 0" in reasons["cp1256.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "over the 10000-byte limit" in reasons["huge.txt"]
    assert "permission denied" in reasons["locked.txt"]
    assert "not found" in reasons["dangling.txt"]
    assert "junk" in reasons["junk-only.txt"]
    assert {f.file for f in report.files if f.status == "ok"} == {"article-00.ar.txt", "article-01.ar.txt"}
    assert not report.ok
    assert (out / "cp1256.en.md").read_text(encoding="utf-8") == "# Good earlier English\n"
    assert not (out / "binary.en.md").exists()


def test_rerun_skips_finished_files_and_redoes_changed_ones(tmp_path: Path) -> None:
    paths = make_articles(tmp_path / "in", 3)
    options = BatchOptions(tmp_path / "in", tmp_path / "out")
    run_batch(options, FakeEngine())
    paths[1].write_text("عنوان جديد\n\nفقرة جديدة تماما.\n", encoding="utf-8")
    (tmp_path / "out" / "article-02.en.md").unlink()
    engine = FakeEngine()
    report = run_batch(options, engine)
    assert [f.resumed for f in report.files] == [True, False, False]
    assert report.ok and report.counts()["skipped"] == 1
    assert "فقرة جديدة تماما." in engine.sentences
    forced = FakeEngine()
    report = run_batch(BatchOptions(tmp_path / "in", tmp_path / "out", force=True), forced)
    assert not any(f.resumed for f in report.files)
    assert len(forced.sentences) > len(engine.sentences) / 2


def test_other_model_or_format_redoes_the_work(tmp_path: Path) -> None:
    make_articles(tmp_path / "in", 2)
    run_batch(BatchOptions(tmp_path / "in", tmp_path / "out"), FakeEngine())
    other = FakeEngine()
    other.label = "fake→en 1"  # type: ignore[misc]
    report = run_batch(BatchOptions(tmp_path / "in", tmp_path / "out"), other)
    assert not any(f.resumed for f in report.files) and other.sentences


def test_memory_makes_the_second_run_free(tmp_path: Path) -> None:
    make_articles(tmp_path / "in", 3)
    engine = FakeEngine()
    with TranslationMemory.for_folder(tmp_path / "in", model=engine.label) as memory:
        run_batch(BatchOptions(tmp_path / "in", tmp_path / "out1"), engine, memory=memory)
        count = len(engine.sentences)
        report = run_batch(BatchOptions(tmp_path / "in", tmp_path / "out2"), engine, memory=memory)
    assert len(engine.sentences) == count
    assert report.counts()["from_memory"] == 12
    first, second = (tmp_path / out / "article-00.en.md" for out in ("out1", "out2"))
    assert first.read_bytes() == second.read_bytes()


def test_output_name_clash_is_reported(tmp_path: Path) -> None:
    src = tmp_path / "in"
    make_articles(src, 1)
    (src / "article-00.txt").write_text("نص آخر.\n", encoding="utf-8")
    report = run_batch(BatchOptions(src, tmp_path / "out"), FakeEngine())
    clash = [f for f in report.files if f.status == "failed"]
    assert len(clash) == 1 and "also that of" in clash[0].reason


def test_missing_or_empty_input_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is not a folder"):
        run_batch(BatchOptions(tmp_path / "nope", tmp_path / "out"), FakeEngine())
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no files match"):
        run_batch(BatchOptions(tmp_path / "empty", tmp_path / "out"), FakeEngine())


def test_outputs_inside_the_input_folder_are_not_translated(tmp_path: Path) -> None:
    make_articles(tmp_path, 2)
    run_batch(BatchOptions(tmp_path, tmp_path / "english", fmt="txt"), FakeEngine())
    report = run_batch(BatchOptions(tmp_path, tmp_path / "english", fmt="txt", pattern="**/*.txt"), FakeEngine())
    assert sorted(f.file for f in report.files) == ["article-00.ar.txt", "article-01.ar.txt"]


class CountingEngine(FakeEngine):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def translate(self, sentences):  # type: ignore[no-untyped-def]
        self.calls += 1
        return super().translate(sentences)


# -- kill -9 ---------------------------------------------------------------------------------

_SLOW_RUN = """
import sys, time
sys.path.insert(0, {root!r})
from collections.abc import Sequence
from pathlib import Path
from tests.conftest import FakeEngine
from translator.batch import BatchOptions, run_batch

class SlowEngine(FakeEngine):
    def translate(self, sentences):
        with open({log!r}, "a", encoding="utf-8") as log:
            log.write("".join(s.replace("\\n", " ") + "\\n" for s in sentences))
        time.sleep(0.4)
        return super().translate(sentences)

report = run_batch(BatchOptions(Path({src!r}), Path({out!r}), chunk_sentences=8), SlowEngine())
sys.exit(0 if report.ok else 1)
"""


def _start(tmp_path: Path, log: Path) -> subprocess.Popen[bytes]:
    script = tmp_path / "slow_run.py"
    script.write_text(textwrap.dedent(_SLOW_RUN).format(
        root=str(ROOT), log=str(log), src=str(tmp_path / "in"), out=str(tmp_path / "out")), encoding="utf-8")
    return subprocess.Popen([sys.executable, str(script)], cwd=ROOT)


def test_kill_9_mid_run_then_rerun_finishes_the_rest(tmp_path: Path) -> None:
    make_articles(tmp_path / "in", 12)
    out = tmp_path / "out"
    first_log = tmp_path / "first.log"
    proc = _start(tmp_path, first_log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done = [f for f in (report_of(out)["files"] if (out / REPORT_NAME).exists() else []) if f["status"] == "ok"]
        if len(done) >= 2:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    finished_before = {f["file"] for f in report_of(out)["files"] if f["status"] == "ok"}
    assert 2 <= len(finished_before) < 12, "the kill must land mid-run"
    # Whatever is on disk is whole: every output present is exactly what a clean run writes.
    reference = tmp_path / "reference"
    run_batch(BatchOptions(tmp_path / "in", reference), FakeEngine())
    for path in out.glob("*.en.md"):
        assert path.read_bytes() == (reference / path.name).read_bytes()

    second_log = tmp_path / "second.log"
    proc = _start(tmp_path, second_log)
    assert proc.wait(120) == 0
    data = report_of(out)
    assert data["summary"]["failed"] == 0 and data["summary"]["files"] == 12
    assert {f["file"] for f in data["files"] if f["resumed"]} == finished_before
    for path in reference.glob("*.en.md"):
        assert (out / path.name).read_bytes() == path.read_bytes()
    assert not list(out.glob(".*.tmp"))
    # Finished files were not sent to the engine again.
    redone = set(second_log.read_text(encoding="utf-8").splitlines())
    for name in finished_before:
        for p in read_article(tmp_path / "in" / name).translatable:
            assert p.text not in redone


# -- the CLI ---------------------------------------------------------------------------------

def test_cli_batch_exit_codes_summary_and_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str], home: Path) -> None:
    from translator import cli
    from translator.mt import models

    engine = FakeEngine()
    monkeypatch.setattr(models, "load_engine", lambda settings: engine)
    monkeypatch.setenv("COLUMNS", "200")  # the summary table folds long names in narrow terminals
    make_articles(tmp_path / "in", 2)
    assert cli.main(["batch", str(tmp_path / "in"), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "2 translated" in captured.out and "article-00.ar.txt" in captured.out
    assert "batch-report.json" in captured.err
    assert (tmp_path / "in" / "english" / "article-01.en.md").is_file()
    assert (tmp_path / "in" / ".translator" / "memory.sqlite").is_file()

    (tmp_path / "in" / "bad.txt").write_bytes(b"\xff\xfe\x00\x00")
    assert cli.main(["batch", str(tmp_path / "in"), "-o", str(tmp_path / "o2"), "--quiet"]) == 1
    captured = capsys.readouterr()
    assert "failed" in captured.out and "binary" in captured.out
    data = report_of(tmp_path / "o2")
    assert data["summary"]["from_memory"] == 8  # the desk/batch memory served the second run
    assert cli.main(["batch", str(tmp_path / "nowhere")]) == 1
    assert "is not a folder" in capsys.readouterr().err


# -- the real engine (demo model, real CTranslate2 inference) ---------------------------------

def test_cli_batch_with_the_demo_model(recorded: list[str], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from translator import cli

    seen = recorded
    src = tmp_path / "articles"
    src.mkdir()
    for seed in SEEDS.glob("*.ar.txt"):
        shutil.copy(seed, src / seed.name)
    assert cli.main(["batch", str(src), "--quiet"]) == 0
    data = report_of(src / "english")
    assert data["manifest"]["demo_model"] is True and data["summary"]["translated"] == 2
    assert sum(f["terms_found"] for f in data["files"]) > 0
    assert sum(f["terms_enforced"] for f in data["files"]) > 0
    text = machine_body((src / "english" / "turkey-russia-libya-syria.en.md").read_text(encoding="utf-8"))
    assert text.startswith("# ") and sum(c.isascii() and c.isalpha() for c in text) > 500
    assert seen
    seen.clear()
    capsys.readouterr()
    # Another output folder: everything comes from the project memory, no model call.
    assert cli.main(["batch", str(src), "-o", str(tmp_path / "again"), "--quiet"]) == 0
    assert seen == []
    assert report_of(tmp_path / "again")["summary"]["from_memory"] == data["summary"]["paragraphs"]
    assert machine_body((tmp_path / "again" / "turkey-russia-libya-syria.en.md").read_text(encoding="utf-8")) == text


def test_outputs_are_readable_by_others(tmp_path: Path) -> None:
    """Atomic writes go through mkstemp (0600); outputs must still be shareable (0644)."""
    make_articles(tmp_path / "in", 1)
    run_batch(BatchOptions(tmp_path / "in", tmp_path / "out"), FakeEngine())
    assert (tmp_path / "out" / "article-00.en.md").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "out" / REPORT_NAME).stat().st_mode & 0o777 == 0o644


def test_report_writes_are_paced_by_their_cost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reproduction (#15): the whole report was rewritten after every engine call (every file on Ray),
    so a large report's writes grew to dominate a long run. Writes during the run now wait at least
    REPORT_PACE times the last write's duration; the final report is complete."""
    import translator.batch as batch

    writes: list[float] = []
    real_write = batch.atomic_write_text

    def slow_report(path: Path, text: str) -> None:  # as a report of tens of thousands of files
        if path.name == REPORT_NAME:
            time.sleep(0.05)
            writes.append(time.monotonic())
        real_write(path, text)

    monkeypatch.setattr(batch, "atomic_write_text", slow_report)
    make_articles(tmp_path / "in", 40)
    started = time.monotonic()
    report = run_batch(BatchOptions(tmp_path / "in", tmp_path / "out", first_chunk_sentences=1, chunk_sentences=1),
                       FakeEngine())
    elapsed = time.monotonic() - started
    assert report.ok and report.counts()["translated"] == 40
    assert len(writes) <= 2 + elapsed / (0.05 * (1 + batch.REPORT_PACE)) + 1, (len(writes), elapsed)
    assert len(writes) < 40  # one per engine call (40) before
    data = report_of(tmp_path / "out")
    assert data["summary"]["translated"] == 40 and all(f["status"] == "ok" for f in data["files"])


def test_cli_task_size_sets_the_sentences_per_engine_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str], home: Path) -> None:
    from translator import cli
    from translator.mt import models

    class CountingEngine(FakeEngine):
        calls = 0

        def translate(self, sentences: Sequence[str]) -> list[str]:
            CountingEngine.calls += 1
            return super().translate(sentences)

    monkeypatch.setattr(models, "load_engine", lambda settings: CountingEngine())
    make_articles(tmp_path / "in", 3)
    english = {}
    for size in (None, "1"):
        CountingEngine.calls = 0
        out = tmp_path / f"out-{size}"
        extra = ["--task-size", size] if size else []
        assert cli.main(["batch", str(tmp_path / "in"), "-o", str(out), "--quiet", "--no-glossary", "--no-memory",
                         *extra]) == 0
        english[size] = {p.name: p.read_bytes() for p in out.glob("*.en.md")}
        assert CountingEngine.calls == (1 if size is None else 3)  # all three files in one call, or one each
    assert english[None] == english["1"] and len(english[None]) == 3
    with pytest.raises(SystemExit):
        cli.main(["batch", str(tmp_path / "in"), "--task-size", "0"])
    assert "--task-size: expected a whole number of 1 or more" in capsys.readouterr().err
