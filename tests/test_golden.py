"""Golden batch output: tests/golden/*.ar.txt -> tests/golden/expected/*.en.md + manifest.json, exactly.

Two engines: tests.conftest.FakeEngine (expected/; it echoes each model input as `EN[...]`, so
the files show exactly what the batch does around the model: junk lines dropped, title heading,
sentence splitting, glossary code-switching and repair with tests/golden/glossary.yaml, bad files
reported), and the committed demo model with real CTranslate2 inference (expected-demo/).
Regenerate only on purpose:  TRANSLATOR_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
then review the diff before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FakeEngine
from translator.batch import BatchOptions, BatchReport, glossary_fingerprint, run_batch
from translator.config import Settings
from translator.enforce import enforcer_from_settings

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("TRANSLATOR_UPDATE_GOLDEN") == "1"
_HOW = ("if the demo model, enforcer, splitter or QA changed on purpose, regenerate with "
        "TRANSLATOR_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py and review the diff")
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


def _engine(kind: str, settings: Settings, request: pytest.FixtureRequest) -> Any:
    if kind == "fake":
        return FakeEngine()
    from translator.models import install_package_file, load_engine

    install_package_file(settings, request.getfixturevalue("demo_model_file"))
    return load_engine(settings)


@pytest.mark.parametrize("kind, expected_dir", [("fake", "expected"), ("demo", "expected-demo")])
def test_golden_batch(kind: str, expected_dir: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    EXPECTED = GOLDEN / expected_dir
    settings = Settings(home=tmp_path / "home", glossary_paths=(GOLDEN / "glossary.yaml",))
    enforcer = enforcer_from_settings(settings, None)
    out = tmp_path / "out"
    report = run_batch(BatchOptions(GOLDEN, out), _engine(kind, settings, request), enforcer,
                       settings=settings, glossary=enforcer.glossary)
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
        assert actual[name] == expected[name], f"{name} differs from tests/golden/{expected_dir}; {_HOW}"
    assert manifest == (EXPECTED / "manifest.json").read_text(encoding="utf-8"), _HOW
    assert glossary_fingerprint(enforcer) == report.manifest["glossary_fingerprint"] != ""
    assert not report.ok  # the cp1256 file is in the set on purpose
