"""Smaller findings from driving the desk in tmux (issue #12), one test each."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FakeEngine
from tests.tui.conftest import ARTICLE, SIZE, DeskFactory
from translator.cli import build_parser
from translator.errors import InputError
from translator.store.review import english_path


async def test_output_folder_is_created(make_desk: DeskFactory, folder: Path, engine: FakeEngine, tmp_path: Path) -> None:
    out = tmp_path / "new" / "deeper"
    app = make_desk(folder / ARTICLE, engine, out_dir=out)  # used to fail with a lock error
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f2", "ctrl+q")
    assert english_path(folder / ARTICLE, out).is_file()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="is a file, not a folder"):
        make_desk(folder / ARTICLE, engine, out_dir=tmp_path / "file")


def test_desk_defaults_to_the_current_folder() -> None:
    args = build_parser().parse_args(["desk"])
    assert args.path == Path(".")


def test_article_without_arabic_is_refused(make_desk: DeskFactory, tmp_path: Path, engine: FakeEngine) -> None:
    english = tmp_path / "english.txt"
    english.write_text("An English title\n\nNot a word of Arabic here.\n", encoding="utf-8")
    with pytest.raises(InputError, match="has no Arabic text"):
        make_desk(english, engine)
