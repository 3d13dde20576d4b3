"""Provides `translator batch IN_DIR`: translate a folder of articles with progress, resume and a report.

Exit codes: 0 every file ok (translated now or by an earlier run), 1 at least one file failed
(see the report), 2 usage error, 130 interrupted (finished files are kept; rerun to resume).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from translator.commands.common import (
    add_device_option,
    add_retry_budget_option,
    enforcing_settings,
    output_folder,
    run_memory,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from translator.batch import Progress
    from translator.batch_ray import RayBackend
    from translator.batch_report import BatchReport
    from translator.config import Settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the sub-command to the parser."""
    p = sub.add_parser(
        "batch",
        help="translate a folder of articles (resumable; writes a JSON report)",
        description="Translate every article in IN_DIR. Finished files are skipped on a rerun. "
                    "Exit code 0 if all files are ok, 1 if any failed (see batch-report.json).",
    )
    p.add_argument("in_dir", type=Path, metavar="IN_DIR", help="folder of Arabic articles (UTF-8 text)")
    p.add_argument("-o", "--output", type=Path, metavar="OUT_DIR",
                   help="where to write the English and the report (default: IN_DIR/english)")
    p.add_argument("--glob", default="*.txt", metavar="PATTERN",
                   help="which files to translate (default: *.txt; use **/*.txt for sub-folders)")
    add_device_option(p)
    p.add_argument("--force", action="store_true", help="translate every file again, even finished ones")
    p.add_argument("--format", dest="fmt", choices=["md", "txt", "bilingual"], default="md",
                   help="output: English Markdown (default), plain text, or bilingual Markdown")
    p.add_argument("--no-glossary", action="store_true", help="raw machine output, no glossary enforcement")
    add_retry_budget_option(p)
    p.add_argument("--no-memory", action="store_true", help="neither read nor feed the translation memory")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--ray", nargs="?", const="", default=None, metavar="ADDRESS",
                   help="translate on Ray workers: alone, a local Ray instance; with ADDRESS (auto, HOST:6379 "
                        "or ray://HOST:10001) an existing cluster. Needs the [cluster] extra (docs/cluster.md)")
    p.add_argument("--workers", type=int, default=0, metavar="N",
                   help="with --ray: how many engines to start (default: one per GPU, or per "
                        "TRANSLATOR_INTER_THREADS CPUs)")
    p.add_argument("--task-size", type=_positive, metavar="N",
                   help="sentences per engine call, whole files together: with --ray, per Ray task (default 256; "
                        "on GPUs 1000-2000 keeps the workers busy). The English does not depend on it")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the batch and print the summary; returns the exit code."""
    from rich.console import Console

    from translator.batch import BatchOptions, run_batch
    from translator.batch_report import MANIFEST_NAME, REPORT_NAME
    from translator.errors import InputError
    from translator.mt.engine import ArgosEngine
    from translator.workspace import Workspace

    settings = enforcing_settings(args)
    in_dir: Path = args.in_dir
    if not in_dir.is_dir():  # before loading the model or creating the memory folder
        raise InputError(in_dir, "is not a folder", "give the folder that holds the articles")
    out_dir: Path = args.output or in_dir / "english"
    options = BatchOptions(in_dir, out_dir, args.glob, args.fmt, args.force)
    if args.task_size is not None:
        options.chunk_sentences = args.task_size
    backend = _ray_backend(args, settings) if args.ray is not None else None  # before any work: Ray missing?
    output_folder(out_dir)  # created (or refused) before the model loads
    workspace = Workspace(settings, in_dir)
    engine = workspace.engine
    if backend is not None and isinstance(engine, ArgosEngine):  # Ray workers load the same package
        backend.ship(engine.info.path)
    enforcer = None if args.no_glossary else workspace.enforcer()
    glossary = enforcer.glossary if enforcer is not None else None
    err = Console(stderr=True)

    def say(line: str) -> None:  # above the progress bar while it runs
        err.print(line, highlight=False, markup=False, soft_wrap=True)

    quiet = args.quiet or not err.is_terminal and not _force_progress()
    with (run_memory(workspace, engine.label, enforced=enforcer is not None, wait=settings.memory_wait,
                     use=not args.no_memory, say=say) as memory,  # settled after the bar, every file written
          _progress_bar(err, quiet) as on_progress):
        report = run_batch(options, engine, enforcer, memory, settings=settings, glossary=glossary,
                           on_progress=on_progress, backend=backend)
    out = Console()
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out = Console(width=140)  # piped to a file or log: show every column rather than 80 wide
    _print_summary(out, report)
    if backend is not None and backend.description:
        err.print(backend.description, highlight=False, soft_wrap=True)
    err.print(f"report: {out_dir / REPORT_NAME}   manifest: {out_dir / MANIFEST_NAME}   model: {engine.label}",
              highlight=False, soft_wrap=True)
    return 0 if report.ok else 1


def _ray_backend(args: argparse.Namespace, settings: Settings) -> RayBackend:
    """The Ray backend for --ray (one line saying what to install when Ray is missing)."""
    from translator.batch_ray import RayBackend, RayOptions

    if args.workers < 0:
        raise SystemExit("translator: --workers must be 1 or more (0: automatic)")
    return RayBackend(RayOptions(address=args.ray, workers=args.workers), settings)


def _positive(text: str) -> int:
    """An argparse type: a whole number of 1 or more (else a usage line)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return value


