"""Provides fit_problem: a `file:line:col: message` problem said in one line of a given width.

A long path (a project deep in the file system) gives way first, in its middle (`/tmp/…/glossary.yaml`),
so its start, the file name, line and column stay; then the message's middle, so its end (what to do) stays.
Widths are terminal cells (rich.cells), so wide characters count twice. No Textual here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size

ELLIPSIS = "…"
#: Cells a shortened path keeps of its start, beside its file name (`/tmp/…/glossary.yaml`).
PATH_HEAD = 5

_PROBLEM = re.compile(r"^(?P<path>.+?)(?P<loc>(?::\d+){1,2})?: (?P<message>.*)$", re.DOTALL)


def middle_ellipsis(text: str, width: int) -> str:
    """`text` in at most `width` cells, its middle replaced by `…` when it does not fit."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    head = (width - 1) // 2
    tail = width - 1 - head
    end = text[::-1]
    return set_cell_size(text, head) + ELLIPSIS + set_cell_size(end, tail)[::-1] if tail else text[:head] + ELLIPSIS


def path_ellipsis(path: str, width: int) -> str:
    """`path` in at most `width` cells: its middle gives way, its file name last."""
    name = "/" + path.replace("\\", "/").rsplit("/", 1)[-1]
    if cell_len(path) <= width or cell_len(name) >= width - 1 or "/" not in path.replace("\\", "/"):
        return middle_ellipsis(path, width)
    return set_cell_size(path, width - 1 - cell_len(name)) + ELLIPSIS + path[-len(name):]


def _path_min(path: str) -> int:
    """The fewest cells a shortened path keeps: its start and its file name."""
    return min(cell_len(path), PATH_HEAD + 1 + cell_len(path.replace("\\", "/").rsplit("/", 1)[-1]) + 1)


def fit_problem(problem: str, width: int, wordings: Sequence[tuple[str, str]], least: int = 48) -> str:
    """`problem` (`path:line:col: message`, or `path: message`) between a prefix and a suffix, in
    one line of at most `width` cells.

    `wordings` are (prefix, suffix) pairs, most telling first. The first whose whole line fits is
    used; else the first that fits with the path's middle shortened (its start and file name kept);
    else the first leaving `least` cells to the problem (else the last), with the path and then
    the message's middle shortened. The line and column are never cut.
    """
    for prefix, suffix in wordings:
        if cell_len(line := f"{prefix}{problem}{suffix}") <= width:
            return line
    match = _PROBLEM.match(problem)
    path, loc, message = (match["path"], match["loc"] or "", match["message"]) if match else ("", "", problem)
    for prefix, suffix in wordings:
        room = width - cell_len(f"{prefix}{loc}: {message}{suffix}")
        if match and room >= _path_min(path):
            return f"{prefix}{path_ellipsis(path, room)}{loc}: {message}{suffix}"
    prefix, suffix = next(((p, s) for p, s in wordings if width - cell_len(p + s) >= least), wordings[-1])
    if not match:
        return prefix + middle_ellipsis(problem, max(0, width - cell_len(prefix + suffix))) + suffix
    room = max(0, width - cell_len(f"{prefix}{loc}: {suffix}"))
    path = path_ellipsis(path, min(max(_path_min(path), room - cell_len(message)), room))
    message = middle_ellipsis(message, max(0, room - cell_len(path)))
    return f"{prefix}{path}{loc}: {message}{suffix}"
