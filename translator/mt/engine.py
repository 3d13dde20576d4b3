"""Provides the translation engine: an installed Argos ar->en package driven directly.

ArgosEngine loads the package's CTranslate2 model and SentencePiece model once and translates
many sentences per call: deduplicated, sorted by length and batched by tokens, with thread
settings that suit small machines (see Settings). ctranslate2 and sentencepiece are imported
lazily so the CLI starts fast.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from translator.config import Settings
from translator.errors import EngineError, InputError
from translator.fileio import read_user_bytes
from translator.text.segment import split_long

#: metadata.json is a few hundred bytes; one beyond this is refused (a whitespace bomb).
MAX_METADATA_BYTES = 1024 * 1024


class Engine(Protocol):
    """What the pipeline needs from a translation engine."""

    @property
    def label(self) -> str:
        """Human-readable model name, e.g. `ar→en 1.9` (shown in the desk, saved in reports)."""
        ...

    @property
    def is_demo(self) -> bool:
        """True for the bundled demo model that is not for real work."""
        ...

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate sentences; output i is the translation of input i."""
        ...


@runtime_checkable
class RankingEngine(Engine, Protocol):
    """An engine that gives several hypotheses per sentence and knows its decoding cost."""

    def translate_nbest(self, sentences: Sequence[str], n: int | None = None,
                        avoid: Sequence[Sequence[str]] | None = None) -> list[list[str]]:
        """Up to `n` (default: the configured number) translations per sentence, best first;
        `avoid[i]`: English texts the translation of sentence i must not contain (none: None)."""
        ...

    def cost(self, sentences: Sequence[str]) -> int:
        """The most output pieces translating `sentences` can take."""
        ...


@dataclass(frozen=True)
class PackageInfo:
    """Metadata of an installed package: an Argos package, or a model imported by `models import`.

    Imported models keep Argos' layout (`metadata.json`, `model/`) and add how their text is
    tokenised: separate source/target SentencePiece files, and the tokens a family puts around
    the source (Marian checkpoints from Hugging Face and NLLB end it with `</s>`, NLLB starts it
    with `arb_Arab`) and before the English (`eng_Latn` for NLLB). Argos packages need none.
    """

    path: Path
    name: str
    from_code: str
    to_code: str
    version: str
    target_prefix: str
    demo: bool
    metadata: dict[str, Any]
    family: str = "argos"
    """argos, opus-mt, ct2, marian, hf-marian, nllb or m2m100 (see translator/mt/model_files.py)."""
    source_spm: str = "sentencepiece.model"
    target_spm: str = "sentencepiece.model"
    source_prefix: tuple[str, ...] = ()
    source_suffix: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        if self.family != "argos":  # the name tells imported models apart (memory entries are keyed by label)
            return f"{self.name} {self.from_code}→{self.to_code}" + (" (demo)" if self.demo else "")
        return f"{self.from_code}→{self.to_code} {self.version}" + (" (demo)" if self.demo else "")


def read_package_info(path: Path) -> PackageInfo:
    """Read `metadata.json` of an installed (unzipped) package folder."""
    meta_path = Path(path) / "metadata.json"
    try:  # bounded: a whitespace bomb is refused at once, not parsed for 30 s in 4 GB
        meta = json.loads(read_user_bytes(meta_path, MAX_METADATA_BYTES).decode("utf-8"))
    except (InputError, ValueError) as exc:
        raise EngineError(f"{meta_path}: cannot read package metadata ({exc}); reinstall the model") from None
    if not isinstance(meta, dict):
        raise EngineError(f"{meta_path}: package metadata is not a JSON object; reinstall the model")
    spm = str(meta.get("sentencepiece", "sentencepiece.model"))
    return PackageInfo(
        path=Path(path),
        name=Path(path).name,
        from_code=str(meta.get("from_code", "")),
        to_code=str(meta.get("to_code", "")),
        version=str(meta.get("package_version", "?")),
        target_prefix=str(meta.get("target_prefix", "")),
        demo=bool(meta.get("demo", False)),
        metadata=meta,
        family=str(meta.get("family", "argos")),
        source_spm=str(meta.get("source_spm", spm)),
        target_spm=str(meta.get("target_spm", spm)),
        source_prefix=_tokens(meta.get("source_prefix")),
        source_suffix=_tokens(meta.get("source_suffix")),
    )


