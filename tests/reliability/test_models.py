"""Model packages are checked by content before they replace anything (issue #16, item 4).

Reproductions: a 5 MB package whose metadata.json inflates to 2 GiB of whitespace installed
(95 s, 4.2 GB RSS) and then every `models list`/`translate` took 30 s and 4.2 GB; a package with
a corrupt model.bin installed, replaced or outranked the working model, `translate` then failed
while `models ensure` exited 0.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.reliability.conftest import cli, one_line_error
from translator.config import DEMO_MODEL_PATH, Settings
from translator.errors import ModelError
from translator.mt import models, package_index
from translator.mt.model_check import CheckLimits, model_problem

META = {"package_version": "1.0", "from_code": "ar", "to_code": "en", "type": "translate"}
BOMB_BYTES = 256 * 1024**2  # inflates to 256 MiB (the report's 2 GiB behaves the same: the read stops at 1 MiB)


def demo_members() -> dict[str, bytes]:
    with zipfile.ZipFile(DEMO_MODEL_PATH) as zf:
        return {i.filename.split("/", 1)[1]: zf.read(i) for i in zf.infolist() if not i.is_dir()}


def package(path: Path, top: str = "translate-ar_en-1_0", meta: dict | None = None,
            model_bin: bytes | None = None, metadata_padding: int = 0) -> Path:
    members = demo_members()
    members.pop("metadata.json")
    if model_bin is not None:
        members["model/model.bin"] = model_bin
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open(f"{top}/metadata.json", "w", force_zip64=True) as out:
            out.write(json.dumps(meta or META).encode())
            chunk = b" " * (1 << 22)
            for _ in range(metadata_padding // len(chunk)):
                out.write(chunk)
        for name, data in members.items():
            zf.writestr(f"{top}/{name}", data)
    return path


def corrupt_model_bin() -> bytes:
    return demo_members()["model/model.bin"][:5000]  # truncated: CTranslate2 cannot read it


def peak_rss_cli(args: list[str], home: Path) -> tuple[subprocess.CompletedProcess[str], int, float]:
    """Run the CLI in a child; its return, its own peak RSS (MiB) and wall time."""
    code = ("import resource, sys; from translator.cli import main; rc = main(sys.argv[1:]); "
            "print('peak', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(rc)")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
                          env={"TRANSLATOR_HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
                          stdin=subprocess.DEVNULL, cwd=ROOT)
    peak = int(proc.stderr.rsplit("peak ", 1)[1].split()[0]) // 1024
    return proc, peak, time.monotonic() - started


def test_metadata_bomb_is_refused_quickly_in_little_memory(tmp_path: Path) -> None:
    bomb = package(tmp_path / "bomb.argosmodel", metadata_padding=BOMB_BYTES)
    assert bomb.stat().st_size < 5 * 1024**2
    proc, peak_mib, seconds = peak_rss_cli(["models", "install", str(bomb)], tmp_path / "home")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "metadata.json is over 1048576 bytes" in proc.stderr and "nothing was installed" in proc.stderr
    assert peak_mib < 200 and seconds < 20, (peak_mib, seconds)
    models_dir = tmp_path / "home" / "models"
    assert not models_dir.exists() or not [p for p in models_dir.iterdir() if not p.name.startswith(".")]


def test_an_installed_metadata_bomb_is_listed_as_broken_quickly(installed: Settings, tmp_path: Path) -> None:
    folder = installed.models_dir / "bomb"
    shutil.copytree(models.find_model(installed).path, folder)
    with (folder / "metadata.json").open("ab") as out:  # copied in by hand, or by an older version
        out.truncate(BOMB_BYTES)
    proc, peak_mib, seconds = peak_rss_cli(["models", "list"], installed.home)
    assert proc.returncode == 0 and "broken package bomb" in proc.stderr
    assert "over the 1048576-byte limit" in proc.stderr
    assert peak_mib < 200 and seconds < 20, (peak_mib, seconds)


def test_corrupt_model_never_replaces_the_working_one(installed: Settings, tmp_path: Path) -> None:
    working = models.find_model(installed)
    before = (working.path / "model" / "model.bin").read_bytes()
    same_name = package(tmp_path / "same.argosmodel", top=working.path.name, model_bin=corrupt_model_bin())
    with pytest.raises(ModelError, match="refused, the model does not load .*nothing was installed"):
        models.install_package_file(installed, same_name)
    newer = package(tmp_path / "newer.argosmodel", top="translate-ar_en-9_0", meta=dict(META, package_version="9.0"),
                    model_bin=corrupt_model_bin())
    with pytest.raises(ModelError, match="the model does not load"):
        models.install_package_file(installed, newer)
    assert [p.name for p in models.installed_packages(installed)] == [working.name]
    assert (working.path / "model" / "model.bin").read_bytes() == before
    assert sorted(p.name for p in installed.models_dir.iterdir()) == [working.name]  # no staging left


def test_cli_install_of_a_corrupt_model_is_one_line(tmp_path: Path) -> None:
    bad = package(tmp_path / "bad.argosmodel", model_bin=corrupt_model_bin())
    line = one_line_error(cli(["models", "install", str(bad)], tmp_path / "home", fake=False))
    assert "refused, the model does not load" in line and "nothing was installed" in line


def test_a_broken_hand_copied_model_never_outranks_a_working_one(installed: Settings) -> None:
    working = models.find_model(installed)
    broken = installed.models_dir / "translate-ar_en-9_9"
    shutil.copytree(working.path, broken)
    (broken / ".checked.json").unlink()
    meta = json.loads((broken / "metadata.json").read_text(encoding="utf-8"))
    (broken / "metadata.json").write_text(json.dumps(dict(meta, package_version="9.9", demo=False)), encoding="utf-8")
    (broken / "model" / "model.bin").write_bytes(corrupt_model_bin())
    # a real, newer model ranks first, but it is checked before use, fails, and the working one is used
    assert models.find_model(installed).path == working.path
    assert models.installed_packages(installed)[-1].path == broken  # the failure is recorded: ranked last
    assert package_index.ensure_model(installed).info.path == working.path
    shutil.rmtree(working.path)  # only the broken one left: a clear error, not the demo installed over it
    with pytest.raises(ModelError, match="installed model translate-ar_en-9_9 .*cannot translate"):
        package_index.ensure_model(installed)
    assert [p.name for p in installed.models_dir.iterdir() if not p.name.startswith(".")] == [broken.name]


def test_models_ensure_fails_when_the_model_cannot_load(installed: Settings) -> None:
    info = models.find_model(installed)
    assert cli(["models", "ensure"], installed.home, fake=False).returncode == 0
    (info.path / "model" / "model.bin").write_bytes(corrupt_model_bin())  # broken after the install
    line = one_line_error(cli(["models", "ensure"], installed.home, fake=False))
    assert f"installed model {info.name}" in line and "cannot translate" in line and "models remove" in line


def test_the_check_has_memory_and_time_limits(tmp_path: Path) -> None:
    with zipfile.ZipFile(DEMO_MODEL_PATH) as zf:
        zf.extractall(tmp_path)
    (folder,) = tmp_path.iterdir()
    assert model_problem(folder) == ""
    small = CheckLimits(memory_bytes=200 << 20)
    assert "needs more than 200 MiB" in model_problem(folder.rename(tmp_path / "a"), small)
    assert "no translation within" in model_problem(
        (tmp_path / "a").rename(tmp_path / "b"), CheckLimits(seconds=0.05))
