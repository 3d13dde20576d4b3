"""Exports of review state (md, txt, bilingual, tmx, xliff) and the export/memory commands."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from translator import cli
from translator.store.export import export_article, render_bilingual, render_text
from translator.store.memory import TranslationMemory
from translator.store.render import Mode, render_markdown
from translator.store.review import Status, load_review, save_review
from translator.store.tmx import read_tmx
from translator.text.document import read_article


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Two seed articles; the first half-reviewed."""
    folder = tmp_path / "project"
    folder.mkdir()
    for seed in SEEDS.glob("*.ar.txt"):
        shutil.copy(seed, folder / seed.name)
    path = folder / "turkey-russia-libya-syria.ar.txt"
    article = read_article(path)
    state = load_review(path)
    for i, p in enumerate(article.translatable[:4]):
        state.set_machine(p.id, f"Machine {i}.")
    state.accept(article.translatable[0].id, "Experts: Turkey and Russia coordinate.")
    state.accept(article.translatable[2].id, "Reviewed two.")
    save_review(article, state)
    return folder


def test_renderers(project: Path) -> None:
    article = read_article(project / "turkey-russia-libya-syria.ar.txt")
    ps = article.translatable
    english = {ps[0].id: "Title", ps[1].id: "First.", ps[3].id: "Third."}
    assert (render_markdown(article, english, set(english))
            == "<!-- 3 of 13 paragraphs reviewed -->\n\n# Title\n\nFirst.\n\nThird.\n")
    # Unreviewed English stays in HTML comments (`--` cannot be inside one).
    partly = render_markdown(article, {**english, ps[1].id: "First -- unchecked."}, {ps[0].id})
    assert partly == ("<!-- 1 of 13 paragraphs reviewed -->\n\n# Title\n\n<!-- unreviewed: First - - unchecked. -->\n\n"
                      "<!-- unreviewed: Third. -->\n")
    done = {p.id: f"P{i}." for i, p in enumerate(ps)}
    assert render_markdown(article, done, set(done)).startswith("# P0.\n\nP1.\n")  # complete: no header
    draft = render_markdown(article, english, {ps[0].id}, Mode.DRAFT)
    assert draft == "<!-- draft: 1 of 13 paragraphs reviewed; the others are not -->\n\n# Title\n\nFirst.\n\nThird.\n"
    machine = render_markdown(article, english, (), Mode.MACHINE, model='ar→en "x"')
    assert machine.startswith('---\ntranslation: machine, not reviewed\nmodel: "ar→en \\"x\\""\n---\n\n<!-- Machine')
    assert render_text(article, english) == "Title\n\nFirst.\n\nThird.\n"
    bilingual = render_bilingual(article, english)
    assert bilingual.startswith(f"> {ps[0].text.strip()}\n\n# Title\n\n> {ps[1].text.strip()}\n\nFirst.\n\n")
    assert f"> {ps[2].text.strip()}\n\n_(not translated yet)_" in bilingual
    assert all(p.text.strip() in bilingual for p in ps)  # Arabic kept exactly, every paragraph


def test_export_formats_from_review_state(project: Path, tmp_path: Path) -> None:
    path = project / "turkey-russia-libya-syria.ar.txt"
    md = export_article(path, "md", tmp_path / "out")
    assert md.units == 2 and md.path.name == "turkey-russia-libya-syria.en.md"
    assert md.path.read_text(encoding="utf-8").startswith(
        "<!-- 2 of 13 paragraphs reviewed -->\n\n# Experts: Turkey and Russia coordinate.\n\n"
        "<!-- unreviewed: Machine 1. -->")
    draft = export_article(path, "md", tmp_path / "draft", draft=True)
    assert draft.units == 4
    assert draft.path.read_text(encoding="utf-8").startswith(
        "<!-- draft: 2 of 13 paragraphs reviewed; the others are not -->\n\n"
        "# Experts: Turkey and Russia coordinate.\n\nMachine 1.")
    reviewed = export_article(path, "txt", tmp_path / "out", reviewed_only=True)
    assert reviewed.path.read_text(encoding="utf-8") == "Experts: Turkey and Russia coordinate.\n\nReviewed two.\n"
    tmx = export_article(path, "tmx", tmp_path / "out")
    assert tmx.units == 2
    assert [u.target for u in read_tmx(tmx.path)] == ["Experts: Turkey and Russia coordinate.", "Reviewed two."]
    xlf = export_article(path, "xliff", tmp_path / "out")
    assert xlf.units == len(read_article(path).translatable)
    ET.parse(xlf.path)


