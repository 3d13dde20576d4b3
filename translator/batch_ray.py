"""Provides RayBackend: the batch's model work on Ray workers, everything else on the driver.

The driver (the `translator batch` process) does what local batch does: reads, hashes and
skips files, looks paragraphs up in the translation memory, writes every output and the report
atomically as results come back, stores new machine translations in the memory, and shows the
progress. Ray core actors (one engine each, `num_gpus=1` on GPU nodes) only run
translator.batch_work.translate_articles, the function local batch runs in-process, on groups of
whole files: the English is the same byte for byte.

- The model package (mt/shipped.py) and the glossary are put in Ray's object store once per run; each
  worker node unpacks the package once into its temp folder (workers need no model installed).
- A killed worker is restarted by Ray and its files retried; a file that keeps killing workers
  is reported failed and the rest go on; files already written are never lost (the driver
  wrote them), and a rerun skips them as after a local kill.

Ray is an optional extra (`pip install 'translator[cluster]'`), imported only here.
"""

from __future__ import annotations

import os
import socket
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol  # Any only for Ray's own objects (module, actor handles, refs)

from translator.batch_work import FileWork, RecordingMemory, translate_articles
from translator.config import Settings
from translator.errors import TranslatorError
from translator.glossary.layers import Glossary
from translator.mt.cpu import cpu_kernels
from translator.mt.engine import Engine
from translator.mt.package_file import first_line
from translator.mt.pipeline import Enforcer, Memory, remembered
from translator.mt.shipped import EngineSource, ShippedPackage
from translator.text.document import Article

INSTALL_HINT = "pip install 'translator[cluster]' (in a checkout: .venv/bin/pip install -e '.[cluster]')"
RESTARTS = 2
RELEASE_TIMEOUT = 30.0
"""Seconds the driver waits, at the end of a run, for the workers to remove their unpacked packages."""
"""How often Ray restarts a killed worker (and retries its files) before the driver gives up on it."""
REPORT_EVERY = 1.0
"""Seconds at least between report writes while results stream in (each write is the whole report;
a large one waits longer: translator.batch._Run.save_report)."""


class ClusterError(TranslatorError):
    """Ray is missing, cannot be reached, or no worker could start."""


def import_ray() -> Any:  # Any: Ray is an optional extra, so mypy may not see its types
    """The `ray` module, or ClusterError saying in one line what to install."""
    try:
        import ray
    except ImportError:
        raise ClusterError(f"--ray needs Ray, which is not installed: {INSTALL_HINT}") from None
    return ray


class BatchWorker:
    """A Ray actor: one engine, translating groups of whole files for the driver.

    Every call carries `shipped`: object-store references to the engine source, the enforcer
    and the glossary (references, not values: put once per run by the driver). The worker
    fetches and loads them on its first call, and again after Ray restarts a killed worker.
    They are not constructor arguments: Ray warns about restartable actors built from
    object-store arguments.
    """

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.engine: Engine | None = None
        self.source: EngineSource | None = None
        self.enforcer: Enforcer | None = None
        self.glossary: Glossary | None = None

    def ready(self, shipped: list[Any]) -> str:
        """Load the engine; '' when it is loaded, else why not (one line)."""
        if self.engine is None:
            import ray

            self.source, self.enforcer, self.glossary = ray.get(shipped)
            try:
                self.engine = self.source.open()
            except TranslatorError as exc:
                return f"worker on {socket.gethostname()}: {exc}"
        return ""

    def release(self) -> None:
        """The run is over: remove what loading the engine left on this node (an unpacked package)."""
        if self.source is not None:
            self.source.release()

    def kernels(self) -> dict[str, str]:
        """This worker's CPU and CTranslate2 kernels (int8 English may differ between CPUs)."""
        return {"host": socket.gethostname(), **cpu_kernels()}

    def translate(self, shipped: list[Any], jobs: list[tuple[str, Article]],
                  known: dict[str, str]) -> tuple[list[FileWork], list[tuple[str, str, str]]]:
        """Translate the files; return their work and the machine translations for the memory."""
        problem = self.ready(shipped)
        if problem or self.engine is None:
            raise ClusterError(problem)
        memory = RecordingMemory(known)
        return translate_articles(jobs, self.engine, self.enforcer, memory, self.glossary, self.fmt), memory.added


