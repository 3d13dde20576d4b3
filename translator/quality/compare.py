"""Provides `translator models compare`: every installed (or named) model on the same segments, in one run.

Each model is evaluated in a fresh child process (`python -m translator.quality.compare`), so its
peak resident memory (getrusage ru_maxrss) is its own and one model's failure cannot take the others
down. The child translates with the same pipeline as `translator evaluate` (glossary enforced
unless asked otherwise) and reports sacrebleu BLEU/chrF with signatures, glossary term accuracy,
remnants (segments whose English is empty, the untranslated Arabic, or still holds Arabic
script: QA's checks), segments per second (model loading excluded) and peak RSS.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translator.config import Settings, load_settings
from translator.errors import InputError, ModelError
from translator.mt.cpu import cpu_kernels

#: QA checks that count as remnants: the model left Arabic (or nothing) where English should be.
REMNANT_CHECKS = ("empty", "untranslated", "arabic-left")
#: Seconds one model may take before it is stopped and reported as failed.
MODEL_TIMEOUT = 3600


@dataclass
class ModelRun:
    """One model's figures (or the one-line reason it failed)."""

    name: str
    label: str = ""
    family: str = ""
    demo: bool = False
    bleu: float | None = None
    chrf: float | None = None
    term_accuracy: float | None = None
    terms_matched: int = 0
    remnants: int | None = None
    segments_per_second: float | None = None
    seconds: float | None = None
    load_seconds: float | None = None
    peak_rss_mib: float | None = None
    baseline_rss_mib: float | None = None
    """RSS of the child before the model was loaded (Python + translator's imports)."""
    licence: str = ""
    error: str = ""


@dataclass
class Comparison:
    """The whole comparison: same segments, one row per model."""

    src: Path
    ref: Path
    segments: int
    glossary_enforced: bool
    max_decoding_length: int = 256
    signatures: dict[str, str] = field(default_factory=dict)
    runs: list[ModelRun] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "src": str(self.src), "ref": str(self.ref), "segments": self.segments,
            "glossary_enforced": self.glossary_enforced, "max_decoding_length": self.max_decoding_length,
            "signatures": self.signatures,
            "cpu": cpu_kernels(), "models": [run.__dict__ for run in self.runs],
        }


def compare_models(settings: Settings, src: Path, ref: Path, *, names: list[str] | None = None,
                   glossary_paths: list[Path] | None = None, no_glossary: bool = False,
                   enforce: bool = True, limit: int | None = None) -> Comparison:
    """Evaluate each model in its own process on `src`/`ref`; returns every row, failures included."""
    from translator.mt.models import installed_packages
    from translator.quality.evaluate import aligned, read_lines

    sources, references = read_lines(src), read_lines(ref)
    aligned([(Path(src), sources), (Path(ref), references)])
    installed = [p for p in installed_packages(settings) if (p.from_code, p.to_code) == ("ar", "en")]
    if names:
        known = {p.name for p in installed}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ModelError(f"no installed ar->en model named {unknown[0]!r}; see: translator models list")
    else:
        names = [p.name for p in installed]
        if not names:
            raise ModelError(f"no ar->en models installed in {settings.models_dir}; see: translator models import")
    segments = min(len(sources), limit) if limit else len(sources)
    if segments < 1:
        raise InputError(src, "no segments to compare", "give a file with one Arabic segment per line")
    job = {
        "src": str(src), "ref": str(ref), "limit": limit, "enforce": enforce, "no_glossary": no_glossary,
        "glossary": [str(p) for p in glossary_paths or []],
        "settings": {"home": str(settings.home), "device": settings.device,
                     "max_decoding_length": settings.max_decoding_length, "beam_size": settings.beam_size,
                     "inter_threads": settings.inter_threads, "intra_threads": settings.intra_threads},
    }
    result = Comparison(Path(src), Path(ref), segments, enforce and not no_glossary, settings.max_decoding_length)
    for name in names:
        run, signatures = _run_child(dict(job, model=name))
        result.runs.append(run)
        result.signatures = result.signatures or signatures
    return result