def _force_progress() -> bool:
    return bool(os.environ.get("TRANSLATOR_PROGRESS"))


class _progress_bar:
    """Rich progress on stderr, fed by batch Progress events: a bar of sentences (they move while the model
    decodes), files and paragraphs done, sentences/s, ETA."""

    def __init__(self, console: Console, disabled: bool) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.disabled = disabled
        self.progress = Progress(
            TextColumn("[bold]translating"), BarColumn(),
            TextColumn("{task.fields[sentences]} sentences"),
            TextColumn("{task.fields[files]} files"),
            TextColumn("{task.fields[paragraphs]} paragraphs"),
            TextColumn("{task.fields[rate]} sentences/s"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=console, disable=disabled, transient=False,
        )
        self.task = self.progress.add_task("batch", total=None, sentences="…", files="…", paragraphs="…", rate="–",
                                      start=False)
        self.started = 0.0

    def __enter__(self) -> Callable[[Progress], None]:
        import time

        self.progress.__enter__()
        self.progress.start_task(self.task)
        self.started = time.perf_counter()
        return self.update

    def update(self, event: Progress) -> None:
        import time

        elapsed = max(time.perf_counter() - self.started, 1e-6)
        rate = f"{event.sentences_done / elapsed:.1f}" if event.sentences_done else "–"
        self.progress.update(self.task, total=event.sentences_total, completed=event.sentences_done,
                             sentences=f"{event.sentences_done}/{event.sentences_total}",
                             files=f"{event.files_done}/{event.files_total}",
                             paragraphs=f"{event.paragraphs_done}/{event.paragraphs_total}", rate=rate)

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(*exc)  # type: ignore[arg-type]


def _print_summary(console: Console, report: BatchReport) -> None:
    from rich.table import Table

    table = Table(title="batch summary", title_justify="left")
    longest = max((len(f.file) for f in report.files), default=4)
    table.add_column("file", overflow="fold", min_width=min(longest, 40))
    table.add_column("status", no_wrap=True)
    for name in ("paragraphs", "memory", "terms", "QA"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("reason", overflow="fold")  # empty unless a file failed: no width reserved
    for f in report.files:
        status = {"ok": "[green]ok[/]", "failed": "[red]failed[/]"}.get(f.status, f.status)
        if f.resumed:
            status = "[green]ok[/] (done earlier)"
        n = f.counts
        terms = f"{n.terms_enforced}/{n.terms_found}" if n.terms_found else "–"
        qa = f"{n.qa_errors}E {len(n.qa_warnings) - n.qa_errors}W" if n.qa_warnings else "–"
        table.add_row(f.file, status, str(n.paragraphs or "–"), str(n.from_memory or "–"), terms, qa, f.reason)
    console.print(table)
    c = report.counts()
    console.print(f"{c['files']} files: {c['translated']} translated, {c['skipped']} already done, "
                  f"{c['failed']} failed; {c['paragraphs']} paragraphs ({c['from_memory']} from memory)",
                  highlight=False)
