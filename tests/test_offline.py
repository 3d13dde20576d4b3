"""Proof that translation never touches the network once a model is installed.

The CLI translates a seed article in a subprocess where every socket connect and name lookup
fails (and is logged), and, where the kernel allows it, inside a fresh network namespace with
no interfaces at all (`unshare -n`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS, machine_body
from translator.config import Settings
from translator.mt.models import install_package_file

ARTICLE = SEEDS / "turkey-russia-libya-syria.ar.txt"

#: Installed as sitecustomize.py: any connect, DNS lookup or UDP send raises and is logged.
NETWORK_GUARD = textwrap.dedent(
    """
    import os, socket

    _LOG = os.environ["NETWORK_GUARD_LOG"]

    def _refuse(what):
        def blocked(*args, **kwargs):
            with open(_LOG, "a", encoding="utf-8") as log:
                log.write(f"{what} {args[1:] if what.startswith('socket.') else args}\\n")
            raise OSError(101, f"network disabled by test ({what})")
        return blocked

    socket.socket.connect = _refuse("socket.connect")
    socket.socket.connect_ex = _refuse("socket.connect_ex")
    socket.socket.sendto = _refuse("socket.sendto")
    socket.create_connection = _refuse("create_connection")
    socket.getaddrinfo = _refuse("getaddrinfo")
    socket.gethostbyname = _refuse("gethostbyname")
    """
)


@pytest.fixture(scope="module")
def offline_env(demo_model_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for a CLI subprocess: demo model installed in a private TRANSLATOR_HOME."""
    home = tmp_path_factory.mktemp("offline-home")
    install_package_file(Settings(home=home), demo_model_file)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRANSLATOR_", "ARGOS_"))}
    env["TRANSLATOR_HOME"] = str(home)
    env["HOME"] = str(home)  # nothing may fall back to the user's own data
    # An index URL that would be fetched if anything tried to download.
    env["TRANSLATOR_PACKAGE_INDEX"] = "http://192.0.2.1/index.json"
    return env


def guarded_env(base: dict[str, str], tmp_path: Path) -> tuple[dict[str, str], Path]:
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir()
    (guard_dir / "sitecustomize.py").write_text(NETWORK_GUARD, encoding="utf-8")
    log = tmp_path / "network.log"
    env = dict(base, NETWORK_GUARD_LOG=str(log), PYTHONPATH=os.pathsep.join([str(guard_dir), str(ROOT)]))
    return env, log


def assert_english(out: str) -> None:
    lines = [line for line in machine_body(out).splitlines() if line.strip()]
    assert lines and lines[0].startswith("# "), out[:200]
    latin = sum(c.isascii() and c.isalpha() for c in out)
    arabic = sum("\u0600" <= c <= "\u06ff" for c in out)
    assert latin > 200 and latin > 5 * arabic, f"not English: {out[:300]!r}"


def test_guard_really_blocks_the_network(offline_env: dict[str, str], tmp_path: Path) -> None:
    """The guard itself works: a connect attempt fails and is logged (so the next test can fail)."""
    env, log = guarded_env(offline_env, tmp_path)
    probe = ("import urllib.request\ntry:\n urllib.request.urlopen('http://127.0.0.1:9/', timeout=2)\n"
             "except OSError as e:\n print('blocked', e)")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert "network disabled by test" in done.stdout
    assert "connect" in log.read_text(encoding="utf-8")


def test_translate_with_sockets_blocked(offline_env: dict[str, str], tmp_path: Path) -> None:
    env, log = guarded_env(offline_env, tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "translator", "translate", str(ARTICLE)],
        env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert_english(done.stdout)
    assert not log.exists(), f"network was touched:\n{log.read_text(encoding='utf-8')}"


def _unshare_prefix() -> list[str] | None:
    tool = shutil.which("unshare")
    if tool is None:
        return None
    for args in ([tool, "-n"], [tool, "-rn"]):
        try:
            if subprocess.run([*args, "true"], capture_output=True, timeout=20).returncode == 0:
                return args
        except (OSError, subprocess.SubprocessError):
            continue
    return None


def test_translate_in_a_network_namespace_without_interfaces(offline_env: dict[str, str], tmp_path: Path) -> None:
    prefix = _unshare_prefix()
    if prefix is None:
        pytest.skip("unshare -n is not permitted here (the socket-guard test still proves offline use)")
    # Inside the namespace there is no route anywhere: prove it, then translate.
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import socket; socket.create_connection(('192.0.2.1', 80), timeout=2)"],
        capture_output=True, text=True, timeout=60,
    )
    assert probe.returncode != 0 and "unreachable" in probe.stderr.lower()
    env, _ = guarded_env(offline_env, tmp_path)
    env.pop("NETWORK_GUARD_LOG")
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "translator", "translate", str(ARTICLE), "-o", str(tmp_path / "out.md")],
        env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert_english((tmp_path / "out.md").read_text(encoding="utf-8"))
