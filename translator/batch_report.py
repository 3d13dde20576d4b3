"""Provides the batch run's JSON report: one FileResult per input file, the manifest of what
produced the outputs (model, glossary fingerprint, format), and the resume rule (`same_work`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from translator.mt.pipeline import Enforcer

REPORT_NAME = "batch-report.json"
MANIFEST_NAME = "batch-manifest.json"
REPORT_VERSION = 1


@dataclass
class FileCounts:
    """What translating one file counted: made by the per-file work (translator.batch_work, in this
    process or on a Ray worker), kept in the file's report entry."""

    paragraphs: int = 0
    from_memory: int = 0
    terms_found: int = 0
    """Glossary terms in the source."""
    terms_enforced: int = 0
    """Glossary terms present in the English after enforcement."""
    terms_missing: int = 0
    qa_errors: int = 0
    qa_warnings: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> FileCounts:
        """The counts of a file entry of an earlier report (a resumed file keeps them)."""
        return cls(**{f.name: entry[f.name] for f in fields(cls) if f.name in entry})


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
    sentences: int = 0
    counts: FileCounts = field(default_factory=FileCounts)
    resumed: bool = False
    """True when a previous run had finished this file and it was skipped."""

    def to_json(self) -> dict[str, Any]:
        """The report entry (the counts inline, in the report's key order)."""
        c = self.counts
        return {"file": self.file, "status": self.status, "reason": self.reason, "output": self.output,
                "source_sha256": self.source_sha256, "paragraphs": c.paragraphs, "sentences": self.sentences,
                "from_memory": c.from_memory, "terms_found": c.terms_found, "terms_enforced": c.terms_enforced,
                "terms_missing": c.terms_missing, "qa_errors": c.qa_errors, "qa_warnings": c.qa_warnings,
                "resumed": self.resumed, "seconds": c.seconds}


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
            "paragraphs": sum(f.counts.paragraphs for f in self.files if f.status == "ok"),
            "from_memory": sum(f.counts.from_memory for f in self.files if f.status == "ok" and not f.resumed),
        }

    def to_json(self) -> dict[str, Any]:
        return {"version": REPORT_VERSION, "manifest": self.manifest, "summary": self.counts(),
                "files": [f.to_json() for f in self.files]}


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