def test_cli_export_folder_and_memory_round_trip(project: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["export", str(project), "--format", "bilingual", "-o", str(tmp_path / "bi")]) == 0
    out = capsys.readouterr().out
    assert out.count("wrote ") == 2
    assert (tmp_path / "bi" / "sarraj-security-agreements.bilingual.md").is_file()

    assert cli.main(["export", str(project / "turkey-russia-libya-syria.ar.txt"), "--format", "xliff"]) == 0
    xlf = project / "turkey-russia-libya-syria.xlf"
    text = xlf.read_text(encoding="utf-8")
    text = text.replace('state="needs-review-translation" state-qualifier="leveraged-mt">Machine 1.',
                        'state="final">Reviewed one in the CAT tool.', 1)
    xlf.write_text(text, encoding="utf-8")
    assert cli.main(["memory", "import", str(xlf)]) == 0
    assert "1 reviewed, 0 edited" in capsys.readouterr().out
    article = read_article(project / "turkey-russia-libya-syria.ar.txt")
    assert load_review(article.path).paragraphs[article.translatable[1].id].status is Status.REVIEWED

    tmx = tmp_path / "all.tmx"
    assert cli.main(["memory", "--folder", str(project), "export", str(tmx)]) == 0
    assert "(3 units)" in capsys.readouterr().out  # every reviewed paragraph of the XLIFF
    assert cli.main(["memory", "--folder", str(tmp_path / "fresh"), "import", str(tmx)]) == 1  # no such folder
    assert "is not a folder" in capsys.readouterr().err
    (tmp_path / "fresh").mkdir()
    assert cli.main(["memory", "--folder", str(tmp_path / "fresh"), "import", str(tmx)]) == 0
    with TranslationMemory.for_folder(tmp_path / "fresh") as memory:
        assert memory.lookup(article.translatable[1].text) == "Reviewed one in the CAT tool."
    assert cli.main(["memory", "--folder", str(tmp_path / "fresh"), "stats"]) == 0
    assert "3 reviewed, 0 machine" in capsys.readouterr().out


def test_cli_export_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["export", str(tmp_path / "missing.txt"), "--format", "md"]) == 1
    assert "file not found" in capsys.readouterr().err
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\xfd")
    (tmp_path / "good.txt").write_text("عنوان\n\nنص.\n", encoding="utf-8")
    assert cli.main(["export", str(tmp_path), "--format", "md"]) == 1
    captured = capsys.readouterr()
    assert "not valid UTF-8" in captured.err and "good.en.md" in captured.out
    assert cli.main(["memory", "--folder", str(tmp_path), "import", str(tmp_path / "good.txt")]) == 1
    assert "unknown file type" in capsys.readouterr().err


@pytest.mark.parametrize("english", [
    "accepted & <checked>.",
    "# not a heading, > not a quote",
    "- not a list item",
    "1. not a numbered item",
    "*not emphasis* and _not either_ [not a link](x) `not code` &amp; stays \\ as typed",
    "Erdoğan: <b>bold?</b> & Co.",
])
def test_markdown_displays_the_english_exactly(english: str, tmp_path: Path) -> None:
    """The one renderer escapes Markdown: a CommonMark viewer shows exactly the English typed."""
    import html

    from markdown_it import MarkdownIt

    from translator.store.render import Mode
    from translator.store.render import render_markdown as render

    path = tmp_path / "a.txt"
    path.write_text("عنوان\nنص الفقرة.\n", encoding="utf-8")
    article = read_article(path)
    title, body = article.translatable
    for mode in (Mode.REVIEWED, Mode.DRAFT, Mode.MACHINE):
        md = render(article, {title.id: english, body.id: english}, {title.id, body.id}, mode)
        shown = MarkdownIt("commonmark").render(md)
        assert f"<h1>{html.escape(english, quote=False)}</h1>" in shown
        assert f"<p>{html.escape(english, quote=False)}</p>" in shown
    bilingual = MarkdownIt("commonmark").render(render_bilingual(article, {body.id: english}))
    assert f"<p>{html.escape(english, quote=False)}</p>" in bilingual
