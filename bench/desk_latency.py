#!/usr/bin/env python3
"""Benchmark the desk's responsiveness, headless through Textual's Pilot (120x40).

Prints, per engine:
- open → first MT: from building the app (CLI path: read article, lock, glossary) to the first
  paragraph's machine translation on screen; cold (model not loaded) and warm (loaded, one
  call made), against the issue's goal of ≤ 1 s warm;
- open → all MT: until the whole article is translated;
- keypress → redraw: a key pressed until the screen is idle again (the key handled, rows and
  header updated, the frame composed), for paragraph moves (alt+down) and for typing. Pilot's
  own round trip (an unbound key) is subtracted to give the desk's own share; beside it, two
  figures less blurred by Pilot and by other jobs on the machine: key → frame (the key posted
  until the last frame it caused is composed) and the desk's CPU per key (process CPU time of
  the press minus an unbound key's).

Engines: a fake (UI cost only); the bundled demo model if translator/data/demo-ar-en.argosmodel
exists; the random-weight transformer-base package (bench/out/random-ar-en, built by
scripts/build_random_model.py) decoding 64 tokens per sentence, a worst case for the real model's
shape; or `--model DIR` (an installed package folder).

`--against DIR` compares this desk with the one in DIR (an export of another commit, e.g.
`git archive main | tar -x -C /tmp/before`), fake engine only: runs alternate between the two
in fresh processes, so both see the same load.

Usage: .venv/bin/python bench/desk_latency.py [--model DIR] [--repeat 3] [--against DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: The desk's code: this checkout, or another one (--against runs this script on it).
CODE = Path(os.environ.get("DESK_LATENCY_CODE", ROOT))
sys.path.insert(0, str(CODE))

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
    for path in (ROOT / "seeds").glob("*.txt"):  # the same article whichever code is measured
        shutil.copy(path, folder / path.name)
    return folder


async def one_run(engine: Any, settings: Settings, folder: Path) -> dict[str, Any]:
    """Open the article, wait for MT, then time key presses."""
    options = DeskOptions(watch_seconds=0, cursor_blink=False, autosave_seconds=3600)
    started = time.perf_counter()
    app = build_app(folder / ARTICLE, settings, engine=engine, options=options, memory=False)
    result: dict[str, Any] = {}
    frames: list[float] = []
    display = app._display  # every composed frame goes through here (Textual's own method)

    def counted_display(*args: Any, **kwargs: Any) -> Any:
        out = display(*args, **kwargs)
        frames.append(time.perf_counter())
        return out

    app._display = counted_display  # type: ignore[method-assign]

    async def press(pilot: Any, key: str) -> tuple[float, float, float | None]:
        """(wall, cpu, key → last frame) of one key."""
        frames.clear()
        t, c = time.perf_counter(), time.process_time()
        await pilot.press(key)
        await pilot.pause()
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        return wall, cpu, (frames[-1] - t if frames else None)

    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        while screen.first_mt_at is None:
            await asyncio.sleep(0.002)
        result["first"] = screen.first_mt_at - started
        await app.workers.wait_for_complete()
        await pilot.pause()
        result["all"] = time.perf_counter() - started
        keys = {
            "moves": ["alt+down"] * 12 + ["alt+up"] * 12,
            "typing": [ch if ch != " " else "space" for ch in "the Russian foreign ministry said"],
            "idle": ["f12"] * 12,  # an unbound key: what Pilot itself costs per press
        }
        for name, presses in keys.items():
            timed = [await press(pilot, key) for key in presses]
            result[name] = [wall for wall, _, _ in timed]
            result[name + "_cpu"] = [cpu for _, cpu, _ in timed]
            result[name + "_frame"] = [frame for _, _, frame in timed if frame is not None]
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


def fake_run(settings: Settings, work: Path) -> dict[str, Any]:
    return asyncio.run(one_run(FakeEngine(), settings, fresh_folder(work)))


def report(name: str, runs: list[dict[str, Any]], cold: float | None = None) -> dict[str, float]:
    """Print one engine's figures; return the key ones (ms)."""
    def joined(key: str) -> list[float]:
        return [v for r in runs for v in r[key]]

    first, total = statistics.median(r["first"] for r in runs), statistics.median(r["all"] for r in runs)
    moves, typing, idle = joined("moves"), joined("typing"), joined("idle")
    base, base_cpu = statistics.median(idle), statistics.median(joined("idle_cpu"))
    figures = {
        "move share": (statistics.median(moves) - base) * 1000,
        "typing share": (statistics.median(typing) - base) * 1000,
        "move frame": statistics.median(joined("moves_frame")) * 1000,
        "typing frame": statistics.median(joined("typing_frame")) * 1000,
        "move cpu": (statistics.median(joined("moves_cpu")) - base_cpu) * 1000,
        "typing cpu": (statistics.median(joined("typing_cpu")) - base_cpu) * 1000,
    }
    print(f"\n{name}")
    if cold is not None:
        print(f"  open → first MT, cold model : {cold * 1000:8.1f} ms")
    print(f"  open → first MT, warm       : {first * 1000:8.1f} ms   (goal ≤ 1000 ms: "
          f"{'ok' if first <= 1 else 'MISSED'})")
    print(f"  open → whole article MT     : {total * 1000:8.1f} ms")
    for label, key, goal in (("alt+down", "move", 50), ("typing  ", "typing", 30)):
        values = moves if key == "move" else typing
        print(f"  keypress → redraw, {label} : median {statistics.median(values) * 1000:6.1f} ms, "
              f"p95 {p95(values) * 1000:6.1f} ms ({len(values)} presses); "
              f"desk's own share {figures[key + ' share']:5.1f} ms (goal ≤ {goal} ms: "
              f"{'ok' if figures[key + ' share'] <= goal else 'MISSED'})")
        print(f"      key → frame median {figures[key + ' frame']:5.1f} ms; "
              f"desk's CPU per key {figures[key + ' cpu']:5.1f} ms")
    print(f"  unbound key (Pilot's own round trip, subtracted above): median {base * 1000:6.1f} ms")
    return figures


