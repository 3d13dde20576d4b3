"""`translator batch --ray` against a real local Ray instance (one per module: Ray starts slowly).

Same English byte for byte as the local batch (demo model, seeds plus FLORES-built articles),
same report and manifest, the memory filled by the driver; a worker killed mid-run (Ray
restarts it, the file is retried; a file that keeps killing workers fails alone); the driver
killed mid-run, then resumed. Skipped, with the reason, when Ray (the [cluster] extra) is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator, Sequence
from importlib.util import find_spec
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS, SHARED, FakeEngine
from translator.batch import MANIFEST_NAME, REPORT_NAME, BatchOptions, run_batch
from translator.cli import main
from translator.config import Settings
from translator.glossary.enforce import enforcer_from_settings
from translator.mt.engine import ArgosEngine, Engine
from translator.store.memory import TranslationMemory

needs_ray = pytest.mark.skipif(find_spec("ray") is None,
                               reason="Ray is not installed (optional extra: .venv/bin/pip install -e '.[cluster]')")
FLORES = SHARED / "data" / "flores200-dev" / "ar.txt"
TIMING = ("seconds",)


@pytest.fixture(scope="module")
def worker_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workers' temp folder (TMPDIR), where they unpack shipped models: this module's own."""
    return tmp_path_factory.mktemp("ray-workers-tmp")


@pytest.fixture(scope="module")
def ray_address(worker_tmp: Path) -> Iterator[str]:
    """One local Ray instance for the module (2 CPUs), shut down afterwards: no process left."""
    import ray

    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="WARNING",
             runtime_env={"env_vars": {"PYTHONPATH": str(ROOT),  # workers import tests.* (engine sources)
                                       "TMPDIR": str(worker_tmp)}})
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


class FakeSource:
    """Builds the test engine in the worker: FakeEngine, optionally killing its own process."""

    def __init__(self, marks: Path | None = None, delay: float = 0.0) -> None:
        self.marks, self.delay = marks, delay

    def open(self) -> Engine:
        return KillingEngine(self.marks, self.delay)

    def release(self) -> None:
        pass  # nothing unpacked


class KillingEngine(FakeEngine):
    """SIGKILLs its process on a sentence with '(kill-once)' the first time, on '(poison)' every time."""

    def __init__(self, marks: Path | None, delay: float) -> None:
        super().__init__()
        self.marks, self.delay = marks, delay

    def translate(self, sentences: Sequence[str]) -> list[str]:
        time.sleep(self.delay * len(sentences))
        if self.marks is not None:
            text = " ".join(sentences)
            once = self.marks / "killed-once"
            if "(poison)" in text or ("(kill-once)" in text and not once.exists()):
                if "(kill-once)" in text:
                    once.touch()
                with (self.marks / "kills").open("a") as log:
                    log.write(f"{os.getpid()}\n")
                os.kill(os.getpid(), signal.SIGKILL)
        return super().translate(sentences)


def write_inputs(folder: Path, flores_articles: int = 3) -> None:
    """The seeds, articles of 8 FLORES dev lines each (first line as title) and one cp1256 file."""
    folder.mkdir(parents=True)
    for seed in SEEDS.glob("*.ar.txt"):
        shutil.copy(seed, folder / seed.name)
    lines = FLORES.read_text(encoding="utf-8").splitlines()
    for n in range(flores_articles):
        chunk = lines[n * 8: n * 8 + 8]
        (folder / f"flores-{n}.ar.txt").write_text("\n\n".join(chunk) + "\n", encoding="utf-8")
    (folder / "old-cp1256.txt").write_bytes("الرئيس".encode("cp1256") + b"\n")


def comparable(out_dir: Path) -> tuple[dict, dict, dict[str, bytes]]:
    """Report (without timings and dates), manifest (without dates) and every output file's bytes."""
    report = json.loads((out_dir / REPORT_NAME).read_text(encoding="utf-8"))
    manifest = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    for m in (report["manifest"], manifest):
        m.pop("started"), m.pop("finished"), m.pop("input"), m.pop("ray", None)
    for entry in report["files"]:
        for name in TIMING:
            entry.pop(name)
    outputs = {p.relative_to(out_dir).as_posix(): p.read_bytes() for p in sorted(out_dir.rglob("*"))
               if p.is_file() and p.name not in (REPORT_NAME, MANIFEST_NAME)}
    return report, manifest, outputs


