"""Provides the `translator batch` sub-command (not implemented yet)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the sub-command to the parser."""
    sub.add_parser("batch", help="(coming soon)")
