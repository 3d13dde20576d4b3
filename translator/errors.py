"""Provides the typed errors the domain raises; the CLI and desk turn them into one line."""

from __future__ import annotations

from pathlib import Path


class TranslatorError(Exception):
    """Base of every error a user should see as one clear line (what, where, what to do)."""


class InputError(TranslatorError):
    """An article or other input file cannot be used (missing, binary, bad encoding, empty)."""

    def __init__(self, path: Path | str, reason: str, hint: str = "") -> None:
        self.path = Path(path)
        self.reason = reason
        self.hint = hint
        message = f"{path}: {reason}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class GlossaryError(TranslatorError):
    """A glossary file is invalid; carries every problem found, each with file and line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class ModelError(TranslatorError):
    """No usable model, or a package that cannot be installed."""


class NoModelError(ModelError):
    """No ar->en model is installed."""

    def __init__(self, models_dir: Path) -> None:
        super().__init__(
            f"no Arabic->English model installed in {models_dir} "
            "(run: translator models ensure, or translator models install FILE.argosmodel)"
        )


class EngineError(TranslatorError):
    """The translation engine failed to load or run."""


class LockedError(TranslatorError):
    """Another desk holds the article open."""
