#!/usr/bin/env python3
"""Benchmark the desk's responsiveness, headless through Textual's Pilot (120x40).

Prints, per engine:
- open → first MT: from building the app (CLI path: read article, lock, glossary) to the first
  paragraph's machine translation on screen; cold (model not loaded) and warm (loaded, one
  call made), against the issue's goal of ≤ 1 s warm;
- open → all MT: until the whole article is translated;
- keypress → redraw: a key pressed until the screen is idle again (the key handled, rows and
  header updated, the frame composed), for paragraph moves (alt+down) and for typing.

Engines: a fake (UI cost only); the bundled demo model if translator/data/demo-ar-en.argosmodel
exists; the random-weight transformer-base package (bench/out/random-ar-en, built by
scripts/build_random_model.py) decoding 64 tokens per sentence, a worst case for the real model's
shape; or `--model DIR` (an installed package folder).

Usage: .venv/bin/python bench/desk_latency.py [--model DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import FakeEngine  # noqa: E402
from translator.config import DEMO_MODEL_PATH, Settings  # noqa: E402
from translator.mt.engine import ArgosEngine  # noqa: E402
from translator.session import DeskOptions  # noqa: E402
from translator.tui.factory import build_app  # noqa: E402
from translator.tui.screens.review import ReviewScreen  # noqa: E402

ARTICLE = "sarraj-security-agreements.ar.txt"
SIZE = (120, 40)


def fresh_folder(base: Path) -> Path:
    folder = Path(tempfile.mkdtemp(dir=base))
    for path in (ROOT / "seeds").glob("*.txt"):
        shutil.copy(path, folder / path.name)
    return folder


async def one_run(engine: Any, settings: Settings, folder: Path) -> dict[str, Any]:
    """Open the article, wait for MT, then time key presses."""
    options = DeskOptions(watch_seconds=0, cursor_blink=False, autosave_seconds=3600)
    started = time.perf_counter()
    app = build_app(folder / ARTICLE, settings, engine=engine, options=options, memory=False)
    result: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        while screen.first_mt_at is None:
            await asyncio.sleep(0.002)
        result["first"] = screen.first_mt_at - started
        await app.workers.wait_for_complete()
        await pilot.pause()
        result["all"] = time.perf_counter() - started
        moves: list[float] = []
        for key in ["alt+down"] * 12 + ["alt+up"] * 12:
            t = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            moves.append(time.perf_counter() - t)
        typing: list[float] = []
        for ch in "the Russian foreign ministry said":
            t = time.perf_counter()
            await pilot.press(ch if ch != " " else "space")
            await pilot.pause()
            typing.append(time.perf_counter() - t)
        idle: list[float] = []
        for _ in range(12):  # an unbound key: what Pilot itself costs per press
            t = time.perf_counter()
            await pilot.press("f12")
            await pilot.pause()
            idle.append(time.perf_counter() - t)
        result["moves"], result["typing"], result["idle"] = moves, typing, idle
    return result


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def engines(args: argparse.Namespace, work: Path, settings: Settings) -> list[tuple[str, Any, bool]]:
    """(name, engine factory, real model?)."""
    found: list[tuple[str, Any, bool]] = [("fake engine", FakeEngine, False)]
    if args.fake_only:
        return found
    if args.model:
        found.append((f"model {args.model}", lambda: ArgosEngine(Path(args.model), settings), True))
        return found
    if DEMO_MODEL_PATH.exists():
        demo = work / "demo"
        with zipfile.ZipFile(DEMO_MODEL_PATH) as z:
            z.extractall(demo)
        package = next(p.parent for p in demo.rglob("metadata.json"))
        found.append(("demo model", lambda: ArgosEngine(package, settings), True))
    random_pkg = ROOT / "bench" / "out" / "random-ar-en"
    if random_pkg.is_dir():
        found.append(("random transformer-base (64 tokens/sentence)", lambda: _limited(random_pkg, settings), True))
    return found


def _limited(package: Path, settings: Settings) -> ArgosEngine:
    import ctranslate2

    engine = ArgosEngine(package, settings)
    base = ctranslate2.Translator

    class LimitedTranslator(base):  # type: ignore[misc, valid-type]
        def translate_batch(self, *a: Any, **kw: Any) -> Any:
            kw["max_decoding_length"] = 64
            return super().translate_batch(*a, **kw)

    ctranslate2.Translator = LimitedTranslator
    engine.load()
    ctranslate2.Translator = base
    return engine


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="an installed Argos package folder to measure")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fake-only", action="store_true", help="measure the UI with the fake engine only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        settings = Settings(home=work / "home")
        print(f"desk latency, headless Pilot {SIZE[0]}x{SIZE[1]}, article {ARTICLE}, {args.repeat} runs each")
        for name, make, real in engines(args, work, settings):
            cold = first = total = None
            moves: list[float] = []
            typing: list[float] = []
            idle: list[float] = []
            firsts: list[float] = []
            alls: list[float] = []
            for run in range(args.repeat + (1 if real else 0)):
                engine = make()
                if real and run > 0:
                    engine.load()
                    engine.translate(["تجربة"])  # warm: loaded, first call made
                r = asyncio.run(one_run(engine, settings, fresh_folder(work)))
                if real and run == 0:
                    cold = r["first"]
                    continue
                firsts.append(r["first"])
                alls.append(r["all"])
                moves += r["moves"]
                typing += r["typing"]
                idle += r["idle"]
            first, total = statistics.median(firsts), statistics.median(alls)
            print(f"\n{name}")
            if cold is not None:
                print(f"  open → first MT, cold model : {cold * 1000:8.1f} ms")
            print(f"  open → first MT, warm       : {first * 1000:8.1f} ms   (goal ≤ 1000 ms: "
                  f"{'ok' if first <= 1 else 'MISSED'})")
            print(f"  open → whole article MT     : {total * 1000:8.1f} ms")
            base = statistics.median(idle)
            print(f"  keypress → redraw, alt+down : median {statistics.median(moves) * 1000:6.1f} ms, "
                  f"p95 {p95(moves) * 1000:6.1f} ms ({len(moves)} presses); "
                  f"desk's own share {(statistics.median(moves) - base) * 1000:5.1f} ms")
            print(f"  keypress → redraw, typing   : median {statistics.median(typing) * 1000:6.1f} ms, "
                  f"p95 {p95(typing) * 1000:6.1f} ms ({len(typing)} presses); "
                  f"desk's own share {(statistics.median(typing) - base) * 1000:5.1f} ms")
            print(f"  unbound key (Pilot's own round trip, subtracted above): median {base * 1000:6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
