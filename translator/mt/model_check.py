"""Provides check_model: a staged or installed model must load and translate before it is used.

A package can be well-formed and still broken: a corrupt `model.bin`, tensors that ask for
gigabytes, a file CTranslate2 crashes on. So the model is loaded and asked for one sentence in a
child process with an address-space limit and a time limit: a crash, a std::bad_alloc or a hang
kills the child, never the command, and the package is refused before it replaces anything.

A successful check is recorded in the package folder (`.checked.json`, keyed by the size and
modification time of the files the engine loads) so `models ensure` and the ranking of installed
models do not reload it; a failed check is recorded too, and such a package ranks after every
other one. Results are also kept per process by content hash, so tests that install the same
demo model many times check it once.

Shared by `models install` (Argos packages) and `models import` (converted models).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from translator.errors import ModelError

#: The sentence a model must translate before it is installed.
CHECK_SENTENCE = "قال الرئيس إن الاجتماع سيعقد في القاهرة غدا."
#: Seconds the child may take to load the model and translate the sentence.
CHECK_SECONDS = 120.0
#: Address space of the child: this much plus `MEMORY_PER_MODEL_BYTE` times the model's size.
BASE_MEMORY_BYTES = 2 * 1024**3
MEMORY_PER_MODEL_BYTE = 4
#: The record of the last check, inside the package folder.
STAMP_NAME = ".checked.json"
#: The files whose size and time key the record.
KEY_FILES = ("model/model.bin", "model/config.json", "sentencepiece.model", "source.spm", "target.spm")

_memo: dict[str, str] = {}
"""Content hash -> "" (loads) or the reason it does not, for this process."""


@dataclass(frozen=True)
class CheckLimits:
    """How much the child may use."""

    seconds: float = CHECK_SECONDS
    memory_bytes: int | None = None
    """None: BASE_MEMORY_BYTES + MEMORY_PER_MODEL_BYTE x the model's size."""


def check_model(package: Path, label: str, limits: CheckLimits | None = None) -> None:
    """Load the model in `package` and translate one sentence in a limited child process.

    Raises:
        ModelError: "<label>: refused, the model does not load (<why>); nothing was installed".
    """
    reason = model_problem(package, limits)
    if reason:
        raise ModelError(f"{label}: refused, the model does not load ({reason}); nothing was installed")


def model_problem(package: Path, limits: CheckLimits | None = None) -> str:
    """"" when the model in `package` loads and translates, else why not (one line)."""
    package = Path(package)
    limits = limits or CheckLimits()
    digest = f"{_content_hash(package)} {limits}"
    if digest in _memo:
        return _memo[digest]
    memory = limits.memory_bytes or BASE_MEMORY_BYTES + MEMORY_PER_MODEL_BYTE * _model_bytes(package)
    reason = _run_child(package, limits.seconds, memory)
    _memo[digest] = reason
    return reason


def recorded_problem(package: Path) -> str | None:
    """The recorded result of the last check of `package`, if its files did not change since:
    "" (it loads) or why it does not; None when never checked or changed.
    """
    try:
        data = json.loads((Path(package) / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != _file_key(Path(package)):
        return None
    return "" if data.get("ok") else str(data.get("reason") or "it did not load")


def installed_problem(package: Path) -> str:
    """"" when the installed `package` loads (recorded, else checked now and recorded), else why not."""
    recorded = recorded_problem(package)
    if recorded is not None:
        return recorded
    problem = model_problem(package)
    record_check(package, problem)
    return problem


def record_check(package: Path, reason: str) -> None:
    """Write the check's result into the package folder (best effort: a read-only folder is fine)."""
    data = {"ok": not reason, "reason": reason, "key": _file_key(Path(package)),
            "checked": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    with contextlib.suppress(OSError):
        (Path(package) / STAMP_NAME).write_text(json.dumps(data) + "\n", encoding="utf-8")


def _model_bytes(package: Path) -> int:
    total = 0
    for root, _, files in os.walk(package):
        for name in files:
            try:
                total += (Path(root) / name).stat().st_size
            except OSError:
                continue
    return total


def _file_key(package: Path) -> list[list[object]]:
    key: list[list[object]] = []
    for name in KEY_FILES:
        try:
            info = (package / name).stat()
        except OSError:
            continue
        key.append([name, info.st_size, info.st_mtime_ns])
    return key


def _content_hash(package: Path) -> str:
    digest = hashlib.sha256()
    for name in (*KEY_FILES, "metadata.json"):
        path = package / name
        if not path.is_file():
            continue
        digest.update(name.encode() + b"\0")
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def _run_child(package: Path, seconds: float, memory: int) -> str:
    def limit() -> None:  # runs in the child, before Python starts
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "translator.mt.model_check", str(package)]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=seconds, stdin=subprocess.DEVNULL,
                              preexec_fn=limit, env=env, check=False)
    except subprocess.TimeoutExpired:
        return f"no translation within {seconds:.0f} s"
    except OSError as exc:
        return f"cannot start the check ({exc.strerror or exc})"
    lines = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    if proc.returncode == 0 and proc.stdout.startswith("ok"):
        return ""
    if proc.returncode < 0:
        return f"the engine crashed (signal {-proc.returncode})"
    detail = lines[-1] if lines else f"exit code {proc.returncode}"
    if any(sign in detail for sign in ("bad_alloc", "MemoryError", "failed to allocate")):
        return f"it needs more than {memory // 1024**2} MiB of memory"
    return detail[:300]


def _child(package: Path) -> int:
    """The child: load the engine and translate one sentence; "ok" on stdout, else one line on stderr."""
    from translator.config import Settings
    from translator.errors import TranslatorError
    from translator.mt.engine import ArgosEngine

    try:
        engine = ArgosEngine(package, Settings(device="cpu", inter_threads=1, intra_threads=1, beam_size=1,
                                             max_decoding_length=16))
        english = engine.translate([CHECK_SENTENCE])
    except TranslatorError as exc:
        print(str(exc).replace(str(package), "the package"), file=sys.stderr)
        return 1
    except (MemoryError, RuntimeError, ValueError, OSError) as exc:
        print(f"{type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return 1
    if len(english) != 1 or not isinstance(english[0], str):
        print("the engine returned no translation", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(_child(Path(sys.argv[1])))
