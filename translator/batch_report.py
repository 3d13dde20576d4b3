"""Provides the batch run's JSON report: one FileResult per input file, the manifest of what
produced the outputs (model, glossary fingerprint, format), and the resume rule (`same_work`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from translator.mt.pipeline import Enforcer

REPORT_NAME = "batch-report.json"
MANIFEST_NAME = "batch-manifest.json"
REPORT_VERSION = 1


@dataclass
class FileResult:
    """Outcome for one input file (one entry of the JSON report)."""

    file: str
    """Path relative to the input folder."""
    status: str = "pending"
    """ok, failed, or pending (not reached yet: the run was interrupted)."""
    reason: str = ""
    output: str = ""
    source_sha256: str = ""
    paragraphs: int = 0
    sentences: int = 0
    from_memory: int = 0
    terms_found: int = 0
    """Glossary terms in the source."""
    terms_enforced: int = 0
    """Glossary terms present in the English after enforcement."""
    terms_missing: int = 0
    qa_errors: int = 0
    qa_warnings: list[dict[str, Any]] = field(default_factory=list)
    resumed: bool = False
    """True when a previous run had finished this file and it was skipped."""
    seconds: float = 0.0


@dataclass
class BatchReport:
    """The whole run: settings manifest plus one result per file."""

    manifest: dict[str, Any]
    files: list[FileResult]

    @property
    def ok(self) -> bool:
        return all(f.status == "ok" for f in self.files)

    def counts(self) -> dict[str, int]:
        done = sum(1 for f in self.files if f.status == "ok" and not f.resumed)
        return {
            "files": len(self.files),
            "translated": done,
            "skipped": sum(1 for f in self.files if f.resumed),
            "failed": sum(1 for f in self.files if f.status == "failed"),
            "paragraphs": sum(f.paragraphs for f in self.files if f.status == "ok"),
            "from_memory": sum(f.from_memory for f in self.files if f.status == "ok" and not f.resumed),
        }

    def to_json(self) -> dict[str, Any]:
        return {"version": REPORT_VERSION, "manifest": self.manifest, "summary": self.counts(),
                "files": [asdict(f) for f in self.files]}


def glossary_fingerprint(enforcer: Enforcer | None) -> str:
    """The fingerprint of the enforcer's glossary ('' without one)."""
    return enforcer.glossary.fingerprint if enforcer is not None else ""


def same_work(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """True if outputs made under manifest `old` are what `new` would make."""
    keys = ("model", "glossary_fingerprint", "glossary_enforced", "format")
    return all(old.get(k) == new.get(k) for k in keys)


def load_report(out_dir: Path) -> dict[str, Any] | None:
    """The previous run's report in `out_dir`, or None if absent or unreadable."""
    try:
        data = json.loads((Path(out_dir) / REPORT_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
