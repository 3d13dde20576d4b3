"""Post-edit metrics (`translator report`) on a hand-written review.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sacrebleu

from tests.test_qa import GLOSSARY
from translator.cli import main
from translator.quality.postedit import article_postedit, pooled
from translator.store.review import load_review
from translator.text.document import paragraph_id, read_article

ARABIC = [
    "لافروف يلتقي السراج",
    "قال لافروف إن المحادثات ستستمر ٣ أيام.",
    "وأضاف أن قوات حفتر انسحبت من سرت.",
    "ودعا إلى وقف إطلاق النار.",
    "فقرة لم تترجم بعد.",
]
# (status, machine, final English) per paragraph, as the desk would have saved them.
RECORDS = [
    ("reviewed", "Lavrov meets Sarraj", "Sergey Lavrov meets Fayez al-Sarraj"),
    ("reviewed", "Lavrov said talks will last 3 days.", "Sergey Lavrov said the talks would last 3 days."),
    ("edited", "He added Haftar forces withdrew from Sirte.",
     "He added that Khalifa Haftar's forces withdrew from Sirte."),
    ("reviewed", "He called for a ceasefire.", "He called for a ceasefire."),
    ("machine", "Paragraph not translated yet.", "Paragraph not translated yet."),
]


def write_reviewed(folder: Path, name: str = "news", records=RECORDS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    article = folder / f"{name}.ar.txt"
    article.write_text("\n\n".join(ARABIC) + "\n", encoding="utf-8")
    paragraphs = {}
    for text, (status, machine, final) in zip(ARABIC, records):
        paragraphs[paragraph_id(text, 0)] = {
            "status": status, "machine": machine, "text": final,
            "updated": "2026-11-23T10:00:00+00:00",
            "reviewed_at": "2026-11-23T10:00:00+00:00" if status == "reviewed" else None,
        }
    state = {"version": 1, "article": article.name, "paragraphs": paragraphs}
    (folder / f"{name}.review.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    return article


def test_article_figures(tmp_path: Path) -> None:
    path = write_reviewed(tmp_path)
    result = article_postedit(read_article(path), load_review(path), GLOSSARY)
    assert result.paragraphs == 5
    assert result.status == {"new": 0, "machine": 1, "edited": 1, "reviewed": 3}
    assert (result.post_edited, result.changed) == (4, 3)
    assert result.edited_share == pytest.approx(0.75)
    machine = [r[1] for r in RECORDS[:4]]
    final = [r[2] for r in RECORDS[:4]]
    assert result.ter == pytest.approx(sacrebleu.TER(case_sensitive=True).corpus_score(machine, [final]).score)
    assert result.chrf == pytest.approx(sacrebleu.CHRF().corpus_score(machine, [final]).score)
    assert 0 < result.ter < 100
    # لافروف, السراج (title), لافروف (p1), حفتر (p2): machine has accepted variants for
    # Lavrov/Sarraj ("Lavrov", "Sarraj") but "Haftar" alone is not an accepted form.
    assert (result.terms_matched, result.terms_machine, result.terms_final) == (4, 3, 4)
    assert (result.qa_errors, result.qa_warnings) == (0, 0)


def test_untouched_review_has_zero_edit_distance(tmp_path: Path) -> None:
    records = [("reviewed", m, m) for _, m, _ in RECORDS]
    path = write_reviewed(tmp_path, records=records)
    result = article_postedit(read_article(path), load_review(path))
    assert (result.post_edited, result.changed, result.ter, result.chrf) == (5, 0, 0.0, pytest.approx(100.0))
    assert result.terms_matched is None


def test_pooled_scores_are_corpus_scores(tmp_path: Path) -> None:
    a = write_reviewed(tmp_path / "a")
    b = write_reviewed(tmp_path / "b", records=[("reviewed", m, m) for _, m, _ in RECORDS])
    results = [article_postedit(read_article(p), load_review(p)) for p in (a, b)]
    total = pooled(results)
    assert (total.paragraphs, total.post_edited, total.changed) == (10, 9, 3)
    machine = [m for r in results for m, _ in r.pairs]
    final = [f for r in results for _, f in r.pairs]
    assert total.ter == pytest.approx(sacrebleu.TER(case_sensitive=True).corpus_score(machine, [final]).score)


def test_report_command_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_reviewed(tmp_path / "a")
    write_reviewed(tmp_path / "b", name="other")
    assert main(["report", str(tmp_path), "--json", "--no-glossary"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [Path(a["article"]).name for a in data["articles"]] == ["news.ar.txt", "other.ar.txt"]
    assert data["total"]["post_edited"] == 8 and data["total"]["changed"] == 6
    assert data["total"]["ter"] == pytest.approx(data["articles"][0]["ter"])  # same edits twice
    assert data["signatures"]["ter"].startswith("nrefs:1|case:mixed|tok:tercom")


def test_report_command_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_reviewed(tmp_path)
    assert main(["report", str(tmp_path / "news.ar.txt"), "--no-glossary"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:4] == ["article", "paras", "reviewed", "edited"]
    assert out[1].split()[:5] == ["news.ar.txt", "5", "4", "3/4", "(75%)"]


def test_report_on_review_json_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_reviewed(tmp_path)
    assert main(["report", str(tmp_path / "news.review.json"), "--json", "--no-glossary"]) == 0
    assert json.loads(capsys.readouterr().out)["total"]["paragraphs"] == 5


def test_corrupt_review_state_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_reviewed(tmp_path)
    (tmp_path / "news.review.json").write_text("{not json", encoding="utf-8")
    assert main(["report", str(tmp_path / "news.ar.txt"), "--no-glossary"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "review state is corrupt" in err


@pytest.mark.parametrize("command", ["report", "qa"])
def test_one_corrupt_state_in_a_folder_does_not_hide_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    write_reviewed(tmp_path / "a")
    write_reviewed(tmp_path / "b", name="broken")
    broken = '{"article": "broken.ar.txt", "paragraphs": [1]}'
    (tmp_path / "b" / "broken.review.json").write_text(broken, encoding="utf-8")
    assert main([command, str(tmp_path), "--json", "--no-glossary"]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "broken.review.json: review state is corrupt" in captured.err
    articles = json.loads(captured.out)["articles"]
    assert [Path(a["article"]).name for a in articles] == ["news.ar.txt"]
