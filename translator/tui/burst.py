"""Provides coalesce_burst and BurstDriver: a paste the terminal does not bracket is text.

Without bracketed paste (tmux `paste-buffer` without -p, many terminals and SSH clients) a
pasted text reaches the desk as plain keys, every line break an Enter, which is the desk's
Accept key. What arrives in one burst (everything the terminal has ready in one go) is looked
at as a whole: a run of text keys with line breaks *in the middle* is a paste, and becomes one
Paste event (the editor joins its lines with spaces), its final line break included. One line
of text and an Enter at the end of a burst stay keys, so `tmux send-keys -l text` then `Enter`
still types, then accepts; Enter or F2 alone accepts. A desk key inside a burst (alt+↓, ctrl+q…) ends the text run.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder
from collections.abc import Sequence

from textual import events
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

#: Keys that are a line break in pasted text (the terminal sends CR; LF where not translated).
BREAK_KEYS = frozenset({"enter", "ctrl+j"})
#: Most bytes gathered into one burst (a huge paste is still handled in pieces of this size).
BURST_LIMIT = 1 << 20


def _is_break(event: Message) -> bool:
    return isinstance(event, events.Key) and event.key in BREAK_KEYS


def _is_text(event: Message) -> bool:
    return isinstance(event, events.Key) and (event.is_printable or event.key == "tab" or event.key in BREAK_KEYS)


def _character(event: Message) -> str:
    assert isinstance(event, events.Key)
    return "\n" if event.key in BREAK_KEYS else " " if event.key == "tab" else event.character or ""


def coalesce_burst(burst: Sequence[Message]) -> list[Message]:
    """The events of one terminal burst, each text run with inner line breaks made one Paste."""
    out: list[Message] = []
    i, n = 0, len(burst)
    while i < n:
        if not _is_text(burst[i]):
            out.append(burst[i])
            i += 1
            continue
        j = i
        while j < n and _is_text(burst[j]):
            j += 1
        out.extend(_coalesce_run(burst[i:j]))
        i = j
    return out


def _coalesce_run(run: Sequence[Message]) -> list[Message]:
    chars = [k for k, event in enumerate(run) if not _is_break(event)]
    if not chars:
        return list(run)
    first, last = chars[0], chars[-1]
    if not any(_is_break(event) for event in run[first:last + 1]):
        return list(run)
    # Several lines: a paste, its final line break included (copied lines usually end with one).
    text = "".join(_character(event) for event in run[first:])
    return [*run[:first], events.Paste(text)]


class BurstDriver(LinuxDriver):
    """Textual's Linux driver, reading input in bursts and passing them through coalesce_burst.

    The loop is Textual's own (LinuxDriver.run_input_thread), except that after a read it keeps
    reading while more input is ready at once, and hands the parsed events over as one burst.
    """

    def run_input_thread(self) -> None:
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode

        def read_burst(final: bool) -> bool:
            data = os.read(self.fileno, 4096)
            if not data:
                return False
            chunks = [data]
            size = len(data)
            while size < BURST_LIMIT and selector.select(0):
                more = os.read(self.fileno, 4096)
                if not more:
                    break
                chunks.append(more)
                size += len(more)
            burst = list(parser.feed(decode(b"".join(chunks), final=final)))
            for event in coalesce_burst(burst):
                self.process_message(event)
            return True

        def process(ready: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> None:
            for _key, mask in ready:
                if mask & selectors.EVENT_READ and not read_burst(final):
                    break
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process(selector.select(0.1))
            selector.unregister(self.fileno)
            process(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass
