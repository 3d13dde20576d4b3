"""Provides ShippedPackage: an installed model zipped in memory, to travel to workers that have none installed.

`translator batch --ray` puts one in Ray's object store per run; each worker node unpacks it once, keyed by its
content, and opens an engine from it. Nothing here imports Ray.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from translator.config import Settings
from translator.mt.engine import ArgosEngine, Engine


class EngineSource(Protocol):
    """What a worker builds its engine from (shipped to it once through the object store)."""

    def open(self) -> Engine:
        """Load the engine in the worker process."""
        ...


@dataclass(frozen=True)
class ShippedPackage:
    """An installed Argos package, zipped in memory so that it travels through the object store."""

    name: str
    digest: str
    data: bytes
    settings: Settings

    @classmethod
    def from_folder(cls, folder: Path, settings: Settings) -> ShippedPackage:
        buffer, digest = io.BytesIO(), hashlib.sha256()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
                name, content = path.relative_to(folder).as_posix(), path.read_bytes()
                archive.writestr(name, content)
                digest.update(f"{name}\0{len(content)}\0".encode() + content)
        return cls(Path(folder).name, digest.hexdigest()[:16], buffer.getvalue(), settings)

    def unpack(self, root: Path | None = None) -> Path:
        """The package folder on this node, unpacked once per node and package content."""
        root = root or Path(tempfile.gettempdir()) / "translator-ray-models"
        final = root / f"{self.name}-{self.digest}"
        if not (final / "metadata.json").is_file():
            root.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=root))
            with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
                archive.extractall(staging)
            try:
                staging.rename(final)
            except OSError:  # another worker on this node was first
                shutil.rmtree(staging, ignore_errors=True)
        return final

    def open(self) -> Engine:
        engine = ArgosEngine(self.unpack(), self.settings)
        engine.load()
        return engine
