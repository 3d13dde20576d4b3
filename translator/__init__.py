"""Provides an offline, machine-assisted Arabic to English translation desk."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("translator")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
