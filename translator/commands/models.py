"""Provides `translator models list|install|remove|ensure`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import TaskID

    from translator.mt.engine import PackageInfo
    from translator.mt.package_index import ProgressCallback


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the sub-command to the parser."""
    p = sub.add_parser(
        "models",
        help="list, install, remove or ensure the Arabic->English model",
        description="Manage installed Argos Arabic->English packages.",
    )
    actions = p.add_subparsers(dest="models_command", metavar="ACTION")
    actions.add_parser("list", help="show installed models").set_defaults(func=run_list)
    install = actions.add_parser(
        "install",
        help="install a .argosmodel file, or download the ar->en package from the Argos index",
        description="Install FILE (validated first), or with no FILE download the newest ar->en "
        "package from the Argos package index (TRANSLATOR_PACKAGE_INDEX / ARGOS_PACKAGE_INDEX).",
    )
    install.add_argument("file", nargs="?", type=Path, help="an Argos package (.argosmodel)")
    install.set_defaults(func=run_install)
    remove = actions.add_parser("remove", help="uninstall a model by name (see `models list`)")
    remove.add_argument("name", help="package name as shown by `translator models list`")
    remove.set_defaults(func=run_remove)
    imp = actions.add_parser(
        "import",
        help="import an OPUS-MT release, a CTranslate2 folder or a Hugging Face checkpoint (offline)",
        description="Import a model from a folder or zip: an OPUS-MT/Tatoeba release (converted with "
        "CTranslate2's OpusMTConverter), a CTranslate2 model folder with its SentencePiece model(s), a Hugging "
        "Face Marian/NLLB/M2M100 checkpoint (needs: pip install -e '.[convert]'), or an .argosmodel. "
        "Checked before anything is installed; see docs/models.md.",
    )
    imp.add_argument("path", type=Path, help="folder or .zip (or .argosmodel)")
    imp.add_argument("--name", help="install name (default: from the file or folder name)")
    imp.add_argument("--quantize", choices=["int8", "int8_float32", "float16", "none"],
                     help="weights of a converted model (default: int8)")
    imp.set_defaults(func=run_import)
    use = actions.add_parser("use", help="make an installed model the default (desk, translate, batch, ...)")
    use.add_argument("name", help="model name as shown by `translator models list`")
    use.set_defaults(func=run_use)
    from translator.commands import compare

    compare.register(actions)
    actions.add_parser(
        "ensure",
        help="make sure a model is installed (online index, else the bundled demo model)",
    ).set_defaults(func=run_ensure)
    p.set_defaults(func=run_list)


def run_list(args: argparse.Namespace) -> int:
    """Print the installed packages as a table; the one in use is marked with *."""
    from translator.config import load_settings
    from translator.errors import ModelError
    from translator.mt.models import broken_packages, find_model, installed_packages

    settings = load_settings()
    packages = installed_packages(settings)
    for name, reason in broken_packages(settings):
        print(f"broken package {name}: {reason} (or remove it: translator models remove {name})", file=sys.stderr)
    if not packages:
        print(f"no models installed in {settings.models_dir} "
              "(run: translator models ensure, or translator models install FILE.argosmodel)")
        return 0
    try:
        active = find_model(settings)
    except ModelError as exc:
        active = None
        print(f"translator: warning: {exc}", file=sys.stderr)
    rows = [("", "NAME", "PAIR", "VERSION", "FORMAT", "DEMO", "PATH")]
    for p in packages:
        rows.append((
            "*" if active is not None and p.path == active.path else "",
            p.name,
            f"{p.from_code}→{p.to_code}",
            p.version,
            p.family,
            "demo" if p.demo else "-",
            str(p.path),
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1])
    if active is not None and active.demo:
        print("* in use; the demo model is for trying the desk, not for real work")
    elif active is not None:
        print("* in use")
    return 0


def run_install(args: argparse.Namespace) -> int:
    """Install a file, or the index's ar->en package with a progress bar."""
    from translator.config import load_settings
    from translator.mt.models import install_package_file
    from translator.mt.package_index import install_from_index

    settings = load_settings()
    if args.file is not None:
        info = install_package_file(settings, args.file)
    else:
        print(f"fetching the package index {settings.package_index}", file=sys.stderr)
        with _progress_bar() as progress:
            info = install_from_index(settings, progress)
    print(f"installed {info.name} ({_describe(info)}) in {info.path}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Import a model from a folder or zip; prints what was installed and how to use it."""
    from translator.config import load_settings
    from translator.mt.importer import import_model

    print(f"importing {args.path} (checked, converted where needed, and test-translated before it is installed)",
          file=sys.stderr)
    result = import_model(load_settings(), args.path, name=args.name, quantize=args.quantize)
    info = result.info
    provenance = info.metadata.get("provenance", {})
    how = f"{provenance.get('converter', 'Argos installer')}, {provenance.get('quantization', 'as packaged')}"
    print(f"imported {info.name} ({_describe(info)}, {info.family}; {how}) in {result.seconds:.1f} s "
          f"into {info.path}")
    if info.metadata.get("licence"):
        print(f"licence: {info.metadata['licence']}")
    print(f"use it: translator translate FILE --model {info.name}; make it the default: "
          f"translator models use {info.name}")
    return 0


def run_use(args: argparse.Namespace) -> int:
    """Save the default model."""
    from translator.config import load_settings
    from translator.mt.models import use_model

    info = use_model(load_settings(), args.name)
    print(f"default model: {info.name} ({_describe(info)}); --model NAME or TRANSLATOR_MODEL still override it")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    """Uninstall one package."""
    from translator.config import load_settings
    from translator.mt.models import remove_package

    path = remove_package(load_settings(), args.name)
    print(f"removed {args.name} ({path})")
    return 0


def run_ensure(args: argparse.Namespace) -> int:
    """Keep the installed model, else install from the index, else the bundled demo model."""
    from translator.config import load_settings
    from translator.errors import NoModelError
    from translator.mt.models import find_model
    from translator.mt.package_index import ensure_model

    settings = load_settings()
    try:
        info = find_model(settings)
    except NoModelError:
        print(f"no model installed; fetching the package index {settings.package_index}", file=sys.stderr)
    else:
        print(f"model installed: {info.name} ({_describe(info)}) in {info.path}")
        return 0
    with _progress_bar() as progress:
        result = ensure_model(settings, progress)
    info = result.info
    if result.action == "demo":
        print(f"online install failed: {result.reason}; installing the bundled demo model", file=sys.stderr)
        print(f"installed the DEMO model {info.name} ({_describe(info)}) in {info.path}: "
              "for trying the desk only, not for real work "
              "(install a real model: translator models install FILE.argosmodel)")
    else:
        print(f"installed {info.name} ({_describe(info)}) in {info.path}")
    return 0


def _describe(info: PackageInfo) -> str:
    return f"{info.from_code}→{info.to_code} {info.version}" + (", demo model" if info.demo else "")


@contextmanager
def _progress_bar() -> Iterator[ProgressCallback]:
    """A download progress callback drawing a Rich bar on stderr (shown once bytes flow)."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

    bar = Progress(
        TextColumn("downloading"), BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn(),
        console=Console(stderr=True), transient=False,
    )
    task: list[TaskID] = []

    def update(done: int, total: int | None) -> None:
        if not task:
            bar.start()
            task.append(bar.add_task("download", total=total))
        bar.update(task[0], completed=done, total=total)

    try:
        yield update
    finally:
        if task:
            bar.stop()
