"""A paste never accepts: multi-line text arriving in one burst is text for the active paragraph.

Terminals deliver a paste either bracketed (one Paste event) or, without bracketed paste (tmux
`paste-buffer` without -p, many SSH clients), as plain keys in one read where every line break is
an Enter. Both must land in the active paragraph with the line breaks turned into spaces; only an
Enter at the end of a burst (`send-keys -l text` then `Enter`) or alone accepts.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import App
from textual.message import Message

from tests.conftest import FakeEngine
from tests.tui.conftest import ARTICLE, SIZE, DeskFactory
from translator.store.review import Status
from translator.tui.burst import coalesce_burst
from translator.tui.screens.review import ReviewScreen

LINES = ["Lorem ipsum dolor sit amet, labore.", "Filler line 22", "", "   last line  "]


def key_events(text: str) -> list[Message]:
    """The Key events the terminal parser makes of unbracketed `text` (line breaks are Enter)."""
    out: list[Message] = []
    for c in text:
        if c in "\r\n":
            out.append(events.Key("enter", "\r"))
        elif c == " ":
            out.append(events.Key("space", " "))
        else:
            out.append(events.Key(c, c))
    return out


def send_burst(app: App[None], burst: list[Message]) -> None:
    """One terminal read, as the desk's driver hands it to the app (through coalesce_burst)."""
    driver = app._driver
    assert driver is not None
    for event in coalesce_burst(burst):
        event.set_sender(app)
        driver.send_message(event)


async def _open(app: App[None], pilot) -> ReviewScreen:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def test_coalesce_keeps_a_trailing_enter_and_lone_keys() -> None:
    typed_then_enter = coalesce_burst(key_events("abc\r"))
    assert [getattr(e, "key", None) for e in typed_then_enter] == ["a", "b", "c", "enter"]
    # Several lines are a paste, the final line break included: copied lines end with one.
    pasted = coalesce_burst(key_events("one\rtwo\r"))
    assert len(pasted) == 1 and isinstance(pasted[0], events.Paste) and pasted[0].text == "one\ntwo\n"
    # A line break before any text stays a key (accept, then the text goes to the next paragraph).
    assert [getattr(e, "key", None) for e in coalesce_burst(key_events("\rab"))] == ["enter", "a", "b"]
    assert [getattr(e, "key", None) for e in coalesce_burst(key_events("\r"))] == ["enter"]
    # A desk key in the middle ends the text run: nothing after it is glued to the paste.
    mixed = coalesce_burst([*key_events("a\rb"), events.Key("alt+down", None), *key_events("c")])
    assert isinstance(mixed[0], events.Paste) and mixed[0].text == "a\nb"
    assert [getattr(e, "key", None) for e in mixed[1:]] == ["alt+down", "c"]


async def test_unbracketed_multiline_paste_is_text_and_accepts_nothing(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        session = screen.session
        first = screen.active
        before = session.english(first)
        send_burst(app, key_events(" " + "\r".join(LINES * 9) + "\r"))  # 36 lines in one read
        await pilot.pause()
        assert screen.active == first
        assert session.progress()[0] == 0, "a paste accepted paragraphs"
        text = session.english(first)
        assert text.startswith(before) and "\n" not in text
        assert "labore. Filler line 22 last line Lorem" in text
        assert session.status(first) is Status.EDITED
        # The deliberate key still accepts.
        await pilot.press("enter")
        assert session.status(first) is Status.REVIEWED and screen.active != first


async def test_bracketed_paste_joins_lines_with_spaces(make_desk: DeskFactory, folder: Path, engine: FakeEngine) -> None:
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        session = screen.session
        first = screen.active
        send_burst(app, [events.Paste(" " + "\r\n".join(LINES) + "\n")])
        await pilot.pause()
        text = session.english(first)
        assert "\n" not in text and "\r" not in text
        assert text.endswith(" Lorem ipsum dolor sit amet, labore. Filler line 22 last line")
        assert screen.active == first and session.status(first) is Status.EDITED


async def test_text_then_enter_in_one_burst_still_types_then_accepts(
    make_desk: DeskFactory, folder: Path, engine: FakeEngine
) -> None:
    app = make_desk(folder / ARTICLE, engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        first = screen.active
        send_burst(app, key_events(" final words\r"))
        await pilot.pause()
        assert screen.session.status(first) is Status.REVIEWED
        assert screen.session.english(first).endswith(" final words")
        assert screen.active != first
