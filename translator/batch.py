"""Provides run_batch: a folder of Arabic articles to English files, fast, resumable, reported.

Sentences of many files go to the engine in one call per chunk of files (the engine sorts and
batches them by tokens), so a loaded model stays busy; chunks are small enough for the progress
to move. After each chunk the outputs and then the JSON report are written atomically, so a run
killed at any moment leaves whole files only, and the next run skips what the report says is done
(same source hash, same model, glossary and format, output still present). Bad input files are
reported with the reason and never stop the batch.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translator import __version__
from translator.batch_report import (
    MANIFEST_NAME,
    REPORT_NAME,
    BatchReport,
    FileCounts,
    FileResult,
    glossary_fingerprint,
    load_report,
    same_work,
)
from translator.batch_work import FileWork, translate_articles
from translator.config import Settings
from translator.errors import InputError, describe_os_error
from translator.fileio import MAX_TEXT_BYTES, atomic_write_text, decode_user_text, read_user_bytes
from translator.glossary.layers import Glossary
from translator.mt.cpu import cpu_kernels
from translator.mt.engine import Engine
from translator.mt.pipeline import Enforcer, Memory, ParagraphTranslation, sentence_count
from translator.store.export import RENDERERS, SUFFIXES, article_files
from translator.text.document import Article, JunkFilter, article_stem, parse_article

if TYPE_CHECKING:
    from translator.batch_ray import RayBackend


@dataclass
class BatchOptions:
    """What to translate and where to put it."""

    in_dir: Path
    out_dir: Path
    pattern: str = "*.txt"
    fmt: str = "md"
    """Output format: md, txt or bilingual."""
    force: bool = False
    """Redo every file even if the report says it is done."""
    chunk_sentences: int = 256
    """Most sentences per engine call (several whole files together; one Ray task). The
    progress moves within a call, sentence by sentence, so even the first call is this big:
    the model decodes sentences of one length together, and a bigger call has more of them."""
    first_chunk_sentences: int | None = None
    """Sentences of the first call (None: chunk_sentences; tests make it small)."""
    max_bytes: int = MAX_TEXT_BYTES


#: A report write during the run waits at least this many times the last write's duration (see _Run.save_report).
REPORT_PACE = 9.0


@dataclass(frozen=True)
class Progress:
    """Progress after each finished paragraph or file (for a progress bar)."""

    files_done: int
    files_total: int
    paragraphs_done: int
    paragraphs_total: int
    sentences_done: int
    sentences_total: int


#: Settings recorded in the manifest (fields of translator.config.Settings).
MANIFEST_SETTINGS = ("device", "inter_threads", "intra_threads", "beam_size", "max_batch_tokens", "max_decoding_length",
                     "decoding_ratio", "decoding_extra", "no_repeat_ngram_size", "hypotheses", "retry_budget")


def build_manifest(options: BatchOptions, engine: Engine, enforcer: Enforcer | None,
                   settings: Settings | None = None) -> dict[str, Any]:
    """What produced the outputs: model, glossary, format and engine settings."""
    values = asdict(settings) if settings is not None else {}
    knobs = {k: values[k] for k in MANIFEST_SETTINGS} if values else {}
    return {
        "tool": f"translator {__version__}",
        "model": engine.label,
        "demo_model": engine.is_demo,
        "glossary_fingerprint": glossary_fingerprint(enforcer),
        "glossary_enforced": enforcer is not None,
        "format": options.fmt,
        "input": str(options.in_dir),
        "glob": options.pattern,
        "settings": knobs,
        "cpu": cpu_kernels(),
        "started": "",
        "finished": "",
    }


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class _Run:
    """State of one batch run (kept out of run_batch to keep that readable)."""

    def __init__(self, options: BatchOptions, engine: Engine, enforcer: Enforcer | None,
                 memory: Memory | None, manifest: dict[str, Any], glossary: Glossary | None,
                 on_progress: Callable[[Progress], None] | None) -> None:
        self.options = options
        self.engine = engine
        self.enforcer = enforcer
        self.memory = memory
        self.glossary = glossary
        self.on_progress = on_progress
        self.report = BatchReport(manifest, [])
        self.junk = JunkFilter.from_files()
        self.articles: dict[str, Article] = {}
        self.results: dict[str, FileResult] = {}
        self.sentences: dict[str, int] = {}
        self.done = [0, 0, 0]  # files, paragraphs, sentences
        self._last_save = -float("inf")
        self._save_seconds = 0.0
        self.totals = [0, 0, 0]

    def output_path(self, path: Path) -> Path:
        rel = path.relative_to(self.options.in_dir)
        return self.options.out_dir / rel.parent / f"{article_stem(path)}{SUFFIXES[self.options.fmt]}"

    def save_report(self, min_gap: float | None = None) -> None:
        """Write the whole report atomically. With `min_gap` (a write during the run) the write is
        skipped while the last one ended less than `min_gap` seconds ago, or less than REPORT_PACE
        times its own duration ago: a report of tens of thousands of files takes long to write, and
        this keeps its writes under a tenth of the run. A skipped write only makes a rerun after a
        kill translate those files again (the same English); the final write is never skipped."""
        now = time.monotonic()
        if min_gap is not None and now < self._last_save + max(min_gap, REPORT_PACE * self._save_seconds):
            return
        for r in self.report.files:
            if r.status == "failed" and not (self.options.out_dir / r.output).is_file():
                r.output = ""
        self.report.manifest["finished"] = _now()
        atomic_write_text(self.options.out_dir / REPORT_NAME,
                          json.dumps(self.report.to_json(), ensure_ascii=False, indent=1) + "\n")
        self._last_save = time.monotonic()
        self._save_seconds = self._last_save - now

    def tick(self, files: int = 0, paragraphs: int = 0, sentences: int = 0) -> None:
        self.done = [self.done[0] + files, self.done[1] + paragraphs, self.done[2] + sentences]
        if self.on_progress:
            self.on_progress(Progress(self.done[0], self.totals[0], self.done[1], self.totals[1],
                                      self.done[2], self.totals[2]))

    def prepare(self, paths: Sequence[Path], previous: dict[str, Any] | None) -> list[FileResult]:
        """Read and hash every file; return the ones still to translate (others are final)."""
        old_files: dict[str, dict[str, Any]] = {}
        if previous and not self.options.force and same_work(previous.get("manifest", {}), self.report.manifest):
            old_files = {f["file"]: f for f in previous.get("files", [])
                         if isinstance(f, dict) and isinstance(f.get("file"), str)}
        todo: list[FileResult] = []
        claimed: dict[Path, str] = {}
        for path in paths:
            rel = path.relative_to(self.options.in_dir).as_posix()
            result = FileResult(rel)
            self.report.files.append(result)
            self.results[rel] = result
            out = self.output_path(path)
            result.output = out.relative_to(self.options.out_dir).as_posix()
            if out in claimed:
                result.status = "failed"
                result.reason = f"output name {result.output} is also that of {claimed[out]}; rename one"
                continue
            claimed[out] = rel
            try:
                data = read_user_bytes(path, self.options.max_bytes)
                article = parse_article(path, decode_user_text(path, data), self.junk)
                result.source_sha256 = hashlib.sha256(data).hexdigest()
            except InputError as exc:
                result.status, result.reason = "failed", f"{exc.reason}" + (f" ({exc.hint})" if exc.hint else "")
                continue
            except OSError as exc:
                result.status, result.reason = "failed", f"cannot be read: {exc.strerror}"
                continue
            if not article.translatable:
                result.status, result.reason = "failed", "no translatable paragraphs (only site junk lines)"
                continue
            old = old_files.get(rel)
            if old and old.get("status") == "ok" and old.get("source_sha256") == result.source_sha256 and out.is_file():
                result.counts, result.sentences = FileCounts.from_json(old), old.get("sentences", 0)
                result.status, result.resumed = "ok", True
                continue
            self.articles[rel] = article
            self.sentences[rel] = sum(sentence_count(p.text) for p in article.translatable)
            todo.append(result)
        self.totals = [len(todo), sum(len(self.articles[r.file].translatable) for r in todo),
                       sum(self.sentences[r.file] for r in todo)]
        return todo

    def chunks(self, todo: list[FileResult]) -> Iterator[list[FileResult]]:
        """The files of each engine call, as plan_chunks groups them."""
        by_key = {r.file: r for r in todo}
        for keys in self.plan(todo):
            yield [by_key[k] for k in keys]

    def plan(self, todo: list[FileResult]) -> list[list[str]]:
        size = self.options.chunk_sentences
        first = size if self.options.first_chunk_sentences is None else self.options.first_chunk_sentences
        return plan_chunks([r.file for r in todo], self.sentences, first, size)

    def translate_chunk(self, chunk: list[FileResult]) -> None:
        """Translate a chunk of files in this process (one engine call) and write each."""
        paragraphs = [p for r in chunk for p in self.articles[r.file].translatable]

        def on_done(index: int, result: ParagraphTranslation) -> None:  # the model's sentences ticked one by one
            self.tick(paragraphs=1, sentences=sentence_count(paragraphs[index].text) if result.from_memory else 0)

        works = translate_articles([(r.file, self.articles[r.file]) for r in chunk], self.engine, self.enforcer,
                                   self.memory, self.glossary, self.options.fmt, on_done,
                                   on_sentence=lambda _: self.tick(sentences=1))
        for work in works:
            self.finish(work.file, work)
        self.tick(files=len(chunk))

    def note_backend(self, description: dict[str, Any]) -> None:
        """Record in the manifest (file and report) the Ray workers that translated."""
        self.report.manifest["ray"] = description
        atomic_write_text(self.options.out_dir / MANIFEST_NAME,
                          json.dumps(self.report.manifest, ensure_ascii=False, indent=1) + "\n")

    def fail(self, key: str, reason: str) -> None:
        result = self.results[key]
        result.status, result.reason = "failed", reason

    def finish(self, key: str, work: FileWork) -> None:
        """Write one translated file (whatever process translated it) and fill its report entry."""
        if work.error:
            self.fail(key, work.error)
            return
        r = self.results[key]
        r.sentences, r.counts = self.sentences[key], work.counts
        try:
            atomic_write_text(self.options.out_dir / r.output, work.rendered)
        except OSError as exc:
            r.status, r.reason = "failed", describe_os_error(exc, r.output)
            return
        r.status = "ok"


def plan_chunks(keys: Sequence[str], sentences: dict[str, int], first: int, size: int) -> list[list[str]]:
    """Whole files, in order, grouped into engine calls of at most `first` sentences, then `size`.

    The plan depends on the files alone, never on timing, and local batch and Ray tasks both
    follow it: CTranslate2's int8 results for a sentence can change in the last bits with the
    other sentences padded into its batch, and beam search can turn that into other words (seen
    with the random-weight model), so the same groups are what give the same English.
    """
    chunks: list[list[str]] = []
    budget, used = min(first, size), 0
    for key in keys:
        if chunks and used + sentences[key] <= budget:
            chunks[-1].append(key)
            used += sentences[key]
            continue
        if chunks:
            budget = size
        chunks.append([key])
        used = sentences[key]
    return chunks


def run_batch(
    options: BatchOptions,
    engine: Engine,
    enforcer: Enforcer | None = None,
    memory: Memory | None = None,
    *,
    settings: Settings | None = None,
    glossary: Glossary | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    backend: RayBackend | None = None,
) -> BatchReport:
    """Translate every article in `options.in_dir` matching `options.pattern` into `options.out_dir`.

    Args:
        options: folders, pattern, format, force.
        engine: one engine for the whole run.
        enforcer: glossary enforcement (None: raw machine output).
        memory: translation memory consulted before the model and fed with its output.
        settings: engine settings, recorded in the manifest.
        glossary: the glossary for QA term checks (None: no term checks).
        on_progress: called as paragraphs and files finish.
        backend: run the translations on Ray workers (translator.batch_ray) instead of in this
            process; reading, skipping, the memory, outputs, report and progress stay here.

    Returns:
        The report (also written to `out_dir/batch-report.json` after every chunk, with the
        manifest also in `out_dir/batch-manifest.json`).

    Raises:
        InputError: the input folder is missing or holds no matching file.
    """
    in_dir, out_dir = Path(options.in_dir), Path(options.out_dir)
    if not in_dir.is_dir():
        raise InputError(in_dir, "is not a folder", "give the folder that holds the articles")
    if options.fmt not in RENDERERS:
        raise InputError(in_dir, f"unknown batch format {options.fmt!r}", f"use one of {', '.join(RENDERERS)}")
    paths = article_files(in_dir, options.pattern)
    if out_dir.resolve() != in_dir.resolve():  # never translate our own outputs
        paths = [p for p in paths if not _inside(p, out_dir)]
    if not paths:
        raise InputError(in_dir, f"no files match {options.pattern!r}", "check the folder or pass --glob")
    _remove_stale_temp_files(out_dir)
    manifest = build_manifest(options, engine, enforcer, settings)
    manifest["started"] = _now()
    run = _Run(options, engine, enforcer, memory, manifest, glossary, on_progress)
    todo = run.prepare(paths, load_report(out_dir))
    atomic_write_text(out_dir / MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    run.save_report()
    run.tick()
    if backend is not None:
        backend.run(run, run.plan(todo), enforcer, memory, glossary, options.fmt)
        run.save_report()
        return run.report
    for chunk in run.chunks(todo):
        run.translate_chunk(chunk)
        run.save_report(min_gap=0.0)
    run.save_report()
    return run.report


def _remove_stale_temp_files(out_dir: Path) -> None:
    """Delete temp files an atomic write left when a previous run was killed mid-write."""
    if not out_dir.is_dir():
        return
    ours = tuple(SUFFIXES.values()) + (REPORT_NAME, MANIFEST_NAME)
    for tmp in out_dir.rglob(".*.tmp"):
        if any(f"{suffix}." in tmp.name for suffix in ours):  # `.<output name>.<random>.tmp`
            tmp.unlink(missing_ok=True)


def _inside(path: Path, folder: Path) -> bool:
    """Whether `path`'s folder is inside `folder` (the file itself is not resolved: it may be a bad link)."""
    try:
        Path(os.path.realpath(path.parent)).joinpath(path.name).relative_to(os.path.realpath(folder))
    except ValueError:
        return False
    return True