@dataclass(frozen=True)
class RayOptions:
    """Where and how wide to run."""

    address: str = ""
    """'' starts a local Ray instance; 'auto', 'HOST:PORT' or 'ray://HOST:10001' joins a cluster."""
    workers: int = 0
    """Engines to start (0: one per `threads` CPUs of the cluster, or one per GPU on cuda)."""
    start_timeout: float = 180.0
    """Seconds to wait for the workers to load the model before giving up in one line."""


class BatchRun(Protocol):
    """What the backend needs from the batch driver (translator.batch's run state)."""

    articles: dict[str, Article]
    sentences: dict[str, int]

    def finish(self, key: str, work: FileWork) -> None:
        """Write the file's output and fill its report entry."""
        ...

    def fail(self, key: str, reason: str) -> None:
        """Mark the file failed with a reason."""
        ...

    def save_report(self, min_gap: float | None = None) -> None:
        """Write the report (with `min_gap`: unless the last write is that recent, or paced by its cost)."""
        ...

    def note_backend(self, description: dict[str, Any]) -> None:
        """Record in the manifest where the translations ran."""
        ...

    def tick(self, files: int = 0, paragraphs: int = 0, sentences: int = 0) -> None: ...


class RayBackend:
    """Runs the batch's translations on Ray workers (see the module docstring)."""

    def __init__(self, options: RayOptions, settings: Settings, source: EngineSource | None = None) -> None:
        self.options, self.settings = options, settings
        self.source: EngineSource | None = source
        self.ray = import_ray()
        self.description = ""
        """After a run: how many workers, their resources and nodes (for the driver's log)."""

    def ship(self, package: Path) -> None:
        """Send this installed model package to the workers (once, through the object store)."""
        self.source = ShippedPackage.from_folder(package, self.settings)

    def run(self, run: BatchRun, tasks: list[list[str]], enforcer: Enforcer | None, memory: Memory | None,
            glossary: Glossary | None, fmt: str) -> None:
        """Translate the files of `run`, one task per group of `tasks` (the local batch's engine
        calls, see translator.batch.plan_chunks), writing each file as its results come back."""
        if not tasks:
            return
        source = self.source
        if source is None:
            raise ClusterError("no model to send to the Ray workers (call ship(package) first)")
        started_here = self._connect()
        pool = None
        try:
            pool = _Pool(self, source, enforcer, glossary, fmt)
            self.description = pool.description
            run.note_backend({"workers": pool.count, "resources": pool.resources,
                              "cpus": pool.kernels()})
            pool.drain(run, tasks, memory)
        finally:
            if pool is not None:
                pool.release()
            if started_here:
                self.ray.shutdown()  # stops a local instance; on a cluster, this driver's workers
            elif pool is not None:
                pool.stop()

    def _connect(self) -> bool:
        """Start or join Ray unless this process already did; True if this call did."""
        ray = self.ray
        if ray.is_initialized():
            return False
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # an offline tool: Ray reports nothing home
        kwargs: dict[str, Any] = {"logging_level": "ERROR", "log_to_driver": False,
                                  "configure_logging": True}
        try:
            if self.options.address:
                ray.init(address=self.options.address, **kwargs)
            else:
                ray.init(address="local", include_dashboard=False, **kwargs)  # never join someone else's by chance
        except (ConnectionError, RuntimeError, ValueError) as exc:
            where = self.options.address or "a local instance"
            raise ClusterError(f"cannot start or join Ray at {where}: {first_line(exc)} "
                               "(is `ray start --head` running there? Does this shell have the cluster's token: "
                               "RAY_AUTH_MODE=token and ~/.ray/auth_token? See docs/cluster.md)") from None
        return True

    def actor_options(self) -> tuple[int, dict[str, Any]]:
        """How many workers, and the Ray resources of each."""
        resources = self.ray.cluster_resources()
        if self.settings.device == "cuda":
            gpus = int(resources.get("GPU", 0))
            if gpus < 1:
                raise ClusterError("--device cuda on Ray, but the cluster has no GPU (start GPU workers, "
                                   "or run with --device cpu)")
            return (self.options.workers or gpus), {"num_gpus": 1, "num_cpus": 1}
        cpus = max(1, int(resources.get("CPU", 1)))
        threads = max(1, self.settings.inter_threads * self.settings.intra_threads)
        workers = self.options.workers or max(1, cpus // threads)
        per_worker = max(1, min(threads, cpus // workers)) if self.options.workers else threads
        return workers, {"num_cpus": per_worker}


class _Pool:
    """The workers and the tasks in flight: one per worker, so that a worker's death is blamed on
    the files it was translating and no others (the driver's turn-around per task is milliseconds)."""

    def __init__(self, backend: RayBackend, source: EngineSource, enforcer: Enforcer | None,
                 glossary: Glossary | None, fmt: str) -> None:
        ray = self.ray = backend.ray
        self.count, resources = backend.actor_options()
        self.resources = resources
        if backend.settings.device != "cuda" and resources["num_cpus"] != backend.settings.inter_threads:
            source = _with_threads(source, resources["num_cpus"])
        self.actor_class = ray.remote(max_restarts=RESTARTS, max_task_retries=RESTARTS, **resources)(BatchWorker)
        self.shipped = [ray.put(source), ray.put(enforcer), ray.put(glossary)]  # once per run
        self.fmt = fmt
        self.timeout = backend.options.start_timeout
        self.spares = self.count  # replacements for workers that died for good
        self.actors = [self.actor_class.remote(self.fmt) for _ in range(self.count)]
        try:
            self._wait_ready(self.actors, resources)
        except ClusterError:
            self.stop()
            raise
        nodes = sum(1 for node in ray.nodes() if node.get("Alive"))
        each = ", ".join(f"{v} {k.removeprefix('num_')}" for k, v in resources.items())
        self.description = (f"{self.count} Ray worker{'s' * (self.count > 1)} ({each} each) "
                            f"on a cluster of {nodes} node{'s' * (nodes > 1)}")

    def _wait_ready(self, actors: list[Any], resources: dict[str, Any]) -> None:
        ray = self.ray
        refs = [a.ready.remote(self.shipped) for a in actors]
        ready, _ = ray.wait(refs, num_returns=len(refs), timeout=self.timeout)
        if len(ready) < len(refs):
            raise ClusterError(f"only {len(ready)} of {len(refs)} Ray workers started within {self.timeout:.0f} s "
                               f"(each needs {resources}; the cluster has {ray.cluster_resources()}); "
                               "use --workers or add nodes")
        for ref in refs:
            try:
                problem = ray.get(ref)
            except ray.exceptions.RayError as exc:
                raise ClusterError(f"a Ray worker failed to start: {first_line(exc)}") from None
            if problem:
                raise ClusterError(problem)

    def drain(self, run: BatchRun, tasks: list[list[str]], memory: Memory | None) -> None:
        ray = self.ray
        queue = list(tasks)
        pending: dict[Any, tuple[Any, list[str]]] = {}

        def submit() -> None:
            for actor in list(self.actors):
                if queue and not any(a is actor for a, _ in pending.values()):
                    keys = queue.pop(0)
                    jobs = [(k, run.articles[k]) for k in keys]
                    known = _known(memory, jobs)
                    pending[actor.translate.remote(self.shipped, jobs, known)] = (actor, keys)

        submit()
        while pending:
            (ref,), _ = ray.wait(list(pending), num_returns=1)
            actor, keys = pending.pop(ref)
            try:
                works, added = ray.get(ref)
            except ray.exceptions.ActorDiedError as exc:
                self._lost(actor, keys, queue, run, exc)
            except ray.exceptions.RayError as exc:  # a bug raised in the worker: these files fail, the rest go on
                for key in keys:
                    run.fail(key, f"worker error: {first_line(exc)}")
                self._done(run, keys)
            else:
                _remember(memory, added)
                for work in works:
                    run.finish(work.file, work)
                self._done(run, keys)
            submit()

    def kernels(self) -> list[dict[str, str]]:
        """The distinct CPUs and kernels of the workers."""
        found = self.ray.get([actor.kernels.remote() for actor in self.actors])
        distinct: list[dict[str, str]] = []
        for entry in found:
            if entry not in distinct:
                distinct.append(entry)
        return distinct

    def release(self) -> None:
        """Have every worker remove its node's unpacked package (a worker that does not answer in
        RELEASE_TIMEOUT seconds leaves it to the node's temp-folder cleaning)."""
        with suppress(self.ray.exceptions.RayError):  # GetTimeoutError is one
            self.ray.get([actor.release.remote() for actor in self.actors], timeout=RELEASE_TIMEOUT)

    def stop(self) -> None:
        """End this run's workers (when the Ray connection outlives the run)."""
        for actor in self.actors:
            self.ray.kill(actor)

    def _done(self, run: BatchRun, keys: list[str]) -> None:
        """Count the files in the progress; write the report at most every REPORT_EVERY seconds (paced).

        Outputs are written as they come; a kill before the next report write only makes the
        rerun translate those few files again (the same English), never loses one.
        """
        run.tick(files=len(keys), paragraphs=sum(len(run.articles[k].translatable) for k in keys),
                 sentences=sum(run.sentences[k] for k in keys))
        run.save_report(min_gap=REPORT_EVERY)

    def _lost(self, actor: Any, keys: list[str], queue: list[list[str]], run: BatchRun, exc: Exception) -> None:
        """A worker died for good (killed more than RESTARTS times) while holding `keys`."""
        if actor in self.actors:
            self.actors.remove(actor)
            if self.spares > 0:
                self.spares -= 1
                fresh = self.actor_class.remote(self.fmt)
                self._wait_ready([fresh], {})
                self.actors.append(fresh)
        if len(keys) > 1:  # find the file that kills workers: retry each alone
            queue[:0] = [[k] for k in keys]
        else:
            run.fail(keys[0], f"the worker translating it died {RESTARTS + 1} times ({first_line(exc)})")
            self._done(run, keys)
        if not self.actors:
            raise ClusterError("every Ray worker died; finished files are kept, rerun to resume "
                               f"({first_line(exc)})")


def _known(memory: Memory | None, jobs: list[tuple[str, Article]]) -> dict[str, str]:
    """What the memory already holds for the jobs' paragraphs (the workers cannot reach it): their
    own entries, or assembled from their sentences' entries, as the local pipeline takes them."""
    if memory is None:
        return {}
    known = {}
    for _, article in jobs:
        for p in article.translatable:
            hit = remembered(memory, p.text)
            if hit is not None:
                known[p.text] = hit
    return known


def _remember(memory: Memory | None, added: list[tuple[str, str, str]]) -> None:
    if memory is not None:
        for source, target, model in added:
            memory.add_machine(source, target, model)


def _with_threads(source: EngineSource, threads: int) -> EngineSource:
    """The source with `threads` CTranslate2 threads per worker (so workers share a node's cores)."""
    if isinstance(source, ShippedPackage):
        return replace(source, settings=source.settings.with_(inter_threads=threads, intra_threads=1))
    return source
