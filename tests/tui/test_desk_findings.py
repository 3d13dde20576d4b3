"""Smaller findings from driving the desk in tmux (issue #12), one test each."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FakeEngine
from tests.tui.conftest import ARTICLE, SIZE, DeskFactory
from translator.cli import build_parser
from translator.errors import InputError
from translator.store.review import english_path
from translator.tui.screens.listing import ListingScreen
from translator.tui.screens.review import ReviewScreen


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


async def _review(app, pilot) -> ReviewScreen:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def test_retranslate_says_when_the_machine_translation_is_unchanged(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        await _review(app, pilot)
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("unchanged" in m for m in messages), messages


async def test_glossary_count_is_the_same_in_f4_and_after_a_reload(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    # The project glossary overrides a shipped entry: the overridden one is not in use.
    (folder / "glossary.yaml").write_text("- ar: لافروف\n  en: Lavrov (project)\n  type: person\n", encoding="utf-8")
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review(app, pilot)
        (folder / "glossary.yaml").write_text("- ar: لافروف\n  en: Lavrov (changed)\n  type: person\n",
                                              encoding="utf-8")
        screen.check_glossary()
        await pilot.pause()
        reloaded = next(n.message for n in app._notifications if "reloaded" in n.message)
        await pilot.press("f4")
        await pilot.pause()
        listing = app.screen
        assert isinstance(listing, ListingScreen)
        assert f"({len(listing.rows)} entries)" in reloaded, (reloaded, len(listing.rows))


async def test_glossary_list_shows_arabic_in_display_order_and_wraps_long_english(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    from textual.widgets import DataTable

    from translator.text.bidi import visual_order

    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review(app, pilot)
        stored = screen.services.glossary_rows()
        await pilot.press("f4")
        await pilot.pause()
        listing = app.screen
        assert isinstance(listing, ListingScreen)
        one_form = next(i for i, row in enumerate(stored) if " / " not in row[0])
        assert listing.rows[one_form][0] == visual_order(stored[one_form][0]) != stored[one_form][0]
        table = listing.query_one(DataTable)
        longest = max(range(len(stored)), key=lambda i: len(stored[i][1]))
        assert len(stored[longest][1]) > 50
        assert table.ordered_rows[longest].height > 1  # wrapped, not cut
        await pilot.press("escape", "ctrl+t", "f4")
        await pilot.pause()
        assert app.screen.rows[one_form][0] == stored[one_form][0]  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_header_keeps_the_save_state_and_the_editor_is_wider_than_the_side_panel(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine, size: tuple[int, int]
) -> None:
    from translator.tui.widgets import DeskHeader, SidePanel

    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=size) as pilot:
        screen = await _review(app, pilot)
        header = str(screen.query_one(DeskHeader).render())
        # The save state is within the terminal's width (the rest of the line may be cut).
        assert "reviewed" in header and 0 < header.find("saved") <= size[0] - len("saved"), header
        assert screen.editor.size.width > screen.query_one(SidePanel).size.width


async def test_long_paragraphs_end_in_an_ellipsis_where_the_row_is_cut(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    from translator.tui.widgets.paragraph_row import ROW_LINES, ClampedLines

    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review(app, pilot)
        longest = max(screen.session.article.translatable, key=lambda p: len(p.text))
        row = screen._row(longest.index)
        source = row.query_one(".row-source")
        lines = list(source.render().__rich_console__(app.console, app.console.options.update_width(source.size.width)))
        assert len(lines) == ROW_LINES and lines[-1].plain.lstrip().startswith("…")
        english = row.query_one(".row-target")
        rendered = english.render()
        assert isinstance(rendered, ClampedLines)
        shown = list(rendered.__rich_console__(app.console, app.console.options.update_width(english.size.width)))
        assert len(shown) <= ROW_LINES
        if len(screen.session.english(longest.index)) > ROW_LINES * english.size.width:
            assert shown[-1].plain.endswith("…")


async def test_a_paragraph_move_does_not_re_lay_out_the_document(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Moving restyles two rows; nothing in the document pane asks for a layout pass (which in
    Textual re-arranges the whole screen). The editor panel below may: its content changes."""
    from textual.widget import Widget

    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review(app, pilot)
        document = screen.query_one("#document")
        asked: list[str] = []
        real = Widget.refresh

        def refresh(self: Widget, *args: object, **kwargs: object) -> Widget:
            if kwargs.get("layout") and document in self.ancestors_with_self and self is not document:
                asked.append(type(self).__name__)
            return real(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Widget, "refresh", refresh)
        for key in ["alt+down"] * 4 + ["alt+up"] * 2:
            await pilot.press(key)
            await pilot.pause()
        assert asked == []
