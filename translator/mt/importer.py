"""Provides `translator models import`: bring a stronger model in from a file or folder, offline.

Accepted (as a folder, or a zip of one):
- an OPUS-MT / Tatoeba-Challenge release (`decoder.yml`, a Marian `.npz`, the vocabulary `.yml`,
  `source.spm`, `target.spm`), converted with CTranslate2's own OpusMTConverter (numpy + pyyaml);
- a CTranslate2 model folder (`model.bin`, `config.json`, vocabulary) with its SentencePiece
  model(s) beside it, copied as it is;
- a Hugging Face checkpoint (Marian, NLLB, M2M100), converted with CTranslate2's
  TransformersConverter, which needs the optional `[convert]` extra (torch + transformers);
- an Argos package (`.argosmodel`), handed to the Argos installer.

Every import is checked before anything is installed (files present, Arabic->English, the
SentencePiece models matching the model's vocabulary, one test sentence translated), built in a
hidden staging folder and moved into place with one rename: a refused import leaves nothing
behind. The installed folder has Argos' layout plus how to tokenise (see engine.PackageInfo)
and where it came from (`provenance` in metadata.json).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import re
import shutil
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from translator import __version__
from translator.config import Settings
from translator.errors import ModelError
from translator.mt.engine import PackageInfo, read_package_info
from translator.mt.model_check import check_model, record_check
from translator.mt.model_files import ModelFiles, check_languages, check_tokenizers, find_ct2, find_hf, find_opus_mt
from translator.mt.package_file import first_line, move_into_place

#: --quantize choices and what CTranslate2 is asked for (None keeps the weights as they are).
QUANTIZATIONS: dict[str, str | None] = {"int8": "int8", "int8_float32": "int8_float32",
                                        "float16": "float16", "none": None}
#: The extra that brings torch + transformers for Hugging Face checkpoints.
CONVERT_EXTRA_HINT = "pip install -e '.[convert]' (torch + transformers), or convert elsewhere and import the folder"
#: Refuse archives that unpack to more than this.
MAX_UNPACKED_BYTES = 16 * 1024**3


@dataclass(frozen=True)
class ImportResult:
    """What `import_model` installed."""

    info: PackageInfo
    seconds: float
    """Wall time of the whole import (unpack, convert, check, install)."""
    convert_seconds: float
    """Time spent in the CTranslate2 converter (0 for copied CTranslate2 folders)."""


def import_model(settings: Settings, path: Path, *, name: str | None = None,
                 quantize: str | None = None) -> ImportResult:
    """Import the model at `path` (folder or zip) and install it as `name`.

    Args:
        settings: where models live.
        path: an OPUS-MT release, a CTranslate2 folder, a Hugging Face checkpoint (folder or zip), or an
            `.argosmodel` file.
        name: install name (default: from the file or folder name).
        quantize: int8 (default for conversions), int8_float32, float16 or none; CTranslate2 folders are
            copied as they are, so they take no --quantize.

    Raises:
        ModelError: in one line, naming what is wrong; nothing was installed.
    """
    from translator.mt.models import install_package_file

    started = time.perf_counter()
    path = Path(path)
    label = str(path)
    if not path.exists():
        raise ModelError(f"{label}: not found (check the path)")
    if quantize is not None and quantize not in QUANTIZATIONS:
        raise ModelError(f"--quantize {quantize}: choose one of {', '.join(QUANTIZATIONS)}")
    if path.is_file() and path.suffix == ".argosmodel":
        return ImportResult(install_package_file(settings, path), time.perf_counter() - started, 0.0)
    name = name or default_name(path)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,99}", name):
        raise ModelError(f"{name!r}: not a usable model name (letters, digits, . _ + -); choose one with --name")
    root_dir = _models_root(settings)
    with tempfile.TemporaryDirectory(prefix=".install-", dir=root_dir) as tmp:
        staging = Path(tmp)
        source = _unpacked(path, staging / "source", label) if path.is_file() else path
        files = _detect(source, label)
        package = staging / name
        package.mkdir()
        convert_seconds = _build_model(files, package / "model", quantize, label)
        provenance = _provenance(path, files, quantize, convert_seconds)
        _write_package(files, package, provenance)
        info = read_package_info(package)
        check_tokenizers(info, label)
        _smoke_test(info, settings, label)
        final = root_dir / name
        try:
            move_into_place(package, final, staging)
        except OSError as exc:
            raise ModelError(f"{label}: cannot be installed into {root_dir} ({first_line(exc)})") from None
    return ImportResult(read_package_info(final), time.perf_counter() - started, convert_seconds)


def default_name(path: Path) -> str:
    """An install name from the file or folder name (`opus-mt-tc-big-ar-en.zip` → `opus-mt-tc-big-ar-en`)."""
    stem = path.name[: -len(path.suffix)] if path.is_file() and path.suffix else path.resolve().name
    return re.sub(r"[^A-Za-z0-9._+-]+", "-", stem).strip("-.") or "imported-model"


# --- unpacking and detection ---------------------------------------------------------------


def _unpacked(path: Path, dest: Path, label: str) -> Path:
    """Extract a zip (member paths checked first) into `dest`; returns the folder holding the files."""
    from translator.mt.package_file import _member_problem

    def refuse(reason: str) -> ModelError:
        return ModelError(f"{label}: refused, {reason}; nothing was installed")

    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise refuse(f"cannot read it ({first_line(exc)})") from None
    if magic[:2] != b"PK":
        raise refuse("not a zip archive; give a release zip, or the folder holding decoder.yml (OPUS-MT), "
                     "model.bin (CTranslate2) or config.json (Hugging Face)")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            for info in infos:
                problem = _member_problem(info)
                if problem:
                    raise refuse(problem)
            if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
                raise refuse(f"it would unpack to more than {MAX_UNPACKED_BYTES} bytes")
            if not infos:
                raise refuse("the archive is empty")
            zf.extractall(dest)
    except zipfile.BadZipFile as exc:
        raise refuse(f"not a readable zip archive, perhaps a corrupt or truncated download ({first_line(exc)})") \
            from None
    except (OSError, EOFError, zlib.error) as exc:
        raise refuse(f"cannot unpack the archive, perhaps a truncated download ({first_line(exc)})") from None
    entries = [p for p in dest.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else dest


def _detect(folder: Path, label: str) -> ModelFiles:
    """Which kind of model the folder holds, and its files; ModelError when none."""
    if (folder / "decoder.yml").is_file():
        return find_opus_mt(folder, label)
    if (folder / "model.bin").is_file() or (folder / "model" / "model.bin").is_file():
        return find_ct2(folder, label)
    if (folder / "config.json").is_file():
        return find_hf(folder, label)
    raise ModelError(
        f"{label}: refused, not a model this importer knows: no decoder.yml (OPUS-MT release), "
        "model.bin (CTranslate2 folder) or config.json (Hugging Face checkpoint); nothing was installed"
    )


# --- conversion ---------------------------------------------------------------------------


def _build_model(files: ModelFiles, out: Path, quantize: str | None, label: str) -> float:
    """Write the CTranslate2 model into `out` (converted or copied); returns the converter's seconds."""
    if files.kind == "ct2":
        if quantize is not None:
            raise ModelError(f"{label}: --quantize applies to conversions; a CTranslate2 folder is copied as it is "
                             "(re-convert it from the original to change its quantisation)")
        shutil.copytree(files.model_dir, out, ignore=shutil.ignore_patterns("*.spm", "*.model", "metadata.json"))
        return 0.0
    quantization = QUANTIZATIONS[quantize or "int8"]
    started = time.perf_counter()
    try:
        converter = _converter(files, label)
        converter.convert(str(out), quantization=quantization)
    except ModelError:
        raise
    except (ValueError, KeyError, RuntimeError, OSError, NotImplementedError, IndexError, TypeError) as exc:
        raise ModelError(f"{label}: refused, CTranslate2's {files.converter} cannot convert it "
                         f"({first_line(exc)}); nothing was installed") from None
    return time.perf_counter() - started


