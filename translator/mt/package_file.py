"""Provides validate_package and the file-system steps of installing one: staging, swapping, cleanup.

Everything here works on one `.argosmodel` zip or one unpacked folder; translator.mt.models
decides which package to install and where.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import stat
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from translator.errors import ModelError
from translator.mt.engine import MAX_METADATA_BYTES

#: Refuse packages that unpack to more than this (a zip bomb, or not a translation model).
MAX_UNPACKED_BYTES = 8 * 1024**3
#: Staging folders older than this are leftovers of a killed install and are removed.
STALE_STAGING_SECONDS = 3600


@dataclass(frozen=True)
class PackageCheck:
    """What validation learnt about a package file."""

    name: str
    """The package's single top-level folder: its install name."""
    metadata: dict[str, Any]


def validate_package(path: Path, label: str | None = None) -> PackageCheck:
    """Check a package file without unpacking it; raise ModelError naming the first problem.

    Checks: a readable zip; every member path relative, without `..`, not a symlink; exactly
    one top-level folder; `metadata.json` present, a JSON object, ar->en, type translate;
    `model/model.bin` and `sentencepiece.model` present; unpacked size within reason.

    Args:
        path: the `.argosmodel` file.
        label: how to name the package in messages (defaults to the path; a URL for downloads).
    """
    label = label or str(path)

    def refuse(reason: str) -> ModelError:
        return ModelError(f"{label}: refused, {reason}; nothing was installed")

    path = Path(path)
    if not path.exists():
        raise ModelError(f"{label}: file not found (check the path)")
    if path.is_dir():
        raise ModelError(f"{label}: is a folder; give the .argosmodel file")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            tops, total = set(), 0
            for info in infos:
                problem = _member_problem(info)
                if problem:
                    raise refuse(problem)
                parts = PurePosixPath(info.filename).parts
                if len(parts) == 1 and not info.is_dir():
                    raise refuse(f"file {info.filename!r} lies outside the package folder")
                tops.add(parts[0])
                total += info.file_size
            if not tops:
                raise refuse("the archive is empty")
            if len(tops) != 1:
                raise refuse(f"expected one top-level folder, found {len(tops)}: {', '.join(sorted(tops)[:5])}")
            (name,) = tops
            if not is_plain_name(name):
                raise refuse(f"top-level folder {name!r} is not a usable package name")
            if total > MAX_UNPACKED_BYTES:
                raise refuse(f"it would unpack to {total} bytes, over the {MAX_UNPACKED_BYTES}-byte limit")
            files = {info.filename for info in infos if not info.is_dir()}
            if f"{name}/metadata.json" not in files:
                raise refuse("metadata.json is missing")
            with zf.open(f"{name}/metadata.json") as member:  # bounded: the declared size may lie
                raw = member.read(MAX_METADATA_BYTES + 1)
            if len(raw) > MAX_METADATA_BYTES:
                raise refuse(f"metadata.json is over {MAX_METADATA_BYTES} bytes")
            try:
                metadata = json.loads(raw.decode("utf-8-sig"))
            except (ValueError, UnicodeDecodeError) as exc:
                raise refuse(f"metadata.json is not valid JSON ({first_line(exc)})") from None
    except zipfile.BadZipFile as exc:
        raise refuse("not a readable zip archive, perhaps a corrupt or truncated download "
                     f"({first_line(exc)})") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise refuse(f"cannot read the archive ({first_line(exc)})") from None
    if not isinstance(metadata, dict):
        raise refuse("metadata.json is not a JSON object")
    pair = (metadata.get("from_code"), metadata.get("to_code"))
    if pair != ("ar", "en"):
        raise refuse(f"it translates {pair[0]}->{pair[1]}, not Arabic->English (ar->en)")
    kind = metadata.get("type", "translate")
    if kind != "translate":
        raise refuse(f"package type is {kind!r}, not 'translate'")
    for required in ("model/model.bin", "sentencepiece.model"):
        if f"{name}/{required}" not in files:
            raise refuse(f"{required} is missing")
    return PackageCheck(name=name, metadata=metadata)


def _member_problem(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not name or "\x00" in name:
        return "a member has an empty or invalid name"
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return f"member {name!r} has an absolute path"
    if "\\" in name:
        return f"member {name!r} uses backslashes in its path"
    if ".." in PurePosixPath(name).parts:
        return f"member {name!r} escapes the package folder (..)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"member {name!r} is a symbolic link"
    return ""


def is_plain_name(name: str) -> bool:
    return bool(name) and name not in {".", ".."} and not name.startswith(".") and "/" not in name and "\\" not in name


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def move_into_place(new: Path, final: Path, staging: Path) -> None:
    """Rename `new` to `final`; an existing `final` is swapped out atomically where possible."""
    if not final.exists():
        try:
            os.rename(new, final)
            return
        except OSError:
            if not final.exists():
                raise
    if _exchange(new, final):
        return  # the old package now sits in `new` and goes with the staging folder
    os.rename(final, staging / ".old")
    os.rename(new, final)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step with Linux renameat2(RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def remove_stale_staging(root: Path) -> None:
    now = time.time()
    for leftover in [*root.glob(".install-*"), *root.glob(".download-*")]:
        try:
            if now - leftover.stat().st_mtime > STALE_STAGING_SECONDS:
                if leftover.is_dir():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink(missing_ok=True)
        except OSError:
            continue
    for leftover in root.glob(".remove-*"):
        shutil.rmtree(leftover, ignore_errors=True)
