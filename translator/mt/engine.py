"""Provides the translation engine: an installed Argos ar->en package driven directly.

ArgosEngine loads the package's CTranslate2 model and SentencePiece model once and translates
many sentences per call: deduplicated, sorted by length and batched by tokens, with thread
settings that suit small machines (see Settings). ctranslate2 and sentencepiece are imported
lazily so the CLI starts fast.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from translator.config import Settings
from translator.errors import EngineError, InputError
from translator.fileio import read_user_bytes
from translator.text.segment import join_chunks, split_long

#: Piece sequences a sentence may not decode (CTranslate2's suppress_sequences).
Suppressed = tuple[tuple[str, ...], ...]

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


@runtime_checkable
class StreamingEngine(RankingEngine, Protocol):
    """A RankingEngine that hands each sentence's hypotheses over as soon as the model has them."""

    def translate_stream(self, sentences: Sequence[str], n: int | None = None,
                         avoid: Sequence[Sequence[str]] | None = None) -> Iterator[tuple[int, list[str]]]:
        """(i, hypotheses of sentence i) for every sentence, in the order the model finishes them;
        the same hypotheses translate_nbest gives. The caller works on early sentences while the
        model decodes later ones."""
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


class ArgosEngine:
    """Translates with an installed Argos package through CTranslate2 directly.

    Thread-safe: one lock serialises calls into the model (CTranslate2 parallelises inside a
    call through inter_threads), so a desk worker and a background fill can share it.
    """

    QUEUE_AHEAD = 4
    """Sub-batches queued per CTranslate2 thread beyond the one being awaited (see _decode)."""

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
                max_queued_batches=-1,  # _decode bounds what is queued (QUEUE_AHEAD); queueing never blocks
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
        batches (see `_sub_batches`); a sentence over `max_sentence_tokens` is
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
        out: list[list[str]] = [[""] for _ in sentences]
        for i, hypotheses in self.translate_stream(sentences, n, avoid):
            out[i] = hypotheses
        return out

    def translate_stream(self, sentences: Sequence[str], n: int | None = None,
                         avoid: Sequence[Sequence[str]] | None = None) -> Iterator[tuple[int, list[str]]]:
        """translate_nbest's hypotheses, sentence by sentence as the model finishes them.

        The call's sub-batches are planned at once (so they are the same), queued a few ahead
        (_decode), and each sentence is handed over when its last part is decoded, while
        CTranslate2's threads go on with the rest.
        """
        n = max(1, min(self.settings.hypotheses if n is None else n, self.settings.beam_size))
        bans = [tuple(dict.fromkeys(a)) for a in avoid] if avoid is not None else [()] * len(sentences)
        keys = [(s, ban) for s, ban in zip(sentences, bans)]
        where: dict[tuple[str, tuple[str, ...]], list[int]] = {}
        for i, key in enumerate(keys):
            if key[0].strip():
                where.setdefault(key, []).append(i)
            else:
                yield i, [""]
        if not where:
            return
        self.load()
        chunks = {s: split_long(s, self.max_sentence_tokens, self._length) for s in dict.fromkeys(s for s, _ in where)}
        pieces = list(dict.fromkeys((c, ban) for s, ban in where for c in chunks[s]))
        waiting = {key: len(dict.fromkeys(chunks[key[0]])) for key in where}
        needed_by: dict[tuple[str, tuple[str, ...]], list[tuple[str, tuple[str, ...]]]] = {}
        for s, ban in where:
            for c in dict.fromkeys(chunks[s]):
                needed_by.setdefault((c, ban), []).append((s, ban))
        tokens = [self.encode(p) for p, _ in pieces]
        done: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        try:
            self.calls += len(tokens)
            for members, hypotheses in self._decode(tokens, n, [self._suppressed(ban) for _, ban in pieces]):
                for m, hyps in zip(members, hypotheses):
                    self.decoded += len(hyps[0])
                    done[pieces[m]] = [self._detokenize(h) for h in hyps]
                    for key in needed_by[pieces[m]]:
                        waiting[key] -= 1
                        if waiting[key]:
                            continue
                        english = join_chunks([done[c, key[1]] for c in chunks[key[0]]])
                        for i in where[key]:
                            yield i, english
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"{self.info.path}: translation failed ({_first_line(exc)})") from None

    def _suppressed(self, avoid: tuple[str, ...]) -> Suppressed:
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

    def _sub_batches(self, tokens: list[list[str]],
                     suppress: Sequence[Suppressed]) -> list[tuple[list[int], Suppressed]]:
        """The sentences' sub-batches, (members, suppressed sequences), biggest first.

        A sub-batch only ever holds sentences of one length, so no sentence is padded: its
        English depends on itself alone, never on which other sentences (files, chunks, a
        resumed or forced run) share the call. Mixed-length batches padded the shorter
        sentences, and with some CPU kernels (oneDNN on AVX2, as on AMD) padding changed their
        English (bench/batch_invariance.py, which also measures the cost). `suppress[i]`: piece
        sequences sentence i may not decode; CTranslate2 applies them to a whole call, so
        sentences with other suppressions go in other sub-batches. The biggest go first
        (longest-processing-time order), so CTranslate2's threads end together on small ones.
        """
        order = sorted(range(len(tokens)), key=lambda i: (len(tokens[i]), i))
        bans = list(suppress) or [()] * len(tokens)
        groups: dict[tuple[int, Suppressed], list[int]] = {}
        for i in order:
            groups.setdefault((len(tokens[i]), bans[i]), []).append(i)
        work = sorted(groups.items(), key=lambda g: -len(g[1]) * (g[0][0] + self.decoding_cap(g[0][0])))
        return [(members, ban) for (_, ban), members in work]

    def _decode(self, tokens: list[list[str]], n: int,
                suppress: Sequence[Suppressed]) -> Iterator[tuple[list[int], list[list[list[str]]]]]:
        """(members, their `n` best hypotheses as pieces) per sub-batch, as they are decoded.

        Each sub-batch is one asynchronous call with its decoding cap, run side by side on
        CTranslate2's `inter_threads` translators. At most QUEUE_AHEAD per thread are queued
        ahead of the one awaited: the threads never wait for work, the caller gets each
        sub-batch as soon as it is done, and a caller that stops (Ctrl-C, an error) leaves only
        those few to finish, not the whole call (that took 41 s after Ctrl-C with a 109-sentence call).
        """
        work = iter(self._sub_batches(tokens, suppress))
        window = max(2, self.QUEUE_AHEAD * self.settings.inter_threads)
        queued: deque[tuple[list[int], Any]] = deque()
        for members, ban in itertools.islice(work, window):
            queued.append((members, self._queue([tokens[i] for i in members], n, ban)))
        while queued:
            members, results = queued.popleft()
            hypotheses = [list(result.result().hypotheses) or [[]] for result in results]
            for more, ban in itertools.islice(work, 1):
                queued.append((more, self._queue([tokens[i] for i in more], n, ban)))
            yield members, hypotheses

    def _queue(self, batch: list[list[str]], n: int, ban: Suppressed) -> Any:
        """One sub-batch (sentences of one length) queued on CTranslate2; its async results."""
        target_prefix = self.info.target_prefix.split()
        with self._lock:
            return self._translator.translate_batch(
                batch,
                target_prefix=[target_prefix] * len(batch) if target_prefix else None,
                max_batch_size=self.settings.max_batch_tokens,
                batch_type="tokens",
                beam_size=self.settings.beam_size,
                num_hypotheses=n,
                length_penalty=0.2,
                replace_unknowns=True,
                max_decoding_length=self.decoding_cap(len(batch[0])) + len(target_prefix),
                no_repeat_ngram_size=self.settings.no_repeat_ngram_size,
                suppress_sequences=[list(seq) for seq in ban] or None,
                asynchronous=True,
            )

    def _detokenize(self, pieces: list[str]) -> str:
        target_prefix = self.info.target_prefix.split()
        if target_prefix and pieces[:len(target_prefix)] == target_prefix:
            pieces = pieces[len(target_prefix):]  # NLLB's eng_Latn (Argos' multilingual prefixes alike)
        return str(self._target_sp.decode_pieces(pieces)).replace("▁", " ").strip()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
