"""Provides Settings: where models, glossaries and state live, and engine knobs.

Nothing happens at import; `load_settings()` reads the environment once and the result is
passed explicitly to domain objects and the app.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from translator.errors import TranslatorError

#: The repository's shipped glossaries (works for source checkouts and editable installs).
SHIPPED_GLOSSARY_DIR = Path(__file__).resolve().parent.parent / "glossaries"
#: The small demo model bundled with the package (also the test fixture).
DEMO_MODEL_PATH = Path(__file__).resolve().parent / "data" / "demo-ar-en.argosmodel"
#: Argos' public package index; overridable for tests (loopback server) and mirrors.
DEFAULT_PACKAGE_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
#: Share of an article's first-pass decoding that the glossary's clause retries may add. Spent
#: only where retries pay (translator.mt.pipeline): on the demo model's seeds 0.25 kept 40.6 % of
#: the terms, 1.0 keeps 58.4 % (unbounded: 58.9 %); a model that keeps no term spends nothing.
DEFAULT_RETRY_BUDGET = 1.0


def _default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "translator"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, resolved once by `load_settings()`."""

    home: Path = field(default_factory=_default_home)
    """Root of the user's data: installed models live under `home/models`."""

    device: str = "cpu"
    """CTranslate2 device: cpu, cuda or auto."""

    inter_threads: int = 2
    """Batches decoded in parallel; with intra_threads=1 this is right for 2-core machines."""

    intra_threads: int = 1
    """Threads per batch. CTranslate2's default (0 = all cores) oversubscribes small machines."""

    beam_size: int = 4
    """Beam width, as argostranslate uses."""

    max_batch_tokens: int = 1024
    """Token budget per CTranslate2 batch (batch_type='tokens')."""

    max_decoding_length: int = 256
    """Absolute cap on output pieces per sentence (CTranslate2's default; TRANSLATOR_MAX_DECODING_LENGTH).
    Benchmarks of random-weight models, which never emit EOS, set a lower cap."""

    decoding_ratio: float = 2.0
    """Relative cap: a sentence of n source pieces decodes at most ratio × n + decoding_extra
    pieces (n rounded up to a multiple of 8), so a model that loops stops early."""

    decoding_extra: int = 10
    """See decoding_ratio."""

    no_repeat_ngram_size: int = 4
    """Repetition guard: no output n-gram of this many pieces twice in a sentence (0: off)."""

    hypotheses: int = 4
    """Hypotheses per sentence (at most beam_size) the glossary enforcer chooses from."""

    retry_budget: float = DEFAULT_RETRY_BUDGET
    """Clause-by-clause retries of sentences that lost a glossary term may add this share of an
    article's first-pass decoding (0: no retry; --retry-budget, TRANSLATOR_RETRY_BUDGET). They
    stop early when the first retry wins nothing back (translator.mt.pipeline)."""

    model: str = ""
    """Installed model to use by name (--model, TRANSLATOR_MODEL); "" = the default chosen with
    `translator models use`, else the best installed ar->en model."""

    glossary_paths: tuple[Path, ...] = (SHIPPED_GLOSSARY_DIR,)
    """Glossary files or folders, later ones override earlier ones."""

    package_index: str = DEFAULT_PACKAGE_INDEX
    """URL of the Argos package index used by `models install` with no file."""

    memory_wait: float = 600.0
    """Longest wait, in seconds, at the end of translate/batch for a translation memory another
    process is writing (a long `memory import`) before the run's new entries are given up
    (TRANSLATOR_MEMORY_WAIT; the English is written first either way)."""

    @property
    def models_dir(self) -> Path:
        """Folder of installed Argos packages (one sub-folder per package)."""
        return self.home / "models"

    def with_(self, **changes: object) -> Settings:
        """Return a copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


def retry_share(text: str) -> float:
    """A retry budget given as text (--retry-budget, TRANSLATOR_RETRY_BUDGET): a share >= 0.

    Raises:
        ValueError: not a number, negative or not finite (the message says what is wanted).
    """
    try:
        share = float(text)
    except ValueError:
        share = -1.0
    if not 0 <= share < float("inf"):
        raise ValueError(f"retry budget {text!r} is not a share of the first pass's decoding "
                         "(a number >= 0, e.g. 0.25; 0: no retry)")
    return share


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Build Settings from `TRANSLATOR_*` environment variables over the defaults.

    Args:
        environ: mapping to read instead of `os.environ` (tests).

    Returns:
        The resolved settings.
    """
    env = os.environ if environ is None else environ
    settings = Settings()
    changes: dict[str, object] = {}
    if env.get("TRANSLATOR_HOME"):
        changes["home"] = Path(env["TRANSLATOR_HOME"])
    if env.get("TRANSLATOR_DEVICE"):
        changes["device"] = env["TRANSLATOR_DEVICE"]
    for key, name in (("TRANSLATOR_INTER_THREADS", "inter_threads"),
                      ("TRANSLATOR_INTRA_THREADS", "intra_threads"),
                      ("TRANSLATOR_BEAM_SIZE", "beam_size"),
                      ("TRANSLATOR_MAX_DECODING_LENGTH", "max_decoding_length")):
        if env.get(key):
            changes[name] = int(env[key])
    if env.get("TRANSLATOR_RETRY_BUDGET"):
        try:
            changes["retry_budget"] = retry_share(env["TRANSLATOR_RETRY_BUDGET"])
        except ValueError as exc:
            raise TranslatorError(f"TRANSLATOR_RETRY_BUDGET: {exc}") from None
    if env.get("TRANSLATOR_MODEL"):
        changes["model"] = env["TRANSLATOR_MODEL"]
    if env.get("TRANSLATOR_GLOSSARIES"):
        changes["glossary_paths"] = tuple(Path(p) for p in env["TRANSLATOR_GLOSSARIES"].split(os.pathsep) if p)
    if env.get("TRANSLATOR_MEMORY_WAIT"):
        changes["memory_wait"] = float(env["TRANSLATOR_MEMORY_WAIT"])
    index = env.get("TRANSLATOR_PACKAGE_INDEX") or env.get("ARGOS_PACKAGE_INDEX")
    if index:
        changes["package_index"] = index
    return replace(settings, **changes)  # type: ignore[arg-type]
