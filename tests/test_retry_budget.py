"""The clause retry's budget (issue #17): it pays or stops, per article, and is configurable
(Settings.retry_budget, TRANSLATOR_RETRY_BUDGET, --retry-budget on translate and batch).

Decoding is counted by the test engines (pieces each call may take), never timed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

import translator.mt.models
from translator.cli import main
from translator.config import DEFAULT_RETRY_BUDGET, SHIPPED_GLOSSARY_DIR, Settings, load_settings
from translator.errors import TranslatorError
from translator.glossary.enforce import GlossaryEnforcer
from translator.glossary.layers import load_glossary
from translator.mt.engine import RankingEngine
from translator.mt.pipeline import PROBE_RETRIES, RETRY_EVIDENCE, RETRY_FLOOR, translate_paragraphs

from .chaos import RankingChaosEngine

ENFORCER = GlossaryEnforcer(load_glossary([SHIPPED_GLOSSARY_DIR]))
#: Three clauses, a name in each: a model that drops names from long sentences makes it a retry.
LONG = "قال سيرغي لافروف في موسكو، وأضاف أن الوضع في طرابلس خطير، وأكد أن تركيا لن تتدخل."
#: A word that makes _ClauseKeeper drop every name of the input it is in, however short.
STUBBORN = "دائما"
#: One clause, one name: kept by _ClauseKeeper in the first pass (evidence that it keeps names).
SHORT = "قال سيرغي لافروف إن الوضع خطير."


class _ClauseKeeper:
    """Drops names (placeholders, Latin words) from sentences with a comma inside, keeps them in clauses,
    as real models lose names in long inputs; drops them everywhere in inputs with STUBBORN.
    Counts what each call may decode (2 per word + 10 per sentence)."""

    label = "clause-keeper 0"
    is_demo = False

    def __init__(self) -> None:
        self.costs: list[int] = []

    def translate(self, sentences: Sequence[str]) -> list[str]:
        return [hyps[0] for hyps in self.translate_nbest(sentences)]

    def translate_nbest(self, sentences: Sequence[str], n: int | None = None) -> list[list[str]]:
        self.costs.append(self.cost(sentences))
        return [[" ".join(["words", *([] if self._drops(s) else re.findall(r"[A-Za-z]{2,}", s))])] for s in sentences]

    @staticmethod
    def _drops(sentence: str) -> bool:
        return "،" in sentence.rstrip("،.") or STUBBORN in sentence

    def cost(self, sentences: Sequence[str]) -> int:
        return sum(2 * len(s.split()) + 10 for s in sentences if s.strip())


def _lost(results: list) -> int:  # type: ignore[type-arg]
    return sum(1 for r in results for t in r.terms if t.missing)


def _clauses_cost(engine: _ClauseKeeper | RankingChaosEngine, sentence: str) -> int:
    from translator.text.segment import split_clauses

    return engine.cost([ENFORCER.prepare(c)[0] for c in split_clauses(sentence)])


class _FirstCallOnly(_ClauseKeeper):
    """Keeps the first name of each sentence in its first call, then no name at all: the first
    pass keeps terms, the clause retries win none back."""

    def translate_nbest(self, sentences: Sequence[str], n: int | None = None) -> list[list[str]]:
        self.costs.append(self.cost(sentences))
        keep = len(self.costs) == 1
        return [[" ".join(["words", *re.findall(r"[A-Z]{2,}", s)[:1 if keep else 0]])] for s in sentences]


def test_a_model_that_keeps_nothing_is_not_retried() -> None:
    engine = RankingChaosEngine(["drop"])  # loses every term, every time, however short the input
    assert isinstance(engine, RankingEngine)
    article = [LONG] * 3 + [LONG.replace("موسكو", f"مدينة {i}") for i in range(20)]
    results = translate_paragraphs(article, engine, ENFORCER, retry_budget=1.0)
    assert len(engine.costs) == 1  # 66 terms, none kept in any hypothesis: no retry
    assert _lost(results) == sum(len(r.terms) for r in results) >= RETRY_EVIDENCE  # every lost term reported
    # fewer terms than that is no evidence: one probe, which wins nothing back, and no more
    engine = RankingChaosEngine(["drop"])
    [result] = translate_paragraphs([LONG], engine, ENFORCER, retry_budget=1.0)
    assert len(result.terms) < RETRY_EVIDENCE and engine.costs[1:] == [_clauses_cost(engine, LONG)]


def test_retries_that_win_nothing_stop_after_the_probe() -> None:
    article = [LONG.replace("موسكو", f"مدينة {i}") for i in range(20)]
    engine = _FirstCallOnly()
    results = translate_paragraphs(article, engine, ENFORCER, retry_budget=1.0)
    assert 0 < _lost(results) < sum(len(r.terms) for r in results)  # the first pass kept some
    first, probe = engine.costs  # one retry call, then nothing: the probe won nothing back
    assert probe == min(_clauses_cost(engine, p) for p in article) * PROBE_RETRIES
    assert probe < 0.1 * first  # of a budget of 1.0 × first
    # two articles: one probe each
    engine = _FirstCallOnly()
    translate_paragraphs(article * 2, engine, ENFORCER, retry_budget=1.0, groups=[len(article)] * 2)
    assert engine.costs[1:] == [2 * probe]


def test_retries_that_pay_spend_the_budget() -> None:
    article = [SHORT] + [LONG.replace("موسكو", f"مدينة {i}") for i in range(20)]
    spent = {}
    for share in (0.0, 0.1, 0.5, 2.0):
        engine = _ClauseKeeper()
        results = translate_paragraphs(article, engine, ENFORCER, retry_budget=share)
        first, *retries = engine.costs
        spent[share] = sum(retries), _lost(results)
        assert sum(retries) <= max(share * first, 128) if share else not retries
    assert spent[0.0][0] == 0 < spent[0.1][0] < spent[0.5][0] < spent[2.0][0]
    assert spent[0.0][1] > spent[0.1][1] > spent[0.5][1] > spent[2.0][1] == 0  # each piece bought terms back
    # the same article without the sentence it kept a name in: no evidence the model keeps any, no retry
    engine = _ClauseKeeper()
    translate_paragraphs(article[1:], engine, ENFORCER, retry_budget=2.0)
    assert len(engine.costs) == 1


def test_each_article_probes_for_itself() -> None:
    """One article's probe fails, the other's pays: each gets the English it gets alone."""
    paying = [SHORT] + [LONG.replace("موسكو", f"مدينة {i}") for i in range(5)]
    stubborn = [SHORT] + [f"{STUBBORN} {p}".replace("،", f"، {STUBBORN}") for p in paying[1:]]  # every clause
    alone_paying = translate_paragraphs(paying, _ClauseKeeper(), ENFORCER)
    engine = _ClauseKeeper()
    alone_stubborn = translate_paragraphs(stubborn, engine, ENFORCER)
    assert len(engine.costs) == 2  # first pass and the probe
    for order in ((paying, stubborn), (stubborn, paying)):
        engine = _ClauseKeeper()
        together = translate_paragraphs(order[0] + order[1], engine, ENFORCER, groups=[6, 6])
        first, second = (together[:6], together[6:]) if order[0] is paying else (together[6:], together[:6])
        assert [r.text for r in first] == [r.text for r in alone_paying]
        assert [r.text for r in second] == [r.text for r in alone_stubborn]
        assert len(engine.costs) == 3  # first pass, both probes, the paying article's other retries
    assert _lost(alone_paying) < _lost(translate_paragraphs(paying, _ClauseKeeper(), ENFORCER, retry_budget=0))


def test_the_budget_comes_from_the_enforcer_and_the_settings() -> None:
    article = [SHORT] + [LONG.replace("موسكو", f"مدينة {i}") for i in range(20)]
    engine = _ClauseKeeper()
    translate_paragraphs(article, engine, GlossaryEnforcer(ENFORCER.glossary, retry_budget=0))
    assert len(engine.costs) == 1
    assert load_settings({}).retry_budget == DEFAULT_RETRY_BUDGET == 1.0
    assert load_settings({"TRANSLATOR_RETRY_BUDGET": "0.5"}).retry_budget == 0.5
    for bad in ("-1", "a lot", "inf", "nan"):
        with pytest.raises(TranslatorError, match="TRANSLATOR_RETRY_BUDGET: retry budget .* is not a share"):
            load_settings({"TRANSLATOR_RETRY_BUDGET": bad})


@pytest.fixture
def keeper(installed: Settings, monkeypatch: pytest.MonkeyPatch) -> list[_ClauseKeeper]:
    """The engine every command loads: a _ClauseKeeper (each load appends the new one)."""
    loaded: list[_ClauseKeeper] = []

    def load(settings: Settings) -> _ClauseKeeper:
        loaded.append(_ClauseKeeper())
        return loaded[-1]

    monkeypatch.setattr(translator.mt.models, "load_engine", load)
    return loaded


def _article(folder: Path) -> Path:
    folder.mkdir()
    path = folder / "news.ar.txt"
    body = [SHORT] + [LONG.replace("موسكو", f"مدينة {i}") for i in range(12)]
    path.write_text("عنوان الخبر\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["translate", "batch"])
def test_the_option_changes_the_decoding_done(command: str, keeper: list[_ClauseKeeper], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    article = _article(tmp_path / "in")
    retried = []
    for n, option in enumerate([["--retry-budget", "0"], ["--retry-budget", "0.2"], []]):
        target = [str(article)] if command == "translate" else [str(article.parent), "--quiet", "--no-memory"]
        out = ["-o", str(tmp_path / f"out{n}" / ("en.md" if command == "translate" else ""))]
        assert main([command, *target, *out, *option]) == 0, capsys.readouterr().err
        first, *retries = keeper[-1].costs
        retried.append(sum(retries))
    assert retried[0] == 0 < retried[1] < retried[2]
    assert retried[1] <= max(0.2 * first, RETRY_FLOOR) < retried[2] <= DEFAULT_RETRY_BUDGET * first
    if command == "batch":
        import json

        manifest = json.loads((tmp_path / "out1" / "batch-manifest.json").read_text(encoding="utf-8"))
        assert manifest["settings"]["retry_budget"] == 0.2


@pytest.mark.parametrize("value", ["-0.5", "half"])
def test_a_bad_option_is_one_usage_line(value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["translate", str(tmp_path / "x.txt"), "--retry-budget", value])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].endswith(f"argument --retry-budget: retry budget {value!r} is not a share of the first "
                            "pass's decoding (a number >= 0, e.g. 0.25; 0: no retry)")


def test_the_desk_uses_the_configured_budget(tmp_path: Path) -> None:
    from translator.tui.desk_services import DeskServices
    from translator.workspace import Workspace

    folder = tmp_path / "articles"
    folder.mkdir()
    settings = Settings(home=tmp_path / "home", retry_budget=0.3)
    services = DeskServices(Workspace(settings, folder, load_engine=False), use_memory=False)
    enforcer = services.enforcer()
    assert enforcer is not None and enforcer.retry_budget == 0.3
    assert Workspace(settings, folder, load_engine=False).enforcer().retry_budget == 0.3
