"""Provides model management: find, validate, install (file or Argos index) and remove packages.

An Argos package (`.argosmodel`) is a zip of one folder holding `metadata.json`, a CTranslate2
`model/` and `sentencepiece.model`. argostranslate's own installer unzips whatever it is given,
so every package is validated here first, unpacked into a staging folder inside the models
folder and only then moved into place with a rename: a refused or broken package leaves
nothing behind, and re-installing a package swaps the old folder for the new one atomically.

The online path fetches the Argos package index with urllib (argostranslate's index helpers
fail deep inside when offline) and is the only code in the product that touches the network.
"""

from __future__ import annotations

import ctypes
import http.client
import json
import os
import re
import shutil
import stat
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from translator.config import DEMO_MODEL_PATH, Settings
from translator.engine import ArgosEngine, PackageInfo, read_package_info
from translator.errors import EngineError, ModelError, NoModelError

#: Appended to every online failure: the offline way to get a model.
INSTALL_FROM_FILE_HINT = "install from a file: translator models install FILE.argosmodel"
#: Seconds to wait for the index server or a download to answer.
NETWORK_TIMEOUT = 30.0
#: Refuse packages that unpack to more than this (a zip bomb, or not a translation model).
MAX_UNPACKED_BYTES = 8 * 1024**3
#: The index is a small JSON list; refuse anything much larger.
MAX_INDEX_BYTES = 32 * 1024 * 1024
#: Staging folders older than this are leftovers of a killed install and are removed.
STALE_STAGING_SECONDS = 3600

#: Called with (bytes done, total bytes or None) while a package downloads.
ProgressCallback = Callable[[int, "int | None"], None]


class IndexUnavailableError(ModelError):
    """The package index or a package download could not be reached (offline, server down)."""


@dataclass(frozen=True)
class PackageCheck:
    """What validation learnt about a package file."""

    name: str
    """The package's single top-level folder: its install name."""
    metadata: dict[str, Any]


@dataclass(frozen=True)
class EnsureResult:
    """What `ensure_model` did."""

    info: PackageInfo
    action: str
    """"present" (nothing to do), "online" (installed from the index) or "demo" (bundled demo)."""
    reason: str = ""
    """Why the online install failed, when action is "demo"."""


# --- installed packages ---------------------------------------------------------------------


def installed_packages(settings: Settings) -> list[PackageInfo]:
    """Installed packages: real models first, newest version first, then by name."""
    root = settings.models_dir
    found = []
    for path in _package_dirs(root):
        try:
            found.append(read_package_info(path))
        except EngineError:
            continue  # unreadable metadata: shown by broken_packages(), never used
    return sorted(found, key=lambda info: (info.demo, _negated(_version_key(info.version)), info.name))


def broken_packages(settings: Settings) -> list[tuple[str, str]]:
    """(name, reason) of installed package folders whose metadata cannot be read."""
    broken = []
    for path in _package_dirs(settings.models_dir):
        try:
            read_package_info(path)
        except EngineError as exc:
            broken.append((path.name, str(exc)))
    return broken


