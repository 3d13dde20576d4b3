"""Provides what the importer learns from a model's files: kind, family, tokenizers, languages, licence.

One function per kind of input (OPUS-MT release, CTranslate2 folder, Hugging Face checkpoint), each
refusing in one line when a file is missing or the pair is not Arabic->English; and the checks run
on the staged package before it is installed (the SentencePiece models know Arabic and English and
match the model's vocabulary, the family's special tokens exist).

Source EOS and language tokens per family (what the engine puts around each sentence):
- argos / ct2 (OpenNMT-py, e.g. Argos): the pieces only;
- opus-mt (Marian, converted by CTranslate2): CTranslate2 appends `</s>` itself (add_source_eos in
  the model's config.json); `>>eng<<` first when the release serves several target languages;
- marian (a CTranslate2 folder with a Marian vocabulary and no add_source_eos) and hf-marian:
  pieces + `</s>`, as the Hugging Face tokenizer does;
- nllb: `arb_Arab` + pieces + `</s>`, English forced with the target prefix `eng_Latn`;
- m2m100: `__ar__` + pieces + `</s>`, target prefix `__en__`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translator.errors import ModelError
from translator.mt.engine import PackageInfo
from translator.mt.package_file import first_line

ARABIC_CODES = {"ar", "ara", "arb", "arz", "apc", "afb", "acm", "acq", "aeb", "ajp", "apd", "arq", "ars", "ary",
                "ayl", "abv", "acw", "acx", "ayh", "ayn", "ayp", "pga", "shu", "ssh"}
ENGLISH_CODES = {"en", "eng"}
#: Probe sentences for the tokenizer checks.
ARABIC_PROBE = "قال وزير الخارجية إن المحادثات مع الحكومة كانت مثمرة وستستمر يوم الأحد."
ENGLISH_PROBE = "The foreign minister said that the talks with the government were fruitful."
DOCUMENT_NAMES = ("README.md", "README", "LICENSE", "LICENSE.txt", "LICENSE.md")


@dataclass
class ModelFiles:
    """One model's files as found, and how the installed package will tokenise."""

    kind: str
    """opus-mt (Marian release), ct2 (CTranslate2 folder) or hf (Hugging Face checkpoint)."""
    root: Path
    family: str
    converter: str
    model_dir: Path
    tokenizers: dict[Path, str]
    """SentencePiece file found → its name in the installed package."""
    source_spm: str
    target_spm: str
    source_prefix: tuple[str, ...] = ()
    source_suffix: tuple[str, ...] = ()
    target_prefix: tuple[str, ...] = ()
    documents: list[Path] = field(default_factory=list)
    licence: str = "unknown (no licence file found)"
    version: str = "1.0"
    source_languages: list[str] = field(default_factory=list)
    target_languages: list[str] = field(default_factory=list)


def refuse(label: str, reason: str) -> ModelError:
    return ModelError(f"{label}: refused, {reason}; nothing was installed")


# --- kinds --------------------------------------------------------------------------------


