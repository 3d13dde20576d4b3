"""Provides model management: find, install (file or Argos index), validate and remove packages."""

from __future__ import annotations

from pathlib import Path

from translator.config import Settings
from translator.engine import ArgosEngine, PackageInfo, read_package_info
from translator.errors import NoModelError


def installed_packages(settings: Settings) -> list[PackageInfo]:
    """Installed packages, real models first, then by name."""
    root = settings.models_dir
    if not root.is_dir():
        return []
    found = [read_package_info(p) for p in sorted(root.iterdir()) if (p / "metadata.json").is_file()]
    return sorted(found, key=lambda info: (info.demo, info.name))


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
