"""QA checks: tables of (Arabic, English) -> expected findings, plus the `translator qa` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from translator.cli import main
from translator.glossary.layers import Glossary, GlossaryEntry
from translator.quality.qa import (
    Check,
    Severity,
    check_article,
    check_paragraph,
    check_review,
    length_norm,
)
from translator.store.review import ReviewState, save_review
from translator.text.document import read_article
from translator.text.numerals import extract_numbers

GLOSSARY = Glossary.from_entries([
    GlossaryEntry(("السراج",), "Fayez al-Sarraj", "person", ("al-Sarraj", "Sarraj")),
    GlossaryEntry(("لافروف",), "Sergey Lavrov", "person", ("Lavrov",)),
    GlossaryEntry(("حفتر",), "Khalifa Haftar", "person"),
    GlossaryEntry(("حكومة الوفاق",), "Government of National Accord", "organisation", ("GNA",)),
    GlossaryEntry(("مولود جاويش أوغلو",), "Mevlüt Çavuşoğlu", "person"),
])


def kinds(findings) -> list[tuple[str, str]]:
    return [(f.kind.value, f.severity.value) for f in findings]


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        # clean
        ("قال لافروف إن المحادثات ستستمر ثلاثة أيام.", "Sergey Lavrov said the talks would last three days.", []),
        # empty / untranslated / Arabic left
        ("قال لافروف.", "", [("empty", "error")]),
        ("قال لافروف.", "   ", [("empty", "error")]),
        ("اجتماع في طرابلس", "اجتماع في طرابلس", [("untranslated", "error")]),
        ("COVID-19", "COVID-19", []),  # no Arabic: identical is fine
        ("اجتماع في طرابلس", "Meeting in طرابلس", [("arabic-left", "error")]),
        ("عقد اجتماع", "Meeting held ٣ times", [("arabic-left", "error"), ("number", "warning")]),
        # brackets and quotes, only when the Arabic is balanced
        ("قال (المتحدث) إن", "The (spokesman said", [("brackets", "warning")]),
        ("قال (المتحدث إن", "The (spokesman said", []),
        ("قال «نعم» إن", 'He said "yes, that', [("quotes", "warning")]),
        ("قال «نعم إن", 'He said "yes, that', []),
        ("قال «نعم» إن", "He said “yes” and the [UN] agreed", []),
        # decoding loops
        ("التقى رودولف", "He met Rudol Rudol Rudolf", [("repeat", "warning")]),
        ("قال إن", "He said that the the talks", [("repeat", "warning")]),
        ("قال إن", "the talks the talks the talks ended", [("repeat", "warning")]),
        ("قال إن", "He said he had had enough", []),
        ("قال إن", "Mississippi and bananas", []),
    ],
)
def test_basic_checks(source: str, target: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(check_paragraph(source, target)) == expected


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("استمرت المحادثات 3 أيام", "The talks lasted 3 days", []),
        ("استمرت المحادثات ٣ أيام", "The talks lasted 3 days", []),
        ("استمرت المحادثات ٣ أيام", "The talks lasted three days", []),
        ("استمرت المحادثات ثلاثة أيام", "The talks lasted 3 days", []),
        ("استمرت المحادثات ٣ أيام", "The talks lasted 4 days", [("number", "error"), ("number", "warning")]),
        ("استمرت المحادثات ٣ أيام", "The talks lasted days", [("number", "error")]),
        ("في عام ٢٠٢٠", "In 2020", []),
        ("في عام 2020م", "In 2020", []),
        ("في عام ٢٠٢٠", "In 2019", [("number", "error"), ("number", "warning")]),
        ("ارتفع بنسبة ٪٥٠", "rose by 50%", []),
        ("ارتفع بنسبة 50 بالمئة", "rose by 50 percent", []),
        ("ارتفع بنسبة 50%", "rose by 50", [("number", "warning")]),
        ("قُتل ١٬٥٠٠ شخص", "1,500 people were killed", []),
        ("قُتل ١٬٥٠٠ شخص", "1500 people were killed", []),
        ("قُتل 1.500 شخص", "1,500 people were killed", []),
        ("نما بنسبة ٢٫٥٪", "grew by 2.5%", []),
        ("نما بنسبة ٢٫٥٪", "grew by 25%", [("number", "error"), ("number", "warning")]),
        ("٢٫٥ مليون دولار", "$2.5 million", []),
        ("٢٫٥ مليون دولار", "$2,500,000", []),
        ("١٫١٥ مليون دولار", "$1,150,000", []),
        ("4.35 مليار دولار", "$4,350,000,000", []),
        ("الساعة ٩:٣٠ صباحاً (٠٢٣٠ بتوقيت غرينتش)", "9:30 a.m. (0230 GMT)", []),
        ("اجتماع", "a meeting of 12 ministers", [("number", "warning")]),
        ("تحتل 783،562 كيلومتر مربع", "occupies 783,562 square kilometres", []),  # Arabic comma groups
        ("في السابع من أكتوبر", "On October 7", []),
        ("في القرن الثامن عشر", "in the 18th century", []),
        ("بعد الثورة في ثلاثينيات القرن التاسع عشر", "after the revolution of the 1830s", []),
        ("أكثر من 24 جائزة", "more than two-dozen awards", []),
        ("استمر لمدة ساعتين", "lasted 2 hours", []),
    ],
)
def test_numbers(source: str, target: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(check_paragraph(source, target)) == expected


def test_number_message_shows_latin_digits() -> None:
    [finding] = check_paragraph("قتل ٣٥ شخصا", "people were killed")
    assert finding.message == "number 35 of the source is missing from the English"


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("1,000", {1000.0, 1.0}),
        ("2,500.75", {2500.75}),
        ("3.5", {3.5}),
        ("1.000.000", {1000000.0}),
        ("٢٠٢٠", {2020.0}),
        ("٣٫٥", {3.5}),
        ("١٬٢٣٤", {1234.0, 1.234}),
    ],
)
def test_number_values(text: str, values: set[float]) -> None:
    [number] = extract_numbers(text, arabic=True)
    assert set(number.values) == values


@pytest.mark.parametrize(
    ("source", "target", "expected", "message"),
    [
        ("قال لافروف", "Sergey Lavrov said", [], None),
        ("قال لافروف", "Lavrov said", [("glossary", "warning")], "preferred 'Sergey Lavrov'"),
        ("قال لافروف", "The Russian minister said", [("glossary", "error")], "which is missing"),
        ("التقى السراج", "He met Fayez al-Serraj", [("glossary", "error")], "found 'Fayez al-Serraj'"),
        ("التقى السراج", "He met fayez Al-Sarraj’s deputy", [], None),  # case/apostrophe-insensitive
        ("قوات حفتر", "Hafter forces", [("glossary", "error")], "should be 'Khalifa Haftar'"),
        ("حكومة الوفاق وحكومة الوفاق", "the Government of National Accord", [], None),  # one finding per entry at most
        ("حكومة الوفاق", "the GNA", [("glossary", "warning")], None),
    ],
)
def test_glossary_terms(source: str, target: str, expected, message: str | None) -> None:
    findings = check_paragraph(source, target, glossary=GLOSSARY)
    assert kinds(findings) == expected
    if message:
        assert message in findings[0].message


def test_glossary_is_optional() -> None:
    assert check_paragraph("قال لافروف", "The Russian minister said") == []


def test_length_against_article_norm() -> None:
    src = "هذه جملة عربية طويلة بما يكفي لقياس الطول بدقة معقولة"
    pairs = [(src, "This is an English sentence long enough to measure its length well")] * 4
    pairs.append((src, "Short."))
    pairs.append((src, "An English sentence that goes on and on " * 5))
    norm = length_norm(pairs)
    assert 1.0 < norm < 1.5
    findings = check_article(pairs)
    assert [(f.index, f.kind, f.severity) for f in findings] == [
        (4, Check.LENGTH, Severity.WARNING),
        (5, Check.LENGTH, Severity.WARNING),
    ]
    assert "short" in findings[0].message and "long" in findings[1].message


def test_short_sources_skip_length_check() -> None:
    assert check_paragraph("ليبيا", "Libya and a much longer English text here", norm_ratio=1.2) == []


def write_article(folder: Path) -> Path:
    path = folder / "news.ar.txt"
    path.write_text(
        "لافروف يلتقي السراج\n\n"
        "قال لافروف إن المحادثات ستستمر ٣ أيام في طرابلس.\n\n"
        "وأضاف أن ٢٠٢٠ كان عاما صعبا.\n\n"
        "فقرة لم تترجم بعد.\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def reviewed(tmp_path: Path) -> Path:
    path = write_article(tmp_path)
    article = read_article(path)
    title, p1, p2, _p3 = article.translatable
    state = ReviewState(article=path.name)
    state.set_machine(title.id, "Lavrov meets Sarraj")
    state.set_machine(p1.id, "Lavrov said the talks would last 4 days in طرابلس.")
    state.set_machine(p2.id, "He added that 2020 was a hard year.")
    state.accept(p2.id)
    save_review(article, state)
    return path


def test_check_review_skips_new_unless_asked(reviewed: Path) -> None:
    from translator.store.review import load_review

    article = read_article(reviewed)
    state = load_review(reviewed)
    findings = check_review(article, state)
    assert {(f.index, f.kind.value) for f in findings} == {(1, "number"), (1, "arabic-left")}
    assert all(f.line == 3 for f in findings)
    with_new = check_review(article, state, include_new=True)
    assert (3, "empty") in {(f.index, f.kind.value) for f in with_new}


def test_qa_command_text_and_exit_code(reviewed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["qa", str(reviewed), "--no-glossary"]) == 1
    out = capsys.readouterr().out
    assert f"{reviewed}:3: error arabic-left:" in out
    assert "number 3 of the source is missing" in out
    assert "2 errors, 1 warning" in out


def test_qa_command_json_on_folder(reviewed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["qa", str(reviewed.parent), "--json", "--all", "--no-glossary"]) == 1
    data = json.loads(capsys.readouterr().out)
    [article] = data["articles"]
    assert article["article"] == str(reviewed)
    assert {f["kind"] for f in article["findings"]} == {"number", "arabic-left", "empty"}
    assert data["errors"] == 3


def test_qa_command_clean_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.ar.txt"
    path.write_text("اجتماع في ٢٠٢٠\n", encoding="utf-8")
    article = read_article(path)
    state = ReviewState(article=path.name)
    state.set_machine(article.translatable[0].id, "Meeting in 2020")
    save_review(article, state)
    assert main(["qa", str(path), "--no-glossary"]) == 0
    assert "no findings" in capsys.readouterr().out


def test_qa_command_without_review_state(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_article(tmp_path)
    assert main(["qa", str(path), "--no-glossary"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no review state" in err


def test_qa_command_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["qa", str(tmp_path), "--no-glossary"]) == 1
    assert "no reviewed articles" in capsys.readouterr().err


@pytest.fixture(scope="module")
def shipped_glossary():
    from translator.config import SHIPPED_GLOSSARY_DIR
    from translator.glossary.layers import load_glossary

    return load_glossary([SHIPPED_GLOSSARY_DIR])


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("Fayez al-Sarraj said Haftar's forces withdrew from Sirte and Tripoli", []),
        ("Fayez al-Sarraj said Hifter forces withdrew from Sirte and Tripoli", ["warning حفتر"]),
        ("Faiz al-Sarraj said Haftar forces withdrew from Sirte and Tripoli",
         ["error فائز السراج should be 'Fayez al-Sarraj', found 'Faiz al-Sarraj'"]),
        ("Fayez al-Sarraj said Haftar forces withdrew from Tripoli", ["error سرت should be 'Sirte', which is missing"]),
    ],
)
def test_shipped_glossary_with_variants_and_clitics(shipped_glossary, target: str, expected: list[str]) -> None:
    # فائز is the seeds' second spelling; وطرابلس carries the clitic و.
    source = "وقال فائز السراج إن قوات حفتر انسحبت من سرت وطرابلس"
    findings = check_paragraph(source, target, glossary=shipped_glossary)
    assert len(findings) == len(expected)
    for finding, text in zip(findings, expected):
        assert finding.kind is Check.GLOSSARY
        assert f"{finding.severity.value} {finding.message}".startswith(text)


def test_qa_command_uses_glossary(reviewed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from translator.config import SHIPPED_GLOSSARY_DIR

    main(["qa", str(reviewed), "--json", "--glossary", str(SHIPPED_GLOSSARY_DIR)])
    findings = json.loads(capsys.readouterr().out)["articles"][0]["findings"]
    glossary = [(f["index"], f["severity"], f["message"]) for f in findings if f["kind"] == "glossary"]
    # Title "Lavrov meets Sarraj" uses an accepted form (Sarraj); paragraph 1 left طرابلس in Arabic.
    assert glossary == [
        (0, "warning", "السراج uses an accepted variant, not the preferred 'al-Sarraj'"),
        (1, "error", "طرابلس should be 'Tripoli', which is missing"),
    ]


def test_qa_command_missing_glossary(reviewed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["qa", str(reviewed), "--glossary", str(reviewed.parent / "nope.yaml")]) == 1
    assert "nope.yaml: glossary not found" in capsys.readouterr().err


def test_human_references_raise_no_errors() -> None:
    """FLORES-200 dev: professional translations must not trip the error-level checks."""
    from tests.conftest import SHARED

    folder = SHARED / "data" / "flores200-dev"
    ar = (folder / "ar.txt").read_text(encoding="utf-8").split("\n")[:997]
    en = (folder / "en.txt").read_text(encoding="utf-8").split("\n")[:997]
    findings = check_article(list(zip(ar, en)))
    assert [f for f in findings if f.is_error] == []
    assert len(findings) <= 15  # warnings: 3 numbers, 8 quotes at the time of writing


def test_find_reviewed_paths(reviewed: Path, tmp_path: Path) -> None:
    from translator.errors import InputError
    from translator.store.review import find_reviewed

    nested = tmp_path / "deep" / "er"
    nested.mkdir(parents=True)
    plain = nested / "b.txt"  # a `.txt` article, state recorded without the `.ar` part
    plain.write_text("اجتماع\n", encoding="utf-8")
    (nested / "b.review.json").write_text('{"version": 1, "article": "b.txt", "paragraphs": {}}', encoding="utf-8")
    (nested / "orphan.review.json").write_text('{"version": 1, "paragraphs": {}}', encoding="utf-8")
    assert find_reviewed(tmp_path) == [plain, reviewed]  # sorted by state path; orphan skipped
    assert find_reviewed(reviewed) == [reviewed]
    assert find_reviewed(tmp_path / "news.review.json") == [reviewed]
    with pytest.raises(InputError, match="article this review state belongs to is missing"):
        find_reviewed(nested / "orphan.review.json")
    with pytest.raises(InputError, match="not found"):
        find_reviewed(tmp_path / "nope.ar.txt")
