"""The CLI stops quietly when its reader closes the pipe (`translator … | head`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    article = tmp_path / "long.txt"
    article.write_text("عنوان\n" + "وقال لافروف إن روسيا وتركيا تنسقان في ليبيا وسوريا.\n" * 4000, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "translator", "glossary", "match", str(article)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `head -1`
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode()
