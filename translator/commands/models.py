"""Provides `translator models list|install|remove|ensure`."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the sub-command to the parser."""
    sub.add_parser("models", help="(coming soon)")
