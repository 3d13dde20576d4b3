"""Provides build_app: the one place that turns a path and settings into the desk App.

The CLI and the tests both build the desk here, so they run the same wiring: engine (or
none, or a test's fake), glossary/memory/QA services, and the first article's session and
lock when a single file is opened (so a locked or unreadable article fails before the UI).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from translator.config import Settings
from translator.mt.engine import Engine
from translator.errors import InputError, ModelError
from translator.fileio import make_output_folder
from translator.session import DeskOptions, open_article
from translator.tui.app import TranslatorApp
from translator.tui.desk_services import DeskServices

#: Pass as `engine` to use the installed model (the default).
INSTALLED: Any = object()


def installed_engine(settings: Settings) -> Engine | None:
    """The installed ar->en engine, or None when no model is installed (the desk still opens)."""
    from translator.mt.models import load_engine

    try:
        return load_engine(settings)
    except ModelError:
        return None


def build_app(
    target: Path | str,
    settings: Settings,
    *,
    engine: Engine | None = INSTALLED,
    options: DeskOptions | None = None,
    memory: bool = True,
) -> TranslatorApp:
    """Build the desk for a folder (article list) or one article file (review screen).

    Args:
        target: an article file or a folder of articles.
        settings: resolved settings (models, glossaries, engine knobs).
        engine: an engine to use; INSTALLED (default) loads the installed model, None runs without one.
        options: desk behaviour (output folder, autosave, Arabic display).
        memory: use the folder's translation memory.

    Raises:
        InputError: the target does not exist or the article cannot be read.
        LockedError: another desk has the article open.
    """
    target = Path(target)
    if not target.exists():
        raise InputError(target, "not found", "give an article file or a folder of articles")
    options = options or DeskOptions()
    if options.out_dir is not None:
        make_output_folder(options.out_dir, "give a folder for <name>.en.md and <name>.review.json")
    if engine is INSTALLED:
        engine = installed_engine(settings)
    services = DeskServices(settings, target if target.is_dir() else target.parent, engine, use_memory=memory)
    session = lock = None
    if target.is_file():
        try:
            session, lock = open_article(target, options, services.memory)
        except BaseException:
            services.close()
            raise
    return TranslatorApp(target, services, options, session, lock)
