"""Outputs never overwrite inputs, and every write error is one line (issue #16, items 1 and 5).

Reproductions: `translate a.txt -o a.txt` overwrote the Arabic with the English and exited 0;
disk full, no permission, and `-o` naming a file where a folder is expected were tracebacks in
translate, batch, export, glossary add and memory export.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import translator.mt.models
from tests.conftest import FakeEngine, machine_body
from tests.reliability.conftest import cli, one_line_error
from translator.cli import main

ARABIC = "عنوان الخبر\n\nقال الرئيس إن الاجتماع سيعقد في القاهرة غدا.\n"


@pytest.fixture
def fake_model(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(translator.mt.models, "load_engine", lambda settings: FakeEngine())


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "a.txt"
    path.parent.mkdir()
    path.write_text(ARABIC, encoding="utf-8")
    return path


def error_of(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("translator: error: "), err
    return lines[0]


@pytest.mark.parametrize("name", ["same", "symlink", "hardlink", "dot-path"])
def test_translate_refuses_output_onto_its_input(fake_model: None, article: Path, name: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = {"same": article, "dot-path": article.parent / "." / article.name,
           "symlink": article.parent.parent / "link.md", "hardlink": article.parent.parent / "hard.md"}[name]
    if name == "symlink":
        out.symlink_to(article)
    if name == "hardlink":
        os.link(article, out)
    assert main(["translate", str(article), "-o", str(out)]) == 1
    assert "is the Arabic article itself" in error_of(capsys)
    assert article.read_text(encoding="utf-8") == ARABIC


@pytest.mark.parametrize("name", ["b.txt", "a.ar.txt"])
def test_translate_refuses_output_into_the_folders_article_set(fake_model: None, article: Path, name: str,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    other = article.parent / "b.txt"
    other.write_text(ARABIC, encoding="utf-8")
    assert main(["translate", str(article), "-o", str(article.parent / name)]) == 1
    assert "article name of the input folder" in error_of(capsys)
    assert other.read_text(encoding="utf-8") == ARABIC
    assert sorted(p.name for p in article.parent.iterdir()) == ["a.txt", "b.txt"]


def test_translate_output_beside_the_article_and_into_a_new_folder_work(fake_model: None, article: Path) -> None:
    assert main(["translate", str(article), "-o", str(article.parent / "a.en.md")]) == 0
    assert main(["translate", str(article), "-o", str(article.parent / "new" / "deeper" / "a.en.txt")]) == 0
    written = (article.parent / "new" / "deeper" / "a.en.txt").read_text(encoding="utf-8")
    assert machine_body(written).startswith("# EN\\[")  # Markdown-escaped


def test_translate_output_under_a_file_is_one_line(fake_model: None, article: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    blocker = article.parent.parent / "plain-file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["translate", str(article), "-o", str(blocker / "a.en.md")]) == 1
    line = error_of(capsys)
    assert str(blocker) in line and "not a folder" in line


@pytest.mark.parametrize("command", ["batch", "export"])
def test_output_folder_naming_a_file_is_one_line(fake_model: None, article: Path, command: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    blocker = article.parent.parent / "plain-file"
    blocker.write_text("x", encoding="utf-8")
    args = [command, str(article.parent), "-o", str(blocker)] + (["--format", "md"] if command == "export" else [])
    assert main(args) == 1
    assert "is a file, not a folder" in error_of(capsys)
    assert blocker.read_text(encoding="utf-8") == "x"


def test_batch_creates_a_missing_output_folder(fake_model: None, article: Path) -> None:
    out = article.parent.parent / "not" / "yet"
    assert main(["batch", str(article.parent), "-o", str(out), "--quiet", "--no-memory"]) == 0
    assert (out / "a.en.md").is_file()


def test_memory_export_onto_a_folder_is_one_line(home: Path, article: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = article.parent.parent / "folder.tmx"
    target.mkdir()
    assert main(["memory", "--folder", str(article.parent), "export", str(target)]) == 1
    line = error_of(capsys)
    assert str(target) in line and "folder" in line


# -- disk full and no permission, in a child process (the real CLI, real file systems) --------

def _setup(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARABIC, encoding="utf-8")
    (folder / "b.txt").write_text(ARABIC.replace("القاهرة", "دمشق"), encoding="utf-8")
    full = tmp_path / "full"
    full.mkdir()
    return folder, full


def _glossary_yaml(path: Path) -> None:
    path.write_text("- ar: القاهرة\n  en: Cairo\n  type: place\n", encoding="utf-8")


@pytest.mark.parametrize("command", ["translate", "batch", "export", "memory-export", "glossary-add"])
def test_disk_full_is_one_line(tmp_path: Path, full_disk_wrap, command: str) -> None:  # type: ignore[no-untyped-def]
    folder, full = _setup(tmp_path)
    args = {
        "translate": ["translate", str(folder / "a.txt"), "-o", str(full / "a.en.md")],
        "batch": ["batch", str(folder), "-o", str(full / "out"), "--quiet", "--no-memory"],
        "export": ["export", str(folder), "--format", "md", "-o", str(full)],
        "memory-export": ["memory", "--folder", str(folder), "export", str(full / "m.tmx")],
        "glossary-add": ["glossary", "add", "--ar", "دمشق", "--en", "Damascus", "--type", "place",
                         "--file", str(full / "g.yaml")],
    }[command]
    proc = cli(args, tmp_path / "home", wrap=full_disk_wrap(full))
    line = one_line_error(proc) if command != "export" else _two_articles(proc)
    assert "no space left on the device" in line and "free some space" in line and str(full) in line
    assert (folder / "a.txt").read_text(encoding="utf-8") == ARABIC


def _two_articles(proc):  # type: ignore[no-untyped-def]
    """export goes on after a failed article: one line each, exit 1."""
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("translator: error: ") for line in lines), proc.stderr
    return lines[0]


@pytest.mark.parametrize("command", ["translate", "batch", "memory-export", "glossary-add"])
def test_no_permission_is_one_line(tmp_path: Path, no_override_wrap, command: str) -> None:  # type: ignore[no-untyped-def]
    folder, locked = _setup(tmp_path)
    _glossary_yaml(locked / "g.yaml")
    (locked / "out").mkdir()
    for path in (locked / "out", locked):
        path.chmod(0o555)
    (locked / "g.yaml").chmod(0o444)
    try:
        args = {
            "translate": ["translate", str(folder / "a.txt"), "-o", str(locked / "a.en.md")],
            "batch": ["batch", str(folder), "-o", str(locked / "out"), "--quiet", "--no-memory"],
            "memory-export": ["memory", "--folder", str(folder), "export", str(locked / "m.tmx")],
            "glossary-add": ["glossary", "add", "--ar", "دمشق", "--en", "Damascus", "--type", "place",
                             "--file", str(locked / "g.yaml")],
        }[command]
        line = one_line_error(cli(args, tmp_path / "home", wrap=no_override_wrap))
        assert "permission denied" in line and str(locked) in line
    finally:
        for path in (locked, locked / "out"):
            path.chmod(0o755)