def _package_dirs(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return [p for p in sorted(root.iterdir()) if not p.name.startswith(".") and (p / "metadata.json").is_file()]


def find_model(settings: Settings) -> PackageInfo:
    """The ar->en package to use (a real one before the demo), or NoModelError."""
    for info in installed_packages(settings):
        if info.from_code == "ar" and info.to_code == "en":
            return info
    raise NoModelError(settings.models_dir)


def load_engine(settings: Settings) -> ArgosEngine:
    """An engine over the installed ar->en model (models load lazily on first translation)."""
    return ArgosEngine(find_model(settings).path, settings)


def package_dir(settings: Settings, name: str) -> Path:
    """Folder an installed package named `name` lives in."""
    return settings.models_dir / name


def remove_package(settings: Settings, name: str) -> Path:
    """Uninstall the package `name`; returns the folder it occupied.

    The folder is first renamed to a hidden name (so it vanishes from listings at once) and
    then deleted.
    """
    if not _is_plain_name(name):
        raise ModelError(f"{name!r} is not a package name (see: translator models list)")
    path = package_dir(settings, name)
    if not (path / "metadata.json").is_file():
        raise ModelError(f"no installed model named {name!r} in {settings.models_dir} (see: translator models list)")
    doomed = settings.models_dir / f".remove-{name}-{os.getpid()}-{time.monotonic_ns()}"
    try:
        os.rename(path, doomed)
    except OSError as exc:
        raise ModelError(f"{path}: cannot remove ({exc.strerror or exc}); check the folder's permissions") from None
    shutil.rmtree(doomed, ignore_errors=True)
    return path


# --- validation and installation from a file ------------------------------------------------


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
            if not _is_plain_name(name):
                raise refuse(f"top-level folder {name!r} is not a usable package name")
            if total > MAX_UNPACKED_BYTES:
                raise refuse(f"it would unpack to {total} bytes, over the {MAX_UNPACKED_BYTES}-byte limit")
            files = {info.filename for info in infos if not info.is_dir()}
            if f"{name}/metadata.json" not in files:
                raise refuse("metadata.json is missing")
            try:
                metadata = json.loads(zf.read(f"{name}/metadata.json").decode("utf-8-sig"))
            except (ValueError, UnicodeDecodeError) as exc:
                raise refuse(f"metadata.json is not valid JSON ({_first_line(exc)})") from None
    except zipfile.BadZipFile as exc:
        raise refuse("not a readable zip archive, perhaps a corrupt or truncated download "
                     f"({_first_line(exc)})") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise refuse(f"cannot read the archive ({_first_line(exc)})") from None
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


def install_package_file(
    settings: Settings, path: Path, *, demo: bool | None = None, label: str | None = None
) -> PackageInfo:
    """Validate and install a `.argosmodel` file; returns the installed package.

    Args:
        settings: where models live.
        path: the package file.
        demo: mark the package as a demo model; None = as its metadata says, or True when the
            file is the bundled demo model.
        label: how to name the package in messages (defaults to the path).

    Raises:
        ModelError: the package is refused or cannot be unpacked; nothing was installed.
    """
    path = Path(path)
    label = label or str(path)
    check = validate_package(path, label)
    if demo is None:
        demo = bool(check.metadata.get("demo")) or _same_file(path, DEMO_MODEL_PATH)
    root = _writable_models_dir(settings)
    staging = Path(tempfile.mkdtemp(prefix=".install-", dir=root))
    try:
        try:
            with zipfile.ZipFile(path) as zf:
                zf.extractall(staging)  # member paths were validated above
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise ModelError(f"{label}: cannot be unpacked ({_first_line(exc)}); nothing was installed") from None
        new = staging / check.name
        final = root / check.name
        try:
            if demo and not check.metadata.get("demo"):
                meta = dict(check.metadata, demo=True)
                (new / "metadata.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
            _move_into_place(new, final, staging)
        except OSError as exc:
            raise ModelError(f"{label}: cannot be installed into {root} ({_first_line(exc)})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return read_package_info(final)


def _writable_models_dir(settings: Settings) -> Path:
    """The models folder, created if needed, with stale staging leftovers cleaned up."""
    root = settings.models_dir
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = Path(tempfile.mkdtemp(prefix=".install-probe-", dir=root))
        probe.rmdir()
    except OSError as exc:
        raise ModelError(
            f"{root}: cannot write the models folder ({exc.strerror or exc}); "
            "set TRANSLATOR_HOME to a writable folder"
        ) from None
    _remove_stale_staging(root)
    return root


# --- the online index ----------------------------------------------------------------------


def fetch_index(url: str, timeout: float = NETWORK_TIMEOUT) -> list[dict[str, Any]]:
    """Download and parse the Argos package index (a JSON list of package metadata)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - http(s)/file by design
            data = response.read(MAX_INDEX_BYTES + 1)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise IndexUnavailableError(
            f"cannot fetch the package index {url} ({_network_reason(exc)}); {INSTALL_FROM_FILE_HINT}"
        ) from None
    if len(data) > MAX_INDEX_BYTES:
        raise IndexUnavailableError(
            f"the package index {url} is over {MAX_INDEX_BYTES} bytes; {INSTALL_FROM_FILE_HINT}"
        )
    try:
        index = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise IndexUnavailableError(
            f"the package index {url} is not valid JSON ({_first_line(exc)}); {INSTALL_FROM_FILE_HINT}"
        ) from None
    if not isinstance(index, list):
        raise IndexUnavailableError(f"the package index {url} is not a JSON list of packages; {INSTALL_FROM_FILE_HINT}")
    return [entry for entry in index if isinstance(entry, dict)]


def pick_ar_en(index: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The ar->en translate entry with the highest package_version, or None."""
    candidates = [
        entry
        for entry in index
        if entry.get("from_code") == "ar"
        and entry.get("to_code") == "en"
        and entry.get("type", "translate") == "translate"
        and isinstance(entry.get("links"), list)
        and any(isinstance(link, str) and link for link in entry["links"])
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda entry: _version_key(str(entry.get("package_version", ""))))


def install_from_index(settings: Settings, progress: ProgressCallback | None = None) -> PackageInfo:
    """Fetch the index, download the newest ar->en package and install it (validated).

    Raises:
        IndexUnavailableError: offline, index or download unreachable, or no ar->en entry.
        ModelError: the downloaded package is refused.
    """
    url = settings.package_index
    entry = pick_ar_en(fetch_index(url))
    if entry is None:
        raise IndexUnavailableError(
            f"the package index {url} lists no Arabic->English package; {INSTALL_FROM_FILE_HINT}"
        )
    root = _writable_models_dir(settings)
    fd, tmp_name = tempfile.mkstemp(prefix=".download-", suffix=".argosmodel", dir=root)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        link = _download_first(entry["links"], url, tmp, progress)
        return install_package_file(settings, tmp, demo=False, label=link)
    finally:
        tmp.unlink(missing_ok=True)


def ensure_model(settings: Settings, progress: ProgressCallback | None = None) -> EnsureResult:
    """Make sure an ar->en model is installed: keep one, else the index's, else the bundled demo."""
    try:
        return EnsureResult(find_model(settings), "present")
    except NoModelError:
        pass
    try:
        return EnsureResult(install_from_index(settings, progress), "online")
    except ModelError as exc:
        reason = str(exc).replace(f"; {INSTALL_FROM_FILE_HINT}", "")
    if not DEMO_MODEL_PATH.is_file():
        raise ModelError(f"{reason}; and the bundled demo model {DEMO_MODEL_PATH} is missing; {INSTALL_FROM_FILE_HINT}")
    return EnsureResult(install_package_file(settings, DEMO_MODEL_PATH, demo=True), "demo", reason)


# --- helpers --------------------------------------------------------------------------------


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


def _is_plain_name(name: str) -> bool:
    return bool(name) and name not in {".", ".."} and not name.startswith(".") and "/" not in name and "\\" not in name


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version)) or (-1,)


def _negated(key: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(-n for n in key)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _network_reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        return _first_line(reason) if isinstance(reason, BaseException) else str(reason)
    if isinstance(exc, TimeoutError):
        return "timed out"
    return _first_line(exc)


def _download_first(links: list[Any], index_url: str, dest: Path, progress: ProgressCallback | None) -> str:
    """Download the first link that works into `dest`; returns that link."""
    failures = []
    for link in (link for link in links if isinstance(link, str) and link):
        link = urllib.parse.urljoin(index_url, link)
        try:
            _download(link, dest, progress)
            return link
        except IndexUnavailableError as exc:
            failures.append(str(exc))
    raise IndexUnavailableError(f"{failures[-1] if failures else 'no download link'}; {INSTALL_FROM_FILE_HINT}")


def _download(url: str, dest: Path, progress: ProgressCallback | None) -> None:
    try:
        with urllib.request.urlopen(url, timeout=NETWORK_TIMEOUT) as response, open(dest, "wb") as out:  # noqa: S310
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            done = 0
            if progress:
                progress(done, total)
            while chunk := response.read(1 << 16):
                out.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise IndexUnavailableError(f"cannot download {url} ({_network_reason(exc)})") from None
    if total is not None and done != total:
        raise IndexUnavailableError(f"cannot download {url} (got {done} of {total} bytes)")


def _move_into_place(new: Path, final: Path, staging: Path) -> None:
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


def _remove_stale_staging(root: Path) -> None:
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
