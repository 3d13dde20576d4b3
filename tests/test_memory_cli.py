"""`translator memory list|search|forget`: entries with their provenance, and removing junk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from translator import cli
from translator.store.memory import TranslationMemory
from translator.store.memory_entry import MemoryEntry, Origin, Via


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    with TranslationMemory.for_folder(folder, creator="alice") as memory:
        memory.add_reviewed("خبراء: تركيا وروسيا تنسقان", "Experts: Turkey and Russia coordinate")
        memory.add_reviewed("بحث وزير الخارجية الروسي", "labore.Filler line 22")  # a damaged paste
        memory.add_machine("مويو سمأ", "Yesterday", "ar→en 0.1 (demo)")
        memory.add(MemoryEntry("ليبيا", "Libya", Origin.REVIEWED, via=Via.TMX, file="old.tmx",
                               imported="2026-01-02T00:00:00+00:00", updated="2026-01-02T00:00:00+00:00"))
    return folder


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(args)
    return code, capsys.readouterr().out


def test_list_shows_origin_and_filters(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["memory", "--folder", str(project), "list"], capsys)
    assert code == 0 and "4 entries" in out
    assert "reviewed  desk" in out and "machine  engine" in out and "ar→en 0.1 (demo)" in out
    assert "TMX  tmx" in out and "old.tmx (imported 2026-01-02)" in out and "alice" in out
    code, out = run(["memory", "--folder", str(project), "list", "--via", "tmx", "--json"], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["target"] for r in rows] == ["Libya"] and rows[0]["file"] == "old.tmx"
    code, out = run(["memory", "--folder", str(project), "list", "--before", "2026-06-01"], capsys)
    assert "1 entries" in out and "Libya" in out


def test_search_finds_english_and_arabic(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "1 entries" in run(["memory", "--folder", str(project), "search", "labore"], capsys)[1]
    assert "Experts" in run(["memory", "--folder", str(project), "search", "تركيا"], capsys)[1]


def test_forget_by_text_id_and_import(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["memory", "--folder", str(project), "forget", "--text", "labore", "--dry-run"], capsys)
    assert code == 0 and "would forget" in out and "1 entries would be deleted" in out
    code, out = run(["memory", "--folder", str(project), "forget", "--text", "labore"], capsys)
    assert "deleted 1 entries" in out
    code, out = run(["memory", "--folder", str(project), "forget", "--file", "old.tmx"], capsys)
    assert "deleted 1 entries" in out
    with TranslationMemory.for_folder(project) as memory:
        left = memory.entries()
        machine = next(e for e in left if e.origin is Origin.MACHINE)
    assert {e.target for e in left} == {"Experts: Turkey and Russia coordinate", "Yesterday"}
    code, out = run(["memory", "--folder", str(project), "forget", "--id", str(machine.id)], capsys)
    assert "deleted 1 entries" in out
    # No filter at all is refused in one line: forgetting the whole memory is never an accident.
    assert cli.main(["memory", "--folder", str(project), "forget"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "forget needs --id or a filter" in err