def compare(against: Path, repeat: int) -> None:
    """This desk and the one in `against`, fake engine, alternating fresh processes."""
    runs: dict[str, list[dict[str, Any]]] = {"this": [], "against": []}
    for _ in range(repeat):
        for which, code in (("against", against), ("this", CODE)):
            env = dict(os.environ, DESK_LATENCY_CODE=str(code))
            out = subprocess.run([sys.executable, __file__, "--one-fake-run"], env=env, check=True,
                                 capture_output=True, text=True).stdout
            runs[which].append(json.loads(out.splitlines()[-1]))
    before = report(f"fake engine, desk in {against}", runs["against"])
    after = report(f"fake engine, desk in {CODE}", runs["this"])
    print(f"\n{'':24}{'there':>10}{'here':>10}   (ms, same load: runs alternated)")
    for key in before:
        print(f"  {key:22}{before[key]:10.1f}{after[key]:10.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="an installed Argos package folder to measure")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fake-only", action="store_true", help="measure the UI with the fake engine only")
    parser.add_argument("--against", type=Path, help="compare with the desk in this folder (fake engine)")
    parser.add_argument("--one-fake-run", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        settings = Settings(home=work / "home")
        if args.one_fake_run:
            print(json.dumps(fake_run(settings, work)))
            return 0
        load = os.getloadavg()[0]
        print(f"desk latency, headless Pilot {SIZE[0]}x{SIZE[1]}, article {ARTICLE}, {args.repeat} runs each, "
              f"load {load:.1f} on {os.cpu_count()} CPUs")
        if args.against:
            compare(args.against.resolve(), args.repeat)
            return 0
        for name, make, real in engines(args, work, settings):
            cold = None
            runs: list[dict[str, Any]] = []
            for run in range(args.repeat + (1 if real else 0)):
                engine = make()
                if real and run > 0:
                    engine.load()
                    engine.translate(["تجربة"])  # warm: loaded, first call made
                r = asyncio.run(one_run(engine, settings, fresh_folder(work)))
                if real and run == 0:
                    cold = r["first"]
                    continue
                runs.append(r)
            report(name, runs, cold)
    return 0


if __name__ == "__main__":
    sys.exit(main())
