"""XLIFF 1.2: export of review state, translate-toolkit as the other CAT tool, import back."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from translate.storage import xliff as tt_xliff

from tests.conftest import SEEDS
from translator.errors import InputError, LockedError
from translator.store.lock import ArticleLock
from translator.store.memory import TranslationMemory
from translator.store.review import Status, load_review, save_review
from translator.store.xliff import NS, import_xliff, read_xliff, render_xliff, write_xliff
from translator.text.document import read_article

Q = f"{{{NS}}}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def article_path(tmp_path: Path) -> Path:
    """A seed article with paragraphs in every review status."""
    path = tmp_path / "turkey.ar.txt"
    shutil.copy(SEEDS / "turkey-russia-libya-syria.ar.txt", path)
    article = read_article(path)
    state = load_review(path)
    ps = article.translatable
    state.set_machine(ps[0].id, "Experts: Turkey and Russia coordinate")
    state.set_machine(ps[1].id, "machine two")
    state.set_text(ps[1].id, "edited two")
    state.set_machine(ps[2].id, "machine three")
    state.accept(ps[2].id, "Reviewed three & <final>.")
    save_review(article, state)
    return path


def test_export_is_well_formed_xliff_12_with_states(article_path: Path) -> None:
    article = read_article(article_path)
    text, units = render_xliff(article, load_review(article_path))
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{Q}xliff" and root.get("version") == "1.2"
    file = root.find(f"{Q}file")
    assert file is not None
    assert (file.get("original"), file.get("source-language"), file.get("target-language"), file.get("datatype")) == \
        ("turkey.ar.txt", "ar", "en", "plaintext")
    trans = file.findall(f"{Q}body/{Q}trans-unit")
    assert units == len(trans) == len(article.translatable)
    assert len({t.get("id") for t in trans}) == units  # ids unique, as XLIFF requires
    states = [(t.get("approved"), t.find(f"{Q}target").get("state")) for t in trans[:4]]
    assert states == [(None, "needs-review-translation"), (None, "translated"), ("yes", "final"), (None, "new")]
    for t in trans:
        assert t.find(f"{Q}source").get(XML_LANG) == "ar" and t.find(f"{Q}target").get(XML_LANG) == "en"
        assert (t.find(f"{Q}source").text or "").strip() == t.find(f"{Q}source").text
    assert trans[2].find(f"{Q}target").text == "Reviewed three & <final>."


def test_translate_toolkit_reads_states(article_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.xlf"
    write_xliff(out, read_article(article_path), load_review(article_path))
    store = tt_xliff.xlifffile.parsefile(str(out))
    units = store.getunits()
    assert store.getsourcelanguage() == "ar" and store.gettargetlanguage() == "en"
    assert units[0].source == read_article(article_path).translatable[0].text.strip()
    assert [u.isapproved() for u in units[:3]] == [False, False, True]
    assert units[2].target == "Reviewed three & <final>."
    assert units[3].target in ("", None)


def test_reviewed_in_another_tool_updates_review_state(article_path: Path, tmp_path: Path) -> None:
    out = article_path.parent / "turkey.xlf"
    article = read_article(article_path)
    write_xliff(out, article, load_review(article_path))
    # The "other CAT tool": translate-toolkit edits and approves units and saves the file.
    store = tt_xliff.xlifffile.parsefile(str(out))
    units = store.getunits()
    units[0].target = "Experts: Turkey and Russia coordinate on Libya and Syria"
    units[0].markapproved(True)
    units[3].target = "A new draft from the CAT tool"
    units[3].markapproved(False)  # translate-toolkit approves on setting a target
    units[4].target = "Final from the CAT tool"
    units[4].markapproved(True)
    out.write_bytes(bytes(store))
    with TranslationMemory.for_folder(article_path.parent) as memory:
        [result] = import_xliff(out, memory=memory)
        assert memory.lookup(article.translatable[4].text) == "Final from the CAT tool"
    assert (result.reviewed, result.edited, result.skipped) == (2, 1, [])
    state = load_review(article_path)
    ps = article.translatable
    assert state.paragraphs[ps[0].id].status is Status.REVIEWED
    assert state.paragraphs[ps[0].id].text == "Experts: Turkey and Russia coordinate on Libya and Syria"
    assert state.paragraphs[ps[0].id].machine == "Experts: Turkey and Russia coordinate"  # history kept
    assert state.paragraphs[ps[2].id].status is Status.REVIEWED  # untouched
    assert state.paragraphs[ps[3].id].status is Status.EDITED
    assert state.paragraphs[ps[4].id].status is Status.REVIEWED
    assert "Final from the CAT tool" in (article_path.parent / "turkey.en.md").read_text(encoding="utf-8")
    [again] = import_xliff(out)  # idempotent
    assert (again.reviewed, again.edited) == (0, 0)


def test_changed_source_and_unknown_ids_are_skipped(article_path: Path) -> None:
    out = article_path.parent / "turkey.xlf"
    article = read_article(article_path)
    text, _ = render_xliff(article, load_review(article_path))
    first = article.translatable[0]
    text = text.replace(f'id="{first.id}"', 'id="0000000000-0"', 1)
    second_source = ET.fromstring(text).findall(f".//{Q}source")[1].text
    text = text.replace(second_source, second_source + " زيادة", 1)
    text = text.replace('state="translated"', 'state="final"')  # would approve the changed unit
    out.write_text(text, encoding="utf-8")
    [result] = import_xliff(out)
    assert len(result.skipped) == 2
    assert "no such paragraph" in result.skipped[0] and "Arabic changed" in result.skipped[1]
    assert load_review(article_path).paragraphs[article.translatable[1].id].status is Status.EDITED


def test_import_refuses_while_a_desk_holds_the_article(article_path: Path) -> None:
    out = article_path.parent / "turkey.xlf"
    write_xliff(out, read_article(article_path), load_review(article_path))
    with ArticleLock(article_path), pytest.raises(LockedError):
        import_xliff(out)


@pytest.mark.parametrize("content, message", [
    ('<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0"/>', "not an XLIFF 1.2"),
    ("<xliff", "not well-formed"),
    (f'<xliff version="1.2" xmlns="{NS}"><file original="../etc/passwd" source-language="ar" datatype="plaintext">'
     "<body/></file></xliff>", "not an article file name"),
])
def test_bad_xliff_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.xlf"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        import_xliff(path)


def test_read_handles_inline_markup(tmp_path: Path) -> None:
    path = tmp_path / "x.xlf"
    path.write_text(
        f'<xliff version="1.2" xmlns="{NS}"><file original="a.txt" source-language="ar" datatype="plaintext"><body>'
        '<trans-unit id="1"><source>نص <g id="1">عريض</g></source>'
        '<target state="signed-off">bold <g id="1">text</g><x id="2"/></target></trans-unit>'
        "</body></file></xliff>", encoding="utf-8")
    [xfile] = read_xliff(path)
    [unit] = xfile.units
    assert (unit.source, unit.target, unit.is_final) == ("نص عريض", "bold text", True)
