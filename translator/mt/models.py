"""Provides model management: find, validate, install (from a file) and remove packages.

An Argos package (`.argosmodel`) is a zip of one folder holding `metadata.json`, a CTranslate2
`model/` and `sentencepiece.model`. argostranslate's own installer unzips whatever it is given,
so every package is validated here first, unpacked into a staging folder inside the models
folder and only then moved into place with a rename: a refused or broken package leaves
nothing behind, and re-installing a package swaps the old folder for the new one atomically.

The online path (the Argos package index, and `ensure_model`) is in mt/package_index.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

from translator.config import DEMO_MODEL_PATH, Settings
from translator.errors import EngineError, ModelError, NoModelError
from translator.mt.engine import ArgosEngine, PackageInfo, read_package_info
from translator.mt.model_check import check_model, installed_problem, record_check, recorded_problem
from translator.mt.package_file import (
    first_line,
    is_plain_name,
    move_into_place,
    remove_stale_staging,
    same_file,
    validate_package,
)

#: Appended to every online failure: the offline way to get a model.
INSTALL_FROM_FILE_HINT = "install from a file: translator models install FILE.argosmodel"
#: Under TRANSLATOR_HOME: the default model chosen with `translator models use`.
DEFAULT_MODEL_FILE = "default-model.json"

# --- installed packages ---------------------------------------------------------------------


def installed_packages(settings: Settings) -> list[PackageInfo]:
    """Installed packages, best first: real models before the demo, newest version first, then
    by name; a package whose last load check failed ranks after every other.
    """
    root = settings.models_dir
    found = []
    for path in _package_dirs(root):
        try:
            found.append(read_package_info(path))
        except EngineError:
            continue  # unreadable metadata: shown by broken_packages(), never used
    failed = {info.path: bool(recorded_problem(info.path)) for info in found}
    return sorted(found, key=lambda info: (failed[info.path], info.demo, _negated(version_key(info.version)),
                                           info.name))


def broken_packages(settings: Settings) -> list[tuple[str, str]]:
    """(name, reason) of installed package folders whose metadata cannot be read or whose model
    failed its load check."""
    broken = []
    for path in _package_dirs(settings.models_dir):
        try:
            read_package_info(path)
        except EngineError as exc:
            broken.append((path.name, str(exc)))
            continue
        problem = recorded_problem(path)
        if problem:
            broken.append((path.name, f"the model does not load ({problem})"))
    return broken


def _package_dirs(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return [p for p in sorted(root.iterdir()) if not p.name.startswith(".") and (p / "metadata.json").is_file()]


def find_model(settings: Settings) -> PackageInfo:
    """The ar->en model to use, or ModelError.

    The model named by `settings.model` (--model, TRANSLATOR_MODEL), else the default chosen with
    `translator models use`, else the best Argos package that loads (a real one before the demo).
    Imported models are used only when chosen, or when nothing else is installed: importing a
    model never changes what the desk uses behind the translator's back.

    A package never checked (copied in by hand, installed by an older version, or changed since)
    is loaded once in a limited child process first (see model_check) and the result recorded:
    a broken package never outranks a working one, and a chosen one that cannot load is an error.

    Raises:
        NoModelError: none installed.
        ModelError: the chosen model is missing or cannot load, or no installed ar->en model loads.
    """
    packages = [p for p in installed_packages(settings) if (p.from_code, p.to_code) == ("ar", "en")]
    chosen = settings.model or default_model(settings)
    if chosen:
        found = next((p for p in packages if p.name == chosen), None)
        if found is None:
            how = "--model/TRANSLATOR_MODEL" if settings.model else "the default set with `translator models use`"
            raise ModelError(f"no installed ar->en model named {chosen!r} ({how}); "
                             "see: translator models list, or: translator models use NAME")
        candidates = [found]
    else:
        candidates = sorted(packages, key=lambda p: p.family != "argos")
    problems = []
    for info in candidates:
        problem = installed_problem(info.path)
        if not problem:
            return info
        problems.append((info, problem))
    if problems:
        info, problem = problems[0]
        raise ModelError(f"installed model {info.name} in {info.path} cannot translate ({problem}); "
                         f"remove it (translator models remove {info.name}) or reinstall it")
    raise NoModelError(settings.models_dir)


def default_model(settings: Settings) -> str:
    """The model name saved by `translator models use`, or ""."""
    try:
        data = json.loads((settings.home / DEFAULT_MODEL_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(data.get("model", "")) if isinstance(data, dict) else ""


def use_model(settings: Settings, name: str) -> PackageInfo:
    """Make the installed model `name` the default for every command and the desk."""
    info = find_model(settings.with_(model=name))
    path = settings.home / DEFAULT_MODEL_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps({"model": name}) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise ModelError(f"{path}: cannot save the default model ({exc.strerror or exc}); "
                         "set TRANSLATOR_HOME to a writable folder") from None
    return info


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
    if not is_plain_name(name):
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
    if default_model(settings) == name:
        (settings.home / DEFAULT_MODEL_FILE).unlink(missing_ok=True)
    return path


# --- installation from a file ------------------------------------------------


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
        demo = bool(check.metadata.get("demo")) or same_file(path, DEMO_MODEL_PATH)
    root = writable_models_dir(settings)
    staging = Path(tempfile.mkdtemp(prefix=".install-", dir=root))
    try:
        try:
            with zipfile.ZipFile(path) as zf:
                zf.extractall(staging)  # member paths were validated above
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise ModelError(f"{label}: cannot be unpacked ({first_line(exc)}); nothing was installed") from None
        new = staging / check.name
        final = root / check.name
        try:
            if demo and not check.metadata.get("demo"):
                meta = dict(check.metadata, demo=True)
                (new / "metadata.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
            check_model(new, label)  # loads and translates in a limited child, before anything is replaced
            record_check(new, "")
            move_into_place(new, final, staging)
        except OSError as exc:
            raise ModelError(f"{label}: cannot be installed into {root} ({first_line(exc)})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return read_package_info(final)


def writable_models_dir(settings: Settings) -> Path:
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
    remove_stale_staging(root)
    return root


# --- helpers --------------------------------------------------------------------------------


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version)) or (-1,)


def _negated(key: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(-n for n in key)
