"""Provides the online way to a model and `ensure_model`: installed, else the Argos index's, else the bundled demo.

The online path fetches the Argos package index with urllib (argostranslate's index helpers
fail deep inside when offline) and is the only code in the product that touches the network.
"""

from __future__ import annotations

import http.client
import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translator.config import DEMO_MODEL_PATH, Settings
from translator.errors import ModelError, NoModelError
from translator.mt.engine import PackageInfo
from translator.mt.models import (
    INSTALL_FROM_FILE_HINT,
    find_model,
    install_package_file,
    version_key,
    writable_models_dir,
)
from translator.mt.package_file import first_line

#: Seconds to wait for the index server or a download to answer.
NETWORK_TIMEOUT = 30.0
#: The index is a small JSON list; refuse anything much larger.
MAX_INDEX_BYTES = 32 * 1024 * 1024

#: Called with (bytes done, total bytes or None) while a package downloads.
ProgressCallback = Callable[[int, "int | None"], None]


class IndexUnavailableError(ModelError):
    """The package index or a package download could not be reached (offline, server down)."""


@dataclass(frozen=True)
class EnsureResult:
    """What `ensure_model` did."""

    info: PackageInfo
    action: str
    """"present" (nothing to do), "online" (installed from the index) or "demo" (bundled demo)."""
    reason: str = ""
    """Why the online install failed, when action is "demo"."""


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
            f"the package index {url} is not valid JSON ({first_line(exc)}); {INSTALL_FROM_FILE_HINT}"
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
    return max(candidates, key=lambda entry: version_key(str(entry.get("package_version", ""))))


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
    root = writable_models_dir(settings)
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
        return EnsureResult(find_model(settings), "present")  # a model that cannot load fails here
    except NoModelError:
        pass
    try:
        return EnsureResult(install_from_index(settings, progress), "online")
    except ModelError as exc:
        reason = str(exc).replace(f"; {INSTALL_FROM_FILE_HINT}", "")
    if not DEMO_MODEL_PATH.is_file():
        raise ModelError(f"{reason}; and the bundled demo model {DEMO_MODEL_PATH} is missing; {INSTALL_FROM_FILE_HINT}")
    return EnsureResult(install_package_file(settings, DEMO_MODEL_PATH, demo=True), "demo", reason)


def _network_reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        return first_line(reason) if isinstance(reason, BaseException) else str(reason)
    if isinstance(exc, TimeoutError):
        return "timed out"
    return first_line(exc)


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


