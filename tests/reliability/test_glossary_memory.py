"""Weaker cases of issue #16 (item 8): glossary validation and speed, the memory under faults.

Reproductions: an entry whose Arabic is only tatweel was accepted though it can never match; a
list given as `en` was reported as "empty"; a 72k-entry glossary took 80 s and 712 MB to check
(goal: 5 s, 200 MB); a memory database with garbage in the middle made every file of a batch
fail. (A batch during a long `memory import`: test_memory_busy.py.)
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, FakeEngine
from translator.batch import BatchOptions, run_batch
from translator.glossary.yaml_file import parse_file
from translator.store.memory import TranslationMemory, memory_path

ARABIC = "عنوان الخبر\n\nقال الرئيس إن الاجتماع سيعقد في القاهرة غدا.\n"


def test_tatweel_only_arabic_is_refused_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text("- ar: القاهرة\n  en: Cairo\n  type: place\n\n- ar: [دمشق, ـــ]\n  en: Damascus\n  type: place\n",
                    encoding="utf-8")
    problems = parse_file(path).problems
    assert problems == [f"{path}:5:14: source 'ـــ' has no Arabic letters once normalised "
                        "(only tatweel, marks or punctuation), so it can never match"]


@pytest.mark.parametrize(("value", "kind"), [("[Cairo, Al-Qahira]", "a list"), ("{x: Cairo}", "a mapping")])
def test_en_given_as_a_list_is_reported_as_a_list(tmp_path: Path, value: str, kind: str) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(f"- ar: القاهرة\n  en: {value}\n  type: place\n", encoding="utf-8")
    (problem,) = parse_file(path).problems
    assert problem.startswith(f"{path}:2:7: 'en' is {kind}; give one preferred English") and "empty" not in problem


def big_glossary(path: Path, count: int) -> Path:
    rng = random.Random(7)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    seen: set[str] = set()
    lines = ["# generated"]
    while len(seen) < count:
        words = " ".join("".join(rng.choice(letters) for _ in range(rng.randint(3, 7)))
                         for _ in range(rng.randint(1, 3)))
        if words not in seen:
            seen.add(words)
            lines.append(f"- ar: {words}\n  en: Name{len(seen)}\n  type: {rng.choice(['person', 'place', 'term'])}\n")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_72k_entry_glossary_is_compiled_once_and_checked_in_little_memory(tmp_path: Path) -> None:
    glossary = big_glossary(tmp_path / "big.yaml", 72_000)
    code = ("import resource, sys, time; from translator.cli import main; t = time.monotonic(); "
            "rc = main(sys.argv[1:]); "
            "print('took', time.monotonic() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr);"
            " sys.exit(rc)")
    env = {"TRANSLATOR_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    runs = []
    for _ in range(2):  # the first run compiles the cache, the second reads it
        proc = subprocess.run([sys.executable, "-c", code, "glossary", "check", str(glossary)], env=env,
                              capture_output=True, text=True, timeout=600, cwd=ROOT)
        assert proc.returncode == 0 and "ok: 72000 entries" in proc.stdout, proc.stderr
        seconds, rss_kib = proc.stderr.rsplit("took ", 1)[1].split()
        runs.append((float(seconds), int(rss_kib) // 1024))
    (parsed, _), (compiled, rss_mib) = runs
    assert rss_mib <= 200 and compiled < parsed / 2, runs  # seconds: see docs/reliability.md (measured)
    assert list((tmp_path / "home" / "cache" / "glossary").glob("*.json"))
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n- ar: ـــ\n  en: X\n  type: term\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", code, "glossary", "check", str(glossary)], env=env,
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 1 and "can never match" in proc.stderr  # an edited file is parsed again


def _damage(db: Path) -> None:
    data = bytearray(db.read_bytes())  # the header page is kept: the file opens, its pages are garbage
    start, end = len(data) // 4, len(data) * 3 // 4
    data[start:end] = b"\xde\xad\xbe\xef" * ((end - start) // 4) + b"\0" * ((end - start) % 4)
    db.write_bytes(bytes(data))


def test_a_damaged_memory_degrades_to_no_memory(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    with TranslationMemory.for_folder(src, "fake→en 0") as memory:
        for i in range(3000):  # pages enough that garbage lands in the middle of the table
            memory.add_machine(f"جملة رقم {i} " + "كلمة " * 20, f"sentence {i}", "fake→en 0")
    _damage(memory_path(src))
    for i in range(4):
        (src / f"a{i}.txt").write_text(ARABIC.replace("غدا", f"غدا {i}"), encoding="utf-8")
    with TranslationMemory.for_folder(src, "fake→en 0") as memory:
        report = run_batch(BatchOptions(src, tmp_path / "out"), FakeEngine(), memory=memory)
        assert report.ok and report.counts()["translated"] == 4, [f.reason for f in report.files]
        assert "damaged" in memory.degraded


def test_desk_with_an_invalid_project_glossary_keeps_the_shipped_glossary(tmp_path: Path) -> None:
    """Reproduction: an invalid glossary.yaml left the desk translating with no glossary at all."""
    from translator.config import Settings
    from translator.glossary.layers import load_glossary
    from translator.tui.desk_services import DeskServices
    from translator.workspace import Workspace

    settings = Settings(home=tmp_path / "home")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "glossary.yaml").write_text("- ar: القاهرة\n  en: [Cairo, Al-Qahira]\n  type: place\n", encoding="utf-8")
    services = DeskServices(Workspace(settings, folder, load_engine=False), use_memory=False)
    shipped = load_glossary(list(settings.glossary_paths))
    assert services.glossary is not None and services.glossary.fingerprint == shipped.fingerprint
    assert "glossary.yaml:2:7: 'en' is a list" in services.glossary_error
