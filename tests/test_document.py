"""Article reading: encodings, paragraphs, junk, ids, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from translator.errors import InputError
from translator.text.document import Kind, parse_article, read_article

from .conftest import SEEDS


def test_seed_article_title_paragraphs_and_junk() -> None:
    article = read_article(SEEDS / "turkey-russia-libya-syria.ar.txt")
    assert article.title is not None
    assert article.title.text.startswith("خبراء: تركيا وروسيا")
    junk = [p.text for p in article.paragraphs if p.kind is Kind.JUNK]
    assert junk == ["اظهر المزيد", "زر الذهاب إلى الأعلى"]
    assert all(p.translatable for p in article.translatable)


def test_single_newlines_split_and_read_more_is_junk() -> None:
    article = read_article(SEEDS / "sarraj-security-agreements.ar.txt")
    texts = [p.text for p in article.paragraphs]
    assert "اقرأ أيضا:" in texts
    assert next(p for p in article.paragraphs if p.text == "اقرأ أيضا:").kind is Kind.JUNK
    assert len(article.translatable) == 18


@pytest.mark.parametrize("raw", [
    b"\xef\xbb\xbf\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7\r\n\r\nline two\r\n",
    "مرحبا\n\nline two\n".encode(),
])
def test_bom_and_crlf(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(raw)
    article = read_article(path)
    assert [p.text for p in article.paragraphs] == ["مرحبا", "line two"]
    assert article.title and article.title.text == "مرحبا"


def test_ids_stable_across_edits_elsewhere() -> None:
    before = parse_article(Path("x"), "عنوان\nفقرة أولى\nفقرة ثانية\n")
    after = parse_article(Path("x"), "عنوان\nفقرة جديدة\nفقرة أولى\nفقرة ثانية\n")
    assert {p.id for p in before.paragraphs} <= {p.id for p in after.paragraphs}
    dup = parse_article(Path("x"), "أ\nب\nب\n")
    assert len({p.id for p in dup.paragraphs}) == 3


@pytest.mark.parametrize(
    ("content", "expect"),
    [
        (b"\xd9\x85\xff\xfe", "not valid UTF-8 at byte 2"),
        (b"\x00\x01\x02binary", "binary"),
        (b"  \n\n ", "empty"),
    ],
)
def test_bad_inputs_are_one_clear_line(tmp_path: Path, content: bytes, expect: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=expect) as info:
        read_article(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        read_article(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="folder"):
        read_article(tmp_path)
