"""fit_problem: one line of a given width for a `file:line:col: message` problem."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from translator.text.one_line import fit_problem, middle_ellipsis

PATH = "/tmp/projects/newsroom-arabic-desk/incoming/2026-11-30/agency-feeds/glossary.yaml"
MESSAGE = "'en' is a list; give one preferred English (put other accepted renderings under 'alt')"
WORDINGS = [("Project glossary not in use: ", " — shipped glossaries only until the file is fixed."),
            ("Glossary not in use: ", "")]


def test_a_line_that_fits_is_whole() -> None:
    line = fit_problem(f"g.yaml:2:7: {MESSAGE}", 200, WORDINGS)
    whole = f"Project glossary not in use: g.yaml:2:7: {MESSAGE} — shipped glossaries only until the file is fixed."
    assert line == whole


def test_the_path_gives_way_first_in_its_middle() -> None:
    line = fit_problem(f"{PATH}:2:7: short message", 70, WORDINGS)
    assert cell_len(line) <= 70 and line.startswith("Glossary not in use: /tmp/")
    assert "…" in line and "glossary.yaml:2:7: short message" in line, line


def test_then_the_message_keeps_its_end() -> None:
    line = fit_problem(f"{PATH}:2:7: {MESSAGE}", 78, WORDINGS)
    assert cell_len(line) <= 78, line
    assert "/tmp/…/glossary.yaml:2:7: " in line and line.endswith("under 'alt')"), line


@given(st.text(min_size=1, max_size=120).filter(lambda s: "\n" not in s), st.integers(1, 99), st.integers(1, 99),
       st.text(max_size=200).filter(lambda s: "\n" not in s), st.integers(40, 200))
def test_never_wider_than_asked_and_the_location_stays(path: str, line: int, col: int, message: str,
                                                       width: int) -> None:
    fitted = fit_problem(f"{path}:{line}:{col}: {message}", width, WORDINGS)
    assert cell_len(fitted) <= width
    assert f":{line}:{col}: " in fitted


@given(st.text(max_size=80), st.integers(0, 90))
def test_middle_ellipsis_fits(text: str, width: int) -> None:
    cut = middle_ellipsis(text, width)
    assert cell_len(cut) <= width
    assert cut == text or "…" in cut or width == 0