def test_ray_missing_says_what_to_install_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str], installed: Settings) -> None:
    write_inputs(tmp_path / "in", 0)
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError, as without the extra
    assert main(["batch", str(tmp_path / "in"), "--ray"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "pip install" in err and "[cluster]" in err, err
    assert not (tmp_path / "in" / "english").exists()  # nothing started


@needs_ray
def test_same_english_report_and_memory_as_local_batch_then_resume(
        ray_address: str, tmp_path: Path, installed: Settings) -> None:
    from translator.batch_ray import RayBackend, RayOptions

    package = next(installed.models_dir.iterdir())
    runs = {}
    for name in ("local", "ray"):
        in_dir = tmp_path / name
        write_inputs(in_dir)
        engine = ArgosEngine(package, installed)
        enforcer = enforcer_from_settings(installed, in_dir)
        backend = None
        if name == "ray":
            backend = RayBackend(RayOptions(workers=2), installed)
            backend.ship(package)
        with TranslationMemory.for_folder(in_dir, engine.label, enforcer.glossary.fingerprint) as memory:
            options = BatchOptions(in_dir, in_dir / "out", first_chunk_sentences=12, chunk_sentences=24)
            report = run_batch(options, engine, enforcer, memory,
                               glossary=enforcer.glossary, backend=backend)
            runs[name] = (report, memory.entries())
    local, ray_run = runs["local"][0], runs["ray"][0]
    assert ray_run.counts() == local.counts() and ray_run.counts()["translated"] == 5
    assert [f.status for f in ray_run.files].count("failed") == 1  # the cp1256 file, reported, the rest went on
    ray_side, local_side = comparable(tmp_path / "ray" / "out"), comparable(tmp_path / "local" / "out")
    assert ray_side[2].keys() == local_side[2].keys()
    for name, data in ray_side[2].items():
        assert data.decode() == local_side[2][name].decode(), name  # the English, byte for byte
    assert ray_side[1] == local_side[1]  # manifest
    for mine, theirs in zip(ray_side[0]["files"], local_side[0]["files"]):
        assert mine == theirs
    assert ray_side[0] == local_side[0]
    where = json.loads((tmp_path / "ray" / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))["ray"]
    assert where["workers"] == 2 and where["cpus"] and where["resources"] == {"num_cpus": 1}
    assert sorted((e.source, e.target, e.origin) for e in runs["ray"][1]) == \
           sorted((e.source, e.target, e.origin) for e in runs["local"][1])  # the driver wrote the workers' results

    backend = RayBackend(RayOptions(workers=1), installed)  # rerun: every finished file is skipped
    backend.ship(package)
    again = run_batch(BatchOptions(tmp_path / "ray", tmp_path / "ray" / "out"), ArgosEngine(package, installed),
                      enforcer_from_settings(installed, tmp_path / "ray"), backend=backend)
    assert again.counts()["skipped"] == 5 and again.counts()["translated"] == 0


@needs_ray
def test_workers_remove_the_unpacked_model_when_the_run_ends(ray_address: str, worker_tmp: Path, tmp_path: Path,
                                                             installed: Settings) -> None:
    """Reproduction (#15): workers left each run's unpacked model in $TMPDIR/translator-ray-models."""
    from translator.batch_ray import RayBackend, RayOptions
    from translator.mt.shipped import UNPACK_DIRNAME

    package = next(installed.models_dir.iterdir())
    write_inputs(tmp_path / "in", 1)
    backend = RayBackend(RayOptions(workers=2), installed)
    backend.ship(package)
    report = run_batch(BatchOptions(tmp_path / "in", tmp_path / "out", first_chunk_sentences=8, chunk_sentences=8),
                       ArgosEngine(package, installed), backend=backend)
    assert report.counts()["translated"] == 3 and "2 Ray workers" in backend.description
    assert not (worker_tmp / UNPACK_DIRNAME).exists(), list((worker_tmp / UNPACK_DIRNAME).rglob("*"))[:5]


@needs_ray
def test_paragraphs_assembled_from_sentence_matches_as_in_local_batch(ray_address: str, tmp_path: Path) -> None:
    """Reproduction: the driver sent the workers only whole-paragraph memory matches, so a paragraph
    a local batch assembles from sentence matches (a sentence-level TMX) went to the model on Ray."""
    from translator.batch_ray import RayBackend, RayOptions
    from translator.store.memory_entry import MemoryEntry, Origin, Via

    s1, s2 = "قال لافروف إن موسكو قلقة.", "وأكد أوغلو أهمية وقف القتال."
    english = {}
    for name in ("local", "ray"):
        in_dir = tmp_path / name
        in_dir.mkdir()
        (in_dir / "a.ar.txt").write_text(f"عنوان\n\n{s1} {s2}\n", encoding="utf-8")
        with TranslationMemory.for_folder(in_dir, FakeEngine.label) as memory:
            memory.add_many([MemoryEntry(s1, "Lavrov said Moscow was worried.", Origin.REVIEWED, via=Via.TMX),
                             MemoryEntry(s2, "Oglu stressed a ceasefire.", Origin.REVIEWED, via=Via.TMX)])
            backend = RayBackend(RayOptions(workers=1), Settings(), FakeSource()) if name == "ray" else None
            report = run_batch(BatchOptions(in_dir, in_dir / "out"), FakeEngine(), memory=memory, backend=backend)
        assert report.ok and report.counts()["from_memory"] == 1, (name, report.counts())
        english[name] = (in_dir / "out" / "a.en.md").read_text(encoding="utf-8")
    assert "Lavrov said Moscow was worried. Oglu stressed a ceasefire." in english["ray"]
    assert english["ray"] == english["local"]


@needs_ray
def test_killed_worker_is_restarted_and_a_file_that_kills_every_time_fails_alone(
        ray_address: str, tmp_path: Path) -> None:
    from translator.batch_ray import RESTARTS, RayBackend, RayOptions

    in_dir, marks = tmp_path / "in", tmp_path / "marks"
    marks.mkdir()
    write_inputs(in_dir, 2)
    (in_dir / "killer.ar.txt").write_text("عنوان (kill-once)\n\nفقرة أولى.\n", encoding="utf-8")
    (in_dir / "poison.ar.txt").write_text("عنوان (poison)\n", encoding="utf-8")
    backend = RayBackend(RayOptions(workers=2), Settings(), FakeSource(marks))
    report = run_batch(BatchOptions(in_dir, tmp_path / "ray", chunk_sentences=8), FakeEngine(), backend=backend)
    status = {f.file: (f.status, f.reason) for f in report.files}
    assert status["killer.ar.txt"] == ("ok", "")
    assert status["poison.ar.txt"][0] == "failed" and "died" in status["poison.ar.txt"][1]
    kills = (marks / "kills").read_text().split()
    assert len(kills) >= 1 + RESTARTS + 1 and len(set(kills)) == len(kills)  # each kill a real, new process

    (in_dir / "poison.ar.txt").unlink()
    run_batch(BatchOptions(in_dir, tmp_path / "local"), FakeEngine())
    ray_report, _, ray_out = comparable(tmp_path / "ray")
    local_report, _, local_out = comparable(tmp_path / "local")
    assert ray_out == local_out  # every other file written, byte for byte as locally
    assert [f for f in ray_report["files"] if f["file"] != "poison.ar.txt"] == local_report["files"]


DRIVER = textwrap.dedent("""
    import sys
    from pathlib import Path
    import ray
    from tests.test_batch_ray import FakeSource
    from tests.conftest import FakeEngine
    from translator.batch import BatchOptions, run_batch
    from translator.batch_ray import RayBackend, RayOptions
    from translator.config import Settings

    ray.init(address=sys.argv[1], logging_level="WARNING", log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": sys.argv[4]}})
    backend = RayBackend(RayOptions(workers=2), Settings(), FakeSource(delay=0.15))
    run_batch(BatchOptions(Path(sys.argv[2]), Path(sys.argv[3]), chunk_sentences=4), FakeEngine(), backend=backend)
""")


@needs_ray
def test_driver_killed_mid_run_keeps_finished_files_and_the_rerun_skips_them(
        ray_address: str, tmp_path: Path) -> None:
    from translator.batch_ray import RayBackend, RayOptions

    in_dir, out = tmp_path / "in", tmp_path / "out"
    write_inputs(in_dir, 6)
    driver = subprocess.Popen([sys.executable, "-c", DRIVER, ray_address, str(in_dir), str(out), str(ROOT)], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, stderr=subprocess.PIPE)
    done: list[str] = []
    deadline = time.monotonic() + 120
    while len(done) < 2 and time.monotonic() < deadline and driver.poll() is None:
        time.sleep(0.1)
        try:
            done = [f["file"] for f in json.loads((out / REPORT_NAME).read_text())["files"] if f["status"] == "ok"]
        except (OSError, ValueError):
            continue
    driver.kill()
    _, err = driver.communicate(timeout=30)
    assert 2 <= len(done) < 8, f"the driver should be killed mid-run: {done} {err.decode()[-500:]}"
    kept = json.loads((out / REPORT_NAME).read_text())
    finished = [f["file"] for f in kept["files"] if f["status"] == "ok"]
    assert all((out / f["output"]).is_file() for f in kept["files"] if f["status"] == "ok")

    backend = RayBackend(RayOptions(workers=2), Settings(), FakeSource())
    report = run_batch(BatchOptions(in_dir, out), FakeEngine(), backend=backend)
    assert sorted(f.file for f in report.files if f.resumed) == sorted(finished)
    assert report.counts()["translated"] == 8 - len(finished) and report.counts()["failed"] == 1
    assert not list(out.rglob("*.tmp"))  # a write the kill cut short left a temp file; the rerun removed it
    run_batch(BatchOptions(in_dir, tmp_path / "local"), FakeEngine())
    assert comparable(out)[2] == comparable(tmp_path / "local")[2]
