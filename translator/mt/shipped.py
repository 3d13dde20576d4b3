"""Provides ShippedPackage: an installed model zipped in memory, to travel to workers that have none installed.

`translator batch --ray` puts one in Ray's object store per run; each worker node unpacks it once per run, keyed
by its content and the run, opens an engine from it, and removes it when the run ends (`release`; an engine keeps
its model in memory once loaded). Nothing here imports Ray.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
import uuid
import zipfile
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from translator.config import Settings
from translator.mt.engine import ArgosEngine, Engine

#: The folder under the node's temp folder where workers unpack shipped packages.
UNPACK_DIRNAME = "translator-ray-models"


class EngineSource(Protocol):
    """What a worker builds its engine from (shipped to it once through the object store)."""

    def open(self) -> Engine:
        """Load the engine in the worker process."""
        ...

    def release(self) -> None:
        """Remove what `open` left on this node (the run is over)."""
        ...


@dataclass(frozen=True)
class ShippedPackage:
    """An installed Argos package, zipped in memory so that it travels through the object store."""

    name: str
    digest: str
    data: bytes
    settings: Settings
    run: str = ""
    """This run's id: two runs on one node never share (or remove) each other's unpacked copy."""

    @classmethod
    def from_folder(cls, folder: Path, settings: Settings) -> ShippedPackage:
        buffer, digest = io.BytesIO(), hashlib.sha256()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
                name, content = path.relative_to(folder).as_posix(), path.read_bytes()
                archive.writestr(name, content)
                digest.update(f"{name}\0{len(content)}\0".encode() + content)
        return cls(Path(folder).name, digest.hexdigest()[:16], buffer.getvalue(), settings, uuid.uuid4().hex[:12])

    def folder(self, root: Path | None = None) -> Path:
        """Where this node has (or will have) the package unpacked."""
        root = root or Path(tempfile.gettempdir()) / UNPACK_DIRNAME
        return root / f"{self.name}-{self.digest}-{self.run}"

    def unpack(self, root: Path | None = None) -> Path:
        """The package folder on this node, unpacked once per node, package content and run."""
        final = self.folder(root)
        root = final.parent
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

    def release(self, root: Path | None = None) -> None:
        """Remove this run's unpacked copy on this node (and the folder of copies, once empty)."""
        final = self.folder(root)
        shutil.rmtree(final, ignore_errors=True)
        with suppress(OSError):  # other runs' copies are still there, or it is gone already
            os.rmdir(final.parent)