def _run_child(job: dict[str, Any]) -> tuple[ModelRun, dict[str, str]]:
    name = str(job["model"])
    try:
        done = subprocess.run([sys.executable, "-m", "translator.quality.compare"], input=json.dumps(job), text=True,
                              capture_output=True, timeout=MODEL_TIMEOUT, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    except subprocess.TimeoutExpired:
        return ModelRun(name, error=f"stopped after {MODEL_TIMEOUT} s"), {}
    lines = done.stdout.strip().splitlines()
    try:
        data = json.loads(lines[-1]) if lines else {}
    except ValueError:
        data = {}
    if done.returncode != 0 or "run" not in data:
        reason = data.get("error") or (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        return ModelRun(name, error=str(reason)), {}
    return ModelRun(**data["run"]), dict(data.get("signatures", {}))


def _child(job: dict[str, Any]) -> dict[str, Any]:
    """In the child: evaluate one model; returns the JSON line the parent reads."""
    from translator.glossary.enforce import enforcer_from_settings
    from translator.glossary.layers import glossary_for_checks
    from translator.mt.models import load_engine
    from translator.quality.evaluate import evaluate
    from translator.quality.qa import check_paragraph

    baseline = _rss_mib()
    given = job["settings"]
    settings = load_settings().with_(home=Path(given.pop("home")), model=job["model"], **given)  # env glossaries too
    glossary_paths = [Path(p) for p in job["glossary"]]
    if glossary_paths:
        settings = settings.with_(glossary_paths=tuple(glossary_paths))
    glossary = None if job["no_glossary"] else glossary_for_checks(settings, glossary_paths or None)
    engine = load_engine(settings)
    enforcer = enforcer_from_settings(settings) if job["enforce"] and not job["no_glossary"] else None
    result = evaluate(Path(job["src"]), Path(job["ref"]), engine=engine, enforcer=enforcer, glossary=glossary,
                      limit=job["limit"])
    from translator.quality.evaluate import read_lines

    sources = read_lines(Path(job["src"]))[: result.segments]
    remnants = sum(1 for source, hyp in zip(sources, result.hypotheses)
                   if any(f.kind.value in REMNANT_CHECKS for f in check_paragraph(source, hyp)))
    info = engine.info
    run = ModelRun(
        name=info.name, label=engine.label, family=info.family, demo=info.demo,
        bleu=round(result.scores.bleu.score, 2), chrf=round(result.scores.chrf.score, 2),
        term_accuracy=result.terms.accuracy if result.terms else None,
        terms_matched=result.terms.matched if result.terms else 0,
        remnants=remnants, segments_per_second=result.segments_per_second, seconds=result.seconds,
        load_seconds=result.load_seconds, peak_rss_mib=_rss_mib(), baseline_rss_mib=baseline,
        licence=str(info.metadata.get("licence", "")),
    )
    signatures = {"BLEU": result.scores.bleu.signature, "chrF": result.scores.chrf.signature}
    return {"run": run.__dict__, "signatures": signatures}


def _rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def plot(comparison: Comparison, path: Path) -> None:
    """A PNG bar chart of BLEU and chrF per model (needs matplotlib, an optional extra)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ModelError("--plot needs matplotlib, which is not installed: pip install -e '.[plot]' "
                         "(the table and --json carry the same figures)") from None
    runs = [r for r in comparison.runs if not r.error]
    fig, ax = plt.subplots(figsize=(max(4.0, 1.6 * len(runs) + 2), 3.6))
    xs = range(len(runs))
    ax.bar([x - 0.2 for x in xs], [r.bleu or 0 for r in runs], width=0.4, label="BLEU")
    ax.bar([x + 0.2 for x in xs], [r.chrf or 0 for r in runs], width=0.4, label="chrF")
    ax.set_xticks(list(xs), [r.name for r in runs], rotation=20, ha="right")
    ax.set_title(f"{comparison.src.name}: {comparison.segments} segments")
    ax.legend()
    fig.tight_layout()
    try:
        fig.savefig(path, format="png", dpi=100)
    except OSError as exc:
        raise InputError(path, f"cannot write the chart ({exc.strerror or exc})") from None
    finally:
        plt.close(fig)


def main() -> int:
    """Child entry point: one JSON job on stdin, one JSON line on stdout."""
    from translator.errors import TranslatorError

    job = json.loads(sys.stdin.read())
    try:
        print(json.dumps(_child(job), ensure_ascii=False))
    except TranslatorError as exc:
        print(json.dumps({"error": str(exc).splitlines()[0]}, ensure_ascii=False))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