def find_opus_mt(folder: Path, label: str) -> ModelFiles:
    """An OPUS-MT / Tatoeba release: decoder.yml naming the .npz and vocabularies, source.spm, target.spm."""
    import yaml

    try:
        decoder = yaml.safe_load((folder / "decoder.yml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise refuse(label, f"decoder.yml is not readable YAML ({first_line(exc)})") from None
    if not isinstance(decoder, dict) or not decoder.get("models") or not decoder.get("vocabs"):
        raise refuse(label, "decoder.yml does not name the model (.npz) and vocabularies (models:, vocabs:)")
    named = [str(decoder["models"][0]), *(str(v) for v in decoder["vocabs"])]
    for needed in [*named, "source.spm", "target.spm"]:
        if not (folder / needed).is_file():
            raise refuse(label, f"{needed} is missing from the release")
    sources, targets = readme_languages(folder)
    if sources or targets:
        check_languages(sources, targets, label)
    heading = re.search(r"^#\s*(\S+?)(?:\.zip)?\s*$", _read(folder / "README.md"), re.MULTILINE)
    return ModelFiles(
        kind="opus-mt", root=folder, family="opus-mt", converter="ctranslate2.converters.OpusMTConverter",
        model_dir=folder, tokenizers={folder / "source.spm": "source.spm", folder / "target.spm": "target.spm"},
        source_spm="source.spm", target_spm="target.spm",
        source_prefix=(">>eng<<",) if len(targets) > 1 else (),
        documents=_documents(folder), licence=_licence(folder), version=heading.group(1) if heading else "1.0",
        source_languages=sources, target_languages=targets,
    )


def find_ct2(folder: Path, label: str) -> ModelFiles:
    """A CTranslate2 model folder (model.bin at its top or in model/) with SentencePiece file(s) beside it."""
    model_dir = folder if (folder / "model.bin").is_file() else folder / "model"
    if not _vocabulary_files(model_dir):
        raise refuse(label, "the CTranslate2 folder has no vocabulary (shared_vocabulary.json, or "
                            "source_vocabulary.json + target_vocabulary.json)")
    places = list(dict.fromkeys([folder, model_dir]))
    pair = next(((p / "source.spm", p / "target.spm") for p in places
                 if (p / "source.spm").is_file() and (p / "target.spm").is_file()), None)
    single = next((p / n for p in places for n in ("sentencepiece.model", "spm.model", "sentencepiece.bpe.model")
                   if (p / n).is_file()), None)
    if pair:
        tokenizers = {pair[0]: "source.spm", pair[1]: "target.spm"}
        source_spm, target_spm = "source.spm", "target.spm"
    elif single:
        tokenizers = {single: "sentencepiece.model"}
        source_spm = target_spm = "sentencepiece.model"
    else:
        raise refuse(label, "no SentencePiece model beside the CTranslate2 model "
                            "(source.spm + target.spm, or sentencepiece.model)")
    config = _json(model_dir / "config.json")
    vocab = read_vocabulary(model_dir, "source")
    files = ModelFiles(kind="ct2", root=folder, family="ct2", converter="none (CTranslate2 folder copied)",
                       model_dir=model_dir, tokenizers=tokenizers, source_spm=source_spm, target_spm=target_spm,
                       documents=_documents(folder), licence=_licence(folder))
    if "arb_Arab" in vocab and "eng_Latn" in vocab:
        files.family, files.source_prefix, files.source_suffix, files.target_prefix = (
            "nllb", ("arb_Arab",), ("</s>",), ("eng_Latn",))
    elif "__ar__" in vocab and "__en__" in vocab:
        files.family, files.source_prefix, files.source_suffix, files.target_prefix = (
            "m2m100", ("__ar__",), ("</s>",), ("__en__",))
    elif vocab[:1] == ["</s>"] and not config.get("add_source_eos"):
        files.family, files.source_suffix = "marian", ("</s>",)  # Marian vocabulary, EOS not added by CTranslate2
    meta = _json(folder / "metadata.json")
    if meta.get("from_code") or meta.get("to_code"):
        check_languages([str(meta.get("from_code"))], [str(meta.get("to_code"))], label)
        files.version = str(meta.get("package_version", "1.0"))
    sources, targets = readme_languages(folder)
    if sources or targets:
        check_languages(sources, targets, label)
    files.source_languages, files.target_languages = sources, targets
    return files


def find_hf(folder: Path, label: str) -> ModelFiles:
    """A Hugging Face checkpoint: config.json, weights, and the tokenizer's SentencePiece file(s)."""
    config = _json(folder / "config.json")
    model_type = str(config.get("model_type", ""))
    if model_type not in ("marian", "m2m_100"):
        raise refuse(label, f"Hugging Face model type {model_type or 'unknown'!r} is not one the importer converts "
                            "(marian for OPUS-MT, m2m_100 for NLLB and M2M100)")
    weights = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json", "pytorch_model.bin.index.json")
    if not any((folder / w).is_file() for w in weights):
        raise refuse(label, "the checkpoint has no weights (model.safetensors or pytorch_model.bin)")
    tokenizer_config = _json(folder / "tokenizer_config.json")
    common: dict[str, Any] = {"kind": "hf", "root": folder, "converter": "ctranslate2.converters.TransformersConverter",
                              "model_dir": folder, "documents": _documents(folder), "licence": _licence(folder)}
    if model_type == "marian":
        for needed in ("source.spm", "target.spm"):
            if not (folder / needed).is_file():
                raise refuse(label, f"{needed} is missing from the Marian checkpoint")
        sources = [str(tokenizer_config["source_lang"])] if tokenizer_config.get("source_lang") else []
        targets = [str(tokenizer_config["target_lang"])] if tokenizer_config.get("target_lang") else []
        if not (sources or targets):
            sources, targets = readme_languages(folder)
        if sources or targets:
            check_languages(sources, targets, label)
        return ModelFiles(**common, family="hf-marian",
                          tokenizers={folder / "source.spm": "source.spm", folder / "target.spm": "target.spm"},
                          source_spm="source.spm", target_spm="target.spm", source_suffix=("</s>",),
                          source_languages=sources, target_languages=targets)
    if not (folder / "sentencepiece.bpe.model").is_file():
        raise refuse(label, "sentencepiece.bpe.model is missing from the checkpoint")
    nllb = "nllb" in str(tokenizer_config.get("tokenizer_class", "")).lower()
    source, target = ("arb_Arab", "eng_Latn") if nllb else ("__ar__", "__en__")
    return ModelFiles(**common, family="nllb" if nllb else "m2m100",
                      tokenizers={folder / "sentencepiece.bpe.model": "sentencepiece.model"},
                      source_spm="sentencepiece.model", target_spm="sentencepiece.model",
                      source_prefix=(source,), source_suffix=("</s>",), target_prefix=(target,),
                      source_languages=[source], target_languages=[target])


# --- languages ----------------------------------------------------------------------------


def readme_languages(folder: Path) -> tuple[list[str], list[str]]:
    """Source and target language codes from an OPUS-MT README (`* source language(s): ara arz`)."""
    text = _read(folder / "README.md")
    found = []
    for side in ("source", "target"):
        match = re.search(rf"{side}[ _]languages?(?:\(s\))?\W*:\W*([^;*\n]+)", text, re.IGNORECASE)
        found.append(re.findall(r"\b[a-z]{2,3}(?:_[A-Za-z]+)?\b", match.group(1)) if match else [])
    return found[0], found[1]


def check_languages(sources: list[str], targets: list[str], label: str) -> None:
    """Refuse unless some source is Arabic and some target is English."""
    def base(code: str) -> str:
        return code.split("_")[0].lower()

    if not any(base(c) in ARABIC_CODES for c in sources) or not any(base(c) in ENGLISH_CODES for c in targets):
        pair = f"{'+'.join(sources) or '?'}->{'+'.join(targets) or '?'}"
        raise refuse(label, f"it translates {pair}, not Arabic->English")


# --- checks on the staged package ---------------------------------------------------------


def check_tokenizers(info: PackageInfo, label: str) -> None:
    """The SentencePiece models know Arabic / English and match the model's vocabulary; special tokens exist."""
    import sentencepiece as spm

    def load(name: str) -> Any:
        try:
            return spm.SentencePieceProcessor(model_file=str(info.path / name))
        except (RuntimeError, OSError) as exc:
            raise refuse(label, f"{name} is not a SentencePiece model ({first_line(exc)})") from None

    source, target = load(info.source_spm), load(info.target_spm)
    source_vocab = set(read_vocabulary(info.path / "model", "source"))
    target_vocab = set(read_vocabulary(info.path / "model", "target"))
    unknown = _lost_letters(source, ARABIC_PROBE)
    if unknown > 0.5:
        raise refuse(label, f"its source SentencePiece model does not know Arabic script ({unknown:.0%} of an "
                            "Arabic sentence is unknown): not an Arabic->English model")
    pieces = source.encode(ARABIC_PROBE, out_type=str)
    outside = sum(1 for p in pieces if p not in source_vocab) / max(len(pieces), 1)
    if outside > 0.2:  # a matching pair leaves ~0%
        raise refuse(label, f"{info.source_spm} does not match the model's vocabulary ({outside:.0%} of its pieces "
                            "are unknown to the model): wrong SentencePiece file?")
    if _lost_letters(target, ENGLISH_PROBE) > 0.5:
        raise refuse(label, "its target SentencePiece model does not know English: not an Arabic->English model")
    for token in (*info.source_prefix, *info.source_suffix):
        if token not in source_vocab:
            raise refuse(label, f"the source token {token} is not in the model's vocabulary")
    for token in info.target_prefix.split():
        if token not in target_vocab:
            raise refuse(label, f"the target token {token} is not in the model's vocabulary")


def _lost_letters(sp: Any, text: str) -> float:
    """Share of the letters of `text` that the SentencePiece model cannot represent (lost in a round trip)."""
    letters = [ch for ch in text if ch.isalpha()]
    kept = [ch for ch in str(sp.decode(sp.encode(text))) if ch.isalpha()]
    return max(0.0, 1 - len(kept) / max(len(letters), 1))


def read_vocabulary(model_dir: Path, side: str) -> list[str]:
    """A CTranslate2 model's source or target vocabulary (shared or per side, .json or .txt)."""
    for path in _vocabulary_files(model_dir, side):
        try:
            if path.suffix == ".json":
                data = json.loads(path.read_text(encoding="utf-8"))
                return [str(t) for t in data] if isinstance(data, list) else []
            return path.read_text(encoding="utf-8").split("\n")
        except (OSError, ValueError):
            return []
    return []


def _vocabulary_files(model_dir: Path, side: str = "source") -> list[Path]:
    names = [f"shared_vocabulary.{ext}" for ext in ("json", "txt")] + [f"{side}_vocabulary.{ext}" for ext in
                                                                        ("json", "txt")]
    return [model_dir / n for n in names if (model_dir / n).is_file()]


# --- helpers --------------------------------------------------------------------------------


def _documents(folder: Path) -> list[Path]:
    return [folder / n for n in DOCUMENT_NAMES if (folder / n).is_file()]


def _licence(folder: Path) -> str:
    """The licence in one line: front matter `license:` of the README, else LICENSE's first line."""
    front = re.search(r"^license:\s*(\S.*)$", _read(folder / "README.md"), re.MULTILINE)
    if front:
        return front.group(1).strip()
    for name in ("LICENSE", "LICENSE.txt", "LICENSE.md"):
        line = next((x.strip() for x in _read(folder / name).splitlines() if x.strip()), "")
        if line:
            return line
    return "unknown (no licence file found)"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