def _converter(files: ModelFiles, label: str) -> Any:
    if files.kind == "opus-mt":
        from ctranslate2.converters import OpusMTConverter

        return OpusMTConverter(str(files.root))
    if not all(importlib.util.find_spec(module) for module in ("torch", "transformers")):
        raise ModelError(f"{label}: converting a Hugging Face checkpoint needs torch and transformers: "
                         f"{CONVERT_EXTRA_HINT}")
    from ctranslate2.converters import TransformersConverter

    return TransformersConverter(str(files.root))


# --- the package ---------------------------------------------------------------------------


def _write_package(files: ModelFiles, package: Path, provenance: dict[str, Any]) -> None:
    """Copy tokenizers and licence beside the model and write metadata.json."""
    for src, dest in files.tokenizers.items():
        shutil.copyfile(src, package / dest)
    for doc in files.documents:
        shutil.copyfile(doc, package / doc.name)
    metadata = {
        "package_version": files.version,
        "from_code": "ar", "from_name": "Arabic", "to_code": "en", "to_name": "English",
        "type": "translate",
        "family": files.family,
        "source_spm": files.source_spm, "target_spm": files.target_spm,
        "source_prefix": list(files.source_prefix), "source_suffix": list(files.source_suffix),
        "target_prefix": " ".join(files.target_prefix),
        "licence": files.licence,
        "provenance": provenance,
    }
    (package / "metadata.json").write_text(json.dumps(metadata, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _provenance(path: Path, files: ModelFiles, quantize: str | None, convert_seconds: float) -> dict[str, Any]:
    import ctranslate2

    record: dict[str, Any] = {
        "origin": str(path.resolve()),
        "format": files.kind,
        "converter": files.converter,
        "ctranslate2_version": ctranslate2.__version__,
        "translator_version": __version__,
        "quantization": "as supplied" if files.kind == "ct2" else (quantize or "int8"),
        "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "convert_seconds": round(convert_seconds, 2),
        "licence": files.licence,
        "licence_files": [doc.name for doc in files.documents],
        "languages": {"source": files.source_languages, "target": files.target_languages},
    }
    if path.is_file():
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        record["origin_sha256"] = digest.hexdigest()
        record["origin_bytes"] = path.stat().st_size
    if files.kind == "hf":
        record["transformers_version"] = importlib.metadata.version("transformers")
        record["torch_version"] = importlib.metadata.version("torch")
    return record


def _smoke_test(info: PackageInfo, settings: Settings, label: str) -> None:
    """Load the staged model and translate one sentence in a limited child process (the same check as
    `models install`): a broken model is never installed, and a crash or a memory blow-up is refused."""
    check_model(info.path, label)
    record_check(info.path, "")


def _models_root(settings: Settings) -> Path:
    from translator.mt.models import writable_models_dir

    return writable_models_dir(settings)


__all__ = ["CONVERT_EXTRA_HINT", "QUANTIZATIONS", "ImportResult", "check_languages", "default_name", "import_model"]