def _tokens(value: object) -> tuple[str, ...]:
    """A token list from metadata: a JSON list of strings, or one space-separated string."""
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return ()


_CPU_FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx_vnni")


def cpu_kernels(cpuinfo: Path = Path("/proc/cpuinfo")) -> dict[str, str]:
    """The CPU and the kernels CTranslate2 runs on it, as CTranslate2 and oneDNN choose them at run time.

    Their int8 results differ in the last bits (oneDNN with and without VNNI most of all) and beam search can turn
    that into other words, so the same model and input may give slightly different English on another CPU. Batch
    manifests record this to explain such a difference. The rules mirror CTranslate2's: CT2_FORCE_CPU_ISA else the
    best of AVX512/AVX2/AVX; Intel MKL when CT2_USE_MKL says so, else on GenuineIntel only; oneDNN capped by
    ONEDNN_MAX_CPU_ISA.
    """
    fields: dict[str, str] = {}
    try:
        with cpuinfo.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                key = key.strip()
                if key in ("vendor_id", "model name", "flags") and key not in fields:
                    fields[key] = value.strip()
                if not line.strip() and fields:
                    break
    except OSError:
        pass
    flags = set(fields.get("flags", "").split())
    vendor = fields.get("vendor_id", "")
    best = ("AVX512" if {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"} <= flags
            else "AVX2" if "avx2" in flags else "AVX" if "avx" in flags else "GENERIC")
    use_mkl = os.environ.get("CT2_USE_MKL", "")
    try:
        import ctranslate2

        version = str(ctranslate2.__version__)
    except ImportError:  # pragma: no cover - a broken install
        version = "?"
    return {
        "cpu": fields.get("model name", "unknown"),
        "vendor": vendor or "unknown",
        "flags": " ".join(f for f in _CPU_FLAGS if f in flags),
        "isa": os.environ.get("CT2_FORCE_CPU_ISA", "") or best,
        "mkl": str(use_mkl.lower() in ("1", "true", "on") if use_mkl else vendor == "GenuineIntel").lower(),
        "onednn_max_isa": os.environ.get("ONEDNN_MAX_CPU_ISA", "") or os.environ.get("DNNL_MAX_CPU_ISA", "") or "all",
        "ctranslate2": version,
    }


class ArgosEngine:
    """Translates with an installed Argos package through CTranslate2 directly.

    Thread-safe: one lock serialises calls into the model (CTranslate2 parallelises inside a
    call through inter_threads), so a desk worker and a background fill can share it.
    """

    max_sentence_tokens = 200
    """Longer sentences are cut at clause marks first (see segment.split_long): models trained
    on sentences translate run-ons badly, CTranslate2 truncates inputs over 1024 tokens and
    stops decoding at 256."""

    def __init__(self, package_path: Path, settings: Settings | None = None) -> None:
        self.info = read_package_info(package_path)
        self.settings = settings or Settings()
        self.device = ""
        """The device the model runs on once loaded ("cpu" or "cuda"; "auto" resolved)."""
        self._translator: Any = None
        self._sp: Any = None
        self._target_sp: Any = None
        self._lock = threading.Lock()
        self._load_lock = threading.Lock()
        self.calls = 0
        """Number of sentences sent to the model (tests and benchmarks read it)."""
        self.decoded = 0
        """Output pieces of the best hypotheses so far (benchmarks read it)."""

    @property
    def label(self) -> str:
        return self.info.label

    @property
    def is_demo(self) -> bool:
        return self.info.demo

    def load(self) -> None:
        """Load the models now (otherwise done on first use); raises EngineError in one line."""
        with self._load_lock:
            if self._translator is None:
                self._load()

    def _load(self) -> None:
        model_dir = self.info.path / "model"
        sp_paths = list(dict.fromkeys([self.info.path / self.info.source_spm, self.info.path / self.info.target_spm]))
        missing = [name for name, ok in [("model/model.bin", (model_dir / "model.bin").is_file()),
                                         *((p.name, p.is_file()) for p in sp_paths)] if not ok]
        if missing:
            raise EngineError(
                f"{self.info.path}: package lacks {' and '.join(missing)}; reinstall the model "
                "(translator models install FILE.argosmodel, or translator models import PATH)"
            )
        try:
            import ctranslate2
            import sentencepiece
        except ImportError as exc:  # pragma: no cover - a broken install
            raise EngineError(f"cannot import the engine ({exc}); reinstall with `make install`") from None
        device = self.settings.device
        if device == "auto":
            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        processors = {}
        for sp_path in sp_paths:
            try:
                processors[sp_path] = sentencepiece.SentencePieceProcessor(model_file=str(sp_path))
            except (RuntimeError, OSError) as exc:
                raise EngineError(f"{sp_path}: cannot load the SentencePiece model ({_first_line(exc)}); "
                                  "reinstall the model") from None
        try:
            translator = ctranslate2.Translator(
                str(model_dir),
                device=device,
                inter_threads=self.settings.inter_threads,
                intra_threads=self.settings.intra_threads,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise EngineError(f"{model_dir}: cannot load the model on {device} ({_first_line(exc)})") from None
        self._sp = processors[self.info.path / self.info.source_spm]
        self._target_sp = processors[self.info.path / self.info.target_spm]
        self._translator, self.device = translator, device

    def encode(self, text: str) -> list[str]:
        """The tokens the model gets for `text`: the family's source prefix, the pieces, its suffix (`</s>`)."""
        self.load()
        return [*self.info.source_prefix, *self._sp.encode(text, out_type=str), *self.info.source_suffix]

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate many sentences in one batched call; output i translates input i.

        Identical sentences are translated once, the rest in length-sorted, token-budgeted
        batches (see `_translate_tokens`); a sentence over `max_sentence_tokens` is
        translated in clause-sized chunks whose English is joined with spaces. Blank inputs give "". Beam search is
        deterministic: the same input and model give the same output.
        """
        return [hyps[0] for hyps in self.translate_nbest(sentences, 1)]

    def translate_nbest(self, sentences: Sequence[str], n: int | None = None,
                        avoid: Sequence[Sequence[str]] | None = None) -> list[list[str]]:
        """Up to `n` translations of each sentence, best first, from one beam search (as `translate`).

        The beam already holds `beam_size` hypotheses, so asking for several costs almost
        nothing; a glossary enforcer can keep the one that kept its terms. Blank inputs give [""].
        `avoid[i]`: English texts sentence i's translation must not decode (a glossary entry's
        known wrong renderings), as target SentencePiece pieces in CTranslate2's
        suppress_sequences; the exact pieces only (another segmentation or case is not blocked).
        """
        n = max(1, min(self.settings.hypotheses if n is None else n, self.settings.beam_size))
        bans = [tuple(dict.fromkeys(a)) for a in avoid] if avoid is not None else [()] * len(sentences)
        keys = [(s, ban) for s, ban in zip(sentences, bans)]
        unique = list(dict.fromkeys(k for k in keys if k[0].strip()))
        if not unique:
            return [[""] for _ in sentences]
        self.load()
        chunks = {s: split_long(s, self.max_sentence_tokens, self._length) for s in dict.fromkeys(s for s, _ in unique)}
        pieces = list(dict.fromkeys((c, ban) for s, ban in unique for c in chunks[s]))
        tokens = [self.encode(p) for p, _ in pieces]
        suppress = [self._suppressed(ban) for _, ban in pieces]
        try:
            with self._lock:
                hypotheses = self._translate_tokens(tokens, n, suppress)
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"{self.info.path}: translation failed ({_first_line(exc)})") from None
        self.calls += len(tokens)
        self.decoded += sum(len(hyps[0]) for hyps in hypotheses)
        done = {piece: [self._detokenize(h) for h in hyps] for piece, hyps in zip(pieces, hypotheses)}
        out: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        for s, ban in unique:
            parts = [done[c, ban] for c in chunks[s]]
            # hypothesis k of a chunked sentence: hypothesis k of each chunk (or its last one)
            count = max(len(p) for p in parts)
            out[s, ban] = [" ".join(h for p in parts if (h := p[min(k, len(p) - 1)])) for k in range(count)]
        return [out.get(k, [""]) for k in keys]

    def _suppressed(self, avoid: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        """`avoid` as target pieces, as the model would decode each text inside a sentence."""
        return tuple(dict.fromkeys(tuple(self._target_sp.encode(text, out_type=str)) for text in avoid if text.strip()))

    def decoding_cap(self, source_pieces: int) -> int:
        """Most output pieces for a sentence of `source_pieces` pieces (see Settings.decoding_ratio).

        Depends on the sentence alone (not on what else is in the batch), rounded so that few
        distinct caps occur.
        """
        s = self.settings
        rounded = -(-max(1, source_pieces) // 8) * 8
        return max(1, min(s.max_decoding_length, int(s.decoding_ratio * rounded) + s.decoding_extra))

    def cost(self, sentences: Sequence[str]) -> int:
        """The decoding caps of `sentences` added up: the most pieces translating them can take."""
        self.load()
        return sum(self.decoding_cap(self._length(c)) for s in sentences if s.strip()
                   for c in split_long(s, self.max_sentence_tokens, self._length))

    def _length(self, text: str) -> int:
        return len(self._sp.encode(text))

    def _translate_tokens(self, tokens: list[list[str]], n: int = 1,
                          suppress: Sequence[tuple[tuple[str, ...], ...]] = ()) -> list[list[list[str]]]:
        """The `n` best hypotheses (pieces) for each tokenised sentence, batched.

        A sub-batch only ever holds sentences of one length, so no sentence is padded: its
        English depends on itself alone, never on which other sentences (files, chunks, a
        resumed or forced run) share the call. Mixed-length batches padded the shorter
        sentences, and with some CPU kernels (oneDNN on AVX2, as on AMD) padding changed their
        English (bench/batch_invariance.py, which also measures the cost). Each length goes in
        one asynchronous call with its decoding cap; the calls run side by side on
        CTranslate2's `inter_threads` translators. `suppress[i]`: piece sequences sentence i may
        not decode; CTranslate2 applies them to a whole call, so sentences with other
        suppressions go in other calls.
        """
        order = sorted(range(len(tokens)), key=lambda i: (len(tokens[i]), i))
        target_prefix = self.info.target_prefix.split()
        bans = list(suppress) or [()] * len(tokens)
        groups: dict[tuple[int, tuple[tuple[str, ...], ...]], list[int]] = {}
        for i in order:
            groups.setdefault((len(tokens[i]), bans[i]), []).append(i)
        pending = []
        for (length, ban), members in groups.items():
            cap = self.decoding_cap(length)
            batch = [tokens[i] for i in members]
            prefix = [target_prefix] * len(batch) if target_prefix else None
            pending.append((members, self._translator.translate_batch(
                batch,
                target_prefix=prefix,
                max_batch_size=self.settings.max_batch_tokens,
                batch_type="tokens",
                beam_size=self.settings.beam_size,
                num_hypotheses=n,
                length_penalty=0.2,
                replace_unknowns=True,
                max_decoding_length=cap + len(target_prefix),
                no_repeat_ngram_size=self.settings.no_repeat_ngram_size,
                suppress_sequences=[list(seq) for seq in ban] or None,
                asynchronous=True,
            )))
        best: list[list[list[str]]] = [[] for _ in tokens]
        for members, results in pending:
            for i, result in zip(members, results):
                best[i] = list(result.result().hypotheses) or [[]]
        return best

    def _detokenize(self, pieces: list[str]) -> str:
        target_prefix = self.info.target_prefix.split()
        if target_prefix and pieces[:len(target_prefix)] == target_prefix:
            pieces = pieces[len(target_prefix):]  # NLLB's eng_Latn (Argos' multilingual prefixes alike)
        return str(self._target_sp.decode_pieces(pieces)).replace("▁", " ").strip()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
