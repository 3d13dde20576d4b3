"""Helpers for the reliability suite: run the real CLI in a child process, optionally on a full
disk (a tiny tmpfs in a private mount namespace) or without root's permission overrides.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

#: Runs the CLI with the fake engine (error paths do not need a real model).
FAKE_CLI = ("import sys, translator.mt.models as m; from tests.conftest import FakeEngine; "
            "m.load_engine = lambda settings: FakeEngine(); from translator.cli import main; "
            "sys.exit(main(sys.argv[1:]))")
REAL_CLI = "import sys; from translator.cli import main; sys.exit(main(sys.argv[1:]))"


def cli(args: list[str], home: Path, *, fake: bool = True, wrap: list[str] | None = None,
        timeout: float = 120, cwd: Path | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `translator ARGS` in a child process (no stdin; `env` added to the environment)."""
    env = {**os.environ, "TRANSLATOR_HOME": str(home), "PYTHONPATH": str(ROOT), "CI": "true", **(env or {})}
    command = [sys.executable, "-c", FAKE_CLI if fake else REAL_CLI, *args]
    return subprocess.run([*(wrap or []), *command], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=timeout, cwd=cwd or ROOT)


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    """The single error line of a failed command (asserts there is no traceback)."""
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("translator: error:")]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def _can(command: list[str]) -> bool:
    try:
        return subprocess.run(command, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture(scope="session")
def full_disk_wrap() -> list[str]:
    """A command prefix that runs the rest with FULL_DISK, a full 64 KiB tmpfs, mounted (skips
    where mount namespaces are not allowed)."""
    if not shutil.which("unshare") or not _can(["unshare", "-m", "--map-root-user", "true"]):
        pytest.skip("needs unshare -m (mount namespaces) to make a full disk")

    def wrap(mountpoint: Path, prefill: bool = True) -> list[str]:
        fill = f" && (dd if=/dev/zero of={mountpoint}/.fill bs=4k 2>/dev/null; true)" if prefill else ""
        script = (f"mount -t tmpfs -o size=64k tmpfs {shlex.quote(str(mountpoint))}{fill} && exec \"$@\"")
        return ["unshare", "-m", "--map-root-user", "sh", "-c", script, "sh"]

    return wrap  # type: ignore[return-value]


@pytest.fixture(scope="session")
def no_override_wrap() -> list[str]:
    """A command prefix that drops root's permission overrides (a plain user needs none)."""
    if os.geteuid() != 0:
        return []
    drop = ["setpriv", "--inh-caps=-dac_override,-dac_read_search",
            "--bounding-set=-dac_override,-dac_read_search"]
    if not shutil.which("setpriv") or not _can([*drop, "true"]):
        pytest.skip("running as root and cannot drop CAP_DAC_OVERRIDE")
    return drop
