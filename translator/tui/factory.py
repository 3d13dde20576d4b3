"""Provides build_app: the one place that turns a path and settings into the desk App.

The CLI and the tests both build the desk here, so they run the same wiring: engine (or
none, or a test's fake), glossary/memory/QA services, and the first article's session and
lock when a single file is opened (so a locked or unreadable article fails before the UI).
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Final

from translator.config import Settings
from translator.errors import InputError
from translator.fileio import make_output_folder
from translator.mt.engine import Engine
from translator.session import DeskOptions, open_article
from translator.tui.app import TranslatorApp
from translator.tui.desk_services import DeskServices
from translator.workspace import Workspace


class _Installed(Enum):
    INSTALLED = "installed"


#: Pass as `engine` to use the installed model (the default; the Workspace loads it).
INSTALLED: Final = _Installed.INSTALLED


def build_app(
    target: Path | str,
    settings: Settings,
    *,
    engine: Engine | None | _Installed = INSTALLED,
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
    folder = target if target.is_dir() else target.parent
    if engine is INSTALLED:
        workspace = Workspace(settings, folder)  # the installed model, or none (the desk still opens)
    else:
        workspace = Workspace(settings, folder, engine, load_engine=False)
    services = DeskServices(workspace, use_memory=memory)
    session = lock = None
    if target.is_file():
        try:
            session, lock = open_article(target, options, services.desk_memory)
        except BaseException:
            services.close()
            raise
    return TranslatorApp(target, services, options, session, lock)
