"""Golden batch output: tests/golden/*.ar.txt -> tests/golden/expected/*.en.md + manifest.json, exactly.

Byte-exact only where no model decodes: tests.conftest.FakeEngine echoes each model input as `EN[...]`, so the
files show exactly what the batch does around the model (junk lines dropped, title heading, sentence splitting,
glossary code-switching and repair with tests/golden/glossary.yaml, bad files reported). Regenerate only on purpose:
TRANSLATOR_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py, then review the diff before committing.

The committed demo model decodes for real, and its exact English depends on the CPU: CTranslate2 and oneDNN pick
int8 kernels at run time, results differ in the last bits and beam search turns that into other words (an AVX2-only
AMD EPYC wrote "will visit Fayez al-Sarraj" where an AVX-512 Xeon wrote "will hold a phone call with ...").
Its batch is held to what every CPU gives: the fake golden's files, statuses and source-side counts, one English
paragraph per Arabic one, and every term counted as enforced really in the English.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tests.conftest import FakeEngine, machine_body
from translator.batch import BatchOptions, run_batch
from translator.batch_report import BatchReport, glossary_fingerprint
from translator.config import Settings
from translator.glossary.enforce import enforcer_from_settings
from translator.glossary.repair import verify_terms
from translator.text.document import read_article

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("TRANSLATOR_UPDATE_GOLDEN") == "1"
_HOW = ("if the demo model, enforcer, splitter or QA changed on purpose, regenerate with "
        "TRANSLATOR_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py and review the diff")
_SOURCE_SIDE = ("file", "status", "reason", "output", "source_sha256", "paragraphs", "sentences", "from_memory",
                "terms_found")
_STABLE_FILE_KEYS = ("file", "status", "reason", "output", "source_sha256", "paragraphs", "sentences", "from_memory",
                     "terms_found", "terms_enforced", "terms_missing", "qa_errors")


def stable_manifest(report: BatchReport) -> dict[str, Any]:
    """The report without what changes from run to run (times, folders, thread settings)."""
    data = report.to_json()
    manifest = {k: data["manifest"][k] for k in ("model", "glossary_fingerprint", "glossary_enforced", "format")}
    files = []
    for entry in data["files"]:
        row = {k: entry[k] for k in _STABLE_FILE_KEYS}
        row["qa"] = sorted(f"{f['severity']}:{f['kind']}@{f['index']}" for f in entry["qa_warnings"])
        files.append(row)
    return {"manifest": manifest, "summary": data["summary"], "files": files}


def _run(engine: Any, tmp_path: Path) -> tuple[BatchReport, Path, Any]:
    settings = Settings(home=tmp_path / "home", glossary_paths=(GOLDEN / "glossary.yaml",))
    enforcer = enforcer_from_settings(settings, None)
    out = tmp_path / "out"
    report = run_batch(BatchOptions(GOLDEN, out), engine, enforcer, settings=settings, glossary=enforcer.glossary)
    return report, out, enforcer


def test_golden_batch(tmp_path: Path) -> None:
    EXPECTED = GOLDEN / "expected"
    report, out, enforcer = _run(FakeEngine(), tmp_path)
    actual = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.en.md"))}
    manifest = json.dumps(stable_manifest(report), ensure_ascii=False, indent=1) + "\n"
    if UPDATE:
        EXPECTED.mkdir(exist_ok=True)
        for old in EXPECTED.glob("*"):
            old.unlink()
        for name, text in actual.items():
            (EXPECTED / name).write_text(text, encoding="utf-8")
        (EXPECTED / "manifest.json").write_text(manifest, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(EXPECTED.glob("*.en.md"))}
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert actual[name] == expected[name], f"{name} differs from tests/golden/expected; {_HOW}"
    assert manifest == (EXPECTED / "manifest.json").read_text(encoding="utf-8"), _HOW
    assert glossary_fingerprint(enforcer) == report.manifest["glossary_fingerprint"] != ""
    assert not report.ok  # the cp1256 file is in the set on purpose


def _blocks(markdown: str) -> list[str]:
    return [b for b in machine_body(markdown).split("\n\n") if b.strip()]


def test_demo_model_batch_holds_on_every_cpu(tmp_path: Path, installed: Settings) -> None:
    from translator.mt.models import load_engine

    report, out, enforcer = _run(load_engine(installed), tmp_path)
    golden = json.loads((GOLDEN / "expected" / "manifest.json").read_text(encoding="utf-8"))
    actual = stable_manifest(report)
    assert actual["summary"] == golden["summary"]
    assert {k: actual["manifest"][k] for k in ("glossary_fingerprint", "glossary_enforced", "format")} == \
        {k: golden["manifest"][k] for k in ("glossary_fingerprint", "glossary_enforced", "format")}
    assert actual["manifest"]["model"].endswith("(demo)")
    assert [{k: f[k] for k in _SOURCE_SIDE} for f in actual["files"]] == \
        [{k: f[k] for k in _SOURCE_SIDE} for f in golden["files"]]
    for entry in actual["files"]:
        if entry["status"] != "ok":
            continue
        assert entry["terms_enforced"] + entry["terms_missing"] == entry["terms_found"], entry
        english = _blocks((out / entry["output"]).read_text(encoding="utf-8"))
        assert len(english) == len(_blocks((GOLDEN / "expected" / entry["output"]).read_text(encoding="utf-8")))
        assert english[0].startswith("# ") and all(b.strip() for b in english)
        article = read_article(GOLDEN / entry["file"])
        really_there = [t for p, en in zip(article.translatable, english)
                        for t in verify_terms(enforcer.glossary, p.text, en.removeprefix("# ")) if t.enforced]
        assert len(really_there) == entry["terms_enforced"], (entry["file"], english)
