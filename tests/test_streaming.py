"""Sentences leave the model one by one: enforcement and progress go on while it decodes the rest."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from tests.conftest import SEEDS, FakeEngine
from translator.batch import BatchOptions, Progress, run_batch
from translator.config import SHIPPED_GLOSSARY_DIR, Settings
from translator.glossary.enforce import GlossaryEnforcer, Plan
from translator.glossary.layers import load_glossary
from translator.glossary.repair import TermResult
from translator.mt.engine import ArgosEngine, StreamingEngine
from translator.mt.models import install_package_file
from translator.mt.pipeline import sentence_count, translate_paragraphs
from translator.text.document import read_article

LONG = " ، ".join(["قال وزير الخارجية إن الاجتماع في طرابلس سيعقد غدا لبحث الأوضاع الأمنية في المدينة"] * 6) + "."


def _demo(home: Path, demo_model_file: Path) -> ArgosEngine:
    settings = Settings(home=home, device="cpu")
    engine = ArgosEngine(install_package_file(settings, demo_model_file).path, settings)
    assert isinstance(engine, StreamingEngine)
    return engine


def _seed_paragraphs() -> list[str]:
    return [p.text for seed in sorted(SEEDS.glob("*.ar.txt")) for p in read_article(seed).translatable]


def test_the_stream_hands_over_translate_nbests_hypotheses_once_per_sentence(home: Path,
                                                                            demo_model_file: Path) -> None:
    engine = _demo(home, demo_model_file)
    first = _seed_paragraphs()[0]
    sentences = [first, "", LONG, first, "قال لافروف إن الوضع خطير.", "   "]
    avoid = [(), (), (), ("Minister",), (), ()]
    engine.load()
    assert engine._length(LONG) > engine.max_sentence_tokens  # a sentence translated in chunks
    streamed = list(engine.translate_stream(sentences, 4, avoid))
    assert sorted(i for i, _ in streamed) == list(range(len(sentences)))  # each exactly once
    assert dict(streamed) == dict(enumerate(engine.translate_nbest(sentences, 4, avoid)))
    assert dict(streamed)[1] == dict(streamed)[5] == [""]


def test_enforcement_starts_before_the_model_has_finished(home: Path, demo_model_file: Path) -> None:
    engine = _demo(home, demo_model_file)
    seen_at: list[int] = []

    class Watching(GlossaryEnforcer):
        def finish(self, plan: Plan, output: str) -> tuple[str, list[TermResult]]:
            seen_at.append(engine.decoded)  # pieces the model had handed over by then
            return super().finish(plan, output)

    paragraphs = _seed_paragraphs()
    results = translate_paragraphs(paragraphs, engine, Watching(load_glossary([SHIPPED_GLOSSARY_DIR])),
                                   retry_budget=0)
    assert len(results) == len(paragraphs) and all(r.text for r in results)
    assert seen_at and seen_at[0] < engine.decoded  # the first sentence was enforced mid-call


def test_a_call_is_queued_a_few_sub_batches_ahead_so_stopping_it_stops_the_model(
        home: Path, demo_model_file: Path) -> None:
    """Queued all at once (CTranslate2's automatic queue blocked the caller until all but a few
    sub-batches were decoded, so nothing streamed; an unbounded queue kept decoding a whole call
    after Ctrl-C: 41 s), a call now keeps a few sub-batches per thread queued ahead."""
    engine = _demo(home, demo_model_file)
    engine.load()
    real = engine._translator
    queued: list[int] = []

    class Spy:
        def translate_batch(self, batch, **options):  # type: ignore[no-untyped-def]
            queued.append(len(batch))
            return real.translate_batch(batch, **options)

    engine._translator = Spy()
    words = LONG.split("،")[0].split()
    sentences = [" ".join(words[: 1 + k % len(words)] * (1 + k // len(words))) + "." for k in range(60)]
    tokens = [engine.encode(s) for s in sentences]
    total = len(engine._sub_batches(tokens, [()] * len(tokens)))
    ahead = max(2, engine.QUEUE_AHEAD * engine.settings.inter_threads)
    stream = engine._decode(tokens, 1, [()] * len(tokens))
    next(stream)  # the first sub-batch is back while most are not even queued
    assert len(queued) == ahead + 1 < total, (len(queued), total)
    stream.close()  # the caller stops (Ctrl-C, an error): nothing more is queued
    assert len(queued) == ahead + 1
    assert sum(len(members) for members, _ in engine._decode(tokens, 1, [()] * len(tokens))) == len(tokens)


def test_batch_progress_moves_sentence_by_sentence_within_one_call(tmp_path: Path, home: Path,
                                                                   demo_model_file: Path) -> None:
    engine = _demo(home, demo_model_file)
    calls: list[int] = []
    stream = engine.translate_stream

    def counted(sentences: Sequence[str], n: int | None = None,
                avoid: Sequence[Sequence[str]] | None = None) -> Iterator[tuple[int, list[str]]]:
        calls.append(len(sentences))
        return stream(sentences, n, avoid)

    engine.translate_stream = counted  # type: ignore[method-assign]
    src = tmp_path / "in"
    src.mkdir()
    for copy in range(3):  # over 64 sentences: the old first call would have taken 64 at most
        for seed in sorted(SEEDS.glob("*.ar.txt")):
            (src / f"{copy}-{seed.name}").write_bytes(seed.read_bytes())
    events: list[Progress] = []
    report = run_batch(BatchOptions(src, tmp_path / "out"), engine, on_progress=events.append)
    assert report.ok
    assert len(calls) == 1  # every file's sentences in one call: the default first call is not a small one
    last = events[-1]
    assert last.sentences_done == last.sentences_total == calls[0]
    moving = [e for e in events if 0 < e.sentences_done < e.sentences_total and e.paragraphs_done == 0]
    assert len(moving) >= last.sentences_total - 1  # one event per sentence before any paragraph was done


class DroppingEngine(FakeEngine):
    """Streams every sentence but the last: a broken engine must not leave a paragraph silently empty."""

    settings = Settings()

    def translate_nbest(self, sentences: Sequence[str], n: int | None = None,
                        avoid: Sequence[Sequence[str]] | None = None) -> list[list[str]]:
        return [[english] for english in self.translate(sentences)]

    def translate_stream(self, sentences: Sequence[str], n: int | None = None,
                         avoid: Sequence[Sequence[str]] | None = None) -> Iterator[tuple[int, list[str]]]:
        yield from list(enumerate(self.translate_nbest(sentences, n, avoid)))[:-1]

    def cost(self, sentences: Sequence[str]) -> int:
        return len(sentences)


def test_a_sentence_the_engine_never_answers_fails_its_files_in_one_line(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.ar.txt").write_text("قال الوزير إن الاجتماع مهم. وأضاف أنه سيعقد غدا.\n", encoding="utf-8")
    report = run_batch(BatchOptions(src, tmp_path / "out"), DroppingEngine())
    [entry] = report.files
    assert entry.status == "failed"
    assert entry.reason == "translation failed: fake→en 0: the model gave 1 translations for 2 sentences"
    assert not (tmp_path / "out" / "a.en.md").exists()


def test_the_batch_progress_bar_counts_sentences(tmp_path: Path, installed: Settings, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The bar's unit is the sentence (it moves while the model decodes); files and paragraphs beside it."""
    from translator import cli

    src = tmp_path / "in"
    src.mkdir()
    for seed in sorted(SEEDS.glob("*.ar.txt")):
        (src / seed.name).write_bytes(seed.read_bytes())
    monkeypatch.setenv("TRANSLATOR_PROGRESS", "1")
    monkeypatch.setenv("COLUMNS", "200")
    assert cli.main(["batch", str(src), "-o", str(tmp_path / "out"), "--no-memory"]) == 0
    total = sum(sentence_count(p) for p in _seed_paragraphs())
    err = capsys.readouterr().err
    paragraphs = len(_seed_paragraphs())
    assert f"{total}/{total} sentences 2/2 files {paragraphs}/{paragraphs} paragraphs" in err, err
